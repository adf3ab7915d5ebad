package dev.linger.host;

import static dev.linger.Api.admin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.linger.Browser;
import dev.linger.Sql;
import dev.linger.TestDatabase;
import dev.linger.TestUsers;
import dev.linger.incident.Finding;
import dev.linger.incident.IncidentKind;
import dev.linger.incident.IncidentService;
import dev.linger.incident.Severity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/** Issue 12 items 13 and 14: removing a host asks first, and archives it so that its history outlives it. */
@QuarkusTest
class HostArchiveTest {

    @Inject
    IncidentService incidents;

    @Test
    void removingAHostAsksForItsNameThenKeepsItsIncidentsAndJobsUnderThatName() throws Exception {
        String name = "arch-" + UUID.randomUUID().toString().substring(0, 8);
        long host = ((Number) admin().body(Map.of("name", name, "address", "192.0.2.40", "transport", "SSH"))
                .post("/api/v1/hosts").then().statusCode(201).extract().path("id")).longValue();
        QuarkusTransaction.requiringNew().run(() -> incidents.reconcile(host, name, List.of(dev.linger.incident.Findings.closeWaitLeak(
                9080, Severity.WARNING, 12))));
        long incident = Sql.count("SELECT id FROM incident WHERE host_id = ?", host);
        long job = finishedJobWithStepAndSysctlChange(host, name);
        try (var c = TestDatabase.superuser(); var s = c.prepareStatement("INSERT INTO snapshot (host_id, taken_at,"
                + " duration_ms, states, socket_count) VALUES (?, now(), 1, '[]', 0)")) {
            s.setLong(1, host);
            s.execute();
        }

        Browser browser = Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);
        browser.get("/hosts/" + host + "/edit").then().statusCode(200)
                .body(containsString("href=\"/hosts/" + host + "/delete\""));
        browser.get("/hosts/" + host + "/delete").then().statusCode(200).body(containsString("Remove " + name + "?"),
                containsString("1 incident(s) and 1 job(s)"), containsString("Deleted: 1 snapshot(s)"),
                containsString("name=\"confirmName\""));
        // without the typed name (or with another one) nothing is removed
        browser.postForm("/hosts/" + host + "/delete", Map.of()).then().statusCode(400)
                .body(containsString("Type the name exactly as shown: " + name));
        browser.postForm("/hosts/" + host + "/delete", Map.of("confirmName", name + "x")).then().statusCode(400);
        assertEquals(0, Sql.count("SELECT count(*) FROM host WHERE id = ? AND archived_at IS NOT NULL", host));
        assertEquals(1, Sql.count("SELECT count(*) FROM snapshot WHERE host_id = ?", host));

        browser.postForm("/hosts/" + host + "/delete", Map.of("confirmName", name)).then().statusCode(303);

        // the history answers, with the host's name marked archived
        browser.get("/incidents/" + incident).then().statusCode(200).body(containsString(name),
                containsString(">archived</span>"));
        browser.get("/jobs/" + job).then().statusCode(200).body(containsString(name), containsString(">archived</span>"),
                containsString("sysctl -n net.ipv4.tcp_fin_timeout"));
        browser.acceptLanguage("zh-CN").get("/incidents/" + incident).then().statusCode(200)
                .body(containsString(">已归档</span>"));
        browser.acceptLanguage("en");
        admin().get("/api/v1/incidents/" + incident).then().statusCode(200).body("hostName", equalTo(name))
                .body("hostArchived", equalTo(true)).body("status", equalTo("RESOLVED"));
        admin().get("/api/v1/jobs/" + job).then().statusCode(200).body("hostName", equalTo(name))
                .body("hostId", equalTo((int) host)).body("steps.size()", equalTo(1))
                .body("sysctlChanges.size()", equalTo(1));
        browser.get("/hosts/" + host).then().statusCode(200).body(containsString("Removed by admin"));

        // gone from the list, the overview's count, collection; snapshots went
        admin().get("/api/v1/hosts").then().statusCode(200).body("name", not(hasItem(name)));
        browser.get("/hosts").then().statusCode(200).body(not(containsString(">" + name + "<")));
        assertEquals(0, Sql.count("SELECT count(*) FROM snapshot WHERE host_id = ?", host));
        browser.postForm("/hosts/" + host + "/collect", Map.of()).then().statusCode(404);
        admin().delete("/api/v1/hosts/" + host).then().statusCode(404);
        assertEquals(1, Sql.count("SELECT count(*) FROM audit_event WHERE action = 'host.archived' AND subject_id = ?"
                + " AND actor = 'admin'", String.valueOf(host)));

