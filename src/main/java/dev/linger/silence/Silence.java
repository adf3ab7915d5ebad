package dev.linger.silence;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Set;

import dev.linger.incident.IncidentNamespace;

/**
 * One silence as stored, and the pure rules of when it holds and what it matches. {@code weekly}: a mute window
 * (null: the whole time from start to end). {@code jobId}: the job that made it while it ran; {@code reason}: why,
 * as a fact, when Linger made it (a person's silence has only their {@code comment}).
 */
public record Silence(long id, Long hostId, String hostName, String hostLabel, String namespace, String kind, Integer port,
        Instant startsAt, Instant endsAt, Weekly weekly, String comment, String createdBy, Instant createdAt,
        Instant endedAt, String endedBy, Long jobId, dev.linger.i18n.Text reason) {

    /** Days of the week and a local time window in a zone; a window whose end is before its start runs over midnight. */
    public record Weekly(Set<DayOfWeek> days, LocalTime from, LocalTime to, ZoneId zone) {

        /** For pages: the days as the API writes them (MON, TUE, …), the times as HH:MM, the zone's id. */
        public String daysText() {
            return String.join(", ", days.stream().sorted().map(d -> d.name().substring(0, 3)).toList());
        }

        public String fromText() {
            return from.toString();
        }

        public String toText() {
            return to.toString();
        }

        public String zoneText() {
            return zone.getId();
        }

        boolean holdsAt(Instant at) {
            ZonedDateTime local = at.atZone(zone);
            LocalTime t = local.toLocalTime();
            if (!from.isAfter(to)) {
                return days.contains(local.getDayOfWeek()) && !t.isBefore(from) && t.isBefore(to);
            }
            // over midnight: the evening part belongs to its own day, the morning part to the day before
            return days.contains(local.getDayOfWeek()) && !t.isBefore(from)
                    || days.contains(local.getDayOfWeek().minus(1)) && t.isBefore(to);
        }
    }

    /** Whether it silences at {@code at}: started, not yet over, not ended by hand, inside its window if it has one. */
    public boolean activeAt(Instant at) {
        return endedAt == null && !at.isBefore(startsAt) && at.isBefore(endsAt)
                && (weekly == null || weekly.holdsAt(at));
    }

    /** Over for good: ended by hand, or past its end. */
    public boolean over(Instant at) {
        return endedAt != null || !at.isBefore(endsAt);
    }

    /** Every matcher it has agrees with the incident (a silence has at least one); {@code hostLabels}: its host's. */
    public boolean matches(long incidentHostId, Set<String> hostLabels, IncidentNamespace ns, String incidentKind,
            int incidentPort) {
        if (hostId != null && hostId != incidentHostId) {
            return false;
        }
        if (hostLabel != null && !hostLabels.contains(hostLabel)) {
            return false;
        }
        if (kind != null && !kind.equals(incidentKind)) {
            return false;
        }
        if (port != null && port != incidentPort) {
            return false;
        }
        if (namespace != null) {
            IncidentNamespace where = ns == null ? IncidentNamespace.HOST : ns;
            return namespace.equals(where.name()) || namespace.equals(where.containerId())
                    || namespace.equals(where.pod());
        }
        return true;
    }
}
