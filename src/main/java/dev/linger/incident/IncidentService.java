package dev.linger.incident;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.NotFoundException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.linger.InvalidInput;
import dev.linger.Row;
import dev.linger.i18n.Text;
import dev.linger.SqlTimes;
import dev.linger.LingerConfig;
import dev.linger.audit.AuditLog;
import dev.linger.collect.NetNamespace;
import dev.linger.i18n.Catalogue;
import dev.linger.i18n.Text;

/**
 * The life of incidents: one per (host, network namespace, kind, port) while it lasts. After every collection the
 * findings are reconciled with what is open: new conditions open (or, within the flap window,
 * reopen) an incident, continuing ones update its evidence and may escalate it, and one that stays
 * clear for a few collections resolves itself. Every transition is audited and notified in the
 * transaction that makes it. A namespace is keyed by {@link NetNamespace#key()} (0 = the host's own); the inode of
 * another belongs to one boot of the host, so an incident of a namespace seen on an earlier boot ends when the host
 * comes back with a new one.
 */
@ApplicationScoped
public class IncidentService {

    static final String LINGER = "linger";
    /** Kinds that come from collection failures, not from snapshots. */
    static final Set<String> HOST_KINDS = Set.of(IncidentKind.HOST_UNREACHABLE.name(), IncidentKind.HOST_KEY_CHANGED.name());

    /** A finding with where it was seen, for the lifecycle. */
    private record Active(long id, long netns, String kind, int port, String severity, String status,
            int clearStreak, Text explanation, Instant lastEvidenceEvent, IncidentNamespace namespace) {

        String key() {
            return IncidentService.key(netns, kind, port);
        }
    }

    static String key(long netns, String kind, int port) {
        return netns + "/" + kind + "/" + port;
    }

    private final EntityManager em;
    private final AuditLog audit;
    private final Notifications notifications;
    private final ObjectMapper json;
    private final Clock clock;
    private final LingerConfig.Incidents config;

    IncidentService(EntityManager em, AuditLog audit, Notifications notifications, ObjectMapper json, Clock clock,
            LingerConfig config) {
        this.em = em;
        this.audit = audit;
        this.notifications = notifications;
        this.json = json;
        this.clock = clock;
        this.config = config.incidents();
    }

