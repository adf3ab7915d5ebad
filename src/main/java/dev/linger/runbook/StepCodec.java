package dev.linger.runbook;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import dev.linger.InvalidInput;
import dev.linger.i18n.Text;
import dev.linger.TextRules;

/**
 * Builds steps from their fields as a form or a JSON body gives them, checking every field.
 * A refusal names each bad field (prefixed, e.g. {@code steps[2].value}) in plain words.
 */
public final class StepCodec {

    static final Pattern FILE = Pattern.compile("[0-9]{2}-[a-z0-9][a-z0-9._-]{0,60}\\.conf");
    static final int MAX_TEXT = 2000;
    static final int MAX_COMMAND = 4000;
    static final int MAX_ENTRIES = 20;

    private StepCodec() {
    }

    /**
     * @param type   the step type as written (case-insensitive)
     * @param fields field values; numbers may come as numbers and PERSIST_SYSCTL's entries as a map
     * @param prefix put before each field name in the refusal, e.g. {@code steps[2].}
     */
    public static Step parse(String type, Map<String, ?> fields, String prefix) {
        StepType t;
        try {
            t = StepType.valueOf(type == null ? "" : type.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw InvalidInput.of(prefix + "type", Text.of("refuse.stepTypeOne",
                    java.util.Arrays.toString(StepType.values())));
        }
        Reader r = new Reader(fields, prefix);
        Step step = switch (t) {
            case READ_SYSCTL -> new Step.ReadSysctl(r.key());
            case SET_SYSCTL -> {
                String key = r.key();
                yield new Step.SetSysctl(key, r.sysctlValue("value", key));
            }
            case RESTORE_SYSCTL -> new Step.RestoreSysctl(r.key());
            case PERSIST_SYSCTL -> new Step.PersistSysctl(r.file(), r.entries());
            case WAIT_SOCKETS -> {
                TcpState state = r.state(false);
                String port = r.ref("port", Param.Type.PORT);
                int atMost = r.number("atMost", 0, 0, 1_000_000, Text.of("refuse.atMost"));
                int poll = r.number("pollSeconds", 2, 1, 60, Text.of("refuse.pollSeconds"));
                int timeout = r.number("timeoutSeconds", 300, 1, 3600, Text.of("refuse.timeoutSeconds"));
                if (poll > timeout && !r.problems.containsKey(prefix + "pollSeconds")) {
                    r.problems.put(prefix + "pollSeconds", Text.of("refuse.pollLongerThanTimeout"));
                }
                yield new Step.WaitSockets(state, port, atMost, poll, timeout);
            }
            case KILL_SOCKETS -> new Step.KillSockets(r.state(true), r.ref("port", Param.Type.PORT));
            case SIGNAL_PROCESS -> new Step.SignalProcess(r.ref("pid", Param.Type.PID), r.signal());
            case VERIFY -> new Step.Verify(r.number("settleSeconds", 0, 0, 600, Text.of("refuse.settleSeconds")));
            case NOTE -> new Step.Note(r.text("text", MAX_TEXT, Text.of("refuse.noteEmpty")));
            case SHELL -> new Step.FreeShell(r.text("command", MAX_COMMAND, Text.of("refuse.commandEmpty")));
        };
        if (!r.problems.isEmpty()) {
            throw InvalidInput.of(r.problems);
        }
        return step;
    }

    /** Field values as their text, whatever JSON type they came as. */
    private static final class Reader {
        final Map<String, ?> fields;
        final String prefix;
        final Map<String, Text> problems = new LinkedHashMap<>();

        Reader(Map<String, ?> fields, String prefix) {
            this.fields = fields == null ? Map.of() : fields;
            this.prefix = prefix;
        }

        String raw(String name) {
            Object v = fields.get(name);
            return v == null ? null : String.valueOf(v).strip();
        }

        void problem(String name, Text message) {
            problems.putIfAbsent(prefix + name, message);
        }

        String key() {
            String key = SysctlRules.normalizeKey(raw("key"));
            Text p = SysctlRules.keyProblem(key);
            if (p != null) {
                problem("key", p);
            }
            return key;
        }

        String sysctlValue(String name, String key) {
            String v = raw(name);
            String ref = Param.refName(v);
            if (ref != null) {
                return refChecked(name, ref);
            }
            Text p = SysctlRules.valueProblem(key, v);
            if (p != null) {
                problem(name, p);
                return v;
            }
            return SysctlRules.normalizeValue(v);
        }

        String refChecked(String name, String ref) {
            if (!Param.NAME.matcher(ref).matches()) {
                problem(name, Text.of("refuse.refForm", "{port}"));
            }
            return Param.ref(ref);
        }

        /** A literal of the type, or a {param} reference (its type is checked against the runbook's params). */
        String ref(String name, Param.Type type) {
            String v = raw(name);
            String ref = Param.refName(v);
            if (ref != null) {
                return refChecked(name, ref);
            }
            Text p = type.problem(v);
            if (p != null) {
                problem(name, p);
                return v;
            }
            return String.valueOf(Long.parseLong(v));
        }

        String file() {
            String f = raw("file");
            if (f != null && f.startsWith(Step.SYSCTL_D)) {
                f = f.substring(Step.SYSCTL_D.length());
            }
            if (f == null || !FILE.matcher(f).matches()) {
                problem("file", Text.of("refuse.fileForm"));
            }
            return f;
        }

        Map<String, String> entries() {
            Object v = fields.get("entries");
            Map<String, String> raw = new LinkedHashMap<>();
            if (v instanceof Map<?, ?> m) {
                m.forEach((k, val) -> raw.put(String.valueOf(k), val == null ? null : String.valueOf(val)));
            } else if (v != null) {
                for (String line : String.valueOf(v).split("\n")) {
                    String l = line.strip();
                    if (l.isEmpty() || l.startsWith("#") || l.startsWith(";")) {
                        continue;
                    }
                    int eq = l.indexOf('=');
                    if (eq < 0) {
                        problem("entries", Text.of("refuse.entryLine", SysctlRules.abbreviate(l)));
                        return Map.of();
                    }
                    String k = l.substring(0, eq).strip();
                    if (raw.containsKey(k)) {
                        problem("entries", Text.of("refuse.entryTwice", k));
                    }
                    raw.put(k, l.substring(eq + 1).strip());
                }
            }
            if (raw.isEmpty()) {
                problem("entries", Text.of("refuse.entriesNone"));
            } else if (raw.size() > MAX_ENTRIES) {
                problem("entries", Text.of("refuse.entriesMany", MAX_ENTRIES));
            }
            Map<String, String> out = new LinkedHashMap<>();
            raw.forEach((k, val) -> {
                String key = SysctlRules.normalizeKey(k);
                Text p = SysctlRules.keyProblem(key);
                if (p != null) {
                    problem("entries", p);
                    return;
                }
                String ref = Param.refName(val);
                if (ref != null) {
                    out.put(key, refChecked("entries", ref));
                    return;
                }
                Text vp = SysctlRules.valueProblem(key, val);
                if (vp != null) {
                    problem("entries", vp);
                    return;
                }
                out.put(key, SysctlRules.normalizeValue(val));
            });
            return out;
        }

        TcpState state(boolean forKill) {
            String v = raw("state");
            TcpState s = TcpState.parse(v).orElse(null);
            if (s == null) {
                problem("state", Text.of("refuse.stateOne", java.util.Arrays.toString(TcpState.values())));
                return TcpState.CLOSE_WAIT;
            }
            if (forKill && s == TcpState.LISTEN) {
                problem("state", Text.of("refuse.noKillListen"));
            }
            return s;
        }

        int number(String name, int dflt, int min, int max, Text message) {
            String v = raw(name);
            if (v == null || v.isEmpty()) {
                return dflt;
            }
            try {
                int n = Integer.parseInt(v);
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            problem(name, message);
            return dflt;
        }

        String signal() {
            String v = raw("signal");
            if (v == null || v.isEmpty()) {
                return "TERM";
            }
            String s = v.toUpperCase(Locale.ROOT);
            if (s.startsWith("-")) {
                s = s.substring(1);
            }
            if (s.startsWith("SIG")) {
                s = s.substring(3);
            }
            s = switch (s) {
                case "1" -> "HUP";
                case "2" -> "INT";
                case "3" -> "QUIT";
                case "9" -> "KILL";
                case "15" -> "TERM";
                default -> s;
            };
            if (!Step.SignalProcess.SIGNALS.contains(s)) {
                problem("signal", Text.of("refuse.signalOne", String.valueOf(Step.SignalProcess.SIGNALS)));
                return "TERM";
            }
            return s;
        }

        String text(String name, int max, Text empty) {
            String v = raw(name);
            if (v == null || v.isEmpty()) {
                problem(name, empty);
                return "";
            }
            String t = v.replace("\r\n", "\n");
            if (t.length() > max) {
                problem(name, Text.of("refuse.textLong", max));
            } else if (t.chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\t' || c == 0x7f)) {
                problem(name, Text.of("refuse.textControl"));
            } else if (TextRules.hiddenOrBroken(t)) {
                problem(name, TextRules.HIDDEN_OR_BROKEN);
            }
            return t;
        }
    }
}
