package dev.linger.incident;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.linger.collect.NetNamespace;

/**
 * The plain-words explanation of each finding, for an engineer paged at 3 a.m. Built only from the finding's
 * evidence, so what the page says and what the evidence shows cannot disagree. Every text stays under
 * {@link #MAX_CHARS}: it is also sent to chat webhooks and stored in the timeline.
 */
final class Explanations {

    static final int MAX_CHARS = 600;

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY_CLOCK = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private Explanations() {
    }

    static String closeWaitLeak(int port, Map<String, Object> ev) {
        return closeWaitLeak(port, ev, null);
    }

    /** {@code ns}: where the sockets are; null or the host's own namespace names nothing. */
    static String closeWaitLeak(int port, Map<String, Object> ev, NetNamespace ns) {
        long count = num(ev, "count");
        boolean outgoing = "outgoing".equals(ev.get("direction"));
        StringBuilder b = new StringBuilder();
        b.append(outgoing ? plural(count, "outgoing connection") + " to port :" + port
                : plural(count, "socket") + " on :" + port);
        b.append(in(ns));
        String since = since(ev);
        b.append(since.isEmpty() ? (count == 1 ? " is" : " are") : (count == 1 ? " has been" : " have been"))
                .append(" in CLOSE-WAIT").append(since);
        if (ev.get("growth") instanceof List<?> growth) {
            b.append(", and the number grew at each of the last ").append(growth.size() - 1).append(" collections (");
            for (int i = 0; i < growth.size(); i++) {
                b.append(i == 0 ? "" : " → ").append(growth.get(i));
            }
            b.append(')');
        }
        b.append(outgoing ? (isHost(ns) ? ": the remote side closed, this host's program did not. "
                : ": the remote side closed, the program in there did not. ")
                : ": the peers closed their side, the program never closed its own. ");
        long withUnread = num(ev, "withUnreadBytes");
        String who = who(ev);
        boolean lines = ev.get("samples") instanceof List<?> samples && !samples.isEmpty();
        if (withUnread > 0) {
            if (ev.containsKey("unreadBytesEach") && withUnread == count) {
                b.append(bytes(num(ev, "unreadBytesEach"))).append(" are unread in each");
            } else {
                b.append(withUnread).append(" of them ").append(withUnread == 1 ? "holds " : "hold ")
                        .append(bytes(num(ev, "unreadBytes"))).append(" unread");
            }
            b.append(who == null ? ": their owner stopped reading. " : ": their owner " + who + " stopped reading. ");
        } else if (lines) {
            b.append("No bytes wait to be read: ").append(who == null ? "the owner" : who)
                    .append(" reads them but never closes them. ");
        } else {
            // only the count is known (no socket lines): say nothing about bytes or owners we did not see
            b.append("Linger has the count but no socket lines for them. ");
        }
        if (who == null && lines) {
            b.append("Linger found no process holding them. ");
        }
        long withKeepalive = num(ev, "withKeepalive");
        if (withKeepalive == 0) {
            b.append("Keepalive tuning will not help: these sockets do not use SO_KEEPALIVE. ");
        } else if (withKeepalive < count) {
            b.append("Keepalive tuning reaches only the ").append(withKeepalive)
                    .append(" that use SO_KEEPALIVE, and only if their peer is gone. ");
        } else {
            b.append("They use SO_KEEPALIVE, so keepalive tuning ends only those whose peer is gone. ");
        }
        b.append("The fix is the owning process.");
        otherDirection(b, port, ev, "CLOSE-WAIT");
        return fit(b);
    }

    static String finWait1Stuck(int port, Map<String, Object> ev) {
        return finWait1Stuck(port, ev, null);
    }

