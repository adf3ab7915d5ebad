package dev.linger.sso;

import static dev.linger.Api.admin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import dev.linger.MovableClock;
import dev.linger.Sql;
import dev.linger.TestUsers;
import dev.linger.browser.Chromium;
import dev.linger.job.Jobs;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * Single sign-on against a real Keycloak, driven through Keycloak's own login page in Chromium: accounts made at
 * the first sign-in with roles from the provider's groups, refused when disabled in Linger or without a mapped
 * group, signed out at both ends, the provider's tokens on the API, and step-up through the provider.
 */
@QuarkusTest
@TestProfile(KeycloakProfile.class)
class SingleSignOnTest {

    @TestHTTPResource("/")
    URL root;

    @Inject
    MovableClock clock;

    @Inject
    TestUsers users;

    private Chromium browser;

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    private String base() {
        return root.toString().replaceAll("/$", "");
    }

    /** From Linger's login page through Keycloak's and back; returns where the browser landed. */
    private String signInThroughKeycloak(String user, String next) {
        browser.open("/login" + (next == null ? "" : "?next=" + next));
        browser.find("#sso-sign-in").click();
        browser.waiting().until(d -> d.getCurrentUrl().contains(":" + 18180 + "/"));
        browser.find("#username").sendKeys(user);
        browser.find("#password").sendKeys(KeycloakServer.PASSWORD);
        browser.find("#kc-login").click();
        browser.waiting().until(d -> d.getCurrentUrl().startsWith(base()) && !browser.path().startsWith("/login/oidc"));
        return browser.path();
    }

    /** Signs out through Linger's confirmation page; the provider's end-session endpoint sends the browser back. */
    private void signOut() {
        browser.open("/logout");
        browser.find("form[action='/logout'] button[type=submit]").click();
        try {
            browser.waiting().until(d -> d.getCurrentUrl().startsWith(base() + "/login"));
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("signing out ended at " + browser.driver().getCurrentUrl() + ": "
                    + browser.text("body"), e);
        }
    }

    @Test
    void theFirstSignInMakesTheAccountWithRolesFromTheProvidersGroupsAndSignOutEndsBothSessions() {
        browser = Chromium.desktop(base());
        browser.open("/login");
        assertEquals("Sign in with Keycloak", browser.text("#sso-sign-in"));
        assertEquals("/jobs", signInThroughKeycloak("olivia", "/jobs"));
        assertTrue(browser.text("body").contains("olivia"), "the page names who is signed in");

        assertEquals("operator", Sql.text("SELECT roles FROM app_user WHERE username = 'olivia'"));
        assertEquals(KeycloakServer.issuer(), Sql.text("SELECT oidc_issuer FROM app_user WHERE username = 'olivia'"));
        assertEquals("oidc", Sql.text("""
                SELECT s.auth_method FROM user_session s JOIN app_user u ON u.id = s.user_id
                 WHERE u.username = 'olivia' ORDER BY s.id DESC LIMIT 1"""));
        assertEquals(1, Sql.count("SELECT count(*) FROM audit_event WHERE action = 'user.created' AND subject_id = 'olivia'"
                + " AND details->>'source' = 'provider'"));
        // Quarkus' own session cookie is gone: Linger's session is the only one pages see
        assertNull(browser.driver().manage().getCookies().stream().filter(c -> c.getName().startsWith("q_session"))
                .findFirst().orElse(null));
        admin().get("/api/v1/users").then().statusCode(200)
                .body("find { it.username == 'olivia' }.provider", equalTo(true));

        // sign-out ends Linger's session and, through the provider's end-session endpoint, Keycloak's
        signOut();
        assertEquals(0, Sql.count("SELECT count(*) FROM user_session s JOIN app_user u ON u.id = s.user_id"
                + " WHERE u.username = 'olivia'"));
        browser.open("/login");
        browser.find("#sso-sign-in").click();
        browser.waiting().until(d -> d.getCurrentUrl().contains(":18180/"));
        assertFalse(browser.findAll("#username").isEmpty(), "Keycloak asks for the password again: its session ended");
    }

