package dev.linger.runbook;

import java.util.List;

/** The kinds of step a runbook is made of, each with the fields a person fills in. */
public enum StepType {
    READ_SYSCTL("Read a sysctl", List.of(Field.KEY)),
    SET_SYSCTL("Set a sysctl (runtime)", List.of(Field.KEY, Field.VALUE)),
    RESTORE_SYSCTL("Restore a sysctl to its recorded value", List.of(Field.KEY)),
    PERSIST_SYSCTL("Persist sysctls in /etc/sysctl.d", List.of(Field.FILE, Field.ENTRIES)),
    WAIT_SOCKETS("Wait for a port's sockets to drain",
            List.of(Field.STATE, Field.PORT, Field.AT_MOST, Field.POLL_SECONDS, Field.TIMEOUT_SECONDS)),
    KILL_SOCKETS("Kill one port's sockets (ss -K)", List.of(Field.STATE, Field.PORT)),
    SIGNAL_PROCESS("Signal a process", List.of(Field.PID, Field.SIGNAL)),
    VERIFY("Collect again and verify", List.of(Field.SETTLE_SECONDS)),
    NOTE("Manual instruction", List.of(Field.TEXT)),
    SHELL("Free shell command (CRITICAL runbooks only)", List.of(Field.COMMAND));

    private final String title;
    private final List<Field> fields;

    StepType(String title, List<Field> fields) {
        this.title = title;
        this.fields = fields;
    }

    public String title() {
        return title;
    }

    public List<Field> fields() {
        return fields;
    }

    /** A step field: its name in JSON and forms, its label, and how a form asks for it. */
    public enum Field {
        KEY("key", "Sysctl key", "text"),
        VALUE("value", "Value", "text"),
        FILE("file", "File in /etc/sysctl.d", "text"),
        ENTRIES("entries", "Lines (key = value)", "textarea"),
        STATE("state", "TCP state", "state"),
        PORT("port", "Local port", "text"),
        AT_MOST("atMost", "Until at most", "number"),
        POLL_SECONDS("pollSeconds", "Check every (s)", "number"),
        TIMEOUT_SECONDS("timeoutSeconds", "Give up after (s)", "number"),
        PID("pid", "Process id", "text"),
        SIGNAL("signal", "Signal", "signal"),
        SETTLE_SECONDS("settleSeconds", "Wait before collecting (s)", "number"),
        TEXT("text", "Instruction", "textarea"),
        COMMAND("command", "Command", "textarea");

        private final String id;
        private final String label;
        private final String input;

        Field(String id, String label, String input) {
            this.id = id;
            this.label = label;
            this.input = input;
        }

        public String id() {
            return id;
        }

        public String label() {
            return label;
        }

        /** text, number, textarea, state or signal (the last two are selects). */
        public String input() {
            return input;
        }
    }
}
