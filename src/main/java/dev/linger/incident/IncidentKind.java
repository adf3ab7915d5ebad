package dev.linger.incident;

/**
 * What an incident is about. The first five come from snapshots ({@link Detector}); the host kinds come from
 * collections that failed, so no snapshot exists to judge; an external alert comes from another monitoring system.
 */
public enum IncidentKind {
    /** FIN-WAIT-1 sockets on one port for longer than the configured age: the peer never acknowledges our FIN. */
    FIN_WAIT1_STUCK,
    /** CLOSE-WAIT sockets piling up on one port: the owning program does not close what its peers closed. */
    CLOSE_WAIT_LEAK,
    /** A defunct leader (main thread gone, other threads alive) holds sockets that {@code ss -p} cannot attribute. */
    DEFUNCT_OWNER,
    /** Orphaned TCP sockets close to {@code net.ipv4.tcp_max_orphans} (host-wide, port 0). */
    ORPHAN_PRESSURE,
    /** A service port with no listener while other sockets still sit on it. */
    PORT_BLOCKED,
    /** Linger could not collect the host. */
    HOST_UNREACHABLE,
    /** The host presented an SSH host key other than the pinned one. */
    HOST_KEY_CHANGED,
    /** Alertmanager or Netdata reported an alert on the host (issue 18 item 3); it ends when they say it resolved. */
    EXTERNAL_ALERT
}
