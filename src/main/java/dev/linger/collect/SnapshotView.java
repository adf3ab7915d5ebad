package dev.linger.collect;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One stored collection as pages and the API read it. {@code sockets} is empty once downsampled. */
public record SnapshotView(long id, long hostId, Instant takenAt, long durationMs, String source,
        List<CollectorOutput.StateCount> states, List<CollectorOutput.NotableSocket> sockets, int socketCount,
        Map<String, String> sysctls, CollectorOutput.Sockstat sockstat, List<CollectorOutput.ProcessInfo> processes,
        List<String> problems, boolean detail, List<NetNamespace> namespaces) {

    public SnapshotView {
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
    }

    public SnapshotView(long id, long hostId, Instant takenAt, long durationMs, String source,
            List<CollectorOutput.StateCount> states, List<CollectorOutput.NotableSocket> sockets, int socketCount,
            Map<String, String> sysctls, CollectorOutput.Sockstat sockstat,
            List<CollectorOutput.ProcessInfo> processes, List<String> problems, boolean detail) {
        this(id, hostId, takenAt, durationMs, source, states, sockets, socketCount, sysctls, sockstat, processes,
                problems, detail, List.of());
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
}
