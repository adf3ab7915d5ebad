package dev.linger.runbook;

import java.util.ArrayList;
import java.util.List;

import dev.linger.collect.SnapshotView;
import dev.linger.collect.SocketGroup;

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

    /**
     * The sentences of the verdicts, one implementation per language: {@link #ENGLISH} is what the API, the stored
     * plans and the English pages say; {@link ApplicabilityZh} says the same facts in Chinese for pages.
     */
    public interface Wording {
        String meaning(Check check);

        String orphanLimitNotKnown(String key);

        String orphanLimitMissing(String key);

        String orphanLimitIs(String key, String value);

        String socketKillNotKnown();

        String socketKillWorks();

        String socketKillFails();

        String keepaliveChoosePort();

        String keepaliveNoSocketList();

        String keepaliveNoCloseWait(int port);

        String keepaliveNone(long closeWait, int port);

        String keepaliveSome(long withKeepalive, long closeWait, int port);
    }

    public static final Wording ENGLISH = new Wording() {
        public String meaning(Check check) {
            return check.meaning();
        }

        public String orphanLimitNotKnown(String key) {
            return "Not known yet: no collection has read " + key + ".";
        }

        public String orphanLimitMissing(String key) {
            return key + " does not exist on this host: its network"
                    + " stack is a container's or a network namespace's own, and the orphan limit belongs to the"
                    + " machine's initial namespace. Use the targeted ss -K runbook instead.";
        }

        public String orphanLimitIs(String key, String value) {
            return key + " is " + value + " on this host.";
        }

        public String socketKillNotKnown() {
            return "Not known yet: no collection has probed ss -K.";
        }

        public String socketKillWorks() {
            return "ss -K works on this host.";
        }

        public String socketKillFails() {
            return "ss -K does not work on this host: the kernel lacks"
                    + " CONFIG_INET_DIAG_DESTROY, or ss is missing or too old.";
        }

        public String keepaliveChoosePort() {
            return "Not known yet: choose the port first.";
        }

        public String keepaliveNoSocketList() {
            return "Not known yet: no recent collection lists sockets.";
        }

        public String keepaliveNoCloseWait(int port) {
            return "Not known: the latest collection has no CLOSE-WAIT socket on port " + port + ".";
        }

        public String keepaliveNone(long closeWait, int port) {
            return "None of the " + closeWait + " CLOSE-WAIT"
                    + " sockets on port " + port + " has a keepalive timer: their program never enabled SO_KEEPALIVE,"
                    + " so keepalive settings cannot close them. The fix is the owning process.";
        }

        public String keepaliveSome(long withKeepalive, long closeWait, int port) {
            return withKeepalive + " of the " + closeWait
                    + " CLOSE-WAIT sockets on port " + port + " have a keepalive timer"
                    + (withKeepalive < closeWait ? "; the others will not be affected." : ".");
        }
    };

    private Applicability() {
    }

    /**
     * @param canKillSockets the host's probed ss -K support (null: not collected yet)
     * @param latest         the host's latest snapshot, or null
     * @param port           the port the runbook would run on, or null when not chosen yet
     */
    public static List<Verdict> evaluate(RunbookDefinition runbook, Boolean canKillSockets, SnapshotView latest,
            Integer port) {
        return evaluate(runbook, canKillSockets, latest, port, ENGLISH);
    }

    /** The same verdicts, worded for a page in the reader's language. */
    public static List<Verdict> evaluate(RunbookDefinition runbook, Boolean canKillSockets, SnapshotView latest,
            Integer port, Wording words) {
        List<Verdict> verdicts = new ArrayList<>();
        for (Check check : runbook.checks()) {
            verdicts.add(switch (check) {
                case ORPHAN_LIMIT_PRESENT -> orphanLimit(latest == null ? null : latest.sysctls(), words);
                case SOCKET_KILL_SUPPORTED -> socketKill(canKillSockets, words);
                case KEEPALIVE_IN_USE -> keepalive(latest, port, words);
            });
        }
        return verdicts;
    }

    /** The wording for a page in {@code language}. */
    public static Wording wording(java.util.Locale locale) {
        return "zh".equals(locale.getLanguage()) ? ApplicabilityZh.WORDS : ENGLISH;
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
        return orphanLimit(sysctls, ENGLISH);
    }

    static Verdict orphanLimit(java.util.Map<String, String> sysctls, Wording words) {
        String key = "net.ipv4.tcp_max_orphans";
        if (sysctls == null || !sysctls.containsKey(key)) {
            return new Verdict(Check.ORPHAN_LIMIT_PRESENT, null, words.orphanLimitNotKnown(key));
        }
        String value = sysctls.get(key);
        if (value == null) {
            return new Verdict(Check.ORPHAN_LIMIT_PRESENT, false, words.orphanLimitMissing(key));
        }
        return new Verdict(Check.ORPHAN_LIMIT_PRESENT, true, words.orphanLimitIs(key, value));
    }

    private static Verdict socketKill(Boolean canKillSockets, Wording words) {
        if (canKillSockets == null) {
            return new Verdict(Check.SOCKET_KILL_SUPPORTED, null, words.socketKillNotKnown());
        }
        return canKillSockets
                ? new Verdict(Check.SOCKET_KILL_SUPPORTED, true, words.socketKillWorks())
                : new Verdict(Check.SOCKET_KILL_SUPPORTED, false, words.socketKillFails());
    }

    private static Verdict keepalive(SnapshotView latest, Integer port, Wording words) {
        if (port == null) {
            return new Verdict(Check.KEEPALIVE_IN_USE, null, words.keepaliveChoosePort());
        }
        if (latest == null || !latest.detail()) {
            return new Verdict(Check.KEEPALIVE_IN_USE, null, words.keepaliveNoSocketList());
        }
        // the groups count every CLOSE-WAIT socket and its timer (the socket lines are only samples); both
        // directions, as the CLOSE_WAIT_LEAK incident on the port counts them: outgoing connections from ephemeral
        // ports belong to the port they call, and keepalive reaches them the same way
        long closeWait = 0;
        long withKeepalive = 0;
        for (SocketGroup g : latest.groups()) {
            if ("CLOSE-WAIT".equals(g.state()) && g.port() == port && g.count() > 0) {
                closeWait += g.count();
                withKeepalive += g.timer("keepalive");
            }
        }
        if (closeWait <= 0) {
            return new Verdict(Check.KEEPALIVE_IN_USE, null, words.keepaliveNoCloseWait(port));
        }
        if (withKeepalive == 0) {
            return new Verdict(Check.KEEPALIVE_IN_USE, false, words.keepaliveNone(closeWait, port));
        }
        return new Verdict(Check.KEEPALIVE_IN_USE, true, words.keepaliveSome(withKeepalive, closeWait, port));
    }
}
