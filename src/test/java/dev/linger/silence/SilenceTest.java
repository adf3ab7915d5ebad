package dev.linger.silence;

import static dev.linger.Api.admin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.linger.Browser;
import dev.linger.MovableClock;
import dev.linger.Sql;
import dev.linger.TestDatabase;
import dev.linger.TestUsers;
import dev.linger.incident.Findings;
import dev.linger.incident.HookReceiver;
import dev.linger.incident.IncidentService;
import dev.linger.incident.Notifications;
import dev.linger.incident.Severity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Silences against a real HTTP receiver on loopback (the %test webhook URL): a silenced incident opens, shows marked
 * and sends nothing while an unsilenced one is delivered; a silence ends by itself when the clock passes its end;
 * bad silences are refused with a reason and change nothing.
 */
@QuarkusTest
class SilenceTest {

    @Inject
    IncidentService incidents;
    @Inject
    Notifications notifications;
    @Inject
    TestUsers users;

    private final MovableClock clock = new MovableClock();

    @BeforeEach
    void moveTimeByHand() {
        QuarkusMock.installMockForType(clock, Clock.class);
    }

    private static long newHost(String name) throws Exception {
        try (var c = TestDatabase.superuser(); var s = c.createStatement()) {
            s.execute("UPDATE notification SET failed_at = now() WHERE sent_at IS NULL AND failed_at IS NULL");
            s.execute("INSERT INTO host (name, address, transport, next_due_at, created_at, created_by) VALUES ('" + name
                    + "', 'h.example.net', 'SSH', now() + interval '1 day', now(), 'test')");
        }
        return Sql.count("SELECT id FROM host WHERE name = ?", name);
    }

    @Test
    void aSilencedIncidentOpensMarkedAndSendsNothingWhileAnotherIsDeliveredUntilTheSilenceEnds() throws Exception {
        String name = "quiet-" + UUID.randomUUID().toString().substring(0, 8);
        long host = newHost(name);
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        clock.set(t);
        TestUsers.Person operator = users.create("operator");
        long silence = ((Number) given().auth().preemptive().basic(operator.name(), operator.password())
                .contentType("application/json").body(Map.of("matchers", Map.of("hostId", host, "kind",
                        "FIN_WAIT1_STUCK", "port", 9081), "endsAt", t.plus(Duration.ofHours(1)).toString(), "comment",
                        "draining the load balancer")).post("/api/v1/silences").then().statusCode(201)
                .body("state", equalTo("ACTIVE")).extract().path("id")).longValue();
        assertEquals(1, Sql.count("SELECT count(*) FROM audit_event WHERE action = 'silence.created' AND subject_id = ?",
                String.valueOf(silence)));

        try (HookReceiver hook = HookReceiver.start()) {
            List<JsonNode> received = hook.received();
            QuarkusTransaction.requiringNew().run(() -> incidents.reconcile(host, name, List.of(
                    Findings.finWait1Stuck(9081, Severity.WARNING, 3, null),
                    Findings.closeWaitLeak(9082, Severity.WARNING, 40))));
            long quiet = Sql.count("SELECT id FROM incident WHERE host_id = ? AND port = 9081", host);
            long loud = Sql.count("SELECT id FROM incident WHERE host_id = ? AND port = 9082", host);
            assertEquals(1, notifications.sendDue());
            assertEquals(1, received.size());
            assertEquals(loud, received.get(0).get("incident").get("id").asLong());
            assertEquals(0, Sql.count("SELECT count(*) FROM notification WHERE incident_id = ?", quiet));

            // the silenced one still opened, and its page says why nobody hears of it
            Browser b = Browser.signedIn(operator.name(), operator.password());
            b.get("/incidents/" + quiet).then().statusCode(200).body(containsString("Silenced until"));
            b.get("/incidents").then().body(containsString("badge silenced"));

            // past its end the silence holds no more: the next transition is sent
            clock.advance(Duration.ofMinutes(61));
            given().auth().preemptive().basic(operator.name(), operator.password()).get("/api/v1/silences/" + silence)
                    .then().body("state", equalTo("OVER"));
            QuarkusTransaction.requiringNew().run(() -> incidents.reconcile(host, name, List.of(
                    Findings.finWait1Stuck(9081, Severity.CRITICAL, 9, null),
                    Findings.closeWaitLeak(9082, Severity.WARNING, 40))));
            assertEquals(1, notifications.sendDue());
            assertEquals(quiet, received.get(1).get("incident").get("id").asLong());
            assertEquals("escalated", received.get(1).get("incident").get("event").asText());
        }
    }

    @Test
    void aSilenceOnAHostLabelQuietsEveryHostThatCarriesItAndNoOther() throws Exception {
        String label = "maint-" + UUID.randomUUID().toString().substring(0, 8);
        String labelled = "lbl-" + UUID.randomUUID().toString().substring(0, 8);
        String plain = "pln-" + UUID.randomUUID().toString().substring(0, 8);
        long quietHost = newHost(labelled);
        long loudHost = newHost(plain);
        try (var c = TestDatabase.superuser(); var s = c.createStatement()) {
            s.execute("UPDATE host SET labels = ARRAY['" + label + "'] WHERE id = " + quietHost);
        }
        clock.set(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        admin().body(Map.of("matchers", Map.of("hostLabel", label), "endsAt", clock.instant().plus(Duration.ofHours(1))
                .toString(), "comment", "rack move")).post("/api/v1/silences").then().statusCode(201)
                .body("matchers.hostLabel", equalTo(label));
        try (HookReceiver hook = HookReceiver.start()) {
            QuarkusTransaction.requiringNew().run(() -> {
                incidents.reconcile(quietHost, labelled, List.of(Findings.closeWaitLeak(9082, Severity.WARNING, 40)));
                incidents.reconcile(loudHost, plain, List.of(Findings.closeWaitLeak(9082, Severity.WARNING, 40)));
            });
            assertEquals(1, notifications.sendDue());
            assertEquals(plain, hook.received().get(0).get("incident").get("host").asText());
            Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD).get("/incidents/" + Sql.count(
                    "SELECT id FROM incident WHERE host_id = ?", quietHost)).then().body(containsString("Silenced until"));
        }
        admin().body(Map.of("matchers", Map.of("hostLabel", "not a label"), "endsAt", clock.instant()
                .plus(Duration.ofHours(1)).toString(), "comment", "x")).post("/api/v1/silences").then()
                .statusCode(400).body("fields.hostLabel", containsString("host label"));
    }

