package dev.linger.job;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A job as pages and the API show it. {@code overrideReason}: why the proposer overrode a failed check (one more
 * approval is needed). {@code startsAt}: when an approved job that waits for its host's maintenance window will
 * start, null when it does not wait; {@code startNow…}: the approver who started it ahead of the window.
 * {@code netns}: the network namespace every command runs in (0 = the host's own); {@code namespace}: what it was when
 * the job was proposed ({inode, kind, name, containerId, shortId, pod, bootId}), null for the host's own.
 */
public record JobView(long id, String status, String runbook, int runbookVersion, String runbookTitle, String risk,
        Long hostId, String hostName, Long incidentId, Long rollbackOf, Map<String, String> params, String reason,
        String requestedBy, Instant createdAt, Instant expiresAt, Instant queuedAt, Instant startedAt,
        Instant finishedAt, String outcome, boolean overrideDrift, String planHash, Map<String, Object> plan,
        List<Approval> approvals, List<StepLog> steps, List<SysctlChange> sysctlChanges, int approvalsNeeded,
        boolean adminNeeded, List<Long> rollbacks, String overrideReason, String startNowBy, String startNowReason,
        Instant startNowAt, Instant startsAt, boolean hostArchived, long netns, Map<String, Object> namespace) {

    public record Approval(String approver, String decision, String comment, boolean admin, boolean current,
            Instant at) {
    }

    public record StepLog(int n, String type, String command, String status, Integer exitCode, String stdout,
            String stderr, String message, String progress, String confirmedBy, Instant startedAt,
            Instant finishedAt) {
    }

    public record SysctlChange(long id, int step, String key, String before, String intended, String after,
            boolean persistent, String file, Instant recordedAt, Instant confirmedAt, Instant rolledBackAt,
            Long rolledBackBy) {
    }

    public boolean terminal() {
        return JobStatus.valueOf(status).terminal();
    }

    /** An approved job held back by its host's maintenance window. */
    public boolean waitingForWindow() {
        return startsAt != null;
    }

    /** "container web-1 (1a2b3c4d5e6f)" and the like for a job inside a namespace; null for the host's own. */
    public String namespaceShown() {
        if (netns == 0 || namespace == null) {
            return null;
        }
        Object kind = namespace.get("kind");
        Object name = namespace.get("name");
        Object shortId = namespace.get("shortId");
        String k = "CONTAINER".equals(kind) ? "container " : "POD".equals(kind) ? "pod " : "";
        return k + name + (shortId == null ? "" : " (" + shortId + ")");
    }

    public boolean pending() {
        return "PENDING_APPROVAL".equals(status);
    }

    /** Approvals that count: decisions on the current plan. */
    public long currentApprovals() {
        return approvals.stream().filter(a -> a.current() && "APPROVE".equals(a.decision())).count();
    }
}
