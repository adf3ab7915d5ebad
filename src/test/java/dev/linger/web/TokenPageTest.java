package dev.linger.web;

import static dev.linger.token.TokenApiTest.bearer;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.linger.Browser;
import dev.linger.Sql;
import dev.linger.TestUsers;
import io.quarkus.test.junit.QuarkusTest;

/** The API tokens section of the Account page: make one (shown once), see it listed, revoke it; forged forms change nothing. */
@QuarkusTest
class TokenPageTest {

    private static final Pattern TOKEN = Pattern.compile("value=\"(lgr_[0-9A-Za-z]{38})\"");

    @Inject
    TestUsers users;

    @Test
    void makeShowOnceUseAndRevoke() {
        TestUsers.Person p = users.create("operator");
        Browser b = Browser.signedIn(p.name(), p.password());
        b.get("/account").then().statusCode(200).body(containsString("API tokens"))
                .body(containsString("value=\"operate\"")).body(not(containsString("value=\"admin\"")));
        String page = b.postForm("/account/tokens", Map.of("name", "nightly report", "scopes", List.of("read", "operate"),
                "expiresInDays", "30")).then().statusCode(200).header("Cache-Control", "no-store").extract().asString();
        Matcher m = TOKEN.matcher(page);
        assertTrue(m.find(), "the new token is on the page");
        String token = m.group(1);
        bearer(token).get("/api/v1/me").then().statusCode(200).body("username", org.hamcrest.Matchers.equalTo(p.name()));
        // listed by name and first characters; never again whole
        b.get("/account").then().statusCode(200).body(containsString("nightly report"))
                .body(containsString(token.substring(0, 12))).body(not(containsString(token)));
        long id = Sql.count("SELECT id FROM api_token WHERE prefix = ?", token.substring(0, 12));
        b.postForm("/account/tokens/" + id + "/revoke", Map.of()).then().statusCode(303);
        bearer(token).get("/api/v1/me").then().statusCode(401);
        assertEquals(1, Sql.count("SELECT count(*) FROM api_token WHERE id = ? AND revoked_by = ?", id, p.name()));
        b.get("/account").then().statusCode(200).body(containsString("revoked"));
    }

    @Test
    void aScopeBeyondOnesRolesOrABadNameIsRefusedAndNothingStored() {
        TestUsers.Person p = users.create("operator");
        Browser b = Browser.signedIn(p.name(), p.password());
        b.get("/account");
        long before = Sql.count("SELECT count(*) FROM api_token");
        String refused = b.postForm("/account/tokens", Map.of("name", "too strong", "scopes", "admin",
                "expiresInDays", "30")).then().statusCode(400).body(containsString("cannot have it")).extract()
                .asString();
        // the page shows the header's form (Bearer lgr_…), never a whole token
        assertFalse(Pattern.compile("lgr_[0-9A-Za-z]{38}").matcher(refused).find(), "a token on a refusal page");
        b.postForm("/account/tokens", Map.of("name", "", "scopes", "read", "expiresInDays", "30")).then()
                .statusCode(400);
        b.postForm("/account/tokens", Map.of("name", "x", "scopes", "read", "expiresInDays", "many")).then()
                .statusCode(400).body(containsString("1 to 365 days"));
        b.acceptLanguage("zh").postForm("/account/tokens", Map.of("name", "x", "scopes", "admin")).then()
                .statusCode(400).body(containsString("你的令牌不能带这个范围"));
        assertEquals(before, Sql.count("SELECT count(*) FROM api_token"));
    }

    @Test
    void someoneElsesTokenCannotBeRevokedFromTheAccountPage() {
        TestUsers.Person owner = users.create("viewer");
        String token = dev.linger.token.TokenApiTest.create(owner, "mine", List.of("read"));
        long id = Sql.count("SELECT id FROM api_token WHERE prefix = ?", token.substring(0, 12));
        Browser admin = Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);
        admin.get("/account");
        admin.postForm("/account/tokens/" + id + "/revoke", Map.of()).then().statusCode(404);
        bearer(token).get("/api/v1/me").then().statusCode(200);
    }

    @Test
    void forgedTokenFormsChangeNothing() {
        TestUsers.Person p = users.create("admin");
        Browser b = Browser.signedIn(p.name(), p.password());
        Browser other = Browser.signedIn(p.name(), p.password());
        String token = dev.linger.token.TokenApiTest.create(p, "victim", List.of("read"));
        long id = Sql.count("SELECT id FROM api_token WHERE prefix = ?", token.substring(0, 12));
        String before = dev.linger.token.TokenApiTest.fingerprint();
        long events = Sql.auditEvents();
        Map<String, Map<String, String>> routes = new LinkedHashMap<>();
        routes.put("/account/tokens", Map.of("name", "forged", "scopes", "admin", "expiresInDays", "365"));
        routes.put("/account/tokens/" + id + "/revoke", Map.of());
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> route : routes.entrySet()) {
            Map<String, String> fields = new LinkedHashMap<>(route.getValue());
            fields.put("\u0000path", route.getKey());
            for (CsrfTest.Forgery forgery : CsrfTest.forgeries(other)) {
                CsrfTest.Answer r = forgery.send().apply(b, fields);
                if (r.statusCode() != 403) {
                    failures.add(route.getKey() + " with " + forgery.name() + ": " + r.statusCode());
                }
            }
            // no session at all: sent to the login page
            Browser nobody = Browser.anonymous();
            int status = nobody.postForm(route.getKey(), route.getValue()).statusCode();
            if (status != 302 && status != 303 && status != 403) {
                failures.add(route.getKey() + " without a session: " + status);
            }
            // another origin's form carries no token of this session
            int cross = b.request().header("Origin", "http://evil.example").contentType("application/x-www-form-urlencoded")
                    .formParams(route.getValue()).post(route.getKey()).statusCode();
            if (cross != 403) {
                failures.add(route.getKey() + " from another origin: " + cross);
            }
        }
        assertEquals(List.of(), failures);
        assertEquals(before, dev.linger.token.TokenApiTest.fingerprint());
        assertEquals(events, Sql.auditEvents());
        bearer(token).get("/api/v1/me").then().statusCode(200);
    }
}
