package dev.linger.alert;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.linger.Row;
import dev.linger.SqlTimes;
import dev.linger.audit.AuditLog;
import dev.linger.incident.Evidence;
import dev.linger.incident.IncidentKind;
import dev.linger.incident.IncidentService;
import dev.linger.incident.Severity;

/**
 * Alerts in (issue 18 item 3): each alert is kept once per (source, fingerprint) and matched to a host by what it
 * says the host is. A firing alert on a known host opens or joins an incident and makes the host due for collection
 * at once (the next scheduler tick, within a second); when every alert of an EXTERNAL_ALERT incident resolved, the
 * incident resolves. An alert naming no known host is kept as unmatched. An alert sent again unchanged only counts.
 */
@ApplicationScoped
public class AlertIntake {

    /** Alerts whose names say which Linger kind they are about (Netdata ships tcp_orphans). */
    private static final Map<String, IncidentKind> KNOWN_NAMES = Map.of("tcp_orphans", IncidentKind.ORPHAN_PRESSURE);

    /** What became of one delivery of alerts. */
    public record Outcome(int alerts, int matched, int unmatched, int duplicates, List<Long> incidents,
            List<String> unmatchedHosts) {
    }

    private record Host(long id, String name) {
    }

    private record Stored(long id, String status, Long incidentId, boolean incidentActive) {
    }

    private final EntityManager em;
    private final IncidentService incidents;
    private final AuditLog audit;
    private final Clock clock;
    private final ObjectMapper json;

    AlertIntake(EntityManager em, IncidentService incidents, AuditLog audit, Clock clock, ObjectMapper json) {
        this.em = em;
        this.incidents = incidents;
        this.audit = audit;
        this.clock = clock;
        this.json = json;
    }

