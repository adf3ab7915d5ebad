package dev.linger.policy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.linger.InvalidInput;
import dev.linger.NotFound;
import dev.linger.Row;
import dev.linger.SqlTimes;
import dev.linger.TextRules;
import dev.linger.audit.AuditLog;
import dev.linger.host.HostRules;
import dev.linger.i18n.Text;
import dev.linger.incident.IncidentKind;
import dev.linger.runbook.Risk;
import dev.linger.runbook.RunbookService;

/**
 * Remediation policies: written, versioned, armed and tripped here, each change audited. The policy row holds the
 * current version; every change adds a row to remediation_policy_version with the whole definition, like runbooks.
 */
@ApplicationScoped
public class Policies {

    private static final String COLUMNS = """
            id, name, version, kind, host_label, runbook, max_per_host_hour, max_per_hour, breaker_after,
            window_start_minute, window_end_minute, dry_run, enabled, armed_at, tripped_at, trip_reason::text AS trip,
            created_by, created_at, updated_at""";

    /** What an admin sends; null fields take their defaults. */
    public record Request(String name, String kind, String hostLabel, String runbook, Integer maxPerHostPerHour,
            Integer maxPerHour, Integer breakerAfter, String window, Boolean dryRun) {
    }

    private final EntityManager em;
    private final AuditLog audit;
    private final Clock clock;
    private final RunbookService runbooks;
    private final ObjectMapper json;

    Policies(EntityManager em, AuditLog audit, Clock clock, RunbookService runbooks, ObjectMapper json) {
        this.em = em;
        this.audit = audit;
        this.clock = clock;
        this.runbooks = runbooks;
        this.json = json;
    }

    @Transactional
    public List<Policy> list() {
        return Row.list(Row.query(em, "SELECT " + COLUMNS + " FROM remediation_policy WHERE removed_at IS NULL"
                + " ORDER BY lower(name)")).stream().map(this::of).toList();
    }

    @Transactional
    public Policy get(long id) {
        return Row.first(Row.query(em, "SELECT " + COLUMNS + " FROM remediation_policy WHERE id = ?1"
                + " AND removed_at IS NULL").setParameter(1, id)).map(this::of)
                .orElseThrow(() -> new NotFound(Text.of("refuse.noPolicy", id)));
    }

    @Transactional
    public Policy create(String actor, Request r) {
        Valid v = check(r, null);
        Instant now = clock.instant();
        long id = ((Number) em.createNativeQuery("""
                INSERT INTO remediation_policy (name, kind, host_label, runbook, max_per_host_hour, max_per_hour,
                        breaker_after, window_start_minute, window_end_minute, dry_run, armed_at, created_by,
                        created_at, updated_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?11, ?11) RETURNING id
                """).setParameter(1, v.name()).setParameter(2, v.kind()).setParameter(3, v.hostLabel())
                .setParameter(4, v.runbook()).setParameter(5, v.maxPerHost()).setParameter(6, v.maxPerHour())
                .setParameter(7, v.breakerAfter()).setParameter(8, v.windowStart()).setParameter(9, v.windowEnd())
                .setParameter(10, v.dryRun()).setParameter(11, SqlTimes.utc(now)).setParameter(12, actor)
                .getSingleResult()).longValue();
        Policy made = get(id);
        keepVersion(made, actor);
        audit.record(actor, "policy.created", "policy", id, withVersion(made));
        return made;
    }

    /** A change is a new version; it arms the policy again (its breaker counts from now) and turns it on. */
    @Transactional
    public Policy update(String actor, long id, Request r) {
        get(id);
        Valid v = check(r, id);
        em.createNativeQuery("""
                UPDATE remediation_policy SET name = ?2, kind = ?3, host_label = ?4, runbook = ?5,
                       max_per_host_hour = ?6, max_per_hour = ?7, breaker_after = ?8, window_start_minute = ?9,
                       window_end_minute = ?10, dry_run = ?11, version = version + 1, enabled = true, armed_at = ?12,
                       tripped_at = NULL, trip_reason = NULL, updated_at = ?12
                 WHERE id = ?1
                """).setParameter(1, id).setParameter(2, v.name()).setParameter(3, v.kind())
                .setParameter(4, v.hostLabel()).setParameter(5, v.runbook()).setParameter(6, v.maxPerHost())
                .setParameter(7, v.maxPerHour()).setParameter(8, v.breakerAfter()).setParameter(9, v.windowStart())
                .setParameter(10, v.windowEnd()).setParameter(11, v.dryRun())
                .setParameter(12, SqlTimes.utc(clock.instant())).executeUpdate();
        Policy changed = get(id);
        keepVersion(changed, actor);
        audit.record(actor, "policy.changed", "policy", id, withVersion(changed));
        return changed;
    }

