package dev.linger.login;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.linger.Browser;
import dev.linger.MovableClock;
import dev.linger.Sql;
import dev.linger.TestUsers;
import dev.linger.job.Jobs;
import dev.linger.job.WindowClockProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * Step-up for local accounts and scripts: past ten minutes since the password was typed, approving a HIGH job or
 * changing roles needs the password again in the same form; a wrong one decides nothing; a LOW job does not ask.
 * Scripts step up by what they send: Basic carries the password, a token needs the approve or admin scope. The
 * decision records how its maker authenticated.
 */
@QuarkusTest
@TestProfile(WindowClockProfile.class)
class StepUpTest {

    @Inject
    MovableClock clock;

    @Inject
    TestUsers users;

    private Duration moved = Duration.ZERO;

    private void later(Duration by) {
        clock.advance(by);
        moved = moved.plus(by);
    }

    @AfterEach
    void backToNow() {
        clock.advance(moved.negated());
        moved = Duration.ZERO;
    }

    private long propose(TestUsers.Person operator, String risk) {
        return ((Number) given().auth().preemptive().basic(operator.name(), operator.password())
                .contentType("application/json").body(Map.of("runbook", Jobs.readOnlyRunbook(risk), "hostId",
                        Jobs.localHost(), "params", Map.of(), "reason", "step-up " + risk))
                .post("/api/v1/jobs").then().statusCode(201).extract().path("id")).longValue();
    }

    private static long approvals(long job) {
        return Sql.count("SELECT count(*) FROM job_approval WHERE job_id = ?", job);
    }

    @Test
    void aStaleSessionApprovesAHighJobOnlyWithThePasswordTypedIntoTheSameForm() {
        TestUsers.Person operator = users.create("operator");
        TestUsers.Person approver = users.create("approver");
        long high = propose(operator, "HIGH");
        long low = propose(operator, "LOW");
        Browser b = Browser.signedIn(approver.name(), approver.password());
        b.get("/jobs/" + high).then().statusCode(200).body(org.hamcrest.Matchers.not(containsString("name=\"stepUpPassword\"")));

        later(Duration.ofMinutes(11));
        b.get("/jobs/" + high).then().statusCode(200).body(containsString("name=\"stepUpPassword\""));
        b.postForm("/jobs/" + high + "/decision", Map.of("decision", "APPROVE", "comment", "ok")).then().statusCode(303);
        assertEquals(0, approvals(high), "no decision without a recent sign-in");
        b.get("/jobs/" + high).then().body(containsString("needs a recent sign-in"));

        long failuresBefore = Sql.count("SELECT count(*) FROM audit_event WHERE action = 'user.login_failed'"
                + " AND details->>'channel' = 'step_up'");
        b.postForm("/jobs/" + high + "/decision", Map.of("decision", "APPROVE", "comment", "ok", "stepUpPassword",
                "not the password")).then().statusCode(303);
        assertEquals(0, approvals(high));
        assertEquals(failuresBefore + 1, Sql.count("SELECT count(*) FROM audit_event WHERE action = 'user.login_failed'"
                + " AND details->>'channel' = 'step_up'"));

        // a LOW job asks nothing
        b.postForm("/jobs/" + low + "/decision", Map.of("decision", "APPROVE", "comment", "")).then().statusCode(303);
        assertEquals(1, approvals(low));

        b.postForm("/jobs/" + high + "/decision", Map.of("decision", "APPROVE", "comment", "ok", "stepUpPassword",
                approver.password())).then().statusCode(303);
        assertEquals(1, approvals(high));
        assertEquals("password", Sql.text("SELECT auth_method FROM job_approval WHERE job_id = ?", high));
        assertEquals("password", Sql.text("SELECT details->>'authMethod' FROM audit_event WHERE action = 'job.approved'"
                + " AND subject_id = ?", String.valueOf(high)));
        // the session is fresh again: the next risky decision within ten minutes asks nothing more
        b.get("/jobs/" + propose(operator, "HIGH")).then().body(org.hamcrest.Matchers.not(containsString("name=\"stepUpPassword\"")));
    }