    /**
     * After a good collection: reconciles the host's findings with its active incidents. The boot id is the one of
     * the host's latest stored snapshot (stored in this transaction, just before detection).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void reconcile(long hostId, String hostName, List<Finding> findings) {
        @SuppressWarnings("unchecked")
        List<String> boot = em.createNativeQuery(
                "SELECT boot_id FROM snapshot WHERE host_id = ?1 ORDER BY taken_at DESC LIMIT 1")
                .setParameter(1, hostId).getResultList();
        reconcile(hostId, hostName, boot.isEmpty() ? null : boot.get(0), findings);
    }

    /**
     * @param bootId the host's boot id at this collection (/proc/sys/kernel/random/boot_id); null when the host did
     *               not report it
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void reconcile(long hostId, String hostName, String bootId, List<Finding> findings) {
        Map<String, Active> active = new LinkedHashMap<>();
        for (Active a : active(hostId)) {
            if (a.netns() != NetNamespace.HOST_KEY && bootId != null && a.namespace().bootId() != null
                    && !bootId.equals(a.namespace().bootId())) {
                // the inode was of an earlier boot: that namespace is gone, a namespace with the same inode now is
                // another one and gets its own incident
                resolve(hostName, a, LINGER, Text.of("fact.hostRestarted", where(a.namespace())));
                continue;
            }
            active.put(a.key(), a);
        }
        for (Finding f : findings) {
            IncidentNamespace ns = IncidentNamespace.of(f.namespace(), bootId);
            long netns = f.namespace().key();
            Active a = active.remove(key(netns, f.kind().name(), f.port()));
            if (a == null) {
                open(hostId, hostName, netns, ns, f.kind().name(), f.port(), f.severity().name(), f.evidence());
            } else {
                update(hostName, a, ns.bootId() == null ? withBoot(ns, a.namespace().bootId()) : ns,
                        f.severity().name(), f.evidence());
            }
        }
        // what is still active was not found this time; host-level conditions end with a good collection; an
        // external alert ends when its system says so, not with a collection
        for (Active a : active.values()) {
            if (a.kind().equals(IncidentKind.EXTERNAL_ALERT.name())) {
                continue;
            }
            int streak = a.clearStreak() + 1;
            if (HOST_KINDS.contains(a.kind()) || streak >= config.clearAfter()) {
                resolve(hostName, a, LINGER, HOST_KINDS.contains(a.kind()) ? Text.of("fact.collectsAgain")
                        : Text.of("fact.clearFor", (long) streak));
            } else {
                em.createNativeQuery("UPDATE incident SET clear_streak = ?2 WHERE id = ?1")
                        .setParameter(1, a.id()).setParameter(2, streak).executeUpdate();
            }
        }
    }

    /**
     * After a failed collection: one HOST_UNREACHABLE (or HOST_KEY_CHANGED) incident for the host,
     * updated while it lasts. Socket incidents are left as they are: no new evidence, no storm.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void hostFailed(long hostId, String hostName, IncidentKind kind, String error) {
        Evidence evidence = kind == IncidentKind.HOST_KEY_CHANGED ? new Evidence.HostKeyChanged(error)
                : new Evidence.HostUnreachable(error);
        Active a = active(hostId).stream().filter(x -> x.netns() == NetNamespace.HOST_KEY
                && x.kind().equals(kind.name()) && x.port() == 0).findFirst().orElse(null);
        if (a == null) {
            open(hostId, hostName, NetNamespace.HOST_KEY, IncidentNamespace.HOST, kind.name(), 0,
                    Severity.CRITICAL.name(), evidence);
        } else {
            update(hostName, a, a.namespace(), Severity.CRITICAL.name(), evidence);
        }
    }

    /**
     * An external alert fires on the host: it joins the incident of the kind it names when that one is active there
     * (its timeline notes the alert), else the host's EXTERNAL_ALERT incident, opened if none is active. Returns the
     * incident's id.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public long alertFiring(long hostId, String hostName, IncidentKind named, Evidence.ExternalAlert alert,
            Severity severity) {
        List<Active> actives = active(hostId);
        if (named != null && named != IncidentKind.EXTERNAL_ALERT) {
            for (Active a : actives) {
                if (a.kind().equals(named.name())) {
                    event(a.id(), "EVIDENCE", alert.source().toLowerCase(Locale.ROOT),
                            Text.of("fact.alertJoined", Explanations.sourceName(alert.source()),
                                    alert.alert() == null ? "" : alert.alert(),
                                    alert.summary() == null ? "" : alert.summary()));
                    return a.id();
                }
            }
        }
        Active a = actives.stream().filter(x -> x.kind().equals(IncidentKind.EXTERNAL_ALERT.name())).findFirst()
                .orElse(null);
        if (a == null) {
            open(hostId, hostName, NetNamespace.HOST_KEY, IncidentNamespace.HOST, IncidentKind.EXTERNAL_ALERT.name(), 0,
                    severity.name(), alert);
            return active(hostId).stream().filter(x -> x.kind().equals(IncidentKind.EXTERNAL_ALERT.name()))
                    .findFirst().orElseThrow().id();
        }
        update(hostName, a, a.namespace(), severity.name(), alert);
        return a.id();
    }

    /** Every alert of the host's EXTERNAL_ALERT incident resolved: so does the incident, by the alert's system. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void alertsResolved(long incidentId, String source) {
        IncidentView i = get(incidentId);
        for (Active a : active(i.hostId())) {
            if (a.id() == incidentId && a.kind().equals(IncidentKind.EXTERNAL_ALERT.name())) {
                resolve(i.hostName(), a, source.toLowerCase(Locale.ROOT),
                        Text.of("fact.alertsResolved", Explanations.sourceName(source)));
            }
        }
    }

    /** An admin trusted the host's new key: the changed-key incident is over. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void keyTrusted(long hostId, String hostName, String actor) {
        for (Active a : active(hostId)) {
            if (a.kind().equals(IncidentKind.HOST_KEY_CHANGED.name())) {
                resolve(hostName, a, actor, Text.of("fact.keyTrusted", actor));
            }
        }
    }

    /** The host was removed (archived): nobody collects it any more, so its active incidents end here. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void hostArchived(long hostId, String hostName, String actor) {
        for (Active a : active(hostId)) {
            resolve(hostName, a, actor, Text.of("fact.hostRemoved", actor));
        }
    }

    @Transactional
    public IncidentView acknowledge(String actor, long id) {
        IncidentView i = get(id);
        if (!"OPEN".equals(i.status())) {
            throw InvalidInput.conflict("status", Text.of("RESOLVED".equals(i.status())
                    ? "refuse.incidentNotOpen" : "refuse.incidentAcknowledged"));
        }
        Instant now = clock.instant();
        int changed = em.createNativeQuery("""
                UPDATE incident SET status = 'ACKNOWLEDGED', acknowledged_at = ?2, acknowledged_by = ?3, updated_at = ?2
                 WHERE id = ?1 AND status = 'OPEN'
                """).setParameter(1, id).setParameter(2, SqlTimes.utc(now)).setParameter(3, actor).executeUpdate();
        if (changed == 0) {
            throw InvalidInput.conflict("status", Text.of("refuse.incidentRace"));
        }
        event(id, "ACKNOWLEDGED", actor, Text.of("fact.isOnIt", actor));
        audit.record(actor, "incident.acknowledged", "incident", id, Map.of("kind", i.kind(), "host", i.hostName()));
        return get(id);
    }

    /** Resolved by a person (the condition may come back and reopen it within the flap window). */
    @Transactional
    public IncidentView resolveByHand(String actor, long id) {
        IncidentView i = get(id);
        if (!i.active()) {
            throw InvalidInput.conflict("status", Text.of("refuse.incidentResolved"));
        }
        Active a = active(i.hostId()).stream().filter(x -> x.id() == id).findFirst().orElseThrow();
        resolve(i.hostName(), a, actor, Text.of("fact.resolvedByHand", actor));
        return get(id);
    }

