package dev.linger;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Input a person can correct: each field's problem in words. Thrown before anything is
 * stored; pages re-render the form with these messages, the API answers 400 or 409.
 */
public class InvalidInput extends RuntimeException {

    private final Map<String, String> fields;
    private final boolean conflict;

    private InvalidInput(Map<String, String> fields, boolean conflict) {
        super(String.join("; ", fields.values()));
        this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        this.conflict = conflict;
    }

    public static InvalidInput of(Map<String, String> fields) {
        return new InvalidInput(fields, false);
    }

    /** The input is valid on its own but clashes with what is stored (e.g. a taken user name). */
    public static InvalidInput conflict(String field, String message) {
        return new InvalidInput(Map.of(field, message), true);
    }

    public Map<String, String> fields() {
        return fields;
    }

    public boolean isConflict() {
        return conflict;
    }
}