    @Test
    void endingASilenceByHandIsAuditedAndKeepsItsRecord() throws Exception {
        long host = newHost("end-" + UUID.randomUUID().toString().substring(0, 8));
        clock.set(Instant.now());
        long id = ((Number) admin().body(Map.of("matchers", Map.of("hostId", host), "endsAt",
                clock.instant().plus(Duration.ofHours(2)).toString(), "comment", "maintenance"))
                .post("/api/v1/silences").then().statusCode(201).extract().path("id")).longValue();
        admin().delete("/api/v1/silences/" + id).then().statusCode(200).body("state", equalTo("OVER"))
                .body("endedBy", equalTo("admin"));
        admin().get("/api/v1/silences").then().body("id", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(
                (int) id)));
        admin().get("/api/v1/silences?all=true").then().body("id", org.hamcrest.Matchers.hasItem((int) id));
        assertEquals(1, Sql.count("SELECT count(*) FROM audit_event WHERE action = 'silence.ended' AND subject_id = ?",
                String.valueOf(id)));
    }

    @Test
    void badSilencesAreRefusedWithAReasonAndChangeNothing() throws Exception {
        long host = newHost("bad-" + UUID.randomUUID().toString().substring(0, 8));
        Instant now = Instant.now();
        clock.set(now);
        TestUsers.Person viewer = users.create("viewer");
        long before = Sql.count("SELECT count(*) FROM silence");
        long audited = Sql.auditEvents();
        String soon = now.plus(Duration.ofHours(1)).toString();
        record Bad(Map<String, Object> body, String field, String says) {
        }
        for (Bad bad : List.of(
                new Bad(Map.of("endsAt", soon, "comment", "x"), "matchers", "must match something"),
                new Bad(Map.of("matchers", Map.of("hostId", host), "startsAt", soon, "endsAt", now.plusSeconds(60)
                        .toString(), "comment", "x"), "endsAt", "not after the start"),
                new Bad(Map.of("matchers", Map.of("hostId", host), "endsAt", now.minusSeconds(60).toString(),
                        "comment", "x"), "endsAt", "already past"),
                new Bad(Map.of("matchers", Map.of("hostId", 999999999), "endsAt", soon, "comment", "x"), "hostId", ""),
                new Bad(Map.of("matchers", Map.of("kind", "NOT_A_KIND"), "endsAt", soon, "comment", "x"), "kind",
                        "not an incident kind"),
                new Bad(Map.of("matchers", Map.of("port", 70000), "endsAt", soon, "comment", "x"), "port", ""),
                new Bad(Map.of("matchers", Map.of("hostId", host), "endsAt", soon), "comment", "Say why"),
                new Bad(Map.of("matchers", Map.of("hostId", host), "comment", "x"), "endsAt", "Give an end"),
                new Bad(Map.of("matchers", Map.of("hostId", host), "recurrence", Map.of("days", List.of("FRX"), "from",
                        "22:00", "to", "06:00", "timeZone", "UTC"), "comment", "x"), "recurrence", "day of the week"),
                new Bad(Map.of("matchers", Map.of("hostId", host), "recurrence", Map.of("days", List.of("FRI"), "from",
                        "22:00", "to", "06:00", "timeZone", "Mars/Olympus"), "comment", "x"), "recurrence",
                        "not a time zone"))) {
            admin().body(bad.body()).post("/api/v1/silences").then().statusCode(400)
                    .body("fields." + bad.field(), containsString(bad.says()));
        }
        // forged or malformed requests: another origin, no body, not JSON, no credentials
        Map<String, Object> good = Map.of("matchers", Map.of("hostId", host), "endsAt", soon, "comment", "ok");
        admin().header("Origin", "http://evil.example").body(good).post("/api/v1/silences").then().statusCode(403);
        admin().post("/api/v1/silences").then().statusCode(400);
        given().auth().preemptive().basic(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD).contentType("text/plain")
                .body("matchers=all").post("/api/v1/silences").then().statusCode(415);
        given().contentType("application/json").body(good).post("/api/v1/silences").then().statusCode(401);
        given().auth().preemptive().basic(viewer.name(), viewer.password()).contentType("application/json").body(good)
                .post("/api/v1/silences").then().statusCode(403);
        assertEquals(before, Sql.count("SELECT count(*) FROM silence"));
        assertEquals(audited, Sql.auditEvents());
        // a weekly window needs no end: it holds for ten years unless ended
        admin().body(Map.of("matchers", Map.of("hostId", host), "recurrence", Map.of("days", List.of("FRI", "SAT"),
                "from", "22:00", "to", "06:00", "timeZone", "Europe/Berlin"), "comment", "weekend deploys"))
                .post("/api/v1/silences").then().statusCode(201).body("recurrence.days", equalTo(List.of("FRI", "SAT")))
                .body("recurrence.timeZone", equalTo("Europe/Berlin"));
        assertTrue(Sql.count("SELECT count(*) FROM silence WHERE host_id = ? AND weekly_days = 'FRI,SAT'", host) == 1);
    }
}