    /** On again after a trip or by hand: armed now, so the failures before do not count. */
    @Transactional
    public Policy enable(String actor, long id, boolean on) {
        Policy p = get(id);
        if (on) {
            em.createNativeQuery("UPDATE remediation_policy SET enabled = true, armed_at = ?2, tripped_at = NULL,"
                    + " trip_reason = NULL, updated_at = ?2 WHERE id = ?1").setParameter(1, id)
                    .setParameter(2, SqlTimes.utc(clock.instant())).executeUpdate();
        } else {
            em.createNativeQuery("UPDATE remediation_policy SET enabled = false, updated_at = ?2 WHERE id = ?1")
                    .setParameter(1, id).setParameter(2, SqlTimes.utc(clock.instant())).executeUpdate();
        }
        audit.record(actor, on ? "policy.enabled" : "policy.disabled", "policy", id, Map.of("name", p.name(),
                "version", p.version(), "wasTripped", p.trippedAt() != null));
        return get(id);
    }

    @Transactional
    public void remove(String actor, long id) {
        Policy p = get(id);
        em.createNativeQuery("UPDATE remediation_policy SET removed_at = ?2, enabled = false WHERE id = ?1")
                .setParameter(1, id).setParameter(2, SqlTimes.utc(clock.instant())).executeUpdate();
        audit.record(actor, "policy.removed", "policy", id, Map.of("name", p.name(), "version", p.version()));
    }

