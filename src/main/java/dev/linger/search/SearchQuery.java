package dev.linger.search;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.linger.InvalidInput;
import dev.linger.i18n.Text;
import dev.linger.incident.IncidentKind;

/**
 * What a person typed in the search box, read: {@code host:web-1 container:shop port:9080 kind:CLOSE_WAIT_LEAK
 * process:java} and any other words (each must appear somewhere, case-insensitively), with an optional time span.
 * Pure: parsing and checking only.
 */
public record SearchQuery(String host, String container, Integer port, String kind, String process, List<String> words,
        Instant from, Instant to) {

    static final int MAX_LENGTH = 300;

    public boolean empty() {
        return host == null && container == null && port == null && kind == null && process == null
                && words.isEmpty() && from == null && to == null;
    }

    public static SearchQuery parse(String q, String from, String to) {
        String text = q == null ? "" : q.strip();
        if (text.length() > MAX_LENGTH || text.chars().anyMatch(c -> c < 0x20)) {
            throw InvalidInput.of("q", Text.of("refuse.searchLong", (long) MAX_LENGTH));
        }
        Map<String, String> keyed = new LinkedHashMap<>();
        List<String> words = new ArrayList<>();
        for (String token : text.isEmpty() ? new String[0] : text.split("\\s+")) {
            int colon = token.indexOf(':');
            String key = colon > 0 ? token.substring(0, colon).toLowerCase(Locale.ROOT) : "";
            if (List.of("host", "container", "port", "kind", "process").contains(key) && colon < token.length() - 1) {
                keyed.put(key, token.substring(colon + 1));
            } else {
                words.add(token);
            }
        }
        Integer port = null;
        if (keyed.containsKey("port")) {
            try {
                port = Integer.valueOf(keyed.get("port"));
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 0 || port > 65535) {
                throw InvalidInput.of("q", Text.of("refuse.portRange"));
            }
        }
        String kind = keyed.get("kind");
        if (kind != null) {
            String k = kind.toUpperCase(Locale.ROOT).replace('-', '_');
            try {
                kind = IncidentKind.valueOf(k).name();
            } catch (IllegalArgumentException e) {
                throw InvalidInput.of("q", Text.of("refuse.silenceKind", kind));
            }
        }
        Instant start = time("from", from, false);
        Instant end = time("to", to, true);
        if (start != null && end != null && !end.isAfter(start)) {
            throw InvalidInput.of("to", Text.of("refuse.searchSpan"));
        }
        return new SearchQuery(keyed.get("host"), keyed.get("container"), port, kind, keyed.get("process"),
                List.copyOf(words), start, end);
    }

    /** A date (2026-12-05: its start, or for {@code to} its end) or an instant (2026-12-05T02:14:07Z), in UTC. */
    public static Instant time(String field, String value, boolean end) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        try {
            if (v.length() == 10) {
                LocalDate d = LocalDate.parse(v);
                return (end ? d.plusDays(1) : d).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw InvalidInput.of(field, Text.of("refuse.searchTime", v.length() > 40 ? v.substring(0, 40) : v));
        }
    }

    /** A LIKE pattern that finds {@code s} anywhere, its own % and _ taken literally. */
    static String like(String s) {
        return "%" + s.toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