    /**
     * After a job's VERIFY collected the host again: whether that collection found the incident's
     * condition gone. When it did, the job has verified its fix and the incident is resolved now.
     *
     * @return null when verified (and resolved), else why not, in English (see {@link #verificationByJob})
     */
    @Transactional
    public String verifiedByJob(long id, long jobId) {
        Text why = verificationByJob(id, jobId);
        return why == null ? null : Catalogue.render(why, Locale.ENGLISH);
    }

    /**
     * As {@link #verifiedByJob}, the reason as a fact ({@code fact.jobOtherNamespace}, {@code fact.jobStillFinds}) to
     * be stored and said in the reader's language.
     */
    @Transactional
    public Text verificationByJob(long id, long jobId) {
        IncidentView i = get(id);
        if (!i.active()) {
            return null;
        }
        Active a = active(i.hostId()).stream().filter(x -> x.id() == id).findFirst().orElseThrow();
        @SuppressWarnings("unchecked")
        List<Number> jobNetns = em.createNativeQuery("SELECT netns FROM job WHERE id = ?1").setParameter(1, jobId)
                .getResultList();
        if (!jobNetns.isEmpty() && jobNetns.get(0).longValue() != a.netns()) {
            // a fix in one namespace says nothing about the same port in another
            return Text.of("fact.jobOtherNamespace", a.namespace().host() ? Text.of("fact.hostOwn")
                    : where(a.namespace()));
        }
        if (a.clearStreak() == 0) {
            return Text.of("fact.jobStillFinds", kindName(i.kind()), (long) i.port(), in(a.namespace()));
        }
        if (a.netns() != NetNamespace.HOST_KEY && !seenNow(i.hostId(), a.netns())) {
            resolve(i.hostName(), a, "job " + jobId, Text.of("fact.jobNamespaceGone", jobId, in(a.namespace())));
            return null;
        }
        resolve(i.hostName(), a, "job " + jobId, Text.of("fact.jobFixed", jobId));
        return null;
    }

    /** The kind by its name in the catalogue ({@code page.kindCloseWaitLeak}); the constant itself if unknown. */
    static Object kindName(String kind) {
        StringBuilder key = new StringBuilder("page.kind");
        for (String part : kind.toLowerCase(Locale.ROOT).split("_")) {
            key.append(part.isEmpty() ? "" : Character.toUpperCase(part.charAt(0)) + part.substring(1));
        }
        String k = key.toString();
        return Catalogue.has(k) ? Text.of(k) : kind;
    }

