package dev.linger.channel;

import static dev.linger.Api.admin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
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
 * Notification channels against real HTTP receivers on loopback: routes by severity, kind and host label; a
 * resolution goes where its incident went; an escalation channel hears of what nobody acknowledged in its minutes
 * (moved by the test clock); a test button; a receiver that hangs costs one bounded timeout; bad channels are refused
 * with a reason and change nothing. Every channel here routes only a label of this test's hosts, and is removed
 * after, so other tests' incidents never reach it.
 */
@QuarkusTest
class ChannelTest {

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
        clock.set(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    }

    @AfterEach
    void removeTheChannels() throws Exception {
        try (var c = TestDatabase.superuser(); var s = c.createStatement()) {
            s.execute("UPDATE notification_channel SET removed_at = now(), enabled = false"
                    + " WHERE removed_at IS NULL AND host_label LIKE 'chan-%'");
        }
    }

    /** A host labelled with a fresh label; what was waiting in the outbox is put aside. */
    private static long labelledHost(String name, String label) throws Exception {
        try (var c = TestDatabase.superuser(); var s = c.createStatement()) {
            s.execute("UPDATE notification SET failed_at = now() WHERE sent_at IS NULL AND failed_at IS NULL");
            s.execute("INSERT INTO host (name, address, transport, next_due_at, created_at, created_by, labels) VALUES ('"
                    + name + "', 'h.example.net', 'SSH', now() + interval '1 day', now(), 'test', ARRAY['" + label
                    + "', 'other'])");
        }
        return Sql.count("SELECT id FROM host WHERE name = ?", name);
    }

    private static long channel(Map<String, Object> body) {
        return ((Number) admin().body(body).post("/api/v1/notification-channels").then().statusCode(201)
                .extract().path("id")).longValue();
    }

    private static String fresh(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void routesTakeSeverityKindAndHostLabelAndAResolutionGoesWhereItsIncidentWent() throws Exception {
        String name = fresh("route");
        String label = fresh("chan");
        long host = labelledHost(name, label);
        try (HookReceiver everything = HookReceiver.onFreePort(); HookReceiver critical = HookReceiver.onFreePort();
                HookReceiver elsewhere = HookReceiver.onFreePort(); HookReceiver env = HookReceiver.start()) {
            long all = channel(Map.of("name", fresh("all"), "url", everything.url(), "format", "SLACK",
                    "hostLabel", label));
            channel(Map.of("name", fresh("crit"), "url", critical.url(), "minSeverity", "CRITICAL", "kinds",
                    List.of("FIN_WAIT1_STUCK"), "hostLabel", label));
            channel(Map.of("name", fresh("else"), "url", elsewhere.url(), "hostLabel", fresh("chan")));

            QuarkusTransaction.requiringNew().run(() -> incidents.reconcile(host, name, List.of(
                    Findings.finWait1Stuck(9081, Severity.WARNING, 3, null),
                    Findings.closeWaitLeak(9082, Severity.WARNING, 40))));
            long finWait = Sql.count("SELECT id FROM incident WHERE host_id = ? AND port = 9081", host);
            long closeWait = Sql.count("SELECT id FROM incident WHERE host_id = ? AND port = 9082", host);
            assertEquals(4, notifications.sendDue(), "two to the every-incident channel, two to the environment's URL");
            assertEquals(2, everything.received().size());
            assertEquals(0, critical.received().size(), "warnings are not critical");
            assertEquals(2, env.received().size(), "LINGER_INCIDENTS_WEBHOOKS still hears of everything");
            JsonNode slack = everything.received().get(0);
            assertEquals(List.of("text"), iterable(slack.fieldNames()), "a Slack channel gets the text alone");
            assertTrue(slack.get("text").asText().contains(name), slack.toString());
            assertTrue(env.received().get(0).has("incident"), "the environment's URL gets the generic JSON");

            QuarkusTransaction.requiringNew().run(() -> incidents.reconcile(host, name, List.of(
                    Findings.finWait1Stuck(9081, Severity.CRITICAL, 9, null),
                    Findings.closeWaitLeak(9082, Severity.WARNING, 40))));
            notifications.sendDue();
            assertEquals(1, critical.received().size(), "raised to critical: the critical FIN-WAIT-1 route hears");
            assertEquals("escalated", critical.received().get(0).get("incident").get("event").asText());
            assertEquals(finWait, critical.received().get(0).get("incident").get("id").asLong());

            incidents.resolveByHand("admin", finWait);
            incidents.resolveByHand("admin", closeWait);
            notifications.sendDue();
            assertEquals(2, critical.received().size(), "its incident's resolution, not the other one");
            assertEquals("resolved", critical.received().get(1).get("incident").get("event").asText());
            assertEquals(5, everything.received().size());
            assertEquals(0, elsewhere.received().size(), "another label hears of nothing here");

            // every delivery shows on the incident, named by its channel
            admin().get("/api/v1/incidents/" + finWait + "/notifications").then().statusCode(200)
                    .body("event", equalTo(List.of("opened", "opened", "escalated", "escalated", "escalated",
                            "resolved", "resolved", "resolved")))
                    .body("status", not(org.hamcrest.Matchers.hasItem(not(equalTo("SENT")))));
            Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD).get("/incidents/" + finWait).then()
                    .statusCode(200).body(containsString("table class=\"deliveries\""));
            admin().get("/api/v1/notification-channels/" + all).then().body("lastDelivery.status", equalTo("SENT"))
                    .body("lastDelivery.event", equalTo("resolved"));
        }
    }

