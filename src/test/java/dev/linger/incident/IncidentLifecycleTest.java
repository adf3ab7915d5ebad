package dev.linger.incident;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.linger.Browser;
import dev.linger.Sql;
import dev.linger.TestDatabase;
import dev.linger.TestUsers;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/** The incident life on the real database, driven with findings as detection would produce them. */
@QuarkusTest
class IncidentLifecycleTest {

    @Inject
    IncidentService incidents;
    @Inject
    TestUsers users;

    long host;
    String name;

    @BeforeEach
    void aHost() throws Exception {
        name = "inc-" + UUID.randomUUID().toString().substring(0, 8);
        try (var c = TestDatabase.superuser(); var s = c.createStatement()) {
            s.execute("INSERT INTO host (name, address, transport, next_due_at, created_at, created_by) VALUES ('" + name
                    + "', 'i.example.net', 'SSH', now() + interval '1 day', now(), 'test')");
        }
        host = Sql.count("SELECT id FROM host WHERE name = ?", name);
    }

    static Finding leak(Severity severity, int count) {
        return Findings.closeWaitLeak(9080, severity, count);
    }

    void collect(Finding... findings) {
        QuarkusTransaction.requiringNew().run(() -> incidents.reconcile(host, name, List.of(findings)));
    }

    long incidentsOf(String kind) {
        return Sql.count("SELECT count(*) FROM incident WHERE host_id = ? AND kind = ?", host, kind);
    }

    @Test
    void aContinuingConditionIsOneIncidentThatEscalatesAndResolvesItselfWhenClear() {
        collect(leak(Severity.WARNING, 12));
        collect(leak(Severity.WARNING, 14));
        collect(leak(Severity.CRITICAL, 23));
        assertEquals(1, incidentsOf("CLOSE_WAIT_LEAK"));
        IncidentView i = incidents.list(null, host, "CLOSE_WAIT_LEAK", 5).get(0);
        assertEquals("CRITICAL", i.severity());
        String english = Findings.english(i.explanation());
        assertTrue(english.startsWith("23 sockets on :9080 are in CLOSE-WAIT. "), english);
        collect();
        collect();
        assertEquals("OPEN", incidents.get(i.id()).status(), "two clear collections are not enough");
        collect();
        IncidentView resolved = incidents.get(i.id());
        assertEquals("RESOLVED", resolved.status());
        assertEquals("linger", resolved.resolvedBy());
        assertEquals(List.of("OPENED", "ESCALATED", "RESOLVED"),
                incidents.timeline(i.id()).stream().map(IncidentView.Event::type).toList());
        List<IncidentView.Event> timeline = incidents.timeline(i.id());
        assertEquals("linger opened the incident", Findings.english(timeline.get(0).heading()));
        assertEquals("linger 打开了事件", dev.linger.i18n.Catalogue.render(timeline.get(0).heading(),
                java.util.Locale.CHINESE));
        assertTrue(Findings.english(timeline.get(0).message()).startsWith("12 sockets on :9080 are in CLOSE-WAIT."));
        assertEquals("The condition has been clear for 3 collections.", Findings.english(timeline.get(2).message()));
        assertEquals(3, Sql.count("SELECT count(*) FROM audit_event WHERE subject_type = 'incident' AND subject_id = ?"
                + " AND action IN ('incident.opened', 'incident.escalated', 'incident.resolved')", String.valueOf(i.id())));
        assertEquals(3, Sql.count("SELECT count(*) FROM notification WHERE incident_id = ?", i.id()));
    }

    @Test
    void aFlappingConditionReopensTheSameIncidentWithinTheWindow() {
        for (int round = 0; round < 4; round++) {
            collect(leak(Severity.WARNING, 11));
            collect();
            collect();
            collect();
        }
        assertEquals(1, incidentsOf("CLOSE_WAIT_LEAK"), "one incident per (host, kind, port) per window");
        long id = Sql.count("SELECT id FROM incident WHERE host_id = ? AND kind = 'CLOSE_WAIT_LEAK'", host);
        assertEquals(3, incidents.timeline(id).stream().filter(e -> e.type().equals("REOPENED")).count());
    }

