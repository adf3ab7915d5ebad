package dev.linger.runbook;

import java.util.Map;

/**
 * The values a step's fields are rendered with: the job's parameters (already checked against
 * their types) and the sysctl values the job recorded before changing them. Unbound references
 * render as their placeholder, e.g. {@code {port}}, which is how a runbook page shows commands.
 */
public record Bindings(Map<String, String> params, Map<String, String> recorded) {

    public static final Bindings NONE = new Bindings(Map.of(), Map.of());

    public Bindings {
        params = Map.copyOf(params);
        recorded = Map.copyOf(recorded);
    }

    public static Bindings of(Map<String, String> params) {
        return new Bindings(params, Map.of());
    }

    /** A field's value: a literal, a bound parameter, or the placeholder of an unbound one. */
    public Resolved resolve(String field) {
        String name = Param.refName(field);
        if (name == null) {
            return new Resolved(field, false);
        }
        String value = params.get(name);
        return value == null ? new Resolved(Param.ref(name), true) : new Resolved(value, false);
    }

    /** {@code placeholder}: the text is a {@code {name}} to show, not a value to run. */
    public record Resolved(String text, boolean placeholder) {
    }
}
