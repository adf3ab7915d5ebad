package dev.linger.channel;

import java.time.Instant;

/**
 * One notification as sent or still trying: to a channel (or a URL of {@code LINGER_INCIDENTS_WEBHOOKS}, then
 * {@code channelId} is null and {@code channel} is the URL's host), about an incident's {@code event} (opened,
 * reopened, escalated, unacknowledged, resolved) or a test. {@code status}: SENT, RETRYING (failed, tries again
 * at {@code nextAttemptAt}), WAITING (not tried yet) or FAILED (gave up).
 */
public record Delivery(long id, Long incidentId, Long channelId, String channel, String event, String status,
        int attempts, Instant createdAt, Instant sentAt, Instant nextAttemptAt, String lastError) {

    public boolean sent() {
        return "SENT".equals(status);
    }

    public boolean failed() {
        return "FAILED".equals(status) || "RETRYING".equals(status);
    }
}
