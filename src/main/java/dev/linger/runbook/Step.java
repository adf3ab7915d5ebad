package dev.linger.runbook;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.linger.i18n.Text;
import dev.linger.transport.Shell;
import dev.linger.i18n.Text;

/**
 * One typed step of a runbook. Each kind holds checked fields only (built by {@link StepCodec}),
 * renders the exact command it runs with every value quoted, says what it changes, and whether
 * and how it can be undone. Values that come from parameters are numbers by their type.
 */
public sealed interface Step {

    String SYSCTL_D = "/etc/sysctl.d/";

    StepType type();

    /** The fields as text, in the order of {@link StepType#fields()}. */
    Map<String, String> fields();

    /** The command Linger runs on the host, or null for steps Linger does itself or a person does. */
    String command(Bindings b);

    /** What the step changes on the host, as a fact to say in the reader's language ({@code step.changes…}). */
    Text changes(Bindings b);

    Undo undo();

    /** Parameter names the fields refer to. */
    default Set<String> paramRefs() {
        return fields().values().stream().map(Param::refName).filter(java.util.Objects::nonNull)
                .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    }

    /** Problems that only show once parameters are bound (a bound value out of a sysctl's range). */
    default Map<String, Text> boundProblems(Bindings b) {
        return Map.of();
    }

    /** How a step is undone when its job is rolled back; {@code how} is a {@code step.undo…} message. */
    record Undo(Kind kind, Text how) {
        public enum Kind {
            /** The step changes nothing. */
            NOTHING_TO_UNDO,
            /** Linger undoes it from what the job recorded. */
            AUTOMATIC,
            /** It cannot be undone. */
            IRREVERSIBLE,
            /** A person undoes it by hand. */
            MANUAL
        }
    }

    record ReadSysctl(String key) implements Step {
        public StepType type() {
            return StepType.READ_SYSCTL;
        }

        public Map<String, String> fields() {
            return Map.of("key", key);
        }

        public String command(Bindings b) {
            return "sysctl -n " + Shell.word(key);
        }

        public Text changes(Bindings b) {
            return Text.of("step.changesReadSysctl");
        }

        public Undo undo() {
            return new Undo(Undo.Kind.NOTHING_TO_UNDO, Text.of("step.undoReadSysctl"));
        }
    }

    record SetSysctl(String key, String value) implements Step {
        public StepType type() {
            return StepType.SET_SYSCTL;
        }

        public Map<String, String> fields() {
            return ordered("key", key, "value", value);
        }

        public String command(Bindings b) {
            Bindings.Resolved v = b.resolve(value);
            return "sysctl -w " + (v.placeholder() ? key + "=" + v.text() : Shell.word(key + "=" + v.text()));
        }

        public Text changes(Bindings b) {
            return Text.of("step.changesSetSysctl", key, b.resolve(value).text(), global(key));
        }

        public Undo undo() {
            return new Undo(Undo.Kind.AUTOMATIC, Text.of("step.undoSetSysctl", key));
        }

        public Map<String, Text> boundProblems(Bindings b) {
            return rangeProblem("value", key, b.resolve(value));
        }
    }

    record RestoreSysctl(String key) implements Step {
        public StepType type() {
            return StepType.RESTORE_SYSCTL;
        }

        public Map<String, String> fields() {
            return Map.of("key", key);
        }

        public String command(Bindings b) {
            String recorded = b.recorded().get(key);
            return "sysctl -w " + (recorded == null ? key + "=<recorded value>" : Shell.word(key + "=" + recorded));
        }

        public Text changes(Bindings b) {
            return Text.of("step.changesRestoreSysctl", key);
        }

        public Undo undo() {
            return new Undo(Undo.Kind.NOTHING_TO_UNDO, Text.of("step.undoRestoreSysctl", key));
        }
    }

    /** @param file a bare file name such as {@code 90-linger-keepalive.conf}, always under /etc/sysctl.d */
    record PersistSysctl(String file, Map<String, String> entries) implements Step {
        public PersistSysctl {
            entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        public StepType type() {
            return StepType.PERSIST_SYSCTL;
        }

        public Map<String, String> fields() {
            return ordered("file", file, "entries", entries.entrySet().stream()
                    .map(e -> e.getKey() + " = " + e.getValue()).collect(Collectors.joining("\n")));
        }

        public String command(Bindings b) {
            String path = SYSCTL_D + file;
            String lines = entries.entrySet().stream()
                    .map(e -> Shell.quote(e.getKey() + " = " + b.resolve(e.getValue()).text()))
                    .collect(Collectors.joining(" "));
            String tmp = path + ".linger-tmp";
            return refuseSymlinks(path, tmp) + "umask 022; printf '%s\\n' " + lines + " > " + tmp + " && mv -f " + tmp
                    + " " + path + " && sysctl -p " + path;
        }

        public Text changes(Bindings b) {
            List<Text> lines = entries.entrySet().stream()
                    .map(e -> Text.of("step.entry", e.getKey(), b.resolve(e.getValue()).text())).toList();
            return Text.of("step.changesPersistSysctl", SYSCTL_D + file, lines,
                    entries.keySet().stream().anyMatch(Step::global));
        }

        public Set<String> paramRefs() {
            return entries.values().stream().map(Param::refName).filter(java.util.Objects::nonNull)
                    .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
        }

        public Undo undo() {
            return new Undo(Undo.Kind.AUTOMATIC, Text.of("step.undoPersistSysctl"));
        }

        public Map<String, Text> boundProblems(Bindings b) {
            Map<String, Text> problems = new LinkedHashMap<>();
            entries.forEach((k, v) -> problems.putAll(rangeProblem("entries", k, b.resolve(v))));
            return problems;
        }
    }

