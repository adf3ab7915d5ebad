package dev.linger.runbook;

/**
 * What must hold on a host before a runbook can help there. Checked against the host's latest
 * collection when a runbook is offered, and again when a job starts.
 */
public enum Check {
    /** The host owns net.ipv4.tcp_max_orphans: its network stack is the machine's initial one, not a container's. */
    ORPHAN_LIMIT_PRESENT("net.ipv4.tcp_max_orphans exists on the host (the machine's own network stack, not a"
            + " container's or a network namespace's)"),
    /** {@code ss -K} can destroy sockets there (CONFIG_INET_DIAG_DESTROY). */
    SOCKET_KILL_SUPPORTED("ss -K can destroy sockets on the host"),
    /** The port's CLOSE-WAIT sockets run a keepalive timer, so keepalive settings reach them at all. */
    KEEPALIVE_IN_USE("the port's CLOSE-WAIT sockets use TCP keepalive");

    private final String meaning;

    Check(String meaning) {
        this.meaning = meaning;
    }

    public String meaning() {
        return meaning;
    }
}
