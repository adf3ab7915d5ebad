package dev.linger.user;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.linger.Browser;
import dev.linger.Sql;
import dev.linger.TestUsers;
import io.quarkus.test.junit.QuarkusTest;

/** Issue 12 item 5: a password change or reset ends sessions; a reset password must be replaced first. */
@QuarkusTest
class SessionsTest {

    @Inject
    TestUsers users;

    @Test
    void changingOnesPasswordEndsEveryOtherSessionButKeepsThisOne() {
        TestUsers.Person p = users.create("viewer");
        Browser here = Browser.signedIn(p.name(), p.password());
        Browser laptop = Browser.signedIn(p.name(), p.password());
        Browser phone = Browser.signedIn(p.name(), p.password());
        assertEquals(3, sessionsOf(p.name()));
        here.postForm("/account/password", Map.of("current", p.password(), "next", "a-brand-new-password",
                "confirm", "a-brand-new-password")).then().statusCode(303).header("Location", containsString("/account"));
        here.get("/account").then().statusCode(200).body(containsString("Your other sessions are signed out."));
        laptop.get("/account").then().statusCode(302).header("Location", containsString("/login"));
        phone.get("/").then().statusCode(302);
        assertEquals(1, sessionsOf(p.name()));
        assertEquals(1, Sql.count("SELECT count(*) FROM audit_event WHERE action = 'user.password_changed'"
                + " AND subject_id = ? AND details->>'otherSessionsEnded' = '2'", p.name()));
    }

    @Test
    void anAdminResetsAPasswordWhichEndsTheSessionsAndMustBeChangedAtTheNextSignIn() {
        TestUsers.Person p = users.create("operator");
        long id = Sql.count("SELECT id FROM app_user WHERE username = ?", p.name());
        Browser theirs = Browser.signedIn(p.name(), p.password());
        Browser admin = Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);

        admin.postForm("/users/" + id + "/password", Map.of("password", "temporary-pass-1")).then().statusCode(303);
        admin.get("/users").then().statusCode(200).body(containsString("is reset and " + p.name()
                + " is signed out everywhere")).body(containsString("must change password"));
        theirs.get("/hosts").then().statusCode(302).header("Location", containsString("/login"));
        assertEquals(0, sessionsOf(p.name()));
        assertEquals(1, Sql.count("SELECT count(*) FROM audit_event WHERE action = 'user.password_reset'"
                + " AND actor = 'admin' AND subject_id = ? AND details->>'sessionsEnded' = '1'", p.name()));
        assertEquals(0, Sql.count("SELECT count(*) FROM audit_event WHERE details::text LIKE '%temporary-pass-1%'"));

        Browser refused = Browser.anonymous();
        refused.postForm("/login", Map.of("username", p.name(), "password", p.password(), "next", "/"))
                .then().statusCode(401);

        Browser back = Browser.signedIn(p.name(), "temporary-pass-1");
        back.get("/hosts").then().statusCode(303).header("Location", containsString("/account"));
        back.get("/jobs/new").then().statusCode(303).header("Location", containsString("/account"));
        back.get("/account").then().statusCode(200).body(containsString("An admin reset your password."));
        long events = Sql.auditEvents();
        back.postForm("/jobs", Map.of("runbook", "fin-wait1-drain-orphans", "hostId", "1", "reason", "while reset"))
                .then().statusCode(303).header("Location", containsString("/account"));
        assertEquals(events, Sql.auditEvents());
        given().auth().preemptive().basic(p.name(), "temporary-pass-1").get("/api/v1/hosts").then().statusCode(403)
                .body("error", containsString("reset your password"));

        back.postForm("/account/password", Map.of("current", "temporary-pass-1", "next", "temporary-pass-1",
                "confirm", "temporary-pass-1")).then().statusCode(400)
                .body(containsString("Choose a new password, not the current one."));
        back.postForm("/account/password", Map.of("current", "temporary-pass-1", "next", "my-own-password-1",
                "confirm", "my-own-password-1")).then().statusCode(303);
        back.get("/hosts").then().statusCode(200);
        back.get("/account").then().statusCode(200).body(not(containsString("An admin reset your password.")));
        given().auth().preemptive().basic(p.name(), "my-own-password-1").get("/api/v1/me").then().statusCode(200)
                .body("username", equalTo(p.name()));
    }

    @Test
    void onlyAnAdminResetsAndNotTheirOwnPassword() {
        TestUsers.Person p = users.create("viewer");
        long id = Sql.count("SELECT id FROM app_user WHERE username = ?", p.name());
        TestUsers.Person approver = users.create("approver");
        Browser notAdmin = Browser.signedIn(approver.name(), approver.password());
        String hash = Sql.text("SELECT password_hash FROM app_user WHERE id = ?", id);
        notAdmin.postForm("/users/" + id + "/password", Map.of("password", "temporary-pass-1")).then().statusCode(403);
        assertEquals(hash, Sql.text("SELECT password_hash FROM app_user WHERE id = ?", id));

        long adminId = Sql.count("SELECT id FROM app_user WHERE username = 'admin'");
        Browser admin = Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);
        admin.postForm("/users/" + adminId + "/password", Map.of("password", "temporary-pass-1")).then()
                .statusCode(400).body(containsString("Change your own password on the Account page."));
        admin.postForm("/users/" + id + "/password", Map.of("password", "short")).then().statusCode(400);
        assertEquals(hash, Sql.text("SELECT password_hash FROM app_user WHERE id = ?", id));
        Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD); // the admin's password is unchanged
    }

    @Test
    void everyResponseForbidsFramingAndCarriesAContentSecurityPolicy() {
        Browser admin = Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);
        for (var r : new io.restassured.response.Response[] {given().get("/login"), admin.get("/"),
                admin.get("/hosts"), admin.get("/no-such-page"), given().redirects().follow(false).get("/hosts"),
                given().get("/static/linger.css")}) {
            r.then().header("X-Frame-Options", "DENY")
                    .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                    .header("Content-Security-Policy", containsString("script-src 'self';"))
                    .header("Content-Security-Policy", not(containsString("unsafe-inline")));
        }
        // the pages need no inline style or script, so the policy costs them nothing
        for (String page : new String[] {"/", "/hosts", "/incidents", "/jobs", "/approvals", "/runbooks", "/audit",
                "/users", "/account"}) {
            admin.get(page).then().statusCode(200).body(not(containsString(" style=")))
                    .body(not(containsString("<style"))).body(not(containsString("<script>")));
        }
    }

    private static long sessionsOf(String name) {
        return Sql.count("SELECT count(*) FROM user_session s JOIN app_user u ON u.id = s.user_id WHERE u.username = ?",
                name);
    }
}
