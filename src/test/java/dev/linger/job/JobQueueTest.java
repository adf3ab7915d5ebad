package dev.linger.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.linger.Api;
import dev.linger.Sql;
import dev.linger.TestDatabase;
import dev.linger.Waits;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The queue under load: many jobs, the instance's own workers plus several more, every job run exactly once. */
@QuarkusTest
@TestProfile(NoopHosts.class)
class JobQueueTest {

    @Inject
    JobWorkers workers;
    @Inject
    JobService jobs;

    @Test
    void manyJobsAndSeveralWorkersRunEachJobExactlyOnceAndOneAtATimePerHost() throws Exception {
        String runbook = Jobs.readOnlyRunbook("LOW");
        List<Long> hosts = NoopHosts.hosts(10);
        NoopHosts.queue(runbook, hosts, 30); // 300 jobs, 30 per host
        ExecutorService extra = Executors.newFixedThreadPool(4);
        List<Future<Integer>> ran = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            String owner = "test-worker-" + w;
            ran.add(extra.submit(() -> {
                int n = 0;
                Instant end = Instant.now().plusSeconds(60);
                while (Instant.now().isBefore(end) && pending(runbook) > 0) {
                    if (workers.runOne(owner)) {
                        n++;
                    }
                }
                return n;
            }));
        }
        int byTestWorkers = 0;
        for (Future<Integer> f : ran) {
            byTestWorkers += f.get();
        }
        extra.shutdown();
        awaitNoPending(runbook);
        assertEquals(300, Sql.count("SELECT count(*) FROM job j JOIN runbook r ON r.id = j.runbook_id"
                + " WHERE r.slug = ? AND j.status = 'SUCCEEDED'", runbook));
        // each job was claimed once and ran its one step once
        assertEquals(0, Sql.count("""
                SELECT count(*) FROM (SELECT j.id FROM job j JOIN runbook r ON r.id = j.runbook_id
                  LEFT JOIN audit_event a ON a.subject_type = 'job' AND a.subject_id = j.id::text
                                         AND a.action IN ('job.running', 'job.step_started')
                 WHERE r.slug = ? GROUP BY j.id HAVING count(a.seq) <> 2) twice
                """, runbook));
        assertEquals(300, Sql.count("SELECT count(*) FROM job_step s JOIN job j ON j.id = s.job_id"
                + " JOIN runbook r ON r.id = j.runbook_id WHERE r.slug = ?", runbook));
        // never two jobs running on one host at the same time
        try (Connection c = TestDatabase.superuser(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("""
                        SELECT count(*) FROM job a JOIN job b ON a.host_id = b.host_id AND a.id < b.id
                         JOIN runbook r ON r.id = a.runbook_id
                         WHERE r.slug = '%s' AND a.started_at < b.finished_at AND b.started_at < a.finished_at
                        """.formatted(runbook))) {
            rs.next();
            assertEquals(0, rs.getLong(1), "overlapping runs on one host");
        }
        assertTrue(byTestWorkers > 0, "the extra workers took part");
        Api.admin().get("/api/v1/audit/verify").then().statusCode(200).body("ok", org.hamcrest.Matchers.equalTo(true));
    }

