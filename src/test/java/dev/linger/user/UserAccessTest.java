package dev.linger.user;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import dev.linger.Browser;
import dev.linger.Sql;
import dev.linger.TestUsers;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class UserAccessTest {

    @Inject
    TestUsers users;
    @Inject
    UserService service;
    @Inject
    dev.linger.LingerConfig config;

    @ParameterizedTest
    @ValueSource(strings = {"viewer", "operator", "approver"})
    void onlyAdminsAddUsersThroughTheApi(String role) {
        TestUsers.Person p = users.create(role);
        long before = Sql.users();
        given().auth().preemptive().basic(p.name(), p.password()).contentType("application/json")
                .body(Map.of("username", "mallory", "password", "long-enough-password", "roles", List.of("admin")))
                .post("/api/v1/users")
                .then().statusCode(403).body("error", containsString("role does not allow"));
        assertEquals(before, Sql.users());
        assertEquals(0, Sql.count("SELECT count(*) FROM app_user WHERE username = 'mallory'"));
    }

    @Test
    void aViewerSeesAForbiddenPageForUsersWithoutAStackTrace() {
        TestUsers.Person p = users.create("viewer");
        Browser viewer = Browser.signedIn(p.name(), p.password());
        viewer.get("/users").then().statusCode(403)
                .body(containsString("Not allowed"), not(containsString("Exception")), not(containsString("at dev.")));
        viewer.get("/").then().statusCode(200).body(not(containsString("href=\"/users\"")));
        long before = Sql.users();
        viewer.postForm("/users", Map.of("username", "sneaky", "password", "long-enough-password", "roles", "admin"))
                .then().statusCode(403);
        assertEquals(before, Sql.users());
    }

    @Test
    void anAdminAddsAUserThroughTheApiWhoCanThenSignIn() {
        given().auth().preemptive().basic(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD).contentType("application/json")
                .body(Map.of("username", "Carol", "password", "carol-password-1", "roles", List.of("operator",
                        "approver")))
                .post("/api/v1/users")
                .then().statusCode(201).header("Location", containsString("/api/v1/users/"))
                .body("username", equalTo("carol")).body("roles", hasItems("operator", "approver"))
                .body("$", not(org.hamcrest.Matchers.hasKey("passwordHash")));
        assertEquals(1, Sql.count("SELECT count(*) FROM audit_event WHERE action = 'user.created' AND actor = 'admin'"
                + " AND subject_id = 'carol' AND details->>'roles' = 'operator,approver'"));
        given().auth().preemptive().basic("carol", "carol-password-1").get("/api/v1/me")
                .then().statusCode(200).body("roles", hasItems("viewer", "operator", "approver"));
        assertEquals(0, Sql.count("SELECT count(*) FROM app_user WHERE username = 'carol' AND password_hash NOT LIKE '$2%'"));
    }

    @Test
    void anAdminAddsAUserAndChangesTheirRolesOnThePage() {
        Browser admin = Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);
        admin.postForm("/users", Map.of("username", "dave", "password", "dave-password-1", "roles", "viewer"))
                .then().statusCode(303).header("Location", containsString("/users"));
        admin.get("/users").then().statusCode(200).body(containsString("Added dave (viewer)."),
                containsString("<th scope=\"row\" translate=\"no\">dave</th>"));
        long id = Sql.count("SELECT id FROM app_user WHERE username = 'dave'");
        admin.postForm("/users/" + id + "/roles", Map.of("roles", List.of("operator", "approver")))
                .then().statusCode(303);
        assertEquals(1, Sql.count("SELECT count(*) FROM app_user WHERE username = 'dave' AND roles = 'operator,approver'"));
        assertEquals(1, Sql.count("SELECT count(*) FROM audit_event WHERE action = 'user.roles_changed'"
                + " AND subject_id = 'dave' AND details->>'before' = 'viewer' AND details->>'after' = 'operator,approver'"));
    }

    @Test
    void anAdminCannotLockThemselvesOut() {
        Browser admin = Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);
        long id = Sql.count("SELECT id FROM app_user WHERE username = 'admin'");
        admin.postForm("/users/" + id + "/roles", Map.of("roles", "viewer")).then().statusCode(400)
                .body(containsString("cannot take the admin role from yourself"));
        admin.postForm("/users/" + id + "/disable", Map.of()).then().statusCode(400)
                .body(containsString("cannot disable your own account"));
        assertEquals(1, Sql.count("SELECT count(*) FROM app_user WHERE username = 'admin' AND roles = 'admin'"
                + " AND NOT disabled"));
    }

    @Test
    void everyoneChangesTheirOwnPasswordKnowingTheCurrentOne() {
        TestUsers.Person p = users.create("viewer");
        Browser b = Browser.signedIn(p.name(), p.password());
        b.postForm("/account/password", Map.of("current", "wrong-current", "next", "brand-new-password",
                "confirm", "brand-new-password")).then().statusCode(400)
                .body(containsString("The current password is not right."));
        b.postForm("/account/password", Map.of("current", p.password(), "next", "brand-new-password",
                "confirm", "brand-new-passwort")).then().statusCode(400)
                .body(containsString("The two new passwords differ."));
        b.postForm("/account/password", Map.of("current", p.password(), "next", "brand-new-password",
                "confirm", "brand-new-password")).then().statusCode(303);
        Browser.signedIn(p.name(), "brand-new-password");
        assertEquals(1, Sql.count("SELECT count(*) FROM audit_event WHERE action = 'user.password_changed'"
                + " AND actor = ?", p.name()));
    }

    @Test
    void theFirstStartCreatedAdminOnceWithTheConfiguredPassword() {
        service.bootstrapAdmin(config);
        assertEquals(1, Sql.count("SELECT count(*) FROM app_user WHERE username = 'admin'"));
        assertEquals(1, Sql.count("SELECT count(*) FROM audit_event WHERE action = 'user.created'"
                + " AND subject_id = 'admin' AND details->>'password' = 'from LINGER_ADMIN_PASSWORD'"));
        Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);
    }
}
