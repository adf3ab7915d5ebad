package dev.linger.host;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A host as the API and the pages show it. */
public record HostView(long id, String name, String address, int sshPort, String sshUser, String transport, boolean sudo,
        int collectIntervalSeconds, String status, String lastError, Instant lastCollectedAt, Instant nextDueAt,
        HostKey hostKey, java.util.List<Integer> servicePorts, Integer closeWaitThreshold, Integer finWait1AgeSeconds,
        Boolean canKillSockets, String maintenanceWindow, Instant createdAt, int consecutiveFailures,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant archivedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) String archivedBy, java.util.List<String> labels) {

    /**
     * The host-key verdict. {@code fingerprint} is the key that matters now: the presented one while
     * PENDING or CHANGED (what an admin must check), the trusted one when TRUSTED.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record HostKey(String status, String fingerprint, String trustedFingerprint, Instant seenAt) {
    }

    static HostView of(Host h) {
        HostKey key = null;
        if (Host.SSH.equals(h.transport)) {
            String status = h.hostKeyStatus == null ? "PENDING" : h.hostKeyStatus;
            String shown = "TRUSTED".equals(status) ? h.hostKeyTrusted : h.hostKeyPresented;
            key = new HostKey(status, shown, "CHANGED".equals(status) ? h.hostKeyTrusted : null, h.hostKeySeenAt);
        }
        return new HostView(h.id, h.name, h.address, h.sshPort, h.sshUser, h.transport, h.sudo,
                h.collectIntervalSeconds, h.status, h.lastError, h.lastCollectedAt, h.nextDueAt, key,
                h.servicePorts == null ? java.util.List.of() : java.util.List.of(h.servicePorts), h.closeWaitThreshold,
                h.finWait1AgeSeconds, h.canKillSockets, HostRules.window(h.maintenanceStartMinute, h.maintenanceEndMinute),
                h.createdAt, h.consecutiveFailures, h.archivedAt, h.archivedBy,
                h.labels == null ? java.util.List.of() : java.util.List.of(h.labels));
    }

    /** Removed from watch: kept only for the history of its incidents and jobs. */
    public boolean archived() {
        return archivedAt != null;
    }

    /** No collection of it has ever succeeded (it may still be inside its grace period). */
    public boolean neverReached() {
        return lastCollectedAt == null && !archived();
    }

    public boolean keyChanged() {
        return hostKey != null && "CHANGED".equals(hostKey.status());
    }

    public boolean keyPending() {
        return hostKey != null && "PENDING".equals(hostKey.status()) && hostKey.fingerprint() != null;
    }
}
