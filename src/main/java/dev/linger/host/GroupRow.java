package dev.linger.host;

import java.util.Comparator;
import java.util.Set;

import dev.linger.collect.CollectorOutput.NotableSocket;
import dev.linger.collect.CollectorOutput.StateCount;
import dev.linger.collect.SocketGroup;
import dev.linger.collect.SocketGroups;

/**
 * One group of notable sockets as the host page shows it (issue 14): its counts, a link to its samples and one to
 * every socket of its port read live. {@code selected}: the samples table below lists this group's alone.
 */
public record GroupRow(SocketGroup group, long hostId, boolean selected) {

    /** The most sockets first (a leak piles them up), then the most unread bytes, then the stable order. */
    public static final Comparator<SocketGroup> WORST_FIRST = Comparator.comparingLong(SocketGroup::count).reversed()
            .thenComparing(Comparator.comparingLong(SocketGroup::recvQ).reversed())
            .thenComparing(Comparator.comparingLong(SocketGroup::sendQ).reversed())
            .thenComparing(SocketGroups.ORDER);

    /** The group's name in a link: {@code PORT.l|r.STATE.PID.TID}, e.g. {@code 9080.l.CLOSE-WAIT.22.22}. */
    public String id() {
        return id(group.key());
    }

    static String id(SocketGroup.Key k) {
        return k.port() + "." + (k.remote() ? "r" : "l") + "." + k.state() + "." + k.pid() + "." + k.tid();
    }

    /** Every socket of the group's port and state in its namespace, read on the host now. */
    public String showAllLink() {
        return "/hosts/" + hostId + "/sockets?port=" + group.port() + "&state=" + group.state()
                + (group.netns() == 0 ? "" : "&netns=" + group.netns());
    }

    /** The host page with this group's samples alone in the samples table. */
    public String samplesLink() {
        return "?" + (group.netns() == 0 ? "" : "ns=" + group.netns() + "&") + "group=" + id() + "#"
                + (group.netns() == 0 ? "sockets" : "sockets-" + group.netns());
    }

    /** Who holds the group's sockets, as the samples heading names it: "java pid 22", or "—" for nobody. */
    public String ownerText() {
        return group.owner() == null ? "—"
                : (group.owner().command() == null ? "?" : NamespaceGroups.bounded(group.owner().command())) + " pid "
                        + group.owner().pid();
    }

    /** A port that is known: port 0 (unknown) has nothing to read live. */
    public boolean readable() {
        return group.port() > 0;
    }

    /**
     * The group a sample belongs to, by the rule the counts use: its local port when its state is counted there
     * locally, else the peer's port when counted there as remote, else its local port.
     *
     * @param counted the snapshot's counts with their count set to 0, as keys
     */
    static SocketGroup.Key keyOf(NotableSocket s, Set<StateCount> counted) {
        int local = SocketGroups.port(s.local());
        int peer = SocketGroups.port(s.peer());
        boolean remote = !(local > 0 && counted.contains(new StateCount(local, false, s.state(), 0, s.netns())))
                && peer > 0 && counted.contains(new StateCount(peer, true, s.state(), 0, s.netns()));
        return new SocketGroup.Key(s.netns(), remote ? peer : local, remote, s.state(),
                s.owner() == null ? 0 : s.owner().pid(), s.owner() == null ? 0 : s.owner().tid());
    }
}
