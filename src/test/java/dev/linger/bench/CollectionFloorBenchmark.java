package dev.linger.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.linger.collect.CollectionService;
import dev.linger.collect.CollectorScript;
import dev.linger.collect.SnapshotStore;
import dev.linger.host.HostInput;
import dev.linger.host.HostService;
import dev.linger.host.HostView;
import dev.linger.lab.Fault;
import dev.linger.lab.LabHost;
import dev.linger.lab.LingerTestKey;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Issue 14: Linger's whole collection against the floor, what reading the kernel's tables costs at least: one read
 * of {@code /proc/net/tcp} and {@code tcp6} and one {@code find} over every task's fd links, run inside the lab host
 * as netstat is. Two hosts, one after the other in the same run (at once they would share the kernel's TCP hash,
 * and each table read would walk the other's 100,000 sockets too):
 * <ul>
 * <li><b>owned</b>: the host, 100,000 sockets in one namespace, every one owned by one of ten processes
 * (5,000 connections each on a port of its own): 25,000 CLOSE-WAIT with unread bytes, 25,000 FIN-WAIT-2 (clients
 * that shut down their write side and stay open), 50,000 ESTABLISHED;</li>
 * <li><b>orphaned peers</b>: the 100,000-socket host of {@link CollectionBenchmark} (25,000 CLOSE-WAIT whose
 * clients are gone, 75,000 ESTABLISHED).</li>
 * </ul>
 * On each host, after warm-up, rounds of: Linger's whole collection over SSH (clean login shell), the floor,
 * {@code netstat -tanp}, {@code ss -tanp}, and the collector alone in the namespace, each once per round, so the
 * medians share the machine's moods. Then the snapshot's stored bytes and one collection's allocation in Linger.
 * Run with: ./mvnw verify -Pbench -Dtest=CollectionFloorBenchmark
 */
@QuarkusTest
@Tag("bench")
class CollectionFloorBenchmark {

    static final int PROCESSES = 10;
    static final int CONNECTIONS_PER_PROCESS = 5_000;
    static final int FIRST_PORT = 9200;
    /** Collections before the rounds: the first fills the owner hints, the others warm the JIT and the pools. */
    static final int WARM_UP = 3;
    static final int ROUNDS = 9;

    static final String FLOOR = "cat /proc/net/tcp /proc/net/tcp6 > /dev/null; "
            + "find /proc/[0-9]*/task/*/fd -lname 'socket:*' > /dev/null 2>&1; true";

    @Inject
    HostService hosts;
    @Inject
    CollectionService collections;
    @Inject
    SnapshotStore snapshots;
    @Inject
    CollectorScript script;
    @Inject
    EntityManager em;

    /** One host's medians, for the summary at the end. */
    record Result(String host, double linger, double floor, double netstat, double ss, double collector,
            Map<String, Object> stored, long allocatedAll, long allocatedCaller, long retained, LiveHeap live) {
    }

    /**
     * What one collection holds live at its peak, sampled: beside the collection a thread runs a full GC every
     * {@link #GC_EVERY} and reads the heap used right after it (only live objects are left then), above the heap
     * after a full GC before the collection. The highest sample is a lower bound of the peak live set; the GCs slow
     * the collection down, so these collections are not timed.
     */
    static final class LiveHeap {
        private long max = Long.MIN_VALUE;
        private int samples;
        private int collections;

        void during(Runnable collection) throws InterruptedException {
            long baseline = heapAfterGc();
            java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
            long[] seen = { Long.MIN_VALUE, 0 };
            Thread sampler = new Thread(() -> {
                while (running.get()) {
                    System.gc();
                    long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                    seen[0] = Math.max(seen[0], used - baseline);
                    seen[1]++;
                    try {
                        Thread.sleep(GC_EVERY.toMillis()); // benchmark pace: one heap sample every GC_EVERY
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "bench live-heap sampler");
            sampler.start();
            try {
                collection.run();
            } finally {
                running.set(false);
                sampler.join();
            }
            max = Math.max(max, seen[0]);
            samples += (int) seen[1];
            collections++;
        }

        String describe() {
            return samples == 0 ? "not sampled"
                    : String.format(Locale.ROOT, "%,d bytes (highest of %d full-GC samples in %d collections)", max,
                            samples, collections);
        }
    }

    static final Duration GC_EVERY = Duration.ofMillis(25);

    @Test
    void collectionAtTheFloor() throws Exception {
        BenchReport report = new BenchReport("collection-floor");
        report.line("medians of " + ROUNDS + " rounds after " + WARM_UP + " warm-up collections; each round runs every"
                + " command once, in turn");
        List<Result> results = new ArrayList<>();
        List<Fault> faults = new ArrayList<>();
        try (LabHost lab = LingerTestKey.labHost("bflo")) {
            for (int i = 0; i < PROCESSES; i++) {
                faults.add(lab.mixed(FIRST_PORT + i, CONNECTIONS_PER_PROCESS));
            }
            int halfClosed = PROCESSES * (CONNECTIONS_PER_PROCESS - CONNECTIONS_PER_PROCESS / 2);
            long closeWait = count(lab, "close-wait");
            long finWait2 = count(lab, "fin-wait-2");
            assertEquals(halfClosed, closeWait, "CLOSE-WAIT sockets");
            assertEquals(halfClosed, finWait2, "FIN-WAIT-2 sockets (owned: no timer ends them)");
            assertEquals(halfClosed, Long.parseLong(lab.exec("sh", "-c",
                    "ss -Htan state close-wait | awk '$1 > 0' | wc -l").strip()), "CLOSE-WAIT sockets with unread bytes");
            results.add(measure(report, "owned", lab, closeWait, finWait2));
        } finally {
            faults.forEach(Fault::close);
            faults.clear();
        }
        try (LabHost lab = LingerTestKey.labHost("bfls")) {
            CollectionBenchmark.hundredThousandSockets(lab, faults);
            long closeWait = count(lab, "close-wait");
            assertTrue(closeWait >= 24_000, "the table holds the intended notable sockets: " + closeWait);
            results.add(measure(report, "orphaned peers", lab, closeWait, 0));
        } finally {
            faults.forEach(Fault::close);
        }

        report.line("");
        report.line("## summary (medians)");
        for (Result r : results) {
            report.line(String.format(Locale.ROOT,
                    "%-15s Linger %7.0f ms | floor %6.0f ms | Linger / floor %.2f (target <= 1.3) | netstat %6.0f ms"
                            + " (%.2fx Linger) | ss %6.0f ms (%.2fx Linger) | collector alone %5.0f ms",
                    r.host(), r.linger(), r.floor(), r.linger() / r.floor(), r.netstat(), r.netstat() / r.linger(),
                    r.ss(), r.ss() / r.linger(), r.collector()));
            report.line(String.format(Locale.ROOT,
                    "%-15s stored per snapshot %,d bytes (target <= 65,536) %s", r.host(), r.stored().get("row"),
                    r.stored()));
            report.line(String.format(Locale.ROOT,
                    "%-15s one collection allocates %,d bytes (all threads; %,d on the calling thread); heap after GC"
                            + " %+,d bytes after it; live heap during a collection: %s", r.host(), r.allocatedAll(),
                    r.allocatedCaller(), r.retained(), r.live().describe()));
        }
        report.write();
    }

    private Result measure(BenchReport report, String name, LabHost lab, long closeWait, long finWait2) throws Exception {
        long total = Long.parseLong(lab.exec("sh", "-c", "cat /proc/net/tcp /proc/net/tcp6 | grep -c ':'").strip());
        long processes = Long.parseLong(lab.exec("sh", "-c", "ls -d /proc/[0-9]* | wc -l").strip());
        report.line("");
        report.line("## " + name + ": " + total + " TCP sockets, " + closeWait + " CLOSE-WAIT, " + finWait2
                + " FIN-WAIT-2, " + count(lab, "established") + " ESTABLISHED; " + processes + " processes in the lab");
        lab.useCleanLoginShell();
        HostView host = hosts.create("bench", new HostInput("bench-" + lab.namespace(), lab.address(), 22,
                lab.user(), "SSH", false, 30));
        collections.collectNow(host.id()); // records the presented key
        hosts.trustKey("bench", host.id(), lab.hostKeyFingerprint(), dev.linger.TestUsers.FRESH);

        double first = millis(() -> collect(host));
        for (int i = 1; i < WARM_UP; i++) {
            collect(host);
        }
        boolean netstatThere = new java.io.File("/usr/bin/netstat").exists() || new java.io.File("/bin/netstat").exists();
        String hinted = script.text(QuarkusTransaction.requiringNew().call(() -> snapshots.lastOwnerPids(host.id())));
        // one of each before the rounds: page cache, binaries
        inLab(lab, FLOOR);
        inLab(lab, "ss -tanp > /dev/null 2>&1");
        if (netstatThere) {
            inLab(lab, "netstat -tanp > /dev/null 2>&1");
        }
        String loadBefore = loadAverage();
        double[] linger = new double[ROUNDS];
        double[] floor = new double[ROUNDS];
        double[] netstat = new double[ROUNDS];
        double[] ss = new double[ROUNDS];
        double[] collector = new double[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            linger[i] = millis(() -> collect(host));
            floor[i] = inLab(lab, FLOOR);
            netstat[i] = netstatThere ? inLab(lab, "netstat -tanp > /dev/null 2>&1") : Double.NaN;
            ss[i] = inLab(lab, "ss -tanp > /dev/null 2>&1");
            collector[i] = inLab(lab, "{\n" + hinted + "\n} > /dev/null");
        }
        long outputBytes = Long.parseLong(lab.exec("sh", "-c", "{\n" + hinted + "\n} | wc -c").strip());

        report.line(String.format(Locale.ROOT, "%-58s %8.1f ms", "Linger, first collection (no owner hints)", first));
        report.line("load average before / after the rounds: " + loadBefore + " / " + loadAverage());
        report.timings("Linger, whole collection over SSH", linger);
        report.timings("floor: cat /proc/net/tcp{,6} + find .../fd -lname socket:*", floor);
        if (netstatThere) {
            report.timings("netstat -tanp", netstat);
        } else {
            report.line("netstat -tanp: not measured, netstat is not installed (apt-get install net-tools)");
        }
        report.timings("ss -tanp", ss);
        report.timings("the collector alone in the namespace, no SSH", collector);
        report.line(String.format(Locale.ROOT, "collector output: %,d bytes", outputBytes));

        // what one collection allocates in Linger, and what it leaves behind
        long[] allocated = new long[3];
        long[] caller = new long[3];
        for (int i = 0; i < allocated.length; i++) {
            long[] a = allocation(() -> collect(host));
            allocated[i] = a[0];
            caller[i] = a[1];
        }
        long before = heapAfterGc();
        long snapshotId = collect(host);
        long retained = heapAfterGc() - before;
        long allocatedAll = (long) BenchReport.median(java.util.Arrays.stream(allocated).asDoubleStream().toArray());
        long allocatedCaller = (long) BenchReport.median(java.util.Arrays.stream(caller).asDoubleStream().toArray());
        LiveHeap live = new LiveHeap();
        for (int i = 0; i < 2; i++) {
            live.during(() -> collect(host));
        }
        report.line("live heap at its peak during a collection, above the heap before: " + live.describe());
        report.line(String.format(Locale.ROOT, "allocated by one collection: %,d bytes in all threads, %,d on the"
                + " calling thread (median of 3); heap used after GC: %+,d bytes after one more", allocatedAll,
                allocatedCaller, retained));

        Map<String, Object> stored = stored(snapshotId);
        report.line("stored snapshot " + snapshotId + ": " + stored);
        Map<String, Long> owned = ownedByState(snapshotId);
        report.line("notable sockets with an owner, by state (from the snapshot's groups): " + owned);
        assertEquals(closeWait, owned.getOrDefault("CLOSE-WAIT", 0L), "every CLOSE-WAIT socket has its owner");
        if (finWait2 > 0) {
            assertEquals(finWait2, owned.getOrDefault("FIN-WAIT-2", 0L), "every FIN-WAIT-2 socket has its owner");
        }
        return new Result(name, BenchReport.median(linger), BenchReport.median(floor), BenchReport.median(netstat),
                BenchReport.median(ss), BenchReport.median(collector), stored, allocatedAll, allocatedCaller, retained, live);
    }

    /**
     * The snapshot's stored size: {@code pg_column_size} of the whole row (a row value carries its TOASTed columns
     * inline at their stored, compressed size) and of each large column (its stored size, compressed or not).
     */
    private Map<String, Object> stored(long snapshotId) {
        Object[] row = QuarkusTransaction.requiringNew().call(() -> (Object[]) em.createNativeQuery("""
                SELECT pg_column_size(s.*), pg_column_size(sockets_gz), octet_length(sockets_gz), pg_column_size(groups),
                       pg_column_size(states), pg_column_size(chart_states), pg_column_size(processes),
                       pg_column_size(namespaces), pg_column_size(problems), pg_column_size(sysctls),
                       socket_count, jsonb_array_length(groups), jsonb_array_length(processes)
                  FROM snapshot s WHERE id = ?1
                """).setParameter(1, snapshotId).getSingleResult());
        String[] names = { "row", "sockets_gz", "sockets_gz octets", "groups", "states", "chart_states", "processes",
                "namespaces", "problems", "sysctls", "socket_count", "groups n", "processes n" };
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            out.put(names[i], row[i] == null ? null : ((Number) row[i]).longValue());
        }
        return out;
    }

    private Map<String, Long> ownedByState(long snapshotId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("""
                SELECT g->>'state', sum((g->>'count')::bigint)::bigint FROM snapshot s, jsonb_array_elements(s.groups) g
                 WHERE s.id = ?1 AND jsonb_typeof(g->'owner') = 'object' GROUP BY 1
                """).setParameter(1, snapshotId).getResultList());
        Map<String, Long> out = new HashMap<>();
        rows.forEach(r -> out.put((String) r[0], ((Number) r[1]).longValue()));
        return out;
    }

    /** Bytes allocated during {@code work}: in all threads (threads that ended meanwhile are missed), and in this one. */
    private static long[] allocation(Runnable work) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] ids = threads.getAllThreadIds();
        long[] before = threads.getThreadAllocatedBytes(ids);
        Map<Long, Long> start = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            start.put(ids[i], before[i]);
        }
        long self = threads.getCurrentThreadAllocatedBytes();
        work.run();
        long selfAfter = threads.getCurrentThreadAllocatedBytes();
        long[] idsAfter = threads.getAllThreadIds();
        long[] after = threads.getThreadAllocatedBytes(idsAfter);
        long all = 0;
        for (int i = 0; i < idsAfter.length; i++) {
            if (after[i] >= 0) {
                all += after[i] - Math.max(0, start.getOrDefault(idsAfter[i], 0L));
            }
        }
        return new long[] { all, selfAfter - self };
    }

    private static long heapAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private long collect(HostView host) {
        var outcome = collections.collectNow(host.id());
        assertTrue(outcome.isPresent() && outcome.get().ok(), "collection failed: " + outcome);
        return outcome.get().snapshotId();
    }

    /** The command in the lab host (its namespaces and /proc, as the collector sees them), through sh; millis. */
    private static double inLab(LabHost lab, String shell) {
        return millis(() -> lab.exec("sh", "-c", shell));
    }

    /** The machine's 1, 5 and 15 minute load averages: other work on the 2 cores moves every number here. */
    private static String loadAverage() {
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static long count(LabHost lab, String state) {
        return Long.parseLong(lab.exec("sh", "-c", "ss -Htan state " + state + " | wc -l").strip());
    }

    private static double millis(Runnable work) {
        long t0 = System.nanoTime();
        work.run();
        return (System.nanoTime() - t0) / 1e6;
    }
}
