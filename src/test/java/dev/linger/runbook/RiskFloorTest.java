package dev.linger.runbook;

import static dev.linger.Api.admin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.linger.Browser;
import dev.linger.Sql;
import dev.linger.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/**
 * Issue 12 item 3: a runbook's risk has a floor read from its steps. Nobody saves under it, only an admin lowers a
 * runbook's risk at all, and the runbook page says what the floor is and why, in both languages.
 */
@QuarkusTest
class RiskFloorTest {

    @Inject
    TestUsers users;

    static RequestSpecification as(TestUsers.Person p) {
        return given().auth().preemptive().basic(p.name(), p.password()).contentType("application/json");
    }

    static Map<String, Object> setting(String slug, String risk, String key, String value) {
        Map<String, Object> body = new HashMap<>();
        body.put("slug", slug);
        body.put("title", "Set " + key);
        body.put("risk", risk);
        body.put("steps", List.of(Map.of("type", "SET_SYSCTL", "key", key, "value", value)));
        return body;
    }

    static String slug() {
        return "floor-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void anOperatorCannotMakeTheOrphanDrainLow() {
        TestUsers.Person operator = users.create("operator");
        Map<String, Object> shipped = admin().get("/api/v1/runbooks/fin-wait1-drain-orphans").then().statusCode(200)
                .body("riskFloor", equalTo("HIGH")).extract().as(Map.class);
        Map<String, Object> body = new HashMap<>(shipped);
        body.keySet().retainAll(List.of("title", "description", "fits", "params"));
        body.put("risk", "LOW");
        body.put("steps", List.of(
                Map.of("type", "READ_SYSCTL", "key", "net.ipv4.tcp_max_orphans"),
                Map.of("type", "SET_SYSCTL", "key", "net.ipv4.tcp_max_orphans", "value", "0"),
                Map.of("type", "WAIT_SOCKETS", "state", "FIN_WAIT1", "port", "{port}", "timeoutSeconds", 60),
                Map.of("type", "RESTORE_SYSCTL", "key", "net.ipv4.tcp_max_orphans")));
        long versions = Sql.count("SELECT count(*) FROM runbook_version v JOIN runbook r ON r.id = v.runbook_id"
                + " WHERE r.slug = ?", "fin-wait1-drain-orphans");
        long audit = Sql.auditEvents();

        as(operator).body(body).put("/api/v1/runbooks/fin-wait1-drain-orphans").then().statusCode(400)
                .body("fields.risk", equalTo("This runbook’s risk cannot be low: the steps put it at high risk or above."
                        + " Step 2 sets net.ipv4.tcp_max_orphans, one value for the whole machine (high risk)."));
        // an admin is held by the floor too
        admin().body(body).put("/api/v1/runbooks/fin-wait1-drain-orphans").then().statusCode(400)
                .body("fields.risk", containsString("the steps put it at high risk or above"));

        assertEquals(versions, Sql.count("SELECT count(*) FROM runbook_version v JOIN runbook r ON r.id = v.runbook_id"
                + " WHERE r.slug = ?", "fin-wait1-drain-orphans"));
        assertEquals(audit, Sql.auditEvents());
        admin().get("/api/v1/runbooks/fin-wait1-drain-orphans").then().body("risk", equalTo("HIGH"));
    }

    @Test
    void machineWideKernelAndMemoryKeysAreCriticalSoOnlyAnAdminSavesThem() {
        TestUsers.Person operator = users.create("operator");
        for (String[] kv : List.of(new String[] {"kernel.panic_on_oops", "1"},
                new String[] {"vm.nr_hugepages", "64"})) {
            as(operator).body(setting(slug(), "LOW", kv[0], kv[1])).post("/api/v1/runbooks").then().statusCode(400)
                    .body("fields.risk", startsWith("This runbook’s risk cannot be low: the steps put it at critical risk or"
                            + " above. Step 1 sets " + kv[0] + ", "));
            as(operator).body(setting(slug(), "HIGH", kv[0], kv[1])).post("/api/v1/runbooks").then()
                    .statusCode(400).body("fields.risk", containsString("the steps put it at critical risk or above"));
            // CRITICAL is an admin's call, as it was
            as(operator).body(setting(slug(), "CRITICAL", kv[0], kv[1])).post("/api/v1/runbooks").then()
                    .statusCode(403);
        }
        String slug = slug();
        admin().body(setting(slug, "CRITICAL", "kernel.panic_on_oops", "1")).post("/api/v1/runbooks").then()
                .statusCode(201).body("riskFloor", equalTo("CRITICAL")).body("scope", equalTo("MACHINE"));
        // a network key Linger does not know may be machine-wide: HIGH at least
        as(operator).body(setting(slug(), "LOW", "net.core.rmem_max", "212992")).post("/api/v1/runbooks").then()
                .statusCode(400).body("fields.risk", containsString("a key Linger does not know"));
        // a known per-namespace key stays LOW
        as(operator).body(setting(slug(), "LOW", "net.ipv4.tcp_keepalive_time", "600")).post("/api/v1/runbooks")
                .then().statusCode(201).body("riskFloor", equalTo("LOW")).body("scope", equalTo("NAMESPACE"));
    }

