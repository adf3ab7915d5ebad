package dev.linger.incident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import dev.linger.TestDatabase;
import dev.linger.i18n.Catalogue;
import dev.linger.i18n.Text;
import io.quarkus.test.junit.QuarkusTest;

/**
 * V16 on rows in the shape V15 left them: a scratch schema migrated to 15, incidents and timeline entries written as
 * Linger wrote them before issue 15 (evidence maps without a kind, owners once as bare pids, an English explanation
 * and English timeline sentences), then migrated to 16: the evidence reads as its record and explains itself in
 * both languages, the timeline sentences became facts, and the English columns are gone.
 */
@QuarkusTest
class IncidentTextsMigrationTest {

    static final String USER = System.getenv().getOrDefault("LINGER_TEST_PG_USER", "postgres");

    @Test
    void oldRowsBecomeTypedEvidenceAndFactsThatRenderInBothLanguages() throws Exception {
        String schema = "scratch_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try {
            flyway(schema, "15").migrate();
            Map<String, Long> ids = new LinkedHashMap<>();
            List<Long> events = new ArrayList<>();
            try (Connection c = connection(schema)) {
                long host = insert(c, "INSERT INTO host (name, address, transport, next_due_at, created_at, created_by)"
                        + " VALUES ('old-web', 'w.example.net', 'SSH', now(), now(), 'test') RETURNING id");
                ids.put("CLOSE_WAIT_LEAK", incident(c, host, "CLOSE_WAIT_LEAK", 9080,
                        "23 sockets on :9080 are in CLOSE-WAIT: …", """
                        {"direction": "incoming", "count": 23, "withUnreadBytes": 23, "unreadBytes": 161,
                         "unreadBytesEach": 7, "usesKeepalive": false, "withKeepalive": 0,
                         "owners": [{"pid": 4242, "tid": 4242, "command": "java", "processState": "S", "ppid": 1}],
                         "sinceSnapshots": 1, "trigger": "count", "threshold": 10,
                         "samples": [{"local": "10.0.0.1:9080", "peer": "10.0.0.2:5", "recvQ": 7, "sendQ": 0,
                                      "timer": "none"}]}"""));
                ids.put("PORT_BLOCKED", incident(c, host, "PORT_BLOCKED", 8080, "Nothing listens on :8080 …", """
                        {"count": 2, "states": {"CLOSE-WAIT": 2}, "owners": [812], "orphaned": 0, "samples": []}"""));
                ids.put("HOST_UNREACHABLE", incident(c, host, "HOST_UNREACHABLE", 0, "Linger cannot collect old-web",
                        "{\"error\": \"connection refused\"}"));
                long leak = ids.get("CLOSE_WAIT_LEAK");
                for (String[] e : new String[][] { { "OPENED", "linger", "23 sockets on :9080 are in CLOSE-WAIT." },
                        { "ACKNOWLEDGED", "alice", "alice is on it." },
                        { "RESOLVED", "linger", "The condition has been clear for 3 collections." },
                        { "REOPENED", "linger", "The condition is back: 23 sockets on :9080 are in CLOSE-WAIT." },
                        { "RESOLVED", "job 42", "Job 42 fixed it: the next collection found the condition gone." },
                        { "RESOLVED", "bob", "bob resolved it." },
                        { "RESOLVED", "linger", "Linger collects this host normally again." } }) {
                    events.add(insert(c, "INSERT INTO incident_event (incident_id, at, type, actor, text) VALUES ("
                            + leak + ", now(), '" + e[0] + "', '" + e[1] + "', '" + e[2].replace("'", "''")
                            + "') RETURNING id"));
                }
            }

            flyway(schema, "16").migrate();

            try (Connection c = connection(schema)) {
                assertEquals(List.of(), columns(c, "incident", "explanation"), "the English explanation is gone");
                assertEquals(List.of(), columns(c, "incident_event", "text"), "the English timeline is gone");

                Evidence leak = evidence(c, ids.get("CLOSE_WAIT_LEAK"));
                Evidence.CloseWaitLeak cw = assertInstanceOf(Evidence.CloseWaitLeak.class, leak);
                assertEquals(23, cw.count());
                assertEquals(4242, cw.leadOwner().pid());
                String en = Catalogue.render(Explanations.of(9080, leak, null, "old-web"), Locale.ENGLISH);
                assertTrue(en.startsWith("23 sockets on :9080 are in CLOSE-WAIT. The peers closed their side")
                        && en.contains("7 bytes are unread in each: their owner java (pid 4242) stopped reading."), en);
                String zh = Catalogue.render(Explanations.of(9080, leak, null, "old-web"), Locale.CHINESE);
                assertTrue(zh.startsWith("端口 :9080 上有 23 个连接处于 CLOSE-WAIT 状态。") && zh.contains("java（pid 4242）"),
                        zh);

                Evidence blocked = evidence(c, ids.get("PORT_BLOCKED"));
                assertEquals(812, blocked.leadOwner().pid(), "a bare pid became an owner");
                assertTrue(Catalogue.render(Explanations.of(8080, blocked, null, "old-web"), Locale.ENGLISH)
                        .contains("Owner: pid 812."));

                Evidence down = evidence(c, ids.get("HOST_UNREACHABLE"));
                assertEquals("Linger 无法采集 old-web：connection refused。在它恢复应答之前，这台主机的套接字事件保留最后一次的证据。",
                        Catalogue.render(Explanations.of(0, down, null, "old-web"), Locale.CHINESE));

                List<Text> timeline = new ArrayList<>();
                for (long id : events) {
                    timeline.add(Text.fromJson(text(c, "SELECT message::text FROM incident_event WHERE id = " + id)));
                }
                assertEquals(List.of("fact.verbatim", "fact.isOnIt", "fact.clearFor", "fact.conditionBack",
                        "fact.jobFixed", "fact.resolvedByHand", "fact.collectsAgain"),
                        timeline.stream().map(Text::key).toList());
                List<String> english = timeline.stream().map(t -> Catalogue.render(t, Locale.ENGLISH)).toList();
                assertEquals(List.of("23 sockets on :9080 are in CLOSE-WAIT.", "alice is on it.",
                        "The condition has been clear for 3 collections.",
                        "The condition is back: 23 sockets on :9080 are in CLOSE-WAIT.",
                        "Job 42 fixed it: the next collection found the condition gone.", "bob resolved it.",
                        "Linger collects this host normally again."), english, "the same words as before");
                List<String> chinese = timeline.stream().map(t -> Catalogue.render(t, Locale.CHINESE)).toList();
                assertEquals("23 sockets on :9080 are in CLOSE-WAIT.", chinese.get(0), "an old explanation as it was");
                assertEquals(List.of("alice 正在处理。", "已连续 3 次采集没有再出现这个情况。",
                        "情况又出现了：23 sockets on :9080 are in CLOSE-WAIT.", "任务 42 修复了问题：下一次采集已不再发现这个情况。",
                        "bob 手动解决了事件。", "Linger 又能正常采集这台主机了。"), chinese.subList(1, chinese.size()));
            }
        } finally {
            try (Connection c = DriverManager.getConnection(TestDatabase.url(), USER, "");
                    Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    static Flyway flyway(String schema, String target) {
        return Flyway.configure().dataSource(TestDatabase.url(), USER, "").schemas(schema)
                .locations("classpath:db/migration").target(target).load();
    }

    static Connection connection(String schema) throws Exception {
        Connection c = DriverManager.getConnection(TestDatabase.url(), USER, "");
        try (Statement s = c.createStatement()) {
            s.execute("SET search_path TO " + schema);
        }
        return c;
    }

    static long incident(Connection c, long host, String kind, int port, String explanation, String evidence)
            throws Exception {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO incident (host_id, kind, port, severity, status,"
                + " opened_at, updated_at, explanation, evidence) VALUES (?, ?, ?, 'CRITICAL', 'OPEN', now(), now(), ?,"
                + " CAST(? AS jsonb)) RETURNING id")) {
            ps.setLong(1, host);
            ps.setString(2, kind);
            ps.setInt(3, port);
            ps.setString(4, explanation);
            ps.setString(5, evidence);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static long insert(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String text(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** As IncidentService reads it: by the stored JSON, which now names its kind. */
    static Evidence evidence(Connection c, long id) throws Exception {
        String json = text(c, "SELECT evidence::text FROM incident WHERE id = " + id);
        assertTrue(json.contains("\"kind\""), json);
        return Evidence.fromJson(null, json);
    }

    static List<String> columns(Connection c, String table, String column) throws Exception {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT column_name FROM information_schema.columns"
                + " WHERE table_schema = current_schema() AND table_name = ? AND column_name = ?")) {
            ps.setString(1, table);
            ps.setString(2, column);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}
