package dev.linger.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.linger.Sql;
import dev.linger.TestUsers;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/**
 * The JSON API takes HTTP Basic, which a browser may have cached: it refuses every change that a browser marks
 * as coming from another site, and bodies other than JSON, while scripts (no Origin, no Sec-Fetch-Site) work.
 */
@QuarkusTest
class ApiCrossSiteTest {

    @Inject
    TestUsers users;

    @TestHTTPResource("/")
    URL root;

    private static RequestSpecification withBasic() {
        return given().auth().preemptive().basic(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);
    }

    @Test
    void aChangeFromAnotherOriginIsRefusedWith403AndChangesNothing() {
        ForgeryTargets t = ForgeryTargets.create(users);
        String before = ForgeryTargets.fingerprint();
        String resolve = "/api/v1/incidents/" + t.incidentId() + "/resolve";
        String other = "http://" + root.getHost() + ":" + (root.getPort() + 1);
        for (RequestSpecification forged : new RequestSpecification[] {
                withBasic().header("Origin", other),
                withBasic().header("Origin", "null"),
                withBasic().header("Origin", "http://evil.example"),
                withBasic().header("Sec-Fetch-Site", "cross-site"),
                withBasic().header("Sec-Fetch-Site", "same-site"),
                withBasic().header("Origin", own()).header("Sec-Fetch-Site", "same-site")}) {
            forged.post(resolve).then().statusCode(403).contentType(containsString("application/json"))
                    .body("error", containsString("another site")).body("status", equalTo(403));
        }
        withBasic().header("Origin", other).contentType("application/json")
                .body(Map.of("username", "cross-site", "password", "cross-site-password", "roles", new String[] {"admin"}))
                .post("/api/v1/users").then().statusCode(403);
        withBasic().header("Sec-Fetch-Site", "cross-site").delete("/api/v1/hosts/" + t.hostId()).then().statusCode(403);
        assertEquals(before, ForgeryTargets.fingerprint());
    }

    @Test
    void aBodyThatIsNotJsonIsRefusedWith415AndChangesNothing() {
        ForgeryTargets t = ForgeryTargets.create(users);
        String before = ForgeryTargets.fingerprint();
        // what <form enctype="text/plain"> sends: a "JSON" body under another content type
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data"}) {
            var spec = withBasic().contentType(type);
            if (type.startsWith("multipart")) {
                spec.multiPart("{\"comment\":\"", "\"}");
            } else {
                spec.body("{\"comment\":\"=\"}");
            }
            spec.post("/api/v1/incidents/" + t.incidentId() + "/resolve").then().statusCode(415)
                    .contentType(containsString("application/json")).body("error", containsString("application/json"));
        }
        withBasic().contentType("text/plain").body("{\"username\":\"plain\",\"password\":\"plain-password\","
                + "\"roles\":[\"admin\"]}").post("/api/v1/users").then().statusCode(415).body("status", equalTo(415));
        assertEquals(before, ForgeryTargets.fingerprint());
    }

    @Test
    void scriptsAndLingersOwnOriginStillWorkIncludingBodilessPosts() throws Exception {
        ForgeryTargets t = ForgeryTargets.create(users);
        // curl -X POST: no Origin, no Sec-Fetch-Site, no body, no content type
        withBasic().post("/api/v1/incidents/" + t.incidentId() + "/acknowledge").then().statusCode(200)
                .body("status", equalTo("ACKNOWLEDGED"));
        withBasic().header("Origin", own()).header("Sec-Fetch-Site", "same-origin").contentType("application/json")
                .post("/api/v1/incidents/" + t.incidentId() + "/resolve").then().statusCode(200)
                .body("status", equalTo("RESOLVED"));
        // the same with no Content-Type at all (RestAssured adds one; curl does not)
        HttpResponse<String> bare = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(own()
                + "/api/v1/incidents/" + t.incidentId() + "/acknowledge")).header("Authorization", "Basic "
                + Base64.getEncoder().encodeToString((TestUsers.ADMIN + ":" + TestUsers.ADMIN_PASSWORD)
                        .getBytes(StandardCharsets.UTF_8))).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(409, bare.statusCode(), bare.body()); // reached the service: already resolved
        // a typed or bookmarked request says none
        withBasic().header("Sec-Fetch-Site", "none").get("/api/v1/me").then().statusCode(200);
        // reads are not changes: a cross-site read gets nothing through CORS anyway
        withBasic().header("Origin", "http://evil.example").get("/api/v1/me").then().statusCode(200);
        assertEquals(1, Sql.count("SELECT count(*) FROM incident WHERE id = ? AND status = 'RESOLVED'", t.incidentId()));
    }

    @Test
    void theApiNeverAsksTheBrowserForBasicCredentials() {
        given().post("/api/v1/incidents/1/resolve").then().statusCode(401).header("WWW-Authenticate", nullValue())
                .contentType(containsString("application/json")).body("status", equalTo(401));
    }

    private String own() {
        return "http://" + root.getHost() + ":" + root.getPort();
    }
}