    @Test
    void persistingRaisesTheFloorAndKillingHeldSocketsOrEndingAProcessIsHigh() {
        TestUsers.Person operator = users.create("operator");
        Map<String, Object> persist = setting(slug(), "LOW", "x", "1");
        persist.put("steps", List.of(Map.of("type", "PERSIST_SYSCTL", "file", "90-x.conf", "entries",
                "net.ipv4.tcp_keepalive_time = 1800")));
        as(operator).body(persist).post("/api/v1/runbooks").then().statusCode(400)
                .body("fields.risk", containsString("Step 1 writes net.ipv4.tcp_keepalive_time to /etc/sysctl.d, so it"
                        + " outlives a reboot (high risk)"));
        persist.put("steps", List.of(Map.of("type", "PERSIST_SYSCTL", "file", "90-x.conf", "entries",
                "net.ipv4.tcp_max_orphans = 0")));
        persist.put("risk", "HIGH");
        as(operator).body(persist).post("/api/v1/runbooks").then().statusCode(400)
                .body("fields.risk", containsString("the steps put it at critical risk or above"));

        Map<String, Object> kill = setting(slug(), "LOW", "x", "1");
        kill.put("steps", List.of(Map.of("type", "KILL_SOCKETS", "state", "CLOSE_WAIT", "port", 9080)));
        as(operator).body(kill).post("/api/v1/runbooks").then().statusCode(400)
                .body("fields.risk", containsString("destroys every CLOSE-WAIT socket of a port"));
        kill.put("steps", List.of(Map.of("type", "KILL_SOCKETS", "state", "FIN_WAIT1", "port", 9080)));
        as(operator).body(kill).post("/api/v1/runbooks").then().statusCode(201).body("scope", equalTo("PORT"));

        Map<String, Object> signal = setting(slug(), "LOW", "x", "1");
        signal.put("steps", List.of(Map.of("type", "SIGNAL_PROCESS", "pid", 4242, "signal", "TERM")));
        as(operator).body(signal).post("/api/v1/runbooks").then().statusCode(400)
                .body("fields.risk", containsString("sends SIGTERM to a process"));
    }

    @Test
    void onlyAnAdminLowersARunbooksRiskAndNeverUnderTheFloor() {
        TestUsers.Person operator = users.create("operator");
        String slug = slug();
        as(operator).body(setting(slug, "HIGH", "net.ipv4.tcp_keepalive_time", "600")).post("/api/v1/runbooks")
                .then().statusCode(201);
        long audit = Sql.auditEvents();
        Map<String, Object> lower = setting(slug, "LOW", "net.ipv4.tcp_keepalive_time", "600");
        lower.remove("slug");
        as(operator).body(lower).put("/api/v1/runbooks/" + slug).then().statusCode(403)
                .body(containsString("Only an admin may lower a runbook’s risk (here from HIGH to LOW)."));
        assertEquals(audit, Sql.auditEvents());
        // raising is anyone's call
        Map<String, Object> raised = setting(slug, "CRITICAL", "net.ipv4.tcp_keepalive_time", "600");
        raised.remove("slug");
        as(operator).body(raised).put("/api/v1/runbooks/" + slug).then().statusCode(403); // CRITICAL: admins only
        admin().body(lower).put("/api/v1/runbooks/" + slug).then().statusCode(200).body("risk", equalTo("LOW"))
                .body("version", equalTo(2));
        lower.put("steps", List.of(Map.of("type", "SET_SYSCTL", "key", "net.ipv4.tcp_keepalive_time", "value", "700")));
        lower.put("risk", "HIGH");
        as(operator).body(lower).put("/api/v1/runbooks/" + slug).then().statusCode(200).body("version", equalTo(3));
    }

    @Test
    void theEditorRefusesASaveUnderTheFloorAndSaysWhy() {
        TestUsers.Person operator = users.create("operator");
        Browser b = Browser.signedIn(operator.name(), operator.password());
        String slug = slug();
        Map<String, Object> form = new HashMap<>();
        form.put("mode", "new");
        form.put("slug", slug);
        form.put("title", "Orphans to zero");
        form.put("risk", "LOW");
        form.put("paramCount", "0");
        form.put("stepCount", "1");
        form.put("s0.type", "SET_SYSCTL");
        form.put("s0.key", "net.ipv4.tcp_max_orphans");
        form.put("s0.value", "0");
        form.put("s0.keep", "on");
        form.put("action", "save");
        b.postForm("/runbooks/editor", form).then().statusCode(400)
                .body(containsString("This runbook’s risk cannot be low: the steps put it at high risk or above."
                        + " Step 1 sets net.ipv4.tcp_max_orphans, one value for the whole machine (high risk)."));
        assertEquals(0, Sql.count("SELECT count(*) FROM runbook WHERE slug = ?", slug));
        form.put("action", "check");
        b.postForm("/runbooks/editor", form).then().statusCode(200).body(containsString("the steps put it at high risk or above"));
        form.put("action", "save");
        form.put("risk", "HIGH");
        b.postForm("/runbooks/editor", form).then().statusCode(303);
        assertEquals(1, Sql.count("SELECT count(*) FROM runbook WHERE slug = ?", slug));
    }

