package dev.linger.job;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;

/**
 * A host's maintenance window: minutes after midnight UTC, both ends included, possibly across midnight (the same
 * rule as the claim query in {@link JobStates}). HIGH and CRITICAL jobs start only inside it, unless an approver
 * starts one now.
 */
record MaintenanceWindow(int startMinute, int endMinute) {

    /** The host's window, or null when it has none (jobs start at any time). */
    static MaintenanceWindow of(Integer startMinute, Integer endMinute) {
        return startMinute == null || endMinute == null ? null : new MaintenanceWindow(startMinute, endMinute);
    }

    boolean contains(Instant at) {
        ZonedDateTime utc = at.atZone(ZoneOffset.UTC);
        int minute = utc.getHour() * 60 + utc.getMinute();
        return startMinute <= endMinute ? minute >= startMinute && minute <= endMinute
                : minute >= startMinute || minute <= endMinute;
    }

    /** When the window next opens after {@code now}, or {@code now} itself when it is open. */
    Instant nextStart(Instant now) {
        if (contains(now)) {
            return now;
        }
        ZonedDateTime today = now.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).plusMinutes(startMinute);
        return (today.toInstant().isAfter(now) ? today : today.plusDays(1)).toInstant();
    }

    /** Whether a job of this risk, in this status, waits for the window at {@code now}: when it will start, or null. */
    static Instant startsAt(String status, String risk, MaintenanceWindow window, Instant startNowAt, Instant now) {
        if (!"QUEUED".equals(status) || "LOW".equals(risk) || window == null || startNowAt != null
                || window.contains(now)) {
            return null;
        }
        return window.nextStart(now);
    }
}