    @Test
    void anUnreachableHostIsOneIncidentNotAStorm() {
        collect(leak(Severity.WARNING, 12));
        for (int i = 0; i < 5; i++) {
            QuarkusTransaction.requiringNew()
                    .run(() -> incidents.hostFailed(host, name, IncidentKind.HOST_UNREACHABLE, "connection refused"));
        }
        assertEquals(1, incidentsOf("HOST_UNREACHABLE"));
        assertEquals(1, incidentsOf("CLOSE_WAIT_LEAK"));
        assertEquals(2, Sql.count("SELECT count(*) FROM incident WHERE host_id = ? AND status = 'OPEN'", host),
                "the socket incident keeps its last evidence while the host does not answer");
        collect(leak(Severity.WARNING, 12));
        assertEquals(0, Sql.count("SELECT count(*) FROM incident WHERE host_id = ? AND kind = 'HOST_UNREACHABLE'"
                + " AND status <> 'RESOLVED'", host), "answering again ends it");
    }

    @Test
    void peopleAcknowledgeAndResolveThroughApiAndPagesAndViewersCannot() {
        collect(leak(Severity.CRITICAL, 30));
        long id = Sql.count("SELECT id FROM incident WHERE host_id = ? AND kind = 'CLOSE_WAIT_LEAK'", host);
        TestUsers.Person viewer = users.create("viewer");
        TestUsers.Person operator = users.create("operator");
        given().auth().preemptive().basic(viewer.name(), viewer.password()).contentType("application/json").post("/api/v1/incidents/" + id + "/acknowledge")
                .then().statusCode(403);
        given().auth().preemptive().basic(viewer.name(), viewer.password())
                .get("/api/v1/incidents?status=OPEN&hostId=" + host + "&kind=close_wait_leak")
                .then().statusCode(200).body("size()", equalTo(1)).body("[0].id", equalTo((int) id))
                .body("[0].hostId", equalTo((int) host)).body("[0].kind", equalTo("CLOSE_WAIT_LEAK"))
                .body("[0].port", equalTo(9080)).body("[0].severity", equalTo("CRITICAL"))
                .body("[0].status", equalTo("OPEN")).body("[0].explanation", containsString("CLOSE-WAIT"));
        given().auth().preemptive().basic(viewer.name(), viewer.password()).get("/api/v1/incidents?status=bogus")
                .then().statusCode(400).body("error", containsString("status is"));
        given().auth().preemptive().basic(operator.name(), operator.password()).contentType("application/json")
                .post("/api/v1/incidents/" + id + "/acknowledge").then().statusCode(200)
                .body("status", equalTo("ACKNOWLEDGED")).body("acknowledgedBy", equalTo(operator.name()));
        given().auth().preemptive().basic(operator.name(), operator.password()).contentType("application/json")
                .post("/api/v1/incidents/" + id + "/acknowledge").then().statusCode(409);
        Browser b = Browser.signedIn(operator.name(), operator.password());
        b.get("/incidents").then().statusCode(200).body(containsString("CLOSE-WAIT leak :9080"), containsString(name));
        b.get("/incidents/" + id).then().statusCode(200).body(containsString("30 sockets on :9080"),
                containsString("acknowledged"), containsString("Runbooks that fit"),
                containsString("/runbooks/kill-close-wait-sockets?port=9080"),
                containsString("/runbooks/tcp-keepalive-runtime?port=9080"),
                containsString("Not known yet: no collection has probed ss -K."));
        b.get("/").then().statusCode(200).body(containsString("CRITICAL"), containsString("CLOSE-WAIT leak :9080"));
        b.postForm("/incidents/" + id + "/resolve", Map.of()).then().statusCode(303);
        assertEquals("RESOLVED", incidents.get(id).status());
        assertEquals(operator.name(), incidents.get(id).resolvedBy());

    }
}
