package dev.linger.host;


import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import dev.linger.InvalidInput;
import dev.linger.i18n.Text;
import dev.linger.LingerConfig;
import dev.linger.collect.CollectionService;
import dev.linger.collect.CollectorOutput;
import dev.linger.collect.NetNamespace;
import dev.linger.collect.SnapshotStore;
import dev.linger.collect.SnapshotView;
import dev.linger.i18n.ActionMessages;
import dev.linger.i18n.Text;
import dev.linger.i18n.RequestLanguage;
import dev.linger.user.Role;
import dev.linger.web.CurrentUser;
import dev.linger.web.Flash;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** Hosts for people: the list at a glance, a detail page per host, and the admin's add/edit forms. */
@dev.linger.web.RetryReadsOnDroppedConnection
@Path("/hosts")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Role.VIEWER_ID)
public class HostPage {

    /**
     * A process of interest with its one-line explanation; {@code namespace} names the network namespace its
     * sockets are in when that is not the host's own (null otherwise).
     */
    public record ExplainedProcess(CollectorOutput.ProcessInfo process, int sockets, dev.linger.i18n.Text explanation,
            String namespace) {
    }

    /** The form's fields as typed, to show them again after a refusal. */
    public record Form(String name, String address, String sshPort, String sshUser, String transport, boolean sudo,
            String collectIntervalSeconds, String servicePorts, String closeWaitThreshold, String finWait1AgeSeconds,
            String maintenanceWindow, String labels) {
        static Form of(HostView h) {
            return new Form(h.name(), h.address(), String.valueOf(h.sshPort()), h.sshUser(), h.transport(), h.sudo(),
                    String.valueOf(h.collectIntervalSeconds()),
                    String.join(", ", h.servicePorts().stream().map(String::valueOf).toList()),
                    h.closeWaitThreshold() == null ? "" : String.valueOf(h.closeWaitThreshold()),
                    h.finWait1AgeSeconds() == null ? "" : String.valueOf(h.finWait1AgeSeconds()),
                    h.maintenanceWindow() == null ? "" : h.maintenanceWindow(), String.join(", ", h.labels()));
        }
    }

    /** {@code groups}: the snapshot per network namespace (null without a snapshot). */
    public record Detail(HostView host, SnapshotView snapshot, int hours, NamespaceGroups.Groups groups,
            List<ExplainedProcess> processes, Long focus) {

        /** What the chart's window links keep of the query: the namespace a person opened. */
        public String keep() {
            return focus == null ? "" : "ns=" + focus + "&";
        }
    }

