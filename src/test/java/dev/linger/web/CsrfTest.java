package dev.linger.web;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.linger.Browser;
import dev.linger.Sql;
import dev.linger.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;

@QuarkusTest
class CsrfTest {

    @Inject
    TestUsers users;

    /** A way to forge a state-changing page request: what it sends besides the victim's cookies. */
    record Forgery(String name, BiFunction<Browser, Map<String, String>, Answer> send) {
    }

    record Answer(int statusCode, String body) {
        static Answer of(Response r) {
            return new Answer(r.statusCode(), r.asString());
        }
    }

    /** What {@code curl -X POST} sends: no body and no Content-Type (RestAssured would add one). */
    static Answer bare(Browser b, String path) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(RestAssured.baseURI + ":" + RestAssured.port + path))
                    .header("Cookie", b.cookieHeader()).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(java.util.Optional.empty(), r.request().headers().firstValue("Content-Type"));
            return new Answer(r.statusCode(), r.body());
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** Every state-changing page route (each @POST of the *Page classes), with the fields its form sends. */
    static Map<String, Map<String, String>> routes(ForgeryTargets t) {
        Map<String, Map<String, String>> routes = new LinkedHashMap<>();
        routes.put("/logout", Map.of());
        routes.put("/account/password", Map.of("current", TestUsers.ADMIN_PASSWORD, "next", "forged-password-1",
                "confirm", "forged-password-1"));
        routes.put("/account/tokens", Map.of("name", "forged", "scopes", "admin", "expiresInDays", "365"));
        routes.put("/account/tokens/1/revoke", Map.of());
        routes.put("/users", Map.of("username", "forged", "password", "forged-password-1", "roles", "admin"));
        routes.put("/users/" + t.userId() + "/roles", Map.of("roles", "admin"));
        routes.put("/users/" + t.userId() + "/disable", Map.of());
        routes.put("/users/" + t.userId() + "/enable", Map.of());
        routes.put("/users/" + t.userId() + "/password", Map.of("password", "forged-password-1"));
        routes.put("/users/sign-in-policy", Map.of("localSignIn", "false"));
        routes.put("/users/codes-policy", Map.of("required", "true"));
        routes.put("/account/totp/begin", Map.of());
        routes.put("/account/totp/confirm", Map.of("code", "123456"));
        routes.put("/account/totp/disable", Map.of("password", TestUsers.ADMIN_PASSWORD));
        routes.put("/users/" + t.userId() + "/break-glass", Map.of("breakGlass", "true"));
        routes.put("/hosts", Map.of("name", "forged-host", "address", "127.0.0.1", "transport", "SSH"));
        routes.put("/hosts/" + t.hostId(), Map.of("name", "forged-name", "address", "127.0.0.1"));
        routes.put("/hosts/" + t.hostId() + "/delete", Map.of("confirmName", t.hostName()));
        routes.put("/hosts/" + t.hostId() + "/trust", Map.of("fingerprint",
                "SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
        routes.put("/hosts/" + t.hostId() + "/collect", Map.of());
        routes.put("/incidents/" + t.incidentId() + "/acknowledge", Map.of());
        routes.put("/incidents/" + t.incidentId() + "/resolve", Map.of());
        routes.put("/incidents/" + t.incidentId() + "/silence", Map.of("hours", "1"));
        routes.put("/silences/" + t.silenceId() + "/end", Map.of());
        routes.put("/incidents/" + t.incidentId() + "/notes", Map.of("text", "forged", "notify", "on"));
        routes.put("/jobs/" + t.jobId() + "/notes", Map.of("text", "forged"));
        routes.put("/channels", Map.of("name", "forged", "url", "http://127.0.0.1:9/forged"));
        routes.put("/channels/" + t.channelId(), Map.of("name", "forged", "url", "http://127.0.0.1:9/forged"));
        routes.put("/channels/" + t.channelId() + "/test", Map.of());
        routes.put("/channels/" + t.channelId() + "/delete", Map.of());
        routes.put("/policies", Map.of("name", "forged", "kind", "CLOSE_WAIT_LEAK", "runbook",
                "fin-wait1-drain-orphans"));
        routes.put("/policies/" + t.policyId() + "/enable", Map.of());
        routes.put("/policies/" + t.policyId() + "/disable", Map.of());
        routes.put("/policies/" + t.policyId() + "/delete", Map.of());
        routes.put("/jobs", Map.of("runbook", "fin-wait1-drain-orphans", "hostId", "" + t.hostId(), "reason", "x"));
        routes.put("/jobs/" + t.jobId() + "/decision", Map.of("decision", "APPROVE", "comment", "forged"));
        routes.put("/jobs/" + t.jobId() + "/start-now", Map.of("reason", "forged"));
        routes.put("/jobs/" + t.jobId() + "/rollback", Map.of("reason", "forged"));
        routes.put("/jobs/" + t.jobId() + "/cancel", Map.of());
        routes.put("/jobs/" + t.jobId() + "/steps/1/confirm", Map.of());
        routes.put("/runbooks/import", Map.of("text", "sysctl -w net.ipv4.tcp_fin_timeout=5"));
        routes.put("/runbooks/editor", Map.of("slug", "forged", "title", "Forged", "risk", "LOW"));
        return routes;
    }

    static List<Forgery> forgeries(Browser otherSession) {
        return List.of(
                new Forgery("no body, no content type", (b, fields) -> bare(b, path(fields))),
                new Forgery("an empty form", (b, fields) -> Answer.of(b.request()
                        .contentType("application/x-www-form-urlencoded").post(path(fields)))),
                new Forgery("JSON", (b, fields) -> Answer.of(b.request().contentType("application/json")
                        .body(withToken(fields, b.csrfToken())).post(path(fields)))),
                new Forgery("text/plain", (b, fields) -> Answer.of(b.request().contentType("text/plain")
                        .body("csrf-token=" + b.csrfToken() + "\r\n").post(path(fields)))),
                new Forgery("multipart without the token", (b, fields) -> {
                    var spec = b.request().contentType("multipart/form-data").multiPart("note", "forged");
                    fields(fields).forEach(spec::multiPart);
                    return Answer.of(spec.post(path(fields)));
                }),
                new Forgery("a form with the token of another session", (b, fields) -> {
                    var spec = b.request().contentType("application/x-www-form-urlencoded");
                    fields(fields).forEach(spec::formParam);
                    return Answer.of(spec.formParam("csrf-token", otherSession.csrfToken()).post(path(fields)));
                }),
                new Forgery("a form without the token", (b, fields) -> {
                    var spec = b.request().contentType("application/x-www-form-urlencoded");
                    fields(fields).forEach(spec::formParam);
                    return Answer.of(spec.post(path(fields)));
                }));
    }

    @Test
    void everyStateChangingPageRouteRefusesEveryForgedRequestWith403AndChangesNothing() {
        ForgeryTargets targets = ForgeryTargets.create(users);
        Browser admin = Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);
        Browser otherSession = Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);
        assertNotNull(admin.csrfToken());
        assertNotEquals(admin.csrfToken(), otherSession.csrfToken());
        String before = ForgeryTargets.fingerprint();
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> route : routes(targets).entrySet()) {
            Map<String, String> fields = new LinkedHashMap<>(route.getValue());
            fields.put(PATH, route.getKey());
            for (Forgery forgery : forgeries(otherSession)) {
                Answer r = forgery.send().apply(admin, fields);
                String page = r.body();
                if (r.statusCode() != 403 || !page.contains("came from another site")) {
                    failures.add(route.getKey() + " with " + forgery.name() + ": " + r.statusCode());
                }
                if (!before.equals(ForgeryTargets.fingerprint())) {
                    failures.add(route.getKey() + " with " + forgery.name() + " CHANGED the database");
                    before = ForgeryTargets.fingerprint();
                }
            }
        }
        assertEquals(List.of(), failures);
        // the same session with its own token still works, so the refusals above were the guard's
        admin.postForm("/incidents/" + targets.incidentId() + "/acknowledge", Map.of()).then().statusCode(303);
        assertEquals("ACKNOWLEDGED", Sql.text("SELECT status FROM incident WHERE id = ?", targets.incidentId()));
    }

    @Test
    void theLoginFormRefusesForgedRequestsToo() {
        Browser visitor = Browser.anonymous();
        Browser otherVisitor = Browser.anonymous();
        assertNotNull(visitor.csrfToken());
        assertNotEquals(visitor.csrfToken(), otherVisitor.csrfToken());
        Map<String, String> fields = new LinkedHashMap<>(Map.of("username", TestUsers.ADMIN, "password",
                TestUsers.ADMIN_PASSWORD, "next", "/"));
        fields.put(PATH, "/login");
        String before = ForgeryTargets.fingerprint();
        for (Forgery forgery : forgeries(otherVisitor)) {
            Answer r = forgery.send().apply(visitor, fields);
            assertEquals(403, r.statusCode(), forgery.name());
        }
        assertEquals(before, ForgeryTargets.fingerprint());
    }

    @Test
    void changingRolesWithAValidTokenButNoRolesIsABadRequestNotAServerError() {
        ForgeryTargets targets = ForgeryTargets.create(users);
        Browser admin = Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);
        String before = ForgeryTargets.fingerprint();
        admin.postForm("/users/" + targets.userId() + "/roles", Map.of()).then().statusCode(400)
                .body(containsString("Choose at least one role."));
        assertEquals(before, ForgeryTargets.fingerprint());
    }

    @Test
    void theTokenChangesAtSignInAndATokenOfAnEarlierSessionIsRefused() {
        TestUsers.Person p = users.create("viewer");
        Browser b = Browser.anonymous();
        String beforeSignIn = b.csrfToken();
        b.postForm("/login", Map.of("username", p.name(), "password", p.password(), "next", "/"))
                .then().statusCode(303);
        b.get("/logout");
        String firstSession = b.csrfToken();
        assertNotEquals(beforeSignIn, firstSession);
        b.postForm("/logout", Map.of()).then().statusCode(303);
        b.get("/login");
        b.postForm("/login", Map.of("username", p.name(), "password", p.password(), "next", "/"))
                .then().statusCode(303);
        b.get("/logout");
        assertNotEquals(firstSession, b.csrfToken());
        long sessions = Sql.count("SELECT count(*) FROM user_session s JOIN app_user u ON u.id = s.user_id"
                + " WHERE u.username = ?", p.name());
        b.request().contentType("application/x-www-form-urlencoded").formParam("csrf-token", firstSession)
                .post("/logout").then().statusCode(403);
        assertEquals(sessions, Sql.count("SELECT count(*) FROM user_session s JOIN app_user u ON u.id = s.user_id"
                + " WHERE u.username = ?", p.name()));
    }

    @Test
    void aFormWithoutTheTokenIsRefusedWith403AndChangesNothing() {
        Browser admin = Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);
        long users = Sql.users();
        long events = Sql.auditEvents();
        admin.postForm("/users", Map.of("username", "forged", "password", "forged-password-1", "roles", "admin"),
                false)
                .then().statusCode(403).contentType(containsString("text/html"))
                .body(containsString("came from another site")).body(not(containsString("forged-password-1")));
        assertEquals(users, Sql.users());
        assertEquals(events, Sql.auditEvents());
    }

    @Test
    void everyFormOnEveryPageCarriesTheToken() {
        Browser admin = Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);
        for (String page : new String[] {"/users", "/account", "/logout"}) {
            String html = admin.get(page).then().statusCode(200).extract().asString();
            int forms = html.split("<form method=\"post\"", -1).length - 1;
            int tokens = html.split("name=\"csrf-token\" value=\"" + admin.csrfToken() + "\"", -1).length - 1;
            assertTrue(forms > 0, page);
            assertEquals(forms, tokens, page + " has a POST form without this session's CSRF token");
        }
    }

    /** The route travels with the fields, under a name no form uses. */
    private static final String PATH = "\u0000path";

    private static String path(Map<String, String> fields) {
        return fields.get(PATH);
    }

    private static Map<String, String> fields(Map<String, String> fields) {
        Map<String, String> plain = new LinkedHashMap<>(fields);
        plain.remove(PATH);
        return plain;
    }

    private static Map<String, String> withToken(Map<String, String> fields, String token) {
        Map<String, String> body = fields(fields);
        body.put("csrf-token", token);
        return body;
    }
}
