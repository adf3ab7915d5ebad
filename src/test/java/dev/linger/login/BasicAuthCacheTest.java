package dev.linger.login;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.linger.MovableClock;
import dev.linger.Sql;
import dev.linger.TestDatabase;
import dev.linger.TestUsers;
import dev.linger.user.UserService;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * The cache of successful HTTP Basic checks: a repeated request skips bcrypt (counted by
 * {@link LoginService#passwordChecks()}), yet any change to the user — through this instance's UserService or
 * straight in the shared database, as the other instance would make it — counts from the next request on.
 */
@QuarkusTest
class BasicAuthCacheTest {

    private static final String NEW_PASSWORD = "a brand new passphrase";

    @Inject
    TestUsers users;
    @Inject
    UserService userService;
    @Inject
    LoginService login;
    @Inject
    BasicAuthCache cache;
    @Inject
    LoginThrottle throttle;

    private final MovableClock clock = new MovableClock();

    @BeforeEach
    void moveTimeByHand() {
        QuarkusMock.installMockForType(clock, Clock.class);
    }

    @AfterEach
    void forgiveTheTestClient() {
        throttle.succeeded("127.0.0.1");
    }

    @Test
    void aSecondRequestWithTheSameCredentialsSkipsBcryptAndIsNotAuditedEither() {
        TestUsers.Person p = users.create("approver");
        long checks = login.passwordChecks();
        long hits = cache.hits();
        me(p.name(), p.password()).statusCode(200).body("username", equalTo(p.name()));
        assertEquals(checks + 1, login.passwordChecks());
        assertEquals(1, cache.entriesOf(id(p)));
        me(p.name(), p.password()).statusCode(200).body("username", equalTo(p.name()))
                .body("roles", hasItem("approver"));
        me(p.name(), p.password()).statusCode(200);
        assertEquals(checks + 1, login.passwordChecks(), "the repeated requests ran bcrypt");
        assertEquals(hits + 2, cache.hits());
        // as before the cache: API sign-ins are not audited one by one, successful or cached
        assertEquals(0, Sql.count("SELECT count(*) FROM audit_event WHERE subject_id = ? AND action LIKE 'user.login%'",
                p.name()));
    }

    @Test
    void aWrongPasswordNeverComesFromTheCacheAndIsStillThrottled() {
        TestUsers.Person p = users.create("viewer");
        me(p.name(), p.password()).statusCode(200);
        long checks = login.passwordChecks();
        long hits = cache.hits();
        for (int i = 0; i < 5; i++) {
            me(p.name(), p.password() + "x").statusCode(401);
        }
        assertEquals(checks + 5, login.passwordChecks(), "each wrong password is checked with bcrypt");
        assertEquals(hits, cache.hits());
        assertEquals(5, Sql.count("SELECT count(*) FROM audit_event WHERE action = 'user.login_failed'"
                + " AND subject_id = ? AND details->>'reason' = 'wrong password'", p.name()));
        // a client being slowed down is refused before the cache is asked, as it was before bcrypt
        me(p.name(), p.password()).statusCode(429);
        assertEquals(hits, cache.hits());
        throttle.succeeded("127.0.0.1");
        me(p.name(), p.password()).statusCode(200);
        assertEquals(hits + 1, cache.hits());
    }

    @Test
    void aChangedPasswordRefusesTheOldOneAtOnceAndAcceptsTheNew() {
        TestUsers.Person p = users.create("operator");
        me(p.name(), p.password()).statusCode(200);
        userService.changeOwnPassword(p.name(), p.password(), NEW_PASSWORD, null);
        assertEquals(0, cache.entriesOf(id(p)), "the change emptied this instance's entries");
        me(p.name(), p.password()).statusCode(401);
        me(p.name(), NEW_PASSWORD).statusCode(200);
        long checks = login.passwordChecks();
        me(p.name(), NEW_PASSWORD).statusCode(200);
        assertEquals(checks, login.passwordChecks());
        me(p.name(), p.password()).statusCode(401);
    }

    @Test
    void aResetPasswordRefusesTheOldOneAndTheTemporaryOneStillMustBeChanged() {
        TestUsers.Person p = users.create("operator");
        me(p.name(), p.password()).statusCode(200);
        userService.resetPassword(TestUsers.ADMIN, id(p), NEW_PASSWORD);
        assertEquals(0, cache.entriesOf(id(p)));
        me(p.name(), p.password()).statusCode(401);
        long checks = login.passwordChecks();
        me(p.name(), NEW_PASSWORD).statusCode(403).body("error", containsString("reset your password"));
        // a hit carries must-change-password along: still 403 until the person chooses their own
        me(p.name(), NEW_PASSWORD).statusCode(403).body("error", containsString("reset your password"));
        assertEquals(checks + 1, login.passwordChecks());
        userService.changeOwnPassword(p.name(), NEW_PASSWORD, NEW_PASSWORD + "!", null);
        me(p.name(), NEW_PASSWORD + "!").statusCode(200);
    }

    @Test
    void aDisabledUserIsRefusedAtOnce() {
        TestUsers.Person p = users.create("operator");
        me(p.name(), p.password()).statusCode(200);
        me(p.name(), p.password()).statusCode(200);
        userService.setDisabled(TestUsers.ADMIN, id(p), true);
        assertEquals(0, cache.entriesOf(id(p)));
        me(p.name(), p.password()).statusCode(401);
        userService.setDisabled(TestUsers.ADMIN, id(p), false);
        me(p.name(), p.password()).statusCode(200);
    }

    @Test
    void aRoleChangeTakesEffectAtOnce() {
        TestUsers.Person p = users.create("approver");
        me(p.name(), p.password()).statusCode(200).body("roles", hasItem("approver"));
        userService.changeRoles(TestUsers.ADMIN, id(p), List.of("viewer"), TestUsers.FRESH);
        me(p.name(), p.password()).statusCode(200).body("roles", hasItem("viewer"))
                .body("roles", not(hasItem("approver")));
    }

    @Test
    void aChangeMadeInTheDatabaseByTheOtherInstanceIsSeenAtOnce() throws SQLException {
        TestUsers.Person p = users.create("approver");
        me(p.name(), p.password()).statusCode(200);
        long checks = login.passwordChecks();
        // what the other instance's JPA update does: the row changes and its version goes up
        update("UPDATE app_user SET roles = 'viewer', version = version + 1 WHERE id = ?", id(p));
        assertEquals(1, cache.entriesOf(id(p)), "nothing told this instance");
        me(p.name(), p.password()).statusCode(200).body("roles", hasItem("viewer"))
                .body("roles", not(hasItem("approver")));
        assertEquals(checks + 1, login.passwordChecks(), "the stale entry was dropped and bcrypt ran again");

        update("UPDATE app_user SET disabled = true, version = version + 1 WHERE id = ?", id(p));
        me(p.name(), p.password()).statusCode(401);
        assertEquals(0, cache.entriesOf(id(p)));
    }

    @Test
    void anEntryExpiresAfterItsTimeToLive() {
        TestUsers.Person p = users.create("viewer");
        me(p.name(), p.password()).statusCode(200);
        long checks = login.passwordChecks();
        clock.advance(Duration.ofSeconds(59));
        me(p.name(), p.password()).statusCode(200);
        assertEquals(checks, login.passwordChecks(), "still fresh after 59 s");
        clock.advance(Duration.ofSeconds(2));
        me(p.name(), p.password()).statusCode(200);
        assertEquals(checks + 1, login.passwordChecks(), "expired after 60 s: bcrypt again");
        me(p.name(), p.password()).statusCode(200);
        assertEquals(checks + 1, login.passwordChecks(), "and cached anew");
    }

    private static ValidatableResponse me(String name, String password) {
        return given().auth().preemptive().basic(name, password).get("/api/v1/me").then();
    }

    private static long id(TestUsers.Person p) {
        return Sql.count("SELECT id FROM app_user WHERE username = ?", p.name());
    }

    private static void update(String sql, long id) throws SQLException {
        try (var c = TestDatabase.superuser(); var s = c.prepareStatement(sql)) {
            s.setLong(1, id);
            assertEquals(1, s.executeUpdate());
        }
    }
}
