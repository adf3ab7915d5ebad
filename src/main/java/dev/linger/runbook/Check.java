package dev.linger.runbook;

/**
 * What must hold on a host before a runbook can help there. Checked against the host's latest
 * collection when a runbook is offered, and again when a job starts.
 */
public enum Check {
    /** The host owns net.ipv4.tcp_max_orphans: its network stack is the machine's initial one, not a container's. */
    ORPHAN_LIMIT_PRESENT(true),
    /** {@code ss -K} can destroy sockets there (CONFIG_INET_DIAG_DESTROY). */
    SOCKET_KILL_SUPPORTED(true),
    /** The port's CLOSE-WAIT sockets run a keepalive timer, so keepalive settings reach them at all. */
    KEEPALIVE_IN_USE(false);

    private final boolean blocking;

    Check(boolean blocking) {
        this.blocking = blocking;
    }

    /**
     * A blocking check that fails means the runbook cannot run there at all; a failing advisory one
     * (keepalive) means it will not help, which the plan says plainly, but a team may still want it.
     */
    public boolean blocking() {
        return blocking;
    }

    /** What the check asks, to say in the reader's language ({@code step.check}). */
    public dev.linger.i18n.Text meaning() {
        return dev.linger.i18n.Text.of("step.check", name());
    }
}