    @Test
    void rolesFollowTheProviderAndADisabledOrUnmappedAccountIsRefused() {
        KeycloakServer.setGroups("victor", "linger-viewers");
        browser = Chromium.desktop(base());
        signInThroughKeycloak("victor", null);
        assertEquals("viewer", Sql.text("SELECT roles FROM app_user WHERE username = 'victor'"));
        signOut();
        browser.close();

        KeycloakServer.setGroups("victor", "linger-approvers", "linger-operators");
        browser = Chromium.desktop(base());
        signInThroughKeycloak("victor", null);
        assertEquals("operator,approver", Sql.text("SELECT roles FROM app_user WHERE username = 'victor'"));
        browser.close();

        long id = Sql.count("SELECT id FROM app_user WHERE username = 'victor'");
        dev.linger.Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD)
                .postForm("/users/" + id + "/disable", Map.of()).then().statusCode(303);
        assertEquals(0, Sql.count("SELECT count(*) FROM user_session WHERE user_id = ?", id),
                "disabling ends the sessions opened through the provider too");
        browser = Chromium.desktop(base());
        browser.open("/login");
        browser.find("#sso-sign-in").click();
        browser.waiting().until(d -> d.getCurrentUrl().contains(":18180/"));
        browser.find("#username").sendKeys("victor");
        browser.find("#password").sendKeys(KeycloakServer.PASSWORD);
        browser.find("#kc-login").click();
        browser.waiting().until(d -> browser.findAll("p.alert").size() > 0);
        assertTrue(browser.text("p.alert").contains("disabled"), browser.text("p.alert"));
        assertEquals(0, Sql.count("SELECT count(*) FROM user_session WHERE user_id = ?", id));
        browser.close();

