package dev.linger.job;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;

import dev.linger.JsonText;
import dev.linger.Row;
import dev.linger.SqlTimes;
import dev.linger.audit.AuditLog;
import dev.linger.i18n.Text;
import dev.linger.transport.HostTarget;

/**
 * The one owner of a job's state: every write to the {@code job} table is a named statement here, guarded by the
 * status it expects (and, once a worker runs the job, by that worker's lease), and audited in the same transaction
 * (design: River and db-scheduler keep their queues the same way). A guard that finds nothing means someone else
 * moved the job first; the caller is told, nothing is written.
 * <p>
 * People's transitions (propose, decide, cancel, start now) and the sweeper's join the caller's transaction; a
 * worker's (claim, finish) go through the {@link GroupCommit}, which only carries them to the database together.
 */
@ApplicationScoped
public class JobStates {

    /** The NOTIFY channel: a job became claimable (queued, or started early). */
    static final String CHANNEL = "linger_jobs";

    private final EntityManager em;
    private final DataSource dataSource;
    private final GroupCommit commits;
    private final AuditLog audit;
    private final JsonText json;
    private final Clock clock;

    JobStates(EntityManager em, DataSource dataSource, GroupCommit commits, AuditLog audit, JsonText json,
            Clock clock) {
        this.em = em;
        this.dataSource = dataSource;
        this.commits = commits;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
    }

    /** What a new job is made of; it starts PENDING_APPROVAL. */
    record NewJob(long runbookVersionId, long hostId, String hostName, Long incidentId, Long rollbackOf, String risk,
            String params, String reason, String requestedBy, String plan, String planHash, Instant expiresAt,
            String overrideReason, long netns, String netnsBoot, String namespace) {
    }

    /** The fields of a locked job that the people's transitions judge. */
    record Locked(String status, String requestedBy, String planHash, String risk, Instant expiresAt, Long rollbackOf,
            String overrideReason) {
    }

    // ---- people's transitions: in the caller's transaction ----

    /** Stores a proposed job, PENDING_APPROVAL, with its audit event ({@code details}). */
    @Transactional(Transactional.TxType.MANDATORY)
    long propose(NewJob j, String action, Map<String, Object> details) {
        Instant now = clock.instant();
        long id = ((Number) em.createNativeQuery("""
                INSERT INTO job (runbook_version_id, runbook_id, host_id, host_name, incident_id, rollback_of, risk,
                                 params, reason, requested_by, plan, plan_hash, status, created_at, expires_at,
                                 override_reason, netns, netns_boot, namespace)
                SELECT v.id, v.runbook_id, ?2, ?3, ?4, ?5, ?6, CAST(?7 AS jsonb), ?8, ?9, CAST(?10 AS jsonb), ?11,
                       'PENDING_APPROVAL', ?12, ?13, ?14, ?15, ?16, CAST(?17 AS jsonb)
                  FROM runbook_version v WHERE v.id = ?1
                RETURNING id
                """).setParameter(1, j.runbookVersionId()).setParameter(2, j.hostId()).setParameter(3, j.hostName())
                .setParameter(4, j.incidentId()).setParameter(5, j.rollbackOf()).setParameter(6, j.risk())
                .setParameter(7, j.params()).setParameter(8, j.reason()).setParameter(9, j.requestedBy())
                .setParameter(10, j.plan()).setParameter(11, j.planHash()).setParameter(12, SqlTimes.utc(now))
                .setParameter(13, SqlTimes.utc(j.expiresAt())).setParameter(14, j.overrideReason())
                .setParameter(15, j.netns()).setParameter(16, j.netnsBoot()).setParameter(17, j.namespace())
                .getSingleResult()).longValue();
        audit.record(j.requestedBy(), action, "job", id, details);
        return id;
    }

