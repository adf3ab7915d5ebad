package dev.linger.transport;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import dev.linger.LingerConfig;

/** Runs scripts on the machine Linger itself runs on: the same scripts SSH hosts get. */
@ApplicationScoped
public class LocalTransport implements Transport {

    private final long maxOutput;

    LocalTransport(LingerConfig config) {
        this.maxOutput = config.collect().maxOutputBytes();
    }

    @Override
    public CommandResult run(HostTarget host, String script, Duration timeout) throws TransportFailure {
        return exec(host, script, timeout, new CappedOutput(maxOutput));
    }

    @Override
    public CommandResult stream(HostTarget host, String script, Duration timeout, java.io.OutputStream stdout)
            throws TransportFailure {
        return exec(host, script, timeout, new CappedOutput(maxOutput, stdout));
    }

    private CommandResult exec(HostTarget host, String script, Duration timeout, CappedOutput out)
            throws TransportFailure {
        long start = System.nanoTime();
        List<String> command = host.sudo() ? List.of("sudo", "-n", "sh", "-c", script) : List.of("sh", "-c", script);
        Process process;
        try {
            process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            throw new TransportFailure(TransportFailure.Kind.SETUP, "cannot start sh: " + e.getMessage(), null, e);
        }
        CappedOutput err = new CappedOutput(64 * 1024);
        Thread outPump = pump(process.getInputStream(), out);
        Thread errPump = pump(process.getErrorStream(), err);
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new TransportFailure(TransportFailure.Kind.TIMEOUT,
                        "the collector did not finish within " + timeout.toSeconds() + " s");
            }
            outPump.join(timeout.toMillis());
            errPump.join(1000);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new TransportFailure(TransportFailure.Kind.TIMEOUT, "interrupted", null, e);
        }
        if (out.overflowed()) {
            throw new TransportFailure(TransportFailure.Kind.OUTPUT_TOO_LARGE,
                    "the collector printed more than " + maxOutput + " bytes");
        }
        return new CommandResult(process.exitValue(), out.text(), err.text(), Duration.ofNanos(System.nanoTime() - start));
    }

    private static Thread pump(InputStream in, CappedOutput sink) {
        Thread t = new Thread(() -> {
            try (in) {
                in.transferTo(sink);
            } catch (IOException | java.io.UncheckedIOException ignored) {
                // the process ended or was killed, or the reader failed; what arrived is kept
            }
        }, "local-transport-pump");
        t.setDaemon(true);
        t.start();
        return t;
    }
}
