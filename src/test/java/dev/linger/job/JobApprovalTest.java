package dev.linger.job;

import static dev.linger.job.Jobs.as;
import static dev.linger.job.Jobs.await;
import static dev.linger.job.Jobs.decide;
import static dev.linger.job.Jobs.job;
import static dev.linger.job.Jobs.propose;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.linger.Api;
import dev.linger.Sql;
import dev.linger.TestDatabase;
import dev.linger.TestUsers;
import io.restassured.path.json.JsonPath;
import io.quarkus.test.junit.QuarkusTest;

/** Approvals as the rules say: who may, how many, bound to the plan, once even when people click at once. */
@QuarkusTest
class JobApprovalTest {

    @Inject
    TestUsers users;
    @Inject
    JobWorkers workers;

    @Test
    void aLowRiskJobNeedsOneOtherApproverAndThenRunsAtOnce() throws Exception {
        TestUsers.Person operator = users.create("operator");
        TestUsers.Person approver = users.create("approver");
        TestUsers.Person viewer = users.create("viewer");
        String slug = Jobs.readOnlyRunbook("LOW");
        long host = Jobs.localHost();
        long id = propose(operator, slug, host, Map.of());
        JsonPath proposed = job(id);
        assertEquals("PENDING_APPROVAL", proposed.getString("status"));
        assertEquals("sysctl -n net.ipv4.tcp_fin_timeout", proposed.getString("plan.steps[0].command"));
        assertEquals(64, proposed.getString("planHash").length());
        as(viewer).body(Map.of("decision", "APPROVE")).post("/api/v1/jobs/" + id + "/approvals").then().statusCode(403);
        as(operator).body(Map.of("decision", "APPROVE")).post("/api/v1/jobs/" + id + "/approvals").then()
                .statusCode(403);

        decide(approver, id, "APPROVE", 200);
        JsonPath done = await(id, Duration.ofSeconds(15), "SUCCEEDED", "FAILED");
        assertEquals("SUCCEEDED", done.getString("status"), done.getString("outcome"));
        String value = Files.readAllLines(Path.of("/proc/sys/net/ipv4/tcp_fin_timeout")).get(0).strip();
        assertEquals("net.ipv4.tcp_fin_timeout = " + value, done.getString("steps[0].message"));
        assertEquals("sysctl -n net.ipv4.tcp_fin_timeout", done.getString("steps[0].command"));
        assertEquals(0, done.getInt("steps[0].exitCode"));
        for (String action : List.of("job.proposed", "job.approved", "job.queued", "job.running", "job.step_started",
                "job.step_succeeded", "job.succeeded")) {
            assertEquals(1, Sql.count("SELECT count(*) FROM audit_event WHERE subject_type = 'job' AND subject_id = ?"
                    + " AND action = ?", String.valueOf(id), action), action);
        }
        decide(approver, id, "APPROVE", 409);
    }

    @Test
    void highRiskNeedsTwoDistinctApproversAndCriticalAnAdminAmongThem() {
        TestUsers.Person operator = users.create("operator");
        TestUsers.Person a1 = users.create("approver");
        TestUsers.Person a2 = users.create("approver");
        long high = propose(operator, Jobs.readOnlyRunbook("HIGH"), Jobs.localHost(), Map.of());
        assertEquals("PENDING_APPROVAL", decide(a1, high, "APPROVE", 200).getString("status"));
        decide(a1, high, "APPROVE", 409); // the same person twice is still one approver
        assertEquals("PENDING_APPROVAL", job(high).getString("status"));
        decide(a2, high, "APPROVE", 200);
        await(high, Duration.ofSeconds(15), "SUCCEEDED");

        long critical = propose(operator, Jobs.readOnlyRunbook("CRITICAL"), Jobs.localHost(), Map.of());
        decide(a1, critical, "APPROVE", 200);
        assertEquals("PENDING_APPROVAL", decide(a2, critical, "APPROVE", 200).getString("status"),
                "two approvers but no admin");
        decide(new TestUsers.Person(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD), critical, "APPROVE", 200);
        await(critical, Duration.ofSeconds(15), "SUCCEEDED");
    }

