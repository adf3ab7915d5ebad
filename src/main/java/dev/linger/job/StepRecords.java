package dev.linger.job;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.linger.i18n.Text;
import dev.linger.SqlTimes;
import dev.linger.audit.AuditLog;
import dev.linger.runbook.StepType;

/**
 * The records of a running job's steps and of the sysctls it changes ({@code job_step}, {@code sysctl_change}), each
 * committed with its audit event before it returns (through the {@link GroupCommit}), and only while the worker
 * still holds the job's lease: a worker that lost its job writes nothing. The job's own state is {@link JobStates}'.
 */
@ApplicationScoped
public class StepRecords {

    private final EntityManager em;
    private final GroupCommit commits;
    private final Clock clock;

    StepRecords(EntityManager em, GroupCommit commits, Clock clock) {
        this.em = em;
        this.commits = commits;
        this.clock = clock;
    }

    void stepStarted(long id, String owner, int n, StepType type, String command) {
        commits.write(id, (c, events) -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO job_step (job_id, n, type, command, status, started_at)
                    SELECT id, ?, ?, ?, 'RUNNING', ? FROM job WHERE id = ? AND lease_owner = ? AND status = 'RUNNING'
                    """)) {
                ps.setInt(1, n);
                ps.setString(2, type.name());
                ps.setString(3, command);
                ps.setObject(4, SqlTimes.utc(clock.instant()));
                ps.setLong(5, id);
                ps.setString(6, owner);
                if (ps.executeUpdate() == 0) {
                    throw new LeaseLost(id);
                }
            }
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("step", n);
            d.put("type", type.name());
            d.put("command", command == null ? "" : command);
            events.add(new AuditLog.Entry(AuditLog.SYSTEM, "job.step_started", "job", id, d));
            return null;
        });
    }

    @Transactional
    void stepProgress(long id, int n, Text progress) {
        em.createNativeQuery("UPDATE job_step SET progress = CAST(?3 AS jsonb) WHERE job_id = ?1 AND n = ?2 AND status = 'RUNNING'")
                .setParameter(1, id).setParameter(2, n).setParameter(3, progress == null ? null : progress.toJson()).executeUpdate();
    }

    /**
     * Ends a step; a rollback's step also marks the changes it undid, in the same transaction. It is
     * written with the job's next record (the next step's start or the job's end), which follows at
     * once: the end time is taken now. Sysctl records never wait like this.
     */
    void stepFinished(long id, String owner, int n, boolean ok, Integer exitCode, String stdout, String stderr,
            Text message, List<Long> undoneChanges) {
        Instant now = clock.instant();
        commits.defer(id, (c, events) -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE job_step SET status = ?, exit_code = ?, stdout = ?, stderr = ?, message = CAST(? AS jsonb), finished_at = ?
                     WHERE job_id = ? AND n = ? AND status = 'RUNNING'
                       AND EXISTS (SELECT 1 FROM job WHERE id = ? AND lease_owner = ? AND status = 'RUNNING')
                    """)) {
                ps.setString(1, ok ? "SUCCEEDED" : "FAILED");
                ps.setObject(2, exitCode, Types.INTEGER);
                ps.setString(3, clean(stdout));
                ps.setString(4, clean(stderr));
                ps.setString(5, message == null ? null : clean(message.toJson()));
                ps.setObject(6, SqlTimes.utc(now));
                ps.setLong(7, id);
                ps.setInt(8, n);
                ps.setLong(9, id);
                ps.setString(10, owner);
                if (ps.executeUpdate() == 0) {
                    return null; // the lease is gone (the job was interrupted): a lost worker writes nothing
                }
            }
            if (undoneChanges != null && !undoneChanges.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("""
                        UPDATE sysctl_change SET rolled_back_at = ?, rolled_back_by = ?
                         WHERE id = ANY (?) AND rolled_back_at IS NULL
                        """)) {
                    ps.setObject(1, SqlTimes.utc(now));
                    ps.setLong(2, id);
                    ps.setArray(3, c.createArrayOf("bigint", undoneChanges.toArray()));
                    ps.executeUpdate();
                }
            }
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("step", n);
            d.put("ok", ok);
            d.put("exitCode", exitCode == null ? "" : exitCode);
            d.put("message", JobAudit.english(message));
            if (message != null) {
                d.put("messageKey", message.key());
            }
            events.add(new AuditLog.Entry(AuditLog.SYSTEM, ok ? "job.step_succeeded" : "job.step_failed", "job", id,
                    d));
            return null;
        });
    }

    long sysctlChanging(long id, String owner, int n, String key, String before, String intended, boolean persistent,
            String file, String previousFile) {
        return commits.write(id, (c, events) -> {
            long changeId;
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO sysctl_change (job_id, step_n, host_id, key, before, intended, persistent, file,
                                               previous_file, recorded_at)
                    SELECT id, ?, host_id, ?, ?, ?, ?, ?, ?, ? FROM job
                     WHERE id = ? AND lease_owner = ? AND status = 'RUNNING'
                    RETURNING id
                    """)) {
                ps.setInt(1, n);
                ps.setString(2, key);
                ps.setString(3, before);
                ps.setString(4, intended);
                ps.setBoolean(5, persistent);
                ps.setString(6, file);
                ps.setString(7, previousFile);
                ps.setObject(8, SqlTimes.utc(clock.instant()));
                ps.setLong(9, id);
                ps.setString(10, owner);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new LeaseLost(id);
                    }
                    changeId = rs.getLong("id");
                }
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
            events.add(new AuditLog.Entry(AuditLog.SYSTEM, "job.sysctl_changing", "job", id, d));
            return changeId;
        });
    }

    void sysctlConfirmed(long id, long changeId, String after) {
        commits.write(id, (c, events) -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE sysctl_change SET after = ?, confirmed_at = ? WHERE id = ?")) {
                ps.setString(1, after);
                ps.setObject(2, SqlTimes.utc(clock.instant()));
                ps.setLong(3, changeId);
                ps.executeUpdate();
            }
            events.add(new AuditLog.Entry(AuditLog.SYSTEM, "job.sysctl_changed", "job", id,
                    Map.of("change", changeId, "after", after)));
            return null;
        });
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
