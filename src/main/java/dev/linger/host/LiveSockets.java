package dev.linger.host;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.linger.LingerConfig;
import dev.linger.collect.CollectorOutput;
import dev.linger.collect.CollectorOutput.NotableSocket;
import dev.linger.collect.CollectorOutput.StateCount;
import dev.linger.collect.CollectorOutputParser;
import dev.linger.collect.NetNamespace;
import dev.linger.collect.SnapshotStore;
import dev.linger.collect.SnapshotView;
import dev.linger.collect.SocketGroup;
import dev.linger.collect.SocketGroups;
import dev.linger.i18n.HostMessages;
import dev.linger.transport.CommandResult;
import dev.linger.transport.HostTarget;
import dev.linger.transport.Shell;
import dev.linger.transport.TransportFailure;
import dev.linger.transport.Transports;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * "Show all sockets": every socket of one port on a host, read live on the host when a person or a script asks
 * (collections keep only samples per group). One read per host at a time; a result is kept for a minute so
 * that paging through it does not read the host again. It reads and changes nothing, so any signed-in user
 * may ask; each read is logged, not audited.
 */
@ApplicationScoped
public class LiveSockets {

    private static final Logger LOG = Logger.getLogger(LiveSockets.class);

    /** Rows one read returns at most; the counts still count every socket. */
    public static final int ROW_LIMIT = 100_000;
    /** How long a read answers the same question again (paging, a second look). */
    static final Duration KEPT = Duration.ofMinutes(1);
    /** Rows all kept reads may hold together, so a few big reads cannot fill the heap. */
    static final int KEPT_ROWS = 2 * ROW_LIMIT;
    /** ss's names in /proc/net/tcp's order: the code of a state is its position + 1. */
    public static final List<String> STATES = List.of("ESTAB", "SYN-SENT", "SYN-RECV", "FIN-WAIT-1", "FIN-WAIT-2",
            "TIME-WAIT", "UNCONN", "CLOSE-WAIT", "LAST-ACK", "LISTEN", "CLOSING");
    /** The exit status of sockets.sh when the namespace is gone. */
    static final int NAMESPACE_GONE = 3;

    /** What to read: a port (local or peer), optionally one state, in one namespace (0: the host's own). */
    public record Query(long hostId, int port, String state, long netns) {

        /** The query part of a link to it, e.g. {@code port=9080&state=CLOSE-WAIT&netns=4026532101}. */
        public String parameters() {
            return "port=" + port + (state == null ? "" : "&state=" + state) + (netns == 0 ? "" : "&netns=" + netns);
        }
    }

    /**
     * One live read. {@code sockets}: worst first (most queued bytes), at most {@link #ROW_LIMIT}; {@code counts}:
     * every matching socket per state and side ({@code remote}: the port is the peer's); {@code total}: their sum.
     * Kept reads are shared by everyone who asks, so they hold facts only (a page names the namespace in its
     * reader's language).
     */
    public record Read(Query query, NamespaceRef namespace, NetNamespace netNamespace, Instant readAt, long durationMs,
            List<NotableSocket> sockets, List<StateCount> counts, long total, boolean cut, int limit,
            List<String> problems) {
    }

    /** A read that did not happen, in words for people; {@code field} names the bad parameter, if any. */
    public static final class Refused extends RuntimeException {
        private final int status;
        private final String field;

        Refused(int status, String field, String message) {
            super(message);
            this.status = status;
            this.field = field;
        }

        public int status() {
            return status;
        }

        public String field() {
            return field;
        }
    }

    private record Kept(Read read, Instant at) {
    }

    private final Transports transports;
    private final SnapshotStore snapshots;
    private final Clock clock;
    private final Duration timeout;
    private final String script;
    private final Set<Long> reading = ConcurrentHashMap.newKeySet();
    /** Reads run on hosts since start: tests check that refused input runs nothing. */
    private final java.util.concurrent.atomic.AtomicLong runs = new java.util.concurrent.atomic.AtomicLong();
    private final Map<Query, Kept> kept = new ConcurrentHashMap<>();
    /** {@link #ROW_LIMIT}; tests lower it to see a cut list without 100,000 sockets. */
    volatile int rowLimit = ROW_LIMIT;

    LiveSockets(Transports transports, SnapshotStore snapshots, Clock clock, LingerConfig config) {
        this.transports = transports;
        this.snapshots = snapshots;
        this.clock = clock;
        this.timeout = config.collect().commandTimeout();
        this.script = body();
    }

