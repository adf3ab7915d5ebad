package dev.linger.runbook;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.linger.InvalidInput;
import dev.linger.i18n.Text;
import dev.linger.runbook.DocumentImporter.Candidate;
import dev.linger.runbook.ImportedStep.Flag;
import dev.linger.runbook.ShellWords.Token;

/**
 * Types one command found in a document into steps: sysctl reads, writes and restores, socket waits and the
 * targeted socket kill, the echo into /proc/sys that is a sysctl write; what does not type cleanly becomes a
 * NOTE that says why (untyped, chained, dangerous, needless). Every step is built through {@link StepCodec},
 * so a value from a document is checked exactly like a value a person types.
 *
 * <p>One instance types one document in order: it remembers which keys the document recorded (so a later
 * {@code $var} may restore them), which variables saved which key, which ports it already checked (a second
 * check is a wait) and the port that became the runbook's parameter. What it needs from the text around a
 * command it asks its {@link Context}.
 */
final class StepTyping {

    static final Text UNTYPED = Text.of("step.importUntyped");
    static final Text CHAINED = Text.of("step.importChained");
    static final Text MANUAL_LOOK = Text.of("step.importManualLook");
    static final Text NETWORK = Text.of("step.importNetwork");
    static final Text REBOOT = Text.of("step.importReboot");
    static final Text KILL = Text.of("step.importKill");
    static final Text FLUSH = Text.of("step.importFlush");
    static final Text WIDE_KILL = Text.of("step.importWideKill");
    static final Text EDIT = Text.of("step.importEdit");
    static final Text RELOAD = Text.of("step.importReload");

    /** Commands that are dangerous whatever their arguments, with the reason. */
    static final Map<String, Text> DANGER = Map.of("kill", KILL, "killall", KILL, "pkill", KILL, "reboot", REBOOT,
            "shutdown", REBOOT);
    static final Set<String> NETWORK_SERVICES = Set.of("network", "networking", "NetworkManager", "systemd-networkd");
    static final Set<String> STOP_VERBS = Set.of("restart", "stop", "force-reload");
    static final Pattern DOTTED_KEY = Pattern.compile("(?<![a-z0-9_.-])(?:net|kernel|vm|fs)\\.[a-z0-9_.-]{1,120}");
    static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    static final Pattern GREP_KEY = Pattern.compile("[a-z0-9_.-]{2,128}");

    /** What typing asks of the document around a command. */
    interface Context {
        /** The document says to look again near the command: a check there is a wait. */
        boolean repeatHint(Candidate c);

        /** The TCP state the document names before the command, or null. */
        TcpState stateBefore(Candidate c);

        /** A line as the document had it (0-based). */
        String originalLine(int line);
    }

    /** A step not yet in the result; {@code port} is the port it is about, which may become the parameter. */
    record Draft(Step step, Flag flag, Text warning, Integer port) {
        boolean typed() {
            return flag == null && step.type() != StepType.NOTE;
        }

        Draft about(Integer p) {
            return new Draft(step, flag, warning, p);
        }
    }

    private final Context context;
    /** Keys the document read or set before: a later $var may restore them. */
    private final Set<String> recorded = new HashSet<>();
    /** Variables that saved a key's value: name to normalized key. */
    private final Map<String, String> savedVars = new HashMap<>();
    private final Set<Integer> checkedPorts = new HashSet<>();
    /** The first port the document checks: the runbook's {port} parameter; null until then. */
    private Param port;

    StepTyping(Context context) {
        this.context = context;
    }

    /** The port parameter, or null when the document checks no port. */
    Param port() {
        return port;
    }

    /** A draft goes into the result: what it read or set is recorded, and its port may become the parameter. */
    void remember(Draft d) {
        if (d.step() instanceof Step.ReadSysctl r) {
            recorded.add(r.key());
        } else if (d.step() instanceof Step.SetSysctl s) {
            recorded.add(s.key());
        } else if (d.step() instanceof Step.PersistSysctl p) {
            recorded.addAll(p.entries().keySet());
        }
        if (d.port() != null && port == null) {
            port = new Param("port", Param.Type.PORT, "Port", String.valueOf(d.port()), Param.Source.INCIDENT_PORT);
        }
    }

