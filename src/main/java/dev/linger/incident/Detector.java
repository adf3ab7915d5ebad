package dev.linger.incident;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

import dev.linger.collect.CollectorOutput.NotableSocket;
import dev.linger.collect.CollectorOutput.Owner;
import dev.linger.collect.CollectorOutput.ProcessInfo;
import dev.linger.collect.CollectorOutput.Sockstat;
import dev.linger.collect.CollectorOutput.StateCount;
import dev.linger.collect.NetNamespace;
import dev.linger.collect.SnapshotStore;
import dev.linger.collect.SnapshotView;
import dev.linger.collect.SocketGroup;
import dev.linger.collect.SocketGroups;

/**
 * Turns one snapshot of a host, with the host's recent history, into findings. Pure and deterministic: the same
 * input gives the same findings in the same order, with evidence in the same order. It never throws, because it
 * runs inside the transaction that stores the snapshot: a surprise here must not lose the collection.
 *
 * <p>Counts, queue totals, timers and owners come from the snapshot's socket groups, which count every notable
 * socket exactly; its socket lines are only samples (at most 20 per group) and give nothing but the {@code samples}
 * of the evidence. A rule that summed socket lines would report 20 of 25,000 sockets.
 *
 * <p>Each network namespace of the snapshot (the host's own, containers, pods, ip-netns) is judged on its own: its
 * groups, its counts, its history and its sysctls, and its findings carry it. ORPHAN_PRESSURE and PORT_BLOCKED are
 * judged in the host's own namespace only: the orphan count and {@code tcp_max_orphans} are machine-wide, and
 * service ports are the host's. A snapshot from before namespaces is all the host's own namespace.
 *
 * <p>The rules, each at most one finding per (namespace, kind, port):
 * <ul>
 * <li>CLOSE_WAIT_LEAK: CLOSE-WAIT sockets by the port their groups belong to (the local port, or the peer's port
 * for outgoing connections from an ephemeral port), at least {@code closeWaitCount} of them, or a count that grew
 * in each of the last {@code closeWaitGrowthSnapshots} collections. CRITICAL when any has unread bytes.</li>
 * <li>FIN_WAIT1_STUCK: FIN-WAIT-1 sockets on a port, present now and at every earlier collection for at least
 * {@code finWait1Age}. CRITICAL from 10 sockets or 5 × that age.</li>
 * <li>DEFUNCT_OWNER: a process in state Z with more than one thread that still owns sockets. CRITICAL.</li>
 * <li>ORPHAN_PRESSURE (port 0): orphaned sockets in percent of {@code net.ipv4.tcp_max_orphans}.</li>
 * <li>PORT_BLOCKED: a service port without a listener while other sockets sit on it. CRITICAL.</li>
 * </ul>
 */
public final class Detector {

    private static final System.Logger LOG = System.getLogger(Detector.class.getName());

    static final String CLOSE_WAIT = "CLOSE-WAIT";
    static final String FIN_WAIT_1 = "FIN-WAIT-1";
    static final String LISTEN = "LISTEN";
    static final String TIME_WAIT = "TIME-WAIT";
    static final String MAX_ORPHANS = "net.ipv4.tcp_max_orphans";
    static final String NO_TIMER = "none";
    /** The only states the rules look back at; history points keep nothing else. */
    private static final Set<String> HISTORY_STATES = Set.of(CLOSE_WAIT, FIN_WAIT_1);

    /** Evidence is shown on a page and stored with every update: a few examples tell the story, thousands bury it. */
    static final int MAX_SAMPLES = 20;
    static final int MAX_OWNERS = 20;
    /** FIN-WAIT-1 sockets on one port from which the finding is CRITICAL whatever their age. */
    static final int FIN_WAIT1_CRITICAL_COUNT = 10;
    /** ...and the age, in multiples of the threshold age, from which it is CRITICAL whatever their number. */
    static final int FIN_WAIT1_CRITICAL_AGE_FACTOR = 5;

    /** Total order on what a sample shows, so the samples do not depend on the order the host listed sockets in. */
    private static final Comparator<NotableSocket> MOST_BYTES_FIRST = SocketGroups.MOST_BYTES_FIRST;

    private Detector() {
    }

