package dev.linger.collect;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import dev.linger.LingerConfig;
import dev.linger.transport.Shell;

/** The collector script (resources/collect/collect.sh) with the watched sysctls filled in. */
@ApplicationScoped
public class CollectorScript {

    /** The sysctls behind stuck ports: orphan limits, keepalive, FIN timeouts, port range, backlog. */
    public static final List<String> WATCHED = List.of("net.ipv4.tcp_max_orphans", "net.ipv4.tcp_keepalive_time",
            "net.ipv4.tcp_keepalive_probes", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_fin_timeout",
            "net.ipv4.tcp_orphan_retries", "net.ipv4.tcp_tw_reuse", "net.ipv4.ip_local_port_range",
            "net.core.somaxconn");

    /** What a sysctl key looks like; nothing else is ever put into the script. */
    public static final Pattern SYSCTL_KEY = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z0-9_-]+){1,6}");

    private final String text;

    CollectorScript(LingerConfig config) {
        Set<String> keys = new LinkedHashSet<>(WATCHED);
        for (String extra : config.collect().extraSysctls().orElse(List.of())) {
            if (!SYSCTL_KEY.matcher(extra.strip()).matches()) {
                throw new IllegalArgumentException("linger.collect.extra-sysctls: \"" + extra
                        + "\" is not a sysctl key like net.ipv4.tcp_fin_timeout");
            }
            keys.add(extra.strip());
        }
        this.text = "LINGER_SYSCTLS=" + Shell.quote(String.join(" ", keys)) + "\nexport LINGER_SYSCTLS\n" + body();
    }

    public String text() {
        return text;
    }

    /** The script, told which processes held notable sockets last time so their fd tables are read first. */
    public String text(java.util.List<Integer> ownerPids) {
        if (ownerPids.isEmpty()) {
            return text;
        }
        String pids = ownerPids.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(" "));
        return "LINGER_OWNER_PIDS=" + Shell.quote(pids) + "\nexport LINGER_OWNER_PIDS\n" + text;
    }

    static String body() {
        try (InputStream in = CollectorScript.class.getResourceAsStream("/collect/collect.sh")) {
            if (in == null) {
                throw new IllegalStateException("collect/collect.sh is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
