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
import dev.linger.runbook.ImportedStep.Flag;

/**
 * Reads a troubleshooting document (Markdown, plain text, a blog post pasted from a browser) and
 * proposes typed steps for the commands it finds. Every step is built through {@link StepCodec},
 * so a value from a document is checked exactly like a value a person types; what does not type
 * cleanly becomes a NOTE that says why. Prose is never turned into steps.
 */
public final class DocumentImporter {

    public static final int MAX_CHARS = 1_000_000;
    static final int MAX_SOURCE_TEXT = 2000;
    static final int MAX_TITLE = 200;

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

    static final Set<String> COMMANDS = Set.of("sysctl", "ss", "netstat", "kill", "killall", "pkill", "ps", "lsof",
            "cat", "echo", "vi", "vim", "nano", "service", "systemctl", "ip", "ifdown", "ifup", "reboot", "shutdown",
            "dmesg", "watch", "grep", "top", "iptables");
    /** Fences in these languages hold commands only, so even unknown lines in them are commands. */
    static final Set<String> SHELL_FENCES = Set.of("bash", "sh", "shell", "zsh", "ksh");
    /** Words after which a command may start in the middle of an English sentence. */
    static final Set<String> TRIGGERS = Set.of("run", "use", "using", "with", "try", "type", "execute", "via", "enter");
    /** A line-start "command" holding one of these is a sentence ("kill the stuck proxy ..."). */
    static final Set<String> STOP_WORDS = Set.of("the", "a", "an", "to", "of", "and", "or", "is", "are", "it", "its",
            "this", "that", "for", "you", "your", "we", "on", "in", "when", "then", "if", "not", "all", "will", "be",
            "as", "by", "from", "so", "until", "after", "before");
    /** Commands that are dangerous whatever their arguments, with the reason. */
    static final Map<String, Text> DANGER = Map.of("kill", KILL, "killall", KILL, "pkill", KILL, "reboot", REBOOT,
            "shutdown", REBOOT);
    static final Set<String> NETWORK_SERVICES = Set.of("network", "networking", "NetworkManager", "systemd-networkd");
    static final Set<String> STOP_VERBS = Set.of("restart", "stop", "force-reload");
    static final Set<String> REPEAT_WORDS = Set.of("again", "until", "till");
    static final List<String> REPEAT_CJK = List.of("反复", "直到", "等待", "再次", "多次", "重复");

    /** List markers and ordinals: 1. 1) 1、 (1) - * + 一、 第一步 步骤一 (anchored, no nested quantifiers). */
    static final Pattern MARKER = Pattern.compile("[-*+•][ \\t]|\\d{1,3}[.)、:：]|[(（]\\d{1,3}[)）]"
            + "|[一二三四五六七八九十]{1,3}[、.．:：]|第[一二三四五六七八九十0-9]{1,3}[步条点项][、.．:：,，]?"
            + "|步骤[ ]?[一二三四五六七八九十0-9]{1,3}[、.．:：,，]?");
    static final Pattern DOTTED_KEY = Pattern.compile("(?<![a-z0-9_.-])(?:net|kernel|vm|fs)\\.[a-z0-9_.-]{1,120}");
    static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    static final Pattern GREP_KEY = Pattern.compile("[a-z0-9_.-]{2,128}");

    private DocumentImporter() {
    }

    /**
     * @param title the title a person gave, or null/blank to take it from the document
     * @throws InvalidInput on field "text" when the document is empty, too large or binary
     */
    public static ImportResult read(String title, String text) {
        return new Reading(normalize(text).split("\n", -1)).run(title);
    }

