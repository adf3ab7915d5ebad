package dev.linger.browser;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import dev.linger.Sql;
import dev.linger.TestDatabase;
import dev.linger.TestUsers;
import dev.linger.collect.CollectorOutputParser;
import dev.linger.collect.SnapshotStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Issue 12 item 10 in Chromium: on a CLOSE-WAIT incident the runbooks come safest first (those no check rules out,
 * then one process before one port before a namespace, then lower risk, then reviewed before imported drafts), and
 * the keepalive runbooks that the sockets prove useless have no Remediate button.
 */
@QuarkusTest
class IncidentOffersBrowserTest {

    @TestHTTPResource("/")
    URL root;

    @Inject
    TestUsers users;

    @Inject
    SnapshotStore snapshots;

    @Test
    void aCloseWaitIncidentOffersItsRunbooksSafestFirstAndNoButtonForUselessOnes() throws Exception {
        assertTrue(Chromium.missing().isEmpty(), "needs " + Chromium.missing());
        TestUsers.Person operator = users.create("operator");
        // an imported draft and an admin-reviewed import that kill the port's CLOSE-WAIT sockets, exactly as the
        // shipped runbook does: same reach, same risk. Their titles sort before the shipped one's on purpose.
        String draft = save(operator.name(), operator.password(), "A drafted kill of CLOSE-WAIT");
        String reviewed = save(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD, "A reviewed kill of CLOSE-WAIT");
        long incident = closeWaitIncidentWithoutKeepalive();
        List<String> expected = List.of("close-wait-owner-triage", reviewed, "kill-close-wait-sockets", draft,
                "tcp-keepalive-runtime", "tcp-keepalive-persistent");

        try (Chromium chromium = Chromium.desktop(root.toString())) {
            chromium.signIn(operator.name(), operator.password());
            chromium.open("/incidents/" + incident);
            List<WebElement> offers = chromium.findAll("ul.offers > li");
            List<String> shown = offers.stream().map(li -> li.getDomAttribute("data-slug"))
                    .filter(expected::contains).toList();
            assertEquals(expected, shown);
            for (WebElement li : offers) {
                String slug = li.getDomAttribute("data-slug");
                if (!expected.contains(slug)) {
                    continue;
                }
                List<WebElement> remediate = li.findElements(By.cssSelector("a.button[href^='/jobs/new']"));
                if (slug.startsWith("tcp-keepalive-")) {
                    assertTrue(remediate.isEmpty(), slug + " has a Remediate button: " + li.getText());
                    assertTrue(li.getText().contains("does not apply") && li.getText().contains("None of the 5"
                            + " CLOSE-WAIT sockets on port 9080 has a keepalive timer"), li.getText());
                } else {
                    assertEquals(1, remediate.size(), slug + ": " + li.getText());
                }
            }
            assertTrue(chromium.text("ul.offers li[data-slug='" + draft + "']").contains("imported draft, not reviewed"));
            assertTrue(chromium.text("ul.offers li[data-slug='kill-close-wait-sockets']")
                    .contains("reaches: one port's sockets"));
            chromium.screenshot("incident-offers");
        }

        List<String> api = given().auth().preemptive().basic(operator.name(), operator.password())
                .get("/api/v1/incidents/" + incident + "/runbooks").then().statusCode(200).extract().jsonPath()
                .getList("slug", String.class).stream().filter(expected::contains).toList();
        assertEquals(expected, api);
    }

