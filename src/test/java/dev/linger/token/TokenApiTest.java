package dev.linger.token;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.linger.MovableClock;
import dev.linger.Sql;
import dev.linger.TestUsers;
import dev.linger.login.LoginThrottle;
import dev.linger.user.UserService;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

@QuarkusTest
public class TokenApiTest {

    @Inject
    TestUsers users;
    @Inject
    UserService userService;
    @Inject
    LoginThrottle throttle;

    @TestHTTPResource("/")
    URL root;

    private final MovableClock clock = new MovableClock();

    @BeforeEach
    void moveTimeByHand() {
        QuarkusMock.installMockForType(clock, Clock.class);
        forgiveFailures();
    }

    @AfterEach
    void forgiveFailures() {
        // the failed uses below count against this client like failed logins; other tests sign in from it too
        for (String client : List.of("127.0.0.1", "0:0:0:0:0:0:0:1", "::1")) {
            throttle.succeeded(client);
        }
    }

    public static RequestSpecification basic(TestUsers.Person p) {
        return given().auth().preemptive().basic(p.name(), p.password()).contentType("application/json");
    }

    public static RequestSpecification bearer(String token) {
        return given().header("Authorization", "Bearer " + token).contentType("application/json");
    }

    public static String create(TestUsers.Person p, String name, List<String> scopes) {
        return basic(p).body(Map.of("name", name, "scopes", scopes)).post("/api/v1/tokens").then().statusCode(201)
                .extract().path("token");
    }

    static long auditOf(String action) {
        return Sql.count("SELECT count(*) FROM audit_event WHERE action = ?", action);
    }

    @Test
    void createUseListRevoke() {
        TestUsers.Person op = users.create("operator");
        var created = basic(op).body(Map.of("name", "ci pipeline", "scopes", List.of("read"), "expiresInDays", 30))
                .post("/api/v1/tokens").then().statusCode(201)
                .body("token", containsString("lgr_")).body("prefix", notNullValue())
                .body("scopes", equalTo(List.of("read"))).body("expiresAt", notNullValue()).extract();
        String token = created.path("token");
        long id = ((Number) created.path("id")).longValue();
        assertTrue(TokenFormat.wellFormed(token));
        assertEquals(token.substring(0, 12), created.path("prefix"));

        bearer(token).get("/api/v1/incidents").then().statusCode(200);
        bearer(token).get("/api/v1/me").then().statusCode(200).body("username", equalTo(op.name()))
                .body("roles", equalTo(List.of("viewer")));
        assertNotNull(Sql.text("SELECT last_used_at FROM api_token WHERE id = ?", id));
        assertNotNull(Sql.text("SELECT last_used_address FROM api_token WHERE id = ?", id));

        // the list shows the token by its first characters, never whole
        basic(op).get("/api/v1/tokens").then().statusCode(200).body("name", hasItem("ci pipeline"))
                .body("prefix", hasItem(token.substring(0, 12))).body(not(containsString(token)))
                .body("[0].lastUsedAt", notNullValue());
        // stored only as a hash
        assertEquals(TokenFormat.hash(token), Sql.text("SELECT token_hash FROM api_token WHERE id = ?", id));
        assertEquals(0, Sql.count("SELECT count(*) FROM api_token WHERE token_hash = ? OR prefix = ?", token, token));

        basic(op).delete("/api/v1/tokens/" + id).then().statusCode(200).body("revokedBy", equalTo(op.name()));
        bearer(token).get("/api/v1/incidents").then().statusCode(401).contentType(containsString("application/json"))
                .body("status", equalTo(401));
        assertEquals(1, Sql.count("SELECT count(*) FROM audit_event WHERE action = 'token.use_failed'"
                + " AND subject_id = ? AND details->>'reason' = 'revoked'", String.valueOf(id)));
        assertEquals(1, Sql.count("SELECT count(*) FROM audit_event WHERE action = 'token.created' AND subject_id = ?",
                String.valueOf(id)));
        assertEquals(1, Sql.count("SELECT count(*) FROM audit_event WHERE action = 'token.revoked' AND subject_id = ?",
                String.valueOf(id)));
        assertTokenNeverInAudit(token);
    }

