package dev.linger.web;

import static dev.linger.Api.admin;
import static io.restassured.RestAssured.given;

import java.util.Map;
import java.util.UUID;

import dev.linger.Sql;
import dev.linger.TestUsers;
import dev.linger.job.Jobs;

/**
 * Real things a forged request could change: a person, an SSH host with an open incident, a job waiting for
 * approval. The host is on loopback with a closed port (discard), so even a forged collection that got through
 * would reach nothing. {@link #fingerprint()} sums up every row they live in (and every session and audit event), so a
 * test can show that nothing at all changed.
 */
public record ForgeryTargets(TestUsers.Person victim, long userId, String hostName, long hostId, long incidentId, long jobId,
        long silenceId, long channelId, long policyId) {

    public static ForgeryTargets create(TestUsers users) {
        TestUsers.Person victim = users.create("viewer");
        long userId = Sql.count("SELECT id FROM app_user WHERE username = ?", victim.name());
        String host = "forge-" + UUID.randomUUID().toString().substring(0, 8);
        long hostId = Sql.count("WITH h AS (INSERT INTO host (name, address, transport, next_due_at, created_at,"
                + " created_by, ssh_port) VALUES (?, '127.0.0.1', 'SSH', now() + interval '1 day', now(), 'test', 9) RETURNING id)"
                + " SELECT id FROM h", host);
        long incidentId = Sql.count("WITH i AS (INSERT INTO incident (host_id, kind, port, severity, status,"
                + " opened_at, updated_at) VALUES (?, 'CLOSE_WAIT_LEAK', 9080, 'WARNING', 'OPEN', now(),"
                + " now()) RETURNING id) SELECT id FROM i", hostId);
        TestUsers.Person operator = users.create("operator");
        String runbook = Jobs.readOnlyRunbook("LOW");
        long jobId = ((Number) given().auth().preemptive().basic(operator.name(), operator.password())
                .contentType("application/json")
                .body(Map.of("runbook", runbook, "hostId", Jobs.localHost(), "params", Map.of(), "reason", "forgery"))
                .post("/api/v1/jobs").then().statusCode(201).extract().path("id")).longValue();
        admin().get("/api/v1/jobs/" + jobId).then().statusCode(200);
        long silenceId = ((Number) admin().body(Map.of("matchers", Map.of("hostId", hostId), "endsAt",
                java.time.Instant.now().plusSeconds(7200).toString(), "comment", "forgery target"))
                .post("/api/v1/silences").then().statusCode(201).extract().path("id")).longValue();
        // a channel to a closed port on loopback (discard): a forged test that got through would reach nothing
        // (off, and for a label no host has: it must not hear of other tests' incidents)
        long channelId = ((Number) admin().body(Map.of("name", "forge-" + host, "url", "http://127.0.0.1:9/hook",
                "enabled", false, "hostLabel", "forgery-target"))
                .post("/api/v1/notification-channels").then().statusCode(201).extract().path("id")).longValue();
        // a policy in dry run, off, for a label no host has: it could run nothing even if a forgery turned it on
        long policyId = ((Number) admin().body(Map.of("name", "forge-" + host, "kind", "CLOSE_WAIT_LEAK", "hostLabel",
                "forgery-target", "runbook", runbook, "dryRun", true)).post("/api/v1/remediation-policies").then()
                .statusCode(201).extract().path("id")).longValue();
        admin().post("/api/v1/remediation-policies/" + policyId + "/disable").then().statusCode(200);
        return new ForgeryTargets(victim, userId, host, hostId, incidentId, jobId, silenceId, channelId, policyId);
    }

    /** A digest of every user, session, host, incident, job, runbook and the audit log. */
    public static String fingerprint() {
        return Sql.text("""
                SELECT md5(string_agg(r, '|' ORDER BY r)) FROM (
                  SELECT 'u' || t::text AS r FROM app_user t
                  UNION ALL SELECT 's' || id || ':' || user_id FROM user_session
                  UNION ALL SELECT 'h' || t::text FROM host t
                  UNION ALL SELECT 'i' || t::text FROM incident t
                  UNION ALL SELECT 'e' || t::text FROM incident_event t
                  UNION ALL SELECT 'j' || t::text FROM job t
                  UNION ALL SELECT 'a' || t::text FROM job_approval t
                  UNION ALL SELECT 'r' || t::text FROM runbook t
                  UNION ALL SELECT 'v' || t::text FROM runbook_version t
                  UNION ALL SELECT 'p' || t::text FROM login_policy t
                  UNION ALL SELECT 'c' || t::text FROM user_recovery_code t
                  UNION ALL SELECT 'q' || t::text FROM silence t
                  UNION ALL SELECT 'n' || t::text FROM notification_channel t
                  UNION ALL SELECT 'm' || t::text FROM remediation_policy t
                  UNION ALL SELECT 'w' || t::text FROM note t
                  UNION ALL SELECT 'o' || t::text FROM notification t
                  UNION ALL SELECT 'k' || id || ':' || name || ':' || coalesce(revoked_at::text, '') FROM api_token
                  UNION ALL SELECT 'audit' || count(*) FROM audit_event) rows
                """);
    }
}
