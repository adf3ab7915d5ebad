package dev.linger.incident;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.linger.collect.NetNamespace;
import dev.linger.i18n.Text;

/**
 * The plain-words explanation of an incident, for an engineer paged at 3 a.m.: a list of facts, each one message of
 * {@link dev.linger.i18n.IncidentFacts} with its values, said from the typed {@link Evidence} alone, so what the page
 * says and what the evidence shows cannot disagree. Nothing here is in any language: the page, the API and the
 * webhook say the facts in theirs ({@link dev.linger.i18n.Catalogue#render}).
 */
public final class Explanations {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY_CLOCK = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    /** A String argument that says nothing: a message's {@code {#if where}} is false for it. */
    static final String NOTHING = "";

    private Explanations() {
    }

    /**
     * The facts of an incident, in the order they are said. {@code ns}: where the sockets are (null: the host's own);
     * {@code hostName}: the host, named by the host kinds. An evidence Linger cannot read says nothing.
     */
    public static List<Text> facts(int port, Evidence evidence, NetNamespace ns, String hostName) {
        if (evidence == null) {
            return List.of();
        }
        List<Text> out = new ArrayList<>();
        if (evidence instanceof Evidence.CloseWaitLeak ev) {
            closeWaitLeak(port, ev, ns, out);
        } else if (evidence instanceof Evidence.FinWait1Stuck ev) {
            finWait1Stuck(port, ev, ns, out);
        } else if (evidence instanceof Evidence.DefunctOwner ev) {
            defunctOwner(port, ev, ns, out);
        } else if (evidence instanceof Evidence.OrphanPressure ev) {
            orphanPressure(ev, out);
        } else if (evidence instanceof Evidence.PortBlocked ev) {
            portBlocked(port, ev, out);
        } else if (evidence instanceof Evidence.HostUnreachable ev) {
            out.add(Text.of("fact.hostUnreachable", name(hostName), ev.error() == null ? NOTHING : ev.error()));
        } else if (evidence instanceof Evidence.HostKeyChanged ev) {
            out.add(Text.of("fact.hostKeyChanged", name(hostName), ev.error() == null ? NOTHING : ev.error()));
        } else if (evidence instanceof Evidence.ExternalAlert ev) {
            out.add(Text.of("fact.externalAlert", sourceName(ev.source()), ev.alert() == null ? NOTHING : ev.alert(),
                    name(hostName), ev.summary() == null ? NOTHING : ev.summary(), (long) ev.firing()));
        }
        return List.copyOf(out);
    }

    /** Alertmanager or Netdata, as people write them. */
    static String sourceName(String source) {
        return "NETDATA".equals(source) ? "Netdata" : "Alertmanager";
    }

    /** The facts said one after the other, as one Text ({@code fact.sentences} joins two in each language's way). */
    public static Text text(List<Text> facts) {
        if (facts.isEmpty()) {
            return Text.of("fact.verbatim", "");
        }
        Text said = facts.get(facts.size() - 1);
        for (int i = facts.size() - 2; i >= 0; i--) {
            said = Text.of("fact.sentences", facts.get(i), said);
        }
        return said;
    }

    /** The whole explanation of an incident as one Text. */
    public static Text of(int port, Evidence evidence, NetNamespace ns, String hostName) {
        return text(facts(port, evidence, ns, hostName));
    }

    // ---- kinds ----

    private static void closeWaitLeak(int port, Evidence.CloseWaitLeak ev, NetNamespace ns, List<Text> out) {
        long count = ev.count();
        out.add(Text.of("fact.closeWaitState", count, (long) port, ev.outgoing(), in(ns),
                since(ev.sinceSnapshots(), ev.since(), ev.ageSeconds())));
        if (ev.growth() != null && ev.growth().size() > 1) {
            out.add(Text.of("fact.closeWaitGrowth", (long) ev.growth().size() - 1, series(ev.growth())));
        }
        out.add(Text.of("fact.closeWaitCause", ev.outgoing(), isHost(ns)));
        Object who = who(ev.owners());
        boolean lines = !ev.samples().isEmpty();
        long withUnread = ev.withUnreadBytes();
        if (withUnread > 0) {
            if (ev.unreadBytesEach() != null && withUnread == count) {
                out.add(Text.of("fact.unreadEach", bytes(ev.unreadBytesEach()), who));
            } else {
                out.add(Text.of("fact.unreadSome", withUnread, bytes(ev.unreadBytes()), who));
            }
        } else if (lines) {
            out.add(Text.of("fact.noUnread", who));
        } else {
            // only the count is known (no socket lines): say nothing about bytes or owners we did not see
            out.add(Text.of("fact.countOnly"));
        }
        if (NOTHING.equals(who) && lines) {
            out.add(Text.of("fact.noOwnerFound"));
        }
        out.add(Text.of("fact.keepalive", ev.withKeepalive(), count));
        out.add(Text.of("fact.fixIsOwner"));
        if (ev.otherDirection() != null) {
            out.add(Text.of("fact.otherDirection", ev.otherDirection().outgoing(), ev.otherDirection().count(),
                    (long) port, Detector.CLOSE_WAIT));
        }
    }