    @Test
    void aRejectionEndsTheJobAndCancelAndExpiryEndPendingOnes() throws Exception {
        TestUsers.Person operator = users.create("operator");
        TestUsers.Person approver = users.create("approver");
        String slug = Jobs.readOnlyRunbook("HIGH");
        long rejected = propose(operator, slug, Jobs.localHost(), Map.of());
        decide(approver, rejected, "APPROVE", 200);
        JsonPath r = decide(users.create("approver"), rejected, "REJECT", 200);
        assertEquals("REJECTED", r.getString("status"));
        decide(users.create("approver"), rejected, "APPROVE", 409);

        long cancelled = propose(operator, slug, Jobs.localHost(), Map.of());
        as(approver).post("/api/v1/jobs/" + cancelled + "/cancel").then().statusCode(403);
        as(operator).post("/api/v1/jobs/" + cancelled + "/cancel").then().statusCode(200)
                .body("status", equalTo("CANCELLED"));

        long expired = propose(operator, slug, Jobs.localHost(), Map.of());
        try (var c = TestDatabase.superuser(); var s = c.createStatement()) {
            s.executeUpdate("UPDATE job SET expires_at = now() - interval '1 second' WHERE id = " + expired);
        }
        decide(approver, expired, "APPROVE", 409);
        workers.sweep();
        assertEquals("EXPIRED", job(expired).getString("status"));
    }

    @Test
    void approvalsAreBoundToThePlanTheyWereGivenOn() throws Exception {
        TestUsers.Person operator = users.create("operator");
        TestUsers.Person a1 = users.create("approver");
        TestUsers.Person a2 = users.create("approver");
        long id = propose(operator, Jobs.readOnlyRunbook("HIGH"), Jobs.localHost(), Map.of());
        decide(a1, id, "APPROVE", 200);
        // the plan changes under the approval (as a re-plan with other values would): the first approval is void
        try (var c = TestDatabase.superuser(); var s = c.createStatement()) {
            s.executeUpdate("UPDATE job SET plan_hash = repeat('0', 64) WHERE id = " + id);
        }
        assertEquals("PENDING_APPROVAL", decide(a2, id, "APPROVE", 200).getString("status"),
                "one approval on the current plan is not two");
        assertEquals(1L, job(id).getList("approvals.current").stream().filter(Boolean.TRUE::equals).count());
        decide(a1, id, "APPROVE", 200); // a1 approves the new plan
        await(id, Duration.ofSeconds(15), "SUCCEEDED");
    }

    @Test
    void approversClickingAtOnceQueueTheJobOnce() throws Exception {
        TestUsers.Person operator = users.create("operator");
        String slug = Jobs.readOnlyRunbook("HIGH");
        for (int round = 0; round < 5; round++) {
            long id = propose(operator, slug, Jobs.localHost(), Map.of());
            List<TestUsers.Person> approvers = List.of(users.create("approver"), users.create("approver"),
                    users.create("approver"));
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(approvers.size());
            List<Future<Integer>> answers = new ArrayList<>();
            for (TestUsers.Person a : approvers) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return as(a).body(Map.of("decision", "APPROVE")).post("/api/v1/jobs/" + id + "/approvals")
                            .statusCode();
                }));
            }
            start.countDown();
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> f : answers) {
                codes.add(f.get());
            }
            pool.shutdown();
            await(id, Duration.ofSeconds(15), "SUCCEEDED");
            assertEquals(1, Sql.count("SELECT count(*) FROM audit_event WHERE action = 'job.queued' AND subject_id = ?",
                    String.valueOf(id)), "codes " + codes);
            assertTrue(codes.stream().allMatch(c -> c == 200 || c == 409), "codes " + codes);
        }
    }

    @Test
    void badProposalsAreRefusedAndStoreNothing() {
        TestUsers.Person operator = users.create("operator");
        long before = Sql.count("SELECT count(*) FROM job");
        as(operator).body(Map.of("runbook", "no-such", "hostId", Jobs.localHost(), "reason", "x"))
                .post("/api/v1/jobs").then().statusCode(400).body("fields.runbook", containsString("no runbook"));
        as(operator).body(Map.of("runbook", "kill-close-wait-sockets", "hostId", 999999, "reason", "x"))
                .post("/api/v1/jobs").then().statusCode(400).body("fields.hostId", containsString("no host"));
        as(operator).body(Map.of("runbook", "kill-close-wait-sockets", "hostId", Jobs.localHost(), "reason", ""))
                .post("/api/v1/jobs").then().statusCode(400).body("fields.reason", containsString("why"));
        as(operator).body(Map.of("runbook", "kill-close-wait-sockets", "hostId", Jobs.localHost(), "reason", "x",
                "params", Map.of("port", "9080; reboot"))).post("/api/v1/jobs").then().statusCode(400)
                .body("fields.'params.port'", containsString("not a whole number"));
        as(users.create("viewer")).body(Map.of("runbook", "kill-close-wait-sockets", "hostId", Jobs.localHost(),
                "reason", "x")).post("/api/v1/jobs").then().statusCode(403);
        assertEquals(before, Sql.count("SELECT count(*) FROM job"));
        Api.admin().get("/api/v1/audit/verify").then().statusCode(200).body("ok", equalTo(true));
    }
}
