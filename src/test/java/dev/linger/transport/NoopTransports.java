package dev.linger.transport;

import java.time.Duration;

import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

/**
 * For the job queue test and benchmark only (enabled by their test profile): hosts named noop-*
 * answer every command at once with exit 0 and "1", so the queue, its leases and its records are
 * measured without the cost of a real command. Everything else goes to the real transports.
 */
@Alternative
@Singleton
public class NoopTransports extends Transports {

    private static final Transport NOOP = (host, script, timeout) -> new CommandResult(0, "1\n", "", Duration.ZERO);

    NoopTransports(LocalTransport local, SshTransport ssh) {
        super(local, ssh);
    }

    @Override
    public Transport forHost(HostTarget host) {
        return host.name().startsWith("noop-") ? NOOP : super.forHost(host);
    }
}
