package dev.linger.job;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.linger.transport.CommandResult;
import dev.linger.transport.HostTarget;
import dev.linger.transport.Transport;
import dev.linger.transport.TransportFailure;

/**
 * A transport for tests: runs each script with {@code sh} inside a network namespace ({@code ip netns exec NS sh -c
 * SCRIPT}), so the script sees the namespace's sockets and per-namespace sysctls as a remote host's would be.
 */
final class NamespaceTransport implements Transport {

    /** How long to wait for the output once the script has ended (a detached child could hold a pipe open). */
    private static final Duration DRAIN_GRACE = Duration.ofSeconds(5);

    private final String namespace;

    NamespaceTransport(String namespace) {
        this.namespace = namespace;
    }

    /** Runs scripts with sh on this machine, in the test's own network namespace (the LOCAL host's). */
    static NamespaceTransport machine() {
        return new NamespaceTransport(null);
    }

    @Override
    public CommandResult run(HostTarget host, String script, Duration timeout) throws TransportFailure {
        long start = System.nanoTime();
        Process process;
        try {
            process = new ProcessBuilder(namespace == null ? List.of("sh", "-c", script)
                    : List.of("ip", "netns", "exec", namespace, "sh", "-c", script))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        } catch (IOException e) {
            throw new TransportFailure(TransportFailure.Kind.SETUP, "cannot start ip netns exec: " + e.getMessage(),
                    null, e);
        }
        CompletableFuture<String> out = drain(process.getInputStream());
        CompletableFuture<String> err = drain(process.getErrorStream());
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new TransportFailure(TransportFailure.Kind.TIMEOUT,
                        "the command did not finish within " + timeout.toSeconds() + " s");
            }
            return new CommandResult(process.exitValue(), out.get(DRAIN_GRACE.toMillis(), TimeUnit.MILLISECONDS),
                    err.get(DRAIN_GRACE.toMillis(), TimeUnit.MILLISECONDS), Duration.ofNanos(System.nanoTime() - start));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new TransportFailure(TransportFailure.Kind.TIMEOUT, "interrupted", null, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new TransportFailure(TransportFailure.Kind.TIMEOUT, "the output did not end: " + e, null, e);
        }
    }

    /** Reads a stream to its end on a thread of its own, so neither pipe can fill up and block the script. */
    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, task -> {
            Thread t = new Thread(task, "namespace-transport-drain");
            t.setDaemon(true);
            t.start();
        });
    }
}
