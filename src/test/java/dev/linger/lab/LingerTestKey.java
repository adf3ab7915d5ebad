package dev.linger.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The SSH key Linger uses in tests ({@code %test.linger.ssh.private-key-file}): made once under
 * target/, then authorized on every lab host that Linger must reach.
 */
public final class LingerTestKey {

    public static final Path PRIVATE = Path.of("target", "lab-ssh", "id_ed25519");

    private LingerTestKey() {
    }

    /** A lab host that Linger (configured with this key) can log in to; fails loudly when the lab cannot run. */
    public static LabHost labHost(String label) {
        LabHost.unavailableReason().ifPresent(reason -> {
            throw new IllegalStateException("The lab tests need root, ip, sshd and gcc: " + reason);
        });
        LabHost lab = LabHost.start(label);
        lab.authorize(publicKey());
        return lab;
    }

    public static synchronized Path publicKey() {
        Path pub = Path.of(PRIVATE + ".pub");
        if (!Files.exists(PRIVATE)) {
            try {
                Files.createDirectories(PRIVATE.getParent());
                Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "linger-test",
                        "-f", PRIVATE.toString()).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes());
                if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new IllegalStateException("ssh-keygen failed: " + out);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return pub;
    }
}
