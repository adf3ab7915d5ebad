package dev.linger.job;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

/** Linger's clock in {@link WindowClockProfile}: tests move it by hand instead of waiting for time to pass. */
@Alternative
@Singleton
public class MovableClock extends Clock {

    private volatile Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);

    public void set(Instant at) {
        now = at;
    }

    public void advance(Duration d) {
        now = now.plus(d);
    }

    @Override
    public Instant instant() {
        return now;
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
