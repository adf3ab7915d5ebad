package dev.linger.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.linger.Browser;
import dev.linger.TestUsers;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class ErrorPagesTest {

    @Test
    void anUnknownPageIsAFriendly404WithoutInternals() {
        Browser.signedIn("admin", TestUsers.ADMIN_PASSWORD).get("/no/such/page").then().statusCode(404)
                .contentType(containsString("text/html"))
                .body(containsString("Not found"), containsString("href=\"/hosts\""),
                        not(containsString("Exception")), not(containsString("Stack")));
    }

    @Test
    void aFailureIsA500PageWithAReferenceAndNothingInternal() {
        Browser.signedIn("admin", TestUsers.ADMIN_PASSWORD).get("/test-only/failure").then().statusCode(500)
                .contentType(containsString("text/html"))
                .body(containsString("Something went wrong"), containsString("Reference: <code>"),
                        not(containsString("hunter2")), not(containsString("IllegalStateException")),
                        not(containsString("at dev.")));
    }

    @Test
    void anUnknownApiPathIsJson404() {
        given().auth().preemptive().basic("admin", TestUsers.ADMIN_PASSWORD).get("/api/v1/nothing")
                .then().statusCode(404).contentType(containsString("application/json"))
                .body("status", equalTo(404));
    }

    @Test
    void anUnknownUserIdIsA404() {
        Browser admin = Browser.signedIn("admin", TestUsers.ADMIN_PASSWORD);
        admin.postForm("/users/999999/enable", java.util.Map.of()).then().statusCode(404)
                .body(containsString("There is no user 999999."));
    }

    @Test
    void healthAndMetricsAreServedWithoutSigningIn() {
        given().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/metrics").then().statusCode(200).body(containsString("jvm_"));
    }

    @Inject
    TestUsers users;

    @Test
    void everySectionInTheNavigationOpensForAViewer() {
        TestUsers.Person p = users.create("viewer");
        Browser viewer = Browser.signedIn(p.name(), p.password());
        String[][] sections = {{"/", "Overview"}, {"/hosts", "Hosts"}, {"/incidents", "Incidents"},
                {"/approvals", "Approvals"}, {"/jobs", "Jobs"}, {"/runbooks", "Runbooks"}, {"/audit", "Audit log"},
                {"/account", "Your account"}};
        for (String[] s : sections) {
            viewer.get(s[0]).then().statusCode(200).body(containsString("<h1>" + s[1] + "</h1>"),
                    containsString("aria-current=\"page\""));
        }
    }
}
