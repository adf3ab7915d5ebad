package dev.linger.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.linger.Browser;
import dev.linger.Sql;
import dev.linger.TestDatabase;
import dev.linger.TestUsers;
import dev.linger.user.UserService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class AuditChainTest {

    @Inject
    AuditLog audit;
    @Inject
    TestUsers users;
    @Inject
    UserService userService;

    @Test
    void theChainVerifiesOverEveryEventWritten() {
        users.create("viewer");
        users.create("operator");
        QuarkusTransaction.requiringNew().run(() -> audit.record("tester", "test.odd_details", "thing", 42,
                Map.of("n", 1.50, "big", 12345678901234L, "nested", Map.of("z", List.of(1, "two", true)),
                        "nul", "a\u0000b", "unicode", "端口被占用")));
        given().auth().preemptive().basic("admin", TestUsers.ADMIN_PASSWORD).get("/api/v1/audit/verify")
                .then().statusCode(200).body("ok", equalTo(true))
                .body("events", equalTo((int) Sql.auditEvents()));
    }

    @Test
    void aRowAlteredBehindTheApplicationsBackIsReportedAtExactlyItsSeq() throws SQLException {
        users.create("viewer");
        TestUsers.Person victim = users.create("viewer");
        users.create("viewer");
        long seq = Sql.count("SELECT seq FROM audit_event WHERE action = 'user.created' AND subject_id = ?",
                victim.name());
        String original = tamper(seq, "{\"roles\": \"admin\"}");
        try {
            given().auth().preemptive().basic("admin", TestUsers.ADMIN_PASSWORD).get("/api/v1/audit/verify")
                    .then().statusCode(200).body("ok", equalTo(false)).body("brokenAt", equalTo((int) seq))
                    .body("events", equalTo((int) seq - 1));
            Browser.signedIn("admin", TestUsers.ADMIN_PASSWORD).get("/audit/verify").then().statusCode(200)
                    .body(containsString("The chain is broken at event <strong>#" + seq + "</strong>"));
        } finally {
            tamper(seq, original);
        }
        assertTrue(audit.verify().ok(), "restoring the row restores the chain");
    }

    @Test
    void aDeletedRowIsReportedAsMissing() throws SQLException {
        users.create("viewer");
        long last = Sql.count("SELECT max(seq) FROM audit_event");
        users.create("viewer");
        try (Connection c = TestDatabase.superuser(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            s.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only");
            s.execute("DELETE FROM audit_event WHERE seq = " + last);
            ChainVerification broken = verifyOn(c);
            c.rollback(); // everything above, including the deletion, is undone
            assertFalse(broken.ok());
            assertEquals(last, broken.brokenAt());
        }
        assertTrue(audit.verify().ok());
    }

    @Test
    void theDatabaseRefusesToUpdateDeleteOrTruncateHistory() throws SQLException {
        users.create("viewer");
        try (Connection c = TestDatabase.superuser(); Statement s = c.createStatement()) {
            for (String sql : new String[] {"UPDATE audit_event SET actor = 'someone else' WHERE seq = 1",
                    "DELETE FROM audit_event WHERE seq = 1", "TRUNCATE audit_event"}) {
                SQLException e = assertThrows(SQLException.class, () -> s.execute(sql), sql);
                assertTrue(e.getMessage().contains("append-only"), e.getMessage());
            }
        }
    }

    @Test
    void recordingNeedsTheCallersTransaction() {
        assertThrows(jakarta.transaction.TransactionalException.class,
                () -> audit.record("tester", "test.no_tx", null, null, Map.of()));
    }

    @Test
    void aChangeAndItsEventCommitTogetherOrNotAtAll() {
        long users = Sql.users();
        long events = Sql.auditEvents();
        assertThrows(IllegalStateException.class, () -> QuarkusTransaction.requiringNew().run(() -> {
            userService.create("tester", "rolled-back", "long-enough-password", List.of("viewer"));
            throw new IllegalStateException("fail after the change");
        }));
        assertEquals(users, Sql.users());
        assertEquals(events, Sql.auditEvents());
    }

    @Test
    void theApiPagesForwardWithAfterSeq() {
        users.create("viewer");
        users.create("viewer");
        users.create("viewer");
        long from = Sql.count("SELECT max(seq) FROM audit_event") - 3;
        var page = given().auth().preemptive().basic("admin", TestUsers.ADMIN_PASSWORD)
                .queryParam("afterSeq", from).queryParam("limit", 2).get("/api/v1/audit")
                .then().statusCode(200).body("events.size()", equalTo(2))
                .body("events.seq", everyItem(greaterThan((int) from)))
                .body("events[0].seq", equalTo((int) from + 1)).body("events[1].seq", equalTo((int) from + 2))
                .body("events[0].hash", equalTo(hashOf(from + 1)))
                .body("nextAfterSeq", equalTo((int) from + 2)).extract();
        assertEquals("user", page.path("events[0].subjectType"));
        given().auth().preemptive().basic("admin", TestUsers.ADMIN_PASSWORD).queryParam("limit", 0)
                .get("/api/v1/audit").then().statusCode(400).body("error", containsString("limit"));
        given().auth().preemptive().basic("admin", TestUsers.ADMIN_PASSWORD).queryParam("afterSeq", "abc")
                .get("/api/v1/audit").then().statusCode(400).body("error", containsString("afterSeq"));
    }

    @Test
    void theExportIsJsonLinesThatCarryTheHashes() throws Exception {
        users.create("viewer");
        String body = Browser.signedIn("admin", TestUsers.ADMIN_PASSWORD).get("/audit/export?action=user.")
                .then().statusCode(200).contentType(containsString("application/x-ndjson"))
                .header("Content-Disposition", containsString("linger-audit.jsonl")).extract().asString();
        String[] lines = body.strip().split("\n");
        assertEquals(Sql.count("SELECT count(*) FROM audit_event WHERE action LIKE 'user.%'"), lines.length);
        ObjectMapper json = new ObjectMapper();
        long previous = 0;
        for (String line : lines) {
            JsonNode e = json.readTree(line);
            assertTrue(e.get("action").asText().startsWith("user."));
            assertTrue(e.get("seq").asLong() > previous, "oldest first");
            previous = e.get("seq").asLong();
            assertEquals(64, e.get("hash").asText().length());
            assertTrue(e.get("details").isObject());
        }
    }

    @Test
    void theListFiltersByWhoAndWhat() {
        TestUsers.Person p = users.create("viewer");
        Browser.signedIn(p.name(), p.password());
        String html = Browser.signedIn("admin", TestUsers.ADMIN_PASSWORD)
                .get("/audit?actor=" + p.name() + "&action=user.login").then().statusCode(200).extract().asString();
        assertEquals(1, html.split("<td><code>user.login</code></td>", -1).length - 1);
        assertFalse(html.contains("<td><code>user.created</code></td>"));
    }

    private static String hashOf(long seq) {
        try (Connection c = TestDatabase.superuser();
                PreparedStatement ps = c.prepareStatement("SELECT hash FROM audit_event WHERE seq = ?")) {
            ps.setLong(1, seq);
            var rs = ps.executeQuery();
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Rewrites one event's details as a superuser with the trigger switched off; returns the old details. */
    private static String tamper(long seq, String details) throws SQLException {
        try (Connection c = TestDatabase.superuser(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            var rs = s.executeQuery("SELECT details::text FROM audit_event WHERE seq = " + seq);
            rs.next();
            String before = rs.getString(1);
            s.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only");
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE audit_event SET details = CAST(? AS jsonb) WHERE seq = ?")) {
                ps.setString(1, details);
                ps.setLong(2, seq);
                assertEquals(1, ps.executeUpdate());
            }
            s.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only");
            c.commit();
            return before;
        }
    }

    /** Runs the application's verifier over a connection that sees uncommitted changes. */
    private static ChainVerification verifyOn(Connection c) throws SQLException {
        AuditLog.Verifier verifier = new AuditLog.Verifier();
        try (Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT seq, at, actor, action, subject_type, subject_id, details::text,"
                        + " prev_hash, hash FROM audit_event ORDER BY seq")) {
            while (rs.next()) {
                verifier.accept(new AuditEvent(rs.getLong(1),
                        rs.getObject(2, java.time.OffsetDateTime.class).toInstant(), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9)));
            }
        }
        return verifier.result();
    }
}
