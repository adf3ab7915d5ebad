package dev.linger.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.linger.Sql;
import dev.linger.TestDatabase;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class SnapshotRetentionTest {

    @Inject
    SnapshotStore snapshots;

    @Test
    void oldSnapshotsLoseDetailThenThinOutThenGo() throws Exception {
        long host;
        try (var c = TestDatabase.superuser(); var s = c.createStatement()) {
            s.execute("INSERT INTO host (name, address, transport, next_due_at, created_at, created_by)"
                    + " VALUES ('retention-host', 'r.example.net', 'SSH', now() + interval '1 day', now(), 'test')");
            var rs = s.executeQuery("SELECT id FROM host WHERE name = 'retention-host'");
            rs.next();
            host = rs.getLong(1);
        }
        CollectorOutput out = CollectorOutputParser.parse("""
                ==linger:counts==
                CLOSE-WAIT 9080 local 2
                ==linger:sockets==
                /proc 08 0100007F:2378 0100007F:8448 00000000:00000008 00:00000000 00000000 0 607556
                ==linger:owners==
                607556 42 42
                ==linger:processes==
                42 1 S 1 server
                ==linger:end==
                """);
        Instant now = Instant.parse("2026-11-25T12:00:00Z");
        // every 30 s for the last two hours, and one snapshot 40 days ago
        for (int i = 0; i < 240; i++) {
            Instant at = now.minusSeconds(30L * i);
            QuarkusTransaction.requiringNew().run(() -> snapshots.store(host, at, Duration.ofMillis(5), out));
        }
        QuarkusTransaction.requiringNew().run(() -> snapshots.store(host, now.minus(Duration.ofDays(40)), Duration.ZERO, out));

        snapshots.prune(now.minus(Duration.ofHours(1)), Duration.ofMinutes(10), now.minus(Duration.ofDays(30)));

        String mine = "SELECT count(*) FROM snapshot WHERE host_id = " + host;
        assertEquals(121, Sql.count(mine + " AND detail AND taken_at >= ?", java.sql.Timestamp.from(now.minus(Duration.ofHours(1)).minusSeconds(1))),
                "the last hour keeps every snapshot with its detail");
        assertEquals(6, Sql.count(mine + " AND NOT detail"), "the hour before keeps one per 10 minutes");
        assertEquals(0, Sql.count(mine + " AND NOT detail AND sockets_gz IS NOT NULL"));
        assertEquals(0, Sql.count(mine + " AND taken_at < ?", java.sql.Timestamp.from(now.minus(Duration.ofDays(30)))));
        // the chart still has its counts for the thinned hour
        assertEquals(2, snapshots.series(host, now.minus(Duration.ofHours(2))).get(0).states().get(0).count());
        assertEquals(List.of(42), snapshots.lastOwnerPids(host));
    }
}
