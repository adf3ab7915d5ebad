package dev.linger.channel;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.linger.InvalidInput;
import dev.linger.NotFound;
import dev.linger.Row;
import dev.linger.SqlTimes;
import dev.linger.TextRules;
import dev.linger.audit.AuditLog;
import dev.linger.host.HostRules;
import dev.linger.i18n.Text;
import dev.linger.incident.IncidentKind;

/**
 * Notification channels (issue 18 item 2): made, changed and removed here, each audited, and the deliveries to
 * them read back. Which channel hears of which incident is decided by {@link Channel#hears} where notifications are
 * written ({@code dev.linger.incident.Notifications}).
 */
@ApplicationScoped
public class Channels {

    static final int MAX_NAME = 100;
    static final int MAX_URL = 2000;
    private static final String COLUMNS = """
            c.id, c.name, c.url, c.format, c.min_severity, array_to_string(c.kinds, ',') AS kinds, c.host_label,
            c.escalate_after_minutes, c.enabled, c.created_by, c.created_at, c.updated_at""";
    static final String DELIVERY_COLUMNS = """
            n.id, n.incident_id, n.channel_id, coalesce(c.name, n.url) AS channel, n.event, n.attempts, n.created_at,
            n.sent_at, n.next_attempt_at, n.last_error,
            CASE WHEN n.sent_at IS NOT NULL THEN 'SENT' WHEN n.failed_at IS NOT NULL THEN 'FAILED'
                 WHEN n.attempts > 0 THEN 'RETRYING' ELSE 'WAITING' END AS status""";

    /** What a person sends to make or change a channel; null fields take their defaults. */
    public record Request(String name, String url, String format, String minSeverity, List<String> kinds,
            String hostLabel, Integer escalateAfterMinutes, Boolean enabled) {
    }

    private final EntityManager em;
    private final AuditLog audit;
    private final Clock clock;

    Channels(EntityManager em, AuditLog audit, Clock clock) {
        this.em = em;
        this.audit = audit;
        this.clock = clock;
    }

    /** The channels that hear of incidents now (enabled, not removed), without their deliveries. */
    @Transactional
    public List<Channel> routes() {
        return Row.list(Row.query(em, "SELECT " + COLUMNS + " FROM notification_channel c WHERE c.removed_at IS NULL"
                + " AND c.enabled ORDER BY c.id")).stream().map(r -> of(r, null)).toList();
    }

    /** The channels not removed, by name, each with its newest delivery. */
    @Transactional
    public List<Channel> list() {
        return Row.list(Row.query(em, "SELECT " + COLUMNS + " FROM notification_channel c WHERE c.removed_at IS NULL"
                + " ORDER BY lower(c.name)")).stream().map(this::of).toList();
    }

    @Transactional
    public Channel get(long id) {
        return Row.first(Row.query(em, "SELECT " + COLUMNS + " FROM notification_channel c WHERE c.id = ?1"
                + " AND c.removed_at IS NULL").setParameter(1, id)).map(this::of)
                .orElseThrow(() -> new NotFound(Text.of("refuse.noChannel", id)));
    }

    @Transactional
    public Channel create(String actor, Request r) {
        Valid v = check(r, null);
        Instant now = clock.instant();
        long id = ((Number) em.createNativeQuery("""
                INSERT INTO notification_channel (name, url, format, min_severity, kinds, host_label,
                        escalate_after_minutes, enabled, created_by, created_at, updated_at)
                VALUES (?1, ?2, ?3, ?4, string_to_array(?5, ','), ?6, ?7, ?8, ?9, ?10, ?10) RETURNING id
                """).setParameter(1, v.name).setParameter(2, v.url).setParameter(3, v.format)
                .setParameter(4, v.minSeverity).setParameter(5, String.join(",", v.kinds)).setParameter(6, v.hostLabel)
                .setParameter(7, v.escalateAfterMinutes).setParameter(8, v.enabled).setParameter(9, actor)
                .setParameter(10, SqlTimes.utc(now)).getSingleResult()).longValue();
        audit.record(actor, "channel.created", "channel", id, v.described());
        return get(id);
    }