    @Test
    void theRunbookPageShowsTheFloorAndWhyInBothLanguages() {
        TestUsers.Person viewer = users.create("viewer");
        Browser en = Browser.signedIn(viewer.name(), viewer.password());
        en.get("/runbooks/fin-wait1-drain-orphans").then().statusCode(200)
                .body(containsString("Risk floor"))
                .body(containsString("The steps put this runbook at high risk or above"))
                .body(containsString("Step 2 sets net.ipv4.tcp_max_orphans, one value for the whole machine (high risk)."));
        en.get("/runbooks/tcp-keepalive-runtime").then().statusCode(200)
                .body(containsString("The steps need no more than low risk"))
                .body(not(containsString("The steps put this runbook at")));
        Browser zh = Browser.signedIn(viewer.name(), viewer.password()).acceptLanguage("zh-CN");
        zh.get("/runbooks/fin-wait1-drain-orphans").then().statusCode(200)
                .body(containsString("风险下限"))
                .body(containsString("第 2 步设置 net.ipv4.tcp_max_orphans，整台机器只有这一个值（高风险）。"))
                .body(containsString("这些步骤决定了本手册至少为高风险："))
                .body(not(containsString("（HIGH）")));
        zh.get("/runbooks/tcp-keepalive-persistent").then().statusCode(200)
                .body(containsString("第 1 步把 net.ipv4.tcp_keepalive_time 写入 /etc/sysctl.d，重启后依然生效（高风险）。"));
    }

    @Test
    void theShippedPersistentKeepaliveIsRaisedToItsFloorByANewVersion() {
        admin().get("/api/v1/runbooks/tcp-keepalive-persistent").then().statusCode(200)
                .body("risk", equalTo("HIGH")).body("riskFloor", equalTo("HIGH")).body("version", equalTo(2))
                .body("shipped", equalTo(true));
        admin().get("/api/v1/runbooks/tcp-keepalive-persistent?version=1").then().statusCode(200)
                .body("risk", equalTo("LOW"));
        // every shipped runbook's latest version sits at or above its floor
        for (Object s : admin().get("/api/v1/runbooks").then().extract().jsonPath().getList("slug")) {
            Map<String, Object> r = admin().get("/api/v1/runbooks/" + s).then().extract().as(Map.class);
            assertEquals(true, Risk.valueOf((String) r.get("risk")).compareTo(Risk.valueOf((String) r.get("riskFloor")))
                    >= 0, s + " is under its floor");
        }
    }

    @Test
    void aVersionSavedUnderItsFloorBeforeFloorsExistedStillNeedsTheApprovalsItsStepsCallFor() {
        String slug = slug();
        admin().body(setting(slug, "HIGH", "net.ipv4.tcp_max_orphans", "0")).post("/api/v1/runbooks").then()
                .statusCode(201);
        // what the API let an operator save before floors existed: the same machine-wide step at LOW
        Sql.count("""
                WITH v2 AS (INSERT INTO runbook_version (runbook_id, version, title, description, risk, fits, checks,
                                                         params, steps, change_note, created_at, created_by)
                            SELECT v.runbook_id, 2, v.title, v.description, 'LOW', v.fits, v.checks, v.params, v.steps,
                                   'lowered before floors existed', now(), 'operator'
                              FROM runbook_version v JOIN runbook r ON r.id = v.runbook_id
                             WHERE r.slug = ? AND v.version = 1
                            RETURNING runbook_id),
                     r AS (UPDATE runbook SET latest_version = 2 WHERE id IN (SELECT runbook_id FROM v2) RETURNING id)
                SELECT count(*) FROM r""", slug);
        TestUsers.Person operator = users.create("operator");
        TestUsers.Person approver = users.create("approver");
        long job = ((Number) as(operator).body(Map.of("runbook", slug, "hostId", dev.linger.job.Jobs.localHost(),
                "params", Map.of(), "reason", "a version under its floor")).post("/api/v1/jobs").then()
                .statusCode(201).extract().path("id")).longValue();
        assertEquals("HIGH", Sql.text("SELECT risk FROM job WHERE id = ?", job));
        as(approver).body(Map.of("decision", "APPROVE", "comment", "one is not enough"))
                .post("/api/v1/jobs/" + job + "/approvals").then().statusCode(200);
        assertEquals("PENDING_APPROVAL", Sql.text("SELECT status FROM job WHERE id = ?", job));
        as(operator).post("/api/v1/jobs/" + job + "/cancel").then().statusCode(200);
    }
}
