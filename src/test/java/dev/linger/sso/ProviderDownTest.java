package dev.linger.sso;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.linger.Browser;
import dev.linger.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * Single sign-on configured, the provider down (its issuer on a loopback port nothing listens on): the button is
 * there and fails on its own, while password sign-in, sessions, sign-out and the API work as before.
 */
@QuarkusTest
@TestProfile(ProviderDownTest.DownProvider.class)
class ProviderDownTest {

    public static class DownProvider implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("linger.oidc.issuer", "http://127.0.0.1:9/realms/gone", "linger.oidc.client-id", "linger",
                    "linger.oidc.client-secret", "secret-of-a-provider-that-is-down");
        }
    }

    @Test
    void passwordsSessionsAndTheApiKeepWorking() {
        Browser anonymous = Browser.anonymous();
        anonymous.get("/login").then().statusCode(200).body(containsString("id=\"sso-sign-in\""));

        Browser admin = Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);
        admin.get("/").then().statusCode(200);
        given().auth().preemptive().basic(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD).get("/api/v1/me").then()
                .statusCode(200);
        // a provider token cannot be checked now: 503 that says so, never a 500
        given().auth().oauth2("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln").get("/api/v1/me").then().statusCode(503)
                .body("error", containsString("cannot be reached"));
        // Linger's own tokens do not need the provider
        given().auth().oauth2("lgr_00000000000000000000000000000000AAAAAA").get("/api/v1/me").then().statusCode(401);

        // the sign-in button fails by itself, without a server error and without a session
        Response callback = given().redirects().follow(false).get("/login/oidc/callback");
        assertEquals(303, callback.statusCode());
        assertEquals("/login?provider=down", callback.header("Location"));
        given().get("/login?provider=down").then().statusCode(200).body(containsString("cannot be reached"));
        assertEquals(null, callback.cookie("linger_session"));

        // signing out of a password session does not need the provider
        admin.postForm("/logout", Map.of()).then().statusCode(303).header("Location", containsString("/login"));
    }
}
