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
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.type.TypeReference;

import dev.linger.i18n.Text;
import dev.linger.JsonText;
import dev.linger.SqlTimes;
import dev.linger.audit.AuditLog;
import dev.linger.transport.HostTarget;

/**
 * The queue's named, guarded statements (design: db-scheduler and River). A claim is one
 * statement with FOR UPDATE SKIP LOCKED; every later write checks the lease owner, so a worker
 * that lost its lease cannot touch the job any more. Claims and finishes go through the
 * {@link JobJournal}, each with its audit event in the same (shared) transaction.
 */
@ApplicationScoped
public class JobQueue {

    private final EntityManager em;
    private final DataSource dataSource;
    private final JobJournal journal;
    private final JsonText json;
    private final Clock clock;

    JobQueue(EntityManager em, DataSource dataSource, JobJournal journal, JsonText json, Clock clock) {
        this.em = em;
        this.dataSource = dataSource;
        this.journal = journal;
        this.json = json;
        this.clock = clock;
    }

    /**
     * Claims up to {@code max} of the oldest queued jobs that may start now, each on a different
     * host: its host runs no other job, a HIGH or CRITICAL job only inside its host's maintenance
     * window (or when an approver started it now), and its runbook stays within its runs per hour (counting the ones claimed here). One
     * statement serves a whole round of free workers. The unique index on running jobs per host
     * settles a race with another instance (the claim then fails and is simply tried again).
     * Returns what the workers need to run them, their hosts' addresses included, so starting
     * costs no second read.
     */
    public List<JobService.Runnable> claim(String owner, int max, Duration lease) {
        return journal.write((c, events) -> {
            Instant now = clock.instant();
            ZonedDateTime utc = now.atZone(ZoneOffset.UTC);
            List<JobService.Runnable> claimed = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
                ps.setObject(1, SqlTimes.utc(now));
                ps.setInt(2, utc.getHour() * 60 + utc.getMinute());
                ps.setInt(3, max);
                ps.setInt(4, max);
                ps.setString(5, owner);
                ps.setDouble(6, lease.toMillis() / 1000.0);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Long hostId = nullableLong(rs, 2);
                        HostTarget target = hostId == null || rs.getString(9) == null ? null
                                : new HostTarget(hostId, rs.getString(9), rs.getString(10), rs.getString(11),
                                        rs.getInt(12), rs.getString(13), rs.getBoolean(14), rs.getString(15));
                        claimed.add(new JobService.Runnable(rs.getLong(1), hostId, nullableLong(rs, 3),
                                nullableLong(rs, 4), rs.getLong(5), json.read(rs.getString(6), PARAMS),
                                rs.getBoolean(7), target, processes(rs.getString(8)),
                                namespace(rs.getLong(16), rs.getString(17), rs.getString(18))));
                    }
                }
            }
            claimed.sort(Comparator.comparingLong(JobService.Runnable::id));
            for (JobService.Runnable job : claimed) {
                events.add(new AuditLog.Entry(AuditLog.SYSTEM, "job.running", "job", job.id(),
                        Map.of("worker", owner)));
            }
            return claimed;
        });
    }

    private static final TypeReference<Map<String, String>> PARAMS = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, Object>> PROCESSES = new TypeReference<>() {
    };
    private static final TypeReference<com.fasterxml.jackson.databind.JsonNode> NODE = new TypeReference<>() {
    };

    /** The plan's processes per SIGNAL_PROCESS step, as the claim returns them (null: the plan has none). */
    private Map<Integer, ProcessIdentity> processes(String stored) {
        if (stored == null) {
            return Map.of();
        }
        Map<Integer, ProcessIdentity> out = new java.util.HashMap<>();
        json.read(stored, PROCESSES).forEach((n, p) -> ProcessIdentity.fromPlan(p)
                .ifPresent(identity -> out.put(Integer.valueOf(n), identity)));
        return out;
    }

    /** The namespace the job acts in (null: the host's own), as its row keeps it. */
    private JobNamespace namespace(long netns, String boot, String stored) {
        return JobNamespace.of(netns, boot, stored == null ? null : json.read(stored, NODE));
    }

    /**
     * Parameters: now, the minute of the UTC day now (for maintenance windows), how many (twice),
     * owner, lease seconds. It reads the oldest queued jobs of free hosts from the queue's index, a
     * few times more than it needs so that several hosts are among them (the oldest one always is:
     * the queue moves), keeps each host's oldest, and locks only the chosen rows; SKIP LOCKED passes
     * over those another instance holds at this moment.
     */
    private static final String CLAIM = """
            WITH t AS (SELECT CAST(? AS timestamptz) AS now, CAST(? AS int) AS minute),
            oldest AS (
                SELECT j.id, j.host_id, j.runbook_id, j.queued_at, j.risk, j.start_now_at
                  FROM job j
                 WHERE j.status = 'QUEUED'
                   AND NOT EXISTS (SELECT 1 FROM job o WHERE o.host_id = j.host_id AND o.status = 'RUNNING')
                 ORDER BY j.queued_at, j.id
                 LIMIT 4 * ? + 16),
            heads AS (
                SELECT DISTINCT ON (host_id) * FROM oldest ORDER BY host_id, queued_at, id),
            allowed AS (
                SELECT e.id, e.runbook_id, e.queued_at, r.max_runs_per_hour,
                       row_number() OVER (PARTITION BY e.runbook_id ORDER BY e.queued_at, e.id) AS nth
                  FROM heads e
                  JOIN runbook r ON r.id = e.runbook_id
                  LEFT JOIN host h ON h.id = e.host_id
                  CROSS JOIN t
                 WHERE e.risk = 'LOW' OR e.start_now_at IS NOT NULL OR h.maintenance_start_minute IS NULL
                    OR (h.maintenance_start_minute <= h.maintenance_end_minute
                        AND t.minute BETWEEN h.maintenance_start_minute AND h.maintenance_end_minute)
                    OR (h.maintenance_start_minute > h.maintenance_end_minute
                        AND (t.minute >= h.maintenance_start_minute OR t.minute <= h.maintenance_end_minute))),
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
                       started_at = t.now, version = job.version + 1
                  FROM t
                 WHERE job.id IN (SELECT id FROM locked)
                RETURNING job.id, job.host_id, job.incident_id, job.rollback_of, job.runbook_version_id,
                          job.params::text, job.override_drift, (job.plan -> 'processes')::text AS processes,
                          job.netns, job.netns_boot, job.namespace::text AS namespace)
            SELECT c.id, c.host_id, c.incident_id, c.rollback_of, c.runbook_version_id, c.params, c.override_drift,
                   c.processes, h.name, h.transport, h.address, h.ssh_port, h.ssh_user, h.sudo, h.host_key_trusted,
                   c.netns, c.netns_boot, c.namespace
              FROM claimed c LEFT JOIN host h ON h.id = c.host_id
            """;

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
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

    /** Ends a running job this worker holds; false when the lease was lost first (the sweeper's verdict stands). */
    public boolean finish(long id, String owner, JobStatus status, Text outcome) {
        return journal.write(id, (c, events) -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE job SET status = ?, outcome = CAST(? AS jsonb), finished_at = ?, lease_owner = NULL, lease_until = NULL,
                           version = version + 1
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
     * Whether this worker still holds the job and nobody asked it to stop. Asked before every step,
     * so it is one plain read on a connection of its own, outside any transaction.
     */
    public boolean holds(long id, String owner) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT stop_requested FROM job WHERE id = ? AND lease_owner = ? AND status = 'RUNNING'")) {
            ps.setLong(1, id);
            ps.setString(2, owner);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && !rs.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading job " + id + " failed", e);
        }
    }
}
