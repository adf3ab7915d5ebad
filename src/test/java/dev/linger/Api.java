package dev.linger;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;

/** A script calling the JSON API as admin, the way scripts do: HTTP Basic and JSON. */
public final class Api {

    private Api() {
    }

    public static RequestSpecification admin() {
        return given().auth().preemptive().basic(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD).contentType("application/json");
    }
}
