package dev.linger.runbook;

import java.util.regex.Pattern;
import dev.linger.i18n.Text;

/**
 * A value a runbook asks for when a job is proposed, e.g. the port. Steps refer to it as
 * {@code {name}}; every value is checked against its type before it is put into a command, so a
 * parameter can only ever be a number.
 *
 * @param from where a job proposed from an incident takes the value (null: a person enters it)
 */
public record Param(String name, Type type, String label, String defaultValue, Source from) {

    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,31}");

    public enum Type {
        /** A TCP port, 1 to 65535. */
        PORT(1, 65535),
        /** A process id; 1 (init) is never a valid target. */
        PID(2, 4_194_304),
        /** A whole number; a sysctl step checks it again against its key's range. */
        INTEGER(Integer.MIN_VALUE, Long.MAX_VALUE);

        final long min;
        final long max;

        Type(long min, long max) {
            this.min = min;
            this.max = max;
        }

        /** Null when {@code value} fits this type, otherwise the problem in words. */
        public Text problem(String value) {
            if (value == null || value.isBlank()) {
                return Text.of("refuse.valueMissing");
            }
            String v = value.strip();
            if (!v.matches("-?\\d{1,19}")) {
                return Text.of("refuse.notWholeNumber", SysctlRules.abbreviate(v));
            }
            long n;
            try {
                n = Long.parseLong(v);
            } catch (NumberFormatException e) {
                return Text.of("refuse.tooLarge", SysctlRules.abbreviate(v));
            }
            if (n < min || n > max) {
                return switch (this) {
                    case PORT -> Text.of("refuse.portRange");
                    case PID -> Text.of("refuse.pidRange");
                    case INTEGER -> Text.of("refuse.numberRange");
                };
            }
            return null;
        }
    }

    /** Evidence a job proposed from an incident fills the value from. */
    public enum Source {
        /** The incident's port. */
        INCIDENT_PORT,
        /** The process that holds the incident's sockets. */
        OWNER_PID,
        /** That process's parent. */
        OWNER_PARENT_PID
    }

    /** How a step field refers to a parameter. */
    public static String ref(String name) {
        return "{" + name + "}";
    }

    /** The parameter name in a field value like {@code {port}}, or null when the value is a literal. */
    public static String refName(String fieldValue) {
        if (fieldValue == null) {
            return null;
        }
        String v = fieldValue.strip();
        if (v.length() > 2 && v.startsWith("{") && v.endsWith("}")) {
            return v.substring(1, v.length() - 1).strip();
        }
        return null;
    }
}