    static String finWait1Stuck(int port, Map<String, Object> ev, NetNamespace ns) {
        long count = num(ev, "count");
        boolean outgoing = "outgoing".equals(ev.get("direction"));
        StringBuilder b = new StringBuilder();
        b.append(outgoing ? plural(count, "outgoing connection") + " to port :" + port
                : plural(count, "socket") + " on :" + port);
        b.append(in(ns));
        b.append(count == 1 ? " has" : " have").append(" been stuck in FIN-WAIT-1").append(since(ev));
        long sendQ = num(ev, "sendQ");
        if (sendQ > 0) {
            b.append(" with ").append(bytes(sendQ)).append(" unsent");
        }
        b.append(": this side closed, the peer never acknowledged. ");
        Map<?, ?> timers = ev.get("timers") instanceof Map<?, ?> m ? m : Map.of();
        long persist = num(timers, "persist");
        long on = num(timers, "on");
        if (persist > 0) {
            b.append(persist == count ? "All" : String.valueOf(persist))
                    .append(" wait on a persist timer: the peer advertises a zero window, it stopped reading. ");
        }
        if (on > 0) {
            b.append(on == count ? "All" : String.valueOf(on))
                    .append(" retransmit (timer on) to a peer that does not answer. ");
        }
        long orphaned = num(ev, "orphaned");
        String who = who(ev);
        if (orphaned > 0) {
            b.append(orphaned == count ? (count == 1 ? "It is an orphan" : "All are orphans")
                    : orphaned + " are orphans");
            b.append(": no process owns them, restarting one will not free them. ");
            Object present = ev.get("tcpMaxOrphansPresent");
            if (Boolean.FALSE.equals(present)) {
                b.append("tcp_max_orphans does not exist in this network namespace, so the drain cannot run here. ");
            } else {
                b.append("Draining with tcp_max_orphans=0 is system-wide: ");
                b.append(ev.containsKey("hostOrphans") ? "all " + num(ev, "hostOrphans") + " orphans of the host die. "
                        : "every orphan of the host dies. ");
            }
        }
        if (orphaned < count && who != null) {
            b.append(orphaned > 0 ? "The others belong to " : "They belong to ").append(who).append(". ");
        }
        b.append('`').append(ev.get("killCommand")).append(isHost(ns) ? "` kills only these."
                : "`, run inside that network namespace, kills only these.");
        otherDirection(b, port, ev, "FIN-WAIT-1");
        return fit(b);
    }

    static String defunctOwner(int port, Map<String, Object> ev) {
        return defunctOwner(port, ev, null);
    }

    static String defunctOwner(int port, Map<String, Object> ev, NetNamespace ns) {
        long pid = num(ev, "pid");
        long threads = num(ev, "threads");
        long sockets = num(ev, "sockets");
        long ppid = num(ev, "ppid");
        Object command = ev.get("command");
        StringBuilder b = new StringBuilder();
        b.append(command == null ? "Process" : command).append(" (pid ").append(pid)
                .append(") is defunct but not gone: its main thread exited while ")
                .append(plural(threads - 1, "thread")).append(threads - 1 == 1 ? " still holds " : " still hold ")
                .append(plural(sockets, "socket"));
        if (port > 0) {
            b.append(" on :").append(port);
        }
        b.append(in(ns));
        if (ev.get("states") instanceof Map<?, ?> states && !states.isEmpty()) {
            b.append(" (").append(counts(states)).append(')');
        }
        b.append(". `ss -p` and `netstat -p` show no owner for them: /proc/").append(pid)
                .append("/fd is empty, the descriptors sit under /proc/").append(pid).append("/task/");
        b.append(ev.get("tids") instanceof List<?> tids && tids.size() == 1 ? tids.get(0) : "TID").append("/fd. ");
        Object parent = ev.get("parentCommand");
        boolean orphan = Boolean.TRUE.equals(ev.get("orphan"));
        // the parent as seen (pid and command), never "init reaps it": pid 1 is not always an init that reaps
        b.append("Its parent is ").append(parent != null ? parent + " (pid " + ppid + ")"
                : "pid " + ppid + " (not seen by the collection)");
        b.append(orphan ? ": it is an orphan. It" : ". It")
                .append(" can be reaped only after its last thread exits. Ending the process (kill ").append(pid)
                .append(") closes the sockets.");
        if (ev.get("otherDefunct") instanceof List<?> others && !others.isEmpty()) {
            b.append(' ').append(plural(others.size(), "other defunct process")).append(" hold sockets here too.");
        }
        return fit(b);
    }

