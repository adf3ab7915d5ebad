package dev.linger.silence;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.linger.incident.IncidentNamespace;

/** When a silence holds (its span, a weekly window in a time zone, over midnight) and what it matches. Pure logic. */
class SilenceWindowTest {

    private static Silence silence(Long hostId, String ns, String kind, Integer port, Silence.Weekly weekly) {
        return new Silence(1, hostId, null, null, ns, kind, port, Instant.parse("2026-12-01T00:00:00Z"),
                Instant.parse("2026-12-31T00:00:00Z"), weekly, "why", "alice", Instant.parse("2026-12-01T00:00:00Z"),
                null, null, null, null);
    }

    @Test
    void aWeeklyWindowHoldsOnItsDaysInItsZoneAndRunsOverMidnight() {
        // Friday 22:00 to 06:00 in Berlin (UTC+1 in December)
        Silence.Weekly nights = new Silence.Weekly(EnumSet.of(DayOfWeek.FRIDAY), LocalTime.of(22, 0),
                LocalTime.of(6, 0), ZoneId.of("Europe/Berlin"));
        Silence s = silence(7L, null, null, null, nights);
        assertTrue(s.activeAt(Instant.parse("2026-12-04T21:30:00Z")), "Friday 22:30 Berlin");
        assertTrue(s.activeAt(Instant.parse("2026-12-05T04:59:00Z")), "Saturday 05:59 Berlin, the same night");
        assertFalse(s.activeAt(Instant.parse("2026-12-05T05:00:00Z")), "Saturday 06:00 Berlin, over");
        assertFalse(s.activeAt(Instant.parse("2026-12-04T20:59:00Z")), "Friday 21:59 Berlin, not yet");
        assertFalse(s.activeAt(Instant.parse("2026-12-05T21:30:00Z")), "Saturday night is not Friday's");
        assertFalse(s.activeAt(Instant.parse("2027-01-01T21:30:00Z")), "a Friday after the silence's end");
    }

    @Test
    void aSpanHoldsFromItsStartUntilItsEndOrUntilEndedByHand() {
        Silence s = silence(7L, null, null, null, null);
        assertFalse(s.activeAt(Instant.parse("2026-11-30T23:59:59Z")));
        assertTrue(s.activeAt(Instant.parse("2026-12-01T00:00:00Z")));
        assertFalse(s.activeAt(Instant.parse("2026-12-31T00:00:00Z")));
        Silence ended = new Silence(1, 7L, null, null, null, null, null, s.startsAt(), s.endsAt(), null, "why", "alice",
                s.createdAt(), Instant.parse("2026-12-02T00:00:00Z"), "bob", null, null);
        assertFalse(ended.activeAt(Instant.parse("2026-12-03T00:00:00Z")));
        assertTrue(ended.over(Instant.parse("2026-12-03T00:00:00Z")));
    }

    @Test
    void everyMatcherMustAgreeAndANamespaceMatchesByNameContainerOrPod() {
        IncidentNamespace pod = new IncidentNamespace(4026532999L, "CONTAINER", "web-1", "3f2a9c", "shop/web-1", null);
        assertTrue(silence(7L, null, "CLOSE_WAIT_LEAK", 9080, null).matches(7, Set.of(), null, "CLOSE_WAIT_LEAK", 9080));
        assertFalse(silence(7L, null, "CLOSE_WAIT_LEAK", 9080, null).matches(8, Set.of(), null, "CLOSE_WAIT_LEAK", 9080));
        assertFalse(silence(7L, null, "CLOSE_WAIT_LEAK", 9080, null).matches(7, Set.of(), null, "FIN_WAIT1_STUCK", 9080));
        assertFalse(silence(7L, null, "CLOSE_WAIT_LEAK", 9080, null).matches(7, Set.of(), null, "CLOSE_WAIT_LEAK", 9081));
        assertTrue(silence(null, "web-1", null, null, null).matches(3, Set.of(), pod, "CLOSE_WAIT_LEAK", 9080));
        assertTrue(silence(null, "3f2a9c", null, null, null).matches(3, Set.of(), pod, "CLOSE_WAIT_LEAK", 9080));
        assertTrue(silence(null, "shop/web-1", null, null, null).matches(3, Set.of(), pod, "CLOSE_WAIT_LEAK", 9080));
        assertFalse(silence(null, "web-2", null, null, null).matches(3, Set.of(), pod, "CLOSE_WAIT_LEAK", 9080));
        assertFalse(silence(null, "web-1", null, null, null).matches(3, Set.of(), null, "CLOSE_WAIT_LEAK", 9080),
                "the host's own namespace is not web-1");
    }

    @Test
    void aHostLabelMatchesOnlyHostsThatCarryIt() {
        Silence prod = new Silence(1, null, null, "env=prod", null, null, null, Instant.parse("2026-12-01T00:00:00Z"),
                Instant.parse("2026-12-31T00:00:00Z"), null, "why", "alice", Instant.parse("2026-12-01T00:00:00Z"),
                null, null, null, null);
        assertTrue(prod.matches(3, Set.of("db", "env=prod"), null, "CLOSE_WAIT_LEAK", 9080));
        assertFalse(prod.matches(3, Set.of("env=staging"), null, "CLOSE_WAIT_LEAK", 9080));
        assertFalse(prod.matches(3, Set.of(), null, "CLOSE_WAIT_LEAK", 9080));
    }
}
