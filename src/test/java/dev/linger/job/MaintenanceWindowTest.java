package dev.linger.job;

import static dev.linger.job.Jobs.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.linger.Browser;
import dev.linger.MovableClock;
import dev.linger.Sql;
import dev.linger.TestDatabase;
import dev.linger.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * An approved HIGH job outside its host's maintenance window: the job page and list say when it starts, it starts
 * when the clock reaches the window, and an approver who did not propose it can start it now with a reason.
 */
@QuarkusTest
@TestProfile(WindowClockProfile.class)
class MaintenanceWindowTest {

    @Inject
    MovableClock clock;
    @Inject
    JobWorkers workers;
    @Inject
    TestUsers users;

    /** A HIGH job on a host whose window opens two hours from the clock's now, approved by two approvers. */
    private long queuedOutsideTheWindow(TestUsers.Person operator, List<TestUsers.Person> approvers, Instant opens)
            throws Exception {
        String runbook = Jobs.readOnlyRunbook("HIGH");
        long host = NoopHosts.hosts(1).get(0);
        ZonedDateTime at = opens.atZone(ZoneOffset.UTC);
        int start = at.getHour() * 60 + at.getMinute();
        try (Connection c = TestDatabase.superuser(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE host SET maintenance_start_minute = " + start + ", maintenance_end_minute = "
                    + (start + 60) % 1440 + " WHERE id = " + host);
        }
        long id = Jobs.propose(operator, runbook, host, Map.of());
        for (TestUsers.Person approver : approvers) {
            Jobs.decide(approver, id, "APPROVE", 200);
        }
        assertEquals("QUEUED", Jobs.job(id).getString("status"));
        return id;
    }

    @Test
    void aQueuedJobSaysWhenItStartsAndStartsWhenTheClockReachesTheWindow() throws Exception {
        clock.set(Instant.parse("2026-12-03T10:17:00Z"));
        TestUsers.Person operator = users.create("operator");
        List<TestUsers.Person> approvers = List.of(users.create("approver"), users.create("approver"));
        Instant opens = Instant.parse("2026-12-03T12:17:00Z");
        long id = queuedOutsideTheWindow(operator, approvers, opens);

        as(operator).get("/api/v1/jobs/" + id).then().statusCode(200).body("startsAt", equalTo(opens.toString()));
        assertFalse(workers.runOne("window-test"), "outside the window the HIGH job is not claimed");
        Browser op = Browser.signedIn(operator.name(), operator.password());
        op.get("/jobs/" + id).then().statusCode(200)
                .body(containsString("waits for the host's maintenance window and starts at <time datetime=\""
                        + opens + "\">2026-12-03 12:17"))
                .body(not(containsString("Start now, before the window")));
        op.get("/jobs?status=QUEUED").then().statusCode(200).body(containsString("starts 2026-12-03 12:17"));
        op.acceptLanguage("zh-CN").get("/jobs/" + id).then().statusCode(200)
                .body(containsString("它在等待主机的维护窗口，将于 <time datetime=\"" + opens + "\">2026-12-03 12:17"));
        op.get("/jobs?status=QUEUED").then().statusCode(200).body(containsString("2026-12-03 12:17"))
                .body(containsString("（UTC）开始"));

        clock.advance(Duration.ofMinutes(119));
        assertFalse(workers.runOne("window-test"), "a minute before the window it still waits");
        clock.advance(Duration.ofMinutes(1));
        as(operator).get("/api/v1/jobs/" + id).then().statusCode(200).body("startsAt", nullValue());
        assertTrue(workers.runOne("window-test"), "at the window's first minute it starts");
        assertEquals("SUCCEEDED", Jobs.job(id).getString("status"));
    }

    @Test
    void anApproverWhoDidNotProposeItStartsItNowWithAReasonAndThatIsAudited() throws Exception {
        clock.set(Instant.parse("2026-12-03T21:00:00Z"));
        // the proposer is an approver too: still not the one who may start it early
        TestUsers.Person proposer = users.create("operator", "approver");
        TestUsers.Person first = users.create("approver");
        TestUsers.Person second = users.create("approver");
        TestUsers.Person starter = users.create("approver");
        TestUsers.Person viewer = users.create("viewer");
        Instant opens = Instant.parse("2026-12-04T02:00:00Z");
        long id = queuedOutsideTheWindow(proposer, List.of(first, second), opens);
        long audited = Sql.auditEvents();

        as(proposer).body(Map.of("reason", "I am sure")).post("/api/v1/jobs/" + id + "/start-now").then()
                .statusCode(403);
        as(viewer).body(Map.of("reason", "why not")).post("/api/v1/jobs/" + id + "/start-now").then().statusCode(403);
        as(starter).body(Map.of("reason", "  ")).post("/api/v1/jobs/" + id + "/start-now").then().statusCode(400)
                .body("fields.reason", containsString("Say why the job starts before the maintenance window"));
        as(starter).body(Map.of()).post("/api/v1/jobs/" + id + "/start-now").then().statusCode(400);
        // a right-to-left override would make the audited reason read otherwise than it was written
        as(starter).body(Map.of("reason", "urgent \u202Ewodniw eht retfa")).post("/api/v1/jobs/" + id + "/start-now")
                .then().statusCode(400).body("fields.reason", containsString("U+202A"));
        assertEquals(audited, Sql.auditEvents(), "refusals change nothing");
        assertFalse(workers.runOne("window-test"));

        Browser page = Browser.signedIn(starter.name(), starter.password());
        page.get("/jobs/" + id).then().statusCode(200).body(containsString("Start now, before the window"))
                .body(containsString("action=\"/jobs/" + id + "/start-now\""));
        page.postForm("/jobs/" + id + "/start-now", Map.of("reason", "customers are failing now; the window is 5 h"
                + " away")).then().statusCode(303);
        assertEquals(1, Sql.count("SELECT count(*) FROM audit_event WHERE action = 'job.start_now' AND actor = ?"
                + " AND subject_id = ? AND details->>'reason' = ?", starter.name(), String.valueOf(id),
                "customers are failing now; the window is 5 h away"));
        as(first).get("/api/v1/jobs/" + id).then().statusCode(200).body("startNowBy", equalTo(starter.name()))
                .body("startsAt", nullValue());
        as(first).body(Map.of("reason", "again")).post("/api/v1/jobs/" + id + "/start-now").then().statusCode(409);
        page.get("/jobs/" + id).then().statusCode(200).body(containsString("Started ahead of the maintenance window by "
                + starter.name())).body(not(containsString("Start now, before the window")));

        assertTrue(workers.runOne("window-test"), "started now: claimed although the window is hours away");
        assertEquals("SUCCEEDED", Jobs.job(id).getString("status"));
        assertEquals(Instant.parse("2026-12-03T21:00:00Z"), Instant.parse(Jobs.job(id).getString("startedAt")),
                "it started at once, on the clock the test holds");
        // the database itself holds the rule that the proposer never starts their own job early
        try (Connection c = TestDatabase.superuser(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE job SET start_now_by = requested_by WHERE id = " + id);
            throw new AssertionError("the database let the proposer start their own job");
        } catch (java.sql.SQLException e) {
            assertTrue(e.getMessage().contains("job_start_now_not_proposer"), e.getMessage());
        }
    }
}
