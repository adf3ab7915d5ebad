package dev.linger.job;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.linger.collect.NetNamespace;
import dev.linger.collect.SnapshotView;
import dev.linger.i18n.Text;
import dev.linger.runbook.Applicability;
import dev.linger.runbook.Bindings;
import dev.linger.runbook.Check;
import dev.linger.runbook.RunbookStep;
import dev.linger.runbook.RunbookVersion;
import dev.linger.runbook.Step;
import dev.linger.transport.CommandResult;
import dev.linger.transport.HostTarget;
import dev.linger.transport.Shell;
import dev.linger.transport.Transport;
import dev.linger.transport.TransportFailure;

/**
 * The plan people approve: each step's exact command, the values it will change as the host has
 * them now (read live in one round trip), and its blast radius. Its hash covers what must not
 * change under an approval: host, runbook version, parameters, commands and the text of every
 * manual (NOTE) step.
 */
final class JobPlanner {

    static final String ORPHANS = "net.ipv4.tcp_max_orphans";

    /**
     * What the live read found. {@code matching}: per KILL_SOCKETS or WAIT_SOCKETS step (by its number), the sockets
     * its filter matches now; {@code processes}: per pid a SIGNAL_PROCESS step names, who it is now (a pid missing
     * from the map does not exist on the host).
     */
    record Live(Map<String, String> sysctls, Set<String> missing, Long orphans, Long finWait1All, Long finWait1Port,
            Map<Integer, Long> matching, Map<String, ProcessIdentity> processes) {
    }

    record Plan(List<Map<String, Object>> steps, List<Applicability.Verdict> verdicts, String hash,
            Map<String, String> currentValues) {
        boolean applicable() {
            return Applicability.applicable(verdicts);
        }
    }

    private JobPlanner() {
    }

    static Plan plan(Transport transport, HostTarget host, RunbookVersion runbook, Bindings bindings, Integer port,
            SnapshotView latest, Boolean canKillSockets, Duration timeout) {
        return plan(transport, host, runbook, bindings, port, latest, canKillSockets, timeout, null);
    }

    /**
     * @param ns the network namespace the job acts in (null: the host's own): the live read runs inside it, and the
     *           checks and blast radius count only what is in it
     */
    static Plan plan(Transport transport, HostTarget host, RunbookVersion runbook, Bindings bindings, Integer port,
            SnapshotView latest, Boolean canKillSockets, Duration timeout, JobNamespace ns) {
        Live live = read(ns == null ? transport : ns.around(transport), host, runbook, bindings, port, timeout);
        SnapshotView all = latest;
        latest = scoped(latest, ns == null ? NetNamespace.HOST_KEY : ns.inode());
        List<Applicability.Verdict> verdicts = new ArrayList<>();
        for (Applicability.Verdict v : Applicability.evaluate(runbook.definition(), canKillSockets, latest, port)) {
            // what the host says now wins over the last collection
            if (v.check() == Check.ORPHAN_LIMIT_PRESENT && live != null
                    && (live.missing().contains(ORPHANS) || live.sysctls().containsKey(ORPHANS))) {
                Map<String, String> read = new java.util.HashMap<>(live.sysctls());
                live.missing().forEach(k -> read.put(k, null));
                v = Applicability.orphanLimit(read);
            }
            verdicts.add(v);
        }
        List<Map<String, Object>> steps = new ArrayList<>();
        int n = 1;
        for (RunbookStep rs : runbook.definition().steps()) {
            Step step = rs.step();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("n", n++);
            m.put("type", step.type().name());
            m.put("command", step.command(bindings));
            m.put("changes", step.changes(bindings));
            m.put("undo", step.undo().kind().name());
            m.put("undoHow", step.undo().how());
            if (step instanceof Step.Note note) {
                // what a person will do by hand is part of what approvers vouch for
                m.put("note", note.text());
            }
            Map<String, Text> values = values(step, bindings, live);
            if (!values.isEmpty()) {
                m.put("values", values);
            }
            int stepN = n - 1;
            ProcessIdentity process = null;
            if (step instanceof Step.SignalProcess sp && live != null) {
                process = live.processes().get(bindings.resolve(sp.pid()).text());
                if (process != null) {
                    // what the step may signal: that pid, still that command, started at that moment
                    m.put("process", process.asMap());
                }
            }
            Text blast = blastRadius(step, stepN, bindings, live, port, process, ns, all);
            if (blast != null) {
                m.put("blastRadius", blast);
            }
            if (live != null && live.matching().containsKey(stepN)) {
                m.put("matching", live.matching().get(stepN));
            }
            steps.add(m);
        }
        return new Plan(steps, verdicts, hash(host.hostId(), runbook.id(), bindings.params(), steps, null, ns),
                live == null ? Map.of() : live.sysctls());
    }

