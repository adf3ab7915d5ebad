package dev.linger.note;

import static dev.linger.Api.admin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.linger.Browser;
import dev.linger.Sql;
import dev.linger.TestDatabase;
import dev.linger.TestUsers;
import dev.linger.incident.Findings;
import dev.linger.incident.HookReceiver;
import dev.linger.incident.IncidentService;
import dev.linger.incident.Notifications;
import dev.linger.incident.Severity;
import dev.linger.job.Jobs;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Notes on incidents and jobs (Markdown, rendered safely, audited, in the timeline, sent on request) and the search
 * box across hosts, incidents, jobs and runbooks, with time spans on the lists; bad input gets a 4xx and changes
 * nothing.
 */
@QuarkusTest
class NotesAndSearchTest {

    @Inject
    IncidentService incidents;
    @Inject
    Notifications notifications;
    @Inject
    TestUsers users;

    private static long host(String name) throws Exception {
        try (var c = TestDatabase.superuser(); var s = c.createStatement()) {
            s.execute("UPDATE notification SET failed_at = now() WHERE sent_at IS NULL AND failed_at IS NULL");
            s.execute("INSERT INTO host (name, address, transport, next_due_at, created_at, created_by) VALUES ('" + name
                    + "', '" + name + ".example.net', 'SSH', now() + interval '1 day', now(), 'test')");
        }
        return Sql.count("SELECT id FROM host WHERE name = ?", name);
    }

    @Test
    void aNoteIsMarkdownRenderedSafelyAuditedInTheTimelineAndSentOnRequest() throws Exception {
        String name = "noted-" + UUID.randomUUID().toString().substring(0, 8);
        long host = host(name);
        TestUsers.Person operator = users.create("operator");
        try (HookReceiver hook = HookReceiver.start()) {
            QuarkusTransaction.requiringNew().run(() -> incidents.reconcile(host, name, List.of(
                    Findings.closeWaitLeak(9082, Severity.WARNING, 40))));
            long incident = Sql.count("SELECT id FROM incident WHERE host_id = ?", host);
            notifications.sendDue();
            String markdown = "Drained **web-1** by hand, see `ss -tnp`.\n\n<script>alert(1)</script>\n\n"
                    + "[runbook](javascript:alert(1)) and [graph](https://grafana.example/d/1)\n\n"
                    + "![chart](https://evil.example/pixel.png)";
            given().auth().preemptive().basic(operator.name(), operator.password()).contentType("application/json")
                    .body(Map.of("text", markdown, "notify", true)).post("/api/v1/incidents/" + incident + "/notes")
                    .then().statusCode(201).body("author", equalTo(operator.name())).body("notified", equalTo(true))
                    .body("html", containsString("<strong>web-1</strong>"))
                    .body("html", containsString("<code>ss -tnp</code>"))
                    .body("html", containsString("&lt;script&gt;"))
                    .body("html", not(containsString("<script>")))
                    .body("html", not(containsString("javascript:")))
                    .body("html", containsString("href=\"https://grafana.example/d/1\""))
                    .body("html", containsString("rel=\"nofollow noopener noreferrer\""))
                    .body("html", not(containsString("<img")));
            assertEquals(1, Sql.count("SELECT count(*) FROM audit_event WHERE action = 'note.added' AND subject_id = ?",
                    String.valueOf(incident)));
            admin().get("/api/v1/incidents/" + incident + "/timeline").then().body("type", hasItem("NOTE"))
                    .body("find { it.type == 'NOTE' }.actor", equalTo(operator.name()));
            Browser.signedIn(operator.name(), operator.password()).get("/incidents/" + incident).then()
                    .statusCode(200).body(containsString("<strong>web-1</strong>"))
                    .body(not(containsString("<script>alert(1)</script>")));
            notifications.sendDue();
            assertTrue(hook.received().stream().anyMatch(b -> "note".equals(b.path("incident").path("event").asText())
                    && b.path("text").asText().contains("Drained")), hook.received().toString());
        }

        // a note on a job, from its page
        long job = ((Number) Jobs.as(operator).body(Map.of("runbook", Jobs.readOnlyRunbook("LOW"), "hostId",
                Jobs.localHost(), "reason", "notes on jobs")).post("/api/v1/jobs").then().statusCode(201).extract()
                .path("id")).longValue();
        Browser page = Browser.signedIn(operator.name(), operator.password());
        page.postForm("/jobs/" + job + "/notes", Map.of("text", "Paged the app team, *they* restart it at 03:00."))
                .then().statusCode(303);
        page.get("/jobs/" + job).then().body(containsString("<em>they</em>"));
        admin().get("/api/v1/jobs/" + job + "/notes").then().body("[0].body", containsString("Paged the app team"));
        admin().post("/api/v1/jobs/" + job + "/cancel").then().statusCode(200);
    }

