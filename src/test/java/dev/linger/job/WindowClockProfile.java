package dev.linger.job;

import java.util.Map;
import java.util.Set;

import dev.linger.MovableClock;
import dev.linger.transport.NoopTransports;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Hosts that answer at once, a clock the test moves, and no background workers: the test claims jobs itself
 * ({@link JobWorkers#runOne(String)}), so what starts when depends on the clock alone.
 */
public class WindowClockProfile implements QuarkusTestProfile {

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(NoopTransports.class, MovableClock.class);
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("linger.jobs.workers", "0");
    }
}
