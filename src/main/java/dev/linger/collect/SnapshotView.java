package dev.linger.collect;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One stored collection as pages and the API read it. {@code groups} count every notable socket; {@code sockets}
 * are their samples (every notable socket for snapshots stored before groups). Both are empty once downsampled.
 * {@code socketCount} is the number of notable sockets.
 */
public record SnapshotView(long id, long hostId, Instant takenAt, long durationMs, String source,
        List<CollectorOutput.StateCount> states, List<CollectorOutput.NotableSocket> sockets, int socketCount,
        Map<String, String> sysctls, CollectorOutput.Sockstat sockstat, List<CollectorOutput.ProcessInfo> processes,
        List<String> problems, boolean detail, List<NetNamespace> namespaces, List<SocketGroup> groups) {

    public SnapshotView {
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
        groups = groups == null ? SocketGroups.of(sockets == null ? List.of() : sockets, states == null ? List.of() : states)
                : List.copyOf(groups);
    }

    /** A snapshot whose groups are made from every notable socket it lists. */
    public SnapshotView(long id, long hostId, Instant takenAt, long durationMs, String source,
            List<CollectorOutput.StateCount> states, List<CollectorOutput.NotableSocket> sockets, int socketCount,
            Map<String, String> sysctls, CollectorOutput.Sockstat sockstat,
            List<CollectorOutput.ProcessInfo> processes, List<String> problems, boolean detail,
            List<NetNamespace> namespaces) {
        this(id, hostId, takenAt, durationMs, source, states, sockets, socketCount, sysctls, sockstat, processes,
                problems, detail, namespaces, null);
    }

    public SnapshotView(long id, long hostId, Instant takenAt, long durationMs, String source,
            List<CollectorOutput.StateCount> states, List<CollectorOutput.NotableSocket> sockets, int socketCount,
            Map<String, String> sysctls, CollectorOutput.Sockstat sockstat,
            List<CollectorOutput.ProcessInfo> processes, List<String> problems, boolean detail) {
        this(id, hostId, takenAt, durationMs, source, states, sockets, socketCount, sysctls, sockstat, processes,
                problems, detail, List.of(), null);
    }

    /** The namespace with this key; the host's own when the snapshot predates namespaces or lacks it. */
    public NetNamespace namespace(long key) {
        for (NetNamespace ns : namespaces) {
            if (ns.key() == key) {
                return ns;
            }
        }
        return key == NetNamespace.HOST_KEY ? NetNamespace.host(0)
                : new NetNamespace(key, NetNamespace.Kind.NETNS, null, null, null, null, 0, Map.of(), 0);
    }

    /**
     * This snapshot as seen from one namespace: only its counts and sockets, and its own sysctls (for any namespace
     * but the host's own, {@code tcp_max_orphans} is missing: it exists only in the initial namespace).
     */
    public SnapshotView within(long key) {
        Map<String, String> scopedSysctls = sysctls;
        if (key != NetNamespace.HOST_KEY) {
            scopedSysctls = new java.util.LinkedHashMap<>(namespace(key).sysctls());
            scopedSysctls.put(MAX_ORPHANS, null);
        }
        return new SnapshotView(id, hostId, takenAt, durationMs, source,
                states.stream().filter(c -> c.netns() == key).toList(),
                sockets.stream().filter(so -> so.netns() == key).toList(), socketCount, scopedSysctls, sockstat,
                processes, problems, detail, namespaces, groups.stream().filter(g -> g.netns() == key).toList());
    }

    private static final String MAX_ORPHANS = "net.ipv4.tcp_max_orphans";
}
