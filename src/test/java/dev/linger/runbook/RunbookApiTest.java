package dev.linger.runbook;

import static dev.linger.Api.admin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.linger.Sql;
import dev.linger.TestDatabase;
import dev.linger.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/** Saving runbooks over the API: versions, who may, bad input that changes nothing, and the import call. */
@QuarkusTest
class RunbookApiTest {

    @Inject
    TestUsers users;

    static RequestSpecification as(TestUsers.Person p) {
        return given().auth().preemptive().basic(p.name(), p.password()).contentType("application/json");
    }

    static Map<String, Object> drainRunbook(String slug) {
        Map<String, Object> body = new HashMap<>();
        body.put("slug", slug);
        body.put("title", "Drain FIN-WAIT-1 on our app port");
        body.put("description", "Our own take on the drain.");
        body.put("risk", "HIGH");
        body.put("fits", List.of("FIN_WAIT1_STUCK"));
        body.put("params", List.of(Map.of("name", "port", "type", "PORT", "label", "Port", "defaultValue", "9080",
                "from", "INCIDENT_PORT")));
        body.put("steps", List.of(
                Map.of("type", "READ_SYSCTL", "key", "net.ipv4.tcp_max_orphans", "sourceLine", 3,
                        "sourceText", "sysctl -a | grep orphans"),
                Map.of("type", "SET_SYSCTL", "key", "net.ipv4.tcp_max_orphans", "value", 0),
                Map.of("type", "WAIT_SOCKETS", "state", "FIN_WAIT1", "port", "{port}", "timeoutSeconds", 120),
                Map.of("type", "RESTORE_SYSCTL", "key", "net.ipv4.tcp_max_orphans")));
        return body;
    }

    @Test
    void theApiSaysAStepsFactsInEnglishUnlessAskedForAnotherLanguage() {
        TestUsers.Person viewer = users.create("viewer");
        as(viewer).get("/api/v1/runbooks/fin-wait1-drain-orphans?port=9080").then().statusCode(200)
                .body("steps.changes", org.hamcrest.Matchers.hasItem(containsString(
                        "becomes 0 (until reboot). System-wide: one value for the whole machine")))
                .body("steps.undo.how", org.hamcrest.Matchers.hasItem("Reads only."))
                .body("checks[0].meaning", startsWith("net.ipv4.tcp_max_orphans exists on the host"))
                .body("riskFloorReasons[0]", containsString("(high risk)"));
        as(viewer).header("Accept-Language", "zh-CN,zh;q=0.9").get("/api/v1/runbooks/fin-wait1-drain-orphans?port=9080")
                .then().statusCode(200)
                .body("steps.changes", org.hamcrest.Matchers.hasItem(containsString("的运行时值改为 0（重启前有效）。全局生效")))
                .body("steps.undo.how", org.hamcrest.Matchers.hasItem("只读取。"))
                .body("riskFloorReasons[0]", containsString("（高风险）"));
    }

