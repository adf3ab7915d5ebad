package dev.linger.host;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.linger.collect.CollectorOutput.NotableSocket;
import dev.linger.collect.CollectorOutput.StateCount;
import dev.linger.collect.NetNamespace;
import dev.linger.collect.SnapshotStore;
import dev.linger.collect.SnapshotView;
import dev.linger.i18n.HostMessages;

/**
 * The host page per network namespace: the host's own first, then the busiest (most notable sockets). Only a few
 * are drawn in full (chart, counts, sysctls, sockets); the others take one line each, so that a node with 500
 * containers stays one readable, fast page.
 */
public final class NamespaceGroups {

    /** Drawn in full: the host's own and the busiest after it (plus the one a person asked for). */
    static final int OPEN = 6;
    /** A name longer than this is cut: container hostnames and ip-netns names come from the host, not from us. */
    static final int NAME_LIMIT = 64;
    static final String ORPHAN_LIMIT = "net.ipv4.tcp_max_orphans";

    /** Socket groups drawn per namespace, worst first; the API lists every one. */
    static final int GROUPS_SHOWN = 100;

    /**
     * One namespace on the page. {@code label} is its heading, already bounded and free of control characters
     * (the template escapes it). {@code notable}: notable sockets in it; {@code sockets}: every socket counted.
     * The parts below {@code open} are null for a namespace shown on one line. {@code groups}: its notable
     * sockets by port, state and owner, worst first (at most {@link #GROUPS_SHOWN}; {@code moreGroups} not
     * shown); {@code table}: their samples.
     */
    public record Group(long key, NetNamespace ns, String label, String kind, long notable, long sockets,
            boolean open, List<StateCount> states, SocketTable.Page table, StateChart.Chart chart,
            Map<String, String> sysctls, List<GroupRow> groups, int moreGroups) {

        /** The group whose samples alone the table lists; null for every group's. */
        public GroupRow selected() {
            return groups == null ? null : groups.stream().filter(GroupRow::selected).findFirst().orElse(null);
        }

        public boolean host() {
            return key == NetNamespace.HOST_KEY;
        }

        /** The id of its section and the anchor of its socket table. */
        public String anchor() {
            return host() ? "ns-host" : "ns-" + key;
        }

        public long replaced() {
            return ns.replaced();
        }
    }

    /** The groups drawn in full, then the busy ones on one line each, then the quiet ones on one line each. */
    public record Groups(List<Group> open, List<Group> busy, List<Group> quiet) {
        public int count() {
            return open.size() + busy.size() + quiet.size();
        }
    }

    private NamespaceGroups() {
    }

    /**
     * @param focus the namespace a person asked for ({@code ?ns=}): drawn in full, and the one {@code sort},
     *              {@code dir} and {@code page} apply to; null means the host's own
     */
    public static Groups of(SnapshotView s, List<SnapshotStore.StatesAt> series, Long focus, String sort, String dir,
            Integer page, HostMessages texts) {
        return of(s, series, focus, sort, dir, page, null, 0, texts);
    }

