package dev.linger.runbook;

/** How much a runbook can hurt; it sets how many approvers a job needs. */
public enum Risk {
    LOW, HIGH, CRITICAL
}