    static String slug() {
        return "rb-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void anOperatorSavesARunbookAndEditsMakeNewVersionsThatOldOnesSurvive() {
        TestUsers.Person operator = users.create("operator");
        String slug = slug();
        long auditBefore = Sql.auditEvents();
        as(operator).body(drainRunbook(slug)).post("/api/v1/runbooks").then().statusCode(201)
                .header("Location", containsString("/api/v1/runbooks/" + slug))
                .body("version", equalTo(1)).body("risk", equalTo("HIGH"))
                .body("checks.check", equalTo(List.of("ORPHAN_LIMIT_PRESENT")))
                .body("steps[0].sourceLine", equalTo(3))
                .body("steps[2].command", equalTo("ss -Htn state fin-wait-1 '( sport = :{port} )'"));
        assertEquals(auditBefore + 1, Sql.auditEvents());
        assertEquals(1, Sql.count("SELECT count(*) FROM audit_event WHERE action = 'runbook.created' AND subject_id = ?"
                + " AND actor = ?", slug, operator.name()));

        Map<String, Object> changed = drainRunbook(slug);
        changed.put("title", "Drain FIN-WAIT-1, shorter wait");
        changed.put("changeNote", "60 s is enough");
        as(operator).body(changed).put("/api/v1/runbooks/" + slug + "?baseVersion=1").then().statusCode(200)
                .body("version", equalTo(2)).body("title", equalTo("Drain FIN-WAIT-1, shorter wait"));
        // an editor still on version 1 is refused instead of silently undoing version 2
        changed.put("title", "Someone else's idea");
        as(operator).body(changed).put("/api/v1/runbooks/" + slug + "?baseVersion=1").then().statusCode(409)
                .body("error", containsString("Version 2 was saved"));
        // saving the same thing again is not a new version
        changed.put("title", "Drain FIN-WAIT-1, shorter wait");
        as(operator).body(changed).put("/api/v1/runbooks/" + slug).then().statusCode(400)
                .body("error", containsString("Nothing changed since version 2"));

        admin().get("/api/v1/runbooks/" + slug + "?version=1").then().statusCode(200)
                .body("title", equalTo("Drain FIN-WAIT-1 on our app port")).body("latestVersion", equalTo(2));
        admin().get("/api/v1/runbooks/" + slug + "/versions").then().statusCode(200).body("$", hasSize(2))
                .body("[0].version", equalTo(2)).body("[0].changeNote", equalTo("60 s is enough"));
        assertEquals(1, Sql.count("SELECT count(*) FROM audit_event WHERE action = 'runbook.version_added'"
                + " AND subject_id = ?", slug));
    }

    @Test
    void storedVersionsCannotBeChangedEvenInTheDatabase() throws SQLException {
        String slug = slug();
        admin().body(drainRunbook(slug)).post("/api/v1/runbooks").then().statusCode(201);
        try (Connection c = TestDatabase.superuser(); Statement s = c.createStatement()) {
            SQLException e = org.junit.jupiter.api.Assertions.assertThrows(SQLException.class, () -> s.executeUpdate(
                    "UPDATE runbook_version SET title = 'sneaky' WHERE runbook_id = (SELECT id FROM runbook WHERE slug = '"
                            + slug + "')"));
            assertTrue(e.getMessage().contains("immutable"), e.getMessage());
        }
        admin().get("/api/v1/runbooks/" + slug).then().body("title", equalTo("Drain FIN-WAIT-1 on our app port"));
    }

    @Test
    void rolesDecideWhoWritesAndOnlyAdminsWriteCriticalRunbooks() {
        TestUsers.Person viewer = users.create("viewer");
        TestUsers.Person operator = users.create("operator");
        as(viewer).get("/api/v1/runbooks").then().statusCode(200);
        as(viewer).body(drainRunbook(slug())).post("/api/v1/runbooks").then().statusCode(403);
        as(viewer).body(Map.of("text", "sysctl -w net.ipv4.tcp_fin_timeout=30")).post("/api/v1/runbooks/import")
                .then().statusCode(403);

        Map<String, Object> critical = drainRunbook(slug());
        critical.put("risk", "CRITICAL");
        critical.put("steps", List.of(Map.of("type", "SHELL", "command", "systemctl restart app")));
        long before = Sql.count("SELECT count(*) FROM runbook");
        as(operator).body(critical).post("/api/v1/runbooks").then().statusCode(403)
                .body("error", containsString("Only an admin"));
        assertEquals(before, Sql.count("SELECT count(*) FROM runbook"));
        admin().body(critical).post("/api/v1/runbooks").then().statusCode(201)
                .body("steps[0].command", equalTo("systemctl restart app"));
        // and an operator cannot edit it afterwards either
        critical.put("title", "changed");
        as(operator).body(critical).put("/api/v1/runbooks/" + critical.get("slug")).then().statusCode(403);
    }