    @Test
    void lastUseIsWrittenAtMostOnceAMinute() {
        TestUsers.Person p = users.create("viewer");
        String token = create(p, "poller", List.of("read"));
        clock.set(java.time.Instant.now());
        bearer(token).get("/api/v1/me").then().statusCode(200);
        String first = Sql.text("SELECT last_used_at::text FROM api_token WHERE prefix = ?", token.substring(0, 12));
        clock.advance(Duration.ofSeconds(30));
        bearer(token).get("/api/v1/me").then().statusCode(200);
        assertEquals(first, Sql.text("SELECT last_used_at::text FROM api_token WHERE prefix = ?", token.substring(0, 12)));
        clock.advance(Duration.ofSeconds(31));
        bearer(token).get("/api/v1/me").then().statusCode(200);
        assertTrue(!first.equals(Sql.text("SELECT last_used_at::text FROM api_token WHERE prefix = ?",
                token.substring(0, 12))));
    }

    @Test
    void scopesAreCappedByTheOwnersRolesAtEveryUse() {
        TestUsers.Person approver = users.create("operator", "approver");
        String read = create(approver, "reader", List.of("read"));
        // a read token can neither operate nor approve
        bearer(read).post("/api/v1/incidents/999999999/acknowledge").then().statusCode(403);
        bearer(read).body(Map.of("decision", "APPROVE")).post("/api/v1/jobs/999999999/approvals").then()
                .statusCode(403);
        String operate = create(approver, "operator", List.of("operate"));
        bearer(operate).post("/api/v1/incidents/999999999/acknowledge").then().statusCode(404);
        bearer(operate).body(Map.of("decision", "APPROVE")).post("/api/v1/jobs/999999999/approvals").then()
                .statusCode(403);
        String approve = create(approver, "approver", List.of("approve"));
        bearer(approve).body(Map.of("decision", "APPROVE")).post("/api/v1/jobs/999999999/approvals").then()
                .statusCode(404);

        // a scope the caller does not have is refused at creation, and nothing is stored
        TestUsers.Person op = users.create("operator");
        long before = Sql.count("SELECT count(*) FROM api_token");
        basic(op).body(Map.of("name", "too strong", "scopes", List.of("read", "admin"))).post("/api/v1/tokens").then()
                .statusCode(400).body("keys.scopes", equalTo("refuse.tokenScopeNotYours"));
        basic(op).body(Map.of("name", "bad", "scopes", List.of("root"))).post("/api/v1/tokens").then()
                .statusCode(400).body("keys.scopes", equalTo("refuse.tokenUnknownScope"));
        basic(op).body(Map.of("name", "none", "scopes", List.of())).post("/api/v1/tokens").then()
                .statusCode(400).body("keys.scopes", equalTo("refuse.tokenNoScope"));
        basic(op).body(Map.of("name", "", "scopes", List.of("read"))).post("/api/v1/tokens").then()
                .statusCode(400).body("keys.name", equalTo("refuse.tokenName"));
        basic(op).body(Map.of("name", "long", "scopes", List.of("read"), "expiresInDays", 366))
                .post("/api/v1/tokens").then().statusCode(400).body("keys.expiresInDays", equalTo("refuse.tokenDays"));
        basic(op).body(Map.of("name", "zero", "scopes", List.of("read"), "expiresInDays", 0))
                .post("/api/v1/tokens").then().statusCode(400);
        assertEquals(before, Sql.count("SELECT count(*) FROM api_token"));

        // demote the owner: the token loses the role at its next use
        long id = Sql.count("SELECT id FROM app_user WHERE username = ?", approver.name());
        userService.changeRoles("admin", id, List.of("viewer"), TestUsers.FRESH);
        bearer(approve).body(Map.of("decision", "APPROVE")).post("/api/v1/jobs/999999999/approvals").then()
                .statusCode(403);
        bearer(operate).post("/api/v1/incidents/999999999/acknowledge").then().statusCode(403);
        bearer(operate).get("/api/v1/me").then().statusCode(200).body("roles", equalTo(List.of("viewer")));
        // a disabled owner's tokens fail
        userService.setDisabled("admin", id, true);
        bearer(read).get("/api/v1/me").then().statusCode(401);
        assertEquals(1, Sql.count("SELECT count(*) FROM audit_event WHERE action = 'token.use_failed'"
                + " AND details->>'reason' = 'owner disabled' AND details->>'prefix' = ?", read.substring(0, 12)));
    }

