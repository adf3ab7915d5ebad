package dev.linger.job;

import static dev.linger.Api.admin;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.linger.Browser;
import dev.linger.Sql;
import dev.linger.TestUsers;
import dev.linger.Waits;
import dev.linger.incident.IncidentNamespace;
import dev.linger.silence.Silences;
import io.quarkus.test.junit.QuarkusTest;

/**
 * While an approved job runs on an incident's host, that incident notifies nobody until the job's VERIFY: the job
 * makes a silence naming itself when it starts and ends it at VERIFY; the job page says so. The job runs on the
 * LOCAL host (a read and a NOTE step, which holds it RUNNING until a person confirms).
 */
@QuarkusTest
class JobSilenceTest {

    @Inject
    TestUsers users;
    @Inject
    Silences silences;

    @Test
    void aRunningJobSilencesItsIncidentUntilItsVerifyAndItsPageSaysSo() {
        long host = Jobs.localHost();
        int port = 20000 + (int) (Math.random() * 20000);
        long incident = Sql.count("WITH i AS (INSERT INTO incident (host_id, kind, port, severity, status, opened_at,"
                + " updated_at) VALUES (?, 'CLOSE_WAIT_LEAK', ?, 'WARNING', 'OPEN', now(), now()) RETURNING id)"
                + " SELECT id FROM i", host, port);
        String slug = "hold-" + UUID.randomUUID().toString().substring(0, 8);
        admin().body(Map.of("slug", slug, "title", "Read, then wait for a person", "risk", "LOW", "fits",
                List.of("CLOSE_WAIT_LEAK"), "steps", List.of(Map.of("type", "READ_SYSCTL", "key",
                        "net.ipv4.tcp_fin_timeout"), Map.of("type", "NOTE", "text", "Drain the load balancer."))))
                .post("/api/v1/runbooks").then().statusCode(201);
        TestUsers.Person operator = users.create("operator");
        TestUsers.Person approver = users.create("approver");
        long job = ((Number) Jobs.as(operator).body(Map.of("runbook", slug, "hostId", host, "incidentId", incident,
                "reason", "CLOSE-WAIT on :" + port)).post("/api/v1/jobs").then().statusCode(201).extract().path("id"))
                .longValue();
        assertEquals(0, Sql.count("SELECT count(*) FROM silence WHERE job_id = ?", job), "not before it runs");
        Jobs.decide(approver, job, "APPROVE", 200);

        // running, held by its NOTE: its incident is silenced, by the job, and the job page says so
        Waits.upTo(Duration.ofSeconds(30), "job " + job + " waiting on its note").until(() -> Sql.count(
                "SELECT count(*) FROM job_step WHERE job_id = ? AND n = 2 AND status = 'RUNNING'", job) == 1);
        assertTrue(silences.silencing(host, IncidentNamespace.HOST, "CLOSE_WAIT_LEAK", port).isPresent());
        assertTrue(silences.silencing(host, IncidentNamespace.HOST, "CLOSE_WAIT_LEAK", port + 1).isEmpty(),
                "only its own incident");
        assertEquals(1, Sql.count("SELECT count(*) FROM silence WHERE job_id = ? AND created_by = ? AND ended_at IS NULL",
                job, "job " + job));
        Browser page = Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);
        page.get("/jobs/" + job).then().statusCode(200).body(containsString("notifications about incident #"
                + incident + " were silenced until its VERIFY")).body(containsString("still holding"));

        // confirmed: the job goes on to VERIFY, and its silence ends there
        Jobs.as(operator).post("/api/v1/jobs/" + job + "/steps/2/confirm").then().statusCode(200);
        Jobs.await(job, Duration.ofSeconds(60), "SUCCEEDED", "FAILED");
        assertEquals(1, Sql.count("SELECT count(*) FROM silence WHERE job_id = ? AND ended_by = ?", job, "job " + job));
        assertTrue(silences.silencing(host, IncidentNamespace.HOST, "CLOSE_WAIT_LEAK", port).isEmpty());
        page.get("/jobs/" + job).then().body(containsString("ended"));
        assertEquals(2, Sql.count("SELECT count(*) FROM audit_event WHERE actor = ? AND action IN ('silence.created',"
                + " 'silence.ended')", "job " + job));
    }
}
