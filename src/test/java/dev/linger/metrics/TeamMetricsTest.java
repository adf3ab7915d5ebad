package dev.linger.metrics;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.linger.MovableClock;
import dev.linger.Sql;
import dev.linger.TestDatabase;
import dev.linger.incident.Findings;
import dev.linger.incident.IncidentService;
import dev.linger.incident.Severity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;

/**
 * /q/metrics carries the team's flow, each metric with a HELP text: incidents open by kind and severity equal what
 * the database holds; an acknowledgement five minutes after opening shows in the time to acknowledge.
 */
@QuarkusTest
class TeamMetricsTest {

    @Inject
    IncidentService incidents;
    @Inject
    TeamMetrics metrics;

    private static double value(String scrape, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " ([0-9.E+-]+)$", Pattern.MULTILINE).matcher(scrape);
        assertTrue(m.find(), series + " not in\n" + scrape.lines().filter(l -> l.startsWith("linger_"))
                .collect(Collectors.joining("\n")));
        return Double.parseDouble(m.group(1));
    }

    @Test
    void theTeamsFlowIsInMetricsAndEveryLingerMetricSaysWhatItIs() throws Exception {
        MovableClock clock = new MovableClock();
        QuarkusMock.installMockForType(clock, Clock.class);
        clock.set(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        String name = "metrics-" + UUID.randomUUID().toString().substring(0, 8);
        try (var c = TestDatabase.superuser(); var s = c.createStatement()) {
            s.execute("INSERT INTO host (name, address, transport, next_due_at, created_at, created_by) VALUES ('" + name
                    + "', 'h.example.net', 'SSH', now() + interval '1 day', now(), 'test')");
        }
        long host = Sql.count("SELECT id FROM host WHERE name = ?", name);
        QuarkusTransaction.requiringNew().run(() -> incidents.reconcile(host, name, List.of(
                Findings.closeWaitLeak(9082, Severity.CRITICAL, 400), Findings.finWait1Stuck(9081, Severity.WARNING,
                        3, null))));
        clock.advance(Duration.ofMinutes(5));
        incidents.acknowledge(dev.linger.TestUsers.ADMIN, Sql.count("SELECT id FROM incident WHERE host_id = ? AND port = 9082", host));

        // a collection of this machine, so the collection metrics are there too
        dev.linger.Api.admin().post("/api/v1/hosts/" + dev.linger.job.Jobs.localHost() + "/collect").then()
                .statusCode(200);
        metrics.refresh();
        String scrape = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertEquals((double) Sql.count("SELECT count(*) FROM incident WHERE status <> 'RESOLVED'"
                + " AND kind = 'CLOSE_WAIT_LEAK' AND severity = 'CRITICAL'"),
                value(scrape, "linger_incidents_open{kind=\"CLOSE_WAIT_LEAK\",severity=\"CRITICAL\"}"));
        assertEquals((double) Sql.count("SELECT count(*) FROM incident WHERE status = 'ACKNOWLEDGED'"),
                value(scrape, "linger_incidents_by_status{status=\"ACKNOWLEDGED\"}"));
        assertTrue(value(scrape, "linger_incident_time_to_acknowledge_seconds{quantile=\"0.9\"}") >= 1,
                "an acknowledgement five minutes in shows");
        assertTrue(value(scrape, "linger_incidents_acknowledged_24h") >= 1);
        value(scrape, "linger_notifications{outcome=\"gave_up\"}");
        value(scrape, "linger_silences_active");
        value(scrape, "linger_policies_tripped");

        // every metric of Linger's own has a HELP line that says something
        Set<String> typed = scrape.lines().filter(l -> l.startsWith("# TYPE linger_"))
                .map(l -> l.split(" ")[2]).collect(Collectors.toSet());
        Map<String, String> help = scrape.lines().filter(l -> l.startsWith("# HELP linger_"))
                .collect(Collectors.toMap(l -> l.split(" ")[2], l -> l.split(" ", 4).length > 3 ? l.split(" ", 4)[3]
                        : "", (a, b) -> a));
        assertTrue(typed.containsAll(Set.of("linger_collection_seconds", "linger_host_sockets", "linger_notifications",
                "linger_incidents_open")) && typed.size() >= 12, typed.toString());
        for (String metric : typed) {
            assertTrue(help.containsKey(metric) && help.get(metric).length() > 10, "HELP for " + metric + ": "
                    + help.get(metric));
        }
    }
}