    @Test
    void changingRolesAfterTenMinutesNeedsThePasswordAgain() {
        TestUsers.Person someone = users.create("viewer");
        long id = Sql.count("SELECT id FROM app_user WHERE username = ?", someone.name());
        Browser admin = Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);
        later(Duration.ofMinutes(11));
        admin.postForm("/users/" + id + "/roles", Map.of("roles", "operator")).then().statusCode(403)
                .body(containsString("needs a recent sign-in"));
        assertEquals("viewer", Sql.text("SELECT roles FROM app_user WHERE id = ?", id));
        admin.postForm("/users/" + id + "/roles", Map.of("roles", "operator", "stepUpPassword",
                TestUsers.ADMIN_PASSWORD)).then().statusCode(303);
        assertEquals("operator", Sql.text("SELECT roles FROM app_user WHERE id = ?", id));
        assertEquals("password", Sql.text("SELECT details->>'authMethod' FROM audit_event"
                + " WHERE action = 'user.roles_changed' AND subject_id = ? ORDER BY seq DESC LIMIT 1", someone.name()));
    }

    @Test
    void scriptsStepUpWithBasicOrATokenThatHasTheApproveScope() {
        TestUsers.Person operator = users.create("operator");
        TestUsers.Person approver = users.create("operator", "approver");
        TestUsers.Person second = users.create("approver");
        long high = propose(operator, "HIGH");
        later(Duration.ofHours(2));

        String readOnly = token(approver, List.of("read", "operate"));
        given().auth().oauth2(readOnly).contentType("application/json").body(Map.of("decision", "APPROVE"))
                .post("/api/v1/jobs/" + high + "/approvals").then().statusCode(403);
        String approve = token(approver, List.of("approve"));
        given().auth().oauth2(approve).contentType("application/json").body(Map.of("decision", "APPROVE"))
                .post("/api/v1/jobs/" + high + "/approvals").then().statusCode(200);
        assertEquals("token", Sql.text("SELECT auth_method FROM job_approval WHERE job_id = ? AND approver = ?", high,
                approver.name()));
        given().auth().preemptive().basic(second.name(), second.password()).contentType("application/json")
                .body(Map.of("decision", "APPROVE")).post("/api/v1/jobs/" + high + "/approvals").then().statusCode(200);
        assertEquals("basic", Sql.text("SELECT auth_method FROM job_approval WHERE job_id = ? AND approver = ?", high,
                second.name()));
        assertTrue(Sql.count("SELECT count(*) FROM job WHERE id = ? AND status = 'QUEUED'", high) == 1);
    }

    @Test
    void anAccountWithCodesStepsUpWithThePasswordAndACode() {
        TestUsers.Person operator = users.create("operator");
        TestUsers.Person approver = users.create("approver");
        long high = propose(operator, "HIGH");
        Browser b = Browser.signedIn(approver.name(), approver.password());
        b.postForm("/account/totp/begin", Map.of()).then().statusCode(200);
        String secret = Sql.text("SELECT totp_secret FROM app_user WHERE username = ?", approver.name());
        long step = Totp.stepAt(clock.instant());
        b.postForm("/account/totp/confirm", Map.of("code", Totp.code(Totp.fromBase32(secret), step, Totp.DIGITS)))
                .then().statusCode(200);

        later(Duration.ofMinutes(11));
        b.get("/jobs/" + high).then().body(containsString("name=\"stepUpCode\""));
        b.postForm("/jobs/" + high + "/decision", Map.of("decision", "APPROVE", "stepUpPassword",
                approver.password())).then().statusCode(303);
        assertEquals(0, approvals(high), "the password alone is not enough for an account with codes");
        b.get("/jobs/" + high).then().body(containsString("enter the current code"));
        long now = Totp.stepAt(clock.instant());
        b.postForm("/jobs/" + high + "/decision", Map.of("decision", "APPROVE", "stepUpPassword",
                approver.password(), "stepUpCode", Totp.code(Totp.fromBase32(secret), now, Totp.DIGITS)))
                .then().statusCode(303);
        assertEquals(1, approvals(high));
        assertEquals("password+totp", Sql.text("SELECT auth_method FROM job_approval WHERE job_id = ?", high));
    }

    private static String token(TestUsers.Person owner, List<String> scopes) {
        return given().auth().preemptive().basic(owner.name(), owner.password()).contentType("application/json")
                .body(Map.of("name", "step-up " + scopes, "scopes", scopes)).post("/api/v1/tokens").then()
                .statusCode(201).extract().path("token");
    }
}