        // the name is free again; the archived host keeps its id and its history
        long again = ((Number) admin().body(Map.of("name", name, "address", "192.0.2.41", "transport", "SSH"))
                .post("/api/v1/hosts").then().statusCode(201).extract().path("id")).longValue();
        assertNotEquals(host, again);
        admin().get("/api/v1/hosts/" + host).then().statusCode(200).body("archivedAt", notNullValue());
        admin().get("/api/v1/incidents/" + incident).then().body("hostId", equalTo((int) host));

        // and the database itself refuses to delete a host that has history
        try (var c = TestDatabase.superuser(); var s = c.prepareStatement("DELETE FROM host WHERE id = ?")) {
            s.setLong(1, host);
            assertThrows(SQLException.class, s::execute);
        }
    }

    @Test
    void aHostWithAJobStillWaitingIsNotRemoved() throws Exception {
        String name = "arch-" + UUID.randomUUID().toString().substring(0, 8);
        long host = ((Number) admin().body(Map.of("name", name, "address", "192.0.2.42", "transport", "SSH"))
                .post("/api/v1/hosts").then().statusCode(201).extract().path("id")).longValue();
        try (var c = TestDatabase.superuser(); var s = c.prepareStatement("""
                INSERT INTO job (runbook_version_id, runbook_id, host_id, host_name, risk, reason, requested_by, plan,
                                 plan_hash, status, created_at, expires_at)
                SELECT v.id, r.id, ?, ?, v.risk, 'waiting', 'test', '{}', 'test', 'PENDING_APPROVAL', now(),
                       now() + interval '1 hour'
                  FROM runbook r JOIN runbook_version v ON v.runbook_id = r.id ORDER BY v.id LIMIT 1
                """)) {
            s.setLong(1, host);
            s.setString(2, name);
            s.execute();
        }
        Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD)
                .postForm("/hosts/" + host + "/delete", Map.of("confirmName", name)).then().statusCode(409)
                .body(containsString("1 job(s) of this host are still pending, queued or running"));
        admin().delete("/api/v1/hosts/" + host).then().statusCode(409);
        assertEquals(0, Sql.count("SELECT count(*) FROM host WHERE id = ? AND archived_at IS NOT NULL", host));
    }

    /** A finished job as the worker leaves it: one step logged, one sysctl change recorded and confirmed. */
    private static long finishedJobWithStepAndSysctlChange(long host, String name) throws SQLException {
        try (var c = TestDatabase.superuser(); var s = c.prepareStatement("""
                INSERT INTO job (runbook_version_id, runbook_id, host_id, host_name, risk, reason, requested_by, plan,
                                 plan_hash, status, created_at, expires_at, queued_at, started_at, finished_at)
                SELECT v.id, r.id, ?, ?, v.risk, 'history', 'test', '{}', 'test', 'SUCCEEDED', now(),
                       now() + interval '1 hour', now(), now(), now()
                  FROM runbook r JOIN runbook_version v ON v.runbook_id = r.id ORDER BY v.id LIMIT 1
                RETURNING id
                """)) {
            s.setLong(1, host);
            s.setString(2, name);
            long job;
            try (var rs = s.executeQuery()) {
                rs.next();
                job = rs.getLong(1);
            }
            try (var step = c.prepareStatement("INSERT INTO job_step (job_id, n, type, command, status, exit_code, stdout,"
                    + " started_at, finished_at) VALUES (?, 1, 'READ_SYSCTL', 'sysctl -n net.ipv4.tcp_fin_timeout',"
                    + " 'SUCCEEDED', 0, '60', now(), now())")) {
                step.setLong(1, job);
                step.execute();
            }
            try (var change = c.prepareStatement("INSERT INTO sysctl_change (job_id, step_n, host_id, key, before,"
                    + " intended, after, persistent, recorded_at, confirmed_at) VALUES (?, 1, ?,"
                    + " 'net.ipv4.tcp_fin_timeout', '60', '30', '30', false, now(), now())")) {
                change.setLong(1, job);
                change.setLong(2, host);
                change.execute();
            }
            return job;
        }
    }
}