    /** Locks the job's row for a decision on it; its fields as they are now. */
    @Transactional(Transactional.TxType.MANDATORY)
    Optional<Locked> lock(long id) {
        return Row.first(Row.query(em, """
                SELECT status, requested_by, plan_hash, risk, expires_at, rollback_of, override_reason
                  FROM job WHERE id = ?1 FOR UPDATE
                """).setParameter(1, id)).map(r -> new Locked(r.string("status"), r.string("requested_by"),
                r.string("plan_hash"), r.string("risk"), r.instant("expires_at"), r.nullableLong("rollback_of"),
                r.string("override_reason")));
    }

    /** Enough approvals: PENDING_APPROVAL → QUEUED, and a listening worker wakes at commit. */
    @Transactional(Transactional.TxType.MANDATORY)
    boolean queue(long id, String actor) {
        return move(id, JobStatus.PENDING_APPROVAL, JobStatus.QUEUED, null, actor);
    }

    /** An approver said no: PENDING_APPROVAL → REJECTED. */
    @Transactional(Transactional.TxType.MANDATORY)
    boolean reject(long id, String actor, Text why) {
        return move(id, JobStatus.PENDING_APPROVAL, JobStatus.REJECTED, why, actor);
    }

    /** Withdrawn before it started: PENDING_APPROVAL or QUEUED (whichever {@code from} the caller saw) → CANCELLED. */
    @Transactional(Transactional.TxType.MANDATORY)
    boolean cancel(long id, JobStatus from, String actor, Text why) {
        if (from != JobStatus.PENDING_APPROVAL && from != JobStatus.QUEUED) {
            throw new IllegalArgumentException("a " + from + " job cannot be cancelled");
        }
        return move(id, from, JobStatus.CANCELLED, why, actor);
    }

    /** A rollback's approver allows undoing values that drifted since; only while the job waits for decisions. */
    @Transactional(Transactional.TxType.MANDATORY)
    boolean allowDriftOverride(long id) {
        return em.createNativeQuery("""
                UPDATE job SET override_drift = true WHERE id = ?1 AND status = 'PENDING_APPROVAL'
                   AND rollback_of IS NOT NULL
                """).setParameter(1, id).executeUpdate() == 1;
    }

    /**
     * An approver starts a queued job now, before its host's maintenance window opens. Guarded by the status and by no
     * earlier "start now": a worker that claimed the job meanwhile, or a second approver, wins and this one changes
     * nothing.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    boolean startNow(long id, String actor, String reason, Map<String, Object> details) {
        int updated = em.createNativeQuery("""
                UPDATE job SET start_now_by = ?2, start_now_reason = ?3, start_now_at = ?4
                 WHERE id = ?1 AND status = 'QUEUED' AND start_now_by IS NULL AND requested_by <> ?2
                """).setParameter(1, id).setParameter(2, actor).setParameter(3, reason)
                .setParameter(4, SqlTimes.utc(clock.instant())).executeUpdate();
        if (updated != 1) {
            return false;
        }
        audit.record(actor, "job.start_now", "job", id, details);
        notifyWorkers(id);
        return true;
    }

    // ---- the sweeper's transitions ----

    /** PENDING_APPROVAL jobs past their time → EXPIRED. */
    @Transactional
    public int expire() {
        @SuppressWarnings("unchecked")
        List<Number> ids = em.createNativeQuery("""
                UPDATE job SET status = 'EXPIRED', finished_at = ?1, outcome = '{"key":"run.expired","args":[]}'
                 WHERE status = 'PENDING_APPROVAL' AND expires_at < ?1 RETURNING id
                """).setParameter(1, SqlTimes.utc(clock.instant())).getResultList();
        ids.forEach(i -> audit.record(AuditLog.SYSTEM, "job.expired", "job", i.longValue(), Map.of()));
        return ids.size();
    }