    static String orphanPressure(Map<String, Object> ev) {
        StringBuilder b = new StringBuilder();
        b.append(num(ev, "orphans")).append(" orphaned TCP sockets (closed by their programs, still kept by the kernel)"
                + " are ").append(percent(ev.get("percent"))).append(" % of tcp_max_orphans (").append(num(ev, "max"))
                .append("). At the limit the kernel resets orphans at once and logs \"TCP: too many orphaned sockets\"."
                        + " They usually pile up in FIN-WAIT-1 behind peers that stopped reading: check this host's"
                        + " FIN-WAIT-1 sockets.");
        return fit(b);
    }

    static String portBlocked(int port, Map<String, Object> ev) {
        long count = num(ev, "count");
        StringBuilder b = new StringBuilder();
        b.append("Nothing listens on :").append(port).append(", a service port of this host, yet ")
                .append(plural(count, "socket")).append(count == 1 ? " still holds it" : " still hold it");
        if (ev.get("states") instanceof Map<?, ?> states && !states.isEmpty()) {
            // TIME-WAIT does not block on its own (see Detector): listed apart so the numbers add up
            Map<Object, Object> blocking = new LinkedHashMap<>(states);
            Object timeWait = blocking.remove(Detector.TIME_WAIT);
            b.append(" (").append(counts(blocking));
            if (timeWait != null) {
                b.append("; ").append(timeWait).append(" more in TIME-WAIT");
            }
            b.append(')');
        }
        b.append(". A restart that binds :").append(port)
                .append(" can fail with \"Address already in use\" until they are gone. ");
        String who = who(ev);
        long orphaned = num(ev, "orphaned");
        if (who != null) {
            b.append("Owner: ").append(who).append(". ");
        }
        if (orphaned > 0) {
            b.append(plural(orphaned, "socket")).append(orphaned == 1 ? " has" : " have").append(" no owning process.");
        }
        return fit(b);
    }

    // ---- pieces ----

    static boolean isHost(NetNamespace ns) {
        return ns == null || ns.kind() == NetNamespace.Kind.HOST;
    }

    /**
     * " in container `checkout-7d9f` (3f2a1b9c0d1e)", " in pod `web-0` (uid 6e1f…)", " in network namespace `blue`",
     * " in network namespace net:[4026532]"; "" for the host's own. Names come from the host (a container sets its own
     * hostname): cleaned here, escaped by the page.
     */
    static String in(NetNamespace ns) {
        if (isHost(ns)) {
            return "";
        }
        String name = name(ns);
        String id = ns.shortId() == null || ns.shortId().equals(ns.name()) ? null : name(ns.shortId());
        return switch (ns.kind()) {
            case CONTAINER -> " in container `" + name + "`" + (id == null ? "" : " (" + id + ")");
            case POD -> " in pod `" + name + "`" + podDetail(ns, "container ", "uid ", ", ", " (", ")");
            default -> unnamed(ns) ? " in network namespace net:[" + ns.inode() + "]"
                    : " in network namespace `" + name + "`";
        };
    }

    /** The pod's container short id and uid, e.g. " (container 3f2a1b9c0d1e, uid 6e1f…)"; "" when neither is known. */
    static String podDetail(NetNamespace ns, String container, String uid, String comma, String open, String close) {
        StringBuilder b = new StringBuilder();
        if (ns.shortId() != null) {
            b.append(container).append(name(ns.shortId()));
        }
        if (ns.pod() != null) {
            b.append(b.length() == 0 ? "" : comma).append(uid).append(name(ns.pod()));
        }
        return b.length() == 0 ? "" : open + b + close;
    }

    /** A namespace known only by its inode (no ip-netns name, no container cgroup). */
    static boolean unnamed(NetNamespace ns) {
        return ns.name().equals("net:[" + ns.inode() + "]");
    }

    /** A name from the host as text inside a code span: no control characters, no backtick to end the span. */
    static String name(NetNamespace ns) {
        return name(ns.name());
    }

    static String name(String s) {
        return Detector.clean(s).replace('`', '\'');
    }