    List<Draft> type(String command, Candidate c, boolean watched) {
        String[] saved = savedRead(command);
        if (saved != null) {
            savedVars.put(saved[0], SysctlRules.normalizeKey(saved[1]));
            return List.of(typedOrNote("READ_SYSCTL", Map.of("key", saved[1]), command));
        }
        Text danger = DANGER.get(firstWord(command));
        if (danger != null) {
            return List.of(note(command, Flag.DANGEROUS, danger)); // whatever follows, even chained
        }
        if (command.contains("$(") || command.indexOf('`') >= 0) {
            return List.of(note(command, Flag.UNTYPED, CHAINED));
        }
        List<Token> toks = ShellWords.split(command);
        if (toks == null) {
            return List.of(note(command, Flag.UNTYPED, Text.of("step.importUnbalancedQuotes")));
        }
        if (!toks.isEmpty() && toks.get(0).is("sudo")) {
            toks = toks.subList(1, toks.size()).stream().dropWhile(t -> t.text().startsWith("-")).toList();
        }
        if (toks.isEmpty()) {
            return List.of();
        }
        String word = toks.get(0).text();
        if (word.equals("echo")) {
            return List.of(echo(toks, command));
        }
        List<List<Token>> pipe = ShellWords.pipeline(toks);
        boolean grepsOnly = pipe != null && pipe.stream().skip(1).allMatch(seg -> seg.get(0).is("grep"));
        if (pipe == null || pipe.size() > 1 && (!grepsOnly || !Set.of("sysctl", "ss", "netstat").contains(word))) {
            return List.of(note(command, Flag.UNTYPED, CHAINED));
        }
        List<Token> args = pipe.get(0).subList(1, pipe.get(0).size());
        List<List<Token>> greps = pipe.subList(1, pipe.size());
        return switch (word) {
            case "sysctl" -> sysctl(args, greps, c, command);
            case "ss", "netstat" -> List.of(sockets(word, args, greps, watched, c, command));
            case "watch" -> watch(args, c, command);
            case "cat" -> cat(args, command);
            case "vi", "vim", "nano" -> List.of(args.stream().map(Token::text)
                    .anyMatch(f -> f.equals("/etc/sysctl.conf") || f.startsWith("/etc/sysctl.d/"))
                            ? note(command, Flag.NEEDLESS, EDIT) : note(command, Flag.UNTYPED, UNTYPED));
            case "iptables" -> List.of(args.stream().anyMatch(a -> a.is("-F") || a.is("--flush"))
                    ? note(command, Flag.DANGEROUS, FLUSH) : note(command, Flag.UNTYPED, UNTYPED));
            default -> List.of(stopsNetwork(word, args) ? note(command, Flag.DANGEROUS, NETWORK)
                    : note(command, Flag.UNTYPED, UNTYPED));
        };
    }

    List<Draft> sysctl(List<Token> args, List<List<Token>> greps, Candidate c, String command) {
        boolean all = false;
        boolean write = false;
        List<String> rest = new ArrayList<>();
        for (Token a : args) {
            String t = a.text();
            if (t.startsWith("-p") || t.startsWith("--load") || t.equals("--system")) {
                return List.of(note(command, Flag.NEEDLESS, RELOAD));
            }
            switch (t) {
                case "-a", "-A", "-X", "--all" -> all = true;
                case "-w", "--write" -> write = true;
                case "-n", "-N", "-q", "-e", "-b", "--values", "--names", "--quiet", "--ignore" -> {
                }
                default -> {
                    if (t.startsWith("-")) {
                        return List.of(note(command, Flag.UNTYPED, UNTYPED));
                    }
                    rest.add(t);
                }
            }
        }
        if (all) {
            return List.of(greps.size() == 1 && rest.isEmpty() ? readByGrep(greps.get(0), c, command)
                    : note(command, Flag.UNTYPED, UNTYPED));
        }
        if (!greps.isEmpty()) {
            return List.of(note(command, Flag.UNTYPED, CHAINED));
        }
        List<String[]> sets = new ArrayList<>();
        List<String> reads = new ArrayList<>();
        for (int k = 0; k < rest.size(); k++) {
            String t = rest.get(k);
            int eq = t.indexOf('=');
            if (eq > 0) {
                sets.add(new String[] {t.substring(0, eq), t.substring(eq + 1)});
            } else if (rest.size() == 3 && k == 0 && rest.get(1).equals("=")) {
                sets.add(new String[] {t, rest.get(2)});
                k = 2;
            } else {
                reads.add(t);
            }
        }
        boolean mixed = !reads.isEmpty() && (write || !sets.isEmpty());
        if (rest.isEmpty() || rest.size() > StepCodec.MAX_ENTRIES || mixed) {
            return List.of(note(command, Flag.UNTYPED, UNTYPED));
        }
        List<Draft> out = new ArrayList<>();
        sets.forEach(s -> out.add(set(s[0], s[1], command)));
        reads.forEach(k -> out.add(typedOrNote("READ_SYSCTL", Map.of("key", k), command)));
        return out;
    }