    /**
     * Checks the parameters as typed, then answers from a read of the last minute or reads the host now (no
     * transaction open meanwhile).
     *
     * @param again read again even when a recent read answers
     * @throws Refused bad input (400, nothing run), a read of this host already running (429), an archived host
     *                 or a namespace that is gone (409), a host that could not be read (502)
     */
    public Read read(String actor, long hostId, String port, String state, String netns, boolean again,
            HostMessages texts) {
        int number = port(port, texts);
        String stateName = state(state, texts);
        HostTarget target = QuarkusTransaction.requiringNew().call(() -> {
            Host h = Host.findById(hostId);
            if (h == null) {
                throw new dev.linger.NotFound(dev.linger.i18n.Text.of("refuse.noHost", hostId));
            }
            return h.archivedAt == null ? h.target() : null;
        });
        if (target == null) {
            throw new Refused(409, null, texts.liveArchived());
        }
        SnapshotView latest = snapshots.latest(hostId).orElse(null);
        long key = namespace(netns, latest, texts);
        NetNamespace ns = latest == null ? NetNamespace.host(0) : latest.namespace(key);
        if (key != NetNamespace.HOST_KEY && ns.pid() <= 0) {
            throw new Refused(400, "netns", texts.liveNamespaceNoProcess(key));
        }
        Query query = new Query(hostId, number, stateName, key);
        forgetOld();
        Kept recent = kept.get(query);
        if (recent != null && !again) {
            return recent.read();
        }
        if (!reading.add(hostId)) {
            throw new Refused(429, null, texts.liveBusy());
        }
        try {
            Read read = run(target, query, ns, hints(latest, query), texts);
            keep(read);
            LOG.infof("live socket read of %s for %s: port %d%s%s, %d socket(s)%s in %d ms", target.name(), actor,
                    number, stateName == null ? "" : " " + stateName, key == 0 ? "" : " in net:[" + key + "]",
                    read.total(), read.cut() ? " (" + read.sockets().size() + " listed)" : "", read.durationMs());
            return read;
        } finally {
            reading.remove(hostId);
        }
    }

