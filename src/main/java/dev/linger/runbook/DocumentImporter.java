package dev.linger.runbook;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.linger.InvalidInput;
import dev.linger.i18n.Text;
import dev.linger.runbook.ImportedStep.Flag;
import dev.linger.runbook.StepTyping.Draft;

/**
 * Reads a troubleshooting document (Markdown, plain text, a blog post pasted from a browser) and
 * proposes typed steps for the commands it finds. Prose is never turned into steps.
 *
 * <p>Three parts: {@link DocumentOutline} knows the document's structure (fences, comments, headings, title),
 * {@link ShellWords} splits a command line into words, and {@link StepTyping} types one command into steps.
 * This class walks the lines in order, finds the commands in fences, inline code and sentences, groups
 * {@code key = value} lines into what to persist, and hands each command to the typing.
 */
public final class DocumentImporter {

    public static final int MAX_CHARS = DocumentOutline.MAX_CHARS;

    static final Text MANUAL_LOOK = StepTyping.MANUAL_LOOK;
    static final Text NETWORK = StepTyping.NETWORK;
    static final Text REBOOT = StepTyping.REBOOT;
    static final Text KILL = StepTyping.KILL;

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

    private DocumentImporter() {
    }

    /**
     * @param title the title a person gave, or null/blank to take it from the document
     * @throws InvalidInput on field "text" when the document is empty, too large or binary
     */
    public static ImportResult read(String title, String text) {
        return new Reading(DocumentOutline.of(text)).run(title);
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

    record Entry(int line, String key, String value) {
    }

    /** One document: each line in order, remembering what came before. */
    private static final class Reading implements StepTyping.Context {
        final DocumentOutline doc;
        final String[] text;
        final int[] fence;
        final int n;
        /** Per fence: whether it holds commands (a terminal session) or not (a file). */
        final boolean[] fenceHasCommands;
        final StepTyping typing = new StepTyping(this);

        final List<ImportedStep> steps = new ArrayList<>();
        final Map<String, Integer> filesUsed = new HashMap<>();
        final List<Entry> group = new ArrayList<>();
        /** Per line, whether it asks to look again: asked once per line, however many commands it holds. */
        final Map<Integer, Boolean> repeats = new HashMap<>();
        TcpState sectionState;
        /** Headings and short lines ending in ':', by line: where procedures begin and what they are called. */
        final List<Procedures.Heading> headings = new ArrayList<>();
        /** The 0-based line being read. */
        int current;

        Reading(DocumentOutline doc) {
            this.doc = doc;
            text = doc.text;
            fence = doc.fence;
            n = doc.n;
            fenceHasCommands = new boolean[doc.fenceLang.size()];
            for (int i = 0; i < n; i++) {
                if (fence[i] >= 0 && fenceCommand(text[i].strip(), doc.fenceLang.get(fence[i])) != null) {
                    fenceHasCommands[fence[i]] = true;
                }
            }
        }

        ImportResult run(String givenTitle) {
            for (int i = 0; i < n;) {
                i = line(i);
            }
            flushGroup();
            String title = doc.title(givenTitle);
            Param port = typing.port();
            return new ImportResult(title, port == null ? List.of() : List.of(port), steps,
                    Procedures.split(steps, headings, port,
                            givenTitle == null ? "" : DocumentOutline.oneLine(givenTitle), title));
        }

        @Override
        public String originalLine(int line) {
            return doc.original[line];
        }

        int line(int i) {
            current = i;
            if (fence[i] == DocumentOutline.DELIMITER) {
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
            if (!fenceHasCommands[f]) {
                Entry e = entry(i, s);
                if (e != null) {
                    group.add(e);
                } else if (!s.startsWith("#") && !s.startsWith(";")) {
                    flushGroup();
                }
                return i + 1;
            }
            flushGroup();
            String command = fenceCommand(s, doc.fenceLang.get(f));
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
            handle(new Candidate(joined.toString().strip(), false, i, last, 0, doc.fenceIntro.get(f)));
            return last + 1;
        }

        void proseLine(int i) {
            String t = text[i];
            int start = DocumentOutline.contentStart(t);
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
            for (int[] span : DocumentOutline.codeSpans(t)) {
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
                if (!DocumentOutline.wordChar(t.charAt(p)) || p > 0 && DocumentOutline.wordChar(t.charAt(p - 1))) {
                    p++;
                    continue;
                }
                boolean atStart = p == lineStart;
                if (!(atStart || midTrigger(t, p, lineStart)) || commandWordEnd(t, p, to) < 0) {
                    p = DocumentOutline.wordEnd(t, p, to);
                    continue;
                }
                int end = commandEnd(t, p, to);
                String command = DocumentOutline.trimTail(t.substring(p, end));
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
            if (wordEnd > 0 && wordEnd < content.length() || StepTyping.savedRead(content) != null) {
                found.add(new Candidate(content, false, i, i, span[0], -1));
            }
        }

        /** A short line ending in ':' or a heading sets the state later checks wait for, when it names one. */
        void noteSection(String s) {
            if (s.startsWith("#") || s.length() <= 80 && (s.endsWith(":") || s.endsWith("："))) {
                headings.add(new Procedures.Heading(current, s));
                TcpState st = DocumentOutline.lastState(s, 0, s.length());
                sectionState = st != null ? st : sectionState;
            }
        }

        void handle(Candidate c) {
            List<Draft> drafts = typing.type(c.command(), c, false);
            boolean typed = !drafts.isEmpty() && drafts.stream().allMatch(Draft::typed);
            if (c.inProse() && !typed) {
                return;
            }
            String source = doc.sourceText(c.line(), c.last());
            drafts.forEach(d -> commit(d, c.line(), source));
        }

        void commit(Draft d, int line, String source) {
            typing.remember(d);
            steps.add(new ImportedStep(d.step(), line + 1, source, d.flag(), d.warning()));
        }

        /** The state named shortly before the command on its line, else in the nearest section that names one. */
        @Override
        public TcpState stateBefore(Candidate c) {
            int col = Math.min(c.col(), text[c.line()].length());
            TcpState s = DocumentOutline.lastState(text[c.line()], Math.max(0, col - 300), col);
            return s != null ? s : sectionState;
        }

        /** The document says to look again: on the command's line, the next one, or the line introducing its fence. */
        @Override
        public boolean repeatHint(Candidate c) {
            return repeats(c.line()) || c.last() + 1 < n && repeats(c.last() + 1)
                    || c.intro() >= 0 && repeats(c.intro());
        }

        boolean repeats(int line) {
            return repeats.computeIfAbsent(line, k -> DocumentOutline.repeatWord(text[k]));
        }

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
                source.append(source.length() == 0 ? "" : "\n").append(doc.original[e.line()]);
                keepalive &= e.key().contains("keepalive");
                placeholder |= Param.refName(e.value()) != null;
            }
            group.clear();
            String slug = keepalive ? "keepalive" : "import";
            int used = filesUsed.getOrDefault("90-linger-" + slug + ".conf", 0);
            String file = "90-linger-" + slug + (used == 0 ? "" : "-" + (used + 1)) + ".conf";
            Draft d = placeholder
                    ? StepTyping.note(source.toString(), Flag.UNTYPED, Text.of("step.importPlaceholderEntry"))
                    : StepTyping.typedOrNote("PERSIST_SYSCTL", Map.of("file", file, "entries", entries.toString()),
                            source.toString());
            boolean editsSysctlConf = false;
            for (int k = Math.max(0, first - 10); k <= Math.min(n - 1, last + 3); k++) {
                editsSysctlConf |= doc.original[k].contains("/etc/sysctl.conf");
            }
            if (d.typed() && editsSysctlConf) {
                d = new Draft(d.step(), null, Text.of("step.importSysctlConf", file), null);
            }
            if (d.typed()) {
                filesUsed.put("90-linger-" + slug + ".conf", used + 1);
            }
            commit(d, first, DocumentOutline.clean(source.toString(), DocumentOutline.MAX_SOURCE_TEXT));
        }
    }

    // ---- finding commands ----

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
        return prompted || shellLine || commandWordEnd(s, 0, s.length()) >= 0 || StepTyping.savedRead(s) != null
                ? s : null;
    }

    /** Where the command word at {@code pos} ends (after an optional sudo), or -1 when none starts there. */
    static int commandWordEnd(String t, int pos, int limit) {
        int start = t.startsWith("sudo ", pos) ? pos + 5 : pos;
        while (start < limit && t.charAt(start) == ' ') {
            start++;
        }
        int end = DocumentOutline.wordEnd(t, start, limit);
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

    /** A command may start here: after CJK text or fullwidth punctuation, after ':', or after "run", "use"... */
    static boolean midTrigger(String t, int p, int lineStart) {
        int q = p - 1;
        while (q >= lineStart && DocumentOutline.isSpace(t.charAt(q))) {
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
        while (w >= lineStart && DocumentOutline.isAsciiLetter(t.charAt(w))) {
            w--;
        }
        return q - w <= 10 && TRIGGERS.contains(t.substring(w + 1, q + 1).toLowerCase(Locale.ROOT));
    }

    static boolean readsLikeProse(String command) {
        String[] words = command.split("[ \\t]+");
        for (int k = 1; k < words.length; k++) {
            if (STOP_WORDS.contains(DocumentOutline.trimTail(words[k]).toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }
}