    @Test
    void anIncidentNobodyAcknowledgesGoesToTheEscalationChannelAfterItsMinutesOnce() throws Exception {
        String name = fresh("esc");
        String label = fresh("chan");
        long host = labelledHost(name, label);
        try (HookReceiver first = HookReceiver.onFreePort(); HookReceiver next = HookReceiver.onFreePort()) {
            channel(Map.of("name", fresh("first"), "url", first.url(), "hostLabel", label));
            long escalation = channel(Map.of("name", fresh("lead"), "url", next.url(), "hostLabel", label,
                    "escalateAfterMinutes", 15));
            QuarkusTransaction.requiringNew().run(() -> incidents.reconcile(host, name, List.of(
                    Findings.closeWaitLeak(9082, Severity.WARNING, 40),
                    Findings.closeWaitLeak(9083, Severity.WARNING, 40))));
            long ignored = Sql.count("SELECT id FROM incident WHERE host_id = ? AND port = 9082", host);
            long handled = Sql.count("SELECT id FROM incident WHERE host_id = ? AND port = 9083", host);
            incidents.acknowledge(TestUsers.ADMIN, handled);
            notifications.sendDue();
            assertEquals(2, first.received().size());
            assertEquals(0, next.received().size(), "an escalation channel is not told at once");

            clock.advance(Duration.ofMinutes(14).plusSeconds(59));
            assertEquals(0, incidents.pageUnacknowledged(), "not before its 15 minutes");
            clock.advance(Duration.ofSeconds(1));
            assertEquals(1, incidents.pageUnacknowledged(), "the acknowledged one is not escalated");
            assertEquals(0, incidents.pageUnacknowledged(), "paged once, not at every sweep");
            notifications.sendDue();
            assertEquals(1, next.received().size());
            JsonNode paged = next.received().get(0);
            assertEquals(ignored, paged.get("incident").get("id").asLong());
            assertEquals("unacknowledged", paged.get("incident").get("event").asText());
            assertTrue(paged.get("text").asText().contains("Nobody acknowledged this in 15 min"), paged.toString());
            assertEquals(1, Sql.count("SELECT count(*) FROM incident_event WHERE incident_id = ? AND type = 'PAGED'",
                    ignored));
            admin().get("/api/v1/incidents/" + ignored + "/timeline").then().body("type", org.hamcrest.Matchers
                    .hasItem("PAGED"));

            // resolved: the escalation channel heard of it, so it hears of the end too
            incidents.resolveByHand(TestUsers.ADMIN, ignored);
            notifications.sendDue();
            assertEquals(2, next.received().size());
            assertEquals("resolved", next.received().get(1).get("incident").get("event").asText());
            admin().get("/api/v1/notification-channels/" + escalation).then()
                    .body("escalateAfterMinutes", equalTo(15));
        }
    }

    @Test
    void aTestReachesTheChannelOrSaysWhyAndAHangingReceiverCostsOneBoundedTimeout() throws Exception {
        String label = fresh("chan");
        try (HookReceiver good = HookReceiver.onFreePort(); HookReceiver hangs = HookReceiver.onFreePort().hanging()) {
            long ok = channel(Map.of("name", fresh("ok"), "url", good.url(), "hostLabel", label));
            admin().post("/api/v1/notification-channels/" + ok + "/test").then().statusCode(200)
                    .body("status", equalTo("SENT")).body("event", equalTo("test"));
            assertEquals(1, good.received().size());
            assertTrue(good.received().get(0).get("text").asText().contains("sent by admin"));
            assertEquals(1, Sql.count("SELECT count(*) FROM audit_event WHERE action = 'channel.tested'"
                    + " AND subject_id = ?", String.valueOf(ok)));

            long closed = channel(Map.of("name", fresh("closed"), "url", "http://127.0.0.1:9/hook", "hostLabel", label));
            admin().post("/api/v1/notification-channels/" + closed + "/test").then().statusCode(200)
                    .body("status", equalTo("RETRYING")).body("lastError", containsString("ConnectException"));

            // a receiver that reads and never answers: the send gives up after linger.incidents.webhook-timeout (2 s
            // in tests), the row is retried later, and the page's button says so
            long hanging = channel(Map.of("name", fresh("hangs"), "url", hangs.url(), "hostLabel", label));
            long before = System.nanoTime();
            TestUsers.Person person = users.create("operator");
            Browser operator = Browser.signedIn(person.name(), person.password());
            operator.postForm("/channels/" + hanging + "/test", Map.of()).then().statusCode(303);
            long tookMs = (System.nanoTime() - before) / 1_000_000;
            assertTrue(tookMs < 8000, "bounded by the webhook timeout, took " + tookMs + " ms");
            admin().get("/api/v1/notification-channels/" + hanging).then()
                    .body("lastDelivery.status", equalTo("RETRYING"))
                    .body("lastDelivery.lastError", containsString("Timeout"));
            operator.get("/channels").then().statusCode(200).body(containsString("failed, retrying"))
                    .body(not(containsString(hangs.url())), containsString("http://127.0.0.1:"));
        }
    }