    /** Whether the host's latest snapshot has the namespace; true for snapshots from before namespaces. */
    private boolean seenNow(long hostId, long netns) {
        @SuppressWarnings("unchecked")
        List<Object> rows = em.createNativeQuery("""
                SELECT jsonb_array_length(namespaces) = 0
                       OR EXISTS (SELECT 1 FROM jsonb_array_elements(namespaces) n
                                   WHERE n->>'kind' <> 'HOST' AND (n->>'inode')::bigint = ?2)
                  FROM snapshot WHERE host_id = ?1 ORDER BY taken_at DESC LIMIT 1
                """).setParameter(1, hostId).setParameter(2, netns).getResultList();
        return rows.isEmpty() || Boolean.TRUE.equals(rows.get(0));
    }

    /** "container `checkout-7d9f` (3f2a1b9c0d1e)" and the like; null for the host's own namespace. */
    static Text where(IncidentNamespace ns) {
        return ns == null || ns.host() ? null : Explanations.where(ns.model());
    }

    /** "in container `checkout-7d9f` (3f2a1b9c0d1e)" and the like; "" (nothing to say) for the host's own. */
    static Object in(IncidentNamespace ns) {
        return ns == null || ns.host() ? Explanations.NOTHING : Explanations.in(ns.model());
    }

    private static IncidentNamespace withBoot(IncidentNamespace ns, String bootId) {
        return new IncidentNamespace(ns.inode(), ns.kind(), ns.name(), ns.containerId(), ns.pod(), bootId);
    }

    public IncidentView get(long id) {
        List<IncidentView> found = query(" WHERE i.id = ?1", List.of(id), 1);
        if (found.isEmpty()) {
            throw new dev.linger.NotFound(Text.of("refuse.noIncident", id));
        }
        return found.get(0);
    }

    /** Newest first; blank filters match everything. */
    public List<IncidentView> list(String status, Long hostId, String kind, int limit) {
        return list(status, hostId, kind, null, limit);
    }

    /**
     * Newest first; blank filters match everything. {@code namespace} (checked by the caller, see
     * {@link IncidentResource.IncidentFilters#namespace}) matches a namespace's name, "host" the host's own, a
     * container id or pod uid by its prefix (4 or more hex digits), a namespace by its inode.
     */
    public List<IncidentView> list(String status, Long hostId, String kind, String namespace, int limit) {
        return list(status, hostId, kind, namespace, null, null, limit);
    }

    /** As above, opened in [{@code from}, {@code to}) where given. */
    public List<IncidentView> list(String status, Long hostId, String kind, String namespace, Instant from,
            Instant to, int limit) {
        StringBuilder where = new StringBuilder(" WHERE true");
        List<Object> args = new ArrayList<>();
        if (from != null) {
            args.add(SqlTimes.utc(from));
            where.append(" AND i.opened_at >= ?").append(args.size());
        }
        if (to != null) {
            args.add(SqlTimes.utc(to));
            where.append(" AND i.opened_at < ?").append(args.size());
        }
        if (status != null && !status.isBlank()) {
            if ("ACTIVE".equalsIgnoreCase(status.strip())) {
                where.append(" AND i.status <> 'RESOLVED'");
            } else {
                args.add(status.strip().toUpperCase());
                where.append(" AND i.status = ?").append(args.size());
            }
        }
        if (hostId != null) {
            args.add(hostId);
            where.append(" AND i.host_id = ?").append(args.size());
        }
        if (kind != null && !kind.isBlank()) {
            args.add(kind.strip().toUpperCase());
            where.append(" AND i.kind = ?").append(args.size());
        }
        if (namespace != null && !namespace.isBlank()) {
            String n = namespace.strip();
            args.add(n);
            where.append(" AND (i.namespace->>'name' = ?").append(args.size());
            if (n.equalsIgnoreCase("host")) {
                where.append(" OR i.netns = 0");
            }
            if (n.matches("[0-9a-fA-F][0-9a-fA-F-]{3,63}")) {
                // hex digits and dashes only: no LIKE wildcard can be in it
                args.add(n.toLowerCase() + "%");
                where.append(" OR i.namespace->>'containerId' LIKE ?").append(args.size())
                        .append(" OR i.namespace->>'pod' LIKE ?").append(args.size());
            }
            if (n.matches("[0-9]{1,18}")) {
                args.add(Long.parseLong(n));
                where.append(" OR i.netns = ?").append(args.size());
                args.add(String.valueOf(Long.parseLong(n)));
                // the host's own namespace is keyed 0 but has an inode too
                where.append(" OR i.namespace->>'inode' = ?").append(args.size());
            }
            where.append(')');
        }
        return query(where.toString(), args, limit);
    }

