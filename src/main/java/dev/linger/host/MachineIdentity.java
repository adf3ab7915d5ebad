package dev.linger.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Which machine this Linger instance runs on. Several instances share one database; each
 * collects only the LOCAL host that is its own machine.
 */
@ApplicationScoped
public class MachineIdentity {

    private final String machineId;
    private final String hostname;

    MachineIdentity() {
        this.hostname = read(Path.of("/proc/sys/kernel/hostname"), System.getenv().getOrDefault("HOSTNAME", "linger"));
        this.machineId = read(Path.of("/etc/machine-id"), "host:" + hostname);
    }

    public String machineId() {
        return machineId;
    }

    public String hostname() {
        return hostname;
    }

    private static String read(Path path, String fallback) {
        try {
            String s = Files.readString(path).strip();
            return s.isEmpty() ? fallback : s;
        } catch (IOException | RuntimeException e) {
            return fallback;
        }
    }
}
