package dev.linger.incident;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.linger.LingerConfig;
import dev.linger.channel.Channel;
import dev.linger.channel.Channels;
import dev.linger.Row;
import dev.linger.SqlTimes;
import dev.linger.i18n.Catalogue;
import dev.linger.i18n.Text;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Outgoing webhooks. A transition writes one outbox row per channel that hears of it (and per URL of
 * {@code LINGER_INCIDENTS_WEBHOOKS}, the first channel of old) in the transition's transaction, so detection never
 * waits on the network; any instance then sends due rows (claimed with SKIP LOCKED) and retries failures with
 * backoff: 5 s, 10 s, 20 s … up to 10 minutes, 10 attempts in all. A resolution goes to every channel that heard
 * of the incident. Escalation channels hear of an incident only when nobody acknowledged it in their minutes
 * ({@link IncidentService#pageUnacknowledged}). The generic JSON carries a Slack-compatible "text" (escaped: no markup from
 * hosts) and the incident's fields; a Slack channel gets the text alone. Times (due, sent, failed) come from the
 * injected {@link Clock}, the one that wrote the row.
 */
@ApplicationScoped
public class Notifications {

    private static final Logger LOG = Logger.getLogger(Notifications.class);
    static final int MAX_ATTEMPTS = 10;

    /** A claimed row to send. */
    record Due(long id, String url, String payload, int attempts) {

        static Due from(Row row) {
            return new Due(row.longValue("id"), row.string("url"), row.string("payload"), row.intValue("attempts"));
        }
    }

    private final EntityManager em;
    private final ObjectMapper json;
    private final Clock clock;
    private final List<String> urls;
    private final Duration timeout;
    private final HttpClient http;

    private final dev.linger.silence.Silences silences;
    private final Channels channels;

    Notifications(EntityManager em, ObjectMapper json, Clock clock, LingerConfig config,
            dev.linger.silence.Silences silences, Channels channels) {
        this.silences = silences;
        this.channels = channels;
        this.em = em;
        this.json = json;
        this.clock = clock;
        this.timeout = config.incidents().webhookTimeout();
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.urls = config.incidents().webhooks().orElse(List.of()).stream().map(String::strip)
                .filter(u -> !u.isEmpty()).toList();
        for (String u : urls) {
            URI uri = URI.create(u);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("linger.incidents.webhooks: not an http(s) URL: " + u);
            }
        }
    }

    /**
     * {@code ns}: the incident's network namespace, in the payload as the API shows it; null = the host's own.
     * {@code text}: what happened, said in English (chat channels are read by the whole team; the API and pages say
     * it in the reader's language).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    void enqueue(long incidentId, String what, String severity, String host, IncidentNamespace ns, String kind,
            int port, Text text) {
        List<Channel> routes = channels.routes();
        if (urls.isEmpty() && routes.isEmpty()) {
            return;
        }
        long hostId = ((Number) em.createNativeQuery("SELECT host_id FROM incident WHERE id = ?1")
                .setParameter(1, incidentId).getSingleResult()).longValue();
        var quiet = silences.silencing(hostId, ns, kind, port);
        if (quiet.isPresent()) {
            // a silenced incident still opens and shows (marked); it only tells nobody
            LOG.debugf("incident %s %s: silenced by silence %s, nothing sent", (Object) incidentId, what, quiet.get().id());
            return;
        }
        List<Channel> told;
        if ("resolved".equals(what)) {
            // the resolution goes where the incident went, escalation channels included
            @SuppressWarnings("unchecked")
            List<Number> heard = em.createNativeQuery("SELECT DISTINCT channel_id FROM notification"
                    + " WHERE incident_id = ?1 AND channel_id IS NOT NULL").setParameter(1, incidentId).getResultList();
            told = routes.stream().filter(c -> heard.stream().anyMatch(h -> h.longValue() == c.id())).toList();
        } else {
            Set<String> labels = routes.stream().anyMatch(c -> c.hostLabel() != null) ? silences.hostLabels(hostId)
                    : Set.of();
            told = routes.stream().filter(c -> !c.escalation() && c.hears(severity, kind, labels)).toList();
        }
        write(incidentId, what, severity, host, ns, kind, port, text, told, urls);
    }

    /** One outbox row per channel and per URL of the environment (those get the generic JSON). */
    private void write(long incidentId, String what, String severity, String host, IncidentNamespace ns, String kind,
            int port, Text text, List<Channel> told, List<String> envUrls) {
        if (told.isEmpty() && envUrls.isEmpty()) {
            return;
        }
        IncidentNamespace where = ns == null ? IncidentNamespace.HOST : ns;
        String icon = switch (what) {
            case "resolved" -> "✅";
            case "unacknowledged" -> "🔔";
            case "note" -> "📝";
            default -> "CRITICAL".equals(severity) ? "🔴" : "🟠";
        };
        Map<String, Object> namespace = new LinkedHashMap<>();
        namespace.put("inode", where.inode());
        namespace.put("kind", where.kind());
        namespace.put("name", where.name());
        namespace.put("containerId", where.containerId());
        namespace.put("pod", where.pod());
        Map<String, Object> incident = new LinkedHashMap<>();
        incident.put("id", incidentId);
        incident.put("event", what);
        incident.put("host", host);
        incident.put("namespace", namespace);
        incident.put("kind", kind);
        incident.put("port", port);
        incident.put("severity", severity);
        incident.put("message", text); // the fact itself ({"key","args"}), for bots that speak another language
        // the namespace is named in the title too: the explanation of a resolution does not always say it
        Object in = IncidentService.in(where);
        String inWords = in instanceof Text t ? Catalogue.render(t, Locale.ENGLISH).replace("`", "") : "";
        Text title = Text.of("fact.webhook", icon, kind, what, host, (long) port, inWords, text);
        String said = slackEscaped(Catalogue.render(title, Locale.ENGLISH));
        String generic = json(Map.of("text", said, "incident", incident));
        String slack = json(Map.of("text", said));
        for (String url : envUrls) {
            insert(incidentId, null, what, url, generic);
        }
        for (Channel c : told) {
            insert(incidentId, c.id(), what, c.url(), Channel.SLACK.equals(c.format()) ? slack : generic);
        }
    }

    private void insert(Long incidentId, Long channelId, String event, String url, String body) {
        em.createNativeQuery("""
                INSERT INTO notification (incident_id, channel_id, event, url, payload, created_at, next_attempt_at)
                VALUES (?1, ?2, ?3, ?4, CAST(?5 AS jsonb), ?6, ?6)
                """).setParameter(1, incidentId).setParameter(2, channelId).setParameter(3, event)
                .setParameter(4, url).setParameter(5, body).setParameter(6, SqlTimes.utc(clock.instant()))
                .executeUpdate();
    }

    /** A payload as the outbox stores it. */
    public String json(Map<String, Object> payload) {
        try {
            return json.writeValueAsString(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Pages people about something that is not an incident (a remediation policy's breaker tripped): every enabled
     * channel, escalation channels included, and every URL of the environment hear of it at once.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void page(String event, Text text, Map<String, Object> fields) {
        String said = slackEscaped(Catalogue.render(text, Locale.ENGLISH));
        Map<String, Object> generic = new LinkedHashMap<>();
        generic.put("text", said);
        generic.put("event", event);
        generic.put("message", text);
        generic.putAll(fields);
        String body = json(generic);
        String slack = json(Map.of("text", said));
        for (String url : urls) {
            insert(null, null, event, url, body);
        }
        for (Channel c : channels.routes()) {
            insert(null, c.id(), event, c.url(), Channel.SLACK.equals(c.format()) ? slack : body);
        }
    }

    /**
     * A person asked that their note on an incident be sent: to the channels that heard of the incident and the
     * environment's URLs. False (nothing written) while a silence holds for the incident, or when nobody heard of it.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean note(long incidentId, String author, String body) {
        Row i = Row.first(Row.query(em, """
                SELECT i.host_id, h.name AS host_name, i.kind, i.port, i.severity, i.namespace::text AS namespace
                  FROM incident i JOIN host h ON h.id = i.host_id WHERE i.id = ?1
                """).setParameter(1, incidentId)).orElseThrow();
        IncidentNamespace ns;
        try {
            ns = i.string("namespace") == null ? IncidentNamespace.HOST
                    : IncidentNamespace.of(json.readTree(i.string("namespace")));
        } catch (IOException e) {
            ns = IncidentNamespace.HOST;
        }
        if (silences.silencing(i.longValue("host_id"), ns, i.string("kind"), i.intValue("port")).isPresent()) {
            return false;
        }
        @SuppressWarnings("unchecked")
        List<Number> heard = em.createNativeQuery("SELECT DISTINCT channel_id FROM notification"
                + " WHERE incident_id = ?1 AND channel_id IS NOT NULL").setParameter(1, incidentId).getResultList();
        List<Channel> told = channels.routes().stream()
                .filter(c -> heard.stream().anyMatch(h -> h.longValue() == c.id())).toList();
        if (told.isEmpty() && urls.isEmpty()) {
            return false;
        }
        write(incidentId, "note", i.string("severity"), i.string("host_name"), ns, i.string("kind"),
                i.intValue("port"), Text.of("fact.noteBy", author, body), told, urls);
        return true;
    }

    /** The escalation channels now (enabled, not removed). */
    List<Channel> escalations() {
        return channels.routes().stream().filter(Channel::escalation).toList();
    }

    /**
     * Tells an escalation channel of an incident nobody acknowledged; false (nothing written) when a silence holds
     * for it.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    boolean escalate(Channel c, IncidentView incident, Text why) {
        if (silences.silencing(incident.hostId(), incident.namespace(), incident.kind(), incident.port()).isPresent()) {
            return false;
        }
        write(incident.id(), "unacknowledged", incident.severity(), incident.hostName(), incident.namespace(),
                incident.kind(), incident.port(), why, List.of(c), List.of());
        return true;
    }

    /** Sends one queued row now (a channel's test), whatever its due time; returns why it failed, or null. */
    public String sendNow(long id) {
        List<Due> due = QuarkusTransaction.requiringNew().call(() -> Row.list(Row.query(em, """
                UPDATE notification SET next_attempt_at = CAST(?2 AS timestamptz) + interval '1 minute'
                 WHERE id = ?1 AND sent_at IS NULL AND failed_at IS NULL
                RETURNING id, url, payload::text AS payload, attempts
                """).setParameter(1, id).setParameter(2, SqlTimes.utc(clock.instant()))).stream().map(Due::from)
                .toList());
        if (due.isEmpty()) {
            return null;
        }
        String error = post(due.get(0));
        QuarkusTransaction.requiringNew().run(() -> record(due.get(0), error));
        return error;
    }

    /**
     * The text with {@code &}, {@code <} and {@code >} escaped as Slack asks (and Mattermost and Teams read
     * alike). The text carries strings from monitored hosts (process names, errors): unescaped, a process
     * named {@code <!channel>} pings everyone and {@code <http://a.bc|x>} becomes a link. Linger puts no
     * markup of its own in the text, so escaping all of it leaves no link or mention syntax at all.
     */
    public static String slackEscaped(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    @Scheduled(every = "2s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        sendDue();
    }

    /** Sends what is due; returns how many were sent successfully. */
    public int sendDue() {
        List<Due> due = claim();
        List<CompletableFuture<String>> outcomes = due.stream().map(this::postAsync).toList();
        int sent = 0;
        for (int i = 0; i < due.size(); i++) {
            Due d = due.get(i);
            String error = outcomes.get(i).join();
            QuarkusTransaction.requiringNew().run(() -> record(d, error));
            if (error == null) {
                sent++;
            }
        }
        return sent;
    }

    @Transactional
    List<Due> claim() {
        return Row.list(Row.query(em, """
                UPDATE notification n SET next_attempt_at = CAST(?1 AS timestamptz) + interval '1 minute'
                  FROM (SELECT id FROM notification
                         WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= CAST(?1 AS timestamptz)
                         ORDER BY next_attempt_at LIMIT 20 FOR UPDATE SKIP LOCKED) due
                 WHERE n.id = due.id
                RETURNING n.id AS id, n.url AS url, n.payload::text AS payload, n.attempts AS attempts
                """).setParameter(1, SqlTimes.utc(clock.instant()))).stream().map(Due::from).toList();
    }

    /** Null when the endpoint took it (2xx); otherwise why not. */
    private String post(Due d) {
        return postAsync(d).join();
    }

    /** Posts without waiting: the claimed rows go out together, so one receiver that hangs delays no other. */
    private CompletableFuture<String> postAsync(Due d) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create(d.url())).timeout(timeout)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(d.payload()))
                .build(), HttpResponse.BodyHandlers.discarding())
                .handle((response, failure) -> {
                    if (failure == null) {
                        return response.statusCode() / 100 == 2 ? null : "HTTP " + response.statusCode();
                    }
                    Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause()
                            != null ? failure.getCause() : failure;
                    return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": "
                            + cause.getMessage());
                });
    }

    private void record(Due d, String error) {
        if (error == null) {
            em.createNativeQuery("UPDATE notification SET sent_at = ?2, attempts = attempts + 1, last_error = NULL"
                    + " WHERE id = ?1").setParameter(1, d.id()).setParameter(2, SqlTimes.utc(clock.instant()))
                    .executeUpdate();
            return;
        }
        int attempts = d.attempts() + 1;
        if (attempts >= MAX_ATTEMPTS) {
            LOG.warnf("webhook %s failed %d times, giving up: %s", d.url(), attempts, error);
        }
        long backoff = Math.min(600, 5L << Math.min(attempts - 1, 10));
        em.createNativeQuery("""
                UPDATE notification SET attempts = ?2, last_error = ?3,
                       next_attempt_at = CAST(?6 AS timestamptz) + make_interval(secs => ?4),
                       failed_at = CASE WHEN ?2 >= ?5 THEN CAST(?6 AS timestamptz) ELSE NULL END
                 WHERE id = ?1
                """).setParameter(1, d.id()).setParameter(2, attempts).setParameter(3, error)
                .setParameter(4, (double) backoff).setParameter(5, MAX_ATTEMPTS)
                .setParameter(6, SqlTimes.utc(clock.instant())).executeUpdate();
    }
}