    /**
     * @param group  the group whose samples alone the focused namespace's table lists ({@link GroupRow#id()}); an
     *               unknown one lists every group's
     * @param hostId for the links to every socket of a group's port
     */
    public static Groups of(SnapshotView s, List<SnapshotStore.StatesAt> series, Long focus, String sort, String dir,
            Integer page, String group, long hostId, HostMessages texts) {
        Map<Long, List<dev.linger.collect.SocketGroup>> grouped = new HashMap<>();
        Map<Integer, dev.linger.collect.CollectorOutput.ProcessInfo> byPid = new HashMap<>();
        s.processes().forEach(p -> byPid.putIfAbsent(p.pid(), p));
        for (dev.linger.collect.SocketGroup g : s.groups()) {
            dev.linger.collect.CollectorOutput.Owner owner = HostResource.Group.owner(g.owner(), byPid);
            grouped.computeIfAbsent(g.netns(), x -> new ArrayList<>()).add(owner == g.owner() ? g : g.withOwner(owner));
        }
        Map<Long, List<NotableSocket>> sockets = new HashMap<>();
        for (NotableSocket k : s.sockets()) {
            sockets.computeIfAbsent(k.netns(), x -> new ArrayList<>()).add(k);
        }
        Map<Long, List<StateCount>> states = new HashMap<>();
        for (StateCount c : s.states()) {
            states.computeIfAbsent(c.netns(), x -> new ArrayList<>()).add(c);
        }
        // every namespace the snapshot knows, and any key a count or socket names (shown by its inode)
        Map<Long, NetNamespace> known = new LinkedHashMap<>();
        known.put(NetNamespace.HOST_KEY, s.namespace(NetNamespace.HOST_KEY));
        s.namespaces().forEach(ns -> known.putIfAbsent(ns.key(), ns));
        states.keySet().forEach(k -> known.computeIfAbsent(k, s::namespace));
        sockets.keySet().forEach(k -> known.computeIfAbsent(k, s::namespace));
        grouped.keySet().forEach(k -> known.computeIfAbsent(k, s::namespace));

        record Tally(NetNamespace ns, long notable, long sockets) {
        }
        List<Tally> tallies = new ArrayList<>();
        for (NetNamespace ns : known.values()) {
            List<StateCount> mine = states.getOrDefault(ns.key(), List.of());
            // the groups count every notable socket; the samples and counts stand in for snapshots without them
            long listed = Math.max(sockets.getOrDefault(ns.key(), List.of()).size(),
                    dev.linger.collect.SocketGroups.total(grouped.getOrDefault(ns.key(), List.of())));
            // a snapshot without its socket list (thinned) still has its counts
            long counted = mine.stream().filter(c -> !StateChart.QUIET.contains(c.state())).mapToLong(StateCount::count)
                    .sum();
            tallies.add(new Tally(ns, Math.max(listed, counted), mine.stream().mapToLong(StateCount::count).sum()));
        }
        tallies.sort(Comparator.comparing((Tally t) -> t.ns().key() != NetNamespace.HOST_KEY)
                .thenComparing(Comparator.comparingLong(Tally::notable).reversed())
                .thenComparing(Comparator.comparingLong(Tally::sockets).reversed())
                .thenComparing(t -> t.ns().name()));

        long wanted = focus == null ? NetNamespace.HOST_KEY : focus;
        List<Tally> drawn = new ArrayList<>();
        for (Tally t : tallies) {
            boolean host = t.ns().key() == NetNamespace.HOST_KEY;
            if (host || t.ns().key() == wanted || (t.notable() > 0 && drawn.size() < OPEN)) {
                drawn.add(t);
            }
        }
        Map<Long, StateChart.Chart> charts = StateChart.renderEach(series,
                drawn.stream().map(t -> t.ns().key()).toList(), 760, 240, dev.linger.i18n.RequestLanguage.currentLocale());

        List<Group> open = new ArrayList<>();
        List<Group> busy = new ArrayList<>();
        List<Group> quiet = new ArrayList<>();
        for (Tally t : tallies) {
            NetNamespace ns = t.ns();
            long key = ns.key();
            if (drawn.contains(t)) {
                List<StateCount> counts = states.getOrDefault(key, List.of()).stream()
                        .sorted(Comparator.comparing((StateCount c) -> StateChart.QUIET.contains(c.state()))
                                .thenComparing(Comparator.comparingLong(StateCount::count).reversed()))
                        .limit(60).toList();
                boolean focused = key == wanted;
                List<dev.linger.collect.SocketGroup> mine = new ArrayList<>(grouped.getOrDefault(key, List.of()));
                mine.sort(GroupRow.WORST_FIRST);
                String chosen = focused && group != null && mine.stream()
                        .anyMatch(g -> GroupRow.id(g.key()).equals(group)) ? group : null;
                List<GroupRow> rows = mine.stream().limit(GROUPS_SHOWN)
                        .map(g -> new GroupRow(g, hostId, GroupRow.id(g.key()).equals(chosen))).toList();
                List<NotableSocket> samples = sockets.getOrDefault(key, List.of());
                if (chosen != null) {
                    java.util.Set<StateCount> counted = new java.util.HashSet<>();
                    for (StateCount c : states.getOrDefault(key, List.of())) {
                        if (c.count() > 0) {
                            counted.add(new StateCount(c.port(), c.remote(), c.state(), 0, c.netns()));
                        }
                    }
                    samples = samples.stream().filter(k -> GroupRow.id(GroupRow.keyOf(k, counted)).equals(chosen))
                            .toList();
                }
                SocketTable.Page table = SocketTable.page(samples, focused ? sort : null,
                        focused ? dir : null, focused ? page : null, key, chosen);
                open.add(new Group(key, ns, heading(ns, texts), kind(ns, texts), t.notable(), t.sockets(), true, counts,
                        table, charts.get(key), sysctls(s, ns), rows, Math.max(0, mine.size() - GROUPS_SHOWN)));
            } else {
                (t.notable() > 0 ? busy : quiet).add(new Group(key, ns, heading(ns, texts), kind(ns, texts),
                        t.notable(), t.sockets(), false, null, null, null, null, null, 0));
            }
        }
        return new Groups(open, busy, quiet);
    }

