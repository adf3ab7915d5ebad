package dev.linger.job;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import dev.linger.transport.Shell;

/**
 * Who a pid is: its command (the kernel's comm) and its start time in clock ticks after boot (field 22 of
 * /proc/PID/stat), which together tell a process from a later one that reused its pid. Read when a job is planned,
 * shown in the plan, and compared on the host in the same command that signals.
 */
record ProcessIdentity(String pid, long startTicks, String command, Instant startedAt) {

    static final String LINE = "process ";
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    /**
     * Prints "process PID STARTTICKS BTIME CLK_TCK COMM" when the pid exists. The comm sits in parentheses in
     * /proc/PID/stat and may hold spaces and parentheses itself, so the fields are counted after its last ") ".
     */
    static String readScript(String pid) {
        String p = Shell.quote(pid);
        return "if s=$(cat /proc/" + p + "/stat 2>/dev/null); then r=${s##*\") \"}; set -- $r; echo \"process "
                + pid + " ${20} $(awk '/^btime /{print $2}' /proc/stat) $(getconf CLK_TCK) $(cat /proc/" + p
                + "/comm 2>/dev/null)\"; fi\n";
    }

    static Optional<ProcessIdentity> parse(String line) {
        String[] f = line.substring(LINE.length()).split(" ", 5);
        if (f.length < 5 || !f[0].matches("\\d{1,10}")) {
            return Optional.empty();
        }
        try {
            long ticks = Long.parseLong(f[1]);
            long btime = Long.parseLong(f[2]);
            long hz = Long.parseLong(f[3]);
            Instant started = hz > 0 ? Instant.ofEpochSecond(btime).plusMillis(ticks * 1000 / hz) : null;
            return Optional.of(new ProcessIdentity(f[0], ticks, f[4].strip(), started));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** As the plan stores it. */
    Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pid", pid);
        m.put("command", command);
        m.put("startTicks", startTicks);
        m.put("startedAt", startedAt == null ? null : startedAt.toString());
        return m;
    }

    /** From the plan as stored; empty when a value is missing. */
    static Optional<ProcessIdentity> fromPlan(Object stored) {
        if (!(stored instanceof Map<?, ?> m) || m.get("pid") == null || m.get("command") == null
                || !(m.get("startTicks") instanceof Number ticks)) {
            return Optional.empty();
        }
        Instant started = m.get("startedAt") == null ? null : Instant.parse(String.valueOf(m.get("startedAt")));
        return Optional.of(new ProcessIdentity(String.valueOf(m.get("pid")), ticks.longValue(),
                String.valueOf(m.get("command")), started));
    }

    /** When it started, as a time, or (no clock to tell) a Text naming its start tick. */
    Object startedShown() {
        return startedAt == null ? dev.linger.i18n.Text.of("run.atTick", String.valueOf(startTicks))
                : SHOWN.format(startedAt);
    }

    /** Exit code of {@link #signalScript} when the pid no longer exists. */
    static final int GONE = 3;
    /** Exit code of {@link #signalScript} when the pid now belongs to another command or another start. */
    static final int REUSED = 4;

    /**
     * One command that checks, on the host, that the pid is still this process (same comm, same start tick) and
     * only then signals it; otherwise it signals nothing and prints who the pid is now.
     */
    String signalScript(String signal) {
        String p = Shell.quote(pid);
        return "s=$(cat /proc/" + p + "/stat 2>/dev/null) || { echo gone; exit " + GONE + "; }\n"
                + "r=${s##*\") \"}; set -- $r; c=$(cat /proc/" + p + "/comm 2>/dev/null)\n"
                + "if [ \"${20}\" != " + Shell.quote(String.valueOf(startTicks)) + " ] || [ \"$c\" != "
                + Shell.quote(command) + " ]; then echo \"$c ${20}\"; exit " + REUSED + "; fi\n"
                + "kill -s " + Shell.quote(signal) + " " + p;
    }
}
