package dev.linger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

/**
 * The clock tests move instead of sleeping. It runs with the system clock plus an offset the test
 * {@link #advance advances}, or stands still once {@link #set set} to an instant (for tests that need exact
 * minutes). Install it for one test class with {@code QuarkusMock.installMockForType(clock, Clock.class)}, or
 * for a whole profile as an enabled alternative.
 */
@Alternative
@Singleton
public class MovableClock extends Clock {

    private volatile Duration offset = Duration.ZERO;
    private volatile Instant stoppedAt;

    /** Moves time forward; a running clock keeps running from there, a stopped one stays stopped. */
    public synchronized void advance(Duration by) {
        if (stoppedAt != null) {
            stoppedAt = stoppedAt.plus(by);
        } else {
            offset = offset.plus(by);
        }
    }

    /** Stops the clock at {@code at}: it reads that instant until advanced or set again. */
    public synchronized void set(Instant at) {
        stoppedAt = at;
    }

    @Override
    public Instant instant() {
        Instant stopped = stoppedAt;
        return stopped != null ? stopped : Instant.now().plus(offset);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
