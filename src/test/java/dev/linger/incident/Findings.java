package dev.linger.incident;

import java.util.List;
import java.util.Locale;

import dev.linger.collect.NetNamespace;
import dev.linger.i18n.Catalogue;
import dev.linger.i18n.Text;

/** Findings and evidence for tests that need an incident, not a Detector run. */
public final class Findings {

    private Findings() {
    }

    /** {@code count} CLOSE-WAIT sockets on a port, nothing else known (no socket lines, no owner). */
    public static Evidence.CloseWaitLeak closeWait(long count) {
        return new Evidence.CloseWaitLeak(Evidence.INCOMING, count, 0, 0, null, false, 0, List.of(), null, 1, null,
                null, "count", 10, null, List.of(), null);
    }

    public static Finding closeWaitLeak(int port, Severity severity, long count) {
        return new Finding(IncidentKind.CLOSE_WAIT_LEAK, port, severity, closeWait(count));
    }

    public static Finding closeWaitLeak(int port, Severity severity, long count, NetNamespace ns) {
        return new Finding(IncidentKind.CLOSE_WAIT_LEAK, port, severity, closeWait(count), ns);
    }

    /** {@code count} FIN-WAIT-1 sockets on a port for 2 minutes, no owner, no orphans. */
    public static Evidence.FinWait1Stuck finWait1(int port, long count) {
        return new Evidence.FinWait1Stuck(Evidence.INCOMING, count, 0, java.util.Map.of(), 0, List.of(), null, null,
                null, 1, 60, null, null, "ss -K state fin-wait-1 '( sport = :" + port + " )'", List.of(), null);
    }

    public static Finding finWait1Stuck(int port, Severity severity, long count, NetNamespace ns) {
        return new Finding(IncidentKind.FIN_WAIT1_STUCK, port, severity, finWait1(port, count), ns);
    }

    /** A finding's explanation in English. */
    public static String english(Finding f) {
        return Catalogue.render(f.explanation(), Locale.ENGLISH);
    }

    /** A finding's explanation in Chinese. */
    public static String chinese(Finding f) {
        return Catalogue.render(f.explanation(), Locale.CHINESE);
    }

    /** Any text in English. */
    public static String english(Text t) {
        return Catalogue.render(t, Locale.ENGLISH);
    }
}