    private static void finWait1Stuck(int port, Evidence.FinWait1Stuck ev, NetNamespace ns, List<Text> out) {
        long count = ev.count();
        out.add(Text.of("fact.finWait1State", count, (long) port, ev.outgoing(), in(ns),
                since(ev.sinceSnapshots(), ev.since(), ev.ageSeconds()), ev.sendQ() > 0 ? bytes(ev.sendQ()) : NOTHING));
        long persist = ev.timer("persist");
        long on = ev.timer("on");
        if (persist > 0) {
            out.add(Text.of("fact.persistTimer", persist, persist == count));
        }
        if (on > 0) {
            out.add(Text.of("fact.retransmitting", on, on == count));
        }
        long orphaned = ev.orphaned();
        Object who = who(ev.owners());
        if (orphaned > 0) {
            out.add(Text.of("fact.orphans", orphaned, count));
            if (Boolean.FALSE.equals(ev.tcpMaxOrphansPresent())) {
                out.add(Text.of("fact.drainNotHere"));
            } else if (ev.hostOrphans() != null) {
                out.add(Text.of("fact.drainSystemWide", ev.hostOrphans()));
            } else {
                out.add(Text.of("fact.drainSystemWideUncounted"));
            }
        }
        if (orphaned < count && !NOTHING.equals(who)) {
            out.add(Text.of("fact.belongTo", orphaned > 0, who));
        }
        if (ev.killCommand() != null) {
            out.add(Text.of("fact.killOnly", ev.killCommand(), isHost(ns)));
        }
        if (ev.otherDirection() != null) {
            out.add(Text.of("fact.otherDirection", ev.otherDirection().outgoing(), ev.otherDirection().count(),
                    (long) port, Detector.FIN_WAIT_1));
        }
    }

    private static void defunctOwner(int port, Evidence.DefunctOwner ev, NetNamespace ns, List<Text> out) {
        out.add(Text.of("fact.defunctState", text(ev.command()), ev.pid(), Math.max(0, ev.threads() - 1), ev.sockets(),
                (long) port, in(ns), states(ev.states())));
        out.add(Text.of("fact.defunctHidden", ev.pid(), ev.tids().size() == 1 ? String.valueOf(ev.tids().get(0)) : "TID"));
        // the parent as seen (pid and command), never "init reaps it": pid 1 is not always an init that reaps
        out.add(Text.of("fact.defunctParent", text(ev.parentCommand()), ev.ppid(), ev.orphan()));
        out.add(Text.of("fact.defunctReap", ev.pid()));
        if (ev.otherDefunct() != null && !ev.otherDefunct().isEmpty()) {
            out.add(Text.of("fact.otherDefunct", (long) ev.otherDefunct().size()));
        }
    }

    private static void orphanPressure(Evidence.OrphanPressure ev, List<Text> out) {
        out.add(Text.of("fact.orphanPressure", ev.orphans(), String.format(Locale.ROOT, "%.1f", ev.percent()), ev.max()));
        out.add(Text.of("fact.orphanLimit"));
        out.add(Text.of("fact.orphanFinWait1"));
    }

    private static void portBlocked(int port, Evidence.PortBlocked ev, List<Text> out) {
        // TIME-WAIT does not block on its own (see Detector): listed apart so the numbers add up
        Map<String, Long> blocking = new java.util.TreeMap<>(ev.states());
        Long timeWait = blocking.remove(Detector.TIME_WAIT);
        out.add(Text.of("fact.portBlocked", (long) port, ev.count(), states(blocking), timeWait == null ? 0L : timeWait));
        out.add(Text.of("fact.portRestart", (long) port));
        Object who = who(ev.owners());
        if (!NOTHING.equals(who)) {
            out.add(Text.of("fact.portOwner", who));
        }
        if (ev.orphaned() > 0) {
            out.add(Text.of("fact.portOrphaned", ev.orphaned()));
        }
    }

    // ---- pieces ----

