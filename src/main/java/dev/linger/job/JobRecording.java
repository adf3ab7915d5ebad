package dev.linger.job;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.linger.SqlTimes;
import dev.linger.audit.AuditLog;
import dev.linger.runbook.StepType;

/**
 * What a running job records, each call in its own short transaction with its audit event, and
 * only while the worker still holds the job's lease: a worker that lost its job writes nothing.
 */
@ApplicationScoped
public class JobRecording {

    /** The worker no longer holds the job (the sweeper marked it INTERRUPTED): stop at once. */
    static final class LeaseLost extends RuntimeException {
        LeaseLost(long id) {
            super("job " + id + " is no longer held by this worker");
        }
    }

    private final EntityManager em;
    private final AuditLog audit;
    private final Clock clock;

    JobRecording(EntityManager em, AuditLog audit, Clock clock) {
        this.em = em;
        this.audit = audit;
        this.clock = clock;
    }

    @Transactional
    void stepStarted(long id, String owner, int n, StepType type, String command) {
        int rows = em.createNativeQuery("""
                INSERT INTO job_step (job_id, n, type, command, status, started_at)
                SELECT ?1, ?2, ?3, ?4, 'RUNNING', ?6 FROM job
                 WHERE id = ?1 AND lease_owner = ?5 AND status = 'RUNNING'
                """).setParameter(1, id).setParameter(2, n).setParameter(3, type.name()).setParameter(4, command)
                .setParameter(5, owner).setParameter(6, SqlTimes.utc(clock.instant())).executeUpdate();
        if (rows == 0) {
            throw new LeaseLost(id);
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("step", n);
        d.put("type", type.name());
        d.put("command", command == null ? "" : command);
        audit.record(AuditLog.SYSTEM, "job.step_started", "job", id, d);
    }

    @Transactional
    void stepProgress(long id, int n, String progress) {
        em.createNativeQuery("UPDATE job_step SET progress = ?3 WHERE job_id = ?1 AND n = ?2 AND status = 'RUNNING'")
                .setParameter(1, id).setParameter(2, n).setParameter(3, progress).executeUpdate();
    }

    @Transactional
    void stepFinished(long id, String owner, int n, boolean ok, Integer exitCode, String stdout, String stderr,
            String message, List<Long> undoneChanges) {
        em.createNativeQuery("""
                UPDATE job_step SET status = ?3, exit_code = ?4, stdout = ?5, stderr = ?6, message = ?7, finished_at = ?8
                 WHERE job_id = ?1 AND n = ?2 AND status = 'RUNNING'
                """).setParameter(1, id).setParameter(2, n).setParameter(3, ok ? "SUCCEEDED" : "FAILED")
                .setParameter(4, exitCode).setParameter(5, clean(stdout)).setParameter(6, clean(stderr))
                .setParameter(7, clean(message)).setParameter(8, SqlTimes.utc(clock.instant())).executeUpdate();
        if (undoneChanges != null && !undoneChanges.isEmpty()) {
            for (Long change : undoneChanges) {
                em.createNativeQuery("""
                        UPDATE sysctl_change SET rolled_back_at = ?2, rolled_back_by = ?3
                         WHERE id = ?1 AND rolled_back_at IS NULL
                        """).setParameter(1, change).setParameter(2, SqlTimes.utc(clock.instant())).setParameter(3, id)
                        .executeUpdate();
            }
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("step", n);
        d.put("ok", ok);
        d.put("exitCode", exitCode == null ? "" : exitCode);
        d.put("message", message == null ? "" : message);
        audit.record(AuditLog.SYSTEM, ok ? "job.step_succeeded" : "job.step_failed", "job", id, d);
    }

    @Transactional
    long sysctlChanging(long id, String owner, int n, String key, String before, String intended, boolean persistent,
            String file, String previousFile) {
        @SuppressWarnings("unchecked")
        List<Number> ids = em.createNativeQuery("""
                INSERT INTO sysctl_change (job_id, step_n, host_id, key, before, intended, persistent, file,
                                           previous_file, recorded_at)
                SELECT id, ?2, host_id, ?3, ?4, ?5, ?6, ?7, ?8, ?9 FROM job
                 WHERE id = ?1 AND lease_owner = ?10 AND status = 'RUNNING'
                RETURNING id
                """).setParameter(1, id).setParameter(2, n).setParameter(3, key).setParameter(4, before)
                .setParameter(5, intended).setParameter(6, persistent).setParameter(7, file)
                .setParameter(8, previousFile).setParameter(9, SqlTimes.utc(clock.instant())).setParameter(10, owner)
                .getResultList();
        if (ids.isEmpty()) {
            throw new LeaseLost(id);
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("step", n);
        d.put("key", key);
        d.put("before", before);
        d.put("intended", intended);
        d.put("persistent", persistent);
        if (file != null) {
            d.put("file", file);
        }
        audit.record(AuditLog.SYSTEM, "job.sysctl_changing", "job", id, d);
        return ids.get(0).longValue();
    }

    @Transactional
    void sysctlConfirmed(long id, long changeId, String after) {
        em.createNativeQuery("UPDATE sysctl_change SET after = ?2, confirmed_at = ?3 WHERE id = ?1")
                .setParameter(1, changeId).setParameter(2, after).setParameter(3, SqlTimes.utc(clock.instant()))
                .executeUpdate();
        audit.record(AuditLog.SYSTEM, "job.sysctl_changed", "job", id, Map.of("change", changeId, "after", after));
    }

    @Transactional
    boolean noteConfirmed(long id, int n) {
        @SuppressWarnings("unchecked")
        List<Object> r = em.createNativeQuery(
                "SELECT confirmed_by FROM job_step WHERE job_id = ?1 AND n = ?2 AND confirmed_by IS NOT NULL")
                .setParameter(1, id).setParameter(2, n).getResultList();
        return !r.isEmpty();
    }

    /** NUL cannot be stored in PostgreSQL text; a command's output may hold one. */
    private static String clean(String s) {
        return s == null ? null : s.replace("\u0000", "\\0");
    }
}
