package dev.linger.job;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.linger.Sql;
import dev.linger.TestDatabase;
import dev.linger.transport.NoopTransports;
import io.quarkus.test.junit.QuarkusTestProfile;

/** Hosts that answer at once, and queued jobs on them, for the queue test and the queue benchmark. */
public final class NoopHosts implements QuarkusTestProfile {

    @Override
    public Set<Class<?>> getEnabledAlternatives() {
        return Set.of(NoopTransports.class);
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("linger.jobs.workers", System.getProperty("linger.jobs.workers", "32"));
    }

    /** Creates {@code count} noop hosts, returning their ids. */
    public static List<Long> hosts(int count) throws SQLException {
        String prefix = "noop-" + UUID.randomUUID().toString().substring(0, 6) + "-";
        try (Connection c = TestDatabase.superuser(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO host (name, address, transport, next_due_at, created_at, created_by, host_key_status)"
                        + " VALUES (?, 'noop.invalid', 'SSH', now() + interval '1 day', now(), 'test', 'TRUSTED')")) {
            for (int i = 0; i < count; i++) {
                ps.setString(1, prefix + i);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(Sql.count("SELECT id FROM host WHERE name = ?", prefix + i));
        }
        return ids;
    }

    /**
     * Queues {@code perHost} jobs of {@code runbook} on each host straight in the database, as if each
     * had been approved (with the notification an approval sends): the queue is what is measured
     * here, approvals have their own tests.
     */
    public static void queue(String runbook, List<Long> hosts, int perHost) throws SQLException {
        try (Connection c = TestDatabase.superuser(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO job (runbook_version_id, runbook_id, host_id, host_name, risk, reason, requested_by, plan,
                                 plan_hash, status, created_at, expires_at, queued_at)
                SELECT v.id, r.id, h.id, h.name, v.risk, 'queue test', 'test', '{}', 'test', 'QUEUED', now(),
                       now() + interval '1 hour', clock_timestamp()
                  FROM runbook r JOIN runbook_version v ON v.runbook_id = r.id AND v.version = r.latest_version,
                       host h
                 WHERE r.slug = ? AND h.id = ?
                """)) {
            for (int round = 0; round < perHost; round++) {
                for (long host : hosts) {
                    ps.setString(1, runbook);
                    ps.setLong(2, host);
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
        try (Connection c = TestDatabase.superuser(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_notify('linger_jobs', 'queued')"); // as the approval that queues a job does
        }
    }
}