    /**
     * The live list of a port's sockets (issue 14): {@code read} is null when it was refused ({@code error} says
     * why); {@code rows} is one page of it.
     */
    public record Live(HostView host, LiveSockets.Read read, String error, String namespaceLabel,
            List<CollectorOutput.NotableSocket> rows, int page, int pages) {

        public static final int PAGE_SIZE = 100;

        public int from() {
            return rows.isEmpty() ? 0 : (page - 1) * PAGE_SIZE + 1;
        }

        public int to() {
            return rows.isEmpty() ? 0 : from() + rows.size() - 1;
        }

        public String pageLink(int to) {
            return "?" + read.query().parameters() + (to > 1 ? "&page=" + to : "");
        }

        public int previous() {
            return Math.max(1, page - 1);
        }

        public int next() {
            return Math.min(pages, page + 1);
        }

        public String againLink() {
            return "?" + read.query().parameters() + "&again=1";
        }

        /** Back to the namespace's section of the host page. */
        public String backLink() {
            long key = read == null ? 0 : read.query().netns();
            return "/hosts/" + host.id() + (key == 0 ? "" : "?ns=" + key + "#ns-" + key);
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance sockets(Live live);

        static native TemplateInstance list(List<HostView> hosts);

        static native TemplateInstance detail(Detail d);

        static native TemplateInstance form(Long id, Form form, Map<String, String> errors);

        static native TemplateInstance remove(HostService.Removal removal, Map<String, String> errors);
    }

    private final HostService hosts;
    private final LiveSockets live;
    private final SnapshotStore snapshots;
    private final CollectionService collections;
    private final CurrentUser me;
    private final Clock clock;
    private final int defaultInterval;
    private final RequestLanguage lang;

    private final dev.linger.login.StepUpForm stepUpForm;

    HostPage(HostService hosts, SnapshotStore snapshots, CollectionService collections, CurrentUser me, Clock clock,
            LingerConfig config, RequestLanguage lang, LiveSockets live, dev.linger.login.StepUpForm stepUpForm) {
        this.stepUpForm = stepUpForm;
        this.live = live;
        this.lang = lang;
        this.hosts = hosts;
        this.snapshots = snapshots;
        this.collections = collections;
        this.me = me;
        this.clock = clock;
        this.defaultInterval = config.collect().defaultIntervalSeconds();
    }

    @GET
    public TemplateInstance list() {
        return Templates.list(hosts.list());
    }

    @GET
    @Path("{id}")
    public TemplateInstance detail(@PathParam("id") long id, @QueryParam("sort") String sort,
            @QueryParam("dir") String dir, @QueryParam("page") Integer page, @QueryParam("hours") Integer hours,
            @QueryParam("ns") String ns, @QueryParam("group") String group) {
        HostView host = hosts.get(id);
        int window = hours == null ? 6 : Math.max(1, Math.min(24 * 30, hours));
        SnapshotView s = snapshots.latest(id).orElse(null);
        Long focus = namespaceKey(ns);
        NamespaceGroups.Groups groups = s == null ? null
                : NamespaceGroups.of(s, hosts.notableSeries(id, clock.instant().minus(Duration.ofHours(window))),
                        focus, sort, dir, page, group, id, lang.texts(dev.linger.i18n.HostMessages.class));
        return Templates.detail(new Detail(host, s, window, groups,
                explain(s, lang.texts(dev.linger.i18n.HostMessages.class)), focus));
    }

    /**
     * "Show all sockets": every socket of a port read on the host now, 100 a page; the pages of one read come
     * from it for a minute ({@code again} reads anew). Refusals show on the page with their status.
     */
    @GET
    @Path("{id}/sockets")
    public Response sockets(@PathParam("id") long id, @QueryParam("port") String port,
            @QueryParam("state") String state, @QueryParam("netns") String netns, @QueryParam("page") String page,
            @QueryParam("again") String again) {
        HostView host = hosts.get(id);
        dev.linger.i18n.HostMessages texts = lang.texts(dev.linger.i18n.HostMessages.class);
        try {
            LiveSockets.Read read = live.read(me.name(), id, port, state, netns, again != null && !again.isBlank(),
                    texts);
            int pages = Math.max(1, (read.sockets().size() + Live.PAGE_SIZE - 1) / Live.PAGE_SIZE);
            int current = page == null || !page.strip().matches("[0-9]{1,6}") ? 1
                    : Math.max(1, Math.min(pages, Integer.parseInt(page.strip())));
            List<CollectorOutput.NotableSocket> rows = read.sockets().subList((current - 1) * Live.PAGE_SIZE,
                    Math.min(read.sockets().size(), current * Live.PAGE_SIZE));
            return Response.ok(Templates.sockets(new Live(host, read, null,
                    NamespaceGroups.heading(read.netNamespace(), texts), rows, current, pages))).build();
        } catch (LiveSockets.Refused r) {
            return Response.status(r.status()).entity(Templates.sockets(new Live(host, null, r.getMessage(), null,
                    List.of(), 1, 1))).build();
        }
    }

    /** {@code ?ns=} names a namespace by its key; anything else means the host's own, as a bad sort column does. */
    private static Long namespaceKey(String ns) {
        if (ns == null || !ns.matches("[0-9]{1,18}")) {
            return null;
        }
        return Long.valueOf(ns);
    }

    @GET
    @Path("new")
    @RolesAllowed(Role.ADMIN_ID)
    public TemplateInstance addForm() {
        return Templates.form(null, new Form("", "", "22", "root", "SSH", false, String.valueOf(defaultInterval), "", "",
                "", "", ""), Map.of());
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.ADMIN_ID)
    public Response add(@RestForm String name, @RestForm String address, @RestForm String sshPort,
            @RestForm String sshUser, @RestForm String sudo, @RestForm String collectIntervalSeconds,
            @RestForm String servicePorts, @RestForm String closeWaitThreshold, @RestForm String finWait1AgeSeconds,
            @RestForm String maintenanceWindow, @RestForm String labels) {
        Form typed = new Form(name, address, sshPort, sshUser, "SSH", sudo != null, collectIntervalSeconds, servicePorts,
                closeWaitThreshold, finWait1AgeSeconds, maintenanceWindow, labels);
        try {
            HostView created = hosts.create(me.name(), input(typed));
            return Flash.redirect("/hosts/" + created.id(), Text.of("act.hostAdded", created.name()));
        } catch (InvalidInput e) {
            return Response.status(e.isConflict() ? 409 : 400).entity(Templates.form(null, typed, e.fields(lang.locale()))).build();
        }
    }

    @GET
    @Path("{id}/edit")
    @RolesAllowed(Role.ADMIN_ID)
    public TemplateInstance editForm(@PathParam("id") long id) {
        return Templates.form(id, Form.of(hosts.watched(id)), Map.of());
    }

    @POST
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.ADMIN_ID)
    public Response edit(@PathParam("id") long id, @RestForm String name, @RestForm String address,
            @RestForm String sshPort, @RestForm String sshUser, @RestForm String sudo,
            @RestForm String collectIntervalSeconds, @RestForm String servicePorts, @RestForm String closeWaitThreshold,
            @RestForm String finWait1AgeSeconds, @RestForm String maintenanceWindow, @RestForm String labels) {
        HostView current = hosts.watched(id);
        Form typed = new Form(name, address, sshPort, sshUser, current.transport(), sudo != null,
                collectIntervalSeconds, servicePorts, closeWaitThreshold, finWait1AgeSeconds, maintenanceWindow, labels);
        try {
            HostView changed = hosts.update(me.name(), id, input(typed));
            return Flash.redirect("/hosts/" + id, Text.of("act.hostSaved", changed.name()));
        } catch (InvalidInput e) {
            return Response.status(e.isConflict() ? 409 : 400).entity(Templates.form(id, typed, e.fields(lang.locale()))).build();
        }
    }

