package dev.linger.collect;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

import dev.linger.collect.CollectorOutput.NotableSocket;
import dev.linger.collect.CollectorOutput.StateCount;

/**
 * Groups notable sockets the way the collector does on the host (format 3), for outputs that list every socket
 * (formats 1 and 2, and outputs built in tests), and picks the bounded samples kept per group. Pure.
 */
public final class SocketGroups {

    /** Sockets kept per group as evidence: the ones with the most queued bytes tell what is wrong. */
    public static final int SAMPLES_PER_GROUP = 20;

    /** The timer names in the order groups list them. */
    static final List<String> TIMER_ORDER = List.of("on", "keepalive", "timewait", "persist", SocketGroup.NO_TIMER);

    /** Total order on samples, most queued bytes first, so samples do not depend on the order the host listed. */
    public static final Comparator<NotableSocket> MOST_BYTES_FIRST = Comparator
            .comparingLong((NotableSocket s) -> -(s.recvQ() + s.sendQ()))
            .thenComparing(s -> s.local() == null ? "" : s.local())
            .thenComparing(s -> s.peer() == null ? "" : s.peer())
            .thenComparing(s -> s.timer() == null ? "" : s.timer());

    /** Groups in a stable order: namespace, port, direction, state, pid, tid. */
    public static final Comparator<SocketGroup> ORDER = Comparator.comparingLong(SocketGroup::netns)
            .thenComparingInt(SocketGroup::port).thenComparing(SocketGroup::remote)
            .thenComparing(g -> g.state() == null ? "" : g.state())
            .thenComparingInt(g -> g.owner() == null ? 0 : g.owner().pid())
            .thenComparingInt(g -> g.owner() == null ? 0 : g.owner().tid());

    private SocketGroups() {
    }

    /**
     * The groups of {@code sockets}, each socket under the port and direction {@link #side} gives it against the
     * counts, or its local port when the counts know neither.
     */
    public static List<SocketGroup> of(List<NotableSocket> sockets, List<StateCount> counts) {
        Set<StateCount> counted = counted(counts);
        Map<SocketGroup.Key, Builder> groups = new LinkedHashMap<>();
        for (NotableSocket s : sockets) {
            if (s != null) { // a list from a test or an old row may hold nulls: skipped, not thrown
                groups.computeIfAbsent(keyOf(s, counted), k -> new Builder(k, s.owner())).add(s);
            }
        }
        List<SocketGroup> out = new ArrayList<>(groups.size());
        groups.values().forEach(b -> out.add(b.build()));
        out.sort(ORDER);
        return out;
    }

    /** At most {@link #SAMPLES_PER_GROUP} sockets of each group of {@code sockets}, most queued bytes first. */
    public static List<NotableSocket> samples(List<NotableSocket> sockets, List<StateCount> counts) {
        if (sockets.size() <= SAMPLES_PER_GROUP) {
            return sockets;
        }
        Set<StateCount> counted = counted(counts);
        Map<SocketGroup.Key, PriorityQueue<NotableSocket>> top = new LinkedHashMap<>();
        for (NotableSocket s : sockets) {
            if (s == null) {
                continue;
            }
            PriorityQueue<NotableSocket> q = top.computeIfAbsent(keyOf(s, counted),
                    k -> new PriorityQueue<>(SAMPLES_PER_GROUP + 1, MOST_BYTES_FIRST.reversed()));
            if (q.size() < SAMPLES_PER_GROUP) {
                q.add(s);
            } else if (MOST_BYTES_FIRST.compare(s, q.peek()) < 0) {
                q.poll();
                q.add(s);
            }
        }
        List<NotableSocket> out = new ArrayList<>();
        for (PriorityQueue<NotableSocket> q : top.values()) {
            List<NotableSocket> kept = new ArrayList<>(q);
            kept.sort(MOST_BYTES_FIRST);
            out.addAll(kept);
        }
        return out;
    }

    /** Which (port, direction) buckets of a socket's state exist: counts, or groups. */
    @FunctionalInterface
    public interface Buckets {
        boolean has(int port, boolean remote);
    }

