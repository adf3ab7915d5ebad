package dev.linger.runbook;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import dev.linger.i18n.Text;

/**
 * What Linger accepts as a sysctl key and value. Keys are dotted names under the kernel's own
 * top-level trees; values are one to four integers within the key's range. Nothing else is
 * ever written with {@code sysctl -w}, so no value can carry shell syntax.
 */
public final class SysctlRules {

    static final Pattern KEY = Pattern.compile("(net|kernel|vm|fs|dev|user|abi|crypto)(\\.[a-z0-9_-]{1,64}){1,6}");
    static final Pattern VALUE = Pattern.compile("-?\\d{1,19}([ \\t]+-?\\d{1,19}){0,3}");

    /**
     * A sysctl Linger knows by name: its range and whether it belongs to the whole machine (the
     * initial network namespace only) or to each network namespace.
     */
    public record Known(String key, long min, long max, boolean global, String meaning) {
    }

    /** The keys behind stuck ports. Ranges are what the kernel (or setsockopt) accepts. */
    public static final List<Known> KNOWN = List.of(
            new Known("net.ipv4.tcp_max_orphans", 0, Integer.MAX_VALUE, true,
                    "how many orphaned TCP sockets (closed by their program, not yet finished) the kernel keeps;"
                            + " beyond it, it kills orphans at their next timer"),
            new Known("net.ipv4.tcp_keepalive_time", 1, 32767, false,
                    "seconds a connection with SO_KEEPALIVE stays idle before the first probe"),
            new Known("net.ipv4.tcp_keepalive_intvl", 1, 32767, false, "seconds between unanswered keepalive probes"),
            new Known("net.ipv4.tcp_keepalive_probes", 1, 127, false,
                    "unanswered keepalive probes before the connection is dropped"),
            new Known("net.ipv4.tcp_fin_timeout", 1, 3600, false,
                    "seconds an orphaned socket stays in FIN-WAIT-2"),
            new Known("net.ipv4.tcp_orphan_retries", 0, 255, false,
                    "retransmissions before an orphaned socket is killed (0 means the kernel's default of 8)"),
            new Known("net.ipv4.tcp_max_tw_buckets", 0, Integer.MAX_VALUE, false, "TIME-WAIT sockets kept at most"),
            new Known("net.ipv4.tcp_tw_reuse", 0, 2, false, "reuse of TIME-WAIT ports for new outgoing connections"),
            new Known("net.ipv4.tcp_retries2", 0, 255, false,
                    "retransmissions of established data before the connection is dropped"),
            new Known("net.ipv4.tcp_syn_retries", 1, 127, false, "SYN retransmissions of an outgoing connect"),
            new Known("net.ipv4.tcp_synack_retries", 0, 255, false, "SYN-ACK retransmissions for an incoming connect"),
            new Known("net.ipv4.ip_local_port_range", 1, 65535, false, "the ephemeral ports outgoing connections use"),
            new Known("net.core.somaxconn", 0, Integer.MAX_VALUE, false, "the longest accept queue a listener gets"),
            new Known("net.ipv4.tcp_mem", 0, Long.MAX_VALUE, true, "pages all TCP sockets may use"),
            new Known("fs.file-max", 0, Long.MAX_VALUE, true, "open files the whole machine allows"));

    private static final Map<String, Known> BY_KEY = KNOWN.stream()
            .collect(java.util.stream.Collectors.toUnmodifiableMap(Known::key, k -> k));

    private SysctlRules() {
    }

    public static Optional<Known> known(String key) {
        return Optional.ofNullable(BY_KEY.get(key));
    }

    /** Null when the key is acceptable, otherwise the problem in words. */
    public static Text keyProblem(String key) {
        if (key == null || key.isBlank()) {
            return Text.of("refuse.sysctlKeyMissing");
        }
        if (key.length() > 128 || !KEY.matcher(key).matches()) {
            return Text.of("refuse.sysctlKeyForm");
        }
        return null;
    }

    /** The key spelled as Linger stores it: '/' (as in /proc/sys paths) becomes '.'. */
    public static String normalizeKey(String key) {
        String k = key == null ? "" : key.strip();
        if (k.startsWith("/proc/sys/")) {
            k = k.substring("/proc/sys/".length());
        }
        return k.replace('/', '.');
    }

    /** Null when {@code value} is acceptable for {@code key}, otherwise the problem in words. */
    public static Text valueProblem(String key, String value) {
        if (value == null || value.isBlank()) {
            return Text.of("refuse.valueMissing");
        }
        if (!VALUE.matcher(value.strip()).matches()) {
            return Text.of("refuse.sysctlValueForm", abbreviate(value));
        }
        Known k = BY_KEY.get(key);
        long min = k == null ? Integer.MIN_VALUE : k.min();
        long max = k == null ? Long.MAX_VALUE : k.max();
        for (String part : value.strip().split("[ \\t]+")) {
            long n;
            try {
                n = Long.parseLong(part);
            } catch (NumberFormatException e) {
                return Text.of("refuse.sysctlTooLarge", abbreviate(part));
            }
            if (n < min || n > max) {
                return Text.of("refuse.sysctlRange", key, min, max, part);
            }
        }
        return null;
    }

    /** The value as it is written: single spaces between the numbers. */
    public static String normalizeValue(String value) {
        return value.strip().replaceAll("[ \\t]+", " ");
    }

    static String abbreviate(String s) {
        String oneLine = s.replaceAll("\\p{Cntrl}", "?");
        return oneLine.length() > 40 ? oneLine.substring(0, 40) + "…" : oneLine;
    }
}
