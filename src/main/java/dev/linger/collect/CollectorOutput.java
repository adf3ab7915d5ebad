package dev.linger.collect;

import java.util.List;
import java.util.Map;

/**
 * One run of the collector script ({@code collect/collect.sh}) as data. Built only by
 * {@link CollectorOutputParser#parse(String)}; every list and map is unmodifiable.
 *
 * @param meta      the meta section; never null, its fields are null when the host did not report them
 * @param states    socket counts per (port, local/remote, state), as the script aggregated them
 * @param sockets   notable sockets (everything but idle LISTEN/ESTAB/TIME-WAIT), with owners joined in: since
 *                  format 3 a bounded sample of each group (the ones with the most queued bytes), before it all
 *                  of them
 * @param sysctls   watched sysctls in the order printed; a key the host lacks ({@code key ?}) maps to null
 * @param sockstat  the TCP line of /proc/net/sockstat; null when absent
 * @param processes the processes of interest (socket owners and zombies) and their parents
 * @param problems  what could not be used, in plain words; empty when the output was clean
 * @param complete  true when the output reached {@code ==linger:end==}; false means it was cut off
 * @param namespaces the host's network namespaces, its own first; empty for outputs from before namespaces
 *                   (then everything is the host's own)
 * @param groups    every notable socket counted exactly per (namespace, port, direction, state, owner); when
 *                  null, grouped here from {@code sockets} (outputs that list every socket)
 */
public record CollectorOutput(Meta meta, List<StateCount> states, List<NotableSocket> sockets,
        Map<String, String> sysctls, Sockstat sockstat, List<ProcessInfo> processes, List<String> problems,
        boolean complete, List<NetNamespace> namespaces, List<SocketGroup> groups) {

    public CollectorOutput {
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
        groups = groups == null ? SocketGroups.of(sockets == null ? List.of() : sockets, states == null ? List.of() : states)
                : List.copyOf(groups);
    }

    /** An output that lists every notable socket: its groups are made from them. */
    public CollectorOutput(Meta meta, List<StateCount> states, List<NotableSocket> sockets, Map<String, String> sysctls,
            Sockstat sockstat, List<ProcessInfo> processes, List<String> problems, boolean complete,
            List<NetNamespace> namespaces) {
        this(meta, states, sockets, sysctls, sockstat, processes, problems, complete, namespaces, null);
    }

    /** How many notable sockets the host has (the groups count them all; {@code sockets} may be samples). */
    public long notableCount() {
        return SocketGroups.total(groups);
    }

    /** The same output with other namespaces (the groups kept as they are). */
    public CollectorOutput withNamespaces(List<NetNamespace> marked) {
        return new CollectorOutput(meta, states, sockets, sysctls, sockstat, processes, problems, complete, marked, groups);
    }

    /** The same output with other groups (e.g. their first-seen times filled in). */
    public CollectorOutput withGroups(List<SocketGroup> other) {
        return new CollectorOutput(meta, states, sockets, sysctls, sockstat, processes, problems, complete, namespaces, other);
    }

    /** An output that knows only the host's own namespace (as every output did before namespaces). */
    public CollectorOutput(Meta meta, List<StateCount> states, List<NotableSocket> sockets, Map<String, String> sysctls,
            Sockstat sockstat, List<ProcessInfo> processes, List<String> problems, boolean complete) {
        this(meta, states, sockets, sysctls, sockstat, processes, problems, complete, List.of(), null);
    }

    /**
     * @param source         "ss" or "proc" (the /proc/net/tcp fallback)
     * @param canKillSockets the host's ss supports {@code ss -K} (CONFIG_INET_DIAG_DESTROY)
     */
    public record Meta(Integer format, String hostname, String kernel, Long now, Integer uid,
            Integer ephemeralLow, Integer ephemeralHigh, String source, boolean canKillSockets, String bootId,
            long netnsInode) {

        public Meta(Integer format, String hostname, String kernel, Long now, Integer uid, Integer ephemeralLow,
                Integer ephemeralHigh, String source, boolean canKillSockets) {
            this(format, hostname, kernel, now, uid, ephemeralLow, ephemeralHigh, source, canKillSockets, null, 0);
        }
    }

    /**
     * {@code remote}: counted under the peer's port because the local port is an ephemeral one. Port 0 = unknown.
     * {@code netns}: the {@link NetNamespace#key()} of the namespace counted; 0 is the host's own.
     */
    public record StateCount(int port, boolean remote, String state, long count, long netns) {

        public StateCount(int port, boolean remote, String state, long count) {
            this(port, remote, state, count, NetNamespace.HOST_KEY);
        }
    }

    /**
     * @param local  the local address as ss prints it, e.g. {@code 127.0.0.1:9080}, {@code [::1]:9080}
     * @param timer  ss timer name: on, keepalive, timewait, persist; null when no timer runs
     * @param uid    null when the line carries no details; ss prints uid only when it is not 0, so a line with
     *               ino: but no uid: means 0
     * @param inode  0 when the socket has no inode (orphans, time-wait); such sockets never have an owner
     * @param owner  null when no process holds the socket, or the collector did not find it
     * @param netns  the {@link NetNamespace#key()} of the socket's namespace; 0 is the host's own
     */
    public record NotableSocket(String state, String local, String peer, long recvQ, long sendQ, String timer,
            Long timerMillis, Integer retransmits, Integer uid, long inode, Owner owner, long netns) {

        public NotableSocket(String state, String local, String peer, long recvQ, long sendQ, String timer,
                Long timerMillis, Integer retransmits, Integer uid, long inode, Owner owner) {
            this(state, local, peer, recvQ, sendQ, timer, timerMillis, retransmits, uid, inode, owner,
                    NetNamespace.HOST_KEY);
        }
    }

    /**
     * The process holding a socket. {@code tid} differs from {@code pid} when the descriptor was found under
     * /proc/PID/task/TID/fd (a defunct leader whose threads live on). command, processState and ppid are null
     * when the processes section had no line for the pid.
     */
    public record Owner(int pid, int tid, String command, String processState, Integer ppid) {}

    /** {@code state} is the one-letter state of /proc/PID/stat, e.g. "S", "Z". */
    public record ProcessInfo(int pid, int ppid, String state, int threads, String command) {}

    public record Sockstat(long tcpInUse, long orphans, long timeWait, long allocated) {}
}