    @Test
    void aTokenManagesTokensOnlyWithItsAdminScopeInEffect() {
        TestUsers.Person admin = users.create("admin");
        String read = create(admin, "reader", List.of("read"));
        long before = Sql.count("SELECT count(*) FROM api_token");
        bearer(read).body(Map.of("name", "child", "scopes", List.of("read"))).post("/api/v1/tokens").then()
                .statusCode(403).body("key", equalTo("refuse.tokenByToken"));
        assertEquals(before, Sql.count("SELECT count(*) FROM api_token"));
        String adminToken = create(admin, "automation", List.of("admin"));
        String child = bearer(adminToken).body(Map.of("name", "child", "scopes", List.of("read", "approve")))
                .post("/api/v1/tokens").then().statusCode(201).extract().path("token");
        bearer(child).get("/api/v1/me").then().statusCode(200);
        // an admin sees and revokes anyone's; others get 404 for a token that is not theirs
        TestUsers.Person other = users.create("viewer");
        String othersToken = create(other, "mine", List.of("read"));
        long othersId = Sql.count("SELECT id FROM api_token WHERE prefix = ?", othersToken.substring(0, 12));
        TestUsers.Person stranger = users.create("operator");
        basic(stranger).delete("/api/v1/tokens/" + othersId).then().statusCode(404).body("key", equalTo("refuse.noToken"));
        basic(stranger).get("/api/v1/tokens?user=" + other.name()).then().statusCode(403);
        basic(stranger).get("/api/v1/tokens").then().statusCode(200).body(not(containsString(othersToken.substring(0, 12))));
        bearer(othersToken).get("/api/v1/me").then().statusCode(200);
        basic(admin).get("/api/v1/tokens?user=" + other.name()).then().statusCode(200).body("name", equalTo(List.of("mine")));
        basic(admin).get("/api/v1/tokens?all=true").then().statusCode(200).body("user", hasItem(other.name()));
        basic(admin).delete("/api/v1/tokens/" + othersId).then().statusCode(200).body("revokedBy", equalTo(admin.name()));
        bearer(othersToken).get("/api/v1/me").then().statusCode(401);
    }

    @Test
    void expiredTokensAreRefused() {
        TestUsers.Person p = users.create("viewer");
        String token = basic(p).body(Map.of("name", "short", "scopes", List.of("read"), "expiresInDays", 1))
                .post("/api/v1/tokens").then().statusCode(201).extract().path("token");
        bearer(token).get("/api/v1/me").then().statusCode(200);
        clock.advance(Duration.ofHours(23));
        bearer(token).get("/api/v1/me").then().statusCode(200);
        clock.advance(Duration.ofHours(2));
        bearer(token).get("/api/v1/me").then().statusCode(401).body("status", equalTo(401));
        assertEquals(1, Sql.count("SELECT count(*) FROM audit_event WHERE action = 'token.use_failed'"
                + " AND details->>'reason' = 'expired' AND details->>'prefix' = ?", token.substring(0, 12)));
    }