    static boolean isHost(NetNamespace ns) {
        return ns == null || ns.kind() == NetNamespace.Kind.HOST;
    }

    /**
     * The namespace by name: "container `checkout-7d9f` (3f2a1b9c0d1e)", "pod `web-0` (container …, uid …)",
     * "network namespace `blue`", "network namespace net:[4026532]"; null for the host's own. Names come from the host
     * (a container sets its own hostname): cleaned here, escaped by the page.
     */
    public static Text where(NetNamespace ns) {
        if (isHost(ns)) {
            return null;
        }
        String name = name(ns.name());
        String id = ns.shortId() == null || ns.shortId().equals(ns.name()) ? "" : name(ns.shortId());
        return switch (ns.kind()) {
            case CONTAINER -> Text.of("fact.container", name, id);
            case POD -> Text.of("fact.pod", name, ns.shortId() == null ? "" : name(ns.shortId()),
                    ns.pod() == null ? "" : name(ns.pod()));
            default -> unnamed(ns) ? Text.of("fact.netnsInode", ns.inode()) : Text.of("fact.netns", name);
        };
    }

    /** "in container `checkout-7d9f` (…)", or nothing for the host's own namespace. */
    static Object in(NetNamespace ns) {
        Text where = where(ns);
        return where == null ? NOTHING : Text.of("fact.in", where);
    }

    /** A namespace known only by its inode (no ip-netns name, no container cgroup). */
    static boolean unnamed(NetNamespace ns) {
        return ns.name().equals("net:[" + ns.inode() + "]");
    }

    /** A name from the host as text inside a code span: no control characters, no backtick to end the span. */
    static String name(String s) {
        return s == null ? "" : Detector.clean(s).replace('`', '\'');
    }

    private static String text(String s) {
        return s == null ? NOTHING : Detector.clean(s);
    }

    /** "since 02:41 UTC (14 min)", or nothing when the condition is seen for the first time or its start is unknown. */
    static Object since(long sinceSnapshots, String since, Long ageSeconds) {
        if (sinceSnapshots <= 1 || since == null) {
            return NOTHING;
        }
        try {
            Instant at = Instant.parse(since);
            long age = ageSeconds == null ? 0 : ageSeconds;
            return Text.of("fact.since", (age >= 20 * 3600 ? DAY_CLOCK : CLOCK).format(at), duration(age));
        } catch (DateTimeParseException e) {
            return NOTHING;
        }
    }

    static Text duration(long seconds) {
        if (seconds < 90) {
            return Text.of("fact.seconds", seconds);
        }
        long minutes = seconds / 60;
        if (minutes < 90) {
            return Text.of("fact.minutes", minutes);
        }
        long hours = minutes / 60;
        return hours < 48 ? Text.of("fact.hoursMinutes", hours, minutes % 60) : Text.of("fact.days", hours / 24);
    }

    static Text bytes(long n) {
        if (n < 10_000) {
            return Text.of("fact.bytes", n);
        }
        if (n < 1024L * 1024) {
            return Text.of("fact.kib", String.format(Locale.ROOT, "%.1f", n / 1024.0));
        }
        return Text.of("fact.mib", String.format(Locale.ROOT, "%.1f", n / (1024.0 * 1024)));
    }

    /** "java (pid 4242)" or "java (pid 4242) and 2 other processes"; nothing when no owner is known. */
    static Object who(List<Evidence.Owner> owners) {
        Set<Long> pids = new LinkedHashSet<>();
        Text first = null;
        for (Evidence.Owner o : owners) {
            if (first == null) {
                first = o.command() == null || o.command().isEmpty() ? Text.of("fact.ownerPid", o.pid())
                        : Text.of("fact.owner", Detector.clean(o.command()), o.pid());
            }
            pids.add(o.pid());
        }
        if (first == null) {
            return NOTHING;
        }
        return pids.size() == 1 ? first : Text.of("fact.ownerAndOthers", first, (long) pids.size() - 1);
    }

    /** "CLOSE-WAIT 12, ESTAB 3" as a list of facts, said with each language's list separator; nothing when empty. */
    static Object states(Map<String, Long> states) {
        if (states == null || states.isEmpty()) {
            return NOTHING;
        }
        List<Text> out = new ArrayList<>();
        states.forEach((state, n) -> out.add(Text.of("fact.stateCount", text(state), n == null ? 0L : n)));
        return out;
    }

    private static String series(List<Long> counts) {
        StringBuilder b = new StringBuilder();
        for (Long n : counts) {
            b.append(b.length() == 0 ? "" : " → ").append(n);
        }
        return b.toString();
    }
}
