package dev.linger.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.linger.Sql;
import dev.linger.TestDatabase;
import dev.linger.Waits;
import dev.linger.collect.CollectDueHosts;
import dev.linger.collect.CollectionMetrics;
import dev.linger.transport.RecordedTransports;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * One instance keeping 1,000 hosts on a 30 s interval. Each fleet host answers with a collector
 * output recorded from a real lab host; claims, parsing, snapshot writes, schedule updates and
 * metrics are all real, against the real database. Reports how late collections start (the lag).
 * Run with: ./mvnw verify -Pbench -Dtest=FleetBenchmark
 */
@QuarkusTest
@Tag("bench")
@TestProfile(FleetBenchmark.Fleet.class)
class FleetBenchmark {

    static final int HOSTS = 1_000;
    static final int INTERVAL_SECONDS = 30;
    static final int ROUNDS = 4;

    public static class Fleet implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(RecordedTransports.class);
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("linger.collect.concurrency", "16");
        }
    }

    @Inject
    CollectDueHosts loop;
    @Inject
    CollectionMetrics metrics;

    @Test
    void oneInstanceKeepsAThousandHostsOnAThirtySecondInterval() throws Exception {
        BenchReport report = new BenchReport("fleet");
        try (Connection c = TestDatabase.superuser(); Statement s = c.createStatement()) {
            // incidents no longer go with their host (V8): remove the fleet's first
            s.execute("DELETE FROM incident WHERE host_id IN (SELECT id FROM host WHERE name LIKE 'fleet-%')");
            s.execute("DELETE FROM host WHERE name LIKE 'fleet-%'");
            s.execute("UPDATE host SET next_due_at = now() + interval '1 day'"); // only the fleet is due
            // due times spread over one interval, as they are once a fleet has run for a while
            s.execute("INSERT INTO host (name, address, transport, collect_interval_seconds, next_due_at, created_at,"
                    + " created_by) SELECT 'fleet-' || i, 'fleet-' || i || '.example.net', 'SSH', " + INTERVAL_SECONDS
                    + ", now() + make_interval(secs => " + INTERVAL_SECONDS + " * i / " + HOSTS + ".0), now(), 'bench'"
                    + " FROM generate_series(1, " + HOSTS + ") i");
            s.execute("UPDATE host SET host_key_status = 'TRUSTED' WHERE name LIKE 'fleet-%'");
        }
        long before = Sql.count("SELECT count(*) FROM snapshot s JOIN host h ON h.id = s.host_id WHERE h.name LIKE 'fleet-%'");
        long start = System.nanoTime();
        long end = start + ROUNDS * INTERVAL_SECONDS * 1_000_000_000L;
        while (System.nanoTime() < end) {
            loop.runOnce(); // what the @Scheduled tick does every second
            Thread.sleep(1000); // benchmark pace: the scheduler's 1 s tick, which the bench stands in for
        }
        Waits.upTo(Duration.ofMinutes(2), "the last collections of the run finished").until(() -> loop.running() == 0);
        double seconds = (System.nanoTime() - start) / 1e9;
        long done = Sql.count("SELECT count(*) FROM snapshot s JOIN host h ON h.id = s.host_id WHERE h.name LIKE 'fleet-%'")
                - before;
        long expected = (long) HOSTS * ROUNDS;
        long late = Sql.count("SELECT count(*) FROM host WHERE name LIKE 'fleet-%' AND next_due_at < now() - interval '5 seconds'");
        report.line(String.format(java.util.Locale.ROOT, "%d hosts, %d s interval, %.0f s run, concurrency 16, one instance",
                HOSTS, INTERVAL_SECONDS, seconds));
        report.line(String.format(java.util.Locale.ROOT, "collections: %d done, %d due in that time (%.1f per second)",
                done, expected, done / seconds));
        var lag = metrics.lags().takeSnapshot();
        StringBuilder pct = new StringBuilder();
        for (ValueAtPercentile p : lag.percentileValues()) {
            pct.append(String.format(java.util.Locale.ROOT, "p%.0f %.2f s  ", p.percentile() * 100, p.value()));
        }
        report.line(String.format(java.util.Locale.ROOT, "start lag: %s max %.2f s, mean %.2f s over %d claims", pct,
                lag.max(), lag.mean(), lag.count()));
        report.line("hosts more than 5 s overdue at the end: " + late);
        report.write();
        assertTrue(done >= expected * 0.95, "kept up: " + done + " of " + expected);
        try (Connection c = TestDatabase.superuser(); Statement s = c.createStatement()) {
            // incidents no longer go with their host (V8): remove the fleet's first
            s.execute("DELETE FROM incident WHERE host_id IN (SELECT id FROM host WHERE name LIKE 'fleet-%')");
            s.execute("DELETE FROM host WHERE name LIKE 'fleet-%'");
        }
    }
}