    @Transactional
    public Channel update(String actor, long id, Request r) {
        get(id);
        Valid v = check(r, id);
        em.createNativeQuery("""
                UPDATE notification_channel SET name = ?2, url = ?3, format = ?4, min_severity = ?5,
                       kinds = string_to_array(?6, ','), host_label = ?7, escalate_after_minutes = ?8, enabled = ?9,
                       updated_at = ?10
                 WHERE id = ?1
                """).setParameter(1, id).setParameter(2, v.name).setParameter(3, v.url).setParameter(4, v.format)
                .setParameter(5, v.minSeverity).setParameter(6, String.join(",", v.kinds)).setParameter(7, v.hostLabel)
                .setParameter(8, v.escalateAfterMinutes).setParameter(9, v.enabled)
                .setParameter(10, SqlTimes.utc(clock.instant())).executeUpdate();
        audit.record(actor, "channel.changed", "channel", id, v.described());
        return get(id);
    }

    /** Removes a channel: it hears of nothing more; its past deliveries keep its name. */
    @Transactional
    public void remove(String actor, long id) {
        Channel c = get(id);
        em.createNativeQuery("UPDATE notification_channel SET removed_at = ?2, enabled = false WHERE id = ?1")
                .setParameter(1, id).setParameter(2, SqlTimes.utc(clock.instant())).executeUpdate();
        // what was still waiting to go there stays unsent: a removed channel should not keep ringing
        em.createNativeQuery("UPDATE notification SET failed_at = ?2, last_error = 'channel removed'"
                + " WHERE channel_id = ?1 AND sent_at IS NULL AND failed_at IS NULL")
                .setParameter(1, id).setParameter(2, SqlTimes.utc(clock.instant())).executeUpdate();
        audit.record(actor, "channel.removed", "channel", id, Map.of("name", c.name()));
    }

    /** Queues a test message to the channel (sent at once by the caller) and returns its delivery's id. */
    @Transactional
    public long queueTest(String actor, long id, String payload) {
        Channel c = get(id);
        Instant now = clock.instant();
        long delivery = ((Number) em.createNativeQuery("""
                INSERT INTO notification (incident_id, channel_id, event, url, payload, created_at, next_attempt_at)
                VALUES (NULL, ?1, 'test', ?2, CAST(?3 AS jsonb), ?4, ?4) RETURNING id
                """).setParameter(1, id).setParameter(2, c.url()).setParameter(3, payload)
                .setParameter(4, SqlTimes.utc(now)).getSingleResult()).longValue();
        audit.record(actor, "channel.tested", "channel", id, Map.of("name", c.name(), "delivery", delivery));
        return delivery;
    }

    @Transactional
    public Delivery delivery(long id) {
        return Row.first(Row.query(em, "SELECT " + DELIVERY_COLUMNS + " FROM notification n"
                + " LEFT JOIN notification_channel c ON c.id = n.channel_id WHERE n.id = ?1").setParameter(1, id))
                .map(Channels::delivery).orElseThrow(() -> new NotFound(Text.of("refuse.noDelivery", id)));
    }

    /** What was sent about an incident, oldest first. */
    @Transactional
    public List<Delivery> forIncident(long incidentId) {
        return Row.list(Row.query(em, "SELECT " + DELIVERY_COLUMNS + " FROM notification n"
                + " LEFT JOIN notification_channel c ON c.id = n.channel_id WHERE n.incident_id = ?1"
                + " ORDER BY n.created_at, n.id LIMIT 200").setParameter(1, incidentId)).stream()
                .map(Channels::delivery).toList();
    }

    static Delivery delivery(Row r) {
        Long channelId = r.nullableLong("channel_id");
        String channel = r.string("channel");
        return new Delivery(r.longValue("id"), r.nullableLong("incident_id"), channelId,
                channelId == null ? Channel.shown(channel) : channel, r.string("event"), r.string("status"),
                r.intValue("attempts"), r.instant("created_at"), r.instant("sent_at"), r.instant("next_attempt_at"),
                r.string("last_error"));
    }

    private Channel of(Row r) {
        return of(r, Row.first(Row.query(em, "SELECT " + DELIVERY_COLUMNS + " FROM notification n"
                + " JOIN notification_channel c ON c.id = n.channel_id WHERE n.channel_id = ?1"
                + " ORDER BY n.created_at DESC, n.id DESC").setParameter(1, r.longValue("id")))
                .map(Channels::delivery).orElse(null));
    }