    @Test
    void malformedWrongChecksumAndUnknownTokensAre401AndAuditedThenThrottled() {
        clock.set(java.time.Instant.now()); // the throttle's delays are waited out by the clock, not by a slow test
        TestUsers.Person p = users.create("viewer");
        String good = create(p, "good", List.of("read"));
        String real = TokenFormat.generate(); // well formed, never stored: unknown
        String wrongChecksum = real.substring(0, 41) + (real.charAt(41) == '0' ? '1' : '0');
        long failed = auditOf("token.use_failed");
        for (String bad : List.of("nonsense", wrongChecksum, real, "lgr_")) {
            bearer(bad).get("/api/v1/incidents").then().statusCode(401)
                    .contentType(containsString("application/json")).body("status", equalTo(401));
        }
        assertEquals(failed + 4, auditOf("token.use_failed"));
        assertEquals(1, Sql.count("SELECT count(*) FROM audit_event WHERE action = 'token.use_failed'"
                + " AND details->>'reason' = 'unknown' AND details->>'prefix' = ?", real.substring(0, 12)));
        assertTokenNeverInAudit(real);
        assertTokenNeverInAudit(wrongChecksum);
        // past the free failures the client waits, whatever it sends
        for (int i = 0; i < 3; i++) {
            bearer(real).get("/api/v1/incidents");
        }
        bearer(real).get("/api/v1/incidents").then().statusCode(429).header("Retry-After", notNullValue());
        bearer(good).get("/api/v1/incidents").then().statusCode(429);
        forgiveFailures();
        bearer(good).get("/api/v1/incidents").then().statusCode(200);
    }

    @Test
    void forgedRequestsToTheTokenRoutesChangeNothing() {
        TestUsers.Person p = users.create("operator");
        String token = create(p, "victim", List.of("read", "operate"));
        long id = Sql.count("SELECT id FROM api_token WHERE prefix = ?", token.substring(0, 12));
        String before = fingerprint();
        long created = auditOf("token.created");
        long revoked = auditOf("token.revoked");
        String body = "{\"name\":\"forged\",\"scopes\":[\"read\"]}";
        String other = "http://" + root.getHost() + ":" + (root.getPort() + 1);
        // no credentials, a wrong token
        given().contentType("application/json").body(body).post("/api/v1/tokens").then().statusCode(401);
        given().delete("/api/v1/tokens/" + id).then().statusCode(401);
        bearer(TokenFormat.generate()).body(body).post("/api/v1/tokens").then().statusCode(401);
        bearer(TokenFormat.generate()).delete("/api/v1/tokens/" + id).then().statusCode(401);
        forgiveFailures();
        // no body
        basic(p).post("/api/v1/tokens").then().statusCode(400);
        // another content type
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded"}) {
            given().auth().preemptive().basic(p.name(), p.password()).contentType(type).body(body)
                    .post("/api/v1/tokens").then().statusCode(415);
        }
        // another origin
        basic(p).header("Origin", other).body(body).post("/api/v1/tokens").then().statusCode(403);
        basic(p).header("Sec-Fetch-Site", "cross-site").delete("/api/v1/tokens/" + id).then().statusCode(403);
        basic(p).header("Origin", "http://evil.example").delete("/api/v1/tokens/" + id).then().statusCode(403);
        assertEquals(before, fingerprint());
        assertEquals(created, auditOf("token.created"));
        assertEquals(revoked, auditOf("token.revoked"));
        bearer(token).get("/api/v1/me").then().statusCode(200);
    }

    public static String fingerprint() {
        return Sql.text("SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY id), '')) FROM api_token t");
    }

    static void assertTokenNeverInAudit(String token) {
        assertEquals(0, Sql.count("SELECT count(*) FROM audit_event WHERE details::text LIKE ? OR subject_id LIKE ?"
                + " OR details::text LIKE ?", "%" + token + "%", "%" + token + "%",
                "%" + TokenFormat.hash(token) + "%"));
    }
}
