package dev.linger.i18n;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A fact to be said, not yet said in any language: a message key of the {@link Catalogue} ({@code bundle.method},
 * e.g. {@code run.stepFailed}) and its typed arguments. What Linger records (outcomes, refusals, explanations,
 * timelines) is stored as a Text in jsonb; words are chosen at the edge with {@link Catalogue#render}.
 * <p>Arguments are {@link String} (names, commands, values as the kernel spells them), {@link Long} (every whole
 * number), {@link Double}, {@link Boolean}, a nested {@code Text}, or a {@link List} of Texts (rendered joined by the
 * language's list separator). {@link #of} checks the key and the arguments against the message's parameters, so a
 * typo fails where the fact is made, not on a page.
 */
public record Text(@JsonProperty("key") String key, @JsonProperty("args") List<Object> args) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public Text {
        args = List.copyOf(normalized(args == null ? List.of() : args));
    }

    /** The message {@code key} with these arguments, checked against the catalogue. */
    public static Text of(String key, Object... args) {
        Text text = new Text(key, Arrays.asList(args));
        Catalogue.check(text);
        return text;
    }

    /** As stored: {@code {"key":"run.stepFailed","args":[3,{"key":…,"args":[…]}]}}. */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Back from jsonb; null for SQL NULL. Not checked against the catalogue: an old row renders even if a key went. */
    public static Text fromJson(String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readValue(json, Text.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a stored text: " + json, e);
        }
    }

    @JsonCreator
    static Text json(@JsonProperty("key") String key, @JsonProperty("args") List<Object> args) {
        return new Text(key, args);
    }

    /** Integers become Long, maps with a key become Texts, lists keep their order: one Java type per JSON value. */
    private static List<Object> normalized(List<Object> args) {
        List<Object> out = new ArrayList<>(args.size());
        for (Object a : args) {
            out.add(normalized(a));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object normalized(Object a) {
        if (a == null) {
            throw new IllegalArgumentException("a text argument is never null; say what is missing with a message");
        }
        if (a instanceof Integer || a instanceof Short || a instanceof Byte) {
            return ((Number) a).longValue();
        }
        if (a instanceof Float) {
            return ((Float) a).doubleValue();
        }
        if (a instanceof Long || a instanceof Double || a instanceof String || a instanceof Boolean || a instanceof Text) {
            return a;
        }
        if (a instanceof Enum<?> e) {
            return e.name();
        }
        if (a instanceof Map<?, ?> m && m.get("key") instanceof String k) {
            Object inner = m.get("args");
            return new Text(k, inner == null ? List.of() : (List<Object>) inner);
        }
        if (a instanceof List<?> list) {
            return List.copyOf(normalized((List<Object>) list));
        }
        throw new IllegalArgumentException("a text argument is a string, number, boolean, text or list of texts, not "
                + a.getClass().getName());
    }
}