    /** Removing a host asks first: this page says what goes and what stays, and wants the name typed. */
    @GET
    @Path("{id}/delete")
    @RolesAllowed(Role.ADMIN_ID)
    public TemplateInstance confirmRemoval(@PathParam("id") long id) {
        return Templates.remove(hosts.removal(id), Map.of());
    }

    @POST
    @Path("{id}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.ADMIN_ID)
    public Response delete(@PathParam("id") long id, @RestForm String confirmName) {
        HostService.Removal removal = hosts.removal(id);
        String name = removal.host().name();
        if (confirmName == null || !confirmName.strip().equals(name)) {
            return Response.status(400).entity(Templates.remove(removal,
                    Map.of("confirmName", lang.texts(dev.linger.i18n.HostMessages.class).removeConfirmMismatch(name))))
                    .build();
        }
        try {
            hosts.delete(me.name(), id);
        } catch (InvalidInput e) {
            return Response.status(409).entity(Templates.remove(hosts.removal(id), Map.of("confirmName",
                    lang.texts(dev.linger.i18n.HostMessages.class).removeJobsLive(hosts.removal(id).liveJobs()))))
                    .build();
        }
        return Flash.redirect("/hosts", Text.of("act.hostRemoved", name));
    }

    @POST
    @Path("{id}/trust")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.ADMIN_ID)
    public Response trust(@PathParam("id") long id, @RestForm String fingerprint, @RestForm String stepUpPassword,
            @RestForm String stepUpCode) {
        try {
            HostView h = hosts.trustKey(me.name(), id, fingerprint, stepUpForm.proof(stepUpPassword, stepUpCode));
            return Flash.redirect("/hosts/" + id, Text.of("act.hostTrusted", h.hostKey().fingerprint(), h.name()));
        } catch (InvalidInput e) {
            return Flash.redirect("/hosts/" + id, e.message(lang.locale()));
        } catch (dev.linger.Forbidden e) {
            return Flash.redirect("/hosts/" + id, e.message(lang.locale()));
        }
    }

