package dev.linger.policy;

import static dev.linger.Api.admin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import dev.linger.Sql;
import dev.linger.TestDatabase;
import dev.linger.TestUsers;
import dev.linger.Waits;
import dev.linger.incident.HookReceiver;
import dev.linger.lab.Fault;
import dev.linger.lab.LabHost;
import dev.linger.lab.LingerTestKey;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Remediation by policy on a lab host (a network namespace with its own sshd) with a real CLOSE-WAIT leak: the policy
 * runs a LOW runbook by itself as a normal job approved by "policy P"; the leak stays, so each run's VERIFY fails;
 * after two such runs the breaker turns the policy off and pages people (a real HTTP receiver on loopback). Changed
 * to dry-run it only proposes, never during a silence, once per incident.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PolicyLabTest {

    @Inject
    PolicyRunner runner;

    private LabHost lab;
    private Fault leak;
    private long hostId;
    private long incident;
    private long policy;
    private final String label = "auto-" + UUID.randomUUID().toString().substring(0, 8);
    private final String name = "drain-" + UUID.randomUUID().toString().substring(0, 8);
    private String runbook;

    @BeforeAll
    void startLab() {
        lab = LingerTestKey.labHost("pol");
    }

    @Test
    @Order(0)
    void aLabHostWithACloseWaitLeak() throws Exception {
        hostId = ((Number) admin().body(Map.of("name", "pol-" + lab.namespace(), "address", lab.address(), "sshUser",
                lab.user(), "labels", List.of(label))).post("/api/v1/hosts").then().statusCode(201).extract()
                .path("id")).longValue();
        admin().post("/api/v1/hosts/" + hostId + "/collect");
        admin().body(Map.of("fingerprint", lab.hostKeyFingerprint())).post("/api/v1/hosts/" + hostId
                + "/host-key/trust").then().statusCode(200);
        leak = lab.closeWait(9080, 12);
        admin().post("/api/v1/hosts/" + hostId + "/collect").then().statusCode(200).body("ok", equalTo(true));
        incident = ((Number) admin().get("/api/v1/incidents?status=ACTIVE&hostId=" + hostId + "&kind=CLOSE_WAIT_LEAK")
                .then().statusCode(200).extract().path("[0].id")).longValue();
        runbook = "read-and-verify-" + UUID.randomUUID().toString().substring(0, 8);
        admin().body(Map.of("slug", runbook, "title", "Read the FIN timeout, then verify", "risk", "LOW", "fits",
                List.of("CLOSE_WAIT_LEAK"), "steps", List.of(Map.of("type", "READ_SYSCTL", "key",
                        "net.ipv4.tcp_fin_timeout"), Map.of("type", "VERIFY", "settleSeconds", "0"))))
                .post("/api/v1/runbooks").then().statusCode(201);
        try (var c = TestDatabase.superuser(); var s = c.createStatement()) {
            s.execute("UPDATE notification SET failed_at = now() WHERE sent_at IS NULL AND failed_at IS NULL");
        }
    }

    @AfterAll
    void stopLab() throws Exception {
        try (var c = TestDatabase.superuser(); var s = c.createStatement()) {
            s.execute("UPDATE remediation_policy SET enabled = false, removed_at = now() WHERE id = " + policy);
        }
        if (leak != null) {
            leak.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    private long jobOfPolicy(int nth) {
        return Sql.count("SELECT id FROM job WHERE policy_id = ? ORDER BY id OFFSET " + (nth - 1) + " LIMIT 1", policy);
    }

    @Test
    @Order(1)
    void aPolicyRunsItsLowRunbookByItselfAsANormalJobApprovedByThePolicy() {
        policy = ((Number) admin().body(Map.of("name", name, "kind", "CLOSE_WAIT_LEAK", "hostLabel", label,
                "runbook", runbook, "maxPerHostPerHour", 5, "maxPerHour", 10, "breakerAfter", 2))
                .post("/api/v1/remediation-policies").then().statusCode(201).body("state", equalTo("ON"))
                .body("version", equalTo(1)).extract().path("id")).longValue();
        assertEquals(1, runner.runOnce().started());
        long job = jobOfPolicy(1);
        admin().get("/api/v1/jobs/" + job).then().body("requestedBy", equalTo("policy " + name))
                .body("incidentId", equalTo((int) incident));
        assertEquals(1, Sql.count("SELECT count(*) FROM audit_event WHERE action = 'job.approved' AND actor = ?"
                + " AND subject_id = ?", "policy " + name, String.valueOf(job)));
        assertEquals(1, Sql.count("SELECT count(*) FROM job_approval WHERE job_id = ? AND approver = ?", job,
                "policy " + name));
        assertEquals(0, runner.runOnce().started(), "not twice while its job is on the incident");
        awaitFinished(job);
        admin().get("/api/v1/jobs/" + job).then().body("status", equalTo("FAILED"));
        assertEquals(1, Sql.count("SELECT count(*) FROM job_step WHERE job_id = ? AND type = 'VERIFY'"
                + " AND status = 'FAILED'", job), "the leak is still there: its VERIFY failed");
    }

    @Test
    @Order(2)
    void afterTwoFailedVerifiesTheBreakerTurnsThePolicyOffAndPagesAPerson() {
        assertEquals(1, runner.runOnce().started(), "one failure is under the breaker's two: it tries again");
        awaitFinished(jobOfPolicy(2));
        try (HookReceiver pager = HookReceiver.start()) {
            PolicyRunner.Pass pass = runner.runOnce();
            assertEquals(List.of(policy), pass.tripped());
            assertEquals(0, pass.started());
            admin().get("/api/v1/remediation-policies/" + policy).then().body("state", equalTo("TRIPPED"))
                    .body("tripReason.failedRuns", equalTo(2));
            assertEquals(1, Sql.count("SELECT count(*) FROM audit_event WHERE action = 'policy.tripped'"
                    + " AND subject_id = ?", String.valueOf(policy)));
            dev.linger.incident.Notifications notifications = io.quarkus.arc.Arc.container()
                    .instance(dev.linger.incident.Notifications.class).get();
            notifications.sendDue();
            List<JsonNode> paged = pager.received();
            assertTrue(paged.stream().anyMatch(p -> "breaker".equals(p.path("event").asText())
                    && p.path("text").asText().contains(name) && p.path("text").asText().contains("turned itself off")),
                    paged.toString());
        }
        assertEquals(0, runner.runOnce().started(), "off: nothing runs");
        assertEquals(2, Sql.count("SELECT count(*) FROM job WHERE policy_id = ?", policy));
    }

    @Test
    @Order(3)
    void inDryRunItOnlyProposesNeverDuringASilenceAndOncePerIncident() {
        admin().body(Map.of("name", name, "kind", "CLOSE_WAIT_LEAK", "hostLabel", label, "runbook", runbook,
                "maxPerHostPerHour", 5, "breakerAfter", 2, "dryRun", true))
                .put("/api/v1/remediation-policies/" + policy).then().statusCode(200).body("version", equalTo(2))
                .body("state", equalTo("DRY_RUN"));
        long silence = ((Number) admin().body(Map.of("matchers", Map.of("hostId", hostId, "kind", "CLOSE_WAIT_LEAK"),
                "endsAt", java.time.Instant.now().plusSeconds(600).toString(), "comment", "hands off"))
                .post("/api/v1/silences").then().statusCode(201).extract().path("id")).longValue();
        PolicyRunner.Pass quiet = runner.runOnce();
        assertEquals(0, quiet.proposed() + quiet.started(), "never during a silence");
        admin().delete("/api/v1/silences/" + silence).then().statusCode(200);
        assertEquals(1, runner.runOnce().proposed());
        long job = jobOfPolicy(3);
        admin().get("/api/v1/jobs/" + job).then().body("status", equalTo("PENDING_APPROVAL"));
        assertEquals(2, Sql.count("SELECT policy_version FROM job WHERE id = ?", job));
        assertEquals(0, Sql.count("SELECT count(*) FROM job_approval WHERE job_id = ?", job), "people decide");
        admin().post("/api/v1/jobs/" + job + "/cancel").then().statusCode(200);
        assertEquals(0, runner.runOnce().proposed(), "proposed once for this incident, not again");
        admin().get("/api/v1/remediation-policies/" + policy + "/versions").then().body("version",
                equalTo(List.of(2, 1))).body("[0].definition.dryRun", equalTo(true));
    }

    @Test
    @Order(4)
    void badPoliciesAreRefusedWithAReasonAndOnlyAdminsWriteThem() {
        long before = Sql.count("SELECT count(*) FROM remediation_policy");
        String high = "high-" + UUID.randomUUID().toString().substring(0, 8);
        admin().body(Map.of("slug", high, "title", "Raise the orphan limit", "risk", "HIGH", "steps", List.of(
                Map.of("type", "READ_SYSCTL", "key", "net.ipv4.tcp_max_orphans")))).post("/api/v1/runbooks").then()
                .statusCode(201);
        record Bad(Map<String, Object> body, String field, String says) {
        }
        for (Bad bad : List.of(
                new Bad(Map.of("name", "x", "kind", "CLOSE_WAIT_LEAK", "runbook", high), "runbook", "LOW runbooks only"),
                new Bad(Map.of("name", "x", "kind", "NOPE", "runbook", runbook), "kind", "not an incident kind"),
                new Bad(Map.of("name", "x", "kind", "CLOSE_WAIT_LEAK", "runbook", "no-such-runbook"), "runbook", ""),
                new Bad(Map.of("name", "x", "kind", "CLOSE_WAIT_LEAK", "runbook", runbook, "breakerAfter", 0),
                        "breakerAfter", "From 1 to 100"),
                new Bad(Map.of("name", "x", "kind", "CLOSE_WAIT_LEAK", "runbook", runbook, "maxPerHostPerHour", 61),
                        "maxPerHostPerHour", "From 1 to 60"),
                new Bad(Map.of("name", "x", "kind", "CLOSE_WAIT_LEAK", "runbook", runbook, "window", "25:00-26:00"),
                        "window", ""),
                new Bad(Map.of("name", name, "kind", "CLOSE_WAIT_LEAK", "runbook", runbook), "name", "already"))) {
            admin().body(bad.body()).post("/api/v1/remediation-policies").then().statusCode(400)
                    .body("fields." + bad.field(), containsString(bad.says()));
        }
        Map<String, Object> good = Map.of("name", "forged", "kind", "CLOSE_WAIT_LEAK", "runbook", runbook);
        admin().header("Origin", "http://evil.example").body(good).post("/api/v1/remediation-policies").then()
                .statusCode(403);
        admin().post("/api/v1/remediation-policies").then().statusCode(400);
        given().auth().preemptive().basic(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD).contentType("text/plain")
                .body("x").post("/api/v1/remediation-policies").then().statusCode(415);
        given().contentType("application/json").body(good).post("/api/v1/remediation-policies").then().statusCode(401);
        assertEquals(before, Sql.count("SELECT count(*) FROM remediation_policy"));
    }

    private static void awaitFinished(long job) {
        Waits.upTo(Duration.ofSeconds(90), "job " + job + " finished").until(() -> List.of("SUCCEEDED", "FAILED")
                .contains(admin().get("/api/v1/jobs/" + job).then().extract().path("status")));
    }
}
