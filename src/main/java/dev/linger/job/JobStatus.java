package dev.linger.job;

import java.util.Set;

/** The life of a job; the database's CHECK constraint holds the same list. */
public enum JobStatus {
    PENDING_APPROVAL, QUEUED, RUNNING, SUCCEEDED, FAILED, REJECTED, EXPIRED, CANCELLED, INTERRUPTED;

    static final Set<JobStatus> TERMINAL = Set.of(SUCCEEDED, FAILED, REJECTED, EXPIRED, CANCELLED, INTERRUPTED);

    /** Jobs whose recorded changes a rollback can undo. */
    static final Set<JobStatus> ROLLBACK_FROM = Set.of(SUCCEEDED, FAILED, INTERRUPTED);

    public boolean terminal() {
        return TERMINAL.contains(this);
    }
}
