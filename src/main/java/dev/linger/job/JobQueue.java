package dev.linger.job;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.linger.SqlTimes;
import dev.linger.audit.AuditLog;

/**
 * The queue's named, guarded statements (design: db-scheduler and River). A claim is one
 * statement with FOR UPDATE SKIP LOCKED; every later write checks the lease owner, so a worker
 * that lost its lease cannot touch the job any more.
 */
@ApplicationScoped
public class JobQueue {

    private final EntityManager em;
    private final AuditLog audit;
    private final Clock clock;

    JobQueue(EntityManager em, AuditLog audit, Clock clock) {
        this.em = em;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * Claims the oldest queued job that may start now: its host runs no other job, a HIGH or
     * CRITICAL job only inside its host's maintenance window, and its runbook is under its runs per
     * hour. The unique index on running jobs per host settles two workers racing for one host.
     */
    @Transactional
    public Optional<Long> claim(String owner, Duration lease) {
        @SuppressWarnings("unchecked")
        List<Number> ids = em.createNativeQuery("""
                UPDATE job SET status = 'RUNNING', lease_owner = ?1, lease_until = CAST(?2 AS timestamptz) + make_interval(secs => ?3),
                       started_at = CAST(?2 AS timestamptz), version = version + 1
                 WHERE id = (
                    SELECT j.id FROM job j
                      LEFT JOIN host h ON h.id = j.host_id
                      JOIN runbook r ON r.id = j.runbook_id
                     WHERE j.status = 'QUEUED'
                       AND NOT EXISTS (SELECT 1 FROM job o WHERE o.host_id = j.host_id AND o.status = 'RUNNING')
                       AND (j.risk = 'LOW' OR h.maintenance_start_minute IS NULL
                            OR (h.maintenance_start_minute <= h.maintenance_end_minute
                                AND extract(hour FROM CAST(?2 AS timestamptz) AT TIME ZONE 'UTC') * 60 + extract(minute FROM CAST(?2 AS timestamptz) AT TIME ZONE 'UTC')
                                    BETWEEN h.maintenance_start_minute AND h.maintenance_end_minute)
                            OR (h.maintenance_start_minute > h.maintenance_end_minute
                                AND (extract(hour FROM CAST(?2 AS timestamptz) AT TIME ZONE 'UTC') * 60 + extract(minute FROM CAST(?2 AS timestamptz) AT TIME ZONE 'UTC')
                                     >= h.maintenance_start_minute
                                  OR extract(hour FROM CAST(?2 AS timestamptz) AT TIME ZONE 'UTC') * 60 + extract(minute FROM CAST(?2 AS timestamptz) AT TIME ZONE 'UTC')
                                     <= h.maintenance_end_minute)))
                       AND (r.max_runs_per_hour IS NULL OR r.max_runs_per_hour > (
                            SELECT count(*) FROM job s WHERE s.runbook_id = j.runbook_id
                               AND s.started_at > CAST(?2 AS timestamptz) - interval '1 hour'))
                     ORDER BY j.queued_at, j.id
                     LIMIT 1
                     FOR UPDATE OF j SKIP LOCKED)
                RETURNING id
                """).setParameter(1, owner).setParameter(2, SqlTimes.utc(clock.instant()))
                .setParameter(3, (double) lease.toMillis() / 1000).getResultList();
        if (ids.isEmpty()) {
            return Optional.empty();
        }
        long id = ids.get(0).longValue();
        audit.record(AuditLog.SYSTEM, "job.running", "job", id, Map.of("worker", owner));
        return Optional.of(id);
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
    @Transactional
    public boolean finish(long id, String owner, JobStatus status, String outcome) {
        boolean done = em.createNativeQuery("""
                UPDATE job SET status = ?3, outcome = ?4, finished_at = ?5, lease_owner = NULL, lease_until = NULL,
                       version = version + 1
                 WHERE id = ?1 AND lease_owner = ?2 AND status = 'RUNNING'
                """).setParameter(1, id).setParameter(2, owner).setParameter(3, status.name()).setParameter(4, outcome)
                .setParameter(5, SqlTimes.utc(clock.instant())).executeUpdate() == 1;
        if (done) {
            audit.record(AuditLog.SYSTEM, "job." + status.name().toLowerCase(java.util.Locale.ROOT), "job", id,
                    Map.of("outcome", outcome == null ? "" : outcome));
        }
        return done;
    }

    /** Whether this worker still holds the job and nobody asked it to stop. */
    @Transactional
    public boolean holds(long id, String owner) {
        @SuppressWarnings("unchecked")
        List<Object> r = em.createNativeQuery(
                "SELECT stop_requested FROM job WHERE id = ?1 AND lease_owner = ?2 AND status = 'RUNNING'")
                .setParameter(1, id).setParameter(2, owner).getResultList();
        return !r.isEmpty() && !Boolean.TRUE.equals(r.get(0));
    }
}