    public List<IncidentView.Event> timeline(long id) {
        return Row.list(Row.query(em,
                "SELECT at, type, actor, message::text AS message FROM incident_event WHERE incident_id = ?1 ORDER BY at, id")
                .setParameter(1, id)).stream().map(r -> new IncidentView.Event(r.instant("at"), r.string("type"),
                        r.string("actor"), Text.fromJson(r.string("message")))).toList();
    }

    /** Counts of active incidents by severity, for the Overview. */
    public Map<String, Long> activeCounts() {
        Map<String, Long> counts = new HashMap<>();
        Row.list(Row.query(em, "SELECT severity, count(*) AS active FROM incident WHERE status <> 'RESOLVED'"
                + " GROUP BY severity")).forEach(r -> counts.put(r.string("severity"), r.longValue("active")));
        return counts;
    }

    // ---- transitions ----

    private void open(long hostId, String hostName, long netns, IncidentNamespace ns, String kind, int port,
            String severity, Evidence evidence) {
        Instant now = clock.instant();
        Text explanation = Explanations.of(port, evidence, ns.model(), hostName);
        // the same namespace only: another boot's namespace with the same inode is another namespace
        @SuppressWarnings("unchecked")
        List<Number> recent = em.createNativeQuery("""
                SELECT id FROM incident WHERE host_id = ?1 AND kind = ?2 AND port = ?3 AND status = 'RESOLVED'
                   AND resolved_at > ?4 AND netns = ?5
                   AND (netns = 0 OR ?6 = '' OR namespace->>'bootId' IS NULL OR namespace->>'bootId' = ?6)
                 ORDER BY resolved_at DESC LIMIT 1
                """).setParameter(1, hostId).setParameter(2, kind).setParameter(3, port)
                .setParameter(4, SqlTimes.utc(now.minus(config.flapWindow()))).setParameter(5, netns)
                .setParameter(6, ns.bootId() == null ? "" : ns.bootId()).getResultList();
        long id;
        String what;
        if (!recent.isEmpty()) {
            // back within the flap window: the same incident, not a new one
            id = recent.get(0).longValue();
            em.createNativeQuery("""
                    UPDATE incident SET status = 'OPEN', resolved_at = NULL, resolved_by = NULL, acknowledged_at = NULL,
                           acknowledged_by = NULL, severity = ?2, evidence = CAST(?3 AS jsonb),
                           updated_at = ?4, clear_streak = 0, namespace = CAST(?5 AS jsonb)
                     WHERE id = ?1
                    """).setParameter(1, id).setParameter(2, severity)
                    .setParameter(3, evidence.toJson()).setParameter(4, SqlTimes.utc(now))
                    .setParameter(5, write(ns.stored())).executeUpdate();
            event(id, "REOPENED", LINGER, Text.of("fact.conditionBack", explanation));
            what = "reopened";
        } else {
            Object newId = em.createNativeQuery("""
                    INSERT INTO incident (host_id, kind, port, severity, status, opened_at, updated_at, evidence,
                                          netns, namespace)
                    VALUES (?1, ?2, ?3, ?4, 'OPEN', ?5, ?5, CAST(?6 AS jsonb), ?7, CAST(?8 AS jsonb)) RETURNING id
                    """).setParameter(1, hostId).setParameter(2, kind).setParameter(3, port).setParameter(4, severity)
                    .setParameter(5, SqlTimes.utc(now)).setParameter(6, evidence.toJson())
                    .setParameter(7, netns).setParameter(8, write(ns.stored())).getSingleResult();
            id = ((Number) newId).longValue();
            event(id, "OPENED", LINGER, explanation);
            what = "opened";
        }
        audit.record(AuditLog.SYSTEM, "incident." + what, "incident", id, auditDetails(hostName, ns, kind, port,
                "severity", severity));
        notifications.enqueue(id, what, severity, hostName, ns, kind, port, explanation);
    }

