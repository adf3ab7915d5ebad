package dev.linger.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    /** A clock the test moves by hand. */
    static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-11-25T03:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final ManualClock clock = new ManualClock();
    private final LoginThrottle throttle = new LoginThrottle(clock, 3, Duration.ofMinutes(5), Duration.ofMinutes(15));

    @Test
    void firstFailuresAreFreeThenTheWaitDoubles() {
        for (int i = 0; i < 3; i++) {
            assertEquals(Duration.ZERO, throttle.waitBefore("10.0.0.1"));
            throttle.failed("10.0.0.1");
        }
        assertEquals(Duration.ofSeconds(1), throttle.waitBefore("10.0.0.1"));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Duration.ZERO, throttle.waitBefore("10.0.0.1"));
        throttle.failed("10.0.0.1");
        assertEquals(Duration.ofSeconds(2), throttle.waitBefore("10.0.0.1"));
        clock.advance(Duration.ofSeconds(2));
        throttle.failed("10.0.0.1");
        assertEquals(Duration.ofSeconds(4), throttle.waitBefore("10.0.0.1"));
    }

    @Test
    void otherClientsAreNotSlowedDown() {
        for (int i = 0; i < 10; i++) {
            throttle.failed("10.0.0.1");
        }
        assertTrue(throttle.waitBefore("10.0.0.1").toSeconds() > 0);
        assertEquals(Duration.ZERO, throttle.waitBefore("10.0.0.2"));
    }

    @Test
    void theWaitIsCappedAndFailuresAreForgottenAfterAWhile() {
        for (int i = 0; i < 40; i++) {
            throttle.failed("10.0.0.1");
        }
        assertEquals(Duration.ofMinutes(5), throttle.waitBefore("10.0.0.1"));
        clock.advance(Duration.ofMinutes(16));
        assertEquals(Duration.ZERO, throttle.waitBefore("10.0.0.1"));
        throttle.failed("10.0.0.1");
        assertEquals(Duration.ZERO, throttle.waitBefore("10.0.0.1"), "one new failure after the amnesty is free");
    }

    @Test
    void successClearsTheRecord() {
        for (int i = 0; i < 5; i++) {
            throttle.failed("10.0.0.1");
        }
        throttle.succeeded("10.0.0.1");
        assertEquals(Duration.ZERO, throttle.waitBefore("10.0.0.1"));
    }

    @Test
    void aFloodOfAddressesCannotGrowTheTableWithoutBound() {
        for (int i = 0; i < LoginThrottle.MAX_TRACKED_CLIENTS + 1000; i++) {
            throttle.failed("client-" + i);
        }
        assertEquals(LoginThrottle.MAX_TRACKED_CLIENTS, throttle.tracked());
    }
}
