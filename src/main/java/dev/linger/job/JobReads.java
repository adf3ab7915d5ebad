package dev.linger.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.persistence.EntityManager;

import com.fasterxml.jackson.core.type.TypeReference;

import dev.linger.JsonText;
import dev.linger.Row;
import dev.linger.i18n.Text;
import dev.linger.runbook.Risk;

/** The read queries behind {@link JobView}: one job whole, or lists without their logs. */
final class JobReads {

    private static final String SELECT = """
            SELECT j.id, j.status, r.slug, v.version, v.title, j.risk, j.host_id, j.host_name, j.incident_id,
                   j.rollback_of, j.params::text AS params, j.reason, j.requested_by, j.created_at, j.expires_at,
                   j.queued_at, j.started_at, j.finished_at, j.outcome::text AS outcome, j.override_drift, j.plan_hash,
                   j.plan::text AS plan, j.override_reason, j.start_now_by, j.start_now_reason, j.start_now_at,
                   h.maintenance_start_minute, h.maintenance_end_minute, h.archived_at IS NOT NULL AS host_archived,
                   j.netns, j.namespace::text AS namespace
              FROM job j JOIN runbook_version v ON v.id = j.runbook_version_id JOIN runbook r ON r.id = j.runbook_id
              LEFT JOIN host h ON h.id = j.host_id
            """;

    private JobReads() {
    }

    static Optional<JobView> get(EntityManager em, JsonText json, long id, java.time.Instant now) {
        return Row.first(Row.query(em, SELECT + " WHERE j.id = ?1").setParameter(1, id))
                .map(r -> view(em, json, r, true, now));
    }

    /** @param decider when given, only pending jobs this person may still decide on */
    static List<JobView> list(EntityManager em, JsonText json, String status, Long hostId, String runbook,
            String decider, int limit, java.time.Instant now) {
        return list(em, json, status, hostId, runbook, decider, null, null, limit, now);
    }

    /** As above, created in [{@code from}, {@code to}) where given. */
    static List<JobView> list(EntityManager em, JsonText json, String status, Long hostId, String runbook,
            String decider, java.time.Instant from, java.time.Instant to, int limit, java.time.Instant now) {
        StringBuilder where = new StringBuilder(" WHERE true");
        List<Object> args = new ArrayList<>();
        if (from != null) {
            args.add(dev.linger.SqlTimes.utc(from));
            where.append(" AND j.created_at >= ?").append(args.size());
        }
        if (to != null) {
            args.add(dev.linger.SqlTimes.utc(to));
            where.append(" AND j.created_at < ?").append(args.size());
        }
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
        var q = Row.query(em, SELECT + where + " ORDER BY j.id DESC LIMIT " + Math.max(1, Math.min(limit, 500)));
        for (int i = 0; i < args.size(); i++) {
            q.setParameter(i + 1, args.get(i));
        }
        return Row.list(q).stream().map(r -> view(em, json, r, false, now)).toList();
    }

    private static JobView view(EntityManager em, JsonText json, Row r, boolean whole, java.time.Instant now) {
        long id = r.longValue("id");
        String status = r.string("status");
        Risk risk = Risk.valueOf(r.string("risk"));
        String hash = r.string("plan_hash");
        String overrideReason = r.string("override_reason");
        java.time.Instant startNowAt = r.instant("start_now_at");
        return new JobView(id, status, r.string("slug"), r.intValue("version"), r.string("title"), risk.name(),
                r.nullableLong("host_id"), r.string("host_name"), r.nullableLong("incident_id"),
                r.nullableLong("rollback_of"), json.read(r.string("params"), PARAMS), r.string("reason"),
                r.string("requested_by"), r.instant("created_at"), r.instant("expires_at"), r.instant("queued_at"),
                r.instant("started_at"), r.instant("finished_at"), Text.fromJson(r.string("outcome")),
                r.bool("override_drift"), hash, whole ? json.read(r.string("plan"), MAP) : Map.of(),
                approvals(em, id, hash), whole ? steps(em, id) : List.of(), whole ? changes(em, id) : List.of(),
                JobService.needed(risk, overrideReason != null), risk == Risk.CRITICAL,
                whole ? rollbacks(em, id) : List.of(), overrideReason, r.string("start_now_by"),
                r.string("start_now_reason"), startNowAt,
                MaintenanceWindow.startsAt(status, risk.name(), MaintenanceWindow.of(
                        r.nullableInt("maintenance_start_minute"), r.nullableInt("maintenance_end_minute")),
                        startNowAt, now),
                Boolean.TRUE.equals(r.nullableBool("host_archived")), r.longValue("netns"),
                r.isNull("namespace") ? null : json.read(r.string("namespace"), MAP));
    }

    private static final TypeReference<Map<String, String>> PARAMS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private static List<JobView.Approval> approvals(EntityManager em, long id, String hash) {
        return Row.list(Row.query(em, """
                SELECT approver, decision, comment, admin, plan_hash = ?2 AS on_current_plan, at FROM job_approval
                 WHERE job_id = ?1 ORDER BY at
                """).setParameter(1, id).setParameter(2, hash)).stream()
                .map(a -> new JobView.Approval(a.string("approver"), a.string("decision"), a.string("comment"),
                        a.bool("admin"), a.bool("on_current_plan"), a.instant("at"))).toList();
    }

    private static List<JobView.StepLog> steps(EntityManager em, long id) {
        return Row.list(Row.query(em, """
                SELECT n, type, command, status, exit_code, stdout, stderr, message::text AS message,
                       progress::text AS progress, confirmed_by, started_at, finished_at
                  FROM job_step WHERE job_id = ?1 ORDER BY n
                """).setParameter(1, id)).stream()
                .map(s -> new JobView.StepLog(s.intValue("n"), s.string("type"), s.string("command"),
                        s.string("status"), s.nullableInt("exit_code"), s.string("stdout"), s.string("stderr"),
                        Text.fromJson(s.string("message")), Text.fromJson(s.string("progress")),
                        s.string("confirmed_by"), s.instant("started_at"), s.instant("finished_at"))).toList();
    }

    private static List<JobView.SysctlChange> changes(EntityManager em, long id) {
        return Row.list(Row.query(em, """
                SELECT id, step_n, key, before, intended, after, persistent, file, recorded_at, confirmed_at,
                       rolled_back_at, rolled_back_by
                  FROM sysctl_change WHERE job_id = ?1 ORDER BY id
                """).setParameter(1, id)).stream()
                .map(c -> new JobView.SysctlChange(c.longValue("id"), c.intValue("step_n"), c.string("key"),
                        c.string("before"), c.string("intended"), c.string("after"), c.bool("persistent"),
                        c.string("file"), c.instant("recorded_at"), c.instant("confirmed_at"),
                        c.instant("rolled_back_at"), c.nullableLong("rolled_back_by"))).toList();
    }

    private static List<Long> rollbacks(EntityManager em, long id) {
        @SuppressWarnings("unchecked")
        List<Number> rows = em.createNativeQuery("SELECT id FROM job WHERE rollback_of = ?1 ORDER BY id")
                .setParameter(1, id).getResultList();
        return rows.stream().map(Number::longValue).toList();
    }
}
