package dev.linger.alert;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.linger.InvalidInput;
import dev.linger.TextRules;
import dev.linger.i18n.Text;

/**
 * One alert as another monitoring system sent it, read from its webhook's JSON: Prometheus Alertmanager (payload
 * version 4: {@code {"version":"4","status","alerts":[{"status","labels","annotations","startsAt","endsAt",
 * "generatorURL","fingerprint"}],…}}) or Netdata ({@code {"alert"|"alarm","severity":"warning"|"critical"|"clear",
 * "chart","info","message","date","alert_url"|"alarm_url","node"|"host"|"hostname"}}). Pure: parsing only.
 *
 * @param hostHint what the alert says the host is (Alertmanager's {@code instance} without its port, or its
 *                 {@code host}/{@code hostname}/{@code nodename} label; Netdata's node), matched against host names
 *                 and addresses
 */
public record ReceivedAlert(String source, String fingerprint, boolean firing, String name, String severity,
        Map<String, String> labels, Map<String, String> annotations, String link, String hostHint, Instant startsAt,
        Instant endsAt) {

    public static final String ALERTMANAGER = "ALERTMANAGER";
    public static final String NETDATA = "NETDATA";
    static final int MAX_ALERTS = 500;
    static final int MAX_TEXT = 2000;
    static final int MAX_LABELS = 64;

    /** The label or annotation that names a Linger incident kind ({@code linger_kind="ORPHAN_PRESSURE"}). */
    public static final String KIND_LABEL = "linger_kind";

    /** The summary people read: the annotation {@code summary}, else {@code description}, else Netdata's info. */
    public String summary() {
        String s = annotations.getOrDefault("summary", annotations.get("description"));
        return s == null ? "" : s;
    }

    /** Alertmanager's webhook body, version 4. */
    static List<ReceivedAlert> alertmanager(JsonNode body) {
        if (!body.isObject() || !body.path("alerts").isArray()) {
            throw refused(Text.of("refuse.alertShape", "Alertmanager", "{\"version\":\"4\",\"alerts\":[…]}"));
        }
        String version = body.path("version").asText("");
        if (!version.isEmpty() && !"4".equals(version)) {
            throw refused(Text.of("refuse.alertVersion", version));
        }
        if (body.path("alerts").size() > MAX_ALERTS) {
            throw refused(Text.of("refuse.alertTooMany", (long) MAX_ALERTS));
        }
        List<ReceivedAlert> out = new ArrayList<>();
        for (JsonNode a : body.path("alerts")) {
            if (!a.isObject() || !a.path("labels").isObject()) {
                throw refused(Text.of("refuse.alertShape", "Alertmanager", "{\"labels\":{…},\"status\":…}"));
            }
            Map<String, String> labels = strings(a.path("labels"));
            Map<String, String> annotations = strings(a.path("annotations"));
            String status = a.path("status").asText(body.path("status").asText("firing"));
            if (!"firing".equals(status) && !"resolved".equals(status)) {
                throw refused(Text.of("refuse.alertStatus", clip(status, 40)));
            }
            String fingerprint = a.path("fingerprint").asText("");
            if (fingerprint.isEmpty()) {
                fingerprint = digest(new java.util.TreeMap<>(labels).toString()); // Alertmanager's: a hash of the labels
            }
            out.add(new ReceivedAlert(ALERTMANAGER, clip(fingerprint, 128), "firing".equals(status),
                    labels.getOrDefault("alertname", "alert"), severity(labels.get("severity")), labels, annotations,
                    link(a.path("generatorURL").asText(null)), alertmanagerHost(labels),
                    time(a.path("startsAt").asText(null)), time(a.path("endsAt").asText(null))));
        }
        return out;
    }

    /** Netdata's webhook body: one alert. */
    static List<ReceivedAlert> netdata(JsonNode body) {
        String name = text(body, "alert", "alarm", "name");
        String severity = text(body, "severity", "status");
        if (!body.isObject() || name == null || severity == null) {
            throw refused(Text.of("refuse.alertShape", "Netdata", "{\"alert\",\"severity\",\"chart\",\"node\"}"));
        }
        severity = severity.toLowerCase(Locale.ROOT);
        if (!List.of("warning", "critical", "clear").contains(severity)) {
            throw refused(Text.of("refuse.alertStatus", clip(severity, 40)));
        }
        String host = text(body, "node", "host", "hostname");
        String chart = text(body, "chart", "context");
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alertname", clip(name, MAX_TEXT));
        put(labels, "chart", chart);
        put(labels, "context", text(body, "context"));
        put(labels, "family", text(body, "family"));
        put(labels, "class", text(body, "class"));
        put(labels, "host", host);
        put(labels, KIND_LABEL, text(body, KIND_LABEL));
        Map<String, String> annotations = new LinkedHashMap<>();
        put(annotations, "summary", text(body, "info", "summary", "message"));
        boolean firing = !"clear".equals(severity);
        return List.of(new ReceivedAlert(NETDATA, digest((host == null ? "" : host) + "|" + name + "|"
                + (chart == null ? "" : chart)), firing, clip(name, 200), firing ? severity : null, labels,
                annotations, link(text(body, "alert_url", "alarm_url")), host == null ? null : clip(host, 253),
                time(text(body, "date")), null));
    }

    private static String alertmanagerHost(Map<String, String> labels) {
        String instance = labels.get("instance");
        if (instance != null && !instance.isBlank()) {
            String h = instance.strip();
            if (h.startsWith("[")) { // [2001:db8::1]:9100
                int end = h.indexOf(']');
                return end > 0 ? h.substring(1, end) : h;
            }
            int colon = h.lastIndexOf(':');
            return colon > 0 && h.indexOf(':') == colon ? h.substring(0, colon) : h;
        }
        for (String key : List.of("host", "hostname", "nodename", "node")) {
            if (labels.get(key) != null && !labels.get(key).isBlank()) {
                return labels.get(key).strip();
            }
        }
        return null;
    }

    private static String severity(String s) {
        if (s == null) {
            return null;
        }
        String v = s.strip().toLowerCase(Locale.ROOT);
        return List.of("critical", "page", "error", "high").contains(v) ? "critical" : v.isEmpty() ? null : "warning";
    }

    /** An http(s) link, or null: anything else (javascript:, data:) is not kept to be shown as a link. */
    private static String link(String url) {
        if (url == null || url.isBlank() || url.length() > MAX_TEXT) {
            return null;
        }
        String u = url.strip();
        return (u.startsWith("http://") || u.startsWith("https://")) && !TextRules.hiddenOrBroken(u) ? u : null;
    }

    private static Instant time(String t) {
        if (t == null || t.isBlank() || t.startsWith("0001-01-01")) {
            return null; // Alertmanager's "no end yet"
        }
        try {
            return Instant.parse(t.strip());
        } catch (DateTimeParseException e) {
            try {
                return java.time.OffsetDateTime.parse(t.strip()).toInstant();
            } catch (DateTimeParseException again) {
                return null;
            }
        }
    }

    private static Map<String, String> strings(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!node.isObject()) {
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext() && out.size() < MAX_LABELS;) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                out.put(clip(e.getKey(), 100), clip(e.getValue().asText(), MAX_TEXT));
            }
        }
        return out;
    }

    private static String text(JsonNode body, String... keys) {
        for (String k : keys) {
            JsonNode v = body.path(k);
            if (v.isValueNode() && !v.isNull() && !v.asText().isBlank()) {
                return clip(v.asText().strip(), MAX_TEXT);
            }
        }
        return null;
    }

    private static void put(Map<String, String> m, String key, String value) {
        if (value != null) {
            m.put(key, value);
        }
    }

    /** Cut to {@code max} characters, with control characters (but tabs and newlines) dropped. */
    static String clip(String s, int max) {
        String clean = s.codePoints().filter(c -> c >= 0x20 && c != 0x7f || c == '\n' || c == '\t')
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return clean.length() > max ? clean.substring(0, max) : clean;
    }

    private static String digest(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(
                    StandardCharsets.UTF_8))).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static InvalidInput refused(Text why) {
        return InvalidInput.of("body", why);
    }
}
