package dev.linger.policy;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A remediation policy as stored: for incidents of {@code kind} on hosts with {@code hostLabel} (null: every host),
 * run {@code runbook} (LOW risk only) without waiting for people, at most {@code maxPerHostPerHour} times a host and
 * {@code maxPerHour} times in all per hour, inside {@code window} (UTC "HH:MM-HH:MM"; null: any time). The breaker
 * turns it off after {@code breakerAfter} of its runs failed their VERIFY or saw their incident come back within the
 * flap window. {@code dryRun}: it only proposes jobs for people to decide.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Policy(long id, String name, int version, String kind, String hostLabel, String runbook,
        int maxPerHostPerHour, int maxPerHour, int breakerAfter, String window, boolean dryRun, boolean enabled,
        Instant armedAt, Instant trippedAt, Map<String, Object> tripReason, String createdBy, Instant createdAt,
        Instant updatedAt) {

    /** ON, DRY_RUN, TRIPPED (the breaker turned it off) or OFF. */
    public String state() {
        return enabled ? dryRun ? "DRY_RUN" : "ON" : trippedAt != null ? "TRIPPED" : "OFF";
    }

    /** The definition a version keeps. */
    Map<String, Object> definition() {
        Map<String, Object> d = new java.util.LinkedHashMap<>();
        d.put("kind", kind);
        d.put("hostLabel", hostLabel);
        d.put("runbook", runbook);
        d.put("maxPerHostPerHour", maxPerHostPerHour);
        d.put("maxPerHour", maxPerHour);
        d.put("breakerAfter", breakerAfter);
        d.put("window", window);
        d.put("dryRun", dryRun);
        return d;
    }
}
