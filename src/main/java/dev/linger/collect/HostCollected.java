package dev.linger.collect;

import java.util.List;

import dev.linger.incident.Thresholds;

/**
 * A host's snapshot was stored: fired synchronously inside the transaction that stored it, so an observer
 * that writes (incident detection) commits or rolls back with the snapshot, and an observer's failure fails
 * the collection as if it had happened in the store itself.
 *
 * @param servicePorts the ports the host's admin named as its services, sorted; empty when none
 * @param thresholds   the host's detection thresholds (its own where set, else the configured ones)
 * @param snapshot     what was just stored, as detection reads it (its id is 0: detection needs no id)
 */
public record HostCollected(long hostId, String hostName, List<Integer> servicePorts, Thresholds thresholds,
        SnapshotView snapshot) {
}
