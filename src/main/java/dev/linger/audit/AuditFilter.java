package dev.linger.audit;

/**
 * What the audit list and export are narrowed to. Blank fields match everything; {@code beforeSeq}
 * and {@code afterSeq} page through the log by sequence number.
 */
public record AuditFilter(String actor, String action, String subjectType, String subjectId, Long beforeSeq,
        Long afterSeq) {

    public static AuditFilter all() {
        return new AuditFilter(null, null, null, null, null, null);
    }

    static boolean given(String value) {
        return value != null && !value.isBlank();
    }
}
