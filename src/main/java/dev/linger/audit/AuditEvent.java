package dev.linger.audit;

import java.time.Instant;

/** One stored audit event, as read back for pages, the API and the verifier. */
public record AuditEvent(long seq, Instant at, String actor, String action, String subjectType, String subjectId,
        String details, String prevHash, String hash) {
}
