package dev.linger.incident;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.linger.Browser;
import dev.linger.Sql;
import dev.linger.TestDatabase;
import dev.linger.TestUsers;
import dev.linger.i18n.Catalogue;
import io.quarkus.test.junit.QuarkusTest;

/** One incident page, two languages: both said from the stored typed evidence, as is the API. */
@QuarkusTest
class IncidentExplanationPageTest {

    static final String CHINESE_BROWSER = "zh-CN,zh;q=0.9,en;q=0.8";

    static Browser admin(String acceptLanguage) {
        return Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD).acceptLanguage(acceptLanguage);
    }

    static io.restassured.specification.RequestSpecification api(String acceptLanguage) {
        return io.restassured.RestAssured.given().auth().preemptive().basic(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD)
                .header("Accept-Language", acceptLanguage);
    }

    /** A row as the detector would store it, without running a collection. */
    static long incident(String kind, int port, Evidence evidence) throws Exception {
        return incident(kind, port, evidence.toJson(), "CRITICAL");
    }

    /** A row with this evidence JSON and severity. */
    static long incident(String kind, int port, String evidenceJson, String severity) throws Exception {
        String name = "expl-" + UUID.randomUUID().toString().substring(0, 8);
        try (var c = TestDatabase.superuser(); var s = c.createStatement()) {
            s.execute("INSERT INTO host (name, address, transport, next_due_at, created_at, created_by) VALUES ('" + name
                    + "', 'e.example.net', 'SSH', now() + interval '1 day', now(), 'test')");
        }
        long host = Sql.count("SELECT id FROM host WHERE name = ?", name);
        try (var c = TestDatabase.superuser(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO incident (host_id, kind, port, severity, status, opened_at, updated_at, evidence)"
                        + " VALUES (?, ?, ?, ?, 'OPEN', now(), now(), CAST(? AS jsonb)) RETURNING id")) {
            ps.setLong(1, host);
            ps.setString(2, kind);
            ps.setInt(3, port);
            ps.setString(4, severity);
            ps.setString(5, evidenceJson);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static String english(int port, Evidence ev) {
        return Catalogue.render(Explanations.of(port, ev, null, null), Locale.ENGLISH);
    }

    static String chinese(int port, Evidence ev) {
        return Catalogue.render(Explanations.of(port, ev, null, null), Locale.CHINESE);
    }

    /** Escaped as the page prints text. */
    static String html(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;")
                .replace("\"", "&quot;");
    }

    @Test
    void theSameIncidentExplainsItselfInChineseAndInEnglish() throws Exception {
        Evidence ev = new Evidence.CloseWaitLeak("incoming", 23, 23, 161, 7L, false, 0,
                List.of(new Evidence.Owner(4242, 4242L, "java", null, 1L)), null, 1, null, null, "count", 10, null,
                List.of(new Evidence.Sample("10.0.0.1:9080", "10.0.0.2:1", 7, 0, "none")), null);
        long id = incident("CLOSE_WAIT_LEAK", 9080, ev);
        String english = english(9080, ev);
        String zh = chinese(9080, ev);

        String zhPage = admin(CHINESE_BROWSER).get("/incidents/" + id).then().statusCode(200).extract().asString();
        assertTrue(zhPage.contains("<p class=\"explanation\">" + html(zh) + "</p>"), zhPage);
        assertTrue(zh.contains("端口 :9080 上有 23 个连接") && zh.contains("java（pid 4242）"), zh);
        assertFalse(zhPage.contains(english), "no English explanation on the Chinese page");
        assertTrue(zhPage.contains("严重") && zhPage.contains("未处理"), "severity and status in Chinese");

        String enPage = admin("en-US").get("/incidents/" + id).then().statusCode(200).extract().asString();
        assertTrue(enPage.contains("<p class=\"explanation\">" + html(english) + "</p>"), enPage);
        assertTrue(english.startsWith("23 sockets on :9080 are in CLOSE-WAIT. The peers closed their side"), english);
        assertFalse(enPage.contains(zh), enPage);

        // the API says it in the caller's language, English unless asked, with the facts beside the words
        String api = api("en-US").get("/api/v1/incidents/" + id).then().statusCode(200).extract().path("explanation");
        assertTrue(api.equals(english), api);
        String plain = io.restassured.RestAssured.given().auth().preemptive()
                .basic(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD).get("/api/v1/incidents/" + id).then()
                .statusCode(200).extract().path("explanation");
        assertTrue(plain.equals(english), "English unless the caller asks: " + plain);
        String apiZh = api(CHINESE_BROWSER).get("/api/v1/incidents/" + id).then().statusCode(200).extract()
                .path("explanation");
        assertTrue(apiZh.equals(zh), apiZh);
        String key = api("en-US").get("/api/v1/incidents/" + id).then().statusCode(200).extract()
                .path("facts[0].key");
        assertTrue("fact.closeWaitState".equals(key), key);
    }

    @Test
    void aHostKindExplainsItselfInChineseToo() throws Exception {
        long id = incident("HOST_UNREACHABLE", 0, new Evidence.HostUnreachable("connection refused"));
        String zhPage = admin(CHINESE_BROWSER).get("/incidents/" + id).then().statusCode(200).extract().asString();
        String explanation = IncidentEvidencePageTest.between(zhPage, "<p class=\"explanation\">", "</p>");
        assertTrue(explanation.startsWith("Linger 无法采集 expl-") && explanation.contains("：connection refused。"),
                explanation);
        assertTrue(zhPage.contains("整台主机"), "a host-wide incident says so in Chinese");
    }
}
