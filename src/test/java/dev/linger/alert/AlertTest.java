package dev.linger.alert;

import static dev.linger.Api.admin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.linger.Browser;
import dev.linger.Sql;
import dev.linger.TestDatabase;
import dev.linger.TestUsers;
import dev.linger.Waits;
import dev.linger.collect.CollectDueHosts;
import dev.linger.incident.Findings;
import dev.linger.incident.IncidentService;
import dev.linger.incident.Severity;
import dev.linger.job.Jobs;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/**
 * Alerts in from Alertmanager (webhook payload version 4) and Netdata: a firing alert on a known host opens an
 * EXTERNAL_ALERT incident (or joins the one of the kind it names) and makes the host due, and the next scheduler
 * tick collects it for real (this machine, the LOCAL host); the same alert again is counted, not doubled; the incident
 * resolves when its alerts do; malformed, huge and unknown-host payloads get a 4xx or are kept as unmatched.
 */
@QuarkusTest
class AlertTest {

    @Inject
    IncidentService incidents;
    @Inject
    CollectDueHosts collector;
    @Inject
    TestUsers users;

    private RequestSpecification operator() {
        TestUsers.Person p = users.create("operator");
        return given().auth().preemptive().basic(p.name(), p.password()).contentType("application/json");
    }

    private static Map<String, Object> alertmanager(String status, Map<String, Object>... alerts) {
        return Map.of("version", "4", "groupKey", "{}:{alertname=\"x\"}", "status", status, "receiver", "linger",
                "groupLabels", Map.of(), "commonLabels", Map.of(), "commonAnnotations", Map.of(),
                "externalURL", "http://alertmanager.example:9093", "truncatedAlerts", 0, "alerts", List.of(alerts));
    }

    private static Map<String, Object> alert(String status, String fingerprint, Map<String, String> labels,
            String summary) {
        return Map.of("status", status, "labels", labels, "annotations", Map.of("summary", summary),
                "startsAt", "2026-12-05T02:14:07Z", "endsAt", "resolved".equals(status) ? "2026-12-05T02:30:00Z"
                        : "0001-01-01T00:00:00Z", "generatorURL", "http://prometheus.example:9090/graph?g0.expr=up",
                "fingerprint", fingerprint);
    }

    private static long host(String name) throws Exception {
        try (var c = TestDatabase.superuser(); var s = c.createStatement()) {
            s.execute("INSERT INTO host (name, address, transport, next_due_at, created_at, created_by) VALUES ('" + name
                    + "', '" + name + ".example.net', 'SSH', now() + interval '1 day', now(), 'test')");
        }
        return Sql.count("SELECT id FROM host WHERE name = ?", name);
    }

    @Test
    void anAlertmanagerAlertOpensAnIncidentAndTheHostIsCollectedAtOnceThenItResolvesWithTheAlert() {
        long local = Jobs.localHost();
        String name = Sql.text("SELECT name FROM host WHERE id = ?", local);
        long snapshots = Sql.count("SELECT count(*) FROM snapshot WHERE host_id = ?", local);
        String fp = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        Map<String, String> labels = Map.of("alertname", "NodeTcpCloseWaitHigh", "instance", name + ":9100",
                "job", "node", "severity", "critical");
        long incident = ((Number) operator().body(alertmanager("firing", alert("firing", fp, labels,
                "CLOSE_WAIT sockets above 500"))).post("/api/v1/alerts/alertmanager").then().statusCode(200)
                .body("matched", equalTo(1)).body("unmatched", equalTo(0)).extract().path("incidents[0]")).longValue();
        admin().get("/api/v1/incidents/" + incident).then().body("kind", equalTo("EXTERNAL_ALERT"))
                .body("severity", equalTo("CRITICAL")).body("hostId", equalTo((int) local))
                .body("evidence.labels.alertname", equalTo("NodeTcpCloseWaitHigh"))
                .body("evidence.link", equalTo("http://prometheus.example:9090/graph?g0.expr=up"))
                .body("explanation", containsString("Alertmanager reports NodeTcpCloseWaitHigh on"));
        assertEquals(1, Sql.count("SELECT count(*) FROM host WHERE id = ? AND next_due_at <= now()", local),
                "due for collection now");
        // the next scheduler tick (here by hand: the scheduler is off in tests) collects it, over the real transport
        collector.runOnce();
        Waits.upTo(Duration.ofSeconds(30), "a snapshot of the alerted host").until(() -> Sql.count(
                "SELECT count(*) FROM snapshot WHERE host_id = ?", local) > snapshots);
        Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD).get("/incidents/" + incident).then()
                .statusCode(200).body(containsString("href=\"http://prometheus.example:9090/graph?g0.expr=up\""))
                .body(containsString("NodeTcpCloseWaitHigh"));

