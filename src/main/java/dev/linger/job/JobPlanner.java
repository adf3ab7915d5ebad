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

import dev.linger.collect.SnapshotView;
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
 * change under an approval: host, runbook version, parameters and commands.
 */
final class JobPlanner {

    static final String ORPHANS = "net.ipv4.tcp_max_orphans";

    /** What the live read found. */
    record Live(Map<String, String> sysctls, Set<String> missing, Long orphans, Long finWait1All, Long finWait1Port,
            Long matching) {
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
        Live live = read(transport, host, runbook, bindings, port, timeout);
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
            Map<String, String> values = values(step, bindings, live);
            if (!values.isEmpty()) {
                m.put("values", values);
            }
            String blast = blastRadius(step, bindings, live, port);
            if (blast != null) {
                m.put("blastRadius", blast);
            }
            steps.add(m);
        }
        return new Plan(steps, verdicts, hash(host.hostId(), runbook.id(), bindings.params(), steps),
                live == null ? Map.of() : live.sysctls());
    }

    /** The plan hash: everything an approval vouches for, nothing that drifts on its own (live values). */
    static String hash(long hostId, long runbookVersionId, Map<String, String> params, List<Map<String, Object>> steps) {
        StringBuilder b = new StringBuilder().append("host=").append(hostId).append('\n').append("runbookVersion=")
                .append(runbookVersionId).append('\n');
        new TreeMap<>(params).forEach((k, v) -> b.append("param ").append(k).append('=').append(v).append('\n'));
        for (Map<String, Object> s : steps) {
            b.append("step ").append(s.get("n")).append(' ').append(s.get("type")).append(' ')
                    .append(s.get("command") == null ? "-" : s.get("command")).append('\n');
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(b.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** "current → intended" for each key a step changes. */
    private static Map<String, String> values(Step step, Bindings b, Live live) {
        Map<String, String> out = new LinkedHashMap<>();
        if (step instanceof Step.SetSysctl s) {
            out.put(s.key(), now(live, s.key()) + " → " + b.resolve(s.value()).text());
        } else if (step instanceof Step.RestoreSysctl r) {
            out.put(r.key(), "→ the value recorded when the job runs (now " + now(live, r.key()) + ")");
        } else if (step instanceof Step.PersistSysctl p) {
            p.entries().forEach((k, v) -> out.put(k, now(live, k) + " → " + b.resolve(v).text() + " (persistent)"));
        }
        return out;
    }

    private static String now(Live live, String key) {
        if (live == null) {
            return "unknown";
        }
        if (live.missing().contains(key)) {
            return "missing on this host";
        }
        return live.sysctls().getOrDefault(key, "unknown");
    }

    private static String blastRadius(Step step, Bindings b, Live live, Integer port) {
        if (step instanceof Step.SetSysctl s && s.key().equals(ORPHANS)) {
            StringBuilder t = new StringBuilder(ORPHANS + "=" + b.resolve(s.value()).text()
                    + " is system-wide: every orphaned socket on the host dies at its next timer, on every port");
            if (live != null && live.orphans() != null) {
                t.append(". Now: ").append(live.orphans()).append(" orphaned sockets on the host");
                if (live.finWait1All() != null && live.finWait1Port() != null && port != null) {
                    t.append("; ").append(live.finWait1All() - live.finWait1Port())
                            .append(" FIN-WAIT-1 sockets on other ports than :").append(port).append(" will die too");
                }
            }
            return t.append('.').toString();
        }
        if (step instanceof Step.SetSysctl s && s.key().startsWith("net.ipv4.tcp_keepalive")) {
            return "Every socket with SO_KEEPALIVE in the host's network namespace uses the new value, not only this"
                    + " port's.";
        }
        if (step instanceof Step.KillSockets k) {
            return (live != null && live.matching() != null ? live.matching() + " " : "The ") + k.state().name()
                    + " sockets on :" + b.resolve(k.port()).text() + " are destroyed; no other socket is touched.";
        }
        if (step instanceof Step.SignalProcess sp) {
            return "Process " + b.resolve(sp.pid()).text() + " receives SIG" + sp.signal() + "; its connections close"
                    + " when it exits.";
        }
        return null;
    }

    /** One round trip: the sysctls the steps touch, the orphan count, and the sockets a kill or drain concerns. */
    private static Live read(Transport transport, HostTarget host, RunbookVersion runbook, Bindings bindings,
            Integer port, Duration timeout) {
        Set<String> keys = new LinkedHashSet<>();
        String matchCommand = null;
        for (RunbookStep rs : runbook.definition().steps()) {
            Step s = rs.step();
            if (s instanceof Step.SetSysctl set) {
                keys.add(set.key());
            } else if (s instanceof Step.ReadSysctl r) {
                keys.add(r.key());
            } else if (s instanceof Step.RestoreSysctl r) {
                keys.add(r.key());
            } else if (s instanceof Step.PersistSysctl p) {
                keys.addAll(p.entries().keySet());
            } else if (s instanceof Step.KillSockets k && matchCommand == null) {
                matchCommand = new Step.WaitSockets(k.state(), k.port(), 0, 1, 1).command(bindings);
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
        if (matchCommand != null && !matchCommand.contains("{")) {
            script.append("echo \"matching $(").append(matchCommand).append(" 2>/dev/null | wc -l)\"\n");
        }
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
        Long matching = null;
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
                matching = number(line.substring(9));
            }
        }
        return new Live(sysctls, missing, orphans, fwAll, fwPort, matching);
    }

    private static Long number(String s) {
        try {
            return Long.valueOf(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