    private static Channel of(Row r, Delivery last) {
        long id = r.longValue("id");
        String kinds = r.string("kinds");
        return new Channel(id, r.string("name"), r.string("url"), r.string("format"), r.string("min_severity"),
                kinds == null || kinds.isEmpty() ? List.of() : List.of(kinds.split(",")), r.string("host_label"),
                r.nullableInt("escalate_after_minutes"), r.bool("enabled"), r.string("created_by"),
                r.instant("created_at"), r.instant("updated_at"), last);
    }

    /** A request after its checks: what is stored and audited. */
    private record Valid(String name, String url, String format, String minSeverity, List<String> kinds,
            String hostLabel, Integer escalateAfterMinutes, boolean enabled) {

        Map<String, Object> described() {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("name", name);
            d.put("url", Channel.shown(url)); // the audit log is readable by every viewer: not the secret part
            d.put("format", format);
            d.put("minSeverity", minSeverity);
            d.put("kinds", kinds);
            d.put("hostLabel", hostLabel);
            d.put("escalateAfterMinutes", escalateAfterMinutes);
            d.put("enabled", enabled);
            return d;
        }
    }

    private Valid check(Request r, Long except) {
        Map<String, Text> problems = new LinkedHashMap<>();
        String name = r.name() == null ? "" : r.name().strip();
        if (name.isEmpty() || name.length() > MAX_NAME || TextRules.hiddenOrBroken(name)) {
            problems.put("name", Text.of("refuse.channelName", (long) MAX_NAME));
        } else if (Row.first(Row.query(em, "SELECT id FROM notification_channel WHERE lower(name) = lower(?1)"
                + " AND removed_at IS NULL AND id <> ?2").setParameter(1, name)
                .setParameter(2, except == null ? -1L : except)).isPresent()) {
            problems.put("name", Text.of("refuse.channelNameTaken", name));
        }
        String url = r.url() == null ? "" : r.url().strip();
        if (!webUrl(url)) {
            problems.put("url", Text.of("refuse.channelUrl"));
        }
        String format = r.format() == null || r.format().isBlank() ? Channel.JSON
                : r.format().strip().toUpperCase(Locale.ROOT);
        if (!List.of(Channel.SLACK, Channel.JSON).contains(format)) {
            problems.put("format", Text.of("refuse.channelFormat"));
        }
        String severity = r.minSeverity() == null || r.minSeverity().isBlank() ? "WARNING"
                : r.minSeverity().strip().toUpperCase(Locale.ROOT);
        if (!List.of("WARNING", "CRITICAL").contains(severity)) {
            problems.put("minSeverity", Text.of("refuse.channelSeverity"));
        }
        List<String> kinds = r.kinds() == null ? List.of() : r.kinds().stream().filter(Objects::nonNull)
                .map(k -> k.strip().toUpperCase(Locale.ROOT)).filter(k -> !k.isEmpty()).distinct().sorted().toList();
        for (String k : kinds) {
            if (Arrays.stream(IncidentKind.values()).noneMatch(known -> known.name().equals(k))) {
                problems.put("kinds", Text.of("refuse.silenceKind", k));
            }
        }
        String label = r.hostLabel() == null || r.hostLabel().isBlank() ? null : r.hostLabel().strip();
        if (label != null && !HostRules.LABEL.matcher(label).matches()) {
            problems.put("hostLabel", Text.of("refuse.silenceLabel"));
        }
        Integer after = r.escalateAfterMinutes();
        if (after != null && (after < 1 || after > 10080)) {
            problems.put("escalateAfterMinutes", Text.of("refuse.channelEscalation"));
        }
        if (!problems.isEmpty()) {
            throw InvalidInput.of(problems);
        }
        return new Valid(name, url, format, severity, kinds, label, after, r.enabled() == null || r.enabled());
    }

    /** http or https, with a host, no user part (credentials in a URL end up in logs), of a sane length. */
    static boolean webUrl(String url) {
        if (url.isEmpty() || url.length() > MAX_URL || TextRules.hiddenOrBroken(url)) {
            return false;
        }
        try {
            URI u = new URI(url);
            return ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null
                    && u.getRawUserInfo() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