        browser = Chromium.desktop(base());
        browser.open("/login");
        browser.find("#sso-sign-in").click();
        browser.waiting().until(d -> d.getCurrentUrl().contains(":18180/"));
        browser.find("#username").sendKeys("nobody");
        browser.find("#password").sendKeys(KeycloakServer.PASSWORD);
        browser.find("#kc-login").click();
        browser.waiting().until(d -> browser.findAll("p.alert").size() > 0);
        assertTrue(browser.text("p.alert").contains("none of the groups"), browser.text("p.alert"));
        assertEquals(0, Sql.count("SELECT count(*) FROM app_user WHERE username = 'nobody'"));
    }

    @Test
    void theApiTakesTheProvidersAccessTokenForItsOwnerOnly() {
        String token = KeycloakServer.accessToken("adele", KeycloakServer.PASSWORD);
        given().auth().oauth2(token).get("/api/v1/me").then().statusCode(200).body("username", equalTo("adele"))
                .body("roles", org.hamcrest.Matchers.hasItem("admin"));
        given().auth().oauth2(token).get("/api/v1/incidents").then().statusCode(200);
        // a signature that does not verify, and a person the provider gives no Linger role
        String forged = token.substring(0, token.length() - 4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
        given().auth().oauth2(forged).get("/api/v1/me").then().statusCode(401);
        given().auth().oauth2(KeycloakServer.accessToken("nobody", KeycloakServer.PASSWORD)).get("/api/v1/me")
                .then().statusCode(401);
        given().auth().oauth2("not-a-token").get("/api/v1/me").then().statusCode(401);
        // Linger's own tokens still go to Linger's check
        given().auth().oauth2("lgr_00000000000000000000000000000000AAAAAA").get("/api/v1/me").then().statusCode(401);
    }

    @Test
    void aCallbackWithAForgedStateOpensNoSession() {
        long before = Sql.count("SELECT count(*) FROM user_session");
        Response r = given().redirects().follow(false).get("/login/oidc/callback?code=forged&state=forged");
        assertTrue(r.statusCode() == 401 || r.statusCode() == 302 && !r.header("Location").startsWith("/"),
                r.statusCode() + " " + r.header("Location"));
        assertNull(r.cookie("linger_session"));
        assertEquals(before, Sql.count("SELECT count(*) FROM user_session"));
    }

    @Test
    void approvingAHighJobAfterTenMinutesGoesThroughTheProviderAgainAndRecordsIt() {
        KeycloakServer.setGroups("april", "linger-approvers");
        TestUsers.Person operator = users.create("operator");
        String runbook = Jobs.readOnlyRunbook("HIGH");
        long job = ((Number) given().auth().preemptive().basic(operator.name(), operator.password())
                .contentType("application/json").body(Map.of("runbook", runbook, "hostId", Jobs.localHost(),
                        "params", Map.of(), "reason", "step-up through the provider"))
                .post("/api/v1/jobs").then().statusCode(201).extract().path("id")).longValue();

        browser = Chromium.desktop(base());
        signInThroughKeycloak("april", "/jobs/" + job);
        clock.advance(Duration.ofMinutes(11));
        try {
            browser.open("/jobs/" + job);
            // no password field for a provider's account: a way through the provider instead
            assertTrue(browser.findAll("input[name=stepUpPassword]").isEmpty());
            browser.find("form[action='/jobs/" + job + "/decision'] button[value=APPROVE]").click();
            browser.waiting().until(d -> browser.text("body").contains("recent sign-in"));
            assertEquals(0, Sql.count("SELECT count(*) FROM job_approval WHERE job_id = ?", job));

            browser.find("a.stepup-provider").click();
            // prompt=login: Keycloak asks for the password although its session is alive
            browser.waiting().until(d -> d.getCurrentUrl().contains(":18180/"));
            browser.find("#password").sendKeys(KeycloakServer.PASSWORD);
            if (!browser.findAll("#username").isEmpty() && browser.find("#username").getAttribute("value").isEmpty()) {
                browser.find("#username").sendKeys("april");
            }
            browser.find("#kc-login").click();
            browser.waiting().until(d -> browser.path().equals("/jobs/" + job));
            browser.find("form[action='/jobs/" + job + "/decision'] button[value=APPROVE]").click();
            browser.waiting().until(d -> Sql.count("SELECT count(*) FROM job_approval WHERE job_id = ?", job) == 1);
            assertEquals("oidc", Sql.text("SELECT auth_method FROM job_approval WHERE job_id = ?", job));
            assertEquals(1, Sql.count("SELECT count(*) FROM audit_event WHERE action = 'user.step_up'"
                    + " AND actor = 'april' AND details->>'method' = 'oidc'"));
        } finally {
            clock.advance(Duration.ofMinutes(-11));
        }
    }

    @Test
    void passwordsCanBeLeftToBreakGlassAccountsAndTheFirstAdminStillGetsIn() {
        TestUsers.Person local = users.create("operator");
        admin().contentType("application/json").body(Map.of("localSignIn", false))
                .put("/api/v1/users/sign-in-policy").then().statusCode(200).body("localSignIn", equalTo(false));
        try {
            given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                    .formParam("username", local.name()).formParam("password", local.password())
                    .post("/login").then().statusCode(403);
            given().auth().preemptive().basic(local.name(), local.password()).get("/api/v1/me").then().statusCode(401);
            // the first admin is break-glass from the start
            given().auth().preemptive().basic(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD).get("/api/v1/me")
                    .then().statusCode(200);
        } finally {
            admin().contentType("application/json").body(Map.of("localSignIn", true))
                    .put("/api/v1/users/sign-in-policy").then().statusCode(200);
        }
        given().auth().preemptive().basic(local.name(), local.password()).get("/api/v1/me").then().statusCode(200);
        assertEquals("login.local_off,login.local_on", Sql.text("""
                SELECT string_agg(action, ',' ORDER BY seq) FROM (SELECT action, seq FROM audit_event
                 WHERE subject_type = 'login_policy' ORDER BY seq DESC LIMIT 2) last"""));
    }
}