    @Transactional
    public Outcome receive(String actor, String source, List<ReceivedAlert> alerts) {
        Instant now = clock.instant();
        int matched = 0;
        int unmatched = 0;
        int duplicates = 0;
        Set<Long> touched = new LinkedHashSet<>();
        Set<String> unknownHosts = new LinkedHashSet<>();
        for (ReceivedAlert a : alerts) {
            Optional<Host> host = a.hostHint() == null ? Optional.empty() : host(a.hostHint());
            Stored before = stored(a);
            if (before != null && before.status().equals(a.firing() ? "firing" : "resolved")
                    && (!a.firing() || before.incidentId() == null || before.incidentActive())) {
                em.createNativeQuery("UPDATE external_alert SET last_received_at = ?2, times_received = times_received"
                        + " + 1 WHERE id = ?1").setParameter(1, before.id()).setParameter(2, SqlTimes.utc(now))
                        .executeUpdate();
                duplicates++;
                continue;
            }
            if (host.isEmpty()) {
                unmatched++;
                if (a.hostHint() != null) {
                    unknownHosts.add(a.hostHint());
                }
                save(a, before, null, before == null ? null : before.incidentId(), actor, now);
                continue;
            }
            matched++;
            Host h = host.get();
            if (a.firing()) {
                long firing = 1 + Row.first(Row.query(em, "SELECT count(*) AS n FROM external_alert WHERE host_id = ?1"
                        + " AND source = ?2 AND status = 'firing' AND fingerprint <> ?3").setParameter(1, h.id())
                        .setParameter(2, a.source()).setParameter(3, a.fingerprint())).map(r -> r.longValue("n"))
                        .orElse(0L);
                Evidence.ExternalAlert evidence = new Evidence.ExternalAlert(a.source(), a.name(), a.severity(),
                        a.summary().isEmpty() ? null : a.summary(), a.link(), a.labels(), (int) firing);
                long incident = incidents.alertFiring(h.id(), h.name(), named(a), evidence,
                        "critical".equals(a.severity()) ? Severity.CRITICAL : Severity.WARNING);
                save(a, before, h.id(), incident, actor, now);
                touched.add(incident);
                // collect the host now: the alert says something is wrong there, Linger's own view says what
                em.createNativeQuery("UPDATE host SET next_due_at = LEAST(next_due_at, ?2) WHERE id = ?1")
                        .setParameter(1, h.id()).setParameter(2, SqlTimes.utc(now)).executeUpdate();
            } else {
                Long incident = before == null ? null : before.incidentId();
                save(a, before, h.id(), incident, actor, now);
                if (incident != null && Row.first(Row.query(em, "SELECT id FROM external_alert WHERE incident_id = ?1"
                        + " AND status = 'firing'").setParameter(1, incident)).isEmpty()) {
                    incidents.alertsResolved(incident, a.source());
                    touched.add(incident);
                }
            }
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("source", source);
        details.put("alerts", alerts.size());
        details.put("matched", matched);
        details.put("unmatched", unmatched);
        details.put("duplicates", duplicates);
        details.put("incidents", List.copyOf(touched));
        audit.record(actor, "alerts.received", "alert", source.toLowerCase(Locale.ROOT), details);
        return new Outcome(alerts.size(), matched, unmatched, duplicates, List.copyOf(touched),
                List.copyOf(unknownHosts));
    }

    /** The alerts kept, newest first; only those that named no known host with {@code unmatched}. */
    @Transactional
    public List<Map<String, Object>> recent(boolean unmatchedOnly, int limit) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Row r : Row.list(Row.query(em, """
                SELECT a.id, a.source, a.fingerprint, a.status, a.name, a.severity, a.labels::text AS labels,
                       a.annotations::text AS annotations, a.link, a.host_hint, a.host_id, h.name AS host_name,
                       a.incident_id, a.starts_at, a.ends_at, a.first_received_at, a.last_received_at,
                       a.times_received
                  FROM external_alert a LEFT JOIN host h ON h.id = a.host_id
                """ + (unmatchedOnly ? " WHERE a.host_id IS NULL" : "") + " ORDER BY a.last_received_at DESC, a.id DESC")
                .setMaxResults(limit))) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.longValue("id"));
            m.put("source", r.string("source"));
            m.put("fingerprint", r.string("fingerprint"));
            m.put("status", r.string("status"));
            m.put("name", r.string("name"));
            m.put("severity", r.string("severity"));
            m.put("labels", tree(r.string("labels")));
            m.put("annotations", tree(r.string("annotations")));
            m.put("link", r.string("link"));
            m.put("hostHint", r.string("host_hint"));
            m.put("hostId", r.nullableLong("host_id"));
            m.put("host", r.string("host_name"));
            m.put("incidentId", r.nullableLong("incident_id"));
            m.put("startsAt", r.instant("starts_at"));
            m.put("endsAt", r.instant("ends_at"));
            m.put("firstReceivedAt", r.instant("first_received_at"));
            m.put("lastReceivedAt", r.instant("last_received_at"));
            m.put("timesReceived", r.intValue("times_received"));
            out.add(m);
        }
        return out;
    }

    private static IncidentKind named(ReceivedAlert a) {
        String kind = a.labels().getOrDefault(ReceivedAlert.KIND_LABEL, a.annotations().get(ReceivedAlert.KIND_LABEL));
        if (kind != null) {
            try {
                return IncidentKind.valueOf(kind.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return KNOWN_NAMES.get(a.name());
    }

    /** A watched host whose name or address is the hint, or whose name is the hint's first DNS label. */
    private Optional<Host> host(String hint) {
        return Row.first(Row.query(em, """
                SELECT id, name FROM host
                 WHERE archived_at IS NULL
                   AND (lower(name) = lower(?1) OR lower(address) = lower(?1) OR lower(name) = lower(split_part(?1, '.', 1)))
                 ORDER BY (lower(name) = lower(?1)) DESC, id
                """).setParameter(1, hint)).map(r -> new Host(r.longValue("id"), r.string("name")));
    }

    private Stored stored(ReceivedAlert a) {
        return Row.first(Row.query(em, """
                SELECT a.id, a.status, a.incident_id, i.status AS incident_status
                  FROM external_alert a LEFT JOIN incident i ON i.id = a.incident_id
                 WHERE a.source = ?1 AND a.fingerprint = ?2 FOR UPDATE OF a
                """).setParameter(1, a.source()).setParameter(2, a.fingerprint())).map(r -> new Stored(
                r.longValue("id"), r.string("status"), r.nullableLong("incident_id"),
                r.string("incident_status") != null && !"RESOLVED".equals(r.string("incident_status")))).orElse(null);
    }

    private void save(ReceivedAlert a, Stored before, Long hostId, Long incidentId, String actor, Instant now) {
        String labels = write(a.labels());
        String annotations = write(a.annotations());
        if (before == null) {
            em.createNativeQuery("""
                    INSERT INTO external_alert (source, fingerprint, status, name, severity, labels, annotations, link,
                            host_hint, host_id, incident_id, starts_at, ends_at, first_received_at, last_received_at,
                            received_by)
                    VALUES (?1, ?2, ?3, ?4, ?5, CAST(?6 AS jsonb), CAST(?7 AS jsonb), ?8, ?9, ?10, ?11, CAST(?12 AS timestamptz),
                            CAST(?13 AS timestamptz), ?14, ?14, ?15)
                    """).setParameter(1, a.source()).setParameter(2, a.fingerprint())
                    .setParameter(3, a.firing() ? "firing" : "resolved").setParameter(4, a.name())
                    .setParameter(5, a.severity()).setParameter(6, labels).setParameter(7, annotations)
                    .setParameter(8, a.link()).setParameter(9, a.hostHint()).setParameter(10, hostId)
                    .setParameter(11, incidentId).setParameter(12, at(a.startsAt()))
                    .setParameter(13, at(a.endsAt())).setParameter(14, SqlTimes.utc(now))
                    .setParameter(15, actor).executeUpdate();
            return;
        }
        em.createNativeQuery("""
                UPDATE external_alert SET status = ?2, name = ?3, severity = ?4, labels = CAST(?5 AS jsonb),
                       annotations = CAST(?6 AS jsonb), link = ?7, host_hint = ?8, host_id = ?9, incident_id = ?10,
                       starts_at = coalesce(CAST(?11 AS timestamptz), starts_at), ends_at = CAST(?12 AS timestamptz), last_received_at = ?13,
                       times_received = times_received + 1
                 WHERE id = ?1
                """).setParameter(1, before.id()).setParameter(2, a.firing() ? "firing" : "resolved")
                .setParameter(3, a.name()).setParameter(4, a.severity()).setParameter(5, labels)
                .setParameter(6, annotations).setParameter(7, a.link()).setParameter(8, a.hostHint())
                .setParameter(9, hostId).setParameter(10, incidentId).setParameter(11, at(a.startsAt()))
                .setParameter(12, at(a.endsAt() != null ? a.endsAt() : a.firing() ? null : now))
                .setParameter(13, SqlTimes.utc(now)).executeUpdate();
    }

    private static java.time.OffsetDateTime at(Instant t) {
        return t == null ? null : SqlTimes.utc(t);
    }

    private String write(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Object tree(String s) {
        try {
            return json.readTree(s);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