    record WaitSockets(TcpState state, String port, int atMost, int pollSeconds, int timeoutSeconds) implements Step {
        public StepType type() {
            return StepType.WAIT_SOCKETS;
        }

        public Map<String, String> fields() {
            return ordered("state", state.name(), "port", port, "atMost", String.valueOf(atMost), "pollSeconds",
                    String.valueOf(pollSeconds), "timeoutSeconds", String.valueOf(timeoutSeconds));
        }

        /** The check Linger repeats; it counts the lines. */
        public String command(Bindings b) {
            return "ss -Htn state " + state.ssName() + " " + portFilter(b.resolve(port).text());
        }

        public Text changes(Bindings b) {
            return Text.of("step.changesWaitSockets", pollSeconds, state.kernelName(), b.resolve(port).text(), atMost,
                    timeoutSeconds);
        }

        public Undo undo() {
            return new Undo(Undo.Kind.NOTHING_TO_UNDO, Text.of("step.undoWaitSockets"));
        }
    }

    record KillSockets(TcpState state, String port) implements Step {
        public StepType type() {
            return StepType.KILL_SOCKETS;
        }

        public Map<String, String> fields() {
            return ordered("state", state.name(), "port", port);
        }

        public String command(Bindings b) {
            return "ss -K -Htn state " + state.ssName() + " " + portFilter(b.resolve(port).text());
        }

        public Text changes(Bindings b) {
            return Text.of("step.changesKillSockets", state.kernelName(), b.resolve(port).text());
        }

        public Undo undo() {
            return new Undo(Undo.Kind.IRREVERSIBLE, Text.of("step.undoKillSockets"));
        }
    }

    record SignalProcess(String pid, String signal) implements Step {
        static final List<String> SIGNALS = List.of("TERM", "INT", "HUP", "QUIT", "USR1", "USR2", "CONT", "KILL");

        public StepType type() {
            return StepType.SIGNAL_PROCESS;
        }

        public Map<String, String> fields() {
            return ordered("pid", pid, "signal", signal);
        }

        public String command(Bindings b) {
            return "kill -s " + signal + " " + b.resolve(pid).text();
        }

        public Text changes(Bindings b) {
            return Text.of("step.changesSignalProcess", signal, b.resolve(pid).text());
        }

        public Undo undo() {
            return new Undo(Undo.Kind.IRREVERSIBLE, Text.of("step.undoSignalProcess"));
        }
    }

    record Verify(int settleSeconds) implements Step {
        public StepType type() {
            return StepType.VERIFY;
        }

        public Map<String, String> fields() {
            return Map.of("settleSeconds", String.valueOf(settleSeconds));
        }

        public String command(Bindings b) {
            return null;
        }

        public Text changes(Bindings b) {
            return Text.of("step.changesVerify", settleSeconds);
        }

        public Undo undo() {
            return new Undo(Undo.Kind.NOTHING_TO_UNDO, Text.of("step.undoVerify"));
        }
    }

    record Note(String text) implements Step {
        public StepType type() {
            return StepType.NOTE;
        }

        public Map<String, String> fields() {
            return Map.of("text", text);
        }

        public String command(Bindings b) {
            return null;
        }

        public Text changes(Bindings b) {
            return Text.of("step.changesNote");
        }

        public Undo undo() {
            return new Undo(Undo.Kind.MANUAL, Text.of("step.undoNote"));
        }
    }

    record FreeShell(String command) implements Step {
        public StepType type() {
            return StepType.SHELL;
        }

        public Map<String, String> fields() {
            return Map.of("command", command);
        }

        /** The command as written, with parameters (numbers by their type) filled in. */
        public String command(Bindings b) {
            String out = command;
            for (Map.Entry<String, String> p : b.params().entrySet()) {
                out = out.replace(Param.ref(p.getKey()), p.getValue());
            }
            return out;
        }

        public Text changes(Bindings b) {
            return Text.of("step.changesShell");
        }

        public Set<String> paramRefs() {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{([a-z][a-z0-9_]{0,31})}").matcher(command);
            Set<String> refs = new java.util.LinkedHashSet<>();
            while (m.find()) {
                refs.add(m.group(1));
            }
            return refs;
        }

        public Undo undo() {
            return new Undo(Undo.Kind.MANUAL, Text.of("step.undoShell"));
        }
    }

    /**
     * A prefix that ends the script (exit 3, a line on stderr) when any of the paths is a symbolic link: a link in
     * /etc/sysctl.d would make Linger write, or replace, a file somewhere else. The paths are fixed, checked names.
     */
    public static String refuseSymlinks(String... paths) {
        return "for f in " + String.join(" ", java.util.Arrays.stream(paths).map(Shell::word).toList())
                + "; do if [ -L \"$f\" ]; then echo \"$f is a symbolic link; Linger does not write through it or"
                + " replace it\" >&2; exit 3; fi; done; ";
    }

    private static String portFilter(String port) {
        return "'( sport = :" + port + " )'";
    }

    /** Whether a key is one value for the whole machine (the sentence then warns so). */
    private static boolean global(String key) {
        return SysctlRules.known(key).filter(SysctlRules.Known::global).isPresent();
    }

    private static Map<String, Text> rangeProblem(String field, String key, Bindings.Resolved v) {
        if (v.placeholder()) {
            return Map.of();
        }
        Text problem = SysctlRules.valueProblem(key, v.text());
        return problem == null ? Map.of() : Map.of(field, problem);
    }

    private static Map<String, String> ordered(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
