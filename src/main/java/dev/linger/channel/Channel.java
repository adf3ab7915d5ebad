package dev.linger.channel;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A notification channel: where a webhook goes, in which body, and its route (which incidents it hears of).
 * {@code escalateAfterMinutes} set: an escalation channel, told of an incident only when nobody acknowledged it that
 * long after it (re)opened; null: told at once. {@code lastDelivery}: the newest delivery to it, or null.
 */
public record Channel(long id, String name, String url, String format, String minSeverity, List<String> kinds,
        String hostLabel, Integer escalateAfterMinutes, boolean enabled, String createdBy, Instant createdAt,
        Instant updatedAt, Delivery lastDelivery) {

    /** A Slack-compatible body: {@code {"text": …}} only. */
    public static final String SLACK = "SLACK";
    /** A generic JSON body: the text and the incident's fields. */
    public static final String JSON = "JSON";

    /** Whether its route takes an incident of this severity and kind on a host with these labels. */
    public boolean hears(String severity, String kind, Set<String> hostLabels) {
        return (!"CRITICAL".equals(minSeverity) || "CRITICAL".equals(severity))
                && (kinds.isEmpty() || kinds.contains(kind))
                && (hostLabel == null || hostLabels.contains(hostLabel));
    }

    public boolean escalation() {
        return escalateAfterMinutes != null;
    }

    /**
     * The URL as people who may not see it are shown it: scheme and host only. A webhook URL often is its own secret
     * (Slack's carry the token in the path).
     */
    public String shownUrl() {
        return shown(url);
    }

    static String shown(String url) {
        try {
            URI u = URI.create(url);
            return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort()) + "/…";
        } catch (IllegalArgumentException e) {
            return "…";
        }
    }
}