    @Test
    void badChannelsAreRefusedWithAReasonAndForgedRequestsChangeNothing() throws Exception {
        TestUsers.Person operator = users.create("operator");
        TestUsers.Person viewer = users.create("viewer");
        long before = Sql.count("SELECT count(*) FROM notification_channel");
        long audited = Sql.auditEvents();
        String taken = fresh("taken");
        String label = fresh("chan");
        channel(Map.of("name", taken, "url", "http://127.0.0.1:9/hook", "hostLabel", label));
        record Bad(Map<String, Object> body, String field, String says) {
        }
        for (Bad bad : List.of(
                new Bad(Map.of("name", "x", "url", "ftp://example.net/hook"), "url", "http:// or https://"),
                new Bad(Map.of("name", "x", "url", "javascript:alert(1)"), "url", "http:// or https://"),
                new Bad(Map.of("name", "x", "url", "file:///etc/passwd"), "url", "http:// or https://"),
                new Bad(Map.of("name", "x", "url", "http://user:secret@example.net/hook"), "url", "no user name"),
                new Bad(Map.of("name", "x", "url", "http:///nohost"), "url", "with a host"),
                new Bad(Map.of("url", "http://example.net/hook"), "name", "Name the channel"),
                new Bad(Map.of("name", taken.toUpperCase(), "url", "http://example.net/hook"), "name", "already"),
                new Bad(Map.of("name", "x", "url", "http://example.net/hook", "format", "XML"), "format", "SLACK"),
                new Bad(Map.of("name", "x", "url", "http://example.net/hook", "minSeverity", "LOW"), "minSeverity",
                        "WARNING"),
                new Bad(Map.of("name", "x", "url", "http://example.net/hook", "kinds", List.of("NOPE")), "kinds",
                        "not an incident kind"),
                new Bad(Map.of("name", "x", "url", "http://example.net/hook", "hostLabel", "no spaces"), "hostLabel",
                        "host label"),
                new Bad(Map.of("name", "x", "url", "http://example.net/hook", "escalateAfterMinutes", 0),
                        "escalateAfterMinutes", "1 to 10080"))) {
            admin().body(bad.body()).post("/api/v1/notification-channels").then().statusCode(400)
                    .body("fields." + bad.field(), containsString(bad.says()));
        }
        Map<String, Object> good = Map.of("name", fresh("good"), "url", "http://127.0.0.1:9/hook", "hostLabel", label);
        admin().header("Origin", "http://evil.example").body(good).post("/api/v1/notification-channels").then()
                .statusCode(403);
        admin().post("/api/v1/notification-channels").then().statusCode(400);
        given().auth().preemptive().basic(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD).contentType("text/plain")
                .body("name=x").post("/api/v1/notification-channels").then().statusCode(415);
        given().contentType("application/json").body(good).post("/api/v1/notification-channels").then().statusCode(401);
        given().auth().preemptive().basic(operator.name(), operator.password()).contentType("application/json")
                .body(good).post("/api/v1/notification-channels").then().statusCode(403);
        // a viewer reads channels, but not the secret part of their addresses
        given().auth().preemptive().basic(viewer.name(), viewer.password()).get("/api/v1/notification-channels")
                .then().statusCode(200).body("find { it.name == '" + taken + "' }.url", equalTo("http://127.0.0.1:9/…"));
        assertEquals(before + 1, Sql.count("SELECT count(*) FROM notification_channel"));
        assertEquals(audited + 1, Sql.auditEvents(), "only the one good channel was audited");

        // the page: a refusal keeps what was typed and says why; a good form adds the channel
        Browser page = Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);
        page.postForm("/channels", Map.of("name", "typed", "url", "gopher://example.net")).then().statusCode(400)
                .body(containsString("value=\"typed\""), containsString("http:// or https://"));
        String added = fresh("page");
        page.postForm("/channels", Map.of("name", added, "url", "https://hooks.example.net/T0/B0/secret",
                "format", "SLACK", "kinds", "CLOSE_WAIT_LEAK", "hostLabel", label, "escalateAfterMinutes", "30",
                "enabled", "on")).then().statusCode(303);
        admin().get("/api/v1/notification-channels").then().body("find { it.name == '" + added + "' }.format",
                equalTo("SLACK")).body("find { it.name == '" + added + "' }.escalateAfterMinutes", equalTo(30))
                .body("find { it.name == '" + added + "' }.kinds", equalTo(List.of("CLOSE_WAIT_LEAK")));
        assertFalse(Browser.signedIn(viewer.name(), viewer.password()).get("/channels").asString()
                .contains("T0/B0/secret"), "the page hides the address from viewers");
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
