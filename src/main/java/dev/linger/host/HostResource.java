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
import dev.linger.collect.CollectionService;
import dev.linger.collect.NetNamespace;
import dev.linger.collect.SnapshotStore;
import dev.linger.collect.SnapshotView;
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
     * count or socket refers to).
     */
    public record Snapshot(java.time.Instant takenAt, long durationMs, String source,
            List<dev.linger.collect.CollectorOutput.StateCount> states, List<Socket> sockets,
            Map<String, String> sysctls, dev.linger.collect.CollectorOutput.Sockstat sockstat,
            List<dev.linger.collect.CollectorOutput.ProcessInfo> processes, List<String> problems,
            List<Namespace> namespaces) {

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
            return new Snapshot(v.takenAt(), v.durationMs(), v.source(), v.states(), sockets, v.sysctls(),
                    v.sockstat(), v.processes(), v.problems(), namespaces);
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

    HostResource(HostService hosts, SnapshotStore snapshots, CollectionService collections, SecurityIdentity identity) {
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
        return hosts.trustKey(actor(), id, body == null ? null : body.fingerprint());
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
                .orElseThrow(() -> new NotFoundException("Host " + id + " has no snapshot yet."));
    }

    private String actor() {
        return identity.getPrincipal().getName();
    }

    private static HostInput require(HostInput input) {
        if (input == null) {
            throw InvalidInput.of(Map.of("body", "Send a JSON object: {\"name\", \"address\", \"sshPort\", \"sshUser\","
                    + " \"transport\", \"sudo\", \"collectIntervalSeconds\"}"));
        }
        return input;
    }
}
