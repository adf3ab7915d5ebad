package dev.linger.login;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.linger.Browser;
import dev.linger.Sql;
import dev.linger.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
class LoginTest {

    @Inject
    TestUsers users;
    @Inject
    LoginThrottle throttle;

    @AfterEach
    void forgiveTheTestClient() {
        throttle.succeeded("127.0.0.1");
    }

    @Test
    void signingInWithTheFormOpensASessionShowsTheOverviewAndIsAudited() {
        long logins = Sql.count("SELECT count(*) FROM audit_event WHERE action = 'user.login' AND actor = 'admin'");
        Browser admin = Browser.anonymous();
        Response r = admin.postForm("/login", Map.of("username", "admin", "password", TestUsers.ADMIN_PASSWORD,
                "next", "/"));
        assertEquals(303, r.statusCode());
        assertEquals("/", java.net.URI.create(r.header("Location")).getPath());
        assertNotNull(admin.cookie(LingerAuthenticationMechanism.SESSION_COOKIE));
        String session = r.getDetailedCookie(LingerAuthenticationMechanism.SESSION_COOKIE).toString();
        assertEquals(true, session.contains("HttpOnly"), session);
        assertEquals(true, session.contains("SameSite=Lax"), session);

        admin.get("/").then().statusCode(200)
                .body(containsString("<h1>Overview</h1>"), containsString(">admin</a>"));
        assertEquals(logins + 1,
                Sql.count("SELECT count(*) FROM audit_event WHERE action = 'user.login' AND actor = 'admin'"));
    }

    @Test
    void aWrongPasswordIsRefusedWith401AndAuditedAsAFailedLogin() {
        TestUsers.Person p = users.create("operator");
        Browser b = Browser.anonymous();
        b.postForm("/login", Map.of("username", p.name(), "password", "not the password"))
                .then().statusCode(401).body(containsString("Wrong user name or password."));
        assertNull(b.cookie(LingerAuthenticationMechanism.SESSION_COOKIE));
        assertEquals(1, Sql.count("SELECT count(*) FROM audit_event WHERE action = 'user.login_failed'"
                + " AND subject_id = ? AND details->>'reason' = 'wrong password' AND details->>'channel' = 'form'",
                p.name()));
    }

    @Test
    void anUnknownUserIsRefusedAlikeAndAudited() {
        Browser.anonymous().postForm("/login", Map.of("username", "nobody-here", "password", "whatever-it-is"))
                .then().statusCode(401).body(containsString("Wrong user name or password."));
        assertEquals(1, Sql.count("SELECT count(*) FROM audit_event WHERE action = 'user.login_failed'"
                + " AND subject_id = 'nobody-here' AND details->>'reason' = 'unknown user'"));
    }

    @Test
    void theApiTakesHttpBasicAndAuditsFailures() {
        TestUsers.Person p = users.create("approver");
        given().auth().preemptive().basic(p.name(), p.password()).get("/api/v1/me")
                .then().statusCode(200).body("username", equalTo(p.name())).body("roles", hasItem("approver"))
                .body("roles", not(hasItem("operator")));
        given().auth().preemptive().basic(p.name(), "wrong-password").get("/api/v1/me")
                .then().statusCode(401).header("WWW-Authenticate", nullValue())
                .contentType(containsString("application/json")).body("error", containsString("HTTP Basic"));
        assertEquals(1, Sql.count("SELECT count(*) FROM audit_event WHERE action = 'user.login_failed'"
                + " AND subject_id = ? AND details->>'channel' = 'basic'", p.name()));
    }

    @Test
    void withoutCredentialsTheApiSays401AndPagesRedirectToTheLoginForm() {
        // no Basic challenge: a browser shown one would keep the password and send it with forged requests
        given().get("/api/v1/me").then().statusCode(401).header("WWW-Authenticate", nullValue())
                .body("status", equalTo(401));
        given().redirects().follow(false).get("/audit?actor=x").then().statusCode(302)
                .header("Location", containsString("/login?next=%2Faudit%3Factor%3Dx"));
    }

    @Test
    void repeatedFailuresFromOneClientAreSlowedDownEvenForTheRightPassword() {
        TestUsers.Person p = users.create("viewer");
        Browser b = Browser.anonymous();
        for (int i = 0; i < 5; i++) {
            b.postForm("/login", Map.of("username", p.name(), "password", "guess-" + i)).then().statusCode(401);
        }
        b.postForm("/login", Map.of("username", p.name(), "password", p.password()))
                .then().statusCode(429).header("Retry-After", equalTo("1"))
                .body(containsString("Too many failed attempts"));
        given().auth().preemptive().basic(p.name(), p.password()).get("/api/v1/me")
                .then().statusCode(429).header("Retry-After", equalTo("1"));
        throttle.succeeded("127.0.0.1");
        Browser.signedIn(p.name(), p.password());
    }

    @Test
    void signingOutEndsTheSessionOnTheServer() {
        Browser b = Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);
        String token = b.cookie(LingerAuthenticationMechanism.SESSION_COOKIE);
        b.get("/logout").then().statusCode(200).body(containsString("Sign out?"));
        b.postForm("/logout", Map.of()).then().statusCode(303).header("Location", containsString("/login"));
        given().redirects().follow(false).cookie(LingerAuthenticationMechanism.SESSION_COOKIE, token).get("/")
                .then().statusCode(302);
        assertEquals(0, Sql.count("SELECT count(*) FROM user_session WHERE token_sha256 = ?",
                SessionStore.digest(token)));
    }

    @Test
    void aDisabledAccountLosesItsSessionsAndCannotSignIn() {
        TestUsers.Person p = users.create("operator");
        Browser person = Browser.signedIn(p.name(), p.password());
        person.get("/").then().statusCode(200);
        long id = Sql.count("SELECT id FROM app_user WHERE username = ?", p.name());
        Browser admin = Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);
        admin.postForm("/users/" + id + "/disable", Map.of()).then().statusCode(303);
        person.get("/").then().statusCode(302);
        Browser.anonymous().postForm("/login", Map.of("username", p.name(), "password", p.password()))
                .then().statusCode(401);
        assertEquals(1, Sql.count("SELECT count(*) FROM audit_event WHERE action = 'user.disabled' AND subject_id = ?",
                p.name()));
    }

    @Test
    void afterSigningInOnlyPathsOnThisSiteAreFollowed() {
        for (String next : new String[] {"//evil.example/", "https://evil.example/", "/\\evil.example", "/login"}) {
            Browser b = Browser.anonymous();
            Response r = b.postForm("/login", Map.of("username", TestUsers.ADMIN, "password",
                    TestUsers.ADMIN_PASSWORD, "next", next));
            assertEquals(303, r.statusCode());
            assertEquals("/", java.net.URI.create(r.header("Location")).getPath(), next);
        }
        assertEquals("/audit?actor=x", LoginPage.safeNext("/audit?actor=x"));
    }

    @Test
    void emptyFieldsAreAskedForAgainWithoutCountingAsAnAttempt() {
        long failed = Sql.count("SELECT count(*) FROM audit_event WHERE action = 'user.login_failed'");
        Browser.anonymous().postForm("/login", Map.of("username", "", "password", ""))
                .then().statusCode(400).body(containsString("Enter your user name and password."));
        assertEquals(failed, Sql.count("SELECT count(*) FROM audit_event WHERE action = 'user.login_failed'"));
    }
}