    /** A value from $name restores the key when the document recorded it first; any other goes to the codec. */
    Draft set(String key, String value, String command) {
        String var = value.startsWith("${") && value.endsWith("}") ? value.substring(2, value.length() - 1)
                : value.startsWith("$") ? value.substring(1) : null;
        if (var != null && VARIABLE.matcher(var).matches()) {
            String k = SysctlRules.normalizeKey(key);
            return recorded.contains(k) || k.equals(savedVars.get(var))
                    ? typedOrNote("RESTORE_SYSCTL", Map.of("key", key), command)
                    : note(command, Flag.UNTYPED, Text.of("step.importUnsavedVariable", var));
        }
        if (Param.refName(value) != null) {
            return note(command, Flag.UNTYPED, Text.of("step.importPlaceholder",
                    SysctlRules.abbreviate(value)));
        }
        return typedOrNote("SET_SYSCTL", Map.of("key", key, "value", value), command);
    }

    /** sysctl -a | grep PART: the full key named on the same line, else the one known key containing it. */
    Draft readByGrep(List<Token> grep, Candidate c, String command) {
        String pattern = grepPattern(grep);
        String key = null;
        if (pattern != null && GREP_KEY.matcher(pattern.toLowerCase(Locale.ROOT)).matches()) {
            String part = pattern.toLowerCase(Locale.ROOT);
            List<String> onLine = new ArrayList<>();
            String line = context.originalLine(c.line());
            Matcher m = DOTTED_KEY.matcher(line)
                    .region(Math.max(0, c.col() - 200), Math.min(line.length(), c.col() + 300));
            while (m.find()) {
                String k = DocumentOutline.trimTail(m.group());
                if (k.contains(part) && SysctlRules.keyProblem(k) == null && !onLine.contains(k)) {
                    onLine.add(k);
                }
            }
            List<String> known = SysctlRules.KNOWN.stream().map(SysctlRules.Known::key)
                    .filter(k -> k.contains(part)).toList();
            key = onLine.size() == 1 ? onLine.get(0) : onLine.isEmpty() && known.size() == 1 ? known.get(0) : null;
        }
        return key != null ? typedOrNote("READ_SYSCTL", Map.of("key", key), command)
                : note(command, Flag.UNTYPED, Text.of("step.importGrepKey"));
    }

