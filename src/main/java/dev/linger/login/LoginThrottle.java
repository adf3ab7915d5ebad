package dev.linger.login;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.linger.LingerConfig;

/**
 * Slows down password guessing from one client: the first few failures are free, then each
 * further attempt must wait twice as long as the one before (up to a maximum), whatever the
 * password. A success clears the record. Kept in memory per instance, bounded in size, so a
 * flood of addresses cannot exhaust the heap.
 */
@ApplicationScoped
public class LoginThrottle {

    static final int MAX_TRACKED_CLIENTS = 50_000;

    private record Failures(int count, Instant last) {
    }

    private final Clock clock;
    private final int freeFailures;
    private final Duration maxDelay;
    private final Duration forgetAfter;
    /** Insertion-ordered, so the oldest entries go first when full. */
    private final LinkedHashMap<String, Failures> failures = new LinkedHashMap<>();

    @Inject
    LoginThrottle(Clock clock, LingerConfig config) {
        this(clock, config.login().freeFailures(), config.login().maxDelay(), config.login().forgetAfter());
    }

    LoginThrottle(Clock clock, int freeFailures, Duration maxDelay, Duration forgetAfter) {
        this.clock = clock;
        this.freeFailures = freeFailures;
        this.maxDelay = maxDelay;
        this.forgetAfter = forgetAfter;
    }

    /** How long this client must still wait before its next attempt is checked; zero when it may try now. */
    public synchronized Duration waitBefore(String client) {
        Failures f = current(client);
        if (f == null || f.count < freeFailures) {
            return Duration.ZERO;
        }
        Duration remaining = Duration.between(clock.instant(), f.last.plus(delayAfter(f.count)));
        return remaining.isNegative() ? Duration.ZERO : remaining;
    }

    public synchronized void failed(String client) {
        Failures f = current(client);
        failures.remove(client);
        failures.put(client, new Failures(f == null ? 1 : f.count + 1, clock.instant()));
        if (failures.size() > MAX_TRACKED_CLIENTS) {
            evictOldest();
        }
    }

    public synchronized void succeeded(String client) {
        failures.remove(client);
    }

    /** 1 s after the first failure past the free ones, doubling each time, capped. */
    Duration delayAfter(int count) {
        int over = count - freeFailures;
        if (over < 0) {
            return Duration.ZERO;
        }
        long seconds = over >= 20 ? Long.MAX_VALUE : 1L << over;
        return seconds >= maxDelay.toSeconds() ? maxDelay : Duration.ofSeconds(seconds);
    }

    synchronized int tracked() {
        return failures.size();
    }

    private Failures current(String client) {
        Failures f = failures.get(client);
        if (f != null && f.last.plus(forgetAfter).isBefore(clock.instant())) {
            failures.remove(client);
            return null;
        }
        return f;
    }

    private void evictOldest() {
        Iterator<Map.Entry<String, Failures>> it = failures.entrySet().iterator();
        while (failures.size() > MAX_TRACKED_CLIENTS && it.hasNext()) {
            it.next();
            it.remove();
        }
    }
}