        // sent again by Alertmanager's repeat_interval: counted, not doubled
        operator().body(alertmanager("firing", alert("firing", fp, labels, "CLOSE_WAIT sockets above 500")))
                .post("/api/v1/alerts/alertmanager").then().statusCode(200).body("duplicates", equalTo(1));
        assertEquals(1, Sql.count("SELECT count(*) FROM incident_event WHERE incident_id = ? AND type = 'OPENED'",
                incident));
        assertEquals(2, Sql.count("SELECT times_received FROM external_alert WHERE fingerprint = ?", fp));

        operator().body(alertmanager("resolved", alert("resolved", fp, labels, "CLOSE_WAIT sockets above 500")))
                .post("/api/v1/alerts/alertmanager").then().statusCode(200);
        admin().get("/api/v1/incidents/" + incident).then().body("status", equalTo("RESOLVED"))
                .body("resolvedBy", equalTo("alertmanager"));
        assertEquals(1, Sql.count("SELECT count(*) FROM external_alert WHERE fingerprint = ? AND status = 'resolved'"
                + " AND ends_at IS NOT NULL", fp));
    }

    @Test
    void anAlertThatNamesAnOpenKindJoinsItAndAnIncidentOfTwoAlertsEndsWithTheLast() throws Exception {
        String name = "alerted-" + UUID.randomUUID().toString().substring(0, 8);
        long host = host(name);
        QuarkusTransaction.requiringNew().run(() -> incidents.reconcile(host, name, List.of(
                Findings.closeWaitLeak(9082, Severity.WARNING, 40))));
        long leak = Sql.count("SELECT id FROM incident WHERE host_id = ? AND kind = 'CLOSE_WAIT_LEAK'", host);
        operator().body(alertmanager("firing", alert("firing", "join-" + name, Map.of("alertname", "AppCloseWait",
                "host", name, "linger_kind", "CLOSE_WAIT_LEAK"), "app stopped reading"))).post("/api/v1/alerts/alertmanager")
                .then().statusCode(200).body("incidents", equalTo(List.of((int) leak)));
        assertEquals(0, Sql.count("SELECT count(*) FROM incident WHERE host_id = ? AND kind = 'EXTERNAL_ALERT'", host));
        admin().get("/api/v1/incidents/" + leak + "/timeline").then().body("actor", hasItem("alertmanager"))
                .body("text", hasItem(containsString("AppCloseWait")));

        // two alerts on one EXTERNAL_ALERT incident (the FQDN's first label is the host's name)
        Map<String, String> disk = Map.of("alertname", "DiskFull", "instance", name + ".dc1.example.net:9100");
        Map<String, String> load = Map.of("alertname", "LoadHigh", "instance", name + ".dc1.example.net:9100");
        operator().body(alertmanager("firing", alert("firing", "disk-" + name, disk, "disk 95%"),
                alert("firing", "load-" + name, load, "load 40"))).post("/api/v1/alerts/alertmanager").then()
                .statusCode(200).body("matched", equalTo(2));
        long external = Sql.count("SELECT id FROM incident WHERE host_id = ? AND kind = 'EXTERNAL_ALERT'", host);
        operator().body(alertmanager("resolved", alert("resolved", "disk-" + name, disk, "disk 95%")))
                .post("/api/v1/alerts/alertmanager").then().statusCode(200);
        admin().get("/api/v1/incidents/" + external).then().body("status", equalTo("OPEN"));
        operator().body(alertmanager("resolved", alert("resolved", "load-" + name, load, "load 40")))
                .post("/api/v1/alerts/alertmanager").then().statusCode(200);
        admin().get("/api/v1/incidents/" + external).then().body("status", equalTo("RESOLVED"));
        // the alerts made it due: removed, nobody collects it (it has no real address to collect)
        admin().delete("/api/v1/hosts/" + host).then().statusCode(204);
    }

    @Test
    void netdataAlertsOpenAndClearAndItsOrphanAlertJoinsOrphanPressure() throws Exception {
        String name = "netdata-" + UUID.randomUUID().toString().substring(0, 8);
        long host = host(name);
        Map<String, Object> critical = Map.of("message", "Critical alert on " + name, "alert", "10min_disk_backlog",
                "info", "average backlog size of the disk", "chart", "disk_backlog.sda", "context", "disk.backlog",
                "severity", "critical", "date", "2026-12-05T02:14:07Z", "alert_url",
                "https://app.netdata.cloud/spaces/x/alerts/1", "node", name);
        operator().body(critical).post("/api/v1/alerts/netdata").then().statusCode(200).body("matched", equalTo(1));
        long incident = Sql.count("SELECT id FROM incident WHERE host_id = ? AND kind = 'EXTERNAL_ALERT'", host);
        admin().get("/api/v1/incidents/" + incident).then().body("severity", equalTo("CRITICAL"))
                .body("explanation", containsString("Netdata reports 10min_disk_backlog"));
        Map<String, Object> clear = new java.util.HashMap<>(critical);
        clear.put("severity", "clear");
        // Netdata's body also arrives at the Alertmanager path (told apart by its shape)
        operator().body(clear).post("/api/v1/alerts/alertmanager").then().statusCode(200);
        admin().get("/api/v1/incidents/" + incident).then().body("status", equalTo("RESOLVED"))
                .body("resolvedBy", equalTo("netdata"));
        admin().delete("/api/v1/hosts/" + host).then().statusCode(204);
    }

    @Test
    void malformedHugeAndUnknownHostPayloadsGetA4xxOrAreKeptUnmatchedNeverA500() {
        long rows = Sql.count("SELECT count(*) FROM external_alert");
        long incidentsBefore = Sql.count("SELECT count(*) FROM incident");
        RequestSpecification op = operator();
        long audited = Sql.auditEvents();
        op.body("{\"version\":\"4\",\"alerts\":[").post("/api/v1/alerts/alertmanager").then().statusCode(400)
                .body("fields.body", containsString("not a JSON object"));
        op.body("[1,2,3]").post("/api/v1/alerts/alertmanager").then().statusCode(400);
        op.body("").post("/api/v1/alerts/alertmanager").then().statusCode(400).body("fields.body",
                containsString("empty"));
        op.body(Map.of("version", "3", "alerts", List.of())).post("/api/v1/alerts/alertmanager").then()
                .statusCode(400).body("fields.body", containsString("version 3"));
        op.body(Map.of("version", "4", "alerts", List.of("not an object"))).post("/api/v1/alerts/alertmanager")
                .then().statusCode(400).body("fields.body", containsString("Alertmanager"));
        op.body(Map.of("version", "4", "alerts", List.of(Map.of("status", "weird", "labels", Map.of()))))
                .post("/api/v1/alerts/alertmanager").then().statusCode(400).body("fields.body",
                        containsString("firing or resolved"));
        op.body(Map.of("hello", "world")).post("/api/v1/alerts/netdata").then().statusCode(400)
                .body("fields.body", containsString("Netdata"));
        String huge = "{\"version\":\"4\",\"alerts\":[],\"pad\":\"" + "x".repeat((1 << 20) + 10) + "\"}";
        op.body(huge).post("/api/v1/alerts/alertmanager").then().statusCode(413)
                .body("error", containsString("larger than 1048576 bytes"));
        assertEquals(rows, Sql.count("SELECT count(*) FROM external_alert"));
        assertEquals(audited, Sql.auditEvents(), "a refused delivery records nothing");

        // unauthenticated, read-only, cross-site or not JSON: refused, nothing kept
        Map<String, Object> ok = alertmanager("firing", alert("firing", "nobody", Map.of("alertname", "X",
                "instance", "nowhere.example:9100"), "x"));
        given().contentType("application/json").body(ok).post("/api/v1/alerts/alertmanager").then().statusCode(401);
        TestUsers.Person viewer = users.create("viewer");
        given().auth().preemptive().basic(viewer.name(), viewer.password()).contentType("application/json").body(ok)
                .post("/api/v1/alerts/alertmanager").then().statusCode(403);
        operator().header("Origin", "http://evil.example").body(ok).post("/api/v1/alerts/alertmanager").then()
                .statusCode(403);
        operator().contentType("text/plain").body("{}").post("/api/v1/alerts/alertmanager").then().statusCode(415);
        assertEquals(rows, Sql.count("SELECT count(*) FROM external_alert"));

        // a host nobody knows: kept as unmatched, shown, no incident
        String unknown = "ghost-" + UUID.randomUUID().toString().substring(0, 8);
        operator().body(alertmanager("firing", alert("firing", "ghost-" + unknown, Map.of("alertname", "Down",
                "instance", unknown + ":9100"), "down"))).post("/api/v1/alerts/alertmanager").then().statusCode(200)
                .body("unmatched", equalTo(1)).body("unmatchedHosts", equalTo(List.of(unknown)));
        admin().get("/api/v1/alerts?unmatched=true").then().statusCode(200).body("hostHint", hasItem(unknown));
        assertEquals(incidentsBefore, Sql.count("SELECT count(*) FROM incident"));
        assertTrue(Sql.count("SELECT count(*) FROM audit_event WHERE action = 'alerts.received'") > 0);
    }
}
