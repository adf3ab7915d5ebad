package dev.linger.incident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import dev.linger.MovableClock;
import dev.linger.Sql;
import dev.linger.SqlTimes;
import dev.linger.TestDatabase;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;

/** Webhooks against a real HTTP server this test starts on loopback (the %test config points at it). */
@QuarkusTest
class WebhookTest {

    @Inject
    IncidentService incidents;
    @Inject
    Notifications notifications;

    /** The notifications' now: a retry's backoff is waited out by moving it. */
    private final MovableClock clock = new MovableClock();

    @BeforeEach
    void moveTimeByHand() {
        QuarkusMock.installMockForType(clock, Clock.class);
    }

    @Test
    void aFailingEndpointIsRetriedWithBackoffAndNeverBlocksDetection() throws Exception {
        String name = "hook-" + UUID.randomUUID().toString().substring(0, 8);
        try (var c = TestDatabase.superuser(); var s = c.createStatement()) {
            s.execute("UPDATE notification SET failed_at = now() WHERE sent_at IS NULL AND failed_at IS NULL");
            s.execute("INSERT INTO host (name, address, transport, next_due_at, created_at, created_by) VALUES ('" + name
                    + "', 'h.example.net', 'SSH', now() + interval '1 day', now(), 'test')");
        }
        long host = Sql.count("SELECT id FROM host WHERE name = ?", name);
        Finding stuck = Findings.finWait1Stuck(9081, Severity.WARNING, 3, null);
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        clock.set(t); // stands still: each retry is due at an exact time

        // nobody listens yet: detection goes on, the notification waits
        QuarkusTransaction.requiringNew().run(() -> incidents.reconcile(host, name, List.of(stuck)));
        long incident = Sql.count("SELECT id FROM incident WHERE host_id = ?", host);
        assertEquals(0, notifications.sendDue());
        assertEquals(1, Sql.count("SELECT count(*) FROM notification WHERE incident_id = ? AND attempts = 1"
                + " AND last_error IS NOT NULL AND next_attempt_at = ?", incident, SqlTimes.utc(t.plusSeconds(5))),
                "retried 5 s later");

        List<JsonNode> received = new CopyOnWriteArrayList<>();
        AtomicInteger status = new AtomicInteger(500);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 18089), 0);
        server.createContext("/hook", exchange -> {
            received.add(new ObjectMapper().readTree(new String(exchange.getRequestBody().readAllBytes(),
                    StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        server.start();
        try {
            clock.advance(Duration.ofSeconds(4));
            assertEquals(0, notifications.sendDue(), "not before its backoff");
            assertEquals(List.of(), received);
            clock.advance(Duration.ofSeconds(1));
            assertEquals(0, notifications.sendDue(), "a 500 is a failure");
            assertEquals(1, received.size());
            assertEquals(1, Sql.count("SELECT count(*) FROM notification WHERE incident_id = ? AND attempts = 2"
                    + " AND last_error = 'HTTP 500' AND next_attempt_at = ?", incident, SqlTimes.utc(t.plusSeconds(5 + 10))),
                    "the second retry waits twice as long");
            status.set(200);
            clock.advance(Duration.ofSeconds(10));
            assertEquals(1, notifications.sendDue());
            assertEquals(1, Sql.count("SELECT count(*) FROM notification WHERE incident_id = ? AND sent_at = ?"
                    + " AND attempts = 3 AND last_error IS NULL", incident, SqlTimes.utc(t.plusSeconds(15))));
            JsonNode last = received.get(received.size() - 1);
            assertTrue(last.get("text").asText().contains("FIN_WAIT1_STUCK opened on " + name + " :9081"),
                    last.toString());
            assertEquals(incident, last.get("incident").get("id").asLong());
            assertEquals("opened", last.get("incident").get("event").asText());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void markupInAProcessNameReachesTheWebhookEscapedNeverAsAMentionOrLink() throws Exception {
        String name = "hook-" + UUID.randomUUID().toString().substring(0, 8);
        try (var c = TestDatabase.superuser(); var s = c.createStatement()) {
            s.execute("UPDATE notification SET failed_at = now() WHERE sent_at IS NULL AND failed_at IS NULL");
            s.execute("INSERT INTO host (name, address, transport, next_due_at, created_at, created_by) VALUES ('" + name
                    + "', 'h.example.net', 'SSH', now() + interval '1 day', now(), 'test')");
        }
        long host = Sql.count("SELECT id FROM host WHERE name = ?", name);
        // what a hostile host reports: a defunct process named <!channel> whose parent is named like a Slack link
        Evidence evidence = new Evidence.DefunctOwner(4242, "<!channel>", "Z", 77, "<http://a.bc|x> & co", false, 2,
                3, Map.of(), List.of(4243L), Map.of(), List.of(), null);
        Finding defunct = new Finding(IncidentKind.DEFUNCT_OWNER, 9082, Severity.CRITICAL, evidence);

        List<String> received = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 18089), 0);
        server.createContext("/hook", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
        try {
            QuarkusTransaction.requiringNew().run(() -> incidents.reconcile(host, name, List.of(defunct)));
            assertEquals(1, notifications.sendDue());
        } finally {
            server.stop(0);
        }

        assertEquals(1, received.size());
        String text = new ObjectMapper().readTree(received.get(0)).get("text").asText();
        assertTrue(text.contains("&lt;!channel&gt;"), text);
        assertTrue(text.contains("&lt;http://a.bc|x&gt; &amp; co"), text);
        assertFalse(text.contains("<"), "no unescaped '<' can open a mention or a link: " + text);
        assertFalse(text.contains(">"), text);
        assertFalse(text.replace("&amp;", "").replace("&lt;", "").replace("&gt;", "").contains("&"),
                "every '&' is escaped: " + text);
    }

    @Test
    void thePayloadNamesTheContainerTheIncidentIsIn() throws Exception {
        String name = "hook-" + UUID.randomUUID().toString().substring(0, 8);
        try (var c = TestDatabase.superuser(); var s = c.createStatement()) {
            s.execute("UPDATE notification SET failed_at = now() WHERE sent_at IS NULL AND failed_at IS NULL");
            s.execute("INSERT INTO host (name, address, transport, next_due_at, created_at, created_by) VALUES ('" + name
                    + "', 'h.example.net', 'SSH', now() + interval '1 day', now(), 'test')");
        }
        long host = Sql.count("SELECT id FROM host WHERE name = ?", name);
        String id = "3f2a1b9c0d1e" + "a".repeat(52);
        dev.linger.collect.NetNamespace checkout = new dev.linger.collect.NetNamespace(4026532301L,
                dev.linger.collect.NetNamespace.Kind.CONTAINER, "<!here>checkout", id, null, null, 1, Map.of(), 0);
        Finding leak = Findings.closeWaitLeak(9080, Severity.WARNING, 12, checkout);
        List<JsonNode> received;
        try (HookReceiver hook = HookReceiver.start()) {
            received = hook.received();
            QuarkusTransaction.requiringNew().run(() -> incidents.reconcile(host, name, "boot-1", List.of(leak)));
            assertEquals(1, notifications.sendDue());
        }
        JsonNode ns = received.get(0).get("incident").get("namespace");
        assertEquals("CONTAINER", ns.get("kind").asText());
        assertEquals("<!here>checkout", ns.get("name").asText(), "data stays whole in the JSON fields");
        assertEquals(id, ns.get("containerId").asText());
        assertEquals(4026532301L, ns.get("inode").asLong());
        assertTrue(ns.get("pod").isNull());
        assertFalse(ns.has("bootId"));
        String text = received.get(0).get("text").asText();
        assertTrue(text.contains("CLOSE_WAIT_LEAK opened on " + name + " :9080 in container &lt;!here&gt;checkout"
                + " (3f2a1b9c0d1e) — 12 sockets on :9080 in container `&lt;!here&gt;checkout` (3f2a1b9c0d1e) are in"
                + " CLOSE-WAIT."), "webhooks speak English: " + text);
        assertEquals("fact.sentences", received.get(0).get("incident").get("message").get("key").asText(),
                "the fact itself beside the words");
    }
}
