package dev.linger.collect;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One stored collection as pages and the API read it. {@code sockets} is empty once downsampled. */
public record SnapshotView(long id, long hostId, Instant takenAt, long durationMs, String source,
        List<CollectorOutput.StateCount> states, List<CollectorOutput.NotableSocket> sockets, int socketCount,
        Map<String, String> sysctls, CollectorOutput.Sockstat sockstat, List<CollectorOutput.ProcessInfo> processes,
        List<String> problems, boolean detail) {
}