    /**
     * The snapshot as the namespace {@code key} sees it: its sockets and counts only, and its own sysctls (the host's
     * own keep the snapshot's). The checks of a plan judge the namespace the job acts in, never its neighbours.
     */
    static SnapshotView scoped(SnapshotView v, long key) {
        return v == null ? null : v.within(key);
    }

    /** States of a socket the program has closed and the kernel still keeps: an orphan when no process owns it. */
    static final Set<String> ORPHAN_STATES = Set.of("FIN-WAIT-1", "FIN-WAIT-2", "CLOSING", "LAST-ACK");

    /**
     * Orphaned sockets per namespace from the latest collection's socket groups, which count every notable socket
     * (no owner, in a state after close), each namespace named, the busiest first; the host's own is always listed.
     */
    static Map<Text, Long> orphansByNamespace(SnapshotView v) {
        Map<Long, Long> counts = new java.util.HashMap<>();
        counts.put(NetNamespace.HOST_KEY, 0L);
        for (var g : v.groups()) {
            if (g.owner() == null && g.count() > 0 && ORPHAN_STATES.contains(g.state())) {
                counts.merge(g.netns(), g.count(), Long::sum);
            }
        }
        Map<Text, Long> out = new LinkedHashMap<>();
        counts.entrySet().stream().sorted((a, b) -> a.getKey() == NetNamespace.HOST_KEY ? -1
                : b.getKey() == NetNamespace.HOST_KEY ? 1 : Long.compare(b.getValue(), a.getValue()))
                .forEach(e -> out.put(named(v.namespace(e.getKey())), e.getValue()));
        return out;
    }

    /** "host", "container web-1 (1a2b3c4d5e6f)", "pod x", "ip netns blue", "net:[4026532…]", as a fact. */
    static Text named(NetNamespace ns) {
        if (ns.key() == NetNamespace.HOST_KEY) {
            return Text.of("run.hostNamespace");
        }
        JobNamespace j = new JobNamespace(ns.inode(), "00000000-0000-0000-0000-000000000000", ns.kind(), ns.name(),
                ns.containerId(), ns.pod());
        return j.whereText();
    }

    /** The plan hash: everything an approval vouches for, nothing that drifts on its own (live values). */
    static String hash(long hostId, long runbookVersionId, Map<String, String> params, List<Map<String, Object>> steps) {
        return hash(hostId, runbookVersionId, params, steps, null);
    }

    /** The same, for a plan whose proposer overrode a failed check: the override and its reason are vouched for too. */
    static String hash(long hostId, long runbookVersionId, Map<String, String> params, List<Map<String, Object>> steps,
            String overrideReason) {
        return hash(hostId, runbookVersionId, params, steps, overrideReason, null);
    }