    @Test
    void badNotesAreRefusedAndChangeNothing() throws Exception {
        long host = host("badnote-" + UUID.randomUUID().toString().substring(0, 8));
        long incident = Sql.count("WITH i AS (INSERT INTO incident (host_id, kind, port, severity, status, opened_at,"
                + " updated_at) VALUES (?, 'CLOSE_WAIT_LEAK', 9080, 'WARNING', 'OPEN', now(), now()) RETURNING id)"
                + " SELECT id FROM i", host);
        TestUsers.Person operator = users.create("operator");
        TestUsers.Person viewer = users.create("viewer");
        long notes = Sql.count("SELECT count(*) FROM note");
        long audited = Sql.auditEvents();
        var as = given().auth().preemptive().basic(operator.name(), operator.password()).contentType("application/json");
        as.body(Map.of("text", "  ")).post("/api/v1/incidents/" + incident + "/notes").then().statusCode(400)
                .body("fields.text", containsString("Write the note"));
        as.body(Map.of("text", "x".repeat(10_001))).post("/api/v1/incidents/" + incident + "/notes").then()
                .statusCode(400);
        as.body(Map.of("text", "bell\u0007")).post("/api/v1/incidents/" + incident + "/notes").then().statusCode(400);
        as.post("/api/v1/incidents/" + incident + "/notes").then().statusCode(400);
        as.body(Map.of("text", "x")).post("/api/v1/incidents/999999999/notes").then().statusCode(404);
        given().auth().preemptive().basic(operator.name(), operator.password()).contentType("text/plain").body("x")
                .post("/api/v1/incidents/" + incident + "/notes").then().statusCode(415);
        given().contentType("application/json").body(Map.of("text", "x")).post("/api/v1/incidents/" + incident
                + "/notes").then().statusCode(401);
        given().auth().preemptive().basic(viewer.name(), viewer.password()).contentType("application/json")
                .body(Map.of("text", "x")).post("/api/v1/incidents/" + incident + "/notes").then().statusCode(403);
        given().auth().preemptive().basic(operator.name(), operator.password()).contentType("application/json")
                .header("Origin", "http://evil.example").body(Map.of("text", "x"))
                .post("/api/v1/incidents/" + incident + "/notes").then().statusCode(403);
        assertEquals(notes, Sql.count("SELECT count(*) FROM note"));
        assertEquals(audited, Sql.auditEvents());
    }

    @Test
    void theSearchBoxFindsHostsIncidentsJobsAndRunbooksAlsoOfRemovedHostsWithinATimeSpan() throws Exception {
        String name = "found-" + UUID.randomUUID().toString().substring(0, 8);
        long host = host(name);
        QuarkusTransaction.requiringNew().run(() -> incidents.reconcile(host, name, List.of(
                Findings.closeWaitLeak(9082, Severity.WARNING, 40), Findings.finWait1Stuck(9081, Severity.WARNING, 3,
                        null))));
        long closeWait = Sql.count("SELECT id FROM incident WHERE host_id = ? AND port = 9082", host);
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        String tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1).toString();

        admin().get("/api/v1/search?q=" + name).then().statusCode(200).body("hosts.id", hasItem((int) host))
                .body("incidents.size()", equalTo(2));
        admin().get("/api/v1/search?q=host:" + name + " port:9082").then().body("incidents.id",
                equalTo(List.of((int) closeWait))).body("hosts.size()", equalTo(0));
        admin().get("/api/v1/search?q=kind:close-wait-leak " + name).then().body("incidents.id",
                equalTo(List.of((int) closeWait)));
        admin().get("/api/v1/search?q=" + name + "&from=" + tomorrow).then().body("incidents.size()", equalTo(0));
        admin().get("/api/v1/search?q=" + name + "&from=" + today + "&to=" + today).then()
                .body("incidents.size()", equalTo(2));
        admin().get("/api/v1/search?q=kind:FIN_WAIT1_STUCK").then().body("runbooks.title", hasItem("fin-wait1-drain-orphans"))
                .body("runbooks.title", not(hasItem("tcp-keepalive-runtime")));
        // %, _ and \\ are letters here, not wildcards
        admin().get("/api/v1/search?q=%25_%5C").then().statusCode(200).body("incidents.size()", equalTo(0));
        // the same span on the lists
        admin().get("/api/v1/incidents?hostId=" + host + "&status=ACTIVE&from=" + tomorrow).then().body("size()",
                equalTo(0));
        admin().get("/api/v1/incidents?hostId=" + host + "&status=ACTIVE&to=" + today).then().body("size()",
                equalTo(2));
        admin().get("/api/v1/jobs?from=" + tomorrow).then().statusCode(200).body("size()", equalTo(0));

        // history outlives hosts: a removed host's incidents are still found
        admin().delete("/api/v1/hosts/" + host).then().statusCode(204);
        admin().get("/api/v1/search?q=host:" + name).then().body("incidents.size()", equalTo(2))
                .body("hosts.size()", equalTo(0));
        Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD).get("/search?q=host:" + name).then()
                .statusCode(200).body(containsString("/incidents/" + closeWait));

        // bad input: a clear 400, never a 500
        admin().get("/api/v1/search?q=port:99999").then().statusCode(400).body("fields.q", containsString("65535"));
        admin().get("/api/v1/search?q=kind:NOPE").then().statusCode(400).body("fields.q", containsString("NOPE"));
        admin().get("/api/v1/search?q=x&from=yesterday").then().statusCode(400).body("fields.from",
                containsString("not a date"));
        admin().get("/api/v1/search?q=x&from=" + tomorrow + "&to=" + today).then().statusCode(400)
                .body("fields.to", containsString("after its start"));
        admin().get("/api/v1/search?q=" + "x".repeat(301)).then().statusCode(400);
        admin().get("/api/v1/incidents?from=soon").then().statusCode(400);
        assertFalse(Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD).get("/search?q=port:99999").then()
                .statusCode(400).extract().asString().isEmpty());
    }
}
