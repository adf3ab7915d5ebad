package dev.linger.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.linger.Sql;
import dev.linger.TestDatabase;
import dev.linger.collect.CollectorOutput.NotableSocket;
import dev.linger.collect.CollectorOutput.Owner;
import dev.linger.collect.CollectorOutput.StateCount;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/** A snapshot stores every notable socket as exact groups and only a bounded sample of each group's sockets. */
@QuarkusTest
class SnapshotGroupsTest {

    @Inject
    SnapshotStore snapshots;

    @Test
    void groupsAreExactSamplesAreBoundedAndAGroupKeepsTheTimeItWasFirstSeen() throws Exception {
        long host = host("groups-host");
        Owner server = new Owner(42, 42, "server", "S", 1);
        List<NotableSocket> sockets = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            // unread bytes 1..5000: the samples must be the 20 with the most
            sockets.add(new NotableSocket("CLOSE-WAIT", "10.0.0.1:9080", "10.0.0.2:" + (40_000 + i % 20_000), i + 1, 0,
                    null, null, null, 0, 1_000_000 + i, server));
        }
        CollectorOutput out = new CollectorOutput(null, List.of(new StateCount(9080, false, "CLOSE-WAIT", 5_000)),
                sockets, java.util.Map.of(), null, List.of(), List.of(), true);
        assertEquals(1, out.groups().size());

        Instant first = Instant.parse("2026-12-03T10:00:00Z");
        Instant second = first.plusSeconds(30);
        long id1 = QuarkusTransaction.requiringNew()
                .call(() -> snapshots.store(host, first, Duration.ZERO, snapshots.continued(host, first, out)));
        QuarkusTransaction.requiringNew()
                .call(() -> snapshots.store(host, second, Duration.ZERO, snapshots.continued(host, second, out)));

        SnapshotView latest = snapshots.latest(host).orElseThrow();
        assertEquals(5_000, latest.socketCount(), "the snapshot counts every notable socket");
        assertEquals(20, latest.sockets().size(), "but keeps only the group's sample");
        assertEquals(5_000, latest.sockets().get(0).recvQ(), "the sample holds the sockets with the most unread bytes");
        SocketGroup g = latest.groups().get(0);
        assertEquals(5_000, g.count());
        assertEquals(5_000L * 5_001 / 2, g.recvQ());
        assertEquals(1, g.recvQMin());
        assertEquals(5_000, g.recvQMax());
        assertEquals(42, g.owner().pid());
        assertEquals(first, g.since(), "the group was first seen at the first collection");
        assertEquals(List.of(42), snapshots.lastOwnerPids(host));
        assertTrue(Sql.count("SELECT count(*) FROM snapshot WHERE id = ? AND octet_length(sockets_gz) < 4096", id1) == 1,
                "a 5,000-socket group stores a few kilobytes of samples");

        // a group that disappears and comes back starts again
        CollectorOutput quiet = new CollectorOutput(null, List.of(), List.of(), java.util.Map.of(), null, List.of(),
                List.of(), true);
        Instant third = second.plusSeconds(30);
        Instant fourth = third.plusSeconds(30);
        QuarkusTransaction.requiringNew()
                .call(() -> snapshots.store(host, third, Duration.ZERO, snapshots.continued(host, third, quiet)));
        QuarkusTransaction.requiringNew()
                .call(() -> snapshots.store(host, fourth, Duration.ZERO, snapshots.continued(host, fourth, out)));
        assertEquals(fourth, snapshots.latest(host).orElseThrow().groups().get(0).since());

        // downsampling drops the detail, groups included; the counts stay for the chart
        snapshots.prune(fourth.plusSeconds(1), Duration.ofMinutes(10), first.minus(Duration.ofDays(1)));
        SnapshotView thinned = snapshots.latest(host).orElseThrow();
        assertTrue(thinned.groups().isEmpty() && thinned.sockets().isEmpty());
        assertEquals(5_000, thinned.states().get(0).count());
        assertNull(Sql.text("SELECT groups::text FROM snapshot WHERE id = ?", id1));
    }

    @Test
    void aSnapshotStoredBeforeGroupsIsGroupedWhenRead() throws Exception {
        long host = host("groups-old-host");
        CollectorOutput out = CollectorOutputParser.parse("""
                ==linger:counts==
                CLOSE-WAIT 9080 local 2
                ==linger:sockets==
                /proc 08 0100007F:2378 0100007F:8448 00000000:00000008 00:00000000 00000000 0 607556
                /proc 08 0100007F:2378 0100007F:8449 00000000:00000007 00:00000000 00000000 0 607557
                ==linger:owners==
                607556 42 42
                607557 42 42
                ==linger:processes==
                42 1 S 1 server
                ==linger:end==
                """);
        long id = QuarkusTransaction.requiringNew()
                .call(() -> snapshots.store(host, Instant.parse("2026-12-03T10:00:00Z"), Duration.ZERO, out));
        try (var c = TestDatabase.superuser(); var s = c.createStatement()) {
            s.execute("UPDATE snapshot SET groups = NULL WHERE id = " + id); // as V15 left the rows before it
        }
        SocketGroup g = snapshots.latest(host).orElseThrow().groups().get(0);
        assertEquals(2, g.count());
        assertEquals(15, g.recvQ());
        assertEquals("server", g.owner().command());
    }

    private static long host(String prefix) throws Exception {
        String name = prefix + "-" + System.nanoTime(); // the test database outlives a run
        try (var c = TestDatabase.superuser(); var s = c.createStatement()) {
            s.execute("INSERT INTO host (name, address, transport, next_due_at, created_at, created_by)"
                    + " VALUES ('" + name + "', 'g.example.net', 'SSH', now() + interval '1 day', now(), 'test')");
            var rs = s.executeQuery("SELECT id FROM host WHERE name = '" + name + "'");
            rs.next();
            return rs.getLong(1);
        }
    }
}
