package dev.linger.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.linger.Sql;
import dev.linger.TestDatabase;
import dev.linger.TestUsers;
import dev.linger.incident.Findings;
import dev.linger.incident.IncidentService;
import dev.linger.incident.Severity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * "Silence for 1 h" in a real Chromium: one click on the incident page silences what the incident is about, the
 * page says until when, the Silences page lists it, and ending it there brings the incident's notifications back.
 */
@QuarkusTest
class SilenceBrowserTest {

    @TestHTTPResource("/")
    URL root;

    @Inject
    TestUsers users;

    @Inject
    IncidentService incidents;

    @Test
    void silenceForAnHourFromTheIncidentPageThenEndItOnTheSilencesPage() throws Exception {
        String name = "mute-" + UUID.randomUUID().toString().substring(0, 8);
        try (var c = TestDatabase.superuser(); var s = c.createStatement()) {
            s.execute("INSERT INTO host (name, address, transport, next_due_at, created_at, created_by) VALUES ('" + name
                    + "', 'h.example.net', 'SSH', now() + interval '1 day', now(), 'test')");
        }
        long host = Sql.count("SELECT id FROM host WHERE name = ?", name);
        QuarkusTransaction.requiringNew().run(() -> incidents.reconcile(host, name,
                List.of(Findings.closeWaitLeak(9443, Severity.WARNING, 25))));
        long incident = Sql.count("SELECT id FROM incident WHERE host_id = ?", host);
        TestUsers.Person operator = users.create("operator");

        try (Chromium browser = Chromium.desktop(root.toString().replaceAll("/$", ""))) {
            browser.signIn(operator.name(), operator.password());
            browser.open("/incidents/" + incident);
            browser.find("#silence-hour").click();
            browser.waiting().until(d -> browser.text("body").contains("holds for 1 h"));
            assertTrue(browser.text("p.silenced").contains("Silenced until"), browser.text("p.silenced"));
            assertTrue(browser.findAll("#silence-hour").isEmpty(), "no second silence offered while one holds");
            assertEquals(1, Sql.count("""
                    SELECT count(*) FROM silence WHERE host_id = ? AND kind = 'CLOSE_WAIT_LEAK' AND port = 9443
                       AND namespace IS NULL AND created_by = ?
                       AND ends_at BETWEEN starts_at + interval '59 minutes' AND starts_at + interval '61 minutes'""",
                    host, operator.name()));
            browser.screenshot("silence-1-incident");

            browser.open("/silences");
            long silence = Sql.count("SELECT id FROM silence WHERE host_id = ?", host);
            assertTrue(browser.text("#silence-" + silence).contains(name));
            browser.find("#silence-" + silence + " button").click();
            browser.waiting().until(d -> browser.text("body").contains("Silence " + silence + " ended"));
            browser.open("/incidents/" + incident);
            assertTrue(browser.findAll("p.silenced").isEmpty());
            assertEquals(1, Sql.count("SELECT count(*) FROM silence WHERE id = ? AND ended_by = ?", silence,
                    operator.name()));
        }
    }
}