    /**
     * ss or netstat looking at one port. A repeated look is a wait; a single one stays a manual look;
     * ss -K with one state and one port is the targeted kill.
     */
    Draft sockets(String word, List<Token> args, List<List<Token>> greps, boolean watched, Candidate c,
            String command) {
        boolean kill = false;
        TcpState state = null;
        Text problem = null;
        List<String> filter = new ArrayList<>();
        for (int k = 0; k < args.size(); k++) {
            String t = args.get(k).text();
            if (word.equals("ss") && (t.equals("state") || t.equals("exclude"))) {
                TcpState s = t.equals("state") && k + 1 < args.size()
                        ? TcpState.parse(args.get(k + 1).text()).orElse(null) : null;
                if (s == null || state != null) {
                    problem = Text.of("step.importStateUnclear");
                }
                state = s;
                k++;
            } else if (t.startsWith("-")) {
                kill |= word.equals("ss") && (t.equals("--kill") || !t.startsWith("--") && t.indexOf('K') > 0);
            } else if (word.equals("ss")) {
                filter.add(t);
            }
        }
        Integer p = filter.isEmpty() ? null : filterPort(String.join(" ", filter));
        problem = !filter.isEmpty() && p == null ? Text.of("step.importPortUnclear") : problem;
        for (List<Token> g : greps) {
            String pattern = grepPattern(g);
            Integer gp = pattern == null ? null : portOf(pattern.startsWith(":") ? pattern.substring(1) : pattern);
            TcpState gs = pattern == null || gp != null ? null : TcpState.parse(pattern).orElse(null);
            if (gp != null && (p == null || p.equals(gp))) {
                p = gp;
            } else if (gs != null && (state == null || state == gs)) {
                state = gs;
            } else {
                problem = Text.of("step.importGrepSocket");
            }
        }
        if (kill) {
            return (problem != null ? note(command, Flag.UNTYPED, problem)
                    : state == null || p == null || !greps.isEmpty() ? note(command, Flag.DANGEROUS, WIDE_KILL)
                    : typedOrNote("KILL_SOCKETS", Map.of("state", state.name(), "port", portField(p)), command))
                    .about(p);
        }
        if (problem != null) {
            return note(command, Flag.UNTYPED, problem).about(p);
        }
        boolean repeated = watched || context.repeatHint(c) || p != null && checkedPorts.contains(p);
        if (p != null) {
            checkedPorts.add(p);
        }
        if (!repeated) {
            return note(command, null, MANUAL_LOOK).about(p);
        }
        state = state != null ? state : context.stateBefore(c);
        if (p == null || state == null) {
            return note(command, Flag.UNTYPED, Text.of("step.importWaitWhich", p == null)).about(p);
        }
        return typedOrNote("WAIT_SOCKETS", Map.of("state", state.name(), "port", portField(p), "atMost", "0",
                "pollSeconds", "2", "timeoutSeconds", "300"), command).about(p);
    }

    /** watch repeats its command: a check inside it is a wait. Notes keep the whole watch line as text. */
    List<Draft> watch(List<Token> args, Candidate c, String command) {
        int k = 0;
        while (k < args.size() && args.get(k).text().startsWith("-")) {
            String t = args.get(k).text();
            k += t.equals("-n") || t.equals("--interval") ? 2 : 1;
        }
        List<Token> inner = args.subList(Math.min(k, args.size()), args.size());
        if (inner.isEmpty() || inner.get(0).is("watch")) {
            return List.of(note(command, Flag.UNTYPED, UNTYPED));
        }
        String innerCommand = inner.size() == 1 ? inner.get(0).text()
                : String.join(" ", inner.stream().map(t -> t.op() || t.text().indexOf(' ') < 0 ? t.text()
                        : "'" + t.text() + "'").toList());
        return type(innerCommand, c, true).stream()
                .map(d -> d.typed() ? d : note(command, d.flag(), d.warning()).about(d.port())).toList();
    }

    List<Draft> cat(List<Token> args, String command) {
        if (args.isEmpty() || args.size() > StepCodec.MAX_ENTRIES
                || !args.stream().allMatch(a -> a.text().startsWith("/proc/sys/"))) {
            return List.of(note(command, Flag.UNTYPED, UNTYPED));
        }
        return args.stream().map(a -> typedOrNote("READ_SYSCTL", Map.of("key", a.text()), command)).toList();
    }

    /** echo V > /proc/sys/... is the one redirect Linger types: it is a sysctl write. */
    Draft echo(List<Token> toks, String command) {
        int k = toks.size() > 1 && toks.get(1).is("-n") ? 2 : 1;
        if (toks.size() == k + 3 && !toks.get(k).op() && toks.get(k + 1).op() && toks.get(k + 1).text().equals(">")
                && !toks.get(k + 2).op()) {
            String target = toks.get(k + 2).text();
            return target.startsWith("/proc/sys/") ? set(target, toks.get(k).text(), command)
                    : note(command, Flag.UNTYPED, Text.of("step.importOutsideProcSys",
                            SysctlRules.abbreviate(target)));
        }
        return note(command, Flag.UNTYPED, toks.stream().anyMatch(Token::op) ? CHAINED : UNTYPED);
    }

    boolean stopsNetwork(String word, List<Token> args) {
        List<String> a = args.stream().map(Token::text).toList();
        if (word.startsWith("/")) {
            return NETWORK_SERVICES.contains(word.substring(word.lastIndexOf('/') + 1))
                    && a.stream().anyMatch(STOP_VERBS::contains);
        }
        return switch (word) {
            case "ifdown", "ifup" -> true;
            case "service" -> a.size() >= 2 && NETWORK_SERVICES.contains(a.get(0)) && STOP_VERBS.contains(a.get(1));
            case "systemctl" -> a.stream().anyMatch(STOP_VERBS::contains)
                    && a.stream().anyMatch(x -> NETWORK_SERVICES.contains(x.replace(".service", "")));
            case "ip" -> a.contains("link") && a.contains("set") && a.contains("down");
            default -> false;
        };
    }

