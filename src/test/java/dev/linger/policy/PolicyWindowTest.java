package dev.linger.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** A policy's window (UTC, both ends included, over midnight too) and its state word: pure rules. */
class PolicyWindowTest {

    private static Policy policy(String window, boolean dryRun, boolean enabled, Instant tripped) {
        Instant t = Instant.parse("2026-12-01T00:00:00Z");
        return new Policy(1, "p", 1, "CLOSE_WAIT_LEAK", null, "r", 1, 10, 3, window, dryRun, enabled, t, tripped,
                tripped == null ? null : Map.of("failedRuns", 3), "admin", t, t);
    }

    @Test
    void aWindowHoldsBetweenItsEndsAndOverMidnight() {
        Policy night = policy("22:00-06:00", false, true, null);
        assertTrue(PolicyRunner.inWindow(night, Instant.parse("2026-12-05T23:30:00Z")));
        assertTrue(PolicyRunner.inWindow(night, Instant.parse("2026-12-05T06:00:00Z")), "its end is included");
        assertFalse(PolicyRunner.inWindow(night, Instant.parse("2026-12-05T06:01:00Z")));
        assertFalse(PolicyRunner.inWindow(night, Instant.parse("2026-12-05T12:00:00Z")));
        Policy day = policy("09:00-17:00", false, true, null);
        assertTrue(PolicyRunner.inWindow(day, Instant.parse("2026-12-05T09:00:00Z")));
        assertFalse(PolicyRunner.inWindow(day, Instant.parse("2026-12-05T08:59:00Z")));
        assertTrue(PolicyRunner.inWindow(policy(null, false, true, null), Instant.parse("2026-12-05T03:00:00Z")),
                "no window: any time");
    }

    @Test
    void itsStateSaysWhetherItRunsProposesTrippedOrIsOff() {
        assertEquals("ON", policy(null, false, true, null).state());
        assertEquals("DRY_RUN", policy(null, true, true, null).state());
        assertEquals("TRIPPED", policy(null, false, false, Instant.now()).state());
        assertEquals("OFF", policy(null, false, false, null).state());
    }
}
