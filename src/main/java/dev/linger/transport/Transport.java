package dev.linger.transport;

import java.time.Duration;

/** Runs a shell script on a host and returns its output. Never called inside a database transaction. */
public interface Transport {

    /**
     * Runs {@code script} with {@code sh} on the host (under {@code sudo -n} when the host says so).
     * Blocks at most about {@code timeout} plus the connect and auth timeouts.
     */
    CommandResult run(HostTarget host, String script, Duration timeout) throws TransportFailure;

    /**
     * Runs {@code script} like {@link #run}, but hands its standard output to {@code stdout} as it arrives instead
     * of keeping it, so a reader (the collector output parser) works while the host still prints and nothing
     * holds the whole text. The result's {@code stdout} is empty; exit code, stderr, timeout and the output limit
     * are as for {@link #run} (past the limit nothing more reaches {@code stdout} and OUTPUT_TOO_LARGE is thrown).
     * {@code stdout} is written by one thread at a time, possibly not the caller's; its write must not throw.
     * This default (for transports that only answer whole outputs) writes the whole output once it has it.
     */
    default CommandResult stream(HostTarget host, String script, Duration timeout, java.io.OutputStream stdout)
            throws TransportFailure {
        CommandResult result = run(host, script, timeout);
        byte[] bytes = result.stdout().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try {
            stdout.write(bytes, 0, bytes.length);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new CommandResult(result.exitCode(), "", result.stderr(), result.elapsed());
    }

    /** Forgets any cached connection to this host (after an edit or removal). */
    default void forget(long hostId) {
    }
}
