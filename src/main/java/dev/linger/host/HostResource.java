package dev.linger.host;


import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.linger.InvalidInput;
import dev.linger.i18n.Text;
import dev.linger.collect.CollectionService;
import dev.linger.collect.NetNamespace;
import dev.linger.collect.SnapshotStore;
import dev.linger.collect.SnapshotView;
import dev.linger.collect.SocketGroup;
import dev.linger.user.Role;
import io.quarkus.security.identity.SecurityIdentity;

/** Hosts over the JSON API. */
@dev.linger.web.RetryReadsOnDroppedConnection
@Path("/api/v1/hosts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.VIEWER_ID)
public class HostResource {

    public record Trust(String fingerprint) {
    }

    /**
     * The latest snapshot in the API's shape. Each socket carries its {@code namespace}; {@code namespaces} lists
     * every network namespace of the collection, the host's own first ({@code key} is what {@code netns} of a
     * count or socket refers to). Since issue 14 {@code sockets} are samples (at most 20 per group, the most
     * queued bytes first) and {@code groups} count every notable socket exactly.
     */
    public record Snapshot(java.time.Instant takenAt, long durationMs, String source,
            List<dev.linger.collect.CollectorOutput.StateCount> states, List<Socket> sockets,
            Map<String, String> sysctls, dev.linger.collect.CollectorOutput.Sockstat sockstat,
            List<dev.linger.collect.CollectorOutput.ProcessInfo> processes, List<String> problems,
            List<Namespace> namespaces, List<Group> groups) {

        static Snapshot of(SnapshotView v) {
            Map<Long, NamespaceRef> refs = new java.util.HashMap<>();
            List<Socket> sockets = v.sockets().stream()
                    .map(k -> Socket.of(k, refs.computeIfAbsent(k.netns(), key -> NamespaceRef.of(v.namespace(key)))))
                    .toList();
            List<Namespace> namespaces = new java.util.ArrayList<>();
            java.util.Set<Long> listed = new java.util.HashSet<>();
            java.util.stream.Stream.concat(java.util.stream.Stream.of(v.namespace(NetNamespace.HOST_KEY)),
                    v.namespaces().stream()).filter(ns -> listed.add(ns.key()))
                    .forEach(ns -> namespaces.add(Namespace.of(ns, ns.key() == NetNamespace.HOST_KEY ? v.sysctls()
                            : ns.sysctls())));
            Map<Integer, dev.linger.collect.CollectorOutput.ProcessInfo> byPid = new java.util.HashMap<>();
            v.processes().forEach(p -> byPid.putIfAbsent(p.pid(), p));
            List<Group> groups = v.groups().stream()
                    .map(g -> Group.of(g, refs.computeIfAbsent(g.netns(), key -> NamespaceRef.of(v.namespace(key))),
                            byPid))
                    .toList();
            return new Snapshot(v.takenAt(), v.durationMs(), v.source(), v.states(), sockets, v.sysctls(),
                    v.sockstat(), v.processes(), v.problems(), namespaces, groups);
        }
    }

    /**
     * The notable sockets of one namespace that share a port, a direction, a state and an owner, counted exactly
     * (issue 14): every field of {@link SocketGroup}, the owner with its command, and the namespace as sockets name
     * it. {@code recvQMin}: the smallest non-zero Recv-Q; {@code timers}: sockets per timer ({@code none}: no
     * timer); {@code since}: when Linger first saw the group in an unbroken line of collections.
     */
    public record Group(long netns, NamespaceRef namespace, int port, boolean remote, String state,
            dev.linger.collect.CollectorOutput.Owner owner, long count, long recvQ, long recvQMax, long recvQMin,
            long withRecvQ, long sendQ, long sendQMax, long withSendQ, Map<String, Long> timers, int retransmitsMax,
            java.time.Instant since) {

        static Group of(SocketGroup g, NamespaceRef namespace,
                Map<Integer, dev.linger.collect.CollectorOutput.ProcessInfo> byPid) {
            return new Group(g.netns(), namespace, g.port(), g.remote(), g.state(), owner(g.owner(), byPid), g.count(),
                    g.recvQ(), g.recvQMax(), g.recvQMin(), g.withRecvQ(), g.sendQ(), g.sendQMax(), g.withSendQ(),
                    g.timers(), g.retransmitsMax(), g.since());
        }

        /** The owner with its command and state from the snapshot's processes when the group lacks them. */
        static dev.linger.collect.CollectorOutput.Owner owner(dev.linger.collect.CollectorOutput.Owner o,
                Map<Integer, dev.linger.collect.CollectorOutput.ProcessInfo> byPid) {
            if (o == null || o.command() != null) {
                return o;
            }
            dev.linger.collect.CollectorOutput.ProcessInfo p = byPid.get(o.pid());
            return p == null ? o : new dev.linger.collect.CollectorOutput.Owner(o.pid(), o.tid(), p.command(),
                    p.state(), p.ppid());
        }
    }

    /**
     * Every socket of one port read live on the host ({@code GET /api/v1/hosts/{id}/sockets}). {@code counts}: every
     * matching socket per state and side ({@code remote}: the port is the peer's); {@code total}: their sum;
     * {@code sockets}: at most {@code limit} of them, the most queued bytes first; {@code cut}: some are not listed.
     */
    public record LiveRead(long hostId, int port, String state, long netns, NamespaceRef namespace,
            java.time.Instant readAt, long durationMs, long total, int listed, boolean cut, int limit,
            List<dev.linger.collect.CollectorOutput.StateCount> counts, List<Socket> sockets, List<String> problems) {

        static LiveRead of(LiveSockets.Read r) {
            return new LiveRead(r.query().hostId(), r.query().port(), r.query().state(), r.query().netns(),
                    r.namespace(), r.readAt(), r.durationMs(), r.total(), r.sockets().size(), r.cut(),
                    r.limit(), r.counts(), r.sockets().stream().map(k -> Socket.of(k, r.namespace()))
                            .toList(), r.problems());
        }
    }

    /** A notable socket with every field it always had, and the namespace it is in. */
    public record Socket(String state, String local, String peer, long recvQ, long sendQ, String timer,
            Long timerMillis, Integer retransmits, Integer uid, long inode,
            dev.linger.collect.CollectorOutput.Owner owner, long netns, NamespaceRef namespace) {

        static Socket of(dev.linger.collect.CollectorOutput.NotableSocket k, NamespaceRef namespace) {
            return new Socket(k.state(), k.local(), k.peer(), k.recvQ(), k.sendQ(), k.timer(), k.timerMillis(),
                    k.retransmits(), k.uid(), k.inode(), k.owner(), k.netns(), namespace);
        }
    }

    /**
     * A network namespace in the snapshot's list: its reference, and what the collection read of it. {@code
     * sysctls}: the host's watched ones for the host, those read inside the namespace otherwise (empty when not
     * read); {@code replaced}: the inode of the namespace it replaced when its container restarted, else 0.
     */
    public record Namespace(long key, long inode, NetNamespace.Kind kind, String name, String containerId, String pod,
            String hostname, long replaced, Map<String, String> sysctls) {

        static Namespace of(NetNamespace ns, Map<String, String> sysctls) {
            return new Namespace(ns.key(), ns.inode(), ns.kind(), NamespaceGroups.bounded(ns.name()),
                    ns.containerId(), ns.pod(), ns.hostname() == null ? null : NamespaceGroups.bounded(ns.hostname()),
                    ns.replaced(), sysctls);
        }
    }

    private final HostService hosts;
    private final SnapshotStore snapshots;
    private final CollectionService collections;
    private final SecurityIdentity identity;
    private final LiveSockets live;

    private final dev.linger.login.StepUp stepUp;

    HostResource(HostService hosts, SnapshotStore snapshots, CollectionService collections, SecurityIdentity identity,
            LiveSockets live, dev.linger.login.StepUp stepUp) {
        this.stepUp = stepUp;
        this.live = live;
        this.hosts = hosts;
        this.snapshots = snapshots;
        this.collections = collections;
        this.identity = identity;
    }

    @GET
    public List<HostView> list() {
        return hosts.list();
    }

    @GET
    @Path("{id}")
    public HostView get(@PathParam("id") long id) {
        return hosts.get(id);
    }

    @POST
    @RolesAllowed(Role.ADMIN_ID)
    public Response create(HostInput input) {
        HostView created = hosts.create(actor(), require(input));
        return Response.created(URI.create("/api/v1/hosts/" + created.id())).entity(created).build();
    }

    @PUT
    @Path("{id}")
    @RolesAllowed(Role.ADMIN_ID)
    public HostView update(@PathParam("id") long id, HostInput input) {
        return hosts.update(actor(), id, require(input));
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed(Role.ADMIN_ID)
    public Response delete(@PathParam("id") long id) {
        hosts.delete(actor(), id);
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/host-key/trust")
    @RolesAllowed(Role.ADMIN_ID)
    public HostView trust(@PathParam("id") long id, Trust body) {
        return hosts.trustKey(actor(), id, body == null ? null : body.fingerprint(), stepUp.of(identity));
    }

    /** Collects now and answers when it is done (or 409 when a collection of this host is already running). */
    @POST
    @Path("{id}/collect")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Role.OPERATOR_ID)
    public Response collect(@PathParam("id") long id) {
        if (hosts.watched(id).keyChanged()) {
            return Response.status(409).entity(Map.of("error", "The host key changed: trust the new key before"
                    + " Linger talks to this host again.", "status", 409)).build();
        }
        return collections.collectNow(actor(), id)
                .map(o -> Response.ok(Map.of("ok", o.ok(), "error", o.error() == null ? "" : o.error(),
                        "host", hosts.get(id))).build())
                .orElseGet(() -> Response.status(409)
                        .entity(Map.of("error", "A collection of this host is already running.", "status", 409))
                        .build());
    }

    @GET
    @Path("{id}/snapshots/latest")
    public Snapshot latest(@PathParam("id") long id) {
        hosts.get(id);
        return snapshots.latest(id).map(Snapshot::of)
                .orElseThrow(() -> new dev.linger.NotFound(Text.of("refuse.noSnapshot", id)));
    }

    /**
     * Every socket of a port (optionally one state, one namespace: {@code netns} as snapshots name it, the host's
     * own when left out), read on the host now (never a kept read). Bad parameters: 400 and nothing is run; a read of this host already
     * running: 429; a namespace that is gone or an archived host: 409; the host could not be read: 502.
     */
    /** The language of API answers: Accept-Language, else English. */
    @jakarta.inject.Inject
    dev.linger.i18n.RequestLanguage language;

    @GET
    @Path("{id}/sockets")
    public Response sockets(@PathParam("id") long id, @jakarta.ws.rs.QueryParam("port") String port,
            @jakarta.ws.rs.QueryParam("state") String state, @jakarta.ws.rs.QueryParam("netns") String netns) {
        try {
            // a script asks for the host as it is now: always read anew (the page keeps a read for its pages)
            return Response.ok(LiveRead.of(live.read(actor(), id, port, state, netns, true,
                    (dev.linger.i18n.HostMessages) dev.linger.i18n.Catalogue.bundle(
                            dev.linger.i18n.HostMessages.class, language.apiLocale())))).build();
        } catch (LiveSockets.Refused r) {
            Map<String, Object> body = new java.util.LinkedHashMap<>();
            body.put("error", r.getMessage());
            body.put("status", r.status());
            if (r.field() != null) {
                body.put("fields", Map.of(r.field(), r.getMessage()));
            }
            return Response.status(r.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
        }
    }

    private String actor() {
        return identity.getPrincipal().getName();
    }

    private static HostInput require(HostInput input) {
        if (input == null) {
            throw InvalidInput.of("body", Text.of("refuse.sendJson", "{\"name\", \"address\", \"sshPort\","
                    + " \"sshUser\", \"transport\", \"sudo\", \"collectIntervalSeconds\"}"));
        }
        return input;
    }
}