    /** {@code ns}: the namespace as seen now (a pod's name can be learned later than its inode). */
    private void update(String hostName, Active a, IncidentNamespace ns, String severity, Evidence evidence) {
        Instant now = clock.instant();
        Text explanation = Explanations.of(a.port(), evidence, ns.model(), hostName);
        boolean escalated = "WARNING".equals(a.severity()) && "CRITICAL".equals(severity);
        em.createNativeQuery("""
                UPDATE incident SET severity = CASE WHEN ?2 = 'CRITICAL' THEN 'CRITICAL' ELSE severity END,
                       evidence = CAST(?3 AS jsonb), updated_at = ?4, clear_streak = 0,
                       namespace = CAST(?5 AS jsonb)
                 WHERE id = ?1
                """).setParameter(1, a.id()).setParameter(2, severity)
                .setParameter(3, evidence.toJson()).setParameter(4, SqlTimes.utc(now)).setParameter(5, write(ns.stored()))
                .executeUpdate();
        if (escalated) {
            event(a.id(), "ESCALATED", LINGER, explanation);
            audit.record(AuditLog.SYSTEM, "incident.escalated", "incident", a.id(),
                    auditDetails(hostName, ns, a.kind(), a.port(), null, null));
            notifications.enqueue(a.id(), "escalated", severity, hostName, ns, a.kind(), a.port(), explanation);
        } else if (!explanation.equals(a.explanation())
                && (a.lastEvidenceEvent() == null || a.lastEvidenceEvent().isBefore(now.minusSeconds(600)))) {
            // the timeline notes changed evidence at most every 10 minutes, not at every collection
            event(a.id(), "EVIDENCE", LINGER, explanation);
        }
    }

    private void resolve(String hostName, Active a, String actor, Text why) {
        Instant now = clock.instant();
        em.createNativeQuery("""
                UPDATE incident SET status = 'RESOLVED', resolved_at = ?2, resolved_by = ?3, updated_at = ?2,
                       clear_streak = 0
                 WHERE id = ?1 AND status <> 'RESOLVED'
                """).setParameter(1, a.id()).setParameter(2, SqlTimes.utc(now)).setParameter(3, actor).executeUpdate();
        event(a.id(), "RESOLVED", actor, why);
        audit.record(actor.equals(LINGER) ? AuditLog.SYSTEM : actor, "incident.resolved", "incident", a.id(),
                auditDetails(hostName, a.namespace(), a.kind(), a.port(), "why", Catalogue.render(why, Locale.ENGLISH)));
        notifications.enqueue(a.id(), "resolved", a.severity(), hostName, a.namespace(), a.kind(), a.port(), why);
    }