    /**
     * RUNNING jobs whose worker stopped renewing its lease → INTERRUPTED; people decide what comes next. The step that
     * was running ends with its job: the lost worker will never record its end.
     */
    @Transactional
    public int sweepLost() {
        @SuppressWarnings("unchecked")
        List<Number> ids = em.createNativeQuery("""
                WITH lost AS (
                    UPDATE job SET status = 'INTERRUPTED', finished_at = ?1, lease_owner = NULL, lease_until = NULL,
                           outcome = jsonb_build_object('key', 'run.lost', 'args', jsonb_build_array(
                                     to_char(lease_until AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')))
                     WHERE status = 'RUNNING' AND lease_until < ?1 RETURNING id),
                steps AS (
                    UPDATE job_step s SET status = 'INTERRUPTED', finished_at = ?1,
                           message = '{"key":"run.stepLost","args":[]}'
                      FROM lost WHERE s.job_id = lost.id AND s.status = 'RUNNING')
                SELECT id FROM lost
                """).setParameter(1, SqlTimes.utc(clock.instant())).getResultList();
        ids.forEach(i -> audit.record(AuditLog.SYSTEM, "job.interrupted", "job", i.longValue(), Map.of()));
        return ids.size();
    }

    // ---- a worker's transitions: through the group commit, guarded by the lease ----

