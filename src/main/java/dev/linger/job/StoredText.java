package dev.linger.job;

import java.util.List;
import java.util.Map;

import dev.linger.i18n.Text;

/**
 * A job text as it comes back from wherever it was kept: a {@link Text}, its jsonb form read as a map
 * ({@code {"key":…,"args":[…]}}), or words from code or rows that still hold a sentence (said verbatim, key
 * {@code run.verbatim}). Null stays null.
 */
final class StoredText {

    private StoredText() {
    }

    @SuppressWarnings("unchecked")
    static Text of(Object stored) {
        if (stored == null) {
            return null;
        }
        if (stored instanceof Text t) {
            return t;
        }
        if (stored instanceof Map<?, ?> m && m.get("key") instanceof String key) {
            Object args = m.get("args");
            return new Text(key, args instanceof List<?> l ? (List<Object>) l : List.of());
        }
        return Text.of("run.verbatim", String.valueOf(stored));
    }

    /** Each of a stored list, as {@link #of}. */
    static List<Text> list(Object stored) {
        return stored instanceof List<?> l ? l.stream().map(StoredText::of).toList() : List.of();
    }
}
