package dev.linger.bench;

import static dev.linger.Api.admin;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.linger.Sql;
import dev.linger.TestDatabase;
import dev.linger.TestUsers;
import dev.linger.Waits;
import dev.linger.job.Jobs;
import dev.linger.job.NoopHosts;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The job queue on hosts that answer at once (noop-*): the time from the last approval to the
 * first step starting, woken by LISTEN/NOTIFY, and how many jobs per second the queue moves with
 * no-op steps. Every transition is still claimed, leased, recorded and audited for real.
 * Run with: ./mvnw verify -Pbench -Dtest=JobQueueBenchmark
 */
@Tag("bench")
@QuarkusTest
@TestProfile(NoopHosts.class)
class JobQueueBenchmark {

    @Inject
    TestUsers users;

    @Test
    void approvalToFirstStepAndQueueThroughput() throws Exception {
        BenchReport report = new BenchReport("job-queue");
        String runbook = Jobs.readOnlyRunbook("LOW");
        long host = NoopHosts.hosts(1).get(0);
        TestUsers.Person operator = users.create("operator");
        TestUsers.Person approver = users.create("approver");

        // approval -> first step: one job at a time, so each measures an idle worker being woken
        int n = 300;
        List<Long> ids = new ArrayList<>();
        try (Connection waiting = TestDatabase.superuser()) {
            for (int i = 0; i < n + 20; i++) {
                long id = ((Number) as(operator).body(Map.of("runbook", runbook, "hostId", host, "reason", "bench"))
                        .post("/api/v1/jobs").then().statusCode(201).extract().path("id")).longValue();
                as(approver).body(Map.of("decision", "APPROVE")).post("/api/v1/jobs/" + id + "/approvals").then()
                        .statusCode(200);
                awaitDone(waiting, id);
                if (i >= 20) { // the first 20 warm up the JIT
                    ids.add(id);
                }
            }
        }
        double[] latency = new double[ids.size()];
        try (Connection c = TestDatabase.superuser(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("""
                        SELECT extract(epoch FROM (st.started_at - a.at)) * 1000 FROM job_approval a
                          JOIN job_step st ON st.job_id = a.job_id AND st.n = 1
                         WHERE a.job_id BETWEEN %d AND %d ORDER BY a.job_id
                        """.formatted(ids.get(0), ids.get(ids.size() - 1)))) {
            int i = 0;
            while (rs.next()) {
                latency[i++] = rs.getDouble(1);
            }
            assertEquals(ids.size(), i);
        }
        Arrays.sort(latency);
        report.line(String.format(Locale.ROOT, "last approval -> first step started, %d jobs: p50 %.1f ms, p90 %.1f ms,"
                + " p99 %.1f ms, max %.1f ms", latency.length, pct(latency, 50), pct(latency, 90), pct(latency, 99),
                latency[latency.length - 1]));

        // throughput: jobs already queued on 50 hosts, drained by the instance's workers; the first
        // round warms the claim and journal paths up (reported, but not the number that counts)
        String burst = Jobs.readOnlyRunbook("LOW");
        List<Long> hosts = NoopHosts.hosts(50);
        for (int round = 0; round < 4; round++) {
            int perHost = 40;
            NoopHosts.queue(burst, hosts, perHost); // committed and notified: from here on it is the queue's work
            Instant t0 = Instant.now();
            long total = (long) perHost * hosts.size() * (round + 1);
            // one connection for the whole wait (a new one per look would fork a PostgreSQL backend
            // 50 times a second on the two cores being measured), and a look that reads only the
            // queue's partial indexes; the count of finished jobs is checked once at the end
            try (Connection c = TestDatabase.superuser(); Statement busy = c.createStatement()) {
                // a look every 20 ms: the drain time is measured to that precision
                Waits.upTo(Duration.ofMinutes(5), "the queue drained").pollInterval(Duration.ofMillis(20))
                        .pollInSameThread().until(() -> {
                            try (ResultSet rs = busy.executeQuery("SELECT EXISTS (SELECT 1 FROM job"
                                    + " WHERE status = 'QUEUED') OR EXISTS (SELECT 1 FROM job WHERE status = 'RUNNING')")) {
                                rs.next();
                                return !rs.getBoolean(1);
                            }
                        });
            }
            double seconds = Duration.between(t0, Instant.now()).toMillis() / 1000.0;
            assertEquals(total, Sql.count("SELECT count(*) FROM job j JOIN runbook r ON r.id = j.runbook_id"
                    + " WHERE r.slug = ? AND j.status = 'SUCCEEDED'", burst), "every job of the burst succeeded");
            report.line(String.format(Locale.ROOT, "queue throughput%s, %d no-op jobs on %d hosts, %d workers: %.2f s,"
                    + " %.0f jobs/s (each: claim, 1 step, 4 audit events)", round == 0 ? " (warm-up)" : "",
                    perHost * hosts.size(), hosts.size(),
                    Integer.parseInt(System.getProperty("linger.jobs.workers", "32")), seconds,
                    perHost * hosts.size() / seconds));
        }
        admin().get("/api/v1/audit/verify").then().statusCode(200);
        report.write();
    }

    static double pct(double[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    static io.restassured.specification.RequestSpecification as(TestUsers.Person p) {
        return given().auth().preemptive().basic(p.name(), p.password()).contentType("application/json");
    }

    /** Waits for one job on a connection kept for the whole latency run (see the throughput wait). */
    static void awaitDone(Connection c, long id) throws Exception {
        try (PreparedStatement done = c.prepareStatement("SELECT count(*) FROM job WHERE id = ? AND status = 'SUCCEEDED'")) {
            done.setLong(1, id);
            // a look every 2 ms: the next job's approval follows this one's end closely
            Waits.upTo(Duration.ofSeconds(10), "job " + id + " succeeded").pollInterval(Duration.ofMillis(2))
                    .pollInSameThread().until(() -> {
                        try (ResultSet rs = done.executeQuery()) {
                            rs.next();
                            return rs.getLong(1) == 1;
                        }
                    });
        }
    }
}
