package dev.linger.job;

import static dev.linger.Api.admin;
import static dev.linger.job.Jobs.as;
import static dev.linger.job.Jobs.await;
import static dev.linger.job.Jobs.decide;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import dev.linger.MovableClock;
import dev.linger.Sql;
import dev.linger.TestUsers;
import dev.linger.lab.Fault;
import dev.linger.lab.LabHost;
import dev.linger.lab.LingerTestKey;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Jobs end to end with real parts: a lab host in a network namespace reached over real SSH, real
 * CLOSE-WAIT and FIN-WAIT-1 sockets, and Linger's own LOCAL host for the orphan-limit drain (root
 * needed; CI runs as root).
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JobLabTest {

    static final List<String> KEEPALIVE = List.of("net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_keepalive_intvl",
            "net.ipv4.tcp_keepalive_probes");
    static final Duration RUN = Duration.ofSeconds(60);

    @Inject
    TestUsers users;

    private LabHost lab;
    private long hostId;
    private TestUsers.Person operator;
    private TestUsers.Person approver;
    private TestUsers.Person approver2;
    private Map<String, String> original;
    /** Snapshots are dated by the injected clock, so a socket ages when the test moves it. */
    private final MovableClock clock = new MovableClock();

    @BeforeAll
    void startLab() {
        QuarkusMock.installMockForType(clock, Clock.class); // in @BeforeAll: for every test of the class
        lab = LingerTestKey.labHost("job");
    }

    @Test
    @Order(0)
    void theLabHostIsAddedTrustedAndCollected() {
        operator = users.create("operator");
        approver = users.create("approver");
        approver2 = users.create("approver");
        hostId = ((Number) admin().body(Map.of("name", "job-" + lab.namespace(), "address", lab.address(), "sshUser",
                lab.user())).post("/api/v1/hosts").then().statusCode(201).extract().path("id")).longValue();
        admin().post("/api/v1/hosts/" + hostId + "/collect");
        admin().body(Map.of("fingerprint", lab.hostKeyFingerprint())).post("/api/v1/hosts/" + hostId
                + "/host-key/trust").then().statusCode(200);
        collect();
        original = values();
        assertEquals(3, original.size());
    }

    @AfterAll
    void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }

    void collect() {
        admin().post("/api/v1/hosts/" + hostId + "/collect").then().statusCode(200).body("ok", equalTo(true));
    }

    Map<String, String> values() {
        Map<String, String> v = new java.util.LinkedHashMap<>();
        KEEPALIVE.forEach(k -> v.put(k, lab.exec("sysctl", "-n", k).strip()));
        return v;
    }

    long incident(String kind, int port) {
        return ((Number) admin().get("/api/v1/incidents?status=ACTIVE&hostId=" + hostId + "&kind=" + kind).then()
                .statusCode(200).extract().jsonPath().get("find { it.port == " + port + " }.id")).longValue();
    }

    /**
     * The keepalive runbook on the lab's CLOSE-WAIT leak, whose sockets have no keepalive timer: proposed with an
     * override (the check proves it cannot help), so it needs two approvers.
     */
    long keepaliveJob(long incident, String idle) {
        JsonPath proposed = as(operator).body(Map.of("runbook", "tcp-keepalive-runtime", "hostId", hostId,
                "incidentId", incident, "reason", "CLOSE-WAIT piling up on :9080",
                "params", Map.of("idle_seconds", idle, "interval_seconds", "10", "probes", "4"),
                "override", "rehearsing the keepalive runbook and its rollback on the lab")).post("/api/v1/jobs").then()
                .statusCode(201).body("approvalsNeeded", equalTo(2)).extract().jsonPath();
        return proposed.getLong("id");
    }

    @Test
    @Order(1)
    void aRunbookThatACheckProvesUselessIsRefusedUnlessTheOperatorOverridesIt() {
        lab.closeWait(9080, 12);
        collect();
        long incident = incident("CLOSE_WAIT_LEAK", 9080);
        long jobs = Sql.count("SELECT count(*) FROM job");
        long audited = Sql.auditEvents();
        Map<String, Object> proposal = new java.util.HashMap<>(Map.of("runbook", "tcp-keepalive-runtime", "hostId",
                hostId, "incidentId", incident, "reason", "CLOSE-WAIT piling up on :9080"));
        as(operator).body(proposal).post("/api/v1/jobs").then().statusCode(409)
                .body("error", containsString("cannot help")).body("error", containsString("override"))
                .body("overridable", equalTo(true))
                .body("checks.find { it.check == 'KEEPALIVE_IN_USE' }.holds", equalTo(false));
        proposal.put("override", "   ");
        as(operator).body(proposal).post("/api/v1/jobs").then().statusCode(409);
        assertEquals(jobs, Sql.count("SELECT count(*) FROM job"), "refused: nothing stored");
        assertEquals(audited, Sql.auditEvents(), "refused: nothing audited");

        // on the page: the same refusal, with the override field marked
        dev.linger.Browser op = dev.linger.Browser.signedIn(operator.name(), operator.password());
        Map<String, Object> form = new java.util.HashMap<>(Map.of("runbook", "tcp-keepalive-runtime", "hostId",
                String.valueOf(hostId), "incidentId", String.valueOf(incident), "reason", "CLOSE-WAIT on :9080",
                "p.port", "9080"));
        String refused = op.postForm("/jobs", form).then().statusCode(409).extract().asString();
        assertTrue(refused.contains("cannot help") && refused.contains("To propose it anyway, say why here.")
                && refused.contains("id=\"override\""), refused);

        form.put("override", "the owner cannot be restarted tonight; we accept it may not help");
        io.restassured.response.Response proposed = op.postForm("/jobs", form);
        proposed.then().statusCode(303);
        String location = proposed.header("Location");
        long id = Long.parseLong(location.substring(location.lastIndexOf('/') + 1));
        JsonPath job = Jobs.job(id);
        assertEquals(2, job.getInt("approvalsNeeded"), "LOW, plus one for the override");
        assertEquals("the owner cannot be restarted tonight; we accept it may not help", job.getString("overrideReason"));
        assertEquals(List.of("KEEPALIVE_IN_USE"), job.getList("plan.override.checks"));
        assertEquals(1, Sql.count("SELECT count(*) FROM audit_event WHERE action = 'job.proposed' AND subject_id = ?"
                + " AND details->>'override' = ?", String.valueOf(id),
                "the owner cannot be restarted tonight; we accept it may not help"));
        String page = op.get("/jobs/" + id).then().statusCode(200).extract().asString();
        assertTrue(page.contains("class=\"override\"") && page.contains("Proposed although a check shows it cannot help")
                && page.contains("overrode the failed check: “the owner cannot be restarted tonight")
                && page.contains("✗ None of the 12 CLOSE-WAIT sockets on port 9080 has a keepalive timer")
                && page.contains("Values at planning") && !page.contains("Values now"), page);
        assertEquals(1, page.split("has a keepalive timer", -1).length - 1,
                "the overridden check is said once, in the red box, not again in the plain list of checks");

        decide(approver, id, "APPROVE", 200);
        assertEquals("PENDING_APPROVAL", Jobs.job(id).getString("status"), "one approver is not enough any more");
        as(operator).post("/api/v1/jobs/" + id + "/cancel").then().statusCode(200);

        // an override where every check holds is refused too: it would only add noise to the plan
        proposal.put("runbook", Jobs.readOnlyRunbook("LOW"));
        proposal.remove("incidentId");
        proposal.put("override", "just because");
        as(operator).body(proposal).post("/api/v1/jobs").then().statusCode(400)
                .body("fields.override", containsString("nothing to override"));
    }

    @Test
    @Order(2)
    void aKeepaliveJobForACloseWaitLeakIsApprovedRunRecordedAndRolledBackExactly() {
        collect();
        long incident = incident("CLOSE_WAIT_LEAK", 9080);
        long id = keepaliveJob(incident, "300");
        JsonPath plan = Jobs.job(id);
        assertEquals("9080", plan.getString("params.port"), "the port came from the incident");
        assertTrue(plan.getString("plan.steps[0].values.'net.ipv4.tcp_keepalive_time'")
                .startsWith(original.get("net.ipv4.tcp_keepalive_time") + " → 300"), plan.prettify());
        assertTrue(plan.getString("plan.checks[0].message").contains("cannot close them"),
                "the plan says plainly that keepalive cannot help these sockets");

        decide(approver, id, "APPROVE", 200);
        decide(approver2, id, "APPROVE", 200); // the override asks for a second approver
        JsonPath done = await(id, RUN, "SUCCEEDED", "FAILED");
        assertEquals("SUCCEEDED", done.getString("status"), done.getString("outcome"));
        assertEquals(Map.of("net.ipv4.tcp_keepalive_time", "300", "net.ipv4.tcp_keepalive_intvl", "10",
                "net.ipv4.tcp_keepalive_probes", "4"), values());
        List<Map<String, Object>> changes = done.getList("sysctlChanges");
        assertEquals(3, changes.size());
        for (Map<String, Object> c : changes) {
            assertEquals(original.get(c.get("key")), c.get("before"));
            assertEquals(c.get("intended"), c.get("after"));
            assertEquals(false, c.get("persistent"));
        }

        String page = dev.linger.Browser.signedIn(operator.name(), operator.password()).get("/jobs/" + id).then()
                .statusCode(200).extract().asString();
        assertTrue(page.contains("Sysctl changes: before and after") && page.contains("Propose the rollback")
                && page.contains("<code>300</code>"), page);
        // the plan of a finished job shows what the job recorded, not the values read when it was planned
        String planPart = page.substring(page.indexOf("<h2>Plan</h2>"));
        assertTrue(planPart.contains("Recorded before → after") && planPart.contains("net.ipv4.tcp_keepalive_time: "
                + original.get("net.ipv4.tcp_keepalive_time") + " → 300") && !planPart.contains("Values now"), planPart);
        long rollback = as(operator).body(Map.of("reason", "the owner is fixed; back to the defaults"))
                .post("/api/v1/jobs/" + id + "/rollback").then().statusCode(201).body("status",
                        equalTo("PENDING_APPROVAL")).body("rollbackOf", equalTo((int) id)).extract().jsonPath()
                .getLong("id");
        assertEquals(List.of("RESTORE_SYSCTL", "RESTORE_SYSCTL", "RESTORE_SYSCTL"),
                Jobs.job(rollback).getList("plan.steps.type"));
        decide(approver2, rollback, "APPROVE", 200);
        JsonPath rolled = await(rollback, RUN, "SUCCEEDED", "FAILED");
        assertEquals("SUCCEEDED", rolled.getString("status"), rolled.getString("outcome"));
        assertEquals(original, values(), "every value exactly as it was");
        Jobs.job(id).getList("sysctlChanges.rolledBackAt").forEach(t -> assertNotNull(t));
        // the rollback's plan and outcome are facts: said in Chinese on a Chinese page, in English in the API
        String zh = dev.linger.Browser.signedIn(operator.name(), operator.password()).acceptLanguage("zh-CN")
                .get("/jobs/" + rollback).then().statusCode(200).extract().asString();
        assertTrue(zh.contains("已回滚：任务 #" + id + " 记录的每项改动都已撤销。") && zh.contains("改回 ")
                && zh.contains("前提是它仍是任务留下的"), zh);
        assertEquals("Rolled back: every recorded change of job " + id + " is undone.", rolled.getString("outcome"));
        assertTrue(rolled.getString("plan.steps[0].changes").startsWith("Sets net.ipv4.tcp_keepalive"),
                rolled.getString("plan.steps[0].changes"));
        as(operator).body(Map.of("reason", "again")).post("/api/v1/jobs/" + rollback + "/rollback").then()
                .statusCode(409).body("error", containsString("itself a rollback"));
        as(operator).body(Map.of("reason", "again")).post("/api/v1/jobs/" + id + "/rollback").then().statusCode(409);
    }

    @Test
    @Order(3)
    void driftStopsARollbackUntilAnApproverOverrides() {
        long id = keepaliveJob(incident("CLOSE_WAIT_LEAK", 9080), "400");
        decide(approver, id, "APPROVE", 200);
        decide(approver2, id, "APPROVE", 200);
        await(id, RUN, "SUCCEEDED");
        lab.setSysctl("net.ipv4.tcp_keepalive_time", "555"); // someone changed it by hand meanwhile

        long first = as(operator).body(Map.of("reason", "undo")).post("/api/v1/jobs/" + id + "/rollback").then()
                .statusCode(201).extract().jsonPath().getLong("id");
        decide(approver2, first, "APPROVE", 200);
        JsonPath stopped = await(first, RUN, "FAILED", "SUCCEEDED");
        assertEquals("FAILED", stopped.getString("status"));
        assertTrue(stopped.getString("outcome").contains("drift"), stopped.getString("outcome"));
        assertEquals("555", values().get("net.ipv4.tcp_keepalive_time"), "a drifted value is left alone");

        long second = as(operator).body(Map.of("reason", "undo, whatever was set by hand"))
                .post("/api/v1/jobs/" + id + "/rollback").then().statusCode(201).extract().jsonPath().getLong("id");
        as(approver2).body(Map.of("decision", "APPROVE", "overrideDrift", true)).post("/api/v1/jobs/" + second
                + "/approvals").then().statusCode(200);
        JsonPath forced = await(second, RUN, "SUCCEEDED", "FAILED");
        assertEquals("SUCCEEDED", forced.getString("status"), forced.getString("outcome"));
        assertEquals(original, values());
    }

    @Test
    @Order(4)
    void inANamespaceTheDrainCannotRunAndTheTargetedKillRemovesOnlyThatPort() throws Exception {
        try (Fault orphans = lab.finWait1(9081, 3)) {
            collect(); // first seen now...
            clock.advance(Duration.ofMillis(2_500)); // ...and stuck once seen for 2 s (60 s in production)
            collect();
            long incident = incident("FIN_WAIT1_STUCK", 9081);
            as(operator).body(Map.of("runbook", "fin-wait1-drain-orphans", "hostId", hostId, "incidentId", incident,
                    "reason", "drain")).post("/api/v1/jobs").then().statusCode(409)
                    .body("error", containsString("net.ipv4.tcp_max_orphans does not exist on this host"));

            long id = ((Number) as(operator).body(Map.of("runbook", "kill-fin-wait1-sockets", "hostId", hostId,
                    "incidentId", incident, "reason", "kill the stuck sockets of :9081")).post("/api/v1/jobs").then()
                    .statusCode(201).body("plan.steps[0].blastRadius", containsString("3 FIN_WAIT1 sockets on :9081"))
                    .extract().path("id")).longValue();
            decide(approver, id, "APPROVE", 200);
            JsonPath done = await(id, RUN, "SUCCEEDED", "FAILED");
            assertEquals("SUCCEEDED", done.getString("status"), done.getString("outcome"));
            assertEquals("", lab.exec("ss", "-Htn", "state", "fin-wait-1", "( sport = :9081 )").strip());
            assertEquals(12, lab.exec("ss", "-Htn", "state", "close-wait", "( sport = :9080 )").strip().split("\n")
                    .length, "the other port's sockets are untouched");
            assertEquals("RESOLVED", admin().get("/api/v1/incidents/" + incident).then().extract().path("status"),
                    "the VERIFY step saw the condition gone and resolved the incident");
        }
    }

    @Test
    @Order(5)
    void onTheLocalHostTheDrainKillsTheOrphansAndPutsTheLimitBack() throws Exception {
        Path limit = Path.of("/proc/sys/net/ipv4/tcp_max_orphans");
        String before = Files.readAllLines(limit).get(0).strip();
        int port = 19081;
        try (Fault orphans = Fault.onThisMachine("fin-wait1", port, 3)) {
            assertEquals(3, finWait1(port), "three orphaned FIN-WAIT-1 sockets on loopback");
            long local = Jobs.localHost();
            long id = ((Number) as(operator).body(Map.of("runbook", "fin-wait1-drain-orphans", "hostId", local,
                    "params", Map.of("port", String.valueOf(port)), "reason", "drain the orphans of :" + port))
                    .post("/api/v1/jobs").then().statusCode(201)
                    .body("plan.steps[1].blastRadius", containsString("is system-wide"))
                    .extract().path("id")).longValue();
            decide(approver, id, "APPROVE", 200);
            decide(approver2, id, "APPROVE", 200); // HIGH: two approvers
            JsonPath done = await(id, RUN, "SUCCEEDED", "FAILED");
            assertEquals("SUCCEEDED", done.getString("status"), done.getString("outcome") + " " + done.getList("steps"));
            assertEquals(0, finWait1(port));
            assertEquals(before, Files.readAllLines(limit).get(0).strip(), "tcp_max_orphans is back at its recorded value");
            assertEquals(List.of("0", before), done.getList("sysctlChanges.after"));
            assertEquals(0, Sql.count("SELECT count(*) FROM sysctl_change WHERE job_id = ? AND after IS NULL", id));
        } finally {
            Files.writeString(limit, before); // whatever happened, never leave the machine without orphans
        }
    }

    @Test
    @Order(6)
    void aPortThatDrainedWhileItsJobWaitedEndsTheJobAsNotNeeded() {
        long id;
        try (Fault leak = lab.closeWait(9090, 3)) {
            id = ((Number) as(operator).body(Map.of("runbook", "kill-close-wait-sockets", "hostId", hostId, "params",
                    Map.of("port", "9090"), "reason", "free :9090")).post("/api/v1/jobs").then().statusCode(201)
                    .extract().path("id")).longValue();
            decide(approver, id, "APPROVE", 200);
        } // the owner went away while the job waited for its second approver: its sockets are gone
        decide(approver2, id, "APPROVE", 200);
        JsonPath done = await(id, RUN, "SUCCEEDED", "FAILED");
        assertEquals("SUCCEEDED", done.getString("status"));
        assertTrue(done.getString("outcome").startsWith("Not needed"), done.getString("outcome"));
        assertEquals(List.of(), done.getList("steps"), "nothing ran");
    }

    static int finWait1(int port) throws Exception {
        Process p = new ProcessBuilder("ss", "-Htn", "state", "fin-wait-1", "( sport = :" + port + " )").start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        p.waitFor();
        return out.isEmpty() ? 0 : out.split("\n").length;
    }
}
