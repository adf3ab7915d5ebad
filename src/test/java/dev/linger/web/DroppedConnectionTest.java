package dev.linger.web;

import static dev.linger.Api.admin;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.linger.Browser;
import dev.linger.TestDatabase;
import dev.linger.TestUsers;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Issue 12 item 15: pages and the API recover from dropped database connections without a 500.
 *
 * <p>PostgreSQL is not restarted here: other tests share the server. Terminating every backend of
 * Linger's pool is the same failure from Linger's side (each pooled connection's socket is closed by
 * the server, exactly as a restart closes them), and it is what the next request must survive.
 */
@QuarkusTest
class DroppedConnectionTest {

    @Test
    void theNextPageAndApiReadAfterThePoolsBackendsWereKilledAnswer200() throws Exception {
        Browser browser = Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);
        for (int i = 0; i < 3; i++) { // the pool holds open connections, as it does in production
            browser.get("/hosts").then().statusCode(200);
            admin().get("/api/v1/incidents").then().statusCode(200);
        }
        for (int round = 0; round < 2; round++) {
            assertTrue(terminateLingersBackends() > 0, "the pool had live backends to kill");
            browser.get("/hosts").then().statusCode(200).body(containsString("<h1>Hosts</h1>"));
            terminateLingersBackends();
            admin().get("/api/v1/hosts").then().statusCode(200);
            terminateLingersBackends();
            browser.get("/incidents").then().statusCode(200);
            terminateLingersBackends();
            admin().get("/api/v1/jobs").then().statusCode(200);
        }
    }

    @Test
    void anErrorPageNeedsNeitherTheDatabaseNorTheSignedInPerson() {
        Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD).get("/test-only/failure").then().statusCode(500)
                .body(containsString("Something went wrong"), containsString("href=\"/hosts\""));
    }

    /** From a connection of its own, as an administrator (or a restarting server) would. */
    private static int terminateLingersBackends() throws Exception {
        try (var c = TestDatabase.superuser(); var s = c.createStatement(); var rs = s.executeQuery(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
                        + " WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
