package dev.linger.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.linger.MovableClock;
import dev.linger.Sql;
import dev.linger.SqlTimes;
import dev.linger.TestDatabase;
import dev.linger.host.MachineIdentity;
import dev.linger.transport.TransportFailure;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class HostScheduleTest {

    @Inject
    HostSchedule schedule;
    @Inject
    MachineIdentity machine;

    /** The schedule's now: backoffs are waited out by moving it, not by rewriting the host's row. */
    private final MovableClock clock = new MovableClock();

    @BeforeEach
    void moveTimeByHand() {
        QuarkusMock.installMockForType(clock, Clock.class);
    }

    @AfterEach
    void removeFleet() throws Exception {
        try (var c = TestDatabase.superuser(); var s = c.createStatement()) {
            s.execute("DELETE FROM host WHERE name LIKE 'fleet-%'");
        }
    }

    private static void fleet(int n) throws Exception {
        try (var c = TestDatabase.superuser(); var s = c.createStatement()) {
            s.execute("UPDATE host SET next_due_at = now() + interval '1 hour'"); // only our fleet is due
            s.execute("INSERT INTO host (name, address, transport, next_due_at, created_at, created_by)"
                    + " SELECT 'fleet-' || i, 'fleet-' || i || '.example.net', 'SSH', now() - interval '1 second',"
                    + " now(), 'test' FROM generate_series(1, " + n + ") i");
        }
    }

    @Test
    void twoInstancesClaimingAtOnceNeverTakeTheSameHost() throws Exception {
        fleet(200);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Callable<List<Long>>> instances = new ArrayList<>();
        for (String owner : List.of("instance-a", "instance-b")) {
            instances.add(() -> {
                List<Long> mine = new ArrayList<>();
                List<HostSchedule.Claim> round;
                do {
                    round = schedule.claimDue(owner, machine.machineId(), 7, Duration.ofMinutes(5));
                    round.forEach(c -> mine.add(c.hostId()));
                } while (!round.isEmpty());
                return mine;
            });
        }
        List<Future<List<Long>>> results = pool.invokeAll(instances);
        pool.shutdown();
        List<Long> a = results.get(0).get(), b = results.get(1).get();
        Set<Long> union = new HashSet<>(a);
        union.addAll(b);
        assertEquals(a.size() + b.size(), union.size(), "a host was claimed twice");
        assertEquals(200, union.size());
        assertTrue(!a.isEmpty() && !b.isEmpty(), "both instances got work: " + a.size() + " / " + b.size());
        assertEquals(200, Sql.count("SELECT count(*) FROM host WHERE name LIKE 'fleet-%' AND lease_owner IS NOT NULL"));
    }

    @Test
    void onlyTheLeaseHolderRecordsTheResultAndUnreachableHostsBackOff() throws Exception {
        fleet(1);
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        clock.set(t); // stands still: every time the schedule writes is exact
        long id = schedule.claimDue("me", machine.machineId(), 5, Duration.ofMinutes(5)).get(0).hostId();
        assertEquals(false, QuarkusTransaction.requiringNew().call(() -> schedule.succeeded(id, "someone-else", null, true)));
        assertTrue(schedule.failed(id, "me", TransportFailure.Kind.UNREACHABLE, "connection refused", null,
                Duration.ofMinutes(10)));
        assertEquals(1, Sql.count("SELECT count(*) FROM host WHERE id = ? AND status = 'UNREACHABLE'"
                + " AND last_error = 'connection refused' AND consecutive_failures = 1 AND lease_owner IS NULL"
                + " AND next_due_at = ?", id, SqlTimes.utc(t.plusSeconds(30))), "one interval (30 s) after the failure");
        clock.advance(Duration.ofSeconds(29));
        assertEquals(List.of(), schedule.claimDue("me", machine.machineId(), 5, Duration.ofMinutes(5)),
                "still backing off");
        // the second failure waits twice as long
        clock.advance(Duration.ofSeconds(1));
        assertEquals(List.of(new HostSchedule.Claim(id, 0.0)),
                schedule.claimDue("me", machine.machineId(), 5, Duration.ofMinutes(5)), "due, and not late");
        schedule.failed(id, "me", TransportFailure.Kind.TIMEOUT, "timed out", null, Duration.ofMinutes(10));
        assertEquals(1, Sql.count("SELECT count(*) FROM host WHERE id = ? AND consecutive_failures = 2"
                + " AND next_due_at = ?", id, SqlTimes.utc(t.plusSeconds(30 + 60))));
    }

    @Test
    void aChangedHostKeyStopsAllClaimsUntilTrusted() throws Exception {
        fleet(1);
        long id = schedule.claimDue("me", machine.machineId(), 5, Duration.ofMinutes(5)).get(0).hostId();
        schedule.failed(id, "me", TransportFailure.Kind.HOST_KEY_CHANGED, "HOST KEY CHANGED", "SHA256:new", Duration.ofMinutes(10));
        clock.advance(Duration.ofMinutes(10)); // long past due (the other hosts are due in an hour)
        assertEquals(List.of(), schedule.claimDue("me", machine.machineId(), 5, Duration.ofMinutes(5)));
        assertEquals(false, schedule.claim(id, "me", machine.machineId(), Duration.ofMinutes(5)),
                "not even a collection someone asks for");
    }
}