    /**
     * The sysctls to show: the host's own from the snapshot; a container's those read inside it (none when the
     * collector did not read them). {@code tcp_max_orphans} exists only in the host's namespace.
     */
    static Map<String, String> sysctls(SnapshotView s, NetNamespace ns) {
        if (ns.key() == NetNamespace.HOST_KEY) {
            return s.sysctls();
        }
        Map<String, String> own = new LinkedHashMap<>(ns.sysctls());
        own.remove(ORPHAN_LIMIT);
        return own;
    }

    /** What people call it: "host", "ip netns NAME", "container NAME (ID)", "pod NAME (uid …)" or net:[inode]. */
    public static String heading(NetNamespace ns, HostMessages texts) {
        String name = bounded(ns.name());
        String unknown = "net:[" + ns.inode() + "]";
        return switch (ns.kind()) {
            case HOST -> texts.nsHost();
            case NETNS -> name.equals(unknown) ? unknown : texts.nsNetns(name);
            case CONTAINER -> ns.shortId() == null ? texts.nsContainerNoId(name)
                    : name.equals(ns.shortId()) || name.equals(unknown) ? texts.nsContainerNoName(bounded(ns.shortId()))
                            : texts.nsContainer(name, bounded(ns.shortId()));
            case POD -> texts.nsPod(name, ns.pod() == null ? "?" : shortUid(ns.pod()));
        };
    }

    public static String kind(NetNamespace ns, HostMessages texts) {
        return switch (ns.kind()) {
            case HOST -> texts.kindHost();
            case NETNS -> texts.kindNetns();
            case CONTAINER -> texts.kindContainer();
            case POD -> texts.kindPod();
        };
    }

    /** A pod uid is 36 characters: its first 8 tell pods apart on one node, as short container ids do. */
    static String shortUid(String uid) {
        String b = bounded(uid);
        return b.length() > 8 ? b.substring(0, 8) + "…" : b;
    }

    /**
     * A name reported by a host, safe to show: control and invisible formatting characters (which could fake a
     * line break or reverse the text) become U+FFFD, and it is cut to {@link #NAME_LIMIT} characters.
     */
    public static String bounded(String name) {
        if (name == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        int shown = 0;
        for (int i = 0; i < name.length();) {
            int cp = name.codePointAt(i);
            i += Character.charCount(cp);
            if (shown == NAME_LIMIT) {
                b.append('…');
                break;
            }
            int type = Character.getType(cp);
            boolean hidden = Character.isISOControl(cp) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE
                    || type == Character.UNASSIGNED || type == Character.PRIVATE_USE;
            b.appendCodePoint(hidden ? 0xFFFD : cp);
            shown++;
        }
        return b.toString();
    }
}
