package dev.linger.login;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.linger.Api;
import dev.linger.Browser;
import dev.linger.Sql;
import dev.linger.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Sign-in codes for local accounts: set up on the Account page (QR code, a first code, recovery codes shown once and
 * kept as hashes), asked for at sign-in, good once each, refused over HTTP Basic, and required of approvers and
 * admins when an admin says so.
 */
@QuarkusTest
class TwoFactorTest {

    private static final Pattern RECOVERY = Pattern.compile("<code>([a-z2-9]{5}-[a-z2-9]{5})</code>");

    @Inject
    TestUsers users;

    private static String codeAt(String secret, long step) {
        return Totp.code(Totp.fromBase32(secret), step, Totp.DIGITS);
    }

    private static String secretOf(String name) {
        return Sql.text("SELECT totp_secret FROM app_user WHERE username = ?", name);
    }

    /** Sets codes up through the Account page; returns the recovery codes it showed. */
    private static List<String> setUp(TestUsers.Person p) {
        Browser b = Browser.signedIn(p.name(), p.password());
        b.postForm("/account/totp/begin", Map.of()).then().statusCode(200).body(containsString("<svg"))
                .header("Cache-Control", "no-store");
        String secret = secretOf(p.name());
        assertNotNull(secret);
        b.get("/account").then().body(containsString(secret));
        b.postForm("/account/totp/confirm", Map.of("code", "000000".equals(codeAt(secret, step())) ? "111111"
                : "000000")).then().statusCode(400);
        String page = b.postForm("/account/totp/confirm", Map.of("code", codeAt(secret, step()))).then()
                .statusCode(200).extract().asString();
        List<String> codes = new ArrayList<>();
        Matcher m = RECOVERY.matcher(page);
        while (m.find()) {
            codes.add(m.group(1));
        }
        return codes;
    }

    private static long step() {
        return Totp.stepAt(Instant.now());
    }

    private static Response signIn(TestUsers.Person p, String code) {
        Browser b = Browser.anonymous();
        Map<String, String> form = new java.util.HashMap<>(Map.of("username", p.name(), "password", p.password(),
                "next", "/"));
        if (code != null) {
            form.put("code", code);
        }
        return b.postForm("/login", form);
    }

    @Test
    void codesAreSetUpOnTheAccountPageAndAskedForAtSignInEachGoodOnce() {
        TestUsers.Person p = users.create("operator");
        List<String> recovery = setUp(p);
        assertEquals(10, recovery.size());
        assertEquals(10, Sql.count("SELECT count(*) FROM user_recovery_code u JOIN app_user a ON a.id = u.user_id"
                + " WHERE a.username = ?", p.name()));
        assertEquals(0, Sql.count("SELECT count(*) FROM user_recovery_code WHERE code_sha256 = ?",
                recovery.get(0)), "only hashes are kept");
        assertEquals(1, Sql.count("SELECT count(*) FROM audit_event WHERE action = 'user.totp_enabled'"
                + " AND subject_id = ?", p.name()));

        // the password alone now asks for a code, and opens nothing
        signIn(p, null).then().statusCode(401).body(containsString("name=\"code\""));
        signIn(p, "123").then().statusCode(401);
        // the code of the next step is within the window and newer than the one used to set up
        String secret = secretOf(p.name());
        String next = codeAt(secret, step() + 1);
        signIn(p, next).then().statusCode(303);
        assertEquals("password+totp", Sql.text("""
                SELECT s.auth_method FROM user_session s JOIN app_user u ON u.id = s.user_id
                 WHERE u.username = ? ORDER BY s.id DESC LIMIT 1""", p.name()));
        signIn(p, next).then().statusCode(401); // the same code again: spent

        signIn(p, recovery.get(3)).then().statusCode(303);
        signIn(p, recovery.get(3)).then().statusCode(401);
        Browser b = Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD); // no code for the admin
        b.get("/users").then().statusCode(200);

        // Basic cannot carry a code: scripts use tokens
        given().auth().preemptive().basic(p.name(), p.password()).get("/api/v1/me").then().statusCode(401);
    }

    @Test
    void turningCodesOffNeedsThePassword() {
        TestUsers.Person p = users.create("viewer");
        setUp(p);
        Browser b = Browser.signedIn(p.name(), p.password(), codeAt(secretOf(p.name()), step() + 1));
        b.postForm("/account/totp/disable", Map.of("password", "wrong")).then().statusCode(400);
        assertEquals(1, Sql.count("SELECT count(*) FROM app_user WHERE username = ? AND totp_enabled_at IS NOT NULL",
                p.name()));
        b.postForm("/account/totp/disable", Map.of("password", p.password())).then().statusCode(303);
        assertEquals(0, Sql.count("SELECT count(*) FROM user_recovery_code u JOIN app_user a ON a.id = u.user_id"
                + " WHERE a.username = ?", p.name()));
        signIn(p, null).then().statusCode(303);
    }

    @Test
    void whenAnAdminRequiresCodesAnApproverWithoutThemSetsThemUpFirst() {
        TestUsers.Person approver = users.create("approver");
        TestUsers.Person viewer = users.create("viewer");
        // an admin without codes would lock themselves out of every page but the Account page: refused
        Api.admin().body(Map.of("codesRequired", true)).put("/api/v1/users/sign-in-policy").then().statusCode(400)
                .body("error", containsString("for yourself first"));
        TestUsers.Person admin = users.create("admin");
        setUp(admin);
        Browser adminPage = Browser.signedIn(admin.name(), admin.password(),
                codeAt(secretOf(admin.name()), step() + 1));
        adminPage.postForm("/users/codes-policy", Map.of("required", "true")).then().statusCode(303);
        try {
            Browser b = Browser.signedIn(approver.name(), approver.password());
            b.get("/jobs").then().statusCode(303).header("Location", containsString("/account#codes"));
            b.get("/account").then().statusCode(200);
            given().auth().preemptive().basic(approver.name(), approver.password()).get("/api/v1/me").then()
                    .statusCode(401);
            Browser.signedIn(viewer.name(), viewer.password()).get("/jobs").then().statusCode(200);
            setUp(approver);
            Browser after = Browser.signedIn(approver.name(), approver.password(),
                    codeAt(secretOf(approver.name()), step() + 1));
            after.get("/jobs").then().statusCode(200);
        } finally {
            adminPage.postForm("/users/codes-policy", Map.of("required", "false")).then().statusCode(303);
        }
        assertEquals("f", Sql.text("SELECT totp_required::text FROM login_policy").substring(0, 1));
    }
}