    /**
     * QUEUED → RUNNING for up to {@code max} of the oldest queued jobs that may start now, each on a different host:
     * its host runs no other job, a HIGH or CRITICAL job only inside its host's maintenance window (or when an
     * approver started it now), and its runbook stays within its runs per hour (counting the ones claimed here). One
     * statement serves a whole round of free workers. The unique index on running jobs per host settles a race with
     * another instance (the claim then fails and is simply tried again). Returns what the workers need to run them,
     * their hosts' addresses included, so starting costs no second read.
     */
    List<ClaimedJob> claim(String owner, int max, Duration lease) {
        return commits.write((c, events) -> {
            Instant now = clock.instant();
            ZonedDateTime utc = now.atZone(ZoneOffset.UTC);
            List<ClaimedJob> claimed = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
                ps.setObject(1, SqlTimes.utc(now));
                ps.setInt(2, utc.getHour() * 60 + utc.getMinute());
                ps.setInt(3, max);
                ps.setInt(4, max);
                ps.setString(5, owner);
                ps.setDouble(6, lease.toMillis() / 1000.0);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        claimed.add(claimed(rs));
                    }
                }
            }
            claimed.sort(Comparator.comparingLong(ClaimedJob::id));
            for (ClaimedJob job : claimed) {
                events.add(new AuditLog.Entry(AuditLog.SYSTEM, "job.running", "job", job.id(),
                        Map.of("worker", owner)));
            }
            return claimed;
        });
    }

    private ClaimedJob claimed(ResultSet rs) throws SQLException {
        Long hostId = nullableLong(rs, "host_id");
        HostTarget target = hostId == null || rs.getString("host_name") == null ? null
                : new HostTarget(hostId, rs.getString("host_name"), rs.getString("transport"),
                        rs.getString("address"), rs.getInt("ssh_port"), rs.getString("ssh_user"),
                        rs.getBoolean("sudo"), rs.getString("host_key_trusted"));
        String namespace = rs.getString("namespace");
        return new ClaimedJob(rs.getLong("id"), hostId, nullableLong(rs, "incident_id"),
                nullableLong(rs, "rollback_of"), rs.getLong("runbook_version_id"),
                json.read(rs.getString("params"), PARAMS), rs.getBoolean("override_drift"), target,
                processes(rs.getString("processes")), JobNamespace.of(rs.getLong("netns"),
                        rs.getString("netns_boot"), namespace == null ? null : json.read(namespace, NODE)));
    }

    /** Renews the lease; false when this worker no longer holds the job (it must stop touching it). */
    @Transactional
    public boolean heartbeat(long id, String owner, Duration lease) {
        return em.createNativeQuery("""
                UPDATE job SET lease_until = CAST(?3 AS timestamptz) + make_interval(secs => ?4)
                 WHERE id = ?1 AND lease_owner = ?2 AND status = 'RUNNING'
                """).setParameter(1, id).setParameter(2, owner).setParameter(3, SqlTimes.utc(clock.instant()))
                .setParameter(4, (double) lease.toMillis() / 1000).executeUpdate() == 1;
    }

    /** RUNNING → SUCCEEDED or FAILED; false when the lease was lost first (the sweeper's verdict stands). */
    public boolean finish(long id, String owner, JobStatus status, Text outcome) {
        if (status != JobStatus.SUCCEEDED && status != JobStatus.FAILED) {
            throw new IllegalArgumentException("a worker ends a job SUCCEEDED or FAILED, not " + status);
        }
        return commits.write(id, (c, events) -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE job SET status = ?, outcome = CAST(? AS jsonb), finished_at = ?, lease_owner = NULL,
                           lease_until = NULL
                     WHERE id = ? AND lease_owner = ? AND status = 'RUNNING'
                    """)) {
                ps.setString(1, status.name());
                ps.setString(2, outcome == null ? null : outcome.toJson());
                ps.setObject(3, SqlTimes.utc(clock.instant()));
                ps.setLong(4, id);
                ps.setString(5, owner);
                if (ps.executeUpdate() != 1) {
                    return false;
                }
            }
            events.add(new AuditLog.Entry(AuditLog.SYSTEM, "job." + status.name().toLowerCase(Locale.ROOT), "job",
                    id, JobAudit.outcome(outcome)));
            return true;
        });
    }

    /**
     * Whether this worker still holds the job and nobody asked it to stop. Asked before every step, so it is one
     * plain read on a connection of its own, outside any transaction.
     */
    public boolean holds(long id, String owner) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT stop_requested FROM job WHERE id = ? AND lease_owner = ? AND status = 'RUNNING'")) {
            ps.setLong(1, id);
            ps.setString(2, owner);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && !rs.getBoolean("stop_requested");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading job " + id + " failed", e);
        }
    }

    // ---- the one guarded status change behind the people's transitions ----

    private boolean move(long id, JobStatus from, JobStatus to, Text outcome, String actor) {
        Instant now = clock.instant();
        int n = em.createNativeQuery("""
                UPDATE job SET status = ?3, outcome = COALESCE(CAST(?4 AS jsonb), outcome),
                       queued_at = CASE WHEN ?3 = 'QUEUED' THEN ?5 ELSE queued_at END,
                       finished_at = CASE WHEN ?6 THEN ?5 ELSE finished_at END
                 WHERE id = ?1 AND status = ?2
                """).setParameter(1, id).setParameter(2, from.name()).setParameter(3, to.name())
                .setParameter(4, outcome == null ? null : outcome.toJson()).setParameter(5, SqlTimes.utc(now))
                .setParameter(6, to.terminal()).executeUpdate();
        if (n != 1) {
            return false;
        }
        if (to == JobStatus.QUEUED) {
            notifyWorkers(id);
        }
        audit.record(actor, "job." + to.name().toLowerCase(Locale.ROOT), "job", id, JobAudit.outcome(outcome));
        return true;
    }

    /** Delivered when the transaction commits: a listening worker claims at once. */
    private void notifyWorkers(long id) {
        em.createNativeQuery("SELECT CAST(pg_notify(?1, ?2) AS text)").setParameter(1, CHANNEL)
                .setParameter(2, String.valueOf(id)).getSingleResult();
    }

    private static final TypeReference<Map<String, String>> PARAMS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Object>> PROCESSES = new TypeReference<>() {
    };
    private static final TypeReference<JsonNode> NODE = new TypeReference<>() {
    };

    /** The plan's processes per SIGNAL_PROCESS step, as the claim returns them (null: the plan has none). */
    private Map<Integer, ProcessIdentity> processes(String stored) {
        if (stored == null) {
            return Map.of();
        }
        Map<Integer, ProcessIdentity> out = new HashMap<>();
        json.read(stored, PROCESSES).forEach((n, p) -> ProcessIdentity.fromPlan(p)
                .ifPresent(identity -> out.put(Integer.valueOf(n), identity)));
        return out;
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    /**
     * Parameters: now, the minute of the UTC day now (for maintenance windows), how many (twice), owner, lease
     * seconds. It reads the oldest queued jobs of free hosts that may start now from the queue's index (a HIGH job
     * waiting for its window does not hold up the LOW one behind it), a few times more than it needs so that several
     * hosts are among them (the oldest one always is: the queue moves), keeps each host's oldest, and locks only the
     * chosen rows; SKIP LOCKED passes over those another instance holds at this moment.
     */
    private static final String CLAIM = """
            WITH t AS (SELECT CAST(? AS timestamptz) AS now, CAST(? AS int) AS minute),
            oldest AS (
                SELECT j.id, j.host_id, j.runbook_id, j.queued_at
                  FROM job j
                  LEFT JOIN host h ON h.id = j.host_id
                  CROSS JOIN t
                 WHERE j.status = 'QUEUED'
                   AND NOT EXISTS (SELECT 1 FROM job o WHERE o.host_id = j.host_id AND o.status = 'RUNNING')
                   AND (j.risk = 'LOW' OR j.start_now_at IS NOT NULL OR h.maintenance_start_minute IS NULL
                        OR (h.maintenance_start_minute <= h.maintenance_end_minute
                            AND t.minute BETWEEN h.maintenance_start_minute AND h.maintenance_end_minute)
                        OR (h.maintenance_start_minute > h.maintenance_end_minute
                            AND (t.minute >= h.maintenance_start_minute OR t.minute <= h.maintenance_end_minute)))
                 ORDER BY j.queued_at, j.id
                 LIMIT 4 * ? + 16),
            heads AS (
                SELECT DISTINCT ON (host_id) * FROM oldest ORDER BY host_id, queued_at, id),
            allowed AS (
                SELECT e.id, e.runbook_id, e.queued_at, r.max_runs_per_hour,
                       row_number() OVER (PARTITION BY e.runbook_id ORDER BY e.queued_at, e.id) AS nth
                  FROM heads e
                  JOIN runbook r ON r.id = e.runbook_id),
            chosen AS (
                SELECT a.id FROM allowed a CROSS JOIN t
                 WHERE a.max_runs_per_hour IS NULL OR a.nth + (
                        SELECT count(*) FROM job s WHERE s.runbook_id = a.runbook_id
                           AND s.started_at > t.now - interval '1 hour') <= a.max_runs_per_hour
                 ORDER BY a.queued_at, a.id
                 LIMIT ?),
            locked AS (
                SELECT j.id FROM job j WHERE j.id IN (SELECT id FROM chosen) AND j.status = 'QUEUED'
                   FOR UPDATE OF j SKIP LOCKED),
            claimed AS (
                UPDATE job SET status = 'RUNNING', lease_owner = ?, lease_until = t.now + make_interval(secs => ?),
                       started_at = t.now
                  FROM t
                 WHERE job.id IN (SELECT id FROM locked)
                RETURNING job.id, job.host_id, job.incident_id, job.rollback_of, job.runbook_version_id,
                          job.params::text AS params, job.override_drift, (job.plan -> 'processes')::text AS processes,
                          job.netns, job.netns_boot, job.namespace::text AS namespace)
            SELECT c.id, c.host_id, c.incident_id, c.rollback_of, c.runbook_version_id, c.params, c.override_drift,
                   c.processes, h.name AS host_name, h.transport, h.address, h.ssh_port, h.ssh_user, h.sudo,
                   h.host_key_trusted, c.netns, c.netns_boot, c.namespace
              FROM claimed c LEFT JOIN host h ON h.id = c.host_id
            """;
}
