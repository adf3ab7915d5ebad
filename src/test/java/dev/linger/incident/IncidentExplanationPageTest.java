package dev.linger.incident;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.linger.Browser;
import dev.linger.Sql;
import dev.linger.TestDatabase;
import dev.linger.TestUsers;
import io.quarkus.test.junit.QuarkusTest;

/** One incident page, two languages: Chinese made from the stored evidence, English as stored. */
@QuarkusTest
class IncidentExplanationPageTest {

    static final String CHINESE_BROWSER = "zh-CN,zh;q=0.9,en;q=0.8";

    static Browser admin(String acceptLanguage) {
        return Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD).acceptLanguage(acceptLanguage);
    }

    /** A row as the detector would store it, without running a collection. */
    static long incident(String kind, int port, String explanation, Map<String, Object> evidence) throws Exception {
        String name = "expl-" + UUID.randomUUID().toString().substring(0, 8);
        try (var c = TestDatabase.superuser(); var s = c.createStatement()) {
            s.execute("INSERT INTO host (name, address, transport, next_due_at, created_at, created_by) VALUES ('" + name
                    + "', 'e.example.net', 'SSH', now() + interval '1 day', now(), 'test')");
        }
        long host = Sql.count("SELECT id FROM host WHERE name = ?", name);
        try (var c = TestDatabase.superuser(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO incident (host_id, kind, port, severity, status, opened_at, updated_at, explanation, evidence)"
                        + " VALUES (?, ?, ?, 'CRITICAL', 'OPEN', now(), now(), ?, CAST(? AS jsonb)) RETURNING id")) {
            ps.setLong(1, host);
            ps.setString(2, kind);
            ps.setInt(3, port);
            ps.setString(4, explanation);
            ps.setString(5, new ObjectMapper().writeValueAsString(evidence));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void theSameIncidentExplainsItselfInChineseAndInEnglish() throws Exception {
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("direction", "incoming");
        ev.put("count", 23);
        ev.put("withUnreadBytes", 23);
        ev.put("unreadBytes", 161);
        ev.put("unreadBytesEach", 7);
        ev.put("withKeepalive", 0);
        ev.put("owners", List.of(Map.of("pid", 4242, "tid", 4242, "command", "java", "ppid", 1)));
        ev.put("samples", List.of(Map.of("local", "10.0.0.1:9080")));
        String english = Explanations.closeWaitLeak(9080, ev);
        long id = incident("CLOSE_WAIT_LEAK", 9080, english, ev);

        String zhPage = admin(CHINESE_BROWSER).get("/incidents/" + id).then().statusCode(200).extract().asString();
        String zh = ExplanationsZh.closeWaitLeak(9080, ev);
        assertTrue(zhPage.contains("<p class=\"explanation\">" + zh + "</p>"), zhPage);
        assertTrue(zh.contains("端口 :9080 上有 23 个连接") && zh.contains("java (pid 4242)"), zh);
        assertFalse(zhPage.contains(english), "the stored English is not shown on the Chinese page");

        String enPage = admin("en-US").get("/incidents/" + id).then().statusCode(200).extract().asString();
        assertTrue(enPage.contains("<p class=\"explanation\">" + english + "</p>"), enPage);
        assertFalse(enPage.contains(zh), enPage);
    }

    @Test
    void aKindWithoutAChineseTextShowsTheStoredEnglishMarkedAsEnglish() throws Exception {
        String english = "Linger could not collect this host: connection refused.";
        long id = incident("HOST_UNREACHABLE", 0, english, Map.of("error", "connection refused"));
        String zhPage = admin(CHINESE_BROWSER).get("/incidents/" + id).then().statusCode(200).extract().asString();
        assertTrue(zhPage.contains("<p class=\"explanation\" lang=\"en\">" + english + "</p>"), zhPage);
    }
}
