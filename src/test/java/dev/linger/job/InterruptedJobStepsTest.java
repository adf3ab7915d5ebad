package dev.linger.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.linger.Sql;
import dev.linger.TestDatabase;
import io.quarkus.test.junit.QuarkusTest;

/** After kill -9 of a worker, its job is INTERRUPTED and so is the step it was running: nothing shows RUNNING. */
@QuarkusTest
class InterruptedJobStepsTest {

    @Inject
    JobService jobs;

    @Inject
    JobStates states;

    @Test
    void theStepALostWorkerWasRunningEndsInterruptedWithItsJob() throws Exception {
        String runbook = Jobs.readOnlyRunbook("LOW");
        long id;
        // the job and its steps in one transaction: a worker's own sweep of lost jobs may run any time, and must
        // never see the job without the step it was running
        try (Connection c = TestDatabase.superuser(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            // a worker that claimed the job, finished step 1, started step 2 and was killed: its lease ran out
            try (var rs = s.executeQuery("""
                    INSERT INTO job (runbook_version_id, runbook_id, host_id, host_name, risk, reason, requested_by, plan,
                                     plan_hash, status, created_at, expires_at, queued_at, started_at, lease_owner,
                                     lease_until)
                    SELECT v.id, r.id, %d, 'local', 'LOW', 'killed worker', 'test', '{}', 'x', 'RUNNING', now(),
                           now() + interval '1 hour', now(), now(), 'killed-worker', now() - interval '1 second'
                      FROM runbook r JOIN runbook_version v ON v.runbook_id = r.id WHERE r.slug = '%s'
                    RETURNING id
                    """.formatted(Jobs.localHost(), runbook))) {
                rs.next();
                id = rs.getLong("id");
            }
            s.executeUpdate("INSERT INTO job_step (job_id, n, type, command, status, exit_code, started_at, finished_at)"
                    + " VALUES (" + id + ", 1, 'READ_SYSCTL', 'sysctl -n net.ipv4.tcp_fin_timeout', 'SUCCEEDED', 0,"
                    + " now(), now())");
            s.executeUpdate("INSERT INTO job_step (job_id, n, type, command, status, started_at) VALUES (" + id
                    + ", 2, 'READ_SYSCTL', 'sysctl -n net.ipv4.tcp_fin_timeout', 'RUNNING', now())");
            c.commit();
        }

        states.sweepLost();

        JobView job = jobs.get(id);
        assertEquals("INTERRUPTED", job.status());
        assertEquals(0, Sql.count("SELECT count(*) FROM job_step WHERE job_id = ? AND status = 'RUNNING'", id),
                "a step of an interrupted job still shows RUNNING");
        assertEquals(1, Sql.count("SELECT count(*) FROM job_step WHERE job_id = ? AND n = 2 AND status = 'INTERRUPTED'"
                + " AND finished_at IS NOT NULL", id));
        assertEquals(1, Sql.count("SELECT count(*) FROM job_step WHERE job_id = ? AND n = 1 AND status = 'SUCCEEDED'",
                id), "a finished step keeps its result");
        assertTrue(Sql.count("SELECT count(*) FROM job_step WHERE job_id = ? AND n = 2 AND message->>'key' ="
                + " 'run.stepLost'", id) == 1, "the sweep stores the fact that the worker was lost");
    }
}
