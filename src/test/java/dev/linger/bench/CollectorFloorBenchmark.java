package dev.linger.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.linger.collect.CollectorScript;
import dev.linger.lab.Fault;
import dev.linger.lab.LabHost;
import dev.linger.lab.LingerTestKey;
import dev.linger.transport.Shell;

/**
 * The collector script alone on the 100,000-socket host of {@link CollectionBenchmark} (25,000 CLOSE-WAIT with
 * unread bytes in four processes, 75,000 established in four others), run inside the lab host as Linger's SSH
 * command would run it, against the floor: reading the kernel's socket table once and every process's fd links
 * once ({@code cat /proc/net/tcp /proc/net/tcp6; find /proc/[0-9]*}{@code /task/*}{@code /fd -lname 'socket:*'}).
 * Interleaved runs, medians. No SSH, parsing or storing here: the whole collection adds those on top, so the
 * script itself has to stay at or below the floor. Run with:
 * {@code ./mvnw -o test -Pbench -Dtest=CollectorFloorBenchmark}
 */
@Tag("bench")
class CollectorFloorBenchmark {

    static final int RUNS = 9;
    static final String FLOOR = "cat /proc/net/tcp /proc/net/tcp6 > /dev/null;"
            + " find /proc/[0-9]*/task/*/fd -lname 'socket:*' > /dev/null";

    @Test
    void collectorAgainstTheFloorOnAHundredThousandSockets() throws Exception {
        BenchReport report = new BenchReport("collector-floor");
        try (LabHost lab = LingerTestKey.labHost("floor")) {
            lab.setSysctl("net.ipv4.tcp_fin_timeout", "1");
            List<Fault> owners = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                owners.add(lab.closeWait(9080 + i, CollectionBenchmark.CLOSE_WAIT_PER_PORT));
                lab.established(9100 + i, CollectionBenchmark.CONNECTIONS_PER_PROCESS);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!lab.exec("sh", "-c", "ss -Htan state fin-wait-2 | head -1").isBlank()) {
                assertTrue(System.nanoTime() < deadline, "FIN-WAIT-2 sockets still there after 60 s");
                Thread.sleep(500); // kernel timer: the clients' FIN-WAIT-2 halves end after tcp_fin_timeout (1 s)
            }
            long total = Long.parseLong(lab.exec("sh", "-c", "cat /proc/net/tcp /proc/net/tcp6 | grep -c ':'").strip());
            report.line("table: " + total + " TCP sockets; " + lab.exec("sh", "-c", "ss -Htan state close-wait | wc -l").strip()
                    + " CLOSE-WAIT (notable) in " + owners.size() + " processes");

            String script = "LINGER_SYSCTLS=" + Shell.quote(String.join(" ", CollectorScript.WATCHED))
                    + "\nexport LINGER_SYSCTLS\n" + scriptBody();
            // After its first collection Linger passes the pids that held notable sockets last time.
            String hints = owners.stream().map(f -> Integer.toString(f.pid())).collect(Collectors.joining(" "));
            String hinted = "LINGER_OWNER_PIDS=" + Shell.quote(hints) + "\nexport LINGER_OWNER_PIDS\n" + script;

            String out = lab.exec("sh", "-c", hinted);
            assertTrue(out.contains("\nformat 3\n") && out.endsWith("==linger:end==\n"), "a complete format 3 output");
            report.line(String.format(Locale.ROOT, "collector output: %,d bytes, %d group lines", out.length(),
                    out.lines().dropWhile(l -> !l.equals("==linger:groups==")).skip(1)
                            .takeWhile(l -> !l.startsWith("==linger:")).count()));

            Map<String, String> commands = new LinkedHashMap<>();
            commands.put("floor: cat tables + find every fd link", FLOOR);
            commands.put("collector, owners of last time as hints", hinted + " > /dev/null");
            commands.put("collector, no hints (first collection)", script + " > /dev/null");
            commands.put("ss -tanp (for scale)", "ss -tanp > /dev/null");
            commands.put("netstat -tanp (for scale)", "netstat -tanp > /dev/null 2>&1");
            for (String command : commands.values()) {
                lab.exec("sh", "-c", command); // warm up
            }
            Map<String, double[]> runs = new LinkedHashMap<>();
            commands.keySet().forEach(label -> runs.put(label, new double[RUNS]));
            for (int i = 0; i < RUNS; i++) {
                for (Map.Entry<String, String> c : commands.entrySet()) {
                    long t0 = System.nanoTime();
                    lab.exec("sh", "-c", c.getValue());
                    runs.get(c.getKey())[i] = (System.nanoTime() - t0) / 1e6;
                }
            }
            double floor = BenchReport.median(runs.get("floor: cat tables + find every fd link"));
            report.line("");
            for (Map.Entry<String, double[]> r : runs.entrySet()) {
                report.timings(r.getKey(), r.getValue());
                report.line(String.format(Locale.ROOT, "    ÷ floor %.2f", BenchReport.median(r.getValue()) / floor));
            }
            report.write();
        }
    }

    private static String scriptBody() throws Exception {
        try (var in = CollectorScript.class.getResourceAsStream("/collect/collect.sh")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
