package dev.linger.runbook;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import dev.linger.collect.SnapshotView;
import dev.linger.collect.SocketGroup;
import dev.linger.i18n.Catalogue;
import dev.linger.i18n.RequestLanguage;
import dev.linger.i18n.Text;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;

/**
 * Whether a runbook can help on a host, judged from the host's latest collection. A check that
 * cannot be judged yet (no collection, no sockets on the port) says so instead of guessing.
 */
public final class Applicability {

    /**
     * {@code holds}: true, false, or null when the latest collection cannot tell; {@code message} says why, as a
     * {@code step.…} fact in the reader's language (the API and stored plans in theirs).
     */
    public record Verdict(Check check, Boolean holds, @JsonSerialize(using = ApiWords.class) Text message) {
        /** ✓, ✗ or ? for a list a person scans. */
        public String mark() {
            return holds == null ? "?" : holds ? "✓" : "✗";
        }
    }

    /**
     * A verdict in an API answer (incident offers, a refused proposal) says its message in words, in the API's
     * language: {@code Accept-Language}, else English.
     */
    public static final class ApiWords extends StdSerializer<Text> {
        public ApiWords() {
            super(Text.class);
        }

        @Override
        public void serialize(Text text, JsonGenerator json, SerializerProvider provider) throws IOException {
            ArcContainer arc = Arc.container();
            Locale locale = arc != null && arc.requestContext().isActive()
                    ? arc.instance(RequestLanguage.class).get().apiLocale() : Locale.ENGLISH;
            json.writeString(Catalogue.render(text, locale));
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
            return new Verdict(Check.ORPHAN_LIMIT_PRESENT, null, Text.of("step.orphanLimitNotKnown", key));
        }
        String value = sysctls.get(key);
        if (value == null) {
            return new Verdict(Check.ORPHAN_LIMIT_PRESENT, false, Text.of("step.orphanLimitMissing", key));
        }
        return new Verdict(Check.ORPHAN_LIMIT_PRESENT, true, Text.of("step.orphanLimitIs", key, value));
    }

    private static Verdict socketKill(Boolean canKillSockets) {
        if (canKillSockets == null) {
            return new Verdict(Check.SOCKET_KILL_SUPPORTED, null, Text.of("step.socketKillNotKnown"));
        }
        return canKillSockets
                ? new Verdict(Check.SOCKET_KILL_SUPPORTED, true, Text.of("step.socketKillWorks"))
                : new Verdict(Check.SOCKET_KILL_SUPPORTED, false, Text.of("step.socketKillFails"));
    }

    private static Verdict keepalive(SnapshotView latest, Integer port) {
        if (port == null) {
            return new Verdict(Check.KEEPALIVE_IN_USE, null, Text.of("step.keepaliveChoosePort"));
        }
        if (latest == null || !latest.detail()) {
            return new Verdict(Check.KEEPALIVE_IN_USE, null, Text.of("step.keepaliveNoSocketList"));
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
            return new Verdict(Check.KEEPALIVE_IN_USE, null, Text.of("step.keepaliveNoCloseWait", port));
        }
        if (withKeepalive == 0) {
            return new Verdict(Check.KEEPALIVE_IN_USE, false, Text.of("step.keepaliveNone", closeWait, port));
        }
        return new Verdict(Check.KEEPALIVE_IN_USE, true, Text.of("step.keepaliveSome", withKeepalive, closeWait, port));
    }
}
