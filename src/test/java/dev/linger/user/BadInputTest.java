package dev.linger.user;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.linger.Browser;
import dev.linger.Sql;
import dev.linger.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Whatever people type, a refusal says why, answers 4xx and stores nothing. */
@QuarkusTest
class BadInputTest {

    private long usersBefore;
    private long eventsBefore;

    @BeforeEach
    void countBefore() {
        given().auth().preemptive().basic("admin", TestUsers.ADMIN_PASSWORD).contentType("application/json")
                .body(Map.of("username", "existing", "password", "existing-password", "roles", List.of("viewer")))
                .post("/api/v1/users");
        usersBefore = Sql.users();
        eventsBefore = Sql.auditEvents();
    }

    static Stream<Arguments> badUsers() {
        String huge = "x".repeat(10_000);
        return Stream.of(
                Arguments.of("", "long-enough-password", List.of("viewer"), 400, "Enter a user name."),
                Arguments.of("   ", "long-enough-password", List.of("viewer"), 400, "Enter a user name."),
                Arguments.of("bob", "", List.of("viewer"), 400, "Enter a password."),
                Arguments.of("bob", "short", List.of("viewer"), 400, "at least 10 characters"),
                Arguments.of("bob", "é".repeat(40), List.of("viewer"), 400, "at most 72 bytes"),
                Arguments.of("bob", "tab\tinside-password", List.of("viewer"), 400, "Control characters"),
                Arguments.of("bob smith", "long-enough-password", List.of("viewer"), 400, "a letter first"),
                Arguments.of("../etc", "long-enough-password", List.of("viewer"), 400, "a letter first"),
                Arguments.of("<script>", "long-enough-password", List.of("viewer"), 400, "a letter first"),
                Arguments.of("a", "long-enough-password", List.of("viewer"), 400, "2 to 32 characters"),
                Arguments.of("b".repeat(33), "long-enough-password", List.of("viewer"), 400, "2 to 32 characters"),
                Arguments.of("bob", "long-enough-password", List.of("root"), 400, "There is no role “root”"),
                Arguments.of("bob", "long-enough-password", List.of(), 400, "Choose at least one role."),
                Arguments.of(huge, "long-enough-password", List.of("viewer"), 400, "2 to 32 characters"),
                Arguments.of("bob", huge, List.of("viewer"), 400, "at most 72 bytes"),
                Arguments.of("existing", "long-enough-password", List.of("viewer"), 409, "already exists"),
                Arguments.of("EXISTING", "long-enough-password", List.of("viewer"), 409, "already exists"));
    }

    @ParameterizedTest
    @MethodSource("badUsers")
    void theApiRefusesBadUsers(String username, String password, List<String> roles, int status, String message) {
        Map<String, Object> body = new HashMap<>();
        body.put("username", username);
        body.put("password", password);
        body.put("roles", roles);
        given().auth().preemptive().basic("admin", TestUsers.ADMIN_PASSWORD).contentType("application/json")
                .body(body).post("/api/v1/users")
                .then().statusCode(status).body("error", containsString(message));
        assertNothingStored();
    }

    @ParameterizedTest
    @MethodSource("badUsers")
    void thePageRefusesBadUsersAndKeepsWhatWasTyped(String username, String password, List<String> roles, int status,
            String message) {
        Browser admin = Browser.signedIn("admin", TestUsers.ADMIN_PASSWORD);
        eventsBefore = Sql.auditEvents(); // signing in is itself audited
        Map<String, Object> form = new HashMap<>();
        form.put("username", username);
        form.put("password", password);
        if (!roles.isEmpty()) {
            form.put("roles", roles);
        }
        Response r = admin.postForm("/users", form);
        if (username.length() > 1000 || password.length() > 1000) {
            // oversize fields are cut off before any page class sees them
            assertTrue(r.statusCode() == 400 || r.statusCode() == 413, "status " + r.statusCode());
        } else {
            r.then().statusCode(status).body(containsString(message.replace("\"", "&quot;")),
                    not(containsString("Exception")));
            if (!username.isBlank() && username.length() < 64 && !username.contains("<")) {
                r.then().body(containsString("value=\"" + username + "\""));
            }
            if (!password.isEmpty()) {
                r.then().body(not(containsString("value=\"" + password + "\"")));
            }
        }
        assertNothingStored();
    }

    @Test
    void malformedJsonIsA400() {
        for (String body : new String[] {"{", "[]", "\"text\"", "{\"username\": 5, \"roles\": \"admin\"}", ""}) {
            given().auth().preemptive().basic("admin", TestUsers.ADMIN_PASSWORD).contentType("application/json")
                    .body(body).post("/api/v1/users")
                    .then().statusCode(400);
        }
        assertNothingStored();
    }

    private void assertNothingStored() {
        assertEquals(usersBefore, Sql.users(), "a user was stored");
        assertEquals(eventsBefore, Sql.auditEvents(), "an audit event was stored");
    }
}