    /** What the audit records of a transition; the namespace only when it is not the host's own (as before). */
    private static Map<String, Object> auditDetails(String hostName, IncidentNamespace ns, String kind, int port,
            String extraKey, Object extra) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host", hostName);
        m.put("kind", kind);
        m.put("port", port);
        if (ns != null && !ns.host()) {
            m.put("netns", ns.inode());
            m.put("namespace", ns.name());
        }
        if (extraKey != null) {
            m.put(extraKey, extra);
        }
        return m;
    }

    /**
     * Escalation: each open incident (not acknowledged, not resolved) that an escalation channel's route takes,
     * (re)opened at least that channel's minutes ago and not sent to it since, goes to it now, and its timeline says
     * so. The incidents are locked (SKIP LOCKED) so two instances page once. Returns how many were paged.
     */
    @Transactional
    public int pageUnacknowledged() {
        Instant now = clock.instant();
        int paged = 0;
        for (dev.linger.channel.Channel c : notifications.escalations()) {
            List<Row> due = Row.list(Row.query(em, """
                    WITH opened AS (
                        SELECT i.id, array_to_string(h.labels, ',') AS labels,
                               (SELECT max(e.at) FROM incident_event e WHERE e.incident_id = i.id
                                  AND e.type IN ('OPENED', 'REOPENED')) AS since
                          FROM incident i JOIN host h ON h.id = i.host_id
                         WHERE i.status = 'OPEN')
                    SELECT o.id, o.labels FROM opened o JOIN incident i ON i.id = o.id
                     WHERE o.since <= CAST(?1 AS timestamptz) - make_interval(mins => ?2)
                       AND NOT EXISTS (SELECT 1 FROM notification n WHERE n.incident_id = o.id AND n.channel_id = ?3
                                          AND n.event = 'unacknowledged' AND n.created_at >= o.since)
                     ORDER BY o.id LIMIT 200
                       FOR UPDATE OF i SKIP LOCKED
                    """).setParameter(1, SqlTimes.utc(now)).setParameter(2, c.escalateAfterMinutes())
                    .setParameter(3, c.id()));
            for (Row r : due) {
                String labelText = r.string("labels");
                Set<String> labels = labelText == null || labelText.isEmpty() ? Set.of() : Set.of(labelText.split(","));
                IncidentView incident = get(r.longValue("id"));
                if (!c.hears(incident.severity(), incident.kind(), labels)) {
                    continue;
                }
                Text why = Text.of("fact.nobodyAcknowledged", (long) c.escalateAfterMinutes(), c.name(),
                        incident.explanation());
                if (notifications.escalate(c, incident, why)) {
                    event(incident.id(), "PAGED", LINGER, why);
                    paged++;
                }
            }
        }
        return paged;
    }

    @io.quarkus.scheduler.Scheduled(every = "30s", delayed = "20s",
            concurrentExecution = io.quarkus.scheduler.Scheduled.ConcurrentExecution.SKIP)
    void escalationTick() {
        pageUnacknowledged();
    }

    private void event(long incidentId, String type, String actor, Text message) {
        em.createNativeQuery("INSERT INTO incident_event (incident_id, at, type, actor, message)"
                + " VALUES (?1, ?2, ?3, ?4, CAST(?5 AS jsonb))")
                .setParameter(1, incidentId).setParameter(2, SqlTimes.utc(clock.instant())).setParameter(3, type)
                .setParameter(4, actor).setParameter(5, message.toJson()).executeUpdate();
    }

    // ---- reading ----

    private List<Active> active(long hostId) {
        return Row.list(Row.query(em, """
                SELECT i.id, i.kind, i.port, i.severity, i.status, i.clear_streak, i.evidence::text AS evidence,
                       (SELECT max(at) FROM incident_event e WHERE e.incident_id = i.id) AS last_event_at, i.netns,
                       i.namespace::text AS namespace, h.name AS host_name
                  FROM incident i JOIN host h ON h.id = i.host_id
                 WHERE i.host_id = ?1 AND i.status <> 'RESOLVED' ORDER BY i.id FOR UPDATE OF i
                """).setParameter(1, hostId)).stream().map(r -> {
            IncidentNamespace ns = namespace(r.string("namespace"));
            int port = r.intValue("port");
            String kind = r.string("kind");
            // the explanation the incident shows now, to tell whether new evidence says something else
            Text explanation = Explanations.of(port, Evidence.fromJson(kind, r.string("evidence")), ns.model(),
                    r.string("host_name"));
            return new Active(r.longValue("id"), r.longValue("netns"), kind, port, r.string("severity"),
                    r.string("status"), r.intValue("clear_streak"), explanation, r.instant("last_event_at"), ns);
        }).toList();
    }

    /** {@code where} numbers its parameters ?1, ?2… in the order of {@code args}. */
    private List<IncidentView> query(String where, List<Object> args, int limit) {
        var q = Row.query(em, """
                SELECT i.id, i.host_id, h.name AS host_name, i.kind, i.port, i.severity, i.status, i.opened_at,
                       i.updated_at, i.acknowledged_at, i.acknowledged_by, i.resolved_at, i.resolved_by,
                       i.evidence::text AS evidence, h.archived_at IS NOT NULL AS host_archived,
                       i.namespace::text AS namespace
                  FROM incident i JOIN host h ON h.id = i.host_id
                """ + where + " ORDER BY i.opened_at DESC, i.id DESC LIMIT " + Math.max(1, limit));
        for (int i = 0; i < args.size(); i++) {
            q.setParameter(i + 1, args.get(i));
        }
        return Row.list(q).stream().map(r -> new IncidentView(r.longValue("id"), r.longValue("host_id"),
                r.string("host_name"), r.string("kind"), r.intValue("port"), r.string("severity"), r.string("status"),
                r.instant("opened_at"), r.instant("updated_at"), r.instant("acknowledged_at"),
                r.string("acknowledged_by"), r.instant("resolved_at"), r.string("resolved_by"),
                Evidence.fromJson(r.string("kind"), r.string("evidence")), r.bool("host_archived"),
                namespace(r.string("namespace")))).toList();
    }

    /** The stored namespace; the host's own when there is none (incidents from before namespaces). */
    private IncidentNamespace namespace(String stored) {
        return stored == null ? IncidentNamespace.HOST : IncidentNamespace.of(read(stored));
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
