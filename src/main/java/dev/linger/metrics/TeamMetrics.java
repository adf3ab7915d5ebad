package dev.linger.metrics;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import dev.linger.Row;
import dev.linger.SqlTimes;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.quarkus.scheduler.Scheduled;

/**
 * The team's flow for Prometheus (issue 18 item 6): incidents open by kind and severity, how long incidents took to
 * be acknowledged and resolved (over the last 24 hours, so the numbers move when the team does), jobs by status and
 * runbook, notifications that failed, silences holding, policies tripped. Read from the database every 15 s by each
 * instance (the same numbers on every instance: they are the fleet's, not the instance's), never while a scrape
 * waits. Every metric has a HELP text. Label values are bounded: kinds, severities, statuses, runbook slugs.
 */
@ApplicationScoped
public class TeamMetrics {

    private static final Logger LOG = Logger.getLogger(TeamMetrics.class);

    private final EntityManager em;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, AtomicLong> values = new ConcurrentHashMap<>();
    private final dev.linger.silence.Silences silences;

    TeamMetrics(EntityManager em, MeterRegistry registry, Clock clock, dev.linger.silence.Silences silences) {
        this.silences = silences;
        this.em = em;
        this.registry = registry;
        this.clock = clock;
    }

    @Scheduled(every = "15s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        try {
            refresh();
        } catch (RuntimeException e) {
            LOG.debugf(e, "team metrics not refreshed; next time");
        }
    }

    /** Reads the numbers now and sets every gauge; a series no longer seen drops to 0. */
    @Transactional
    public void refresh() {
        var now = SqlTimes.utc(clock.instant());
        List<String> seen = new ArrayList<>();
        for (Row r : Row.list(Row.query(em, """
                SELECT kind, severity, count(*) AS n FROM incident WHERE status <> 'RESOLVED' GROUP BY kind, severity
                """))) {
            seen.add(set("linger_incidents_open", "Incidents not resolved yet, by kind and severity",
                    Tags.of("kind", r.string("kind"), "severity", r.string("severity")), r.longValue("n")));
        }
        for (Row r : Row.list(Row.query(em, """
                SELECT status, count(*) AS n FROM incident WHERE status <> 'RESOLVED' GROUP BY status
                """))) {
            seen.add(set("linger_incidents_by_status", "Incidents not resolved yet, by status (OPEN: nobody"
                    + " acknowledged it)", Tags.of("status", r.string("status")), r.longValue("n")));
        }
        Row times = Row.first(Row.query(em, """
                SELECT coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM acknowledged_at - opened_at))
                                FILTER (WHERE acknowledged_at IS NOT NULL), 0) AS ack_p50,
                       coalesce(percentile_cont(0.9) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM acknowledged_at - opened_at))
                                FILTER (WHERE acknowledged_at IS NOT NULL), 0) AS ack_p90,
                       coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM resolved_at - opened_at))
                                FILTER (WHERE resolved_at IS NOT NULL), 0) AS res_p50,
                       coalesce(percentile_cont(0.9) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM resolved_at - opened_at))
                                FILTER (WHERE resolved_at IS NOT NULL), 0) AS res_p90,
                       count(*) FILTER (WHERE acknowledged_at IS NOT NULL) AS acked,
                       count(*) FILTER (WHERE resolved_at IS NOT NULL) AS resolved
                  FROM incident WHERE opened_at > CAST(?1 AS timestamptz) - interval '24 hours'
                """).setParameter(1, now)).orElseThrow();
        String ack = "Seconds from an incident opening to a person acknowledging it, for incidents opened in the last"
                + " 24 hours";
        seen.add(set("linger_incident_time_to_acknowledge_seconds", ack, Tags.of("quantile", "0.5"),
                Math.round(times.doubleValue("ack_p50"))));
        seen.add(set("linger_incident_time_to_acknowledge_seconds", ack, Tags.of("quantile", "0.9"),
                Math.round(times.doubleValue("ack_p90"))));
        String res = "Seconds from an incident opening to its resolution, for incidents opened in the last 24 hours";
        seen.add(set("linger_incident_time_to_resolve_seconds", res, Tags.of("quantile", "0.5"),
                Math.round(times.doubleValue("res_p50"))));
        seen.add(set("linger_incident_time_to_resolve_seconds", res, Tags.of("quantile", "0.9"),
                Math.round(times.doubleValue("res_p90"))));
        seen.add(set("linger_incidents_acknowledged_24h", "Incidents opened in the last 24 hours and acknowledged",
                Tags.empty(), times.longValue("acked")));
        seen.add(set("linger_incidents_resolved_24h", "Incidents opened in the last 24 hours and resolved",
                Tags.empty(), times.longValue("resolved")));
        for (Row r : Row.list(Row.query(em, """
                SELECT j.status, r.slug, count(*) AS n FROM job j JOIN runbook r ON r.id = j.runbook_id
                 GROUP BY j.status, r.slug
                """))) {
            seen.add(set("linger_jobs", "Jobs by status and runbook", Tags.of("status", r.string("status"),
                    "runbook", r.string("slug")), r.longValue("n")));
        }
        Row n = Row.first(Row.query(em, """
                SELECT (SELECT count(*) FROM notification WHERE failed_at IS NOT NULL) AS gave_up,
                       (SELECT count(*) FROM notification WHERE sent_at IS NULL AND failed_at IS NULL AND attempts > 0)
                           AS retrying,
                       (SELECT count(*) FROM notification WHERE sent_at IS NOT NULL) AS sent,
                       (SELECT count(*) FROM remediation_policy WHERE tripped_at IS NOT NULL AND NOT enabled
                           AND removed_at IS NULL) AS tripped,
                       (SELECT count(*) FROM external_alert WHERE host_id IS NULL AND status = 'firing') AS unmatched
                """)).orElseThrow();
        String notes = "Webhook notifications by outcome: sent, retrying (failed, will try again), gave_up (failed"
                + " every try)";
        seen.add(set("linger_notifications", notes, Tags.of("outcome", "sent"), n.longValue("sent")));
        seen.add(set("linger_notifications", notes, Tags.of("outcome", "retrying"), n.longValue("retrying")));
        seen.add(set("linger_notifications", notes, Tags.of("outcome", "gave_up"), n.longValue("gave_up")));
        seen.add(set("linger_policies_tripped", "Remediation policies turned off by their circuit breaker",
                Tags.empty(), n.longValue("tripped")));
        seen.add(set("linger_alerts_unmatched", "Firing alerts from Alertmanager or Netdata that named no known host",
                Tags.empty(), n.longValue("unmatched")));
        // silences hold by their own rules (weekly windows, time zones): counted the way notifications ask
        seen.add(set("linger_silences_active", "Silences holding now (mute windows counted while inside their"
                + " window)", Tags.empty(), silences.activeNow().size()));
        values.forEach((key, v) -> {
            if (!seen.contains(key)) {
                v.set(0);
            }
        });
    }

    private String set(String name, String help, Tags tags, long value) {
        String key = name + tags;
        values.computeIfAbsent(key, k -> {
            AtomicLong v = new AtomicLong();
            Gauge.builder(name, v, AtomicLong::get).description(help).tags(tags).register(registry);
            return v;
        }).set(value);
        return key;
    }
}