    private Read run(HostTarget target, Query query, NetNamespace ns, List<Integer> hints, HostMessages texts) {
        int limit = rowLimit;
        // every value is a number Linger checked, quoted all the same; each variable is set, empty when unused
        String hinted = hints.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(" "));
        boolean own = query.netns() == NetNamespace.HOST_KEY;
        String env = "LINGER_PORT=" + Shell.quote(String.valueOf(query.port()))
                + "\nLINGER_STATE=" + Shell.quote(query.state() == null ? ""
                        : String.format(Locale.ROOT, "%02X", STATES.indexOf(query.state()) + 1))
                + "\nLINGER_NETNS_PID=" + Shell.quote(own ? "" : String.valueOf(ns.pid()))
                + "\nLINGER_NETNS_INODE=" + Shell.quote(own ? "" : String.valueOf(ns.inode()))
                + "\nLINGER_LIMIT=" + Shell.quote(String.valueOf(limit))
                + "\nLINGER_OWNER_PIDS=" + Shell.quote(hinted)
                + "\nexport LINGER_PORT LINGER_STATE LINGER_NETNS_PID LINGER_NETNS_INODE LINGER_LIMIT LINGER_OWNER_PIDS\n";
        long start = System.nanoTime();
        Instant at = clock.instant();
        runs.incrementAndGet();
        CommandResult result;
        try {
            result = transports.forHost(target).run(target, env + script, timeout);
        } catch (TransportFailure f) {
            throw new Refused(502, null, texts.liveFailed(target.name(), f.getMessage()));
        }
        if (result.exitCode() == NAMESPACE_GONE) {
            throw new Refused(409, "netns", texts.liveNamespaceGone(query.netns()));
        }
        CollectorOutput out = CollectorOutputParser.parseEverySocket(result.stdout());
        if (!out.complete()) {
            String why = result.exitCode() != 0 ? "exit status " + result.exitCode() + ": " + firstLine(result.stderr())
                    : "the output was cut off";
            throw new Refused(502, null, texts.liveFailed(target.name(), why));
        }
        List<NotableSocket> rows = new ArrayList<>(out.sockets().size());
        for (NotableSocket s : out.sockets()) {
            rows.add(query.netns() == NetNamespace.HOST_KEY ? s
                    : new NotableSocket(s.state(), s.local(), s.peer(), s.recvQ(), s.sendQ(), s.timer(),
                            s.timerMillis(), s.retransmits(), s.uid(), s.inode(), s.owner(), query.netns()));
        }
        rows.sort(SocketGroups.MOST_BYTES_FIRST);
        List<StateCount> counts = out.states().stream()
                .map(c -> new StateCount(c.port(), c.remote(), c.state(), c.count(), query.netns()))
                .sorted(Comparator.comparingLong(StateCount::count).reversed()).toList();
        long total = counts.stream().mapToLong(StateCount::count).sum();
        long millis = (System.nanoTime() - start) / 1_000_000;
        return new Read(query, NamespaceRef.of(ns), ns, at, millis,
                java.util.Collections.unmodifiableList(rows), counts, total, total > rows.size(), limit, out.problems());
    }

    /** The owners of this port's groups at the last collection: read first, they usually hold every socket. */
    static List<Integer> hints(SnapshotView latest, Query query) {
        if (latest == null) {
            return List.of();
        }
        Set<Integer> pids = new LinkedHashSet<>();
        latest.groups().stream().filter(g -> g.netns() == query.netns() && g.port() == query.port() && g.owner() != null)
                .sorted(Comparator.comparingLong(SocketGroup::count).reversed())
                .forEach(g -> pids.add(g.owner().pid()));
        return pids.stream().limit(64).toList();
    }

    private void keep(Read read) {
        kept.put(read.query(), new Kept(read, clock.instant()));
        // the oldest go first while the kept rows exceed the bound (a new read always stays)
        long rows = kept.values().stream().mapToLong(k -> k.read().sockets().size()).sum();
        List<Kept> oldest = kept.values().stream().sorted(Comparator.comparing(Kept::at)).toList();
        for (Kept k : oldest) {
            if (rows <= KEPT_ROWS || k.read() == read) {
                break;
            }
            kept.remove(k.read().query(), k);
            rows -= k.read().sockets().size();
        }
    }

    private void forgetOld() {
        Instant before = clock.instant().minus(KEPT);
        kept.values().removeIf(k -> k.at().isBefore(before));
    }

    /** Forgets kept reads of a host (tests; a host removed). */
    public void forget(long hostId) {
        kept.keySet().removeIf(q -> q.hostId() == hostId);
    }

    static int port(String text, HostMessages texts) {
        if (text == null || text.isBlank()) {
            throw new Refused(400, "port", texts.livePortMissing());
        }
        String t = text.strip();
        if (!t.matches("[0-9]{1,5}") || Integer.parseInt(t) < 1 || Integer.parseInt(t) > 65535) {
            throw new Refused(400, "port", texts.livePortBad(bounded(t)));
        }
        return Integer.parseInt(t);
    }

    /** Null for every state; else ss's name (case does not matter). */
    static String state(String text, HostMessages texts) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String name = text.strip().toUpperCase(Locale.ROOT);
        if (name.equals("ESTABLISHED")) {
            name = "ESTAB";
        }
        if (!STATES.contains(name)) {
            throw new Refused(400, "state", texts.liveStateBad(bounded(text.strip()), String.join(", ", STATES)));
        }
        return name;
    }

    /** The key of a namespace the latest snapshot knows; 0 (the host's own) when none is given. */
    static long namespace(String text, SnapshotView latest, HostMessages texts) {
        if (text == null || text.isBlank()) {
            return NetNamespace.HOST_KEY;
        }
        String t = text.strip();
        if (!t.matches("[0-9]{1,19}")) {
            throw new Refused(400, "netns", texts.liveNamespaceBad(bounded(t)));
        }
        long key;
        try {
            key = Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new Refused(400, "netns", texts.liveNamespaceBad(bounded(t)));
        }
        if (key == NetNamespace.HOST_KEY) {
            return key;
        }
        if (latest == null || latest.namespaces().stream().noneMatch(ns -> ns.key() == key)) {
            throw new Refused(400, "netns", texts.liveNamespaceUnknown(key));
        }
        return key;
    }

    private static String bounded(String text) {
        return NamespaceGroups.bounded(text.length() > 20 ? text.substring(0, 20) + "…" : text);
    }

    private static String firstLine(String text) {
        String t = text == null ? "" : text.strip();
        int nl = t.indexOf('\n');
        t = nl < 0 ? t : t.substring(0, nl);
        return t.length() > 300 ? t.substring(0, 300) : t;
    }

    static String body() {
        try (InputStream in = LiveSockets.class.getResourceAsStream("/collect/sockets.sh")) {
            if (in == null) {
                throw new IllegalStateException("collect/sockets.sh is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** For tests: lowers the row limit (a bean's field cannot be set through its proxy). */
    void rowLimit(int limit) {
        rowLimit = limit;
    }

    /** For tests: how many reads ran on hosts. */
    long runs() {
        return runs.get();
    }

    /** For tests: marks a read of this host as running (false when one is), as a slow read would. */
    boolean claim(long hostId) {
        return reading.add(hostId);
    }

    void release(long hostId) {
        reading.remove(hostId);
    }

    /** For the page: the kept read of a query, if any (no read started). */
    Optional<Read> kept(Query query) {
        Kept k = kept.get(query);
        return k == null ? Optional.empty() : Optional.of(k.read());
    }
}