    /** The same, for a job inside a network namespace: approvals vouch for that namespace on that boot. */
    static String hash(long hostId, long runbookVersionId, Map<String, String> params, List<Map<String, Object>> steps,
            String overrideReason, JobNamespace ns) {
        StringBuilder b = new StringBuilder().append("host=").append(hostId).append('\n').append("runbookVersion=")
                .append(runbookVersionId).append('\n');
        if (ns != null) {
            // the host's own namespace adds nothing, so plans from before namespaces keep their hashes
            b.append(ns.hashLine());
        }
        new TreeMap<>(params).forEach((k, v) -> b.append("param ").append(k).append('=').append(v).append('\n'));
        for (Map<String, Object> s : steps) {
            b.append("step ").append(s.get("n")).append(' ').append(s.get("type")).append(' ')
                    .append(s.get("command") == null ? "-" : s.get("command")).append('\n');
            if (s.get("process") instanceof Map<?, ?> p) {
                b.append("process ").append(p.get("pid")).append(' ').append(p.get("startTicks")).append(' ')
                        .append(String.valueOf(p.get("command")).length()).append(':').append(p.get("command"))
                        .append('\n');
            }
            if (s.get("note") != null) {
                // length-prefixed: a note's own line breaks cannot forge another line of the hashed text
                String note = String.valueOf(s.get("note"));
                b.append("note ").append(note.length()).append(':').append(note).append('\n');
            }
        }
        if (overrideReason != null) {
            b.append("override ").append(overrideReason.length()).append(':').append(overrideReason).append('\n');
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(b.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** "current → intended" for each key a step changes. */
    private static Map<String, Text> values(Step step, Bindings b, Live live) {
        Map<String, Text> out = new LinkedHashMap<>();
        if (step instanceof Step.SetSysctl s) {
            out.put(s.key(), Text.of("run.valueWillBe", now(live, s.key()), b.resolve(s.value()).text()));
        } else if (step instanceof Step.RestoreSysctl r) {
            out.put(r.key(), Text.of("run.valueRestored", now(live, r.key())));
        } else if (step instanceof Step.PersistSysctl p) {
            p.entries().forEach((k, v) -> out.put(k, Text.of("run.valueWillPersist", now(live, k),
                    b.resolve(v).text())));
        }
        return out;
    }

    /** The value the host has now: the kernel's words as they are, or why it is not known (a nested Text). */
    private static Object now(Live live, String key) {
        if (live == null) {
            return Text.of("run.nowUnknown");
        }
        if (live.missing().contains(key)) {
            return Text.of("run.nowMissing");
        }
        String v = live.sysctls().get(key);
        return v == null ? Text.of("run.nowUnknown") : v;
    }

    private static Text blastRadius(Step step, int n, Bindings b, Live live, Integer port, ProcessIdentity process,
            JobNamespace ns, SnapshotView latest) {
        if (step instanceof Step.SetSysctl s && s.key().equals(ORPHANS)) {
            boolean counted = live != null && live.orphans() != null;
            boolean others = counted && live.finWait1All() != null && live.finWait1Port() != null && port != null;
            List<Text> per = new ArrayList<>();
            if (latest != null && !latest.groups().isEmpty()) {
                // the count is the kernel's, machine-wide: say which namespaces its orphans are in
                orphansByNamespace(latest).forEach((where, count) -> per.add(Text.of("run.namespaceCount", where,
                        count)));
            }
            return Text.of("run.blastOrphans", ORPHANS, b.resolve(s.value()).text(), counted,
                    counted ? live.orphans() : 0L, others, others ? live.finWait1All() - live.finWait1Port() : 0L,
                    port == null ? "" : String.valueOf(port), per);
        }
        if (step instanceof Step.SetSysctl s && s.key().startsWith("net.ipv4.tcp_keepalive")) {
            return ns != null ? Text.of("run.blastKeepaliveIn", ns.whereText()) : Text.of("run.blastKeepalive");
        }
        Long matching = live == null ? null : live.matching().get(n);
        if (step instanceof Step.KillSockets k) {
            String p = b.resolve(k.port()).text();
            String state = k.state().name();
            if (ns != null) {
                if (matching != null && matching == 0) {
                    return Text.of("run.blastKillNoneIn", state, p, ns.whereText());
                }
                return Text.of("run.blastKillIn", matching != null, matching == null ? 0L : matching, state, p,
                        ns.whereText(), spared(latest, ns.inode(), k.state(), p));
            }
            if (matching != null && matching == 0) {
                return Text.of("run.blastKillNone", state, p);
            }
            return Text.of("run.blastKill", matching != null, matching == null ? 0L : matching, state, p);
        }
        if (step instanceof Step.WaitSockets w && matching != null) {
            String p = b.resolve(w.port()).text();
            return matching == 0 ? Text.of("run.blastWaitNone", w.state().name(), p)
                    : Text.of("run.blastWait", matching, w.state().name(), p, (long) w.atMost());
        }
        if (step instanceof Step.SignalProcess sp) {
            String pid = b.resolve(sp.pid()).text();
            if (live != null && !b.resolve(sp.pid()).placeholder() && process == null) {
                return Text.of("run.blastProcessMissing", pid);
            }
            if (process != null) {
                return Text.of("run.blastProcessKnown", pid, process.command(), process.startedShown(),
                        String.valueOf(sp.signal()));
            }
            return Text.of("run.blastProcess", pid, String.valueOf(sp.signal()));
        }
        return null;
    }

    /** Sockets of that state on that local port in every namespace but {@code netns}, from the latest collection. */
    private static long spared(SnapshotView latest, long netns, dev.linger.runbook.TcpState state, String port) {
        if (latest == null) {
            return 0;
        }
        return latest.states().stream().filter(c -> c.netns() != netns && !c.remote()
                && String.valueOf(c.port()).equals(port) && sameState(c.state(), state)).mapToLong(c -> c.count())
                .sum();
    }

    private static boolean sameState(String collected, dev.linger.runbook.TcpState state) {
        return dev.linger.runbook.TcpState.parse(collected).orElse(null) == state;
    }

    /** One round trip: the sysctls the steps touch, the orphan count, and the sockets a kill or drain concerns. */
    private static Live read(Transport transport, HostTarget host, RunbookVersion runbook, Bindings bindings,
            Integer port, Duration timeout) {
        Set<String> keys = new LinkedHashSet<>();
        Map<Integer, String> matchCommands = new LinkedHashMap<>();
        Set<String> pids = new LinkedHashSet<>();
        int n = 0;
        for (RunbookStep rs : runbook.definition().steps()) {
            Step s = rs.step();
            n++;
            if (s instanceof Step.SetSysctl set) {
                keys.add(set.key());
            } else if (s instanceof Step.ReadSysctl r) {
                keys.add(r.key());
            } else if (s instanceof Step.RestoreSysctl r) {
                keys.add(r.key());
            } else if (s instanceof Step.PersistSysctl p) {
                keys.addAll(p.entries().keySet());
            } else if (s instanceof Step.KillSockets k) {
                matchCommands.put(n, new Step.WaitSockets(k.state(), k.port(), 0, 1, 1).command(bindings));
            } else if (s instanceof Step.WaitSockets w) {
                matchCommands.put(n, w.command(bindings));
            } else if (s instanceof Step.SignalProcess sp && !bindings.resolve(sp.pid()).placeholder()
                    && bindings.resolve(sp.pid()).text().matches("\\d{1,10}")) {
                pids.add(bindings.resolve(sp.pid()).text());
            }
        }
        StringBuilder script = new StringBuilder();
        for (String k : keys) {
            script.append("if v=$(sysctl -n ").append(Shell.quote(k)).append(" 2>/dev/null); then echo ")
                    .append(Shell.quote("sysctl " + k + "=")).append("\"$v\"; else echo ")
                    .append(Shell.quote("missing " + k)).append("; fi\n");
        }
        script.append("echo \"sockstat $(grep '^TCP:' /proc/net/sockstat 2>/dev/null)\"\n");
        if (keys.contains(ORPHANS)) {
            script.append("echo \"finwait1 $(ss -Htn state fin-wait-1 2>/dev/null | wc -l)\"\n");
            if (port != null) {
                script.append("echo \"finwait1port $(ss -Htn state fin-wait-1 '( sport = :").append(port)
                        .append(" )' 2>/dev/null | wc -l)\"\n");
            }
        }
        matchCommands.forEach((step, command) -> {
            if (!command.contains("{")) {
                script.append("echo \"matching ").append(step).append(" $(").append(command)
                        .append(" 2>/dev/null | wc -l)\"\n");
            }
        });
        pids.forEach(pid -> script.append(ProcessIdentity.readScript(pid)));
        try {
            CommandResult r = transport.run(host, script.toString(), timeout);
            return parse(r.stdout());
        } catch (TransportFailure e) {
            return null;
        }
    }

    static Live parse(String out) {
        Map<String, String> sysctls = new LinkedHashMap<>();
        Set<String> missing = new LinkedHashSet<>();
        Long orphans = null;
        Long fwAll = null;
        Long fwPort = null;
        Map<Integer, Long> matching = new LinkedHashMap<>();
        Map<String, ProcessIdentity> processes = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("sysctl ") && line.indexOf('=') > 7) {
                int eq = line.indexOf('=');
                sysctls.put(line.substring(7, eq), line.substring(eq + 1).strip().replaceAll("\\s+", " "));
            } else if (line.startsWith("missing ")) {
                missing.add(line.substring(8).strip());
            } else if (line.startsWith("sockstat ")) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("orphan (\\d+)").matcher(line);
                orphans = m.find() ? Long.valueOf(m.group(1)) : null;
            } else if (line.startsWith("finwait1port ")) {
                fwPort = number(line.substring(13));
            } else if (line.startsWith("finwait1 ")) {
                fwAll = number(line.substring(9));
            } else if (line.startsWith("matching ")) {
                String[] f = line.substring(9).strip().split("\\s+");
                Long step = f.length == 2 ? number(f[0]) : null;
                Long count = f.length == 2 ? number(f[1]) : null;
                if (step != null && count != null) {
                    matching.put(step.intValue(), count);
                }
            } else if (line.startsWith(ProcessIdentity.LINE)) {
                ProcessIdentity.parse(line).ifPresent(p -> processes.put(p.pid(), p));
            }
        }
        return new Live(sysctls, missing, orphans, fwAll, fwPort, matching, processes);
    }

    private static Long number(String s) {
        try {
            return Long.valueOf(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