    /** " since 02:41 UTC (14 min)", or "" when the condition is seen for the first time. */
    private static String since(Map<String, Object> ev) {
        Since since = sinceOf(ev);
        return since == null ? "" : " since " + since.clock() + " UTC (" + duration(since.ageSeconds()) + ")";
    }

    /** When the condition began, as a clock time (with the date once it is nearly a day old), and how long ago. */
    record Since(String clock, long ageSeconds) {
    }

    /** Null when the condition is seen for the first time, or its start cannot be read. */
    static Since sinceOf(Map<String, Object> ev) {
        if (num(ev, "sinceSnapshots") <= 1 || !(ev.get("since") instanceof String text)) {
            return null;
        }
        try {
            Instant since = Instant.parse(text);
            long age = num(ev, "ageSeconds");
            return new Since((age >= 20 * 3600 ? DAY_CLOCK : CLOCK).format(since), age);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static String duration(long seconds) {
        if (seconds < 90) {
            return seconds + " s";
        }
        long minutes = seconds / 60;
        if (minutes < 90) {
            return minutes + " min";
        }
        long hours = minutes / 60;
        return hours < 48 ? hours + " h " + minutes % 60 + " min" : hours / 24 + " days";
    }

    static String bytes(long n) {
        if (n < 10_000) {
            return n == 1 ? "1 byte" : n + " bytes";
        }
        if (n < 1024L * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
    }

    /** "java (pid 4242)" or "java (pid 4242) and 2 other processes"; null when no owner is known. */
    private static String who(Map<String, Object> ev) {
        Owners owners = ownersOf(ev);
        if (owners == null) {
            return null;
        }
        return owners.others() == 0 ? owners.first() : owners.first() + " and " + plural(owners.others(), "other process");
    }

    /** The first owner named as "java (pid 4242)" (or "pid 4242"), and how many other processes own sockets too. */
    record Owners(String first, int others) {
    }

    /** Null when the evidence names no owner. */
    static Owners ownersOf(Map<String, Object> ev) {
        if (!(ev.get("owners") instanceof List<?> owners) || owners.isEmpty()) {
            return null;
        }
        Set<Object> pids = new LinkedHashSet<>();
        String first = null;
        for (Object o : owners) {
            if (o instanceof Map<?, ?> m && m.get("pid") != null) {
                if (first == null) {
                    first = m.get("command") == null ? "pid " + m.get("pid") : m.get("command") + " (pid " + m.get("pid")
                            + ")";
                }
                pids.add(m.get("pid"));
            }
        }
        return first == null ? null : new Owners(first, pids.size() - 1);
    }

    private static void otherDirection(StringBuilder b, int port, Map<String, Object> ev, String state) {
        if (ev.get("otherDirection") instanceof Map<?, ?> other) {
            boolean outgoing = "outgoing".equals(other.get("direction"));
            long n = num(other, "count");
            b.append(" Also ").append(outgoing ? plural(n, "outgoing connection") + " to :" + port
                    : plural(n, "socket") + " on the local :" + port).append(" in ").append(state).append('.');
        }
    }

    /** "ESTAB 3, CLOSE-WAIT 12": the same in both languages. */
    static String counts(Map<?, ?> states) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<?, ?> e : states.entrySet()) {
            b.append(b.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue());
        }
        return b.toString();
    }

    static String percent(Object p) {
        return p instanceof Number n ? String.format(Locale.ROOT, "%.1f", n.doubleValue()) : "?";
    }

    private static String plural(long n, String noun) {
        if (n == 1) {
            return "1 " + noun;
        }
        return n + " " + (noun.endsWith("ss") ? noun + "es" : noun + "s");
    }

    static long num(Map<?, ?> m, String key) {
        return m.get(key) instanceof Number n ? n.longValue() : 0;
    }

    /** The last word stays readable even if a host sends something unexpected: cut at a sentence end. */
    private static String fit(StringBuilder b) {
        if (b.length() <= MAX_CHARS) {
            return b.toString();
        }
        int cut = b.lastIndexOf(". ", MAX_CHARS - 2);
        return cut > MAX_CHARS / 2 ? b.substring(0, cut + 1) : b.substring(0, MAX_CHARS - 1) + "…";
    }
}
