package dev.linger.host;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.linger.collect.CollectorOutput;
import dev.linger.collect.SnapshotStore;
import dev.linger.i18n.Catalogue;
import dev.linger.i18n.Text;

/**
 * Socket states over time as an SVG line chart, rendered on the server so it reads without
 * JavaScript. One line per (port, state) for the few series that matter most: the notable states
 * (LISTEN, ESTAB and TIME-WAIT are left out), ranked by their peak.
 */
public final class StateChart {

    static final int MAX_SERIES = 6;
    static final Set<String> QUIET = Set.of("LISTEN", "ESTAB", "TIME-WAIT");
    /** Colour-blind-safe palette (Okabe-Ito), dark enough on white. */
    private static final String[] COLOURS = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8a6d00", "#56B4E9"};
    private static final DateTimeFormatter HHMM = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

    /** A drawn series, also listed in the legend and in the table that stands in for the picture. */
    public record Series(String label, int port, boolean remote, String state, String colour, long latest, long peak) {
    }

    public record Chart(String svg, List<Series> series, boolean empty) {
    }

    private StateChart() {
    }

    /** One chart of every namespace together, in English. */
    public static Chart render(List<SnapshotStore.StatesAt> points, int width, int height) {
        return render(points, width, height, java.util.Locale.ENGLISH);
    }

    /** One chart of every namespace together; its title and legend in {@code locale}. */
    public static Chart render(List<SnapshotStore.StatesAt> points, int width, int height, java.util.Locale locale) {
        Map<Key, long[]> values = new LinkedHashMap<>();
        for (int i = 0; i < points.size(); i++) {
            for (CollectorOutput.StateCount c : points.get(i).states()) {
                add(values, c, i, points.size());
            }
        }
        return draw(points, values, width, height, "chart-title", locale);
    }

    /**
     * One chart per namespace key asked for, read in one pass over the points (a node may count hundreds of
     * namespaces at each point). Each chart's title has an id of its own, so several fit on one page.
     */
    public static Map<Long, Chart> renderEach(List<SnapshotStore.StatesAt> points, List<Long> keys, int width,
            int height, java.util.Locale locale) {
        Map<Long, Map<Key, long[]>> values = new HashMap<>();
        keys.forEach(k -> values.put(k, new LinkedHashMap<>()));
        for (int i = 0; i < points.size(); i++) {
            for (CollectorOutput.StateCount c : points.get(i).states()) {
                Map<Key, long[]> mine = values.get(c.netns());
                if (mine != null) {
                    add(mine, c, i, points.size());
                }
            }
        }
        Map<Long, Chart> charts = new HashMap<>();
        keys.forEach(k -> charts.put(k, draw(points, values.get(k), width, height,
                k == dev.linger.collect.NetNamespace.HOST_KEY ? "chart-title" : "chart-title-" + k, locale)));
        return charts;
    }

    /** A series: its port, side and kernel state (the legend says them in words of the page's language). */
    private record Key(int port, boolean remote, String state) implements Comparable<Key> {
        public int compareTo(Key o) {
            return Comparator.comparingInt(Key::port).thenComparing(Key::remote).thenComparing(Key::state).compare(this, o);
        }
    }

    private static void add(Map<Key, long[]> values, CollectorOutput.StateCount c, int i, int size) {
        if (QUIET.contains(c.state())) {
            return;
        }
        Key key = new Key(c.port(), c.remote(), c.state());
        values.computeIfAbsent(key, k -> new long[size])[i] += c.count();
    }

    private static String say(java.util.Locale locale, String key, Object... args) {
        return Catalogue.render(Text.of(key, args), locale);
    }

    private static Chart draw(List<SnapshotStore.StatesAt> points, Map<Key, long[]> values, int width, int height,
            String titleId, java.util.Locale locale) {
        Map<Key, Long> peaks = new HashMap<>();
        values.forEach((k, v) -> peaks.put(k, java.util.Arrays.stream(v).max().orElse(0)));
        List<Key> chosen = values.keySet().stream()
                .sorted(Comparator.comparing((Key k) -> peaks.get(k)).reversed().thenComparing(k -> k))
                .limit(MAX_SERIES).toList();
        if (points.isEmpty() || chosen.isEmpty()) {
            return new Chart("", List.of(), true);
        }
        long peak = Math.max(1, chosen.stream().mapToLong(peaks::get).max().orElse(1));
        long max = (peak + 3) / 4 * 4; // four grid steps of a whole number of sockets each
        int left = 56, right = 12, top = 12, bottom = 28;
        double plotW = width - left - right, plotH = height - top - bottom;
        Instant first = points.get(0).takenAt(), last = points.get(points.size() - 1).takenAt();
        double span = Math.max(1, Duration.between(first, last).toMillis());

        StringBuilder svg = new StringBuilder();
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 ").append(width).append(' ')
                .append(height).append("\" role=\"img\" aria-labelledby=\"").append(titleId).append("\">")
                .append("<title id=\"").append(titleId).append("\">")
                .append(escape(say(locale, "label.chartTitle", HHMM.format(first), HHMM.format(last)))).append("</title>");
        for (int g = 0; g <= 4; g++) {
            double y = top + plotH - plotH * g / 4;
            long v = max * g / 4;
            svg.append(String.format(java.util.Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"grid\"/><text x=\"%d\" y=\"%.1f\" class=\"axis\" text-anchor=\"end\">%d</text>",
                    left, y, left + plotW, y, left - 6, y + 4, v));
        }
        svg.append(String.format(java.util.Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" class=\"axis\">%s</text><text x=\"%.1f\" y=\"%d\" class=\"axis\" text-anchor=\"end\">%s</text>",
                left, height - 8, HHMM.format(first), left + plotW, height - 8,
                escape(say(locale, "label.chartTimeUtc", HHMM.format(last)))));
        List<Series> legend = new ArrayList<>();
        for (int s = 0; s < chosen.size(); s++) {
            Key key = chosen.get(s);
            String label = say(locale, "label.chartSeries", (long) key.port(), key.remote(), key.state());
            long[] v = values.get(key);
            String colour = COLOURS[s % COLOURS.length];
            StringBuilder path = new StringBuilder();
            for (int i = 0; i < points.size(); i++) {
                double x = left + plotW * Duration.between(first, points.get(i).takenAt()).toMillis() / span;
                double y = top + plotH - plotH * v[i] / max;
                path.append(path.length() == 0 ? "" : " ").append(String.format(java.util.Locale.ROOT, "%.1f,%.1f", x, y));
            }
            svg.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(colour).append("\" points=\"")
                    .append(path).append("\"><title>").append(escape(label)).append("</title></polyline>");
            legend.add(new Series(label, key.port(), key.remote(), key.state(), colour, v[v.length - 1], peaks.get(key)));
        }
        svg.append("</svg>");
        return new Chart(svg.toString(), legend, false);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