    @Test
    void aRunningJobWhoseWorkerVanishedIsInterruptedAndNotRunAgain() throws Exception {
        String runbook = Jobs.readOnlyRunbook("LOW");
        List<Long> hosts = NoopHosts.hosts(1);
        try (Connection c = TestDatabase.superuser(); Statement s = c.createStatement()) {
            // a worker that claimed the job and then died: its lease ran out a moment ago
            s.executeUpdate("""
                    INSERT INTO job (runbook_version_id, runbook_id, host_id, host_name, risk, reason, requested_by, plan,
                                     plan_hash, status, created_at, expires_at, queued_at, started_at, lease_owner,
                                     lease_until)
                    SELECT v.id, r.id, %d, 'gone', 'LOW', 'lost worker', 'test', '{}', 'x', 'RUNNING', now(),
                           now() + interval '1 hour', now(), now(), 'dead-worker', now() - interval '1 second'
                      FROM runbook r JOIN runbook_version v ON v.runbook_id = r.id WHERE r.slug = '%s'
                    """.formatted(hosts.get(0), runbook));
        }
        long id = Sql.count("SELECT max(j.id) FROM job j JOIN runbook r ON r.id = j.runbook_id WHERE r.slug = ?",
                runbook);
        workers.sweep();
        assertEquals("INTERRUPTED", jobs.get(id).status());
        assertEquals("run.lost", jobs.get(id).outcome().key(), String.valueOf(jobs.get(id).outcome()));
        assertTrue(jobs.get(id).outcomeWords().contains("not run again by itself"), jobs.get(id).outcomeWords());
        assertEquals(false, workers.runOne("another"), "nothing to claim: an interrupted job is never re-run");
    }

    @Test
    void highRiskJobsWaitForTheMaintenanceWindowAndRunbooksForTheirHourlyLimit() throws Exception {
        String high = Jobs.readOnlyRunbook("HIGH");
        String low = Jobs.readOnlyRunbook("LOW");
        List<Long> host = NoopHosts.hosts(1);
        int now = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).getHour() * 60
                + java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).getMinute();
        int start = (now + 120) % 1440; // a window that begins two hours from now
        try (Connection c = TestDatabase.superuser(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE host SET maintenance_start_minute = " + start + ", maintenance_end_minute = "
                    + (start + 60) % 1440 + " WHERE id = " + host.get(0));
        }
        NoopHosts.queue(high, host, 1);
        NoopHosts.queue(low, host, 1);
        awaitNoPending(low);
        assertEquals(1, pending(high), "the HIGH job waits outside the window while the LOW one ran");
        try (Connection c = TestDatabase.superuser(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE host SET maintenance_start_minute = " + (now + 1439) % 1440
                    + ", maintenance_end_minute = " + (now + 60) % 1440 + " WHERE id = " + host.get(0));
        }
        awaitNoPending(high);
        assertEquals(0, pending(high), "inside the window it runs");

        String limited = Jobs.readOnlyRunbook("LOW");
        Api.admin().body(java.util.Map.of("maxRunsPerHour", 2)).put("/api/v1/runbooks/" + limited + "/limits").then()
                .statusCode(200);
        NoopHosts.queue(limited, NoopHosts.hosts(4), 1);
        Waits.upTo(Duration.ofSeconds(30), "two of " + limited + "'s four jobs ran").until(() -> Sql.count(
                "SELECT count(*) FROM job j JOIN runbook r ON r.id = j.runbook_id WHERE r.slug = ?"
                        + " AND j.status = 'SUCCEEDED'", limited) == 2);
        assertFalse(workers.runOne("limit-probe"), "a claim now finds nothing: the limit holds the other two back");
        assertEquals(2, pending(limited), "the other two wait for the next hour");
        assertEquals(2, Sql.count("SELECT count(*) FROM job j JOIN runbook r ON r.id = j.runbook_id WHERE r.slug = ?"
                + " AND j.status = 'SUCCEEDED'", limited), "no third run within the hour");
        Api.admin().body(java.util.Map.of("maxRunsPerHour", 0)).put("/api/v1/runbooks/" + limited + "/limits").then()
                .statusCode(400);
    }

    static long pending(String runbook) {
        return Sql.count("SELECT count(*) FROM job j JOIN runbook r ON r.id = j.runbook_id WHERE r.slug = ?"
                + " AND j.status IN ('QUEUED', 'RUNNING')", runbook);
    }

    /** Fails the test when jobs of the runbook are still queued or running after 30 s. */
    static void awaitNoPending(String runbook) {
        Waits.upTo(Duration.ofSeconds(30), "no queued or running job of " + runbook).until(() -> pending(runbook) == 0);
    }
}
