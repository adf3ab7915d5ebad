package dev.linger.transport;

import jakarta.enterprise.context.ApplicationScoped;

/** Picks the transport a host names. Replaced in benchmarks by one that replays recorded output. */
@ApplicationScoped
public class Transports {

    private final LocalTransport local;
    private final SshTransport ssh;

    Transports(LocalTransport local, SshTransport ssh) {
        this.local = local;
        this.ssh = ssh;
    }

    public Transport forHost(HostTarget host) {
        return host.local() ? local : ssh;
    }

    public void forget(long hostId) {
        ssh.forget(hostId);
    }
}
