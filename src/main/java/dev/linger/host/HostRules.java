package dev.linger.host;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import dev.linger.i18n.Text;

/**
 * The rules a host's fields must follow. Strict on purpose: addresses and user names end up on
 * SSH command lines and in shell scripts, so only plain forms are accepted.
 */
public final class HostRules {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    static final Pattern DNS_NAME = Pattern.compile(
            "(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");
    static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_.-]{0,31}");

    /** The checked, normalised form of an input. */
    public record Valid(String name, String address, int sshPort, String sshUser, String transport, boolean sudo,
            int collectIntervalSeconds, java.util.List<Integer> servicePorts, Integer closeWaitThreshold,
            Integer finWait1AgeSeconds, Integer maintenanceStartMinute, Integer maintenanceEndMinute,
            java.util.List<String> labels) {
    }

    /** A label: a plain word or key=value ("prod", "team=payments"); routes and silences name it exactly. */
    public static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/=:-]{0,62}");
    static final int MAX_LABELS = 20;

    static final Pattern WINDOW = Pattern.compile("([01]\\d|2[0-3]):([0-5]\\d)\\s*-\\s*([01]\\d|2[0-3]):([0-5]\\d)");

    /**
     * A maintenance window as minutes after midnight UTC, both ends inclusive (the job queue compares with
     * BETWEEN); it spans midnight when the end is before the start. Start and end always differ.
     */
    public record MinuteWindow(int startMinute, int endMinute) {
    }

    /** "22:00-06:00" as minutes after midnight UTC, or null when it is not a window. */
    public static MinuteWindow window(String text) {
        java.util.regex.Matcher m = WINDOW.matcher(text.strip());
        if (!m.matches()) {
            return null;
        }
        int start = Integer.parseInt(m.group(1)) * 60 + Integer.parseInt(m.group(2));
        int end = Integer.parseInt(m.group(3)) * 60 + Integer.parseInt(m.group(4));
        return start == end ? null : new MinuteWindow(start, end);
    }

    /** The window as people write it, or null. */
    public static String window(Integer start, Integer end) {
        return start == null || end == null ? null
                : String.format("%02d:%02d-%02d:%02d", start / 60, start % 60, end / 60, end % 60);
    }

    private HostRules() {
    }

    public static Valid check(HostInput in, int defaultInterval) {
        Map<String, Text> problems = new LinkedHashMap<>();
        String name = trim(in.name());
        if (name.isEmpty()) {
            problems.put("name", refuse("hostNameMissing"));
        } else if (!NAME.matcher(name).matches()) {
            problems.put("name", refuse("hostNameForm"));
        }
        String transport = trim(in.transport()).toUpperCase(Locale.ROOT);
        if (transport.isEmpty()) {
            transport = Host.SSH;
        }
        if (!transport.equals(Host.SSH) && !transport.equals(Host.LOCAL)) {
            problems.put("transport", refuse("transport"));
        }
        String address = trim(in.address());
        if (transport.equals(Host.LOCAL) && address.isEmpty()) {
            address = "localhost";
        }
        Text addressProblem = addressProblem(address);
        if (addressProblem != null) {
            problems.put("address", addressProblem);
        }
        int port = in.sshPort() == null ? 22 : in.sshPort();
        if (port < 1 || port > 65535) {
            problems.put("sshPort", refuse("sshPort"));
        }
        String user = trim(in.sshUser());
        if (user.isEmpty()) {
            user = "root";
        }
        if (!USER.matcher(user).matches()) {
            problems.put("sshUser", refuse("sshUser"));
        }
        int interval = in.collectIntervalSeconds() == null ? defaultInterval : in.collectIntervalSeconds();
        if (interval < 5 || interval > 86400) {
            problems.put("collectIntervalSeconds", refuse("interval"));
        }
        java.util.List<Integer> servicePorts = in.servicePorts() == null ? java.util.List.of()
                : in.servicePorts().stream().filter(java.util.Objects::nonNull).distinct().sorted().toList();
        if (servicePorts.size() > 50 || servicePorts.stream().anyMatch(p -> p < 1 || p > 65535)
                || in.servicePorts() != null && in.servicePorts().contains(null)) {
            problems.put("servicePorts", refuse("servicePorts"));
        }
        if (in.closeWaitThreshold() != null && (in.closeWaitThreshold() < 1 || in.closeWaitThreshold() > 1_000_000)) {
            problems.put("closeWaitThreshold", refuse("closeWait"));
        }
        if (in.finWait1AgeSeconds() != null && (in.finWait1AgeSeconds() < 1 || in.finWait1AgeSeconds() > 86400)) {
            problems.put("finWait1AgeSeconds", refuse("finWait1"));
        }
        MinuteWindow window = null;
        if (in.maintenanceWindow() != null && !in.maintenanceWindow().isBlank()) {
            window = window(in.maintenanceWindow());
            if (window == null) {
                problems.put("maintenanceWindow", refuse("window"));
            }
        }
        java.util.List<String> labels = null;
        if (in.labels() != null) {
            labels = in.labels().stream().filter(java.util.Objects::nonNull).map(String::strip)
                    .filter(l -> !l.isEmpty()).distinct().sorted().toList();
            if (labels.size() > MAX_LABELS || labels.stream().anyMatch(l -> !LABEL.matcher(l).matches())) {
                problems.put("labels", Text.of("refuse.hostLabels", (long) MAX_LABELS));
            }
        }
        if (!problems.isEmpty()) {
            throw dev.linger.InvalidInput.of(problems);
        }
        return new Valid(name, address, port, user, transport, Boolean.TRUE.equals(in.sudo()), interval, servicePorts,
                in.closeWaitThreshold(), in.finWait1AgeSeconds(), window == null ? null : window.startMinute(),
                window == null ? null : window.endMinute(), labels);
    }

    static Text addressProblem(String address) {
        if (address.isEmpty()) {
            return refuse("addressMissing");
        }
        if (address.startsWith("-")) {
            return refuse("addressDash");
        }
        if (IPV4.matcher(address).matches() || DNS_NAME.matcher(address).matches() && !address.matches("[0-9.]+")) {
            return null;
        }
        if (address.contains(":") && IPV6.matcher(address).matches()) {
            try {
                // a literal: no DNS lookup happens for text that parses as an IPv6 address
                if (java.net.InetAddress.getByName(address) instanceof java.net.Inet6Address) {
                    return null;
                }
            } catch (java.net.UnknownHostException e) {
                return refuse("addressIpv6");
            }
        }
        return refuse("addressForm");
    }

    private static Text refuse(String name) {
        return Text.of("refuse." + name);
    }

    private static String trim(String s) {
        return s == null ? "" : s.strip();
    }
}