    /**
     * Judges {@code current} against {@code history}.
     *
     * @param servicePorts the ports this host is meant to listen on (only PORT_BLOCKED uses them); may be null
     * @param t            the limits; null means {@link Thresholds#defaults()}, out-of-range values are clamped
     * @param current      the snapshot just taken; null gives no findings
     * @param history      earlier snapshots of the same host, oldest first, without {@code current}; may be null
     * @return the findings sorted by kind, then port; never null
     */
    public static List<Finding> evaluate(List<Integer> servicePorts, Thresholds t, SnapshotView current,
            List<SnapshotStore.StatesAt> history) {
        if (current == null) {
            return List.of();
        }
        try {
            Limits limits = Limits.of(t);
            Map<Long, List<SocketGroup>> groups = byNamespace(nonNull(current.groups()), SocketGroup::netns);
            Map<Long, List<NotableSocket>> samples = byNamespace(nonNull(current.sockets()), NotableSocket::netns);
            Map<Long, List<StateCount>> states = byNamespace(nonNull(current.states()), StateCount::netns);
            // only namespaces with something to judge (notable sockets, or counts of the states the rules count
            // alone): a node with 500 quiet pods costs next to nothing here
            TreeSet<Long> keys = new TreeSet<>(groups.keySet());
            states.forEach((key, counts) -> {
                if (counts.stream().anyMatch(c -> c.count() > 0 && c.state() != null
                        && HISTORY_STATES.contains(c.state()))) { // Set.of(...).contains(null) throws
                    keys.add(key);
                }
            });
            keys.add(NetNamespace.HOST_KEY);
            Map<Long, List<Point>> pasts = Point.of(history, current.takenAt(), keys);
            List<Finding> findings = new ArrayList<>();
            for (long key : keys) { // ascending: the host's own (0) first
                Now now = Now.of(current, key, groups.getOrDefault(key, List.of()), samples.getOrDefault(key, List.of()),
                        states.getOrDefault(key, List.of()));
                List<Point> past = pasts.get(key);
                // each rule on its own: a bug in one must not hide what the others found
                run("CLOSE_WAIT_LEAK", findings, out -> closeWaitLeaks(limits, now, past, out));
                run("FIN_WAIT1_STUCK", findings, out -> finWait1Stuck(limits, now, past, out));
                run("DEFUNCT_OWNER", findings, out -> defunctOwners(now, out));
                if (now.host) {
                    run("ORPHAN_PRESSURE", findings, out -> orphanPressure(limits, now, out));
                    run("PORT_BLOCKED", findings, out -> portsBlocked(servicePorts, now, out));
                }
            }
            findings.sort(Comparator.comparingLong((Finding f) -> f.namespace().key()).thenComparing(Finding::kind)
                    .thenComparingInt(Finding::port));
            return List.copyOf(findings);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "incident detection failed; no findings this time", e);
            return List.of();
        }
    }

    /** Items by the key of their namespace; insertion order kept inside each. */
    private static <T> Map<Long, List<T>> byNamespace(List<T> items, java.util.function.ToLongFunction<T> key) {
        Map<Long, List<T>> m = new HashMap<>();
        for (T item : items) {
            long k = key.applyAsLong(item);
            m.computeIfAbsent(k < 0 ? NetNamespace.HOST_KEY : k, x -> new ArrayList<>()).add(item);
        }
        return m;
    }

    private static void run(String rule, List<Finding> findings, Consumer<List<Finding>> body) {
        List<Finding> out = new ArrayList<>();
        try {
            body.accept(out);
            findings.addAll(out);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "incident rule " + rule + " failed; its findings are skipped", e);
        }
    }

    // ---- CLOSE_WAIT_LEAK ----

    private static void closeWaitLeaks(Limits limits, Now now, List<Point> past, List<Finding> out) {
        Map<Integer, Candidate> chosen = new TreeMap<>();
        for (OnPort g : onPorts(now, CLOSE_WAIT)) {
            long count = Math.max(g.count(), now.count(CLOSE_WAIT, g.port, g.outgoing));
            if (count <= 0) {
                continue;
            }
            List<Long> growth = growth(limits.closeWaitGrowthSnapshots, past, CLOSE_WAIT, g.key(), count);
            if (count < limits.closeWaitCount && growth == null) {
                continue;
            }
            long withUnread = 0;
            long unread = 0;
            long withKeepalive = 0;
            long minUnread = Long.MAX_VALUE;
            long maxUnread = 0;
            for (SocketGroup sg : g.groups) { // exact over every socket, not only the samples
                if (sg.withRecvQ() > 0) {
                    withUnread += sg.withRecvQ();
                    unread += sg.recvQ();
                    minUnread = Math.min(minUnread, sg.recvQMin());
                    maxUnread = Math.max(maxUnread, sg.recvQMax());
                }
                withKeepalive += sg.timer("keepalive");
            }
            Owners owners = owners(g.groups);
            Since since = since(now, past, CLOSE_WAIT, g.key());
            // "7 bytes unread in each" reads better than a total
            Long each = withUnread > 0 && minUnread == maxUnread ? maxUnread : null;
            Evidence ev = new Evidence.CloseWaitLeak(direction(g.outgoing), count, withUnread, unread, each,
                    withKeepalive > 0, withKeepalive, owners.named, owners.omitted, since.snapshots, since.at,
                    since.ageSeconds, count >= limits.closeWaitCount ? "count" : "growth", limits.closeWaitCount,
                    growth, samples(g.samples), null);
            choose(chosen, new Candidate(g, count, withUnread > 0 ? Severity.CRITICAL : Severity.WARNING, ev));
        }
        for (Candidate c : chosen.values()) {
            out.add(new Finding(IncidentKind.CLOSE_WAIT_LEAK, c.group.port, c.severity, c.evidence, now.namespace));
        }
    }

    /**
     * One incident per (kind, port), yet a port can be stuck both ways (a service that also calls out to the
     * same port on other hosts): the worse direction leads and the other is noted in its evidence.
     */
    private static void choose(Map<Integer, Candidate> chosen, Candidate c) {
        Candidate other = chosen.get(c.group.port);
        if (other == null) {
            chosen.put(c.group.port, c);
            return;
        }
        Candidate lead = c.beats(other) ? c : other;
        Candidate second = lead == c ? other : c;
        Evidence.OtherDirection note = new Evidence.OtherDirection(direction(second.group.outgoing), second.count);
        Evidence noted = lead.evidence instanceof Evidence.CloseWaitLeak e ? e.withOther(note)
                : ((Evidence.FinWait1Stuck) lead.evidence).withOther(note);
        chosen.put(c.group.port, new Candidate(lead.group, lead.count, lead.severity, noted));
    }

    /**
     * The counts of the last {@code n} collections and the one before them when each grew over the one before
     * (the first may be 0: the leak started there), else null. Needs n earlier snapshots: a host just added has
     * no trend yet.
     */
    private static List<Long> growth(int n, List<Point> past, String state, int key, long currentCount) {
        if (n < 1 || past.size() < n) {
            return null;
        }
        List<Long> series = new ArrayList<>(n + 1);
        for (int i = past.size() - n; i < past.size(); i++) {
            series.add(past.get(i).count(state, key));
        }
        series.add(currentCount);
        for (int i = 1; i < series.size(); i++) {
            if (series.get(i) <= series.get(i - 1)) {
                return null;
            }
        }
        return List.copyOf(series);
    }

    // ---- FIN_WAIT1_STUCK ----

    private static void finWait1Stuck(Limits limits, Now now, List<Point> past, List<Finding> out) {
        if (now.takenAt == null) {
            return; // no clock, no age: nothing can be said about "stuck"
        }
        Map<Integer, Candidate> chosen = new TreeMap<>();
        for (OnPort g : onPorts(now, FIN_WAIT_1)) {
            long count = Math.max(g.count(), now.count(FIN_WAIT_1, g.port, g.outgoing));
            if (count <= 0) {
                continue;
            }
            int first = firstContinuous(past, FIN_WAIT_1, g.key());
            Instant since = first < past.size() ? past.get(first).at : now.takenAt;
            Duration age = Duration.between(since, now.takenAt);
            if (age.compareTo(limits.finWait1Age) < 0) {
                continue;
            }
            boolean critical = count >= FIN_WAIT1_CRITICAL_COUNT || !limits.finWait1Age.isZero()
                    && age.compareTo(limits.finWait1Age.multipliedBy(FIN_WAIT1_CRITICAL_AGE_FACTOR)) >= 0;
            long sendQ = 0;
            long orphaned = 0;
            Map<String, Long> timers = new TreeMap<>();
            for (SocketGroup sg : g.groups) {
                sendQ += sg.sendQ();
                if (sg.owner() == null) {
                    orphaned += sg.count(); // no process holds them: orphans (or an owner the scan did not find)
                }
                sg.timers().forEach((name, n) -> {
                    if (n != null && n > 0) {
                        timers.merge(name == null ? NO_TIMER : clean(name), n, Long::sum);
                    }
                });
            }
            Owners owners = owners(g.groups);
            Boolean maxOrphansPresent = null;
            if (!now.host) {
                // tcp_max_orphans exists only in the initial namespace, never in a container's: no drain from here
                maxOrphansPresent = false;
            } else if (now.sysctls.containsKey(MAX_ORPHANS)) {
                // null = the sysctl does not exist here (a non-initial network namespace): no drain possible
                maxOrphansPresent = now.sysctls.get(MAX_ORPHANS) != null;
            }
            Evidence ev = new Evidence.FinWait1Stuck(direction(g.outgoing), count, sendQ, timers, orphaned,
                    owners.named, owners.omitted, since.toString(), age.toSeconds(), past.size() - first + 1,
                    limits.finWait1Age.toSeconds(),
                    now.sockstat == null ? null : now.sockstat.orphans(), // the blast radius of tcp_max_orphans=0
                    maxOrphansPresent,
                    "ss -K state fin-wait-1 '( " + (g.outgoing ? "dport" : "sport") + " = :" + g.port + " )'",
                    samples(g.samples), null);
            choose(chosen, new Candidate(g, count, critical ? Severity.CRITICAL : Severity.WARNING, ev));
        }
        for (Candidate c : chosen.values()) {
            out.add(new Finding(IncidentKind.FIN_WAIT1_STUCK, c.group.port, c.severity, c.evidence, now.namespace));
        }
    }

    // ---- DEFUNCT_OWNER ----

    private static void defunctOwners(Now now, List<Finding> out) {
        Map<Integer, ProcessInfo> processes = new HashMap<>();
        List<ProcessInfo> defunct = new ArrayList<>();
        for (ProcessInfo p : now.processes) {
            processes.putIfAbsent(p.pid(), p);
            // a real zombie (one thread, all gone) holds nothing; a Z leader with live threads can
            if (p.state() != null && p.state().startsWith("Z") && p.threads() > 1) {
                defunct.add(p);
            }
        }
        if (defunct.isEmpty()) {
            return;
        }
        Map<Integer, List<SocketGroup>> byOwner = new HashMap<>();
        for (SocketGroup g : now.groups) {
            if (g.owner() != null && g.count() > 0) {
                byOwner.computeIfAbsent(g.owner().pid(), k -> new ArrayList<>()).add(g);
            }
        }
        Map<Integer, List<Evidence.DefunctOwner>> byPort = new TreeMap<>();
        TreeSet<Integer> judged = new TreeSet<>();
        for (ProcessInfo p : defunct) {
            List<SocketGroup> held = byOwner.get(p.pid());
            if (held == null || held.isEmpty() || !judged.add(p.pid())) {
                continue; // nothing held, or a pid listed twice
            }
            // a group's port: the local port, or for outgoing connections from ephemeral ports the port they call,
            // so the finding lands on the port its CLOSE-WAIT or FIN-WAIT-1 finding is filed under
            Map<Integer, Long> perPort = new TreeMap<>();
            Map<String, Long> states = new TreeMap<>();
            TreeSet<Integer> tids = new TreeSet<>();
            long sockets = 0;
            for (SocketGroup g : held) {
                if (g.port() > 0 && g.port() <= 65535) {
                    perPort.merge(g.port(), g.count(), Long::sum);
                }
                states.merge(g.state() == null ? "" : clean(g.state()), g.count(), Long::sum);
                tids.add(g.owner().tid());
                sockets += g.count();
            }
            List<NotableSocket> examples = new ArrayList<>();
            for (NotableSocket s : now.samples) {
                if (s.owner() != null && s.owner().pid() == p.pid()) {
                    examples.add(s);
                }
            }
            int port = 0; // no port known at all: host-wide rather than a wrong port
            long best = 0;
            for (Map.Entry<Integer, Long> e : perPort.entrySet()) { // ascending: ties keep the lowest port
                if (e.getValue() > best) {
                    best = e.getValue();
                    port = e.getKey();
                }
            }
            ProcessInfo parent = processes.get(p.ppid());
            List<Long> tidList = new ArrayList<>();
            tids.forEach(t -> tidList.add((long) t));
            Map<String, Long> ports = new LinkedHashMap<>(); // JSON object keys are strings anyway
            perPort.forEach((k, v) -> ports.put(String.valueOf(k), v));
            Evidence.DefunctOwner ev = new Evidence.DefunctOwner(p.pid(), clean(p.command()), clean(p.state()),
                    p.ppid(), parent == null ? null : clean(parent.command()), p.ppid() == 1, p.threads(), sockets,
                    states, tidList, ports, samples(examples), null);
            byPort.computeIfAbsent(port, k -> new ArrayList<>()).add(ev);
        }
        for (Map.Entry<Integer, List<Evidence.DefunctOwner>> e : byPort.entrySet()) {
            List<Evidence.DefunctOwner> all = e.getValue();
            // one incident per port: the process holding most sockets leads, the others are listed
            all.sort(Comparator.comparingLong((Evidence.DefunctOwner d) -> -d.sockets())
                    .thenComparingLong(Evidence.DefunctOwner::pid));
            Evidence.DefunctOwner ev = all.get(0);
            if (all.size() > 1) {
                List<Evidence.OtherDefunct> others = new ArrayList<>();
                for (Evidence.DefunctOwner o : all.subList(1, Math.min(all.size(), 1 + MAX_OWNERS))) {
                    others.add(new Evidence.OtherDefunct(o.pid(), o.command(), o.sockets()));
                }
                ev = ev.withOthers(others);
            }
            out.add(new Finding(IncidentKind.DEFUNCT_OWNER, e.getKey(), Severity.CRITICAL, ev, now.namespace));
        }
    }

    // ---- ORPHAN_PRESSURE ----

    private static void orphanPressure(Limits limits, Now now, List<Finding> out) {
        if (now.sockstat == null || now.sockstat.orphans() <= 0) {
            return;
        }
        long max = parseLong(now.sysctls.get(MAX_ORPHANS));
        if (max <= 0) {
            // absent (namespace), unreadable, or 0 = a drain is running right now: nothing to measure against
            return;
        }
        long orphans = now.sockstat.orphans();
        Severity severity;
        if (atLeastPercent(orphans, max, limits.orphanCriticalPercent)) {
            severity = Severity.CRITICAL;
        } else if (atLeastPercent(orphans, max, limits.orphanWarnPercent)) {
            severity = Severity.WARNING;
        } else {
            return;
        }
        // rounded down so that the number shown never claims a limit that was not reached
        Evidence ev = new Evidence.OrphanPressure(orphans, max, Math.floor(orphans * 1000.0 / max) / 10.0,
                limits.orphanWarnPercent, limits.orphanCriticalPercent);
        out.add(new Finding(IncidentKind.ORPHAN_PRESSURE, 0, severity, ev, now.namespace));
    }

    private static boolean atLeastPercent(long part, long whole, int percent) {
        // exact, and safe from overflow whatever a host reports: 24.99 % must not count as 25 %
        return BigInteger.valueOf(part).multiply(BigInteger.valueOf(100))
                .compareTo(BigInteger.valueOf(percent).multiply(BigInteger.valueOf(whole))) >= 0;
    }

    // ---- PORT_BLOCKED ----

    private static void portsBlocked(List<Integer> servicePorts, Now now, List<Finding> out) {
        if (servicePorts == null) {
            return;
        }
        TreeSet<Integer> ports = new TreeSet<>();
        for (Integer p : servicePorts) {
            if (p != null && p > 0 && p <= 65535) {
                ports.add(p);
            }
        }
        for (int port : ports) {
            if (now.count(LISTEN, port, false) > 0) {
                continue;
            }
            Map<String, Long> states = now.localStates(port);
            states.remove(LISTEN);
            long blocking = 0;
            for (Map.Entry<String, Long> e : states.entrySet()) {
                // TIME-WAIT ends by itself within a minute and SO_REUSEADDR binds over it: every restart leaves
                // some, so alone it is not worth a page at 3 a.m.
                if (!TIME_WAIT.equals(e.getKey())) {
                    blocking += e.getValue();
                }
            }
            if (blocking <= 0) {
                continue;
            }
            // the groups on the local port (not calls out to the same port elsewhere): they hold the port
            List<SocketGroup> onPort = new ArrayList<>();
            long orphaned = 0;
            for (SocketGroup g : now.groups) {
                if (g.port() == port && !g.remote() && g.count() > 0 && !LISTEN.equals(g.state())) {
                    onPort.add(g);
                    if (g.owner() == null) {
                        orphaned += g.count();
                    }
                }
            }
            List<NotableSocket> examples = new ArrayList<>();
            for (NotableSocket s : now.samples) {
                if (!LISTEN.equals(s.state()) && now.groupKey(s) == key(port, false)) {
                    examples.add(s);
                }
            }
            Owners owners = owners(onPort);
            Evidence ev = new Evidence.PortBlocked(blocking, states, owners.named, owners.omitted, orphaned,
                    samples(examples));
            out.add(new Finding(IncidentKind.PORT_BLOCKED, port, Severity.CRITICAL, ev, now.namespace));
        }
    }

    // ---- grouping and history ----

    /**
     * The notable sockets of one state that belong to one port, in one direction: their groups (one per owner,
     * exact counts) and the samples of those groups, the only socket lines shown as evidence.
     */
    private record OnPort(int port, boolean outgoing, List<SocketGroup> groups, List<NotableSocket> samples) {
        int key() {
            return Detector.key(port, outgoing);
        }

        long count() {
            long n = 0;
            for (SocketGroup g : groups) {
                n += g.count();
            }
            return n;
        }
    }

    private record Candidate(OnPort group, long count, Severity severity, Evidence evidence) {
        boolean beats(Candidate o) {
            if (severity != o.severity) {
                return severity.compareTo(o.severity) > 0;
            }
            if (count != o.count) {
                return count > o.count;
            }
            return !group.outgoing; // our own listening service before our calls to others
        }
    }

    /**
     * The groups of {@code state} by the port they belong to (the collector chose it: the local port, or the peer's
     * for outgoing connections from an ephemeral port), with the samples of each. Ports the counts know but no group
     * shows still get a (group-less) entry, so a count alone can open a finding.
     */
    private static List<OnPort> onPorts(Now now, String state) {
        Map<Integer, List<SocketGroup>> byKey = new TreeMap<>();
        for (SocketGroup g : now.groups) {
            if (state.equals(g.state()) && g.count() > 0 && g.port() >= 1 && g.port() <= 65535) {
                byKey.computeIfAbsent(key(g.port(), g.remote()), k -> new ArrayList<>()).add(g);
            }
        }
        Map<Integer, List<NotableSocket>> samples = new HashMap<>();
        for (NotableSocket s : now.samples) {
            if (state.equals(s.state())) {
                int key = now.groupKey(s);
                if (byKey.containsKey(key)) {
                    samples.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
                }
            }
        }
        Map<Integer, Long> counted = now.counts.get(state);
        if (counted != null) {
            for (Map.Entry<Integer, Long> e : counted.entrySet()) {
                if (e.getValue() > 0) {
                    byKey.computeIfAbsent(e.getKey(), k -> new ArrayList<>());
                }
            }
        }
        List<OnPort> out = new ArrayList<>(byKey.size());
        byKey.forEach((k, v) -> out.add(new OnPort(k >> 1, (k & 1) == 1, List.copyOf(v),
                samples.getOrDefault(k, List.of()))));
        return out;
    }

    /** The index of the earliest history point from which {@code state} was on the port at every point since. */
    private static int firstContinuous(List<Point> past, String state, int key) {
        int first = past.size();
        while (first > 0 && past.get(first - 1).count(state, key) > 0) {
            first--;
        }
        return first;
    }

    /** Since when the state is on the port: the number of collections, the first one's time, its age. */
    private record Since(long snapshots, String at, Long ageSeconds) {
    }

    private static Since since(Now now, List<Point> past, String state, int key) {
        int first = firstContinuous(past, state, key);
        Instant since = first < past.size() ? past.get(first).at : now.takenAt;
        if (since == null) {
            return new Since(past.size() - first + 1, null, null);
        }
        return new Since(past.size() - first + 1, since.toString(),
                now.takenAt == null ? null : Math.max(0, Duration.between(since, now.takenAt).toSeconds()));
    }

    private static String direction(boolean outgoing) {
        return outgoing ? Evidence.OUTGOING : Evidence.INCOMING;
    }

    static int key(int port, boolean remote) {
        return port << 1 | (remote ? 1 : 0);
    }

    // ---- evidence helpers ----

    /** The owners named (at most {@link #MAX_OWNERS}) and how many more there are (null: none). */
    private record Owners(List<Evidence.Owner> named, Long omitted) {
    }

    /** Every owner of the groups, at most {@link #MAX_OWNERS} named, by pid then tid. */
    private static Owners owners(List<SocketGroup> groups) {
        TreeMap<Long, Owner> distinct = new TreeMap<>();
        for (SocketGroup g : groups) {
            Owner o = g.owner();
            if (o != null && g.count() > 0) {
                distinct.putIfAbsent((long) o.pid() << 32 | (o.tid() & 0xffffffffL), o);
            }
        }
        List<Evidence.Owner> owners = new ArrayList<>();
        for (Owner o : distinct.values()) {
            if (owners.size() == MAX_OWNERS) {
                break;
            }
            owners.add(new Evidence.Owner(o.pid(), (long) o.tid(), clean(o.command()), clean(o.processState()),
                    o.ppid() == null ? null : o.ppid().longValue()));
        }
        return new Owners(List.copyOf(owners), distinct.size() > MAX_OWNERS ? (long) distinct.size() - MAX_OWNERS : null);
    }

    /** The sockets with the most queued bytes first: those tell what is wrong. */
    private static List<Evidence.Sample> samples(List<NotableSocket> sockets) {
        // the top MAX_SAMPLES only: each group keeps up to 20, and a port held by many owners has many groups
        PriorityQueue<NotableSocket> top = new PriorityQueue<>(MAX_SAMPLES + 1, MOST_BYTES_FIRST.reversed());
        for (NotableSocket s : sockets) {
            if (top.size() < MAX_SAMPLES) {
                top.add(s);
            } else if (MOST_BYTES_FIRST.compare(s, top.peek()) < 0) { // better than the worst kept so far
                top.poll();
                top.add(s);
            }
        }
        List<NotableSocket> sorted = new ArrayList<>(top);
        sorted.sort(MOST_BYTES_FIRST);
        List<Evidence.Sample> samples = new ArrayList<>(Math.min(MAX_SAMPLES, sorted.size()));
        for (NotableSocket s : sorted) {
            if (samples.size() == MAX_SAMPLES) {
                break;
            }
            samples.add(new Evidence.Sample(s.local() == null ? "" : clean(s.local()),
                    s.peer() == null ? "" : clean(s.peer()), s.recvQ(), s.sendQ(),
                    s.timer() == null ? NO_TIMER : clean(s.timer())));
        }
        return List.copyOf(samples);
    }

    /** Text from the host ends up in pages, webhooks and logs: no control characters, bounded length. */
    static String clean(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder b = new StringBuilder(Math.min(s.length(), 64));
        for (int i = 0; i < s.length() && b.length() < 64; i++) {
            char c = s.charAt(i);
            b.append(Character.isISOControl(c) ? '?' : c);
        }
        return b.toString();
    }

    /**
     * The port of an address as ss prints it ({@code 127.0.0.1:9080}, {@code [::1]:9080},
     * {@code 10.0.0.1%eth0:22}); 0 when there is none ({@code *:*}) or it is not a port.
     */
    static int port(String address) {
        return SocketGroups.port(address);
    }

    private static long parseLong(String s) {
        if (s == null) {
            return -1;
        }
        try {
            return Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    // ---- normalized input ----

    /** The thresholds, clamped to values the rules can use. */
    private record Limits(long closeWaitCount, int closeWaitGrowthSnapshots, Duration finWait1Age,
            int orphanWarnPercent, int orphanCriticalPercent) {

        static Limits of(Thresholds t) {
            Thresholds d = Thresholds.defaults();
            Thresholds in = t == null ? d : t;
            Duration age = in.finWait1Age() == null || in.finWait1Age().isNegative() ? d.finWait1Age()
                    : in.finWait1Age();
            return new Limits(Math.max(1, in.closeWaitCount()), in.closeWaitGrowthSnapshots(), age,
                    Math.max(1, in.orphanWarnPercent()), Math.max(1, in.orphanCriticalPercent()));
        }
    }

    /** One namespace of the current snapshot, with nulls replaced and its counts indexed. */
    private static final class Now {
        final Instant takenAt;
        /** The namespace judged; {@code host} when it is the host's own (key 0). */
        final NetNamespace namespace;
        final boolean host;
        /** Every notable socket, counted: the source of every number and owner. */
        final List<SocketGroup> groups;
        /** Some of them, listed: the source of the samples only. */
        final List<NotableSocket> samples;
        /** state -> the key(port, remote) of each of its groups. */
        final Map<String, Set<Integer>> groupKeys;
        /** Every process of the machine: a pid is looked up whatever namespace its sockets are in. */
        final List<ProcessInfo> processes;
        final Map<String, String> sysctls;
        /** Machine-wide (the orphan count in sockstat counts every namespace). */
        final Sockstat sockstat;
        /** state -> key(port, remote) -> count. */
        final Map<String, Map<Integer, Long>> counts;
        final List<StateCount> states;

        private Now(SnapshotView v, long key, List<SocketGroup> groups, List<NotableSocket> samples,
                List<StateCount> states) {
            takenAt = v.takenAt();
            host = key == NetNamespace.HOST_KEY;
            namespace = v.namespace(key);
            List<SocketGroup> sorted = new ArrayList<>(groups);
            sorted.sort(SocketGroups.ORDER); // the order the host listed them in must not change the evidence
            this.groups = sorted;
            this.samples = samples;
            groupKeys = new HashMap<>();
            for (SocketGroup g : sorted) {
                if (g.state() != null && g.count() > 0) {
                    groupKeys.computeIfAbsent(g.state(), k -> new java.util.HashSet<>()).add(key(g.port(), g.remote()));
                }
            }
            processes = nonNull(v.processes());
            Map<String, String> own = host ? v.sysctls() : namespace.sysctls();
            sysctls = own == null ? Map.of() : own;
            sockstat = v.sockstat();
            this.states = states;
            counts = index(states, null);
        }

        static Now of(SnapshotView v, long key, List<SocketGroup> groups, List<NotableSocket> samples,
                List<StateCount> states) {
            return new Now(v, key, groups, samples, states);
        }

        /** The key(port, remote) of the group a sample belongs to, -1 when none ({@link SocketGroups#side}). */
        int groupKey(NotableSocket s) {
            Set<Integer> keys = s.state() == null ? null : groupKeys.get(s.state());
            return keys == null ? -1 : SocketGroups.side(s, (port, remote) -> keys.contains(key(port, remote)));
        }

        long count(String state, int port, boolean remote) {
            Map<Integer, Long> m = counts.get(state);
            Long c = m == null ? null : m.get(key(port, remote));
            return c == null ? 0 : c;
        }

        /** Non-remote counts per state on one port, states in name order. */
        Map<String, Long> localStates(int port) {
            Map<String, Long> m = new TreeMap<>();
            for (StateCount c : states) {
                if (c.port() == port && !c.remote() && c.state() != null && c.count() > 0) {
                    m.merge(clean(c.state()), c.count(), Long::sum);
                }
            }
            return m;
        }
    }

    /** One history point, reduced to the counts the rules look back at. */
    private record Point(Instant at, Map<String, Map<Integer, Long>> counts) {

        long count(String state, int key) {
            Map<Integer, Long> m = counts.get(state);
            Long c = m == null ? null : m.get(key);
            return c == null ? 0 : c;
        }

        /**
         * The history of each namespace in {@code keys}, oldest first. Every kept snapshot gives a point to every
         * namespace, an empty one where the namespace had nothing (or did not exist yet): a count of 0 then.
         */
        static Map<Long, List<Point>> of(List<SnapshotStore.StatesAt> history, Instant now, Set<Long> keys) {
            Map<Long, List<Point>> out = new HashMap<>();
            for (long key : keys) {
                out.put(key, new ArrayList<>());
            }
            if (history == null || history.isEmpty()) {
                return out;
            }
            List<SnapshotStore.StatesAt> kept = new ArrayList<>(history.size());
            for (SnapshotStore.StatesAt h : history) {
                // a point at or after "now" is not history (clock skew, or a caller that included current)
                if (h != null && h.takenAt() != null && (now == null || h.takenAt().isBefore(now))) {
                    kept.add(h);
                }
            }
            kept.sort(Comparator.comparing(SnapshotStore.StatesAt::takenAt)); // promised oldest first; cheap to make sure
            for (SnapshotStore.StatesAt h : kept) {
                Map<Long, List<StateCount>> parts = byNamespace(nonNull(h.states()), StateCount::netns);
                for (long key : keys) {
                    out.get(key).add(new Point(h.takenAt(), index(parts.getOrDefault(key, List.of()), HISTORY_STATES)));
                }
            }
            return out;
        }
    }

    /** Counts by state and key(port, remote); {@code only} limits the states kept (null: all). */
    private static Map<String, Map<Integer, Long>> index(List<StateCount> states, Set<String> only) {
        Map<String, Map<Integer, Long>> m = new HashMap<>();
        for (StateCount c : states) {
            if (c.state() == null || c.count() <= 0 || c.port() < 1 || c.port() > 65535
                    || only != null && !only.contains(c.state())) {
                continue;
            }
            m.computeIfAbsent(c.state(), k -> new HashMap<>()).merge(key(c.port(), c.remote()), c.count(), Long::sum);
        }
        return m;
    }

    private static <T> List<T> nonNull(List<T> list) {
        if (list == null || list.isEmpty()) {
            return List.of();
        }
        List<T> out = new ArrayList<>(list.size());
        for (T t : list) {
            if (t != null) {
                out.add(t);
            }
        }
        return out;
    }
}
