package dev.linger.collect;

import java.time.Instant;
import java.util.Map;

/**
 * The notable sockets of one namespace that share a port, a direction, a state and an owner: exact counts and
 * queue totals instead of every socket. A busy host has tens of thousands of notable sockets but a few dozen
 * groups; the collector groups them on the host (format 3), and Linger groups older outputs itself
 * ({@link SocketGroups#of}). Incidents, explanations, blast radius and the host page work from groups; a bounded
 * sample of each group's sockets ({@link CollectorOutput#sockets()}) is kept as evidence.
 *
 * @param netns     the {@link NetNamespace#key()} of the namespace; 0 is the host's own
 * @param port      the port the sockets belong to: the local port, or the peer's for outgoing connections from
 *                  an ephemeral port ({@code remote}); 0 when unknown
 * @param remote    counted under the peer's port, as {@link CollectorOutput.StateCount#remote()}
 * @param state     ss's state name, e.g. {@code CLOSE-WAIT}
 * @param owner     the process holding them; null when none was found (orphaned sockets have no inode)
 * @param count     how many sockets, exactly
 * @param recvQ     the sum of their Recv-Q (unread bytes; for LISTEN the accept queue)
 * @param recvQMax  the largest Recv-Q
 * @param recvQMin  the smallest non-zero Recv-Q; 0 when no socket has one
 * @param withRecvQ how many have a non-zero Recv-Q
 * @param sendQ     the sum of their Send-Q (bytes not yet acknowledged by the peer)
 * @param sendQMax  the largest Send-Q
 * @param withSendQ how many have a non-zero Send-Q
 * @param timers    how many run each timer: {@code on}, {@code keepalive}, {@code timewait}, {@code persist}, and
 *                  {@code none} for sockets without one; names in that order
 * @param retransmitsMax the most retransmissions of any of them (timeouts of an unanswered probe)
 * @param since     when Linger first saw this group in an unbroken line of collections (the oldest age known:
 *                  the kernel keeps no age per socket); null until the group is stored
 */
public record SocketGroup(long netns, int port, boolean remote, String state, CollectorOutput.Owner owner,
        long count, long recvQ, long recvQMax, long recvQMin, long withRecvQ, long sendQ, long sendQMax,
        long withSendQ, Map<String, Long> timers, int retransmitsMax, Instant since) {

    /** The timer name of a socket without a running timer. */
    public static final String NO_TIMER = "none";

    public SocketGroup {
        timers = timers == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(timers));
    }

    /** The group's identity across collections: namespace, port, direction, state and owning pid and tid. */
    public Key key() {
        return new Key(netns, port, remote, state, owner == null ? 0 : owner.pid(), owner == null ? 0 : owner.tid());
    }

    public record Key(long netns, int port, boolean remote, String state, int pid, int tid) {
    }

    /** The same group first seen at {@code at}. */
    public SocketGroup since(Instant at) {
        return new SocketGroup(netns, port, remote, state, owner, count, recvQ, recvQMax, recvQMin, withRecvQ, sendQ,
                sendQMax, withSendQ, timers, retransmitsMax, at);
    }

    /** The same group with its owner's process details joined in. */
    public SocketGroup withOwner(CollectorOutput.Owner o) {
        return new SocketGroup(netns, port, remote, state, o, count, recvQ, recvQMax, recvQMin, withRecvQ, sendQ,
                sendQMax, withSendQ, timers, retransmitsMax, since);
    }

    /** How many run {@code timer} ({@link #NO_TIMER} for none). */
    public long timer(String timer) {
        Long n = timers.get(timer);
        return n == null ? 0 : n;
    }
}
