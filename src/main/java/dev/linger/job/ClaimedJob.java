package dev.linger.job;

import java.util.Map;

import dev.linger.transport.HostTarget;

/**
 * A job a worker has claimed, with what it needs to run it: the claim returns all of it, the host's address
 * included, so starting costs no second read. {@code target} is null when the host was removed.
 */
record ClaimedJob(long id, Long hostId, Long incidentId, Long rollbackOf, long runbookVersionId,
        Map<String, String> params, boolean overrideDrift, HostTarget target,
        Map<Integer, ProcessIdentity> processes, JobNamespace netns) {
}