    /**
     * The port and direction a socket is counted under, as {@code port << 1 | remote}: its local port when its
     * state has a local bucket there; else the peer's port when it has a remote one there (an outgoing connection
     * from an ephemeral port); -1 when neither. The collector chose the direction by the local port (listening, or
     * outside the ephemeral range), so a socket on a local port with a local bucket of its state is in it.
     */
    public static int side(NotableSocket s, Buckets buckets) {
        int local = port(s.local());
        if (local > 0 && buckets.has(local, false)) {
            return local << 1;
        }
        int peer = port(s.peer());
        if (peer > 0 && buckets.has(peer, true)) {
            return peer << 1 | 1;
        }
        return -1;
    }

    /** The counts' (state, port, direction, namespace) buckets that hold sockets, with the count zeroed. */
    private static Set<StateCount> counted(List<StateCount> counts) {
        Set<StateCount> counted = new HashSet<>();
        for (StateCount c : counts) {
            if (c != null && c.count() > 0) {
                counted.add(new StateCount(c.port(), c.remote(), c.state(), 0, c.netns()));
            }
        }
        return counted;
    }

    private static SocketGroup.Key keyOf(NotableSocket s, Set<StateCount> counted) {
        int side = side(s, (port, remote) -> counted.contains(new StateCount(port, remote, s.state(), 0, s.netns())));
        int port = side < 0 ? port(s.local()) : side >> 1;
        return new SocketGroup.Key(s.netns(), port, side >= 0 && (side & 1) == 1, s.state(),
                s.owner() == null ? 0 : s.owner().pid(), s.owner() == null ? 0 : s.owner().tid());
    }

    /** The notable sockets the groups stand for. */
    public static long total(List<SocketGroup> groups) {
        long n = 0;
        for (SocketGroup g : groups) {
            n += g.count();
        }
        return n;
    }

    /**
     * The port of an address as ss prints it ({@code 127.0.0.1:9080}, {@code [::1]:9080}); 0 when there is none
     * ({@code *:*}) or it is not a port.
     */
    public static int port(String address) {
        if (address == null) {
            return 0;
        }
        int end = address.length();
        int i = end;
        while (i > 0 && Character.isDigit(address.charAt(i - 1)) && end - i < 5) {
            i--;
        }
        if (i == end || i == 0 || address.charAt(i - 1) != ':') {
            return 0;
        }
        int value = 0;
        for (int j = i; j < end; j++) {
            value = value * 10 + (address.charAt(j) - '0');
        }
        return value >= 1 && value <= 65535 ? value : 0;
    }

    private static final class Builder {
        private final SocketGroup.Key key;
        private final CollectorOutput.Owner owner;
        private long count;
        private long recvQ;
        private long recvQMax;
        private long recvQMin;
        private long withRecvQ;
        private long sendQ;
        private long sendQMax;
        private long withSendQ;
        private final long[] timers = new long[TIMER_ORDER.size()];
        private int retransmitsMax;

        Builder(SocketGroup.Key key, CollectorOutput.Owner owner) {
            this.key = key;
            this.owner = owner;
        }

        void add(NotableSocket s) {
            count++;
            if (s.recvQ() > 0) {
                recvQ += s.recvQ();
                recvQMax = Math.max(recvQMax, s.recvQ());
                recvQMin = withRecvQ == 0 ? s.recvQ() : Math.min(recvQMin, s.recvQ());
                withRecvQ++;
            }
            if (s.sendQ() > 0) {
                sendQ += s.sendQ();
                sendQMax = Math.max(sendQMax, s.sendQ());
                withSendQ++;
            }
            int t = s.timer() == null ? -1 : TIMER_ORDER.indexOf(s.timer());
            timers[t < 0 ? TIMER_ORDER.size() - 1 : t]++;
            if (s.retransmits() != null) {
                retransmitsMax = Math.max(retransmitsMax, s.retransmits());
            }
        }

        SocketGroup build() {
            Map<String, Long> named = new LinkedHashMap<>();
            for (int i = 0; i < timers.length; i++) {
                if (timers[i] > 0) {
                    named.put(TIMER_ORDER.get(i), timers[i]);
                }
            }
            return new SocketGroup(key.netns(), key.port(), key.remote(), key.state(), owner, count, recvQ, recvQMax,
                    recvQMin, withRecvQ, sendQ, sendQMax, withSendQ, named, retransmitsMax, null);
        }
    }
}