    @POST
    @Path("{id}/collect")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.OPERATOR_ID)
    public Response collect(@PathParam("id") long id) {
        HostView host = hosts.watched(id);
        String name = host.name();
        if (host.keyChanged()) {
            return Flash.redirect("/hosts/" + id, Text.of("act.hostKeyChangedFirst"));
        }
        Text message = collections.collectNow(me.name(), id)
                .map(o -> o.ok() ? Text.of("act.hostCollected", name, o.elapsed().toMillis())
                        : Text.of("act.hostCollectFailed", name, String.valueOf(o.error())))
                .orElse(Text.of("act.hostCollectRunning", name));
        return Flash.redirect("/hosts/" + id, message);
    }

    private ActionMessages texts() {
        return lang.texts(ActionMessages.class);
    }

    private static HostInput input(Form f) {
        List<Integer> ports = new java.util.ArrayList<>();
        for (String p : (f.servicePorts() == null ? "" : f.servicePorts()).split("[,\\s]+")) {
            if (!p.isBlank()) {
                ports.add(number("servicePorts", p));
            }
        }
        return new HostInput(f.name(), f.address(), number("sshPort", f.sshPort()), f.sshUser(), f.transport(), f.sudo(),
                number("collectIntervalSeconds", f.collectIntervalSeconds()), ports,
                number("closeWaitThreshold", f.closeWaitThreshold()), number("finWait1AgeSeconds", f.finWait1AgeSeconds()),
                f.maintenanceWindow(), f.labels() == null ? null
                        : java.util.Arrays.stream(f.labels().split("[,\\s]+")).filter(l -> !l.isBlank()).toList());
    }

    private static Integer number(String field, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(text.strip());
        } catch (NumberFormatException e) {
            throw InvalidInput.of(field, Text.of("refuse.wholeNumber"));
        }
    }

    private static List<ExplainedProcess> explain(SnapshotView s,
            dev.linger.i18n.HostMessages texts) {
        if (s == null) {
            return List.of();
        }
        Map<Integer, Integer> held = new HashMap<>();
        Map<Integer, Long> in = new HashMap<>();
        // the groups count every notable socket (the sockets are only samples of them)
        for (dev.linger.collect.SocketGroup g : s.groups()) {
            if (g.owner() != null) {
                held.merge(g.owner().pid(), (int) Math.min(Integer.MAX_VALUE, g.count()), Integer::sum);
                in.putIfAbsent(g.owner().pid(), g.netns());
            }
        }
        Map<Long, String> names = new HashMap<>();
        Map<Integer, CollectorOutput.ProcessInfo> byPid = new HashMap<>();
        s.processes().forEach(p -> byPid.putIfAbsent(p.pid(), p));
        // the collector lists the parents of zombies and owners too, to name them; alone they are of no interest
        return s.processes().stream()
                .filter(p -> "Z".equals(p.state()) || held.containsKey(p.pid()))
                .sorted(Comparator.comparing((CollectorOutput.ProcessInfo p) -> !"Z".equals(p.state()))
                        .thenComparing(p -> -held.getOrDefault(p.pid(), 0)))
                .map(p -> new ExplainedProcess(p, held.getOrDefault(p.pid(), 0),
                        ProcessExplanation.explain(p, held.getOrDefault(p.pid(), 0), byPid.get(p.ppid())),
                        in.getOrDefault(p.pid(), NetNamespace.HOST_KEY) == NetNamespace.HOST_KEY ? null
                                : names.computeIfAbsent(in.get(p.pid()),
                                        key -> NamespaceGroups.heading(s.namespace(key), texts))))
                .toList();
    }
}