    /** Every version of a policy, newest first, with who made it and when. */
    @Transactional
    public List<Map<String, Object>> versions(long id) {
        get(id);
        return Row.list(Row.query(em, "SELECT version, definition::text AS definition, changed_by, changed_at"
                + " FROM remediation_policy_version WHERE policy_id = ?1 ORDER BY version DESC").setParameter(1, id))
                .stream().map(r -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("version", r.intValue("version"));
                    m.put("definition", read(r.string("definition")));
                    m.put("changedBy", r.string("changed_by"));
                    m.put("changedAt", r.instant("changed_at"));
                    return m;
                }).toList();
    }

    /** The breaker: off, with why; false when someone changed it first (it was off already). */
    @Transactional(Transactional.TxType.MANDATORY)
    boolean trip(long id, Map<String, Object> reason) {
        int n = em.createNativeQuery("""
                UPDATE remediation_policy SET enabled = false, tripped_at = ?2, trip_reason = CAST(?3 AS jsonb),
                       updated_at = ?2
                 WHERE id = ?1 AND enabled
                """).setParameter(1, id).setParameter(2, SqlTimes.utc(clock.instant())).setParameter(3, write(reason))
                .executeUpdate();
        return n == 1;
    }

    /** Takes the policy's runner lease (one instance works a policy at a time); false while another holds it. */
    @Transactional
    boolean lease(long id, Duration forHowLong) {
        Instant now = clock.instant();
        return em.createNativeQuery("UPDATE remediation_policy SET runner_until = ?2 WHERE id = ?1"
                + " AND (runner_until IS NULL OR runner_until < ?3)").setParameter(1, id)
                .setParameter(2, SqlTimes.utc(now.plus(forHowLong))).setParameter(3, SqlTimes.utc(now))
                .executeUpdate() == 1;
    }

    @Transactional
    void release(long id) {
        em.createNativeQuery("UPDATE remediation_policy SET runner_until = NULL WHERE id = ?1").setParameter(1, id)
                .executeUpdate();
    }

    private void keepVersion(Policy p, String actor) {
        em.createNativeQuery("""
                INSERT INTO remediation_policy_version (policy_id, version, definition, changed_by, changed_at)
                VALUES (?1, ?2, CAST(?3 AS jsonb), ?4, ?5)
                """).setParameter(1, p.id()).setParameter(2, p.version()).setParameter(3, write(p.definition()))
                .setParameter(4, actor).setParameter(5, SqlTimes.utc(clock.instant())).executeUpdate();
    }

    private static Map<String, Object> withVersion(Policy p) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", p.name());
        d.put("version", p.version());
        d.putAll(p.definition());
        return d;
    }

    private record Valid(String name, String kind, String hostLabel, String runbook, int maxPerHost, int maxPerHour,
            int breakerAfter, Integer windowStart, Integer windowEnd, boolean dryRun) {
    }

    private Valid check(Request r, Long except) {
        Map<String, Text> problems = new LinkedHashMap<>();
        String name = r.name() == null ? "" : r.name().strip();
        if (name.isEmpty() || name.length() > 100 || TextRules.hiddenOrBroken(name)) {
            problems.put("name", Text.of("refuse.policyName"));
        } else if (Row.first(Row.query(em, "SELECT id FROM remediation_policy WHERE lower(name) = lower(?1)"
                + " AND removed_at IS NULL AND id <> ?2").setParameter(1, name)
                .setParameter(2, except == null ? -1L : except)).isPresent()) {
            problems.put("name", Text.of("refuse.policyNameTaken", name));
        }
        String kind = r.kind() == null ? "" : r.kind().strip().toUpperCase(Locale.ROOT);
        try {
            kind = IncidentKind.valueOf(kind).name();
        } catch (IllegalArgumentException e) {
            problems.put("kind", Text.of("refuse.silenceKind", kind));
        }
        String label = r.hostLabel() == null || r.hostLabel().isBlank() ? null : r.hostLabel().strip();
        if (label != null && !HostRules.LABEL.matcher(label).matches()) {
            problems.put("hostLabel", Text.of("refuse.silenceLabel"));
        }
        String slug = r.runbook() == null ? "" : r.runbook().strip();
        var runbook = slug.isEmpty() ? java.util.Optional.<dev.linger.runbook.RunbookVersion>empty()
                : runbooks.find(slug, null);
        if (runbook.isEmpty()) {
            problems.put("runbook", Text.of("refuse.noRunbook", slug.length() > 60 ? slug.substring(0, 60) : slug));
        } else if (dev.linger.job.JobService.riskOf(runbook.get()) != Risk.LOW) {
            problems.put("runbook", Text.of("refuse.policyNotLow", slug,
                    dev.linger.job.JobService.riskOf(runbook.get()).name()));
        }
        int perHost = r.maxPerHostPerHour() == null ? 1 : r.maxPerHostPerHour();
        int perHour = r.maxPerHour() == null ? 10 : r.maxPerHour();
        int breaker = r.breakerAfter() == null ? 3 : r.breakerAfter();
        if (perHost < 1 || perHost > 60) {
            problems.put("maxPerHostPerHour", Text.of("refuse.policyRange", 1L, 60L));
        }
        if (perHour < 1 || perHour > 1000) {
            problems.put("maxPerHour", Text.of("refuse.policyRange", 1L, 1000L));
        }
        if (breaker < 1 || breaker > 100) {
            problems.put("breakerAfter", Text.of("refuse.policyRange", 1L, 100L));
        }
        HostRules.MinuteWindow window = null;
        if (r.window() != null && !r.window().isBlank()) {
            window = HostRules.window(r.window());
            if (window == null) {
                problems.put("window", Text.of("refuse.window"));
            }
        }
        if (!problems.isEmpty()) {
            throw InvalidInput.of(problems);
        }
        return new Valid(name, kind, label, slug, perHost, perHour, breaker,
                window == null ? null : window.startMinute(), window == null ? null : window.endMinute(),
                Boolean.TRUE.equals(r.dryRun()));
    }

    private Policy of(Row r) {
        return new Policy(r.longValue("id"), r.string("name"), r.intValue("version"), r.string("kind"),
                r.string("host_label"), r.string("runbook"), r.intValue("max_per_host_hour"),
                r.intValue("max_per_hour"), r.intValue("breaker_after"),
                HostRules.window(r.nullableInt("window_start_minute"), r.nullableInt("window_end_minute")),
                r.bool("dry_run"), r.bool("enabled"), r.instant("armed_at"), r.instant("tripped_at"),
                r.string("trip") == null ? null : read(r.string("trip")), r.string("created_by"),
                r.instant("created_at"), r.instant("updated_at"));
    }

    private String write(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, Object> read(String s) {
        try {
            return json.readValue(s, new TypeReference<Map<String, Object>>() { });
        } catch (JsonProcessingException e) {
            return Map.of();
        }
    }
}