    static List<Object[]> badRunbooks() {
        return List.of(
                new Object[] {"title", "", "title"},
                new Object[] {"title", "x".repeat(201), "title"},
                new Object[] {"risk", "EXTREME", "risk"},
                new Object[] {"fits", List.of("DISK_FULL"), "fits"},
                new Object[] {"slug", "Has Spaces", "slug"},
                new Object[] {"slug", "fin-wait1-drain-orphans", "slug"},
                new Object[] {"steps", List.of(), "steps"},
                new Object[] {"steps", List.of(Map.of("type", "SET_SYSCTL", "key", "net.ipv4.tcp_max_orphans",
                        "value", "0; reboot")), "steps[1].value"},
                new Object[] {"steps", List.of(Map.of("type", "SET_SYSCTL", "key", "net.ipv4.tcp_max_orphans",
                        "value", "$(curl 127.0.0.1)")), "steps[1].value"},
                new Object[] {"steps", List.of(Map.of("type", "KILL_SOCKETS", "state", "CLOSE_WAIT",
                        "port", "9080 -K")), "steps[1].port"},
                new Object[] {"steps", List.of(Map.of("type", "PERSIST_SYSCTL", "file", "../cron.d/evil.conf",
                        "entries", Map.of("net.ipv4.tcp_fin_timeout", "30"))), "steps[1].file"},
                new Object[] {"steps", List.of(Map.of("type", "FORMAT_DISK")), "steps[1].type"},
                new Object[] {"steps", List.of(Map.of("type", "SHELL", "command", "reboot")), "steps[1].type"},
                new Object[] {"params", List.of(Map.of("name", "Port!", "type", "PORT")), "params[1].name"},
                new Object[] {"params", List.of(Map.of("name", "port", "type", "STRING")), "params[1].type"},
                new Object[] {"params", List.of(Map.of("name", "port", "type", "PORT", "defaultValue", "80;id")),
                        "params[1].defaultValue"});
    }

    @ParameterizedTest
    @MethodSource("badRunbooks")
    void badInputIsRefusedByFieldAndChangesNothing(String field, Object value, String reported) {
        Map<String, Object> body = drainRunbook(slug());
        body.put(field, value);
        long runbooks = Sql.count("SELECT count(*) FROM runbook_version");
        long audit = Sql.auditEvents();
        int status = reported.equals("slug") && "fin-wait1-drain-orphans".equals(value) ? 409 : 400;
        admin().body(body).post("/api/v1/runbooks").then().statusCode(status)
                .body("fields." + (reported.contains("[") ? "'" + reported + "'" : reported),
                        org.hamcrest.Matchers.not(org.hamcrest.Matchers.emptyOrNullString()));
        assertEquals(runbooks, Sql.count("SELECT count(*) FROM runbook_version"));
        assertEquals(audit, Sql.auditEvents());
    }

