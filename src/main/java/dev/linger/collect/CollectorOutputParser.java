package dev.linger.collect;

import dev.linger.collect.CollectorOutput.Meta;
import dev.linger.collect.CollectorOutput.NotableSocket;
import dev.linger.collect.CollectorOutput.Owner;
import dev.linger.collect.CollectorOutput.ProcessInfo;
import dev.linger.collect.CollectorOutput.Sockstat;
import dev.linger.collect.CollectorOutput.StateCount;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the output of {@code collect/collect.sh} (format 3, and formats 2 and 1 from before it).
 *
 * <p>Format 3 groups the notable sockets on the host: the section {@code groups} counts every one of them exactly
 * per (namespace, port, direction, state, owner), and the sockets section holds only samples of each group.
 * Formats 1 and 2 list every notable socket; their groups are made here ({@link SocketGroups#of}) and only
 * samples are kept ({@link SocketGroups#samples}), so what a collection keeps is bounded whatever the format.
 *
 * <p>Format 2 adds the host's other network namespaces: socket and count lines of another namespace end with its
 * inode, the sections {@code namespaces} ({@code INODE<TAB>PID<TAB>IP-NETNS-NAME<TAB>HOSTNAME[<TAB>CGROUP...]}),
 * {@code netns-sysctls} ({@code INODE key = value}) and {@code problems} (what the collector could not read),
 * and the meta keys {@code boot} and {@code netns} (the inode of the collector's own namespace, which becomes key
 * 0 everywhere).
 *
 * <p>The output comes from a host we do not control, over a transport that may cut it short, so
 * {@link #parse(String)} never throws: whatever it cannot use becomes a line in
 * {@link CollectorOutput#problems()} and the rest is still returned. Line numbers in problems count from 1
 * over the whole output, so they point into the raw text as stored.
 *
 * <p>Hot path: a busy host prints tens of thousands of socket lines, so lines are tokenized by hand on the
 * original string (no regex, no split, no per-line substring) and only kept values are copied.
 */
public final class CollectorOutputParser {

    static final int SUPPORTED_FORMAT = 3;
    /** From this format on the collector groups on the host: the sockets section holds only samples. */
    static final int GROUPED_FORMAT = 3;
    /** Far more groups than any host has (a few dozen is usual): more means garbage or an attack. */
    static final int MAX_GROUPS = 10_000;
    /** More sockets than any kernel holds in one group; a count above is garbage, not a number to add up. */
    static final long MAX_GROUP_COUNT = 1_000_000_000L;
    /** A terabyte of queued bytes in one group: beyond any real socket buffer sum. */
    static final long MAX_GROUP_BYTES = 1L << 40;
    /** Formats read as they are: 1 knows only the host's own namespace. */
    static final int OLDEST_FORMAT = 1;
    /** Far more network namespaces than any host runs: more means garbage or an attack. */
    static final int MAX_NAMESPACES = 20_000;
    /** cgroup paths kept per namespace (the script prints at most 8) and the length of each. */
    static final int MAX_CGROUP_PATHS = 8;
    static final int MAX_LINE_CHARS = 8192;
    static final int MAX_SOCKETS = 500_000;
    /** Cap for every other section; the script prints far fewer, so more means garbage or an attack. */
    static final int MAX_ENTRIES = 500_000;
    static final int MAX_KEPT_CHARS = 256;
    static final int MAX_PROBLEMS = 50;
    /**
     * Lines read from one output, counting those after the end marker. Twice what the section caps can keep
     * (8 sections of {@link #MAX_ENTRIES}, plus namespaces and groups), so a real output is never cut by it; it
     * bounds the work spent on a stream of garbage and keeps the line counters far from overflowing. The
     * rest is not read, and an output cut there before its end marker is incomplete.
     */
    static final int MAX_LINES = 10_000_000;
    /**
     * Bytes read from one streamed output: several times what a format 2 output of {@link #MAX_SOCKETS}
     * sockets (about 200 bytes a line) takes. Beyond it the rest is counted but not read, and the output is incomplete unless its end
     * marker came first.
     */
    static final long MAX_OUTPUT_BYTES = 1L << 30;
    private static final int MAX_QUOTED_CHARS = 40;

    private static final String GROUP_FIELDS = "STATE PORT local|remote PID TID COUNT RECVQ RECVQMAX RECVQMIN"
            + " WITHRECVQ SENDQ SENDQMAX WITHSENDQ TIMERS RETRMAX [NETNS]";
    private static final String SECTION_PREFIX = "==linger:";
    private static final String SECTION_SUFFIX = "==";
    private static final String END_SECTION = "end";

    /** State names exactly as ss prints them (and as the script rewrites /proc/net/tcp codes). */
    private static final String[] STATES = {"ESTAB", "SYN-SENT", "SYN-RECV", "FIN-WAIT-1", "FIN-WAIT-2",
        "TIME-WAIT", "UNCONN", "CLOSE-WAIT", "LAST-ACK", "LISTEN", "CLOSING"};
    private static final String[] RUNNING_TIMERS = {"on", "keepalive", "timewait", "persist"};
    private static final String TIMER_OFF = "off";

    // Results of number parsing that are not a value; all negative so a valid value is never mistaken.
    private static final long NOT_A_NUMBER = -1;
    private static final long TOO_LARGE = -2;
    private static final long NEGATIVE = -3;
    private static final long NOT_POSITIVE = -4;

    private CollectorOutputParser() {
    }

    /**
     * Parses one collector output. Never throws; never returns null. The text is already in memory, so only
     * {@link #MAX_LINES} bounds it (the byte cap is the stream's).
     */
    public static CollectorOutput parse(String output) {
        try {
            return new Run().parse(output);
        } catch (RuntimeException e) {
            return failed(e);
        }
    }

    /**
     * Parses an output that lists the sockets someone asked to see (the live read of one port's sockets) and keeps
     * every one of them, up to the section cap, instead of each group's samples.
     */
    public static CollectorOutput parseEverySocket(String output) {
        try {
            Run run = new Run();
            run.keepEverySocket = true;
            return run.parse(output);
        } catch (RuntimeException e) {
            return failed(e);
        }
    }

    /** A parser that reads the output while it arrives: write its bytes, then {@link Streaming#finish()}. */
    public static Streaming streaming() {
        return new Streaming();
    }

    private static CollectorOutput failed(RuntimeException e) {
        // A parser bug must not take the caller down: report it like bad input. The input caps (line length,
        // lines, bytes, entries per section, kept characters) are what keep memory and work bounded; an Error
        // (an exhausted heap) is not caught here, as the JVM is in no state to go on pretending.
        return new CollectorOutput(emptyMeta(), List.of(), List.of(), Map.of(), null, List.of(),
                List.of("the output could not be parsed (" + e.getClass().getSimpleName() + ")"), false);
    }

    /**
     * Parses collector output as its bytes arrive (UTF-8, split anywhere, even inside a character), so a
     * collection never holds the whole text: memory is one line (at most {@link #MAX_LINE_BYTES}, a longer one
     * is cut and counted as a problem) plus what the parse keeps, which the section caps bound; at most
     * {@link #MAX_OUTPUT_BYTES} are read. Gives the same result as {@link #parse(String)} of the same bytes
     * decoded (below that cap). Writers are serialized: a transport's I/O
     * thread writes, another thread calls {@link #finish()} once the command has ended.
     */
    public static final class Streaming extends java.io.OutputStream {

        /** The longest line in bytes that can still decode to {@link #MAX_LINE_CHARS} characters and a CR. */
        static final int MAX_LINE_BYTES = 3 * MAX_LINE_CHARS + 1;

        /** Dropped at finish: what the parse held (every socket line of a format 2 output) goes with it. */
        private Run run = new Run();
        private byte[] line = new byte[MAX_LINE_BYTES];
        private int length;
        private boolean cut;
        private long bytes;
        private RuntimeException failure;
        private CollectorOutput result;

        private Streaming() {
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            if (failure != null || result != null) {
                return;
            }
            try {
                long room = MAX_OUTPUT_BYTES - bytes;
                bytes += len;
                if (room <= 0) {
                    return; // counted, not read: the parse stopped at the cap
                }
                if (len > room) {
                    len = (int) room;
                    run.stop("the output is longer than " + MAX_OUTPUT_BYTES + " bytes; the rest was not read");
                }
                int end = off + len;
                int start = off;
                for (int i = off; i < end; i++) {
                    if (b[i] == '\n') {
                        append(b, start, i);
                        endLine();
                        start = i + 1;
                    }
                }
                append(b, start, end);
            } catch (RuntimeException e) {
                failure = e; // the rest is dropped; finish() reports it
            }
        }

        /** One whole line, without its newline: for outputs that arrive as lines rather than bytes. */
        public synchronized void acceptLine(String text) {
            if (failure != null || result != null) {
                return;
            }
            try {
                long room = MAX_OUTPUT_BYTES - bytes;
                bytes += text.length() + 1;
                if (text.length() + 1 > room) {
                    run.stop("the output is longer than " + MAX_OUTPUT_BYTES + " bytes; the rest was not read");
                    return;
                }
                run.line(text, 0, text.length());
            } catch (RuntimeException e) {
                failure = e;
            }
        }

        private void append(byte[] b, int from, int to) {
            int n = to - from;
            if (n == 0 || cut) {
                return;
            }
            if (length + n > line.length) {
                cut = true; // too long to be a line the parser reads: the rest of it is not kept
                return;
            }
            System.arraycopy(b, from, line, length, n);
            length += n;
        }

        private void endLine() {
            if (cut) {
                run.cutLine();
            } else {
                String text = new String(line, 0, length, java.nio.charset.StandardCharsets.UTF_8);
                run.line(text, 0, text.length());
            }
            length = 0;
            cut = false;
        }

        /** How many bytes (or characters, for lines) arrived so far. */
        public synchronized long received() {
            return bytes;
        }

        /** The parsed output; the last line may lack its newline. Never throws; later writes are ignored. */
        public synchronized CollectorOutput finish() {
            if (result != null) {
                return result;
            }
            try {
                if (failure == null) {
                    if (length > 0 || cut) {
                        endLine();
                    }
                    result = run.finish();
                }
            } catch (RuntimeException e) {
                failure = e;
            }
            if (failure != null) {
                result = failed(failure);
            }
            run = null;
            line = null;
            return result;
        }
    }

    private static Meta emptyMeta() {
        return new Meta(null, null, null, null, null, null, null, null, false);
    }

    private enum Section {
        META("meta"), SYSCTLS("sysctls"), SOCKSTAT("sockstat"), COUNTS("counts"), SOCKETS("sockets"),
        OWNERS("owners"), PROCESSES("processes"), NAMESPACES("namespaces", false),
        NETNS_SYSCTLS("netns-sysctls", false), PROBLEMS("problems", false),
        /** Format 3; required there (checked in build, as the format is known only at the end). */
        GROUPS("groups", false);

        final String label;
        /** Format 1 outputs lack the namespace sections: they are not missing there. */
        final boolean required;

        Section(String label) {
            this(label, true);
        }

        Section(String label, boolean required) {
            this.label = label;
            this.required = required;
        }

        static Section byLabel(String label) {
            for (Section section : values()) {
                if (section.label.equals(label)) {
                    return section;
                }
            }
            return null;
        }
    }

    /** Collects problems up to the cap and counts the rest, so a flood of garbage stays cheap. */
    private static final class Problems {
        private final List<String> kept = new ArrayList<>();
        private int dropped;

        boolean accepting() {
            if (kept.size() < MAX_PROBLEMS) {
                return true;
            }
            dropped++;
            return false;
        }

        void add(String problem) {
            if (accepting()) {
                kept.add(problem);
            }
        }

        /** A problem kept even past the cap: why the parse stopped reading must not be one of the dropped. */
        void addAlways(String problem) {
            kept.add(problem);
        }

        List<String> finish() {
            if (dropped > 0) {
                kept.add("... and " + dropped + " more");
            }
            return Collections.unmodifiableList(kept);
        }
    }

    /** The state of one parse; not shared, not reused. */
    private static final class Run {
        /** Keep every socket line rather than each group's samples: for a live read that asked for them all. */
        private boolean keepEverySocket;
        /** The text of the current line: the whole output when parsing a String, one line when streaming. */
        private String text;
        private final Problems problems = new Problems();
        /** Some line held more than whitespace: an output with none is empty, not cut short. */
        private boolean sawContent;
        private int trailingLines;
        /** Lines seen so far, including those after the end marker; nothing is read past {@link #MAX_LINES}. */
        private int linesSeen;
        /** Reading stopped at a cap: later lines are not read. */
        private boolean stopped;

        // Line and token cursor over `text`: tokens are [tokenStart, tokenEnd) within [.., lineEnd).
        private int lineNumber;
        private int cursor;
        private int lineEnd;
        private int tokenStart;
        private int tokenEnd;

        private Section section;
        private boolean ignoringSection;
        private final Set<Section> seenSections = EnumSet.noneOf(Section.class);
        private final int[] overLimit = new int[Section.values().length];
        private boolean complete;
        private int linesBeforeFirstSection;
        private int firstStrayLine;
        private String firstStrayText;

        private Integer format;
        private String hostname;
        private String kernel;
        private Long now;
        private Integer uid;
        private Integer ephemeralLow;
        private Integer ephemeralHigh;
        private String source;
        private boolean canKillSockets;
        private String bootId;
        private long netnsInode;
        private final Set<String> metaKeysSeen = new HashSet<>();

        private final List<StateCount> states = new ArrayList<>();
        private final Set<String> stateKeys = new HashSet<>();
        private final List<NotableSocket> sockets = new ArrayList<>();
        private final Map<String, String> sysctls = new LinkedHashMap<>();
        /** Keys printed more than once: dropped, so no copy (first or last) decides the value. */
        private final Set<String> refusedSysctls = new HashSet<>();
        private Sockstat sockstat;
        private boolean sockstatTcpSeen;
        /** inode -> pid in the high 32 bits, tid in the low 32 bits; the first owner line wins. */
        private final Map<Long, Long> ownerByInode = new HashMap<>();
        private final Map<Integer, ProcessInfo> processByPid = new HashMap<>();
        private final List<ProcessInfo> processes = new ArrayList<>();
        /** Pids printed more than once: dropped, so no copy decides the command or state. */
        private final Set<Integer> refusedPids = new HashSet<>();
        /** The other namespaces as listed, by inode, in order; classified once meta (the host's name) is known. */
        private final Map<Long, ListedNamespace> listed = new LinkedHashMap<>();
        private final Map<Long, Map<String, String>> netnsSysctls = new HashMap<>();
        private final Set<String> refusedNetnsSysctls = new HashSet<>();
        private int netnsSysctlCount;
        private int collectorProblems;
        /**
         * Format 3's groups as printed: netns is the namespace inode (0 = the collector's own) and the owner holds
         * only pid and tid; both are resolved in build, once namespaces and processes are known.
         */
        private final List<SocketGroup> groups = new ArrayList<>();
        private final Set<SocketGroup.Key> groupKeys = new HashSet<>();

        /** The whole output at once: each line is read in place, without copying it. */
        CollectorOutput parse(String output) {
            if (output == null) {
                problems.add("there is no output");
                return build();
            }
            int length = output.length();
            int position = 0;
            while (position < length) {
                int newline = output.indexOf('\n', position);
                int end = newline < 0 ? length : newline;
                line(output, position, end);
                position = newline < 0 ? length : newline + 1;
            }
            return finish();
        }

        /** One line, text[from, end), without its newline. */
        void line(String lineText, int from, int end) {
            if (!admit()) {
                return;
            }
            text = lineText;
            if (complete) {
                if (!isBlank(from, end)) {
                    trailingLines++;
                }
                return;
            }
            lineNumber++;
            if (end > from && text.charAt(end - 1) == '\r') {
                end--;
            }
            if (end - from > MAX_LINE_CHARS) {
                longLine();
            } else {
                if (!sawContent && !isBlank(from, end)) {
                    sawContent = true;
                }
                parseLine(from, end);
            }
        }

        /** A line the stream cut because it was too long to keep: counted like {@link #line} counts one. */
        void cutLine() {
            if (!admit()) {
                return;
            }
            if (complete) {
                trailingLines++;
                return;
            }
            lineNumber++;
            longLine();
        }

        /** Whether the next line is read: false once a cap stopped the parse, or when this line passes MAX_LINES. */
        private boolean admit() {
            if (!stopped && ++linesSeen > MAX_LINES) {
                stop("the output is longer than " + MAX_LINES + " lines; the rest was not read");
            }
            return !stopped;
        }

        /** Stops reading at a cap: the problem is reported once, and an output without its end marker yet stays incomplete. */
        void stop(String problem) {
            if (!stopped) {
                stopped = true;
                sawContent = true;
                problems.addAlways(problem);
            }
        }

        private void longLine() {
            sawContent = true;
            problems.add(where() + "line is longer than " + MAX_LINE_CHARS + " characters, skipped");
        }

        CollectorOutput finish() {
            if (!sawContent) {
                problems.add("the output is empty");
                return build();
            }
            if (trailingLines > 0) {
                problems.add(trailingLines + " line(s) after ==linger:end== ignored");
            }
            return build();
        }

        private void parseLine(int from, int to) {
            int contentEnd = to;
            while (contentEnd > from && isSpace(text.charAt(contentEnd - 1))) {
                contentEnd--;
            }
            if (isBlank(from, contentEnd)) {
                return;
            }
            if (isSectionHeader(from, contentEnd)) {
                startSection(text.substring(from + SECTION_PREFIX.length(), contentEnd - SECTION_SUFFIX.length()));
                return;
            }
            if (section == null && !ignoringSection) {
                if (linesBeforeFirstSection++ == 0) {
                    firstStrayLine = lineNumber;
                    firstStrayText = quote(from, contentEnd);
                }
                return;
            }
            if (ignoringSection) {
                return;
            }
            if (sizeOf(section) >= cap(section)) {
                overLimit[section.ordinal()]++;
                return;
            }
            cursor = from;
            lineEnd = contentEnd;
            switch (section) {
                case META -> parseMeta();
                case SYSCTLS -> parseSysctl();
                case SOCKSTAT -> parseSockstat();
                case COUNTS -> parseCount();
                case SOCKETS -> parseSocket();
                case OWNERS -> parseOwner();
                case PROCESSES -> parseProcess();
                case NAMESPACES -> parseNamespace(from, contentEnd);
                case NETNS_SYSCTLS -> parseNetnsSysctl();
                case GROUPS -> parseGroup();
                case PROBLEMS -> {
                    collectorProblems++;
                    problems.add("collector: " + keep(from, contentEnd));
                }
                default -> { }
            }
        }

        private int sizeOf(Section current) {
            return switch (current) {
                case META -> metaKeysSeen.size();
                case SYSCTLS -> sysctls.size();
                case SOCKSTAT -> 0; // only the TCP line is kept
                case COUNTS -> states.size();
                case SOCKETS -> sockets.size();
                case OWNERS -> ownerByInode.size();
                case PROCESSES -> processes.size();
                case NAMESPACES -> listed.size();
                case NETNS_SYSCTLS -> netnsSysctlCount;
                case PROBLEMS -> collectorProblems;
                case GROUPS -> groups.size();
            };
        }

        private static int cap(Section current) {
            return current == Section.SOCKETS ? MAX_SOCKETS : current == Section.NAMESPACES ? MAX_NAMESPACES
                    : current == Section.PROBLEMS ? MAX_PROBLEMS : current == Section.GROUPS ? MAX_GROUPS
                    : MAX_ENTRIES;
        }

        private boolean isSectionHeader(int from, int to) {
            return to - from >= SECTION_PREFIX.length() + SECTION_SUFFIX.length()
                    && text.startsWith(SECTION_PREFIX, from)
                    && text.startsWith(SECTION_SUFFIX, to - SECTION_SUFFIX.length());
        }

        private void startSection(String name) {
            if (END_SECTION.equals(name)) {
                complete = true;
                return;
            }
            Section next = Section.byLabel(name);
            if (next == null) {
                problems.add("line " + lineNumber + ": unknown section '" + quote(name) + "' ignored");
                section = null;
                ignoringSection = true;
            } else if (!seenSections.add(next)) {
                // Merging a second copy would double-count; the first copy is the one the script wrote.
                problems.add("line " + lineNumber + ": section '" + next.label + "' appears again, ignored");
                section = null;
                ignoringSection = true;
            } else {
                section = next;
                ignoringSection = false;
            }
        }

        // ---- meta ----

        private void parseMeta() {
            nextToken();
            String key = quote(tokenStart, tokenEnd);
            int valueStart = skipSpaces(cursor);
            if (!metaKeysSeen.add(key)) {
                problems.add(where() + "'" + key + "' appears again, ignored");
                return;
            }
            switch (key) {
                case "format" -> format = metaInt("format", valueStart);
                case "hostname" -> hostname = metaText(valueStart);
                case "kernel" -> kernel = metaText(valueStart);
                case "now" -> {
                    long value = singleNumber("now", valueStart);
                    now = value < 0 ? null : value;
                }
                case "uid" -> uid = metaInt("uid", valueStart);
                case "ephemeral" -> parseEphemeral();
                case "source" -> {
                    String value = text.substring(valueStart, lineEnd);
                    if (value.equals("ss") || value.equals("proc")) {
                        source = value;
                    } else {
                        problems.add(where() + "source is neither 'ss' nor 'proc': '" + quote(valueStart, lineEnd) + "'");
                    }
                }
                case "boot" -> bootId = bootId(valueStart);
                case "netns" -> {
                    long value = singleNumber("netns", valueStart);
                    netnsInode = Math.max(0, value);
                }
                case "kill-sockets" -> {
                    String value = text.substring(valueStart, lineEnd);
                    if (value.equals("yes") || value.equals("no")) {
                        canKillSockets = value.equals("yes");
                    } else {
                        problems.add(where() + "kill-sockets is neither 'yes' nor 'no': '" + quote(valueStart, lineEnd) + "'");
                    }
                }
                default -> problems.add(where() + "unknown key '" + key + "'");
            }
        }

        /** The kernel's boot id, a UUID; anything else is not kept (it names the namespaces' lifetime). */
        private String bootId(int valueStart) {
            String value = text.substring(valueStart, lineEnd);
            if (value.isEmpty()) {
                return null; // an old kernel without /proc/sys/kernel/random/boot_id
            }
            if (!value.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) {
                problems.add(where() + "boot is not a boot id: '" + quote(valueStart, lineEnd) + "'");
                return null;
            }
            return value.toLowerCase(java.util.Locale.ROOT);
        }

        private Integer metaInt(String field, int valueStart) {
            long value = singleNumber(field, valueStart);
            if (value > Integer.MAX_VALUE) {
                reportNumber(field, TOO_LARGE, valueStart, lineEnd);
                return null;
            }
            return value < 0 ? null : (int) value;
        }

        /** A value that must be one number filling the rest of the line; negative when reported as a problem. */
        private long singleNumber(String field, int valueStart) {
            long value = number(valueStart, lineEnd);
            if (value < 0) {
                reportNumber(field, value, valueStart, lineEnd);
            }
            return value;
        }

        private String metaText(int valueStart) {
            String value = keep(valueStart, lineEnd);
            return value.isEmpty() ? null : value;
        }

        private void parseEphemeral() {
            Integer low = nextPort("ephemeral low port");
            Integer high = low == null ? null : nextPort("ephemeral high port");
            if (high == null) {
                return;
            }
            if (low > high || nextToken()) {
                problems.add(where() + "expected 'ephemeral LOW HIGH'");
                return;
            }
            ephemeralLow = low;
            ephemeralHigh = high;
        }

        private Integer nextPort(String field) {
            if (!nextToken()) {
                problems.add(where() + field + " is missing");
                return null;
            }
            long value = number(tokenStart, tokenEnd);
            if (value > 65535) {
                problems.add(where() + field + " is out of range: '" + quote(tokenStart, tokenEnd) + "'");
                return null;
            }
            if (value < 0) {
                reportNumber(field, value, tokenStart, tokenEnd);
                return null;
            }
            return (int) value;
        }

        // ---- sysctls ----

        private void parseSysctl() {
            parseSysctl(sysctls, refusedSysctls, "");
        }

        /** {@code INODE key = value}: a sysctl read inside another network namespace. */
        private void parseNetnsSysctl() {
            nextToken();
            long inode = number(tokenStart, tokenEnd);
            if (inode <= 0) {
                reportNumber("namespace inode", inode == 0 ? NOT_POSITIVE : inode, tokenStart, tokenEnd);
                return;
            }
            Map<String, String> target = netnsSysctls.get(inode);
            if (target == null) {
                if (netnsSysctls.size() >= MAX_NAMESPACES) {
                    overLimit[Section.NETNS_SYSCTLS.ordinal()]++;
                    return;
                }
                target = new LinkedHashMap<>();
                netnsSysctls.put(inode, target);
            }
            netnsSysctlCount++;
            parseSysctl(target, refusedNetnsSysctls, inode + " ");
        }

        private void parseSysctl(Map<String, String> sysctls, Set<String> refusedSysctls, String refusedPrefix) {
            nextToken();
            int keyStart = tokenStart;
            int keyEnd = tokenEnd;
            if (keyEnd - keyStart > MAX_KEPT_CHARS || !isSysctlKey(keyStart, keyEnd)) {
                problems.add(where() + "not a sysctl key: '" + quote(keyStart, keyEnd) + "'");
                return;
            }
            int rest = skipSpaces(cursor);
            String value;
            if (rest < lineEnd && text.charAt(rest) == '?' && isBlank(rest + 1, lineEnd)) {
                value = null; // the host has no such key (e.g. a global sysctl inside a network namespace)
            } else if (rest < lineEnd && text.charAt(rest) == '=') {
                int valueStart = skipSpaces(rest + 1);
                if (!isSysctlNumbers(valueStart, lineEnd)) {
                    // Every watched sysctl is numeric; anything else is not a value to compare or restore.
                    problems.add(where() + "'" + quote(keyStart, keyEnd) + "' has a value that is not numbers: '"
                            + quote(valueStart, lineEnd) + "', not kept");
                    return;
                }
                value = keep(valueStart, lineEnd);
            } else {
                problems.add(where() + "expected 'key = value' or 'key ?'");
                return;
            }
            String key = text.substring(keyStart, keyEnd);
            if (refusedSysctls.contains(refusedPrefix + key)) {
                problems.add(where() + "'" + key + "' appears again, ignored");
                return;
            }
            if (sysctls.containsKey(key)) {
                // The script prints each key once: a second line is forged, and neither copy can be trusted.
                sysctls.remove(key);
                refusedSysctls.add(refusedPrefix + key);
                problems.add(where() + "'" + key + "' appears more than once, its value is not kept");
                return;
            }
            sysctls.put(key, value);
        }

        /** One to eight integers separated by spaces, as /proc/sys prints numeric sysctls (e.g. tcp_rmem). */
        private boolean isSysctlNumbers(int from, int to) {
            int numbers = 0;
            int position = from;
            while (position < to) {
                if (text.charAt(position) == '-') {
                    position++;
                }
                int digits = position;
                while (position < to && text.charAt(position) >= '0' && text.charAt(position) <= '9') {
                    position++;
                }
                if (position == digits || position - digits > 19 || ++numbers > 8) {
                    return false;
                }
                if (position < to && !isSpace(text.charAt(position))) {
                    return false;
                }
                position = skipSpaces(position);
            }
            return numbers > 0;
        }

        private boolean isSysctlKey(int from, int to) {
            for (int i = from; i < to; i++) {
                char c = text.charAt(i);
                if (c <= ' ' || c >= 0x7F || c == '=') {
                    return false;
                }
            }
            return to > from;
        }

        // ---- sockstat ----

        private void parseSockstat() {
            nextToken();
            if (!tokenEquals("TCP:")) {
                if (text.charAt(tokenEnd - 1) != ':') {
                    problems.add(where() + "not a /proc/net/sockstat line: '" + quote(tokenStart, lineEnd) + "'");
                }
                return; // sockets:, UDP:, RAW: ... are well-formed, just not needed
            }
            if (sockstatTcpSeen) {
                problems.add(where() + "a second TCP line, ignored");
                return;
            }
            sockstatTcpSeen = true;
            long inUse = -1;
            long orphans = -1;
            long timeWait = -1;
            long allocated = -1;
            while (nextToken()) {
                int nameStart = tokenStart;
                int nameEnd = tokenEnd;
                if (!nextToken()) {
                    problems.add(where() + "'" + quote(nameStart, nameEnd) + "' has no value");
                    return;
                }
                long value = number(tokenStart, tokenEnd);
                if (value < 0) {
                    reportNumber("TCP " + quote(nameStart, nameEnd), value, tokenStart, tokenEnd);
                    return;
                }
                if (regionIs(nameStart, nameEnd, "inuse")) {
                    inUse = value;
                } else if (regionIs(nameStart, nameEnd, "orphan")) {
                    orphans = value;
                } else if (regionIs(nameStart, nameEnd, "tw")) {
                    timeWait = value;
                } else if (regionIs(nameStart, nameEnd, "alloc")) {
                    allocated = value;
                }
            }
            if (inUse < 0 || orphans < 0 || timeWait < 0 || allocated < 0) {
                problems.add(where() + "the TCP line lacks one of inuse, orphan, tw, alloc");
                return;
            }
            sockstat = new Sockstat(inUse, orphans, timeWait, allocated);
        }

        // ---- counts ----

        /**
         * The current token as a port ({@code *} or {@code ?}: the script could not tell, 0) and the next as
         * {@code local} or {@code remote}: {@code port << 1 | remote}, or -1 after reporting the problem.
         */
        private int portAndDirection() {
            int port;
            if (tokenEnd - tokenStart == 1 && (text.charAt(tokenStart) == '*' || text.charAt(tokenStart) == '?')) {
                port = 0;
            } else {
                long value = number(tokenStart, tokenEnd);
                if (value < 0) {
                    reportNumber("port", value, tokenStart, tokenEnd);
                    return -1;
                }
                if (value > 65535) {
                    problems.add(where() + "port is out of range: '" + quote(tokenStart, tokenEnd) + "'");
                    return -1;
                }
                port = (int) value;
            }
            if (!nextToken() || !(tokenEquals("local") || tokenEquals("remote"))) {
                problems.add(where() + "expected 'local' or 'remote' after the port");
                return -1;
            }
            return port << 1 | (tokenEquals("remote") ? 1 : 0);
        }

        private void parseCount() {
            nextToken();
            String state = stateName(tokenStart, tokenEnd);
            if (state == null) {
                problems.add(where() + "unknown state '" + quote(tokenStart, tokenEnd) + "'");
                return;
            }
            if (!nextToken()) {
                problems.add(where() + "expected 'STATE PORT local|remote COUNT'");
                return;
            }
            int portAndDirection = portAndDirection();
            if (portAndDirection < 0) {
                return;
            }
            int port = portAndDirection >> 1;
            boolean remote = (portAndDirection & 1) == 1;
            if (!nextToken()) {
                problems.add(where() + "the count is missing");
                return;
            }
            long count = number(tokenStart, tokenEnd);
            if (count < 0) {
                reportNumber("count", count, tokenStart, tokenEnd);
                return;
            }
            long netns = 0;
            if (nextToken()) {
                netns = number(tokenStart, tokenEnd); // format 2: another namespace's inode
                if (netns <= 0) {
                    reportNumber("namespace inode", netns == 0 ? NOT_POSITIVE : netns, tokenStart, tokenEnd);
                    return;
                }
            }
            if (nextToken()) {
                problems.add(where() + "unexpected text after the count: '" + quote(tokenStart, lineEnd) + "'");
                return;
            }
            if (!stateKeys.add(state + ' ' + port + ' ' + remote + ' ' + netns)) {
                problems.add(where() + "count for " + state + " " + port + (remote ? " remote" : " local")
                        + (netns == 0 ? "" : " in net:[" + netns + "]") + " appears again, ignored");
                return;
            }
            states.add(new StateCount(port, remote, state, count, netns));
        }

        // ---- sockets ----

        private void parseSocket() {
            nextToken();
            if (regionIs(tokenStart, tokenEnd, "/proc")) {
                parseProcSocket();
                return;
            }
            String state = stateName(tokenStart, tokenEnd);
            if (state == null) {
                problems.add(where() + "unknown state '" + quote(tokenStart, tokenEnd) + "'");
                return;
            }
            if (!nextToken()) {
                problems.add(where() + "recv-q is missing");
                return;
            }
            long recvQ = number(tokenStart, tokenEnd);
            if (recvQ < 0) {
                reportNumber("recv-q", recvQ, tokenStart, tokenEnd);
                return;
            }
            if (!nextToken()) {
                problems.add(where() + "send-q is missing");
                return;
            }
            long sendQ = number(tokenStart, tokenEnd);
            if (sendQ < 0) {
                reportNumber("send-q", sendQ, tokenStart, tokenEnd);
                return;
            }
            if (!nextToken()) {
                problems.add(where() + "the local address is missing");
                return;
            }
            String local = address(tokenStart, tokenEnd);
            if (!nextToken()) {
                problems.add(where() + "the peer address is missing");
                return;
            }
            String peer = address(tokenStart, tokenEnd);

            // Details come in any order. A malformed detail costs only that detail: the state, queues and
            // addresses are still worth keeping.
            String timer = null;
            Long timerMillis = null;
            Integer retransmits = null;
            Integer socketUid = null;
            long inode = 0;
            boolean timerSeen = false;
            boolean uidSeen = false;
            boolean inodeSeen = false;
            while (nextToken()) {
                if (!timerSeen && text.startsWith("timer:(", tokenStart)) {
                    timerSeen = true;
                    int open = tokenStart + "timer:(".length();
                    int firstComma = indexOf(',', open, tokenEnd);
                    int secondComma = firstComma < 0 ? -1 : indexOf(',', firstComma + 1, tokenEnd);
                    if (secondComma < 0 || text.charAt(tokenEnd - 1) != ')'
                            || indexOf(',', secondComma + 1, tokenEnd) >= 0) {
                        problems.add(where() + "timer is not 'timer:(name,time,retransmits)': '"
                                + quote(tokenStart, tokenEnd) + "'");
                        continue;
                    }
                    if (regionIs(open, firstComma, TIMER_OFF)) {
                        continue; // the /proc fallback spells "no timer" as timer:(off,0ms,0)
                    }
                    String name = timerName(open, firstComma);
                    long millis = ssTimeMillis(text, firstComma + 1, secondComma);
                    long retrans = number(secondComma + 1, tokenEnd - 1);
                    if (name == null) {
                        problems.add(where() + "unknown timer '" + quote(open, firstComma) + "'");
                    } else if (millis < 0) {
                        problems.add(where() + "timer time is not in ss format: '"
                                + quote(firstComma + 1, secondComma) + "'");
                    } else if (retrans < 0 || retrans > Integer.MAX_VALUE) {
                        reportNumber("timer retransmits", retrans < 0 ? retrans : TOO_LARGE, secondComma + 1,
                                tokenEnd - 1);
                    } else {
                        timer = name;
                        timerMillis = millis;
                        retransmits = (int) retrans;
                    }
                } else if (!uidSeen && text.startsWith("uid:", tokenStart)) {
                    uidSeen = true;
                    long value = number(tokenStart + 4, tokenEnd);
                    if (value < 0 || value > Integer.MAX_VALUE) {
                        reportNumber("uid", value < 0 ? value : TOO_LARGE, tokenStart + 4, tokenEnd);
                    } else {
                        socketUid = (int) value;
                    }
                } else if (!inodeSeen && text.startsWith("ino:", tokenStart)) {
                    inodeSeen = true;
                    long value = number(tokenStart + 4, tokenEnd);
                    if (value < 0) {
                        reportNumber("inode", value, tokenStart + 4, tokenEnd);
                    } else {
                        inode = value;
                    }
                }
                // anything else (sk:, cgroup:, <->, v6only:, ...) is not needed
            }
            if (!uidSeen && inodeSeen) {
                socketUid = 0; // ss -e always prints ino: but prints uid: only when it is not 0
            }
            sockets.add(new NotableSocket(state, local, peer, recvQ, sendQ, timer, timerMillis, retransmits,
                    socketUid, inode, null));
        }

        /**
         * A notable socket as the collector copies it from /proc/net/tcp(6), decoded here rather than in awk on
         * the host: {@code /proc ST LOCAL PEER TX:RX TR:WHEN RETRANSMITS UID INODE}, with ST, addresses, queues,
         * timer and retransmits in hex as the kernel prints them.
         */
        private void parseProcSocket() {
            String[] field = new String[8];
            int[] at = new int[8];
            for (int i = 0; i < 8; i++) {
                if (!nextToken()) {
                    problems.add(where() + "a /proc socket line needs 8 fields, found " + i);
                    return;
                }
                field[i] = text.substring(tokenStart, tokenEnd);
                at[i] = tokenStart;
            }
            long code = hexValue(field[0]);
            if (code < 1 || code > STATES.length) {
                problems.add(where() + "unknown /proc state '" + quoteText(field[0]) + "'");
                return;
            }
            String local = procAddress(field[1]);
            String peer = procAddress(field[2]);
            int queueColon = field[3].indexOf(':');
            int timerColon = field[4].indexOf(':');
            long tx = queueColon < 0 ? -1 : hexValue(field[3].substring(0, queueColon));
            long rx = queueColon < 0 ? -1 : hexValue(field[3].substring(queueColon + 1));
            long timerCode = timerColon < 0 ? -1 : hexValue(field[4].substring(0, timerColon));
            long when = timerColon < 0 ? -1 : hexValue(field[4].substring(timerColon + 1));
            long retrans = hexValue(field[5]);
            long socketUid = number(at[6], at[6] + field[6].length());
            long inode = number(at[7], at[7] + field[7].length());
            long netns = 0;
            if (nextToken()) {
                netns = number(tokenStart, tokenEnd); // format 2: another namespace's inode
                if (netns <= 0 || nextToken()) {
                    problems.add(where() + "a /proc socket line ends with a namespace inode, not '"
                            + quote(tokenStart, lineEnd) + "'");
                    return;
                }
            }
            if (local == null || peer == null || tx < 0 || rx < 0 || timerCode < 0 || when < 0 || retrans < 0
                    || socketUid < 0 || socketUid > Integer.MAX_VALUE || inode < 0) {
                problems.add(where() + "unreadable /proc socket line");
                return;
            }
            String timer = timerCode >= 1 && timerCode <= RUNNING_TIMERS.length ? RUNNING_TIMERS[(int) timerCode - 1]
                    : null;
            // tm->when is in clock ticks of 1/100 s (USER_HZ)
            sockets.add(new NotableSocket(STATES[(int) code - 1], local, peer, rx, tx, timer,
                    timer == null ? null : when * 10, timer == null ? null : (int) Math.min(Integer.MAX_VALUE, retrans),
                    (int) socketUid, inode, null, netns));
        }

        /** {@code 0100007F:2378} is 127.0.0.1:9080; 32 hex digits are an IPv6 address. Null when malformed. */
        private String procAddress(String hexAddress) {
            int colon = hexAddress.indexOf(':');
            if (colon != 8 && colon != 32 || hexAddress.length() - colon - 1 != 4) {
                return null;
            }
            long port = hexValue(hexAddress.substring(colon + 1));
            if (port < 0) {
                return null;
            }
            if (colon == 8) {
                long a = hexValue(hexAddress.substring(0, 8));
                if (a < 0) {
                    return null;
                }
                // the kernel prints the address as one little-endian word
                return (a & 0xff) + "." + (a >> 8 & 0xff) + "." + (a >> 16 & 0xff) + "." + (a >> 24 & 0xff) + ":" + port;
            }
            for (int i = 0; i < 32; i++) {
                if (Character.digit(hexAddress.charAt(i), 16) < 0) {
                    return null;
                }
            }
            return "[" + procIpv6Literal(hexAddress, 0) + "]:" + port;
        }

        private static long hexValue(String digits) {
            if (digits.isEmpty() || digits.length() > 15) {
                return -1;
            }
            long v = 0;
            for (int i = 0; i < digits.length(); i++) {
                int d = Character.digit(digits.charAt(i), 16);
                if (d < 0) {
                    return -1;
                }
                v = v * 16 + d;
            }
            return v;
        }

        private static String quoteText(String s) {
            return s.length() > MAX_QUOTED_CHARS ? s.substring(0, MAX_QUOTED_CHARS) + "…" : s;
        }

        /**
         * ss's text as is, except the /proc fallback's IPv6 form {@code [32 hex digits]:port}, which becomes the
         * literal ss would print.
         */
        private String address(int from, int to) {
            if (isProcIpv6(from, to)) {
                return "[" + procIpv6Literal(text, from + 1) + "]" + keep(from + 34, to);
            }
            return keep(from, to);
        }

        private boolean isProcIpv6(int from, int to) {
            if (to - from < 35 || text.charAt(from) != '[' || text.charAt(from + 33) != ']'
                    || text.charAt(from + 34) != ':') {
                return false;
            }
            for (int i = from + 1; i < from + 33; i++) {
                if (Character.digit(text.charAt(i), 16) < 0) {
                    return false;
                }
            }
            return true;
        }

        // ---- groups ----

        /**
         * {@code STATE PORT local|remote PID TID COUNT RECVQ RECVQMAX RECVQMIN WITHRECVQ SENDQ SENDQMAX WITHSENDQ
         * TIMERS RETRMAX [NETNS]}: exact counts over every notable socket of a group, made on the host. A line
         * with a number out of bounds is dropped whole: adding up part of a forged group is worse than none.
         */
        private void parseGroup() {
            nextToken();
            String state = stateName(tokenStart, tokenEnd);
            if (state == null) {
                problems.add(where() + "unknown state '" + quote(tokenStart, tokenEnd) + "'");
                return;
            }
            if (!nextToken()) {
                problems.add(where() + "expected '" + GROUP_FIELDS + "'");
                return;
            }
            int portAndDirection = portAndDirection();
            if (portAndDirection < 0) {
                return;
            }
            int port = portAndDirection >> 1;
            boolean remote = (portAndDirection & 1) == 1;
            long pid = groupNumber("pid", Integer.MAX_VALUE);
            long tid = pid < 0 ? -1 : groupNumber("tid", Integer.MAX_VALUE);
            if (tid < 0) {
                return;
            }
            if ((pid == 0) != (tid == 0)) {
                problems.add(where() + "pid and tid must both be 0 (no owner) or both be set");
                return;
            }
            long[] v = new long[7]; // count, recvQ, recvQMax, recvQMin, withRecvQ, sendQ, sendQMax
            String[] names = {"count", "recv-q", "recv-q max", "recv-q min", "sockets with recv-q", "send-q",
                "send-q max"};
            for (int i = 0; i < v.length; i++) {
                v[i] = groupNumber(names[i], i == 0 || i == 4 ? MAX_GROUP_COUNT : MAX_GROUP_BYTES);
                if (v[i] < 0) {
                    return;
                }
            }
            long withSendQ = groupNumber("sockets with send-q", MAX_GROUP_COUNT);
            if (withSendQ < 0) {
                return;
            }
            if (!nextToken()) {
                problems.add(where() + "the timers are missing");
                return;
            }
            Map<String, Long> timers = groupTimers(tokenStart, tokenEnd);
            if (timers == null) {
                return;
            }
            long retransmitsMax = groupNumber("retransmits max", MAX_GROUP_COUNT);
            if (retransmitsMax < 0) {
                return;
            }
            long netns = 0;
            if (nextToken()) {
                netns = number(tokenStart, tokenEnd);
                if (netns <= 0) {
                    reportNumber("namespace inode", netns == 0 ? NOT_POSITIVE : netns, tokenStart, tokenEnd);
                    return;
                }
            }
            if (nextToken()) {
                problems.add(where() + "unexpected text after the group: '" + quote(tokenStart, lineEnd) + "'");
                return;
            }
            long count = v[0];
            if (count == 0 || v[4] > count || withSendQ > count || v[2] > v[1] || v[6] > v[5] || v[3] > v[2]) {
                problems.add(where() + "the group's numbers do not add up (count " + count + "), dropped");
                return;
            }
            SocketGroup.Key key = new SocketGroup.Key(netns, port, remote, state, (int) pid, (int) tid);
            if (!groupKeys.add(key)) {
                problems.add(where() + "group " + state + " " + port + (remote ? " remote" : " local") + " pid " + pid
                        + (netns == 0 ? "" : " in net:[" + netns + "]") + " appears again, ignored");
                return;
            }
            Owner owner = pid == 0 ? null : new Owner((int) pid, (int) tid, null, null, null);
            groups.add(new SocketGroup(netns, port, remote, state, owner, count, v[1], v[2], v[3], v[4], v[5], v[6],
                    withSendQ, timers, (int) retransmitsMax, null));
        }

        /** The next token as a number in [0, max]; -1 after reporting why it is not. */
        private long groupNumber(String field, long max) {
            if (!nextToken()) {
                problems.add(where() + field + " is missing (expected '" + GROUP_FIELDS + "')");
                return -1;
            }
            long value = number(tokenStart, tokenEnd);
            if (value < 0 || value > max) {
                reportNumber(field, value < 0 ? value : TOO_LARGE, tokenStart, tokenEnd);
                return -1;
            }
            return value;
        }

        /**
         * {@code name=N[,name=N...]} over on, keepalive, timewait, persist, none, each once; {@code -} for none at
         * all. Null after reporting a problem.
         */
        private Map<String, Long> groupTimers(int from, int to) {
            Map<String, Long> timers = new LinkedHashMap<>();
            if (to - from == 1 && text.charAt(from) == '-') {
                return timers;
            }
            int position = from;
            while (position < to) {
                int comma = indexOf(',', position, to);
                int end = comma < 0 ? to : comma;
                int equals = indexOf('=', position, end);
                String name = equals < 0 ? null : groupTimerName(position, equals);
                if (name == null) {
                    problems.add(where() + "timers are not 'name=N,...' of " + SocketGroups.TIMER_ORDER + ": '"
                            + quote(from, to) + "'");
                    return null;
                }
                long n = number(equals + 1, end);
                if (n < 0 || n > MAX_GROUP_COUNT) {
                    reportNumber("timer " + name, n < 0 ? n : TOO_LARGE, equals + 1, end);
                    return null;
                }
                if (timers.put(name, n) != null) {
                    problems.add(where() + "timer '" + name + "' appears twice: '" + quote(from, to) + "'");
                    return null;
                }
                position = comma < 0 ? to : comma + 1;
            }
            // In the fixed order the groups use, whatever order the host printed them in.
            Map<String, Long> ordered = new LinkedHashMap<>();
            for (String name : SocketGroups.TIMER_ORDER) {
                Long n = timers.get(name);
                if (n != null && n > 0) {
                    ordered.put(name, n);
                }
            }
            return ordered;
        }

        private String groupTimerName(int from, int to) {
            for (String name : SocketGroups.TIMER_ORDER) {
                if (regionIs(from, to, name)) {
                    return name;
                }
            }
            return null;
        }

        // ---- owners ----

        private void parseOwner() {
            nextToken();
            long inode = number(tokenStart, tokenEnd);
            if (inode <= 0) {
                reportNumber("inode", inode == 0 ? NOT_POSITIVE : inode, tokenStart, tokenEnd);
                return;
            }
            int pid = nextId("pid");
            int tid = pid <= 0 ? -1 : nextId("tid");
            if (tid <= 0) {
                return;
            }
            if (nextToken()) {
                problems.add(where() + "expected 'INODE PID TID'");
                return;
            }
            ownerByInode.putIfAbsent(inode, ((long) pid << 32) | tid);
        }

        /** A positive int token, or -1 after reporting the problem. */
        private int nextId(String field) {
            if (!nextToken()) {
                problems.add(where() + field + " is missing");
                return -1;
            }
            long value = number(tokenStart, tokenEnd);
            if (value <= 0 || value > Integer.MAX_VALUE) {
                reportNumber(field, value == 0 ? NOT_POSITIVE : value < 0 ? value : TOO_LARGE, tokenStart, tokenEnd);
                return -1;
            }
            return (int) value;
        }

        // ---- processes ----

        private void parseProcess() {
            nextToken();
            long pid = number(tokenStart, tokenEnd);
            if (pid <= 0 || pid > Integer.MAX_VALUE) {
                reportNumber("pid", pid == 0 ? NOT_POSITIVE : pid < 0 ? pid : TOO_LARGE, tokenStart, tokenEnd);
                return;
            }
            if (!nextToken()) {
                problems.add(where() + "expected 'PID PPID STATE THREADS COMMAND'");
                return;
            }
            long ppid = number(tokenStart, tokenEnd); // 0 is real: the parent of init and kthreadd
            if (ppid < 0 || ppid > Integer.MAX_VALUE) {
                reportNumber("ppid", ppid < 0 ? ppid : TOO_LARGE, tokenStart, tokenEnd);
                return;
            }
            if (!nextToken()) {
                problems.add(where() + "expected 'PID PPID STATE THREADS COMMAND'");
                return;
            }
            if (tokenEnd - tokenStart != 1 || !isAsciiLetter(text.charAt(tokenStart))) {
                problems.add(where() + "process state is not one letter: '" + quote(tokenStart, tokenEnd) + "'");
                return;
            }
            String state = String.valueOf(text.charAt(tokenStart));
            if (!nextToken()) {
                problems.add(where() + "expected 'PID PPID STATE THREADS COMMAND'");
                return;
            }
            long threads = number(tokenStart, tokenEnd);
            if (threads < 0 || threads > Integer.MAX_VALUE) {
                reportNumber("threads", threads < 0 ? threads : TOO_LARGE, tokenStart, tokenEnd);
                return;
            }
            // The script prints exactly one space before the command, which may itself hold spaces.
            String command = tokenEnd < lineEnd ? keep(tokenEnd + 1, lineEnd) : "";
            if (refusedPids.contains((int) pid)) {
                problems.add(where() + "pid " + pid + " appears again, ignored");
                return;
            }
            ProcessInfo earlier = processByPid.remove((int) pid);
            if (earlier != null) {
                // The script prints each pid once: a second line is forged, and neither copy can be trusted.
                processes.remove(earlier);
                refusedPids.add((int) pid);
                problems.add(where() + "pid " + pid + " appears more than once, its process line is not kept");
                return;
            }
            ProcessInfo process = new ProcessInfo((int) pid, (int) ppid, state, (int) threads, command);
            processByPid.put(process.pid(), process);
            processes.add(process);
        }

        // ---- namespaces ----

        /** One line of the namespaces section, before it is classified. */
        private record ListedNamespace(long inode, int pid, String netnsName, String hostname, List<String> cgroups) {
        }

        /**
         * {@code INODE<TAB>PID<TAB>IP-NETNS-NAME<TAB>HOSTNAME[<TAB>CGROUP...]}: tab-separated because a hostname, an
         * ip-netns name or a cgroup path may hold spaces (the script turns control characters, tabs included, into
         * "?"). Empty fields are unknown.
         */
        private void parseNamespace(int from, int to) {
            List<int[]> fields = new ArrayList<>();
            int start = from;
            for (int i = from; i <= to && fields.size() < 4 + MAX_CGROUP_PATHS; i++) {
                if (i == to || text.charAt(i) == '\t') {
                    fields.add(new int[] {start, i});
                    start = i + 1;
                }
            }
            if (fields.size() < 2) {
                problems.add(where() + "expected 'INODE<TAB>PID<TAB>NETNS-NAME<TAB>HOSTNAME<TAB>CGROUP...'");
                return;
            }
            long inode = number(fields.get(0)[0], fields.get(0)[1]);
            if (inode <= 0) {
                reportNumber("namespace inode", inode == 0 ? NOT_POSITIVE : inode, fields.get(0)[0], fields.get(0)[1]);
                return;
            }
            long pid = number(fields.get(1)[0], fields.get(1)[1]);
            if (pid <= 0 || pid > Integer.MAX_VALUE) {
                reportNumber("pid", pid == 0 ? NOT_POSITIVE : pid < 0 ? pid : TOO_LARGE, fields.get(1)[0],
                        fields.get(1)[1]);
                return;
            }
            if (listed.containsKey(inode)) {
                problems.add(where() + "namespace " + inode + " appears again, ignored");
                return;
            }
            String netnsName = fields.size() > 2 ? optional(fields.get(2)) : null;
            String hostname = fields.size() > 3 ? optional(fields.get(3)) : null;
            List<String> cgroups = new ArrayList<>();
            for (int i = 4; i < fields.size(); i++) {
                int[] f = fields.get(i);
                if (f[1] > f[0]) {
                    cgroups.add(clean(text, f[0], f[1], NamespaceNames.MAX_PATH_CHARS));
                }
            }
            listed.put(inode, new ListedNamespace(inode, (int) pid, netnsName, hostname, List.copyOf(cgroups)));
        }

        private String optional(int[] field) {
            String value = keep(field[0], field[1]).strip();
            return value.isEmpty() ? null : value;
        }

        /**
         * The host's own namespace first (inode from meta), then each listed one, classified, then any inode that
         * counts or sockets name but the section did not list (shown by inode). Empty for a format 1 output.
         */
        private List<NetNamespace> namespaces() {
            if (!seenSections.contains(Section.NAMESPACES) && !metaKeysSeen.contains("netns")) {
                return List.of();
            }
            List<NetNamespace> all = new ArrayList<>();
            all.add(NetNamespace.host(netnsInode));
            Set<Long> known = new HashSet<>();
            known.add(0L);
            known.add(netnsInode);
            for (ListedNamespace ns : listed.values()) {
                if (ns.inode() == netnsInode) {
                    problems.add("namespaces: the collector's own namespace " + ns.inode() + " is listed, ignored");
                    continue;
                }
                known.add(ns.inode());
                all.add(NamespaceNames.classify(ns.inode(), ns.pid(), ns.netnsName(), ns.hostname(), ns.cgroups(),
                        hostname, netnsSysctls.get(ns.inode())));
            }
            int unlisted = 0;
            for (StateCount count : states) {
                unlisted += addUnlisted(count.netns(), known, all);
            }
            for (NotableSocket socket : sockets) {
                unlisted += addUnlisted(socket.netns(), known, all);
            }
            for (SocketGroup group : groups) {
                unlisted += addUnlisted(group.netns(), known, all);
            }
            if (unlisted > 0) {
                problems.add(unlisted + " namespace(s) named by counts, sockets or groups are not in the namespaces section;"
                        + " shown by inode");
            }
            return all;
        }

        private int addUnlisted(long inode, Set<Long> known, List<NetNamespace> all) {
            if (known.contains(inode) || all.size() > MAX_NAMESPACES) {
                return 0;
            }
            known.add(inode);
            all.add(new NetNamespace(inode, NetNamespace.Kind.NETNS, null, null, null, null, 0,
                    netnsSysctls.get(inode), 0));
            return 1;
        }

        /** The key a count or socket line's namespace inode stands for; -1 when it is not kept. */
        private long key(long inode, Set<Long> keys) {
            if (inode == 0 || inode == netnsInode) {
                return NetNamespace.HOST_KEY;
            }
            return keys.contains(inode) ? inode : -1;
        }

        // ---- result ----

        private CollectorOutput build() {
            if (linesBeforeFirstSection > 0) {
                problems.add(linesBeforeFirstSection + " line(s) before the first section ignored (line "
                        + firstStrayLine + ": '" + firstStrayText + "')");
            }
            for (Section limited : Section.values()) {
                int ignored = overLimit[limited.ordinal()];
                if (ignored > 0) {
                    problems.add(limited.label + ": only the first " + cap(limited)
                            + (limited == Section.GROUPS ? "" : " entries") + " kept, " + ignored + " more ignored");
                }
            }
            if (seenSections.contains(Section.META)) {
                if (format == null && !metaKeysSeen.contains("format")) {
                    problems.add("meta: the format line is missing");
                } else if (format != null && (format < OLDEST_FORMAT || format > SUPPORTED_FORMAT)) {
                    problems.add("meta: collector format " + format + " is not supported (expected "
                            + SUPPORTED_FORMAT + "); read as format " + SUPPORTED_FORMAT);
                }
            }
            if (complete) {
                for (Section expected : Section.values()) {
                    if (expected.required && !seenSections.contains(expected)) {
                        problems.add("section '" + expected.label + "' is missing");
                    }
                }
                if (format != null && format >= GROUPED_FORMAT && !seenSections.contains(Section.GROUPS)) {
                    problems.add("section 'groups' is missing; groups made from the sampled sockets undercount");
                }
            } else if (sawContent) {
                problems.add("output is incomplete (truncated?)");
            }
            Meta meta = new Meta(format, hostname, kernel, now, uid, ephemeralLow, ephemeralHigh, source,
                    canKillSockets, bootId, netnsInode);
            List<NetNamespace> namespaces = namespaces();
            Set<Long> keys = new HashSet<>();
            namespaces.forEach(ns -> keys.add(ns.key()));
            List<StateCount> counts = withKeys(keys);
            dropOwnersOfUnknownInodes();
            List<NotableSocket> joined = withOwners(keys);
            List<SocketGroup> grouped;
            if (seenSections.contains(Section.GROUPS)) {
                grouped = keyedGroups(keys);
            } else {
                // Formats 1 and 2 list every notable socket: group them here, exactly, before keeping samples.
                grouped = SocketGroups.of(joined, counts);
            }
            // Samples only, whatever the host sent: at most SAMPLES_PER_GROUP per group are stored and shown.
            List<NotableSocket> samples = keepEverySocket ? joined : SocketGroups.samples(joined, counts);
            return new CollectorOutput(meta, Collections.unmodifiableList(counts),
                    Collections.unmodifiableList(samples), Collections.unmodifiableMap(sysctls), sockstat,
                    Collections.unmodifiableList(processes), problems.finish(), complete, namespaces, grouped);
        }

        /**
         * The collector prints owners only for the inodes of the sockets it printed: an owner line for any other
         * inode is forged or garbled. Dropped, with one problem line saying how many.
         */
        private void dropOwnersOfUnknownInodes() {
            if (ownerByInode.isEmpty() || overLimit[Section.SOCKETS.ordinal()] > 0) {
                return; // sockets beyond the cap were not kept: their owners are not unknown, just unread
            }
            Set<Long> reported = new HashSet<>(sockets.size() * 2);
            for (NotableSocket socket : sockets) {
                if (socket.inode() != 0) {
                    reported.add(socket.inode());
                }
            }
            int before = ownerByInode.size();
            ownerByInode.keySet().retainAll(reported);
            int unknown = before - ownerByInode.size();
            if (unknown > 0) {
                problems.add("owners: " + unknown + " line(s) name an inode that no socket line reported, ignored");
            }
        }

        /** Format 3's groups with namespace keys in place of inodes and their owners' processes joined in. */
        private List<SocketGroup> keyedGroups(Set<Long> keys) {
            List<SocketGroup> keyed = new ArrayList<>(groups.size());
            int dropped = 0;
            for (SocketGroup group : groups) {
                long key = key(group.netns(), keys);
                if (key < 0) {
                    dropped++;
                    continue;
                }
                Owner owner = group.owner();
                if (owner != null) {
                    ProcessInfo process = processByPid.get(owner.pid());
                    if (process != null) {
                        owner = new Owner(owner.pid(), owner.tid(), process.command(), process.state(), process.ppid());
                    }
                }
                keyed.add(new SocketGroup(key, group.port(), group.remote(), group.state(), owner, group.count(),
                        group.recvQ(), group.recvQMax(), group.recvQMin(), group.withRecvQ(), group.sendQ(),
                        group.sendQMax(), group.withSendQ(), group.timers(), group.retransmitsMax(), null));
            }
            if (dropped > 0) {
                problems.add("groups: " + dropped + " line(s) of namespaces beyond the first " + MAX_NAMESPACES
                        + " ignored");
            }
            keyed.sort(SocketGroups.ORDER);
            return keyed;
        }

        /** Counts with namespace keys in place of inodes (the own namespace's inode becomes 0). */
        private List<StateCount> withKeys(Set<Long> keys) {
            List<StateCount> keyed = new ArrayList<>(states.size());
            int dropped = 0;
            for (StateCount count : states) {
                long key = key(count.netns(), keys);
                if (key < 0) {
                    dropped++;
                } else {
                    keyed.add(key == count.netns() ? count
                            : new StateCount(count.port(), count.remote(), count.state(), count.count(), key));
                }
            }
            if (dropped > 0) {
                problems.add("counts: " + dropped + " line(s) of namespaces beyond the first " + MAX_NAMESPACES
                        + " ignored");
            }
            return keyed;
        }

        private List<NotableSocket> withOwners(Set<Long> keys) {
            List<NotableSocket> joined = new ArrayList<>(sockets.size());
            int dropped = 0;
            for (NotableSocket socket : sockets) {
                long key = key(socket.netns(), keys);
                if (key < 0) {
                    dropped++;
                    continue;
                }
                Long packed = socket.inode() == 0 ? null : ownerByInode.get(socket.inode());
                if (packed == null) {
                    joined.add(key == socket.netns() ? socket
                            : new NotableSocket(socket.state(), socket.local(), socket.peer(), socket.recvQ(),
                                    socket.sendQ(), socket.timer(), socket.timerMillis(), socket.retransmits(),
                                    socket.uid(), socket.inode(), null, key));
                    continue;
                }
                int pid = (int) (packed >>> 32);
                int tid = (int) (long) packed;
                ProcessInfo process = processByPid.get(pid);
                Owner owner = process == null
                        ? new Owner(pid, tid, null, null, null)
                        : new Owner(pid, tid, process.command(), process.state(), process.ppid());
                joined.add(new NotableSocket(socket.state(), socket.local(), socket.peer(), socket.recvQ(),
                        socket.sendQ(), socket.timer(), socket.timerMillis(), socket.retransmits(), socket.uid(),
                        socket.inode(), owner, key));
            }
            if (dropped > 0) {
                problems.add("sockets: " + dropped + " socket(s) of namespaces beyond the first " + MAX_NAMESPACES
                        + " ignored");
            }
            return joined;
        }

        // ---- tokens, numbers, text ----

        private boolean nextToken() {
            int position = skipSpaces(cursor);
            if (position >= lineEnd) {
                cursor = lineEnd;
                tokenStart = lineEnd;
                tokenEnd = lineEnd;
                return false;
            }
            tokenStart = position;
            while (position < lineEnd && !isSpace(text.charAt(position))) {
                position++;
            }
            tokenEnd = position;
            cursor = position;
            return true;
        }

        private int skipSpaces(int position) {
            while (position < lineEnd && isSpace(text.charAt(position))) {
                position++;
            }
            return position;
        }

        private boolean tokenEquals(String expected) {
            return regionIs(tokenStart, tokenEnd, expected);
        }

        private boolean regionIs(int from, int to, String expected) {
            return to - from == expected.length() && text.startsWith(expected, from);
        }

        private int indexOf(char wanted, int from, int to) {
            for (int i = from; i < to; i++) {
                if (text.charAt(i) == wanted) {
                    return i;
                }
            }
            return -1;
        }

        private String stateName(int from, int to) {
            for (String state : STATES) {
                if (regionIs(from, to, state)) {
                    return state;
                }
            }
            return null;
        }

        private String timerName(int from, int to) {
            for (String timer : RUNNING_TIMERS) {
                if (regionIs(from, to, timer)) {
                    return timer;
                }
            }
            return null;
        }

        /** A non-negative decimal, or NOT_A_NUMBER, TOO_LARGE, NEGATIVE. */
        private long number(int from, int to) {
            return parseDecimal(text, from, to);
        }

        private boolean isBlank(int from, int to) {
            for (int i = from; i < to; i++) {
                if (!Character.isWhitespace(text.charAt(i))) {
                    return false;
                }
            }
            return true;
        }

        private String where() {
            return section == null ? "line " + lineNumber + ": " : section.label + " line " + lineNumber + ": ";
        }

        private void reportNumber(String field, long failure, int from, int to) {
            if (!problems.accepting()) {
                return;
            }
            String why = failure == TOO_LARGE ? " is too large: '"
                    : failure == NEGATIVE ? " is negative: '"
                    : failure == NOT_POSITIVE ? " must be greater than 0: '"
                    : " is not a number: '";
            problems.kept.add(where() + field + why + quote(from, to) + "'");
        }

        /** A kept value: control and format characters removed, at most MAX_KEPT_CHARS long. */
        private String keep(int from, int to) {
            if (to - from <= MAX_KEPT_CHARS && isPlainAscii(from, to)) {
                return text.substring(from, to); // the common case: nothing to clean
            }
            return clean(text, from, to, MAX_KEPT_CHARS);
        }

        private boolean isPlainAscii(int from, int to) {
            for (int i = from; i < to; i++) {
                char c = text.charAt(i);
                if (c < 0x20 || c >= 0x7F) {
                    return false;
                }
            }
            return true;
        }

        private String quote(int from, int to) {
            return CollectorOutputParser.quote(text, from, to);
        }

        private String quote(String value) {
            return CollectorOutputParser.quote(value, 0, value.length());
        }
    }

    // ---- text helpers ----

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    /** A non-negative decimal in text[from, to), or NOT_A_NUMBER, TOO_LARGE, NEGATIVE. */
    private static long parseDecimal(CharSequence text, int from, int to) {
        if (from >= to) {
            return NOT_A_NUMBER;
        }
        boolean negative = text.charAt(from) == '-';
        int start = negative ? from + 1 : from;
        if (start >= to) {
            return NOT_A_NUMBER;
        }
        long value = 0;
        boolean overflow = false;
        for (int i = start; i < to; i++) {
            int digit = text.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                return NOT_A_NUMBER;
            }
            if (!overflow) {
                if (value > (Long.MAX_VALUE - digit) / 10) {
                    overflow = true; // keep scanning: "99999999999999999999x" is not a number at all
                } else {
                    value = value * 10 + digit;
                }
            }
        }
        if (negative) {
            return value == 0 && !overflow ? 0 : NEGATIVE;
        }
        return overflow ? TOO_LARGE : value;
    }

    /**
     * Milliseconds of an ss timer time (iproute2 print_ms_timer): optional {@code Nmin}, then {@code Nsec}, or
     * {@code N.} followed by three-digit {@code NNNms} (N seconds + NNN ms), or {@code Nms}. ss prints an empty
     * time for 0. Returns -1 when the text is not in that format.
     */
    private static long ssTimeMillis(CharSequence text, int from, int to) {
        long total = 0;
        int position = from;
        if (position == to) {
            return 0;
        }
        int digitsEnd = digitsEnd(text, position, to);
        if (digitsEnd < 0) {
            return -1;
        }
        long value = parseDecimal(text, position, digitsEnd);
        position = digitsEnd;
        if (startsWith(text, position, to, "min")) {
            total = value * 60_000;
            position += 3;
            if (position == to) {
                return total;
            }
            digitsEnd = digitsEnd(text, position, to);
            if (digitsEnd < 0) {
                return -1;
            }
            value = parseDecimal(text, position, digitsEnd);
            position = digitsEnd;
        }
        if (position + 3 == to && startsWith(text, position, to, "sec")) {
            return total + value * 1000;
        }
        if (position + 2 == to && startsWith(text, position, to, "ms")) {
            return total + value;
        }
        // "N.NNNms": ss always zero-pads the milliseconds to three digits
        if (position + 6 == to && text.charAt(position) == '.' && startsWith(text, position + 4, to, "ms")) {
            int msEnd = digitsEnd(text, position + 1, position + 4);
            if (msEnd != position + 4) {
                return -1;
            }
            return total + value * 1000 + parseDecimal(text, position + 1, position + 4);
        }
        return -1;
    }

    /** End of a run of 1 to 12 digits at `from`, or -1; 12 digits keep every product below Long.MAX_VALUE. */
    private static int digitsEnd(CharSequence text, int from, int to) {
        int position = from;
        while (position < to && text.charAt(position) >= '0' && text.charAt(position) <= '9') {
            position++;
        }
        int count = position - from;
        return count == 0 || count > 12 ? -1 : position;
    }

    private static boolean startsWith(CharSequence text, int from, int to, String prefix) {
        if (to - from < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (text.charAt(from + i) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The IPv6 literal of the 32 hex digits at text[from, from + 32), as /proc/net/tcp6 prints an address: four
     * 32-bit words, each in the host's (little-endian) byte order. Formatted like glibc's inet_ntop, which is
     * what ss prints: lower case, the first longest run of two or more zero groups as "::", and the embedded
     * IPv4 forms "::a.b.c.d" and "::ffff:a.b.c.d". (java.net.Inet6Address neither compresses nor keeps mapped
     * addresses as IPv6, hence by hand.)
     */
    private static String procIpv6Literal(CharSequence text, int from) {
        byte[] bytes = new byte[16];
        for (int word = 0; word < 4; word++) {
            for (int b = 0; b < 4; b++) {
                int at = from + word * 8 + b * 2;
                int value = Character.digit(text.charAt(at), 16) << 4 | Character.digit(text.charAt(at + 1), 16);
                bytes[word * 4 + 3 - b] = (byte) value; // little-endian word: its first printed byte is the last
            }
        }
        return ipv6Literal(bytes);
    }

    private static String ipv6Literal(byte[] bytes) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (bytes[2 * i] & 0xff) << 8 | (bytes[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 0;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < 8 && groups[i] == 0) {
                i++;
            }
            if (i - start > bestLength) {
                bestStart = start;
                bestLength = i - start;
            }
        }
        if (bestLength < 2) {
            bestStart = -1;
        }
        StringBuilder literal = new StringBuilder(41);
        for (int i = 0; i < 8; i++) {
            if (bestStart >= 0 && i >= bestStart && i < bestStart + bestLength) {
                if (i == bestStart) {
                    literal.append(':');
                }
                continue;
            }
            if (i != 0) {
                literal.append(':');
            }
            if (i == 6 && bestStart == 0 && (bestLength == 6 || (bestLength == 5 && groups[5] == 0xffff))) {
                literal.append(bytes[12] & 0xff).append('.').append(bytes[13] & 0xff).append('.')
                        .append(bytes[14] & 0xff).append('.').append(bytes[15] & 0xff);
                return literal.toString();
            }
            literal.append(Integer.toHexString(groups[i]));
        }
        if (bestStart >= 0 && bestStart + bestLength == 8) {
            literal.append(':');
        }
        return literal.toString();
    }

    /** For problem messages: cleaned, and cut to a short excerpt so a hostile line cannot flood them. */
    private static String quote(CharSequence text, int from, int to) {
        if (to - from > MAX_QUOTED_CHARS) {
            return clean(text, from, from + MAX_QUOTED_CHARS, MAX_QUOTED_CHARS) + "...";
        }
        return clean(text, from, to, MAX_QUOTED_CHARS);
    }

    /**
     * Drops control and format characters (terminal escapes, bidi overrides) and unpaired surrogates, and keeps
     * at most {@code max} chars without splitting a surrogate pair: kept strings end up in pages and logs. A tab
     * becomes a space rather than vanishing, so "4096<TAB>131072" does not read as one number.
     */
    private static String clean(CharSequence text, int from, int to, int max) {
        StringBuilder kept = new StringBuilder(Math.min(to - from, max));
        for (int i = from; i < to && kept.length() < max; i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < to && Character.isLowSurrogate(text.charAt(i + 1))) {
                    char low = text.charAt(i + 1);
                    i++;
                    if (!isUnwanted(Character.toCodePoint(c, low)) && kept.length() + 2 <= max) {
                        kept.append(c).append(low);
                    }
                }
                continue;
            }
            if (c == '\t') {
                kept.append(' ');
            } else if (!Character.isLowSurrogate(c) && !isUnwanted(c)) {
                kept.append(c);
            }
        }
        return kept.toString();
    }

    private static boolean isUnwanted(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR;
    }
}
