package dev.linger.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Collects timings, prints them and writes them under target/benchmarks/ for docs/benchmarks.md. */
final class BenchReport {

    private final String name;
    private final List<String> lines = new ArrayList<>();

    BenchReport(String name) {
        this.name = name;
        line("# " + name + " — " + java.time.Instant.now() + ", " + Runtime.getRuntime().availableProcessors()
                + " cores, " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    }

    void line(String text) {
        lines.add(text);
        System.out.println("[bench] " + text);
    }

    /** "label: median X ms (min .., max .., n runs)". */
    void timings(String label, double[] millis) {
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        line(String.format(Locale.ROOT, "%-58s median %8.1f ms   min %8.1f   max %8.1f   (%d runs)", label,
                median(sorted), sorted[0], sorted[sorted.length - 1], sorted.length));
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    void write() {
        try {
            Path dir = Path.of("target", "benchmarks");
            Files.createDirectories(dir);
            Files.write(dir.resolve(name + ".txt"), lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