    /**
     * Posts a 10 MB document the way a careful client does (Expect: 100-continue), so the refusal
     * arrives before the body is sent instead of as a reset connection.
     */
    static int tenMegabyteImport() throws Exception {
        String body = "{\"title\":\"big\",\"text\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}";
        String auth = java.util.Base64.getEncoder().encodeToString((TestUsers.ADMIN + ":" + TestUsers.ADMIN_PASSWORD)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port
                        + "/api/v1/runbooks/import"))
                .header("Authorization", "Basic " + auth).header("Content-Type", "application/json").expectContinue(true)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build();
        return java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build().send(request, java.net.http.HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Test
    void notJsonAtAllIsRefused() {
        admin().body("{not json").post("/api/v1/runbooks").then().statusCode(400);
        admin().post("/api/v1/runbooks").then().statusCode(400);
    }

    @Test
    void importProposesStepsAndSavesNothing() {
        long runbooks = Sql.count("SELECT count(*) FROM runbook");
        long audit = Sql.auditEvents();
        String text = "# Fix the port\n\n```\nsysctl -w net.ipv4.tcp_fin_timeout=30\nsystemctl restart network\n```\n";
        admin().body(Map.of("title", "", "text", text)).post("/api/v1/runbooks/import").then().statusCode(200)
                .body("title", equalTo("Fix the port"))
                .body("steps[0].type", equalTo("SET_SYSCTL"))
                .body("steps[0].key", equalTo("net.ipv4.tcp_fin_timeout"))
                .body("steps[0].command", equalTo("sysctl -w net.ipv4.tcp_fin_timeout=30"))
                .body("steps[0].sourceLine", equalTo(4))
                .body("steps[0].sourceText", equalTo("sysctl -w net.ipv4.tcp_fin_timeout=30"))
                .body("steps[1].type", equalTo("NOTE"))
                .body("steps[1].flag", equalTo("DANGEROUS"))
                .body("steps[1].warning", containsString("drops every connection"));
        assertEquals(runbooks, Sql.count("SELECT count(*) FROM runbook"));
        assertEquals(audit, Sql.auditEvents());
    }

    /** Written like the seed post: an orphan drain under one heading, keepalive tuning under the next. */
    static String twoProcedures() {
        try (var in = RunbookApiTest.class.getResourceAsStream("/runbook/import/two-procedures.txt")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Issue 12 item 11: one proposed runbook per procedure, each of which saves as it is. */
    @Test
    void importProposesOneRunbookPerProcedureWithKindsChecksAndWarnings() {
        TestUsers.Person operator = users.create("operator");
        String document = twoProcedures();
        io.restassured.response.Response r = as(operator).body(Map.of("title", "", "text", document))
                .post("/api/v1/runbooks/import");
        r.then().statusCode(200)
                .body("runbooks.title", equalTo(List.of("FIN_WAIT1", "CLOSE_WAIT")))
                .body("runbooks[0].fits", equalTo(List.of("FIN_WAIT1_STUCK")))
                .body("runbooks[0].checks", equalTo(List.of("ORPHAN_LIMIT_PRESENT")))
                .body("runbooks[0].risk", equalTo("HIGH"))
                .body("runbooks[0].steps.type", equalTo(List.of("READ_SYSCTL", "SET_SYSCTL", "WAIT_SOCKETS",
                        "RESTORE_SYSCTL")))
                .body("runbooks[0].warnings", hasSize(0))
                .body("runbooks[1].fits", equalTo(List.of("CLOSE_WAIT_LEAK")))
                .body("runbooks[1].checks", equalTo(List.of("KEEPALIVE_IN_USE")))
                .body("runbooks[1].params[0].from", equalTo("INCIDENT_PORT"))
                .body("runbooks[1].risk", equalTo("HIGH"))
                .body("runbooks[1].steps.type", equalTo(List.of("SET_SYSCTL", "SET_SYSCTL", "PERSIST_SYSCTL")))
                .body("runbooks[1].warnings.key", equalTo(List.of("net.ipv4.tcp_keepalive_time",
                        "net.ipv4.tcp_keepalive_intvl")))
                .body("runbooks[1].warnings[0].runtime", equalTo("600"))
                .body("runbooks[1].warnings[0].persisted", equalTo("1800"))
                .body("runbooks[1].warnings[0].message", containsString("sets net.ipv4.tcp_keepalive_time to 600 now"));
        for (int i = 0; i < 2; i++) {
            Map<String, Object> proposal = r.jsonPath().getMap("runbooks[" + i + "]");
            Map<String, Object> body = new HashMap<>(proposal);
            body.remove("warnings");
            body.put("sourceDocument", document);
            String slug = as(operator).body(body).post("/api/v1/runbooks").then().statusCode(201)
                    .body("fits", equalTo(proposal.get("fits")))
                    .body("checks.check", org.hamcrest.Matchers.hasItems(((List<?>) proposal.get("checks")).toArray()))
                    .extract().path("slug");
            assertTrue(slug.startsWith(i == 0 ? "fin-wait1" : "close-wait"), slug);
        }
    }

    @Test
    void hostileDocumentsAreRefusedOrBecomeHarmlessNotes() throws Exception {
        assertEquals(413, tenMegabyteImport());
        admin().body(Map.of("text", "a".repeat(1_000_001))).post("/api/v1/runbooks/import").then().statusCode(400)
                .body("fields.text", containsString("up to 1000000")).body("keys.text", equalTo("refuse.documentLong"));
        admin().body(Map.of("text", "\u0000\u0001\u0002ELF\u0000\u0000binary")).post("/api/v1/runbooks/import").then()
                .statusCode(400).body("fields.text", containsString("binary"));
        admin().body(Map.of("text", "```\nsysctl -w net.ipv4.tcp_keepalive_time=600;rm -rf /\n```\n"))
                .post("/api/v1/runbooks/import").then().statusCode(200)
                .body("steps.type", equalTo(List.of("NOTE")))
                .body("steps[0].command", org.hamcrest.Matchers.nullValue());
        admin().body("{}").post("/api/v1/runbooks/import").then().statusCode(400);
    }
}