    /** The port as a field: the first port the document checks is the runbook's {port} parameter. */
    String portField(int p) {
        boolean isParam = port == null || port.defaultValue().equals(String.valueOf(p));
        return isParam ? Param.ref("port") : String.valueOf(p);
    }

    // ---- building steps ----

    static Draft typedOrNote(String type, Map<String, ?> fields, String command) {
        try {
            return new Draft(StepCodec.parse(type, fields, ""), null, null, null);
        } catch (InvalidInput e) {
            return note(command, Flag.UNTYPED,
                    Text.of("step.importRefused", new ArrayList<Object>(e.fields().values())));
        }
    }

    static Draft note(String text, Flag flag, Text warning) {
        return new Draft(StepCodec.parse("NOTE", Map.of("text", DocumentOutline.clean(text, StepCodec.MAX_TEXT)), ""),
                flag, warning, null);
    }

    /** NAME=$(sysctl -n KEY) or NAME=`cat /proc/sys/...`: the document saves a value; {name, key} or null. */
    static String[] savedRead(String s) {
        int eq = s.indexOf('=');
        if (eq < 1 || eq > 64 || !VARIABLE.matcher(s.substring(0, eq)).matches()) {
            return null;
        }
        String v = s.substring(eq + 1).strip();
        if (v.length() > 2 && v.startsWith("\"") && v.endsWith("\"")) {
            v = v.substring(1, v.length() - 1);
        }
        String inner = v.startsWith("$(") && v.endsWith(")") ? v.substring(2, v.length() - 1)
                : v.length() > 2 && v.startsWith("`") && v.endsWith("`") ? v.substring(1, v.length() - 1) : null;
        List<Token> t = inner == null || inner.contains("$(") || inner.contains("`") ? null : ShellWords.split(inner);
        if (t != null && t.size() == 3 && t.get(0).is("sysctl") && (t.get(1).is("-n") || t.get(1).is("-b"))
                && !t.get(2).op()) {
            return new String[] {s.substring(0, eq), t.get(2).text()};
        }
        if (t != null && t.size() == 2 && t.get(0).is("cat") && t.get(1).text().startsWith("/proc/sys/")) {
            return new String[] {s.substring(0, eq), t.get(1).text()};
        }
        return null;
    }

    /** The pattern of a plain grep in a pipe; null for -v, a second file argument, or none. */
    static String grepPattern(List<Token> grep) {
        String pattern = null;
        for (int k = 1; k < grep.size(); k++) {
            String t = grep.get(k).text();
            boolean invert = t.equals("--invert-match") || !t.startsWith("--") && t.startsWith("-") && t.contains("v");
            if (invert || pattern != null) {
                return null;
            }
            if (t.equals("-e") && k + 1 < grep.size()) {
                pattern = grep.get(++k).text();
            } else if (!t.startsWith("-")) {
                pattern = t;
            }
        }
        return pattern;
    }

    /** The port of an ss filter: {@code :N}, {@code sport = :N} or {@code sport eq :N}, parentheses optional. */
    static Integer filterPort(String filter) {
        String[] w = filter.replace('(', ' ').replace(')', ' ').replace("==", "=").replace("=", " = ").strip()
                .split("\\s+");
        boolean sport = w.length == 3 && w[0].equals("sport") && (w[1].equals("=") || w[1].equals("eq"));
        String p = w.length == 1 ? w[0] : sport ? w[2] : "";
        return p.startsWith(":") ? portOf(p.substring(1)) : null;
    }

    static Integer portOf(String s) {
        String p = s.strip();
        return p.length() <= 5 && !p.isEmpty() && p.chars().allMatch(Character::isDigit)
                && Param.Type.PORT.problem(p) == null ? Integer.valueOf(p) : null;
    }

    /** The command's first word, after an optional sudo. */
    static String firstWord(String command) {
        String s = command.startsWith("sudo ") ? command.substring(5).stripLeading() : command;
        return s.substring(0, DocumentOutline.wordEnd(s, 0, s.length()));
    }
}