    /** Refuses what is not a text document; drops a BOM and turns CRLF and CR into LF. */
    static String normalize(String text) {
        if (text == null || text.isBlank()) {
            throw refuse(Text.of("refuse.documentEmpty"));
        }
        if (text.length() > MAX_CHARS) {
            throw refuse(Text.of("refuse.documentLong", text.length(), MAX_CHARS));
        }
        long controls = 0;
        long replacements = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                throw refuse(Text.of("refuse.documentBinary"));
            } else if (c == '\uFFFD') {
                replacements++;
            } else if (Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t' && c != '\f') {
                controls++;
            }
        }
        if (controls * 100 > text.length() || replacements * 100 > text.length()) {
            throw refuse(Text.of("refuse.documentBinary"));
        }
        String t = text.startsWith("\uFEFF") ? text.substring(1) : text;
        return t.replace("\r\n", "\n").replace('\r', '\n');
    }

    private static InvalidInput refuse(Text message) {
        return InvalidInput.of("text", message);
    }

    /**
     * @param inProse found inside a sentence (or a line-start "command" that reads like one): kept only when it
     *                types cleanly, so prose that mentions a command never becomes a NOTE
     * @param line    0-based index of its (first) line; {@code last} is the last one (a continued command)
     * @param col     where it starts in its line, for the state named before it
     * @param intro   the prose line that introduces its fence, or -1
     */
    record Candidate(String command, boolean inProse, int line, int last, int col, int intro) {
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

    record Tok(String text, boolean op) {
        boolean is(String s) {
            return !op && text.equals(s);
        }
    }

    record Entry(int line, String key, String value) {
    }

    /** One document: its lines' structure first, then each line in order, remembering what came before. */
    private static final class Reading {
        static final int PROSE = -1;
        static final int DELIMITER = -2;

        final String[] original;
        final String[] text;
        final int[] fence;
        final int n;
        final List<String> fenceLang = new ArrayList<>();
        final List<Integer> fenceIntro = new ArrayList<>();
        final List<Boolean> fenceHasCommands = new ArrayList<>();

        final List<ImportedStep> steps = new ArrayList<>();
        final Set<String> recorded = new HashSet<>();
        final Map<String, String> savedVars = new HashMap<>();
        final Set<Integer> checkedPorts = new HashSet<>();
        final Map<String, Integer> filesUsed = new HashMap<>();
        final List<Entry> group = new ArrayList<>();
        /** Per line, whether it asks to look again: asked once per line, however many commands it holds. */
        final Map<Integer, Boolean> repeats = new HashMap<>();
        Param port;
        TcpState sectionState;
        /** Headings and short lines ending in ':', by line: where procedures begin and what they are called. */
        final List<Procedures.Heading> headings = new ArrayList<>();
        /** The 0-based line being read. */
        int current;

        Reading(String[] lines) {
            original = lines;
            n = lines.length;
            text = new String[n];
            fence = new int[n];
        }

        ImportResult run(String givenTitle) {
            structure();
            for (int i = 0; i < n;) {
                i = line(i);
            }
            flushGroup();
            String title = title(givenTitle);
            return new ImportResult(title, port == null ? List.of() : List.of(port), steps,
                    Procedures.split(steps, headings, port, givenTitle == null ? "" : oneLine(givenTitle), title));
        }

        /** Marks fences and blanks HTML comments out of prose (keeping columns), so they hold no commands. */
        void structure() {
            boolean inComment = false;
            int open = -1;
            String closing = null;
            int lastProse = -1;
            for (int i = 0; i < n; i++) {
                String s = original[i].stripLeading();
                if (open >= 0) {
                    int run = fenceRun(s);
                    boolean closes = run >= closing.length() && s.charAt(0) == closing.charAt(0)
                            && s.substring(run).isBlank();
                    fence[i] = closes ? DELIMITER : open;
                    text[i] = original[i];
                    open = closes ? -1 : open;
                    continue;
                }
                int run = fenceRun(s);
                if (!inComment && run >= 3) {
                    open = fenceLang.size();
                    closing = s.substring(0, run);
                    String info = s.substring(run).strip();
                    fenceLang.add(info.split("[\\s{]", 2)[0].toLowerCase(Locale.ROOT));
                    fenceIntro.add(lastProse);
                    fenceHasCommands.add(false);
                    fence[i] = DELIMITER;
                    text[i] = "";
                    continue;
                }
                fence[i] = PROSE;
                StringBuilder b = new StringBuilder(original[i]);
                inComment = blankComments(b, inComment);
                text[i] = b.toString();
                lastProse = text[i].isBlank() ? lastProse : i;
            }
            for (int i = 0; i < n; i++) {
                if (fence[i] >= 0 && fenceCommand(text[i].strip(), fenceLang.get(fence[i])) != null) {
                    fenceHasCommands.set(fence[i], true);
                }
            }
        }

        int line(int i) {
            current = i;
            if (fence[i] == DELIMITER) {
                flushGroup();
                return i + 1;
            }
            if (text[i].isBlank()) {
                return i + 1;
            }
            if (fence[i] >= 0) {
                return codeLine(i);
            }
            proseLine(i);
            return i + 1;
        }

        /**
         * A fence that holds commands is a terminal session: its key = value lines are command output.
         * One without commands is a file, and its key = value lines are what to persist.
         */
        int codeLine(int i) {
            int f = fence[i];
            String s = text[i].strip();
            if (!fenceHasCommands.get(f)) {
                Entry e = entry(i, s);
                if (e != null) {
                    group.add(e);
                } else if (!s.startsWith("#") && !s.startsWith(";")) {
                    flushGroup();
                }
                return i + 1;
            }
            flushGroup();
            String command = fenceCommand(s, fenceLang.get(f));
            if (command == null) {
                return i + 1;
            }
            int last = i;
            StringBuilder joined = new StringBuilder(command);
            while (joined.charAt(joined.length() - 1) == '\\' && last + 1 < n && fence[last + 1] == f) {
                last++;
                joined.setLength(joined.length() - 1);
                joined.append(' ').append(text[last].strip());
            }
            handle(new Candidate(joined.toString().strip(), false, i, last, 0, fenceIntro.get(f)));
            return last + 1;
        }

        void proseLine(int i) {
            String t = text[i];
            int start = contentStart(t);
            // "# key = value" is a heading or a commented-out line, not a setting
            Entry e = t.stripLeading().startsWith("#") ? null : entry(i, t.substring(start).strip());
            if (e != null) {
                group.add(e);
                return;
            }
            flushGroup();
            noteSection(t.strip());
            List<Candidate> found = new ArrayList<>();
            int from = start;
            for (int[] span : codeSpans(t)) {
                proseCommands(i, t, from, span[0], start, found);
                inlineCommand(i, t, span, found);
                from = Math.max(from, span[3]);
            }
            proseCommands(i, t, from, t.length(), start, found);
            found.forEach(this::handle);
        }

        /** Commands in prose between {@code from} and {@code to}: at the line's start, or after CJK text or "run". */
        void proseCommands(int i, String t, int from, int to, int lineStart, List<Candidate> found) {
            int p = from;
            while (p < to) {
                if (!wordChar(t.charAt(p)) || p > 0 && wordChar(t.charAt(p - 1))) {
                    p++;
                    continue;
                }
                boolean atStart = p == lineStart;
                if (!(atStart || midTrigger(t, p, lineStart)) || commandWordEnd(t, p, to) < 0) {
                    p = wordEnd(t, p, to);
                    continue;
                }
                int end = commandEnd(t, p, to);
                String command = trimTail(t.substring(p, end));
                found.add(new Candidate(command, !atStart || readsLikeProse(command), i, i, p, -1));
                p = Math.max(end, p + 1);
            }
        }

        void inlineCommand(int i, String t, int[] span, List<Candidate> found) {
            String content = t.substring(span[1], span[2]).strip();
            if (content.startsWith("$ ") || content.startsWith("# ")) {
                content = content.substring(2).strip();
            }
            int wordEnd = commandWordEnd(content, 0, content.length());
            if (wordEnd > 0 && wordEnd < content.length() || savedRead(content) != null) {
                found.add(new Candidate(content, false, i, i, span[0], -1));
            }
        }

        /** A short line ending in ':' or a heading sets the state later checks wait for, when it names one. */
        void noteSection(String s) {
            if (s.startsWith("#") || s.length() <= 80 && (s.endsWith(":") || s.endsWith("："))) {
                headings.add(new Procedures.Heading(current, s));
                TcpState st = lastState(s, 0, s.length());
                sectionState = st != null ? st : sectionState;
            }
        }

        void handle(Candidate c) {
            List<Draft> drafts = type(c.command(), c, false);
            boolean typed = !drafts.isEmpty() && drafts.stream().allMatch(Draft::typed);
            if (c.inProse() && !typed) {
                return;
            }
            String source = sourceText(c.line(), c.last());
            drafts.forEach(d -> commit(d, c.line(), source));
        }

        void commit(Draft d, int line, String source) {
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
            steps.add(new ImportedStep(d.step(), line + 1, source, d.flag(), d.warning()));
        }

        // ---- typing one command ----

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
            List<Tok> toks = tokenize(command);
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
            List<List<Tok>> pipe = pipeline(toks);
            boolean grepsOnly = pipe != null && pipe.stream().skip(1).allMatch(seg -> seg.get(0).is("grep"));
            if (pipe == null || pipe.size() > 1 && (!grepsOnly || !Set.of("sysctl", "ss", "netstat").contains(word))) {
                return List.of(note(command, Flag.UNTYPED, CHAINED));
            }
            List<Tok> args = pipe.get(0).subList(1, pipe.get(0).size());
            List<List<Tok>> greps = pipe.subList(1, pipe.size());
            return switch (word) {
                case "sysctl" -> sysctl(args, greps, c, command);
                case "ss", "netstat" -> List.of(sockets(word, args, greps, watched, c, command));
                case "watch" -> watch(args, c, command);
                case "cat" -> cat(args, command);
                case "vi", "vim", "nano" -> List.of(args.stream().map(Tok::text)
                        .anyMatch(f -> f.equals("/etc/sysctl.conf") || f.startsWith("/etc/sysctl.d/"))
                                ? note(command, Flag.NEEDLESS, EDIT) : note(command, Flag.UNTYPED, UNTYPED));
                case "iptables" -> List.of(args.stream().anyMatch(a -> a.is("-F") || a.is("--flush"))
                        ? note(command, Flag.DANGEROUS, FLUSH) : note(command, Flag.UNTYPED, UNTYPED));
                default -> List.of(stopsNetwork(word, args) ? note(command, Flag.DANGEROUS, NETWORK)
                        : note(command, Flag.UNTYPED, UNTYPED));
            };
        }

        List<Draft> sysctl(List<Tok> args, List<List<Tok>> greps, Candidate c, String command) {
            boolean all = false;
            boolean write = false;
            List<String> rest = new ArrayList<>();
            for (Tok a : args) {
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
        Draft readByGrep(List<Tok> grep, Candidate c, String command) {
            String pattern = grepPattern(grep);
            String key = null;
            if (pattern != null && GREP_KEY.matcher(pattern.toLowerCase(Locale.ROOT)).matches()) {
                String part = pattern.toLowerCase(Locale.ROOT);
                List<String> onLine = new ArrayList<>();
                String line = original[c.line()];
                Matcher m = DOTTED_KEY.matcher(line)
                        .region(Math.max(0, c.col() - 200), Math.min(line.length(), c.col() + 300));
                while (m.find()) {
                    String k = trimTail(m.group());
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
        Draft sockets(String word, List<Tok> args, List<List<Tok>> greps, boolean watched, Candidate c,
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
            for (List<Tok> g : greps) {
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
            boolean repeated = watched || repeatHint(c) || p != null && checkedPorts.contains(p);
            if (p != null) {
                checkedPorts.add(p);
            }
            if (!repeated) {
                return note(command, null, MANUAL_LOOK).about(p);
            }
            state = state != null ? state : contextState(c);
            if (p == null || state == null) {
                return note(command, Flag.UNTYPED, Text.of("step.importWaitWhich", p == null)).about(p);
            }
            return typedOrNote("WAIT_SOCKETS", Map.of("state", state.name(), "port", portField(p), "atMost", "0",
                    "pollSeconds", "2", "timeoutSeconds", "300"), command).about(p);
        }

        /** watch repeats its command: a check inside it is a wait. Notes keep the whole watch line as text. */
        List<Draft> watch(List<Tok> args, Candidate c, String command) {
            int k = 0;
            while (k < args.size() && args.get(k).text().startsWith("-")) {
                String t = args.get(k).text();
                k += t.equals("-n") || t.equals("--interval") ? 2 : 1;
            }
            List<Tok> inner = args.subList(Math.min(k, args.size()), args.size());
            if (inner.isEmpty() || inner.get(0).is("watch")) {
                return List.of(note(command, Flag.UNTYPED, UNTYPED));
            }
            String innerCommand = inner.size() == 1 ? inner.get(0).text()
                    : String.join(" ", inner.stream().map(t -> t.op() || t.text().indexOf(' ') < 0 ? t.text()
                            : "'" + t.text() + "'").toList());
            return type(innerCommand, c, true).stream()
                    .map(d -> d.typed() ? d : note(command, d.flag(), d.warning()).about(d.port())).toList();
        }

        List<Draft> cat(List<Tok> args, String command) {
            if (args.isEmpty() || args.size() > StepCodec.MAX_ENTRIES
                    || !args.stream().allMatch(a -> a.text().startsWith("/proc/sys/"))) {
                return List.of(note(command, Flag.UNTYPED, UNTYPED));
            }
            return args.stream().map(a -> typedOrNote("READ_SYSCTL", Map.of("key", a.text()), command)).toList();
        }

        /** echo V > /proc/sys/... is the one redirect Linger types: it is a sysctl write. */
        Draft echo(List<Tok> toks, String command) {
            int k = toks.size() > 1 && toks.get(1).is("-n") ? 2 : 1;
            if (toks.size() == k + 3 && !toks.get(k).op() && toks.get(k + 1).op() && toks.get(k + 1).text().equals(">")
                    && !toks.get(k + 2).op()) {
                String target = toks.get(k + 2).text();
                return target.startsWith("/proc/sys/") ? set(target, toks.get(k).text(), command)
                        : note(command, Flag.UNTYPED, Text.of("step.importOutsideProcSys",
                                SysctlRules.abbreviate(target)));
            }
            return note(command, Flag.UNTYPED, toks.stream().anyMatch(Tok::op) ? CHAINED : UNTYPED);
        }

        boolean stopsNetwork(String word, List<Tok> args) {
            List<String> a = args.stream().map(Tok::text).toList();
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

        // ---- context ----

        /** The port as a field: the first port the document checks is the runbook's {port} parameter. */
        String portField(int p) {
            boolean isParam = port == null || port.defaultValue().equals(String.valueOf(p));
            return isParam ? Param.ref("port") : String.valueOf(p);
        }

        /** The state named shortly before the command on its line, else in the nearest section that names one. */
        TcpState contextState(Candidate c) {
            int col = Math.min(c.col(), text[c.line()].length());
            TcpState s = lastState(text[c.line()], Math.max(0, col - 300), col);
            return s != null ? s : sectionState;
        }

        /** The document says to look again: on the command's line, the next one, or the line introducing its fence. */
        boolean repeatHint(Candidate c) {
            return repeats(c.line()) || c.last() + 1 < n && repeats(c.last() + 1)
                    || c.intro() >= 0 && repeats(c.intro());
        }

        boolean repeats(int line) {
            return repeats.computeIfAbsent(line, k -> repeatWord(text[k]));
        }

        // ---- persisting ----

        void flushGroup() {
            if (group.isEmpty()) {
                return;
            }
            int first = group.get(0).line();
            int last = group.get(group.size() - 1).line();
            StringBuilder entries = new StringBuilder();
            StringBuilder source = new StringBuilder();
            boolean keepalive = true;
            boolean placeholder = false;
            for (Entry e : group) {
                entries.append(e.key()).append(" = ").append(e.value()).append('\n');
                source.append(source.length() == 0 ? "" : "\n").append(original[e.line()]);
                keepalive &= e.key().contains("keepalive");
                placeholder |= Param.refName(e.value()) != null;
            }
            group.clear();
            String slug = keepalive ? "keepalive" : "import";
            int used = filesUsed.getOrDefault("90-linger-" + slug + ".conf", 0);
            String file = "90-linger-" + slug + (used == 0 ? "" : "-" + (used + 1)) + ".conf";
            Draft d = placeholder ? note(source.toString(), Flag.UNTYPED, Text.of("step.importPlaceholderEntry")) : typedOrNote("PERSIST_SYSCTL", Map.of("file", file, "entries", entries.toString()),
                            source.toString());
            boolean editsSysctlConf = false;
            for (int k = Math.max(0, first - 10); k <= Math.min(n - 1, last + 3); k++) {
                editsSysctlConf |= original[k].contains("/etc/sysctl.conf");
            }
            if (d.typed() && editsSysctlConf) {
                d = new Draft(d.step(), null, Text.of("step.importSysctlConf", file), null);
            }
            if (d.typed()) {
                filesUsed.put("90-linger-" + slug + ".conf", used + 1);
            }
            commit(d, first, clean(source.toString(), MAX_SOURCE_TEXT));
        }

        String title(String given) {
            String t = given == null ? "" : oneLine(given);
            if (!t.isEmpty()) {
                return t;
            }
            String firstProse = null;
            for (int i = 0; i < n; i++) {
                String s = fence[i] == PROSE ? text[i].strip() : "";
                int hashes = 0;
                while (hashes < s.length() && s.charAt(hashes) == '#') {
                    hashes++;
                }
                if (hashes >= 1 && hashes <= 6 && hashes < s.length() && s.charAt(hashes) == ' ') {
                    String h = oneLine(s.substring(hashes).replaceAll("[ \\t]#+$", ""));
                    if (!h.isEmpty()) {
                        return h;
                    }
                }
                firstProse = firstProse == null && !s.isEmpty() ? s : firstProse;
            }
            return firstProse == null ? "Imported document" : oneLine(firstProse);
        }

        /** The lines as the document had them, built from capped pieces: a huge line costs no more than a short one. */
        String sourceText(int from, int to) {
            StringBuilder b = new StringBuilder();
            for (int k = from; k <= to && b.length() <= MAX_SOURCE_TEXT; k++) {
                int upTo = Math.min(original[k].length(), MAX_SOURCE_TEXT + 1);
                b.append(k == from ? "" : "\n").append(original[k], 0, upTo);
            }
            return clean(b.toString(), MAX_SOURCE_TEXT);
        }
    }

    // ---- building steps ----

    static Draft typedOrNote(String type, Map<String, ?> fields, String command) {
        try {
            return new Draft(StepCodec.parse(type, fields, ""), null, null, null);
        } catch (InvalidInput e) {
            return note(command, Flag.UNTYPED, Text.of("step.importRefused", new java.util.ArrayList<Object>(e.fields().values())));
        }
    }

    static Draft note(String text, Flag flag, Text warning) {
        return new Draft(StepCodec.parse("NOTE", Map.of("text", clean(text, StepCodec.MAX_TEXT)), ""), flag, warning,
                null);
    }

    // ---- reading commands ----

    /** key = value on a line of its own, with a sysctl-shaped key and one value (or numbers, as in a range). */
    static Entry entry(int line, String s) {
        int eq = s.indexOf('=');
        if (eq <= 0) {
            return null;
        }
        String key = s.substring(0, eq).strip();
        String value = s.substring(eq + 1).replace('\u00A0', ' ').strip(); // pasted web pages end lines in NBSP
        boolean oneValue = !value.isEmpty() && (value.chars().noneMatch(ch -> ch == ' ' || ch == '\t')
                || SysctlRules.VALUE.matcher(value).matches());
        return oneValue && SysctlRules.keyProblem(SysctlRules.normalizeKey(key)) == null
                ? new Entry(line, key, value) : null;
    }

    /** A fence line as a command: after a prompt, a known command, or any line of a shell fence; null otherwise. */
    static String fenceCommand(String s, String lang) {
        boolean prompted = s.startsWith("$ ");
        if (prompted || s.startsWith("> ")) {
            s = s.substring(2).strip();
        } else if (s.startsWith("# ")) {
            String rest = s.substring(2).strip();
            return commandWordEnd(rest, 0, rest.length()) >= 0 ? rest : null;
        }
        if (s.isEmpty() || s.startsWith("#")) {
            return null;
        }
        boolean shellLine = SHELL_FENCES.contains(lang) && entry(-1, s) == null;
        return prompted || shellLine || commandWordEnd(s, 0, s.length()) >= 0 || savedRead(s) != null ? s : null;
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
        List<Tok> t = inner == null || inner.contains("$(") || inner.contains("`") ? null : tokenize(inner);
        if (t != null && t.size() == 3 && t.get(0).is("sysctl") && (t.get(1).is("-n") || t.get(1).is("-b"))
                && !t.get(2).op()) {
            return new String[] {s.substring(0, eq), t.get(2).text()};
        }
        if (t != null && t.size() == 2 && t.get(0).is("cat") && t.get(1).text().startsWith("/proc/sys/")) {
            return new String[] {s.substring(0, eq), t.get(1).text()};
        }
        return null;
    }

    /** Splits a command as sh would, expanding nothing; operators are tokens too; null when a quote stays open. */
    static List<Tok> tokenize(String s) {
        List<Tok> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"') {
                int j = i + 1;
                for (; j < s.length() && s.charAt(j) != c; j++) {
                    j += c == '"' && s.charAt(j) == '\\' && j + 1 < s.length() ? 1 : 0;
                    cur.append(s.charAt(j));
                }
                if (j >= s.length()) {
                    return null;
                }
                inWord = true;
                i = j;
            } else if (c == '\\' && i + 1 < s.length()) {
                cur.append(s.charAt(++i));
                inWord = true;
            } else if (c == ' ' || c == '\t' || c == '\u00A0') {
                inWord = flush(out, cur, inWord);
            } else if (c == '#' && !inWord) {
                break;
            } else if ("|&;<>".indexOf(c) >= 0) {
                inWord = flush(out, cur, inWord);
                int len = i + 1 < s.length() && s.charAt(i + 1) == c ? 2 : 1;
                out.add(new Tok(s.substring(i, i + len), true));
                i += len - 1;
            } else {
                cur.append(c);
                inWord = true;
            }
        }
        flush(out, cur, inWord);
        return out;
    }

    private static boolean flush(List<Tok> out, StringBuilder cur, boolean inWord) {
        if (inWord) {
            out.add(new Tok(cur.toString(), false));
            cur.setLength(0);
        }
        return false;
    }

    /** The commands of a pipeline, or null when the command uses any operator other than '|'. */
    static List<List<Tok>> pipeline(List<Tok> toks) {
        List<List<Tok>> out = new ArrayList<>();
        List<Tok> cur = new ArrayList<>();
        for (Tok t : toks) {
            if (t.op() && !t.text().equals("|")) {
                return null;
            }
            if (t.op()) {
                out.add(cur);
                cur = new ArrayList<>();
            } else {
                cur.add(t);
            }
        }
        out.add(cur);
        return out.stream().anyMatch(List::isEmpty) ? null : out;
    }

    /** The pattern of a plain grep in a pipe; null for -v, a second file argument, or none. */
    static String grepPattern(List<Tok> grep) {
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

    /** Where the command word at {@code pos} ends (after an optional sudo), or -1 when none starts there. */
    static int commandWordEnd(String t, int pos, int limit) {
        int start = t.startsWith("sudo ", pos) ? pos + 5 : pos;
        while (start < limit && t.charAt(start) == ' ') {
            start++;
        }
        int end = wordEnd(t, start, limit);
        String w = t.substring(start, end);
        boolean known = COMMANDS.contains(w) || w.startsWith("/etc/init.d/") && w.length() > 12
                || w.startsWith("/etc/rc.d/init.d/") && w.length() > 17;
        if (!known) {
            return -1;
        }
        if (end == limit) {
            return w.startsWith("/") ? -1 : end; // a path alone is not a command
        }
        return t.charAt(end) == ' ' || t.charAt(end) == '\t' ? end : -1;
    }

    /** A command in prose ends at two spaces (outside quotes), at the first non-ASCII character, or at the end. */
    static int commandEnd(String t, int from, int to) {
        boolean single = false;
        boolean dbl = false;
        int j = from;
        for (; j < to; j++) {
            char c = t.charAt(j);
            if (c > 126 || c < 32 && c != '\t') {
                break;
            }
            if (c == '\'' && !dbl) {
                single = !single;
            } else if (c == '"' && !single) {
                dbl = !dbl;
            } else if (!single && !dbl && (c == ' ' || c == '\t') && j + 1 < to
                    && (t.charAt(j + 1) == ' ' || t.charAt(j + 1) == '\t')) {
                break;
            }
        }
        return j;
    }

    /** The command's first word, after an optional sudo. */
    static String firstWord(String command) {
        String s = command.startsWith("sudo ") ? command.substring(5).stripLeading() : command;
        return s.substring(0, wordEnd(s, 0, s.length()));
    }

    static String trimTail(String s) {
        int end = s.length();
        while (end > 0 && " \t(,.:".indexOf(s.charAt(end - 1)) >= 0) {
            end--;
        }
        return s.substring(0, end);
    }

    /** A command may start here: after CJK text or fullwidth punctuation, after ':', or after "run", "use"... */
    static boolean midTrigger(String t, int p, int lineStart) {
        int q = p - 1;
        while (q >= lineStart && isSpace(t.charAt(q))) {
            q--;
        }
        if (q < lineStart) {
            return false;
        }
        char c = t.charAt(q);
        if (c > 127 || c == ':') {
            return true;
        }
        int w = q;
        while (w >= lineStart && isAsciiLetter(t.charAt(w))) {
            w--;
        }
        return q - w <= 10 && TRIGGERS.contains(t.substring(w + 1, q + 1).toLowerCase(Locale.ROOT));
    }

    static boolean readsLikeProse(String command) {
        String[] words = command.split("[ \\t]+");
        for (int k = 1; k < words.length; k++) {
            if (STOP_WORDS.contains(trimTail(words[k]).toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    /** Where the text of a line starts after blockquotes, list markers, ordinals and prompts. */
    static int contentStart(String t) {
        int p = 0;
        Matcher m = MARKER.matcher(t);
        for (int round = 0; round < 6; round++) {
            while (p < t.length() && isSpace(t.charAt(p))) {
                p++;
            }
            if (p < t.length() && t.charAt(p) == '>') {
                p++;
            } else if (m.region(p, t.length()).lookingAt()) {
                p = m.end();
            } else if (t.startsWith("$ ", p) || t.startsWith("# ", p)) {
                p += 2;
            } else {
                break;
            }
        }
        return p;
    }

    /** Inline code spans of one to three backticks: {open, content start, content end, after close}. */
    static List<int[]> codeSpans(String t) {
        List<int[]> out = new ArrayList<>();
        int p = 0;
        while (p < t.length()) {
            int o = t.indexOf('`', p);
            if (o < 0) {
                break;
            }
            int run = 1;
            while (o + run < t.length() && t.charAt(o + run) == '`') {
                run++;
            }
            // x=`cmd` is command substitution, not a code span: it stays in the command text
            boolean opens = run <= 3 && (o == 0 || !(wordChar(t.charAt(o - 1)) || t.charAt(o - 1) == '='));
            int close = opens ? closingRun(t, o + run, run) : -1;
            if (close < 0) {
                p = o + run;
                continue;
            }
            out.add(new int[] {o, o + run, close, close + run});
            p = close + run;
        }
        return out;
    }

    private static int closingRun(String t, int from, int run) {
        int q = from;
        while ((q = t.indexOf('`', q)) >= 0) {
            int r = 1;
            while (q + r < t.length() && t.charAt(q + r) == '`') {
                r++;
            }
            if (r == run) {
                return q;
            }
            q += r;
        }
        return -1;
    }

    /** Blanks {@code <!-- ... -->} in place; returns whether a comment is still open at the end of the line. */
    static boolean blankComments(StringBuilder b, boolean inComment) {
        int p = 0;
        while (p < b.length()) {
            if (inComment) {
                int end = b.indexOf("-->", p);
                int stop = end < 0 ? b.length() : end + 3;
                for (int k = p; k < stop; k++) {
                    b.setCharAt(k, ' ');
                }
                if (end < 0) {
                    return true;
                }
                inComment = false;
                p = stop;
            } else {
                int open = b.indexOf("<!--", p);
                if (open < 0) {
                    return false;
                }
                inComment = true;
                p = open;
            }
        }
        return inComment;
    }

    static int fenceRun(String s) {
        if (s.isEmpty() || s.charAt(0) != '`' && s.charAt(0) != '~') {
            return 0;
        }
        int run = 0;
        while (run < s.length() && s.charAt(run) == s.charAt(0)) {
            run++;
        }
        // a ``` with another backtick on the line is inline code, not a fence
        return s.charAt(0) == '`' && s.indexOf('`', run) >= 0 ? 0 : run;
    }

    /** The last TCP state named in t[from, to): FIN_WAIT1, CLOSE-WAIT, close-wait; not the words listen or closed. */
    static TcpState lastState(String t, int from, int to) {
        TcpState found = null;
        for (String w : words(t, from, to)) {
            boolean named = w.indexOf('_') > 0 || w.indexOf('-') > 0
                    || w.length() >= 4 && w.equals(w.toUpperCase(Locale.ROOT));
            found = named && w.length() <= 12 ? TcpState.parse(w).orElse(found) : found;
        }
        return found;
    }

    static boolean repeatWord(String t) {
        return REPEAT_CJK.stream().anyMatch(t::contains) || words(t, 0, t.length()).stream()
                .map(w -> w.toLowerCase(Locale.ROOT)).anyMatch(w -> REPEAT_WORDS.contains(w) || w.startsWith("repeat")
                        || w.startsWith("wait") || w.startsWith("watch") || w.startsWith("poll"));
    }

    /** The ASCII words in t[from, to) that start at a word boundary: a letter, then letters, digits, '_' or '-'. */
    static List<String> words(String t, int from, int to) {
        List<String> out = new ArrayList<>();
        int p = from;
        while (p < to) {
            if (!isAsciiLetter(t.charAt(p)) || p > 0 && wordChar(t.charAt(p - 1))) {
                p++;
                continue;
            }
            int end = p;
            while (end < to && wordChar(t.charAt(end)) && t.charAt(end) != '.' && t.charAt(end) != '/') {
                end++;
            }
            out.add(t.substring(p, end));
            p = end;
        }
        return out;
    }

    static int wordEnd(String t, int pos, int limit) {
        int p = pos;
        while (p < limit && wordChar(t.charAt(p))) {
            p++;
        }
        return p;
    }

    static boolean wordChar(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '/' || c == '-');
    }

    static boolean isAsciiLetter(char c) {
        return c < 128 && Character.isLetter(c);
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\u00A0' || c == '\u3000' || c == '\f';
    }

    /** Control characters (but newlines and tabs) become '?'; at most {@code max} characters. */
    static String clean(String s, int max) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), max));
        for (int i = 0; i < s.length() && b.length() < max; i++) {
            char c = s.charAt(i);
            b.append(c != '\n' && c != '\t' && Character.isISOControl(c) ? '?' : c);
        }
        if (s.length() > max) {
            b.setLength(Character.isHighSurrogate(b.charAt(max - 2)) ? max - 2 : max - 1);
            b.append('…');
        }
        return b.toString();
    }

    /** One line of at most MAX_TITLE characters, control characters removed. */
    static String oneLine(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().filter(cp -> !Character.isISOControl(cp)).forEach(b::appendCodePoint);
        String t = b.toString().strip();
        return t.length() <= MAX_TITLE ? t : clean(t, MAX_TITLE);
    }
}
