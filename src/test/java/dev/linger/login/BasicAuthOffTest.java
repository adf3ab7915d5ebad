package dev.linger.login;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.linger.Browser;
import dev.linger.Sql;
import dev.linger.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** With linger.api.basic-auth.enabled=false the API refuses Basic credentials before any password check. */
@QuarkusTest
@TestProfile(BasicAuthOffTest.BasicOff.class)
class BasicAuthOffTest {

    public static class BasicOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("linger.api.basic-auth.enabled", "false");
        }
    }

    @Inject
    TestUsers users;
    @Inject
    LoginService login;

    @Test
    void basicCredentialsAnswer401WithoutABcryptAndPagesStillSignIn() {
        TestUsers.Person p = users.create("operator");
        long checks = login.passwordChecks();
        long failures = Sql.count("SELECT count(*) FROM audit_event WHERE action = 'user.login_failed'");
        for (String password : new String[] {p.password(), "wrong-password"}) {
            given().auth().preemptive().basic(p.name(), password).get("/api/v1/me")
                    .then().statusCode(401).header("WWW-Authenticate", nullValue())
                    .contentType(containsString("application/json")).body("status", equalTo(401))
                    .body("error", containsString("HTTP Basic sign-in is turned off"));
        }
        assertEquals(checks, login.passwordChecks(), "no password was checked");
        // nothing was tried, so there is no failed sign-in to record or to throttle
        assertEquals(failures, Sql.count("SELECT count(*) FROM audit_event WHERE action = 'user.login_failed'"));
        // the login form and its session are untouched by the switch
        Browser b = Browser.signedIn(p.name(), p.password());
        b.get("/").then().statusCode(200);
        assertEquals(checks + 1, login.passwordChecks());
    }
}