    /**
     * Issue 12 item 11 in Chromium: a document written like the seed post imports as two runbooks, one after the
     * other from the same preview; the keepalive one fits CLOSE-WAIT only, carries the keepalive check, and on a
     * CLOSE-WAIT incident whose sockets have no keepalive timer it comes after every runbook that can help, with
     * no Remediate button; the orphan drain is not offered there at all.
     */
    @Test
    void aSeedLikeDocumentImportsAsTwoRunbooksAndTheKeepaliveOneIsNotOfferedFirst() throws Exception {
        assertTrue(Chromium.missing().isEmpty(), "needs " + Chromium.missing());
        TestUsers.Person operator = users.create("operator");
        long incident = closeWaitIncidentWithoutKeepalive();
        String drain;
        String keepalive;
        try (Chromium chromium = Chromium.desktop(root.toString())) {
            chromium.signIn(operator.name(), operator.password());
            chromium.open("/runbooks/import");
            String document;
            try (InputStream in = getClass().getResourceAsStream("/runbook/import/two-procedures.txt")) {
                document = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            chromium.script("document.getElementById('text').value = arguments[0];", document);
            chromium.find("form[action='/runbooks/import'] button[type=submit]").click();
            chromium.waiting().until(d -> !chromium.findAll("nav.procedures").isEmpty());
            assertEquals(2, chromium.findAll("nav.procedures li").size());
            assertTrue(chromium.text("nav.procedures li:first-child")
                    .startsWith("Procedure 1: FIN_WAIT1 (shown)"));
            assertEquals("FIN_WAIT1", chromium.find("#title").getDomProperty("value"));
            assertTrue(chromium.findAll("input[name=checks][value=KEEPALIVE_IN_USE]").isEmpty());
            chromium.find("button[name=action][value=save]:not(.sr-only)").click();

            chromium.waiting().until(d -> "CLOSE_WAIT".equals(chromium.find("#title").getDomProperty("value")));
            String notice = chromium.text(".flash");
            assertTrue(notice.startsWith("Saved FIN_WAIT1 as version 1 (/runbooks/") && notice.endsWith(
                    "Here is procedure 2 of 2 of the same document."), notice);
            drain = notice.substring(notice.indexOf("/runbooks/") + "/runbooks/".length(), notice.indexOf(')'));
            String warnings = chromium.text(".mismatches");
            assertTrue(warnings.contains("Line 12 sets net.ipv4.tcp_keepalive_time to 600 now, but line 16 persists"
                    + " 1800") && warnings.contains("net.ipv4.tcp_keepalive_intvl to 2"), warnings);
            assertTrue(chromium.find("input[name=checks][value=KEEPALIVE_IN_USE]") != null);
            assertTrue(chromium.find("input[name=fits][value=CLOSE_WAIT_LEAK]").isSelected());
            assertTrue(!chromium.find("input[name=fits][value=FIN_WAIT1_STUCK]").isSelected());
            chromium.screenshot("runbook-import-second-procedure");
            chromium.find("button[name=action][value=save]:not(.sr-only)").click();
            chromium.waiting().until(d -> chromium.path().startsWith("/runbooks/")
                    && !chromium.path().equals("/runbooks/editor"));
            keepalive = chromium.path().substring("/runbooks/".length());

            chromium.open("/incidents/" + incident);
            List<String> slugs = chromium.findAll("ul.offers > li").stream().map(li -> li.getDomAttribute("data-slug"))
                    .toList();
            assertTrue(!slugs.contains(drain), "the orphan drain does not fit CLOSE-WAIT: " + slugs);
            int position = slugs.indexOf(keepalive);
            assertTrue(position > 0, keepalive + " in " + slugs);
            for (WebElement li : chromium.findAll("ul.offers > li")) {
                boolean applicable = !li.getDomAttribute("class").contains("not-applicable");
                int at = slugs.indexOf(li.getDomAttribute("data-slug"));
                assertTrue(!applicable || at < position, "every runbook that can help comes first: " + slugs);
            }
            WebElement offer = chromium.find("ul.offers > li[data-slug='" + keepalive + "']");
            assertTrue(offer.findElements(By.cssSelector("a.button")).isEmpty(), offer.getText());
            assertTrue(offer.getText().contains("✗ None of the 5 CLOSE-WAIT sockets on port 9080 has a keepalive timer"),
                    offer.getText());
        }
        assertEquals(List.of("FIN_WAIT1_STUCK"), given().auth().preemptive().basic(operator.name(), operator.password())
                .get("/api/v1/runbooks/" + drain).then().statusCode(200).extract().path("fits"));
        given().auth().preemptive().basic(operator.name(), operator.password()).get("/api/v1/runbooks/" + keepalive)
                .then().statusCode(200).body("fits", org.hamcrest.Matchers.equalTo(List.of("CLOSE_WAIT_LEAK")))
                .body("checks.check", org.hamcrest.Matchers.equalTo(List.of("KEEPALIVE_IN_USE")))
                .body("risk", org.hamcrest.Matchers.equalTo("HIGH"));
    }

    /** An imported runbook (it keeps its source document) that kills the incident port's CLOSE-WAIT sockets. */
    static String save(String user, String password, String title) {
        Map<String, Object> body = new HashMap<>();
        body.put("title", title);
        body.put("risk", "HIGH");
        body.put("fits", List.of("CLOSE_WAIT_LEAK"));
        body.put("params", List.of(Map.of("name", "port", "type", "PORT", "label", "Port", "from", "INCIDENT_PORT")));
        body.put("steps", List.of(Map.of("type", "KILL_SOCKETS", "state", "CLOSE_WAIT", "port", "{port}",
                "sourceLine", 1, "sourceText", "ss -K state close-wait '( sport = :9080 )'")));
        body.put("sourceDocument", "ss -K state close-wait '( sport = :9080 )'\n");
        return given().auth().preemptive().basic(user, password).contentType("application/json").body(body)
                .post("/api/v1/runbooks").then().statusCode(201).extract().path("slug");
    }

    /**
     * A host whose latest collection is a real one from a lab namespace (two CLOSE-WAIT sockets on :9080, none with
     * a keepalive timer; ss -K works), and the incident the detector opens for it.
     */
    long closeWaitIncidentWithoutKeepalive() throws Exception {
        String name = "offers-" + UUID.randomUUID().toString().substring(0, 8);
        try (var c = TestDatabase.superuser(); var s = c.createStatement()) {
            s.execute("INSERT INTO host (name, address, transport, next_due_at, created_at, created_by, can_kill_sockets)"
                    + " VALUES ('" + name + "', 'o.example.net', 'SSH', now() + interval '1 day', now(), 'test', true)");
        }
        long host = Sql.count("SELECT id FROM host WHERE name = ?", name);
        String output;
        try (InputStream in = getClass().getResourceAsStream("/collect/lab-namespace-ss.txt")) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        var collected = CollectorOutputParser.parse(output);
        QuarkusTransaction.requiringNew().run(() -> snapshots.store(host, Instant.now(), Duration.ofMillis(5),
                collected));
        try (var c = TestDatabase.superuser(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO incident (host_id, kind, port, severity, status, opened_at, updated_at, evidence)"
                        + " VALUES (?, 'CLOSE_WAIT_LEAK', 9080, 'WARNING', 'OPEN', now(), now(),"
                        + " '{}'::jsonb) RETURNING id")) {
            ps.setLong(1, host);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
