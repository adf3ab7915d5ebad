package dev.linger.runbook;

import java.util.List;

import dev.linger.i18n.Text;

/** The kinds of step a runbook is made of, each with the fields a person fills in. */
public enum StepType {
    READ_SYSCTL(List.of(Field.KEY)),
    SET_SYSCTL(List.of(Field.KEY, Field.VALUE)),
    RESTORE_SYSCTL(List.of(Field.KEY)),
    PERSIST_SYSCTL(List.of(Field.FILE, Field.ENTRIES)),
    WAIT_SOCKETS(List.of(Field.STATE, Field.PORT, Field.AT_MOST, Field.POLL_SECONDS, Field.TIMEOUT_SECONDS)),
    KILL_SOCKETS(List.of(Field.STATE, Field.PORT)),
    SIGNAL_PROCESS(List.of(Field.PID, Field.SIGNAL)),
    VERIFY(List.of(Field.SETTLE_SECONDS)),
    NOTE(List.of(Field.TEXT)),
    SHELL(List.of(Field.COMMAND));

    private final List<Field> fields;

    StepType(List<Field> fields) {
        this.fields = fields;
    }

    /** The type's name for people ({@code step.type}). */
    public Text title() {
        return Text.of("step.type", name());
    }

    public List<Field> fields() {
        return fields;
    }

    /** A step field: its name in JSON and forms, and how a form asks for it; its label is a message. */
    public enum Field {
        KEY("key", "text"),
        VALUE("value", "text"),
        FILE("file", "text"),
        ENTRIES("entries", "textarea"),
        STATE("state", "state"),
        PORT("port", "text"),
        AT_MOST("atMost", "number"),
        POLL_SECONDS("pollSeconds", "number"),
        TIMEOUT_SECONDS("timeoutSeconds", "number"),
        PID("pid", "text"),
        SIGNAL("signal", "signal"),
        SETTLE_SECONDS("settleSeconds", "number"),
        TEXT("text", "textarea"),
        COMMAND("command", "textarea");

        private final String id;
        private final String input;

        Field(String id, String input) {
            this.id = id;
            this.input = input;
        }

        public String id() {
            return id;
        }

        /** The field's label for people ({@code step.field}). */
        public Text label() {
            return Text.of("step.field", name());
        }

        /** text, number, textarea, state or signal (the last two are selects). */
        public String input() {
            return input;
        }
    }
}
