package dev.linger.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.linger.collect.CollectorOutput;
import dev.linger.collect.CollectorOutputParser;
import dev.linger.collect.SnapshotStore;
import dev.linger.collect.SnapshotView;
import dev.linger.incident.Detector;
import dev.linger.incident.Finding;
import dev.linger.incident.Thresholds;

/**
 * Detection over 1,000 hosts' snapshots, each with 20 earlier snapshots of history (10 minutes at
 * 30 s): every rule runs on real collector output (the lab sample, whose CLOSE-WAIT, FIN-WAIT-1 and
 * defunct-leader sockets trigger findings), and one host in ten carries a busy table of 25,000
 * notable sockets. The budget is the collection interval: 30 s for the fleet, on 2 cores.
 * Run with: ./mvnw verify -Pbench -Dtest=DetectionBenchmark
 */
@Tag("bench")
class DetectionBenchmark {

    @Test
    void detectionOverAThousandHostsStaysFarWithinTheCollectionInterval() throws Exception {
        BenchReport report = new BenchReport("detection");
        CollectorOutput small = parse("/collect/lab-namespace-proc-raw.txt");
        CollectorOutput busy = CollectorOutputParser.parse(busyTable(25_000));
        Instant now = Instant.parse("2026-11-25T03:00:00Z");
        List<SnapshotView> hosts = new ArrayList<>();
        List<List<SnapshotStore.StatesAt>> histories = new ArrayList<>();
        for (int h = 0; h < 1_000; h++) {
            CollectorOutput out = h % 10 == 0 ? busy : small;
            hosts.add(new SnapshotView(h, h, now, 0, "proc", out.states(), out.sockets(), out.sockets().size(),
                    out.sysctls(), out.sockstat(), out.processes(), out.problems(), true));
            List<SnapshotStore.StatesAt> history = new ArrayList<>();
            for (int i = 20; i >= 1; i--) {
                history.add(new SnapshotStore.StatesAt(now.minusSeconds(30L * i), out.states()));
            }
            histories.add(history);
        }
        Thresholds thresholds = Thresholds.defaults();
        long findings = 0;
        for (int warm = 0; warm < 5; warm++) {
            for (int h = 0; h < hosts.size(); h++) {
                findings += Detector.evaluate(List.of(9080, 9081, 9082), thresholds, hosts.get(h), histories.get(h)).size();
            }
        }
        double[] rounds = new double[10];
        for (int r = 0; r < rounds.length; r++) {
            long t0 = System.nanoTime();
            for (int h = 0; h < hosts.size(); h++) {
                List<Finding> f = Detector.evaluate(List.of(9080, 9081, 9082), thresholds, hosts.get(h), histories.get(h));
                findings += f.size();
            }
            rounds[r] = (System.nanoTime() - t0) / 1e6;
        }
        report.line("1,000 hosts (100 with 25,000 notable sockets, 900 with the lab sample), 20 snapshots of history each");
        report.timings("detection for all 1,000 hosts, one thread", rounds);
        report.line(String.format(java.util.Locale.ROOT, "per host: %.3f ms on average; budget: 30,000 ms per round",
                BenchReport.median(rounds) / 1_000));
        report.write();
        assertTrue(findings > 0, "the rules found what the samples hold");
    }

    private static CollectorOutput parse(String resource) throws Exception {
        try (InputStream in = DetectionBenchmark.class.getResourceAsStream(resource)) {
            return CollectorOutputParser.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** A collector output with n CLOSE-WAIT sockets on :9080 owned by one process. */
    private static String busyTable(int n) {
        StringBuilder s = new StringBuilder("==linger:counts==\nCLOSE-WAIT 9080 local ").append(n)
                .append("\nLISTEN 9080 local 1\n==linger:sockets==\n");
        StringBuilder owners = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append("/proc 08 0100007F:2378 0100007F:").append(String.format("%04X", 20000 + i % 40000))
                    .append(" 00000000:00000008 00:00000000 00000000 0 ").append(100000 + i).append('\n');
            owners.append(100000 + i).append(" 4242 4242\n");
        }
        return s.append("==linger:owners==\n").append(owners).append("==linger:processes==\n4242 1 S 12 java\n")
                .append("==linger:sockstat==\nTCP: inuse 25010 orphan 0 tw 3 alloc 25010 mem 1\n==linger:end==\n")
                .toString();
    }

}
