package dev.linger.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.persistence.EntityManager;

import com.fasterxml.jackson.core.type.TypeReference;

import dev.linger.JsonText;
import dev.linger.SqlTimes;
import dev.linger.i18n.Text;
import dev.linger.runbook.Risk;

/** The read queries behind {@link JobView}: one job whole, or lists without their logs. */
final class JobReads {

    private static final String SELECT = """
            SELECT j.id, j.status, r.slug, v.version, v.title, j.risk, j.host_id, j.host_name, j.incident_id,
                   j.rollback_of, j.params::text, j.reason, j.requested_by, j.created_at, j.expires_at, j.queued_at,
                   j.started_at, j.finished_at, j.outcome::text, j.override_drift, j.plan_hash, j.plan::text,
                   j.override_reason, j.start_now_by, j.start_now_reason, j.start_now_at,
                   h.maintenance_start_minute, h.maintenance_end_minute, h.archived_at IS NOT NULL, j.netns,
                   j.namespace::text
              FROM job j JOIN runbook_version v ON v.id = j.runbook_version_id JOIN runbook r ON r.id = j.runbook_id
              LEFT JOIN host h ON h.id = j.host_id
            """;

    private JobReads() {
    }

    static Optional<JobView> get(EntityManager em, JsonText json, long id, java.time.Instant now) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(SELECT + " WHERE j.id = ?1").setParameter(1, id).getResultList();
        return rows.stream().findFirst().map(r -> view(em, json, r, true, now));
    }

    /** @param decider when given, only pending jobs this person may still decide on */
    static List<JobView> list(EntityManager em, JsonText json, String status, Long hostId, String runbook,
            String decider, int limit, java.time.Instant now) {
        StringBuilder where = new StringBuilder(" WHERE true");
        List<Object> args = new ArrayList<>();
        if (status != null) {
            args.add(status);
            where.append(" AND j.status = ?").append(args.size());
        }
        if (hostId != null) {
            args.add(hostId);
            where.append(" AND j.host_id = ?").append(args.size());
        }
        if (runbook != null) {
            args.add(runbook);
            where.append(" AND r.slug = ?").append(args.size());
        }
        if (decider != null) {
            args.add(decider);
            int p = args.size();
            where.append(" AND j.requested_by <> ?").append(p).append(" AND NOT EXISTS (SELECT 1 FROM job_approval a")
                    .append(" WHERE a.job_id = j.id AND a.plan_hash = j.plan_hash AND a.approver = ?").append(p)
                    .append(")");
        }
        var q = em.createNativeQuery(SELECT + where + " ORDER BY j.id DESC LIMIT " + Math.max(1, Math.min(limit, 500)));
        for (int i = 0; i < args.size(); i++) {
            q.setParameter(i + 1, args.get(i));
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = q.getResultList();
        return rows.stream().map(r -> view(em, json, r, false, now)).toList();
    }

    private static JobView view(EntityManager em, JsonText json, Object[] r, boolean whole, java.time.Instant now) {
        long id = ((Number) r[0]).longValue();
        Risk risk = Risk.valueOf((String) r[5]);
        String hash = (String) r[20];
        List<JobView.Approval> approvals = approvals(em, id, hash);
        return new JobView(id, (String) r[1], (String) r[2], ((Number) r[3]).intValue(), (String) r[4], risk.name(),
                r[6] == null ? null : ((Number) r[6]).longValue(), (String) r[7],
                r[8] == null ? null : ((Number) r[8]).longValue(), r[9] == null ? null : ((Number) r[9]).longValue(),
                json.read((String) r[10], new TypeReference<Map<String, String>>() {
                }), (String) r[11], (String) r[12], at(r[13]), at(r[14]),
                at(r[15]), at(r[16]), at(r[17]), Text.fromJson((String) r[18]),
                (Boolean) r[19], hash, whole ? json.read((String) r[21], new TypeReference<Map<String, Object>>() {
                }) : Map.of(), approvals, whole ? steps(em, id) : List.of(), whole ? changes(em, id) : List.of(),
                JobService.needed(risk, r[22] != null), risk == Risk.CRITICAL, whole ? rollbacks(em, id) : List.of(),
                (String) r[22], (String) r[23], (String) r[24], at(r[25]),
                MaintenanceWindow.startsAt((String) r[1], risk.name(), MaintenanceWindow.of(integer(r[26]),
                        integer(r[27])), at(r[25]), now), Boolean.TRUE.equals(r[28]), ((Number) r[29]).longValue(),
                r[30] == null ? null : json.read((String) r[30], new TypeReference<Map<String, Object>>() {
                }));
    }

    private static List<JobView.Approval> approvals(EntityManager em, long id, String hash) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                SELECT approver, decision, comment, admin, plan_hash = ?2, at FROM job_approval WHERE job_id = ?1
                 ORDER BY at
                """).setParameter(1, id).setParameter(2, hash).getResultList();
        return rows.stream().map(a -> new JobView.Approval((String) a[0], (String) a[1], (String) a[2], (Boolean) a[3],
                (Boolean) a[4], at(a[5]))).toList();
    }

    private static List<JobView.StepLog> steps(EntityManager em, long id) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                SELECT n, type, command, status, exit_code, stdout, stderr, message::text, progress::text, confirmed_by,
                       started_at, finished_at
                  FROM job_step WHERE job_id = ?1 ORDER BY n
                """).setParameter(1, id).getResultList();
        return rows.stream().map(s -> new JobView.StepLog(((Number) s[0]).intValue(), (String) s[1], (String) s[2],
                (String) s[3], s[4] == null ? null : ((Number) s[4]).intValue(), (String) s[5], (String) s[6],
                Text.fromJson((String) s[7]), Text.fromJson((String) s[8]), (String) s[9], at(s[10]), at(s[11])))
                .toList();
    }

    private static List<JobView.SysctlChange> changes(EntityManager em, long id) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                SELECT id, step_n, key, before, intended, after, persistent, file, recorded_at, confirmed_at,
                       rolled_back_at, rolled_back_by
                  FROM sysctl_change WHERE job_id = ?1 ORDER BY id
                """).setParameter(1, id).getResultList();
        return rows.stream().map(c -> new JobView.SysctlChange(((Number) c[0]).longValue(), ((Number) c[1]).intValue(),
                (String) c[2], (String) c[3], (String) c[4], (String) c[5], (Boolean) c[6], (String) c[7],
                at(c[8]), at(c[9]), at(c[10]),
                c[11] == null ? null : ((Number) c[11]).longValue())).toList();
    }

    private static Integer integer(Object value) {
        return value == null ? null : ((Number) value).intValue();
    }

    /** A timestamp that may be null (not queued yet, not finished yet). */
    private static java.time.Instant at(Object value) {
        return value == null ? null : SqlTimes.instant(value);
    }

    private static List<Long> rollbacks(EntityManager em, long id) {
        @SuppressWarnings("unchecked")
        List<Number> rows = em.createNativeQuery("SELECT id FROM job WHERE rollback_of = ?1 ORDER BY id")
                .setParameter(1, id).getResultList();
        return rows.stream().map(Number::longValue).toList();
    }
}
