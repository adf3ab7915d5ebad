package dev.linger.runbook;

import java.util.ArrayList;
import java.util.List;

import dev.linger.collect.CollectorOutput;
import dev.linger.collect.SnapshotView;

/**
 * Whether a runbook can help on a host, judged from the host's latest collection. A check that
 * cannot be judged yet (no collection, no sockets on the port) says so instead of guessing.
 */
public final class Applicability {

    /** {@code holds}: true, false, or null when the latest collection cannot tell. */
    public record Verdict(Check check, Boolean holds, String message) {
        /** ✓, ✗ or ? for a list a person scans. */
        public String mark() {
            return holds == null ? "?" : holds ? "✓" : "✗";
        }
    }

    private Applicability() {
    }

    /**
     * @param canKillSockets the host's probed ss -K support (null: not collected yet)
     * @param latest         the host's latest snapshot, or null
     * @param port           the port the runbook would run on, or null when not chosen yet
     */
    public static List<Verdict> evaluate(RunbookDefinition runbook, Boolean canKillSockets, SnapshotView latest,
            Integer port) {
        List<Verdict> verdicts = new ArrayList<>();
        for (Check check : runbook.checks()) {
            verdicts.add(switch (check) {
                case ORPHAN_LIMIT_PRESENT -> orphanLimit(latest == null ? null : latest.sysctls());
                case SOCKET_KILL_SUPPORTED -> socketKill(canKillSockets);
                case KEEPALIVE_IN_USE -> keepalive(latest, port);
            });
        }
        return verdicts;
    }

    /** True unless a blocking check is known to fail. */
    public static boolean applicable(List<Verdict> verdicts) {
        return verdicts.stream().noneMatch(v -> v.check().blocking() && Boolean.FALSE.equals(v.holds()));
    }

    /**
     * Judged from sysctls as a collection (or a live read) reports them: a key mapped to null is one
     * the host does not have.
     */
    public static Verdict orphanLimit(java.util.Map<String, String> sysctls) {
        String key = "net.ipv4.tcp_max_orphans";
        if (sysctls == null || !sysctls.containsKey(key)) {
            return new Verdict(Check.ORPHAN_LIMIT_PRESENT, null, "Not known yet: no collection has read " + key + ".");
        }
        String value = sysctls.get(key);
        if (value == null) {
            return new Verdict(Check.ORPHAN_LIMIT_PRESENT, false, key + " does not exist on this host: its network"
                    + " stack is a container's or a network namespace's own, and the orphan limit belongs to the"
                    + " machine's initial namespace. Use the targeted ss -K runbook instead.");
        }
        return new Verdict(Check.ORPHAN_LIMIT_PRESENT, true, key + " is " + value + " on this host.");
    }

    private static Verdict socketKill(Boolean canKillSockets) {
        if (canKillSockets == null) {
            return new Verdict(Check.SOCKET_KILL_SUPPORTED, null, "Not known yet: no collection has probed ss -K.");
        }
        return canKillSockets
                ? new Verdict(Check.SOCKET_KILL_SUPPORTED, true, "ss -K works on this host.")
                : new Verdict(Check.SOCKET_KILL_SUPPORTED, false, "ss -K does not work on this host: the kernel lacks"
                        + " CONFIG_INET_DIAG_DESTROY, or ss is missing or too old.");
    }

    private static Verdict keepalive(SnapshotView latest, Integer port) {
        if (port == null) {
            return new Verdict(Check.KEEPALIVE_IN_USE, null, "Not known yet: choose the port first.");
        }
        if (latest == null || !latest.detail()) {
            return new Verdict(Check.KEEPALIVE_IN_USE, null, "Not known yet: no recent collection lists sockets.");
        }
        String suffix = ":" + port;
        List<CollectorOutput.NotableSocket> closeWait = latest.sockets().stream()
                .filter(s -> "CLOSE-WAIT".equals(s.state()) && s.local() != null && s.local().endsWith(suffix))
                .toList();
        if (closeWait.isEmpty()) {
            return new Verdict(Check.KEEPALIVE_IN_USE, null, "Not known: the latest collection has no CLOSE-WAIT"
                    + " socket on port " + port + ".");
        }
        long withKeepalive = closeWait.stream().filter(s -> "keepalive".equals(s.timer())).count();
        if (withKeepalive == 0) {
            return new Verdict(Check.KEEPALIVE_IN_USE, false, "None of the " + closeWait.size() + " CLOSE-WAIT"
                    + " sockets on port " + port + " has a keepalive timer: their program never enabled SO_KEEPALIVE,"
                    + " so keepalive settings cannot close them. The fix is the owning process.");
        }
        return new Verdict(Check.KEEPALIVE_IN_USE, true, withKeepalive + " of the " + closeWait.size()
                + " CLOSE-WAIT sockets on port " + port + " have a keepalive timer"
                + (withKeepalive < closeWait.size() ? "; the others will not be affected." : "."));
    }
}
