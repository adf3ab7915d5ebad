package dev.linger.transport;

import java.time.Duration;

/** Runs a shell script on a host and returns its output. Never called inside a database transaction. */
public interface Transport {

    /**
     * Runs {@code script} with {@code sh} on the host (under {@code sudo -n} when the host says so).
     * Blocks at most about {@code timeout} plus the connect and auth timeouts.
     */
    CommandResult run(HostTarget host, String script, Duration timeout) throws TransportFailure;

    /** Forgets any cached connection to this host (after an edit or removal). */
    default void forget(long hostId) {
    }
}
