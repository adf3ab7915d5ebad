package dev.linger.job;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.NotFoundException;

import com.fasterxml.jackson.databind.JsonNode;

import dev.linger.InvalidInput;
import dev.linger.JsonText;
import dev.linger.LingerConfig;
import dev.linger.SqlTimes;
import dev.linger.TextRules;
import dev.linger.audit.AuditLog;
import dev.linger.collect.NetNamespace;
import dev.linger.collect.SnapshotStore;
import dev.linger.host.Host;
import dev.linger.incident.IncidentService;
import dev.linger.incident.IncidentView;
import dev.linger.runbook.Bindings;
import dev.linger.runbook.Param;
import dev.linger.runbook.Risk;
import dev.linger.runbook.RiskFloor;
import dev.linger.runbook.RunbookDefinition;
import dev.linger.runbook.RunbookService;
import dev.linger.runbook.RunbookVersion;
import dev.linger.transport.HostTarget;
import dev.linger.transport.Transports;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.ForbiddenException;

/**
 * Proposing, approving, rejecting, cancelling and rolling back jobs. Each transition is one
 * guarded statement on a locked row, audited in the same transaction; reading a host's live
 * values for a plan happens before, with no transaction open.
 */
@ApplicationScoped
public class JobService {

    static final String CHANNEL = "linger_jobs";
    static final int MAX_REASON = 500;
    static final int MAX_COMMENT = 500;

    private final EntityManager em;
    private final AuditLog audit;
    private final Clock clock;
    private final JsonText json;
    private final RunbookService runbooks;
    private final IncidentService incidents;
    private final SnapshotStore snapshots;
    private final Transports transports;
    private final LingerConfig config;

    JobService(EntityManager em, AuditLog audit, Clock clock, JsonText json, RunbookService runbooks,
            IncidentService incidents, SnapshotStore snapshots, Transports transports, LingerConfig config) {
        this.em = em;
        this.audit = audit;
        this.clock = clock;
        this.json = json;
        this.runbooks = runbooks;
        this.incidents = incidents;
        this.snapshots = snapshots;
        this.transports = transports;
        this.config = config;
    }

    /**
     * A request to run a runbook on a host. {@code override}: why to propose it although a check shows it cannot help
     * there (blank: no override).
     */
    public record Proposal(String runbook, Long hostId, Map<String, String> params, String reason, Long incidentId,
            String override, Long netns) {
        public Proposal(String runbook, Long hostId, Map<String, String> params, String reason, Long incidentId) {
            this(runbook, hostId, params, reason, incidentId, null, null);
        }

        public Proposal(String runbook, Long hostId, Map<String, String> params, String reason, Long incidentId,
                String override) {
            this(runbook, hostId, params, reason, incidentId, override, null);
        }
    }

    /** Thrown when the plan shows the runbook cannot help on this host; nothing is stored. */
    public static final class NotApplicable extends RuntimeException {
        private final transient List<dev.linger.runbook.Applicability.Verdict> verdicts;
        private final boolean overridable;

        NotApplicable(String message, List<dev.linger.runbook.Applicability.Verdict> verdicts) {
            this(message, verdicts, false);
        }

        NotApplicable(String message, List<dev.linger.runbook.Applicability.Verdict> verdicts, boolean overridable) {
            super(message);
            this.verdicts = verdicts;
            this.overridable = overridable;
        }

        /** True when the runbook can run but a check shows it cannot help: an override with a reason lets it through. */
        public boolean overridable() {
            return overridable;
        }

        public List<dev.linger.runbook.Applicability.Verdict> verdicts() {
            return verdicts;
        }
    }

    // ---- proposing ----

    /** Values for the runbook's parameters taken from the incident's evidence (port, owner, its parent). */
    public Map<String, String> prefill(RunbookVersion runbook, IncidentView incident) {
        Map<String, String> values = new LinkedHashMap<>();
        JsonNode ev = incident.evidence();
        JsonNode owner = ev == null ? null : ev.has("pid") ? ev : ev.path("owners").path(0);
        for (Param p : runbook.definition().params()) {
            if (p.from() == Param.Source.INCIDENT_PORT && incident.port() > 0) {
                values.put(p.name(), String.valueOf(incident.port()));
            } else if (p.from() == Param.Source.OWNER_PID && owner != null && owner.hasNonNull("pid")) {
                values.put(p.name(), owner.get("pid").asText());
            } else if (p.from() == Param.Source.OWNER_PARENT_PID && owner != null && owner.hasNonNull("ppid")) {
                values.put(p.name(), owner.get("ppid").asText());
            } else if (p.defaultValue() != null) {
                values.put(p.name(), p.defaultValue());
            }
        }
        return values;
    }

    /** Checks the request, reads the host for the plan (no transaction open), then stores the job. */
    public JobView propose(String actor, Proposal p) {
        Map<String, String> problems = new LinkedHashMap<>();
        if (p.runbook() == null || p.runbook().isBlank()) {
            problems.put("runbook", "Choose a runbook.");
        }
        if (p.hostId() == null) {
            problems.put("hostId", "Choose a host.");
        }
        String reason = p.reason() == null ? "" : p.reason().strip();
        if (reason.isEmpty()) {
            problems.put("reason", "Say why: approvers read it.");
        } else if (reason.length() > MAX_REASON || reason.chars().anyMatch(c -> c < 0x20 && c != '\n')) {
            problems.put("reason", "Keep the reason under " + MAX_REASON + " characters, without control characters.");
        } else if (TextRules.hiddenOrBroken(reason)) {
            problems.put("reason", TextRules.HIDDEN_OR_BROKEN);
        }
        String override = p.override() == null || p.override().isBlank() ? null : p.override().strip();
        if (override != null && (override.length() > MAX_REASON || override.chars().anyMatch(c -> c < 0x20 && c != '\n'))) {
            problems.put("override", "Keep the override under " + MAX_REASON + " characters, without control"
                    + " characters.");
        }
        if (override != null && TextRules.hiddenOrBroken(override)) {
            problems.put("override", TextRules.HIDDEN_OR_BROKEN);
        }
        if (p.netns() != null && p.netns() < 0) {
            problems.put("netns", "A network namespace is 0 (the host's own) or the inode of one the host's latest"
                    + " collection lists.");
        }
        if (!problems.isEmpty()) {
            throw InvalidInput.of(problems);
        }
        RunbookVersion runbook = runbooks.find(p.runbook().strip(), null)
                .orElseThrow(() -> InvalidInput.of(Map.of("runbook", "There is no runbook '"
                        + abbreviate(p.runbook()) + "'.")));
        // read in one short transaction; the entity is only read from afterwards, never written
        Host host = QuarkusTransaction.requiringNew().call(() -> Host.<Host>findById(p.hostId()));
        if (host == null || host.archivedAt != null) { // an archived (removed) host is nobody's to change
            throw InvalidInput.of(Map.of("hostId", "There is no host " + p.hostId() + "."));
        }
        if ("CHANGED".equals(host.hostKeyStatus)) {
            throw InvalidInput.conflict("hostId", "The host key of " + host.name + " changed: trust the new key before"
                    + " Linger runs anything there.");
        }
        HostTarget target = host.target();
        IncidentView incident = null;
        if (p.incidentId() != null) {
            incident = incidents.get(p.incidentId());
            if (incident.hostId() != p.hostId()) {
                throw InvalidInput.of(Map.of("incidentId", "Incident " + incident.id() + " is on another host."));
            }
        }
        JobNamespace asked = namespace(p, incident, target);
        Map<String, String> values = new LinkedHashMap<>(incident == null ? Map.of() : prefill(runbook, incident));
        if (p.params() != null) {
            p.params().forEach((k, v) -> {
                if (v != null && !v.isBlank()) {
                    values.put(k, v);
                }
            });
        }
        Bindings bindings = runbook.definition().bind(values);
        Integer port = runbook.definition().portParam().map(pp -> Integer.valueOf(bindings.params().get(pp.name())))
                .orElse(incident == null || incident.port() == 0 ? null : incident.port());
        JobNamespace ns = asked == null ? null : refuseInNamespace(runbook, asked, target);
        JobPlanner.Plan plan = JobPlanner.plan(transports.forHost(target), target, runbook, bindings, port,
                QuarkusTransaction.requiringNew().call(() -> snapshots.latest(target.hostId()).orElse(null)),
                host.canKillSockets, config.jobs().commandTimeout(), ns);
        if (!plan.applicable()) {
            String why = plan.verdicts().stream().filter(v -> Boolean.FALSE.equals(v.holds()))
                    .map(dev.linger.runbook.Applicability.Verdict::message).findFirst().orElse("");
            throw new NotApplicable("This runbook cannot run on " + target.name() + ": " + why, plan.verdicts());
        }
        // a check that proves the runbook cannot help refuses it too, unless the proposer says why to run it anyway
        List<dev.linger.runbook.Applicability.Verdict> failed = plan.verdicts().stream()
                .filter(v -> Boolean.FALSE.equals(v.holds())).toList();
        if (!failed.isEmpty() && override == null) {
            throw new NotApplicable("This runbook cannot help on " + target.name() + ": " + failed.get(0).message()
                    + " To propose it anyway, say why in the override field: the override is shown in red in the plan"
                    + " and needs one more approval.", plan.verdicts(), true);
        }
        if (failed.isEmpty() && override != null) {
            throw InvalidInput.of(Map.of("override", "Every check holds on " + target.name()
                    + ": there is nothing to override. Leave the override empty."));
        }
        IncidentView forIncident = incident;
        Map<String, Object> planJson = planJson(runbook, target, bindings, plan);
        if (override != null) {
            planJson.put("override", Map.of("reason", override, "checks", failed.stream().map(v -> v.check().name())
                    .toList()));
        }
        if (ns != null) {
            planJson.put("namespace", ns.asMap());
        }
        String hash = override == null ? plan.hash() : JobPlanner.hash(target.hostId(), runbook.id(), bindings.params(),
                plan.steps(), override, ns);
        long id = QuarkusTransaction.requiringNew().call(() -> insert(actor, runbook, target, forIncident,
                bindings.params(), reason, planJson, hash, null, override,
                failed.stream().map(v -> v.check().name()).toList(), ns));
        return get(id);
    }

    /**
     * The network namespace the job acts in: the incident's, or the one the request names (checked against the
     * host's latest collection); null for the host's own. Its boot is the incident's, else the latest collection's.
     */
    private JobNamespace namespace(Proposal p, IncidentView incident, HostTarget target) {
        Object[] latest = QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("""
                    SELECT boot_id, 0 FROM snapshot WHERE host_id = ?1 ORDER BY taken_at DESC LIMIT 1
                    """).setParameter(1, target.hostId()).getResultList();
            return rows.isEmpty() ? new Object[] {null, null} : rows.get(0);
        });
        String latestBoot = (String) latest[0];
        if (incident != null) {
            Object[] row = QuarkusTransaction.requiringNew().call(() -> (Object[]) em.createNativeQuery(
                    "SELECT netns, namespace::text FROM incident WHERE id = ?1").setParameter(1, incident.id())
                    .getSingleResult());
            long netns = ((Number) row[0]).longValue();
            if (p.netns() != null && p.netns() != netns) {
                throw InvalidInput.of(Map.of("netns", "Incident " + incident.id() + " is in network namespace "
                        + (netns == 0 ? "0 (the host's own)" : "net:[" + netns + "]") + ", not " + p.netns()
                        + ": leave the namespace out to act where the incident is."));
            }
            if (netns == NetNamespace.HOST_KEY) {
                return null;
            }
            JsonNode stored = row[1] == null ? null : json.read((String) row[1], NODE);
            String boot = stored != null && stored.hasNonNull("bootId") ? stored.get("bootId").asText() : latestBoot;
            if (boot == null) {
                throw InvalidInput.conflict("netns", "Linger cannot tell on which boot of " + target.name()
                        + " the namespace net:[" + netns + "] of incident " + incident.id() + " was seen: collect the"
                        + " host again first.");
            }
            return JobNamespace.of(netns, boot, stored);
        }
        if (p.netns() == null || p.netns() == NetNamespace.HOST_KEY) {
            return null;
        }
        List<NetNamespace> known = QuarkusTransaction.requiringNew().call(() -> snapshots.latest(target.hostId())
                .map(dev.linger.collect.SnapshotView::namespaces).orElse(List.of()));
        NetNamespace found = known.stream().filter(n -> n.key() == p.netns()).findFirst().orElse(null);
        if (found == null) {
            throw InvalidInput.of(Map.of("netns", "The latest collection of " + target.name() + " shows no network"
                    + " namespace net:[" + p.netns() + "]. Collect the host again, or choose one it lists."));
        }
        if (latestBoot == null) {
            throw InvalidInput.conflict("netns", "The latest collection of " + target.name() + " did not report the"
                    + " host's boot id, so a namespace cannot be pinned to it: collect the host again first.");
        }
        return JobNamespace.of(found, latestBoot);
    }

    private static final com.fasterxml.jackson.core.type.TypeReference<JsonNode> NODE = new com.fasterxml.jackson
            .core.type.TypeReference<>() {
    };

    /**
     * What must never be proposed inside a network namespace other than the host's own, and a namespace that is already
     * gone: refused before anything is stored.
     */
    private JobNamespace refuseInNamespace(RunbookVersion runbook, JobNamespace ns, HostTarget target) {
        NamespaceWords words = englishWords();
        for (dev.linger.runbook.RunbookStep rs : runbook.definition().steps()) {
            if (rs.step() instanceof dev.linger.runbook.Step.PersistSysctl) {
                throw new NotApplicable("This runbook cannot run in " + ns.where() + ": "
                        + words.persistRefused(ns.where()) + ".", List.of());
            }
            if (rs.step() instanceof dev.linger.runbook.Step.SetSysctl set && set.key().equals(JobPlanner.ORPHANS)) {
                throw new NotApplicable("This runbook cannot run in " + ns.where() + ": " + JobPlanner.ORPHANS
                        + " exists only in the host's own network namespace, not inside a container's, so the"
                        + " orphan-limit drain cannot run there. Use the targeted ss -K runbook instead.", List.of());
            }
        }
        dev.linger.transport.CommandResult r;
        try {
            r = transports.forHost(target).run(target, ns.probeScript(), config.jobs().commandTimeout());
        } catch (dev.linger.transport.TransportFailure e) {
            return ns; // unreachable now: the plan says so, and the job checks the namespace again before it runs
        }
        JobNamespace.Probe probe = JobNamespace.parseProbe(r.exitCode(), r.stdout(), r.stderr());
        String why = switch (probe.state()) {
            case GONE -> words.gone(ns.where(), ns.inode());
            case REPLACED -> words.replaced(ns.where(), ns.inode(), probe.replacedBy());
            case REBOOTED -> words.rebooted(ns.where(), ns.inode());
            default -> null;
        };
        if (why != null) {
            throw InvalidInput.conflict("netns", why);
        }
        // a rollback keeps its original's pin; a new plan pins the namespace as it is now
        return ns.since() == null && probe.ticks() != null ? ns.since(probe.ticks()) : ns;
    }

    static NamespaceWords englishWords() {
        return NamespaceWords.of(dev.linger.i18n.RequestLanguage.bundle(dev.linger.i18n.JobMessages.class,
                java.util.Locale.ENGLISH));
    }

    private Map<String, Object> planJson(RunbookVersion runbook, HostTarget target, Bindings bindings,
            JobPlanner.Plan plan) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host", target.name());
        m.put("runbook", runbook.slug());
        m.put("version", runbook.version());
        m.put("params", bindings.params());
        m.put("checks", plan.verdicts().stream().map(v -> Map.of("check", v.check().name(), "holds",
                String.valueOf(v.holds()), "message", v.message())).toList());
        m.put("steps", plan.steps());
        // per step number, the process a SIGNAL_PROCESS step may signal: the worker gets it with its claim
        Map<String, Object> processes = new LinkedHashMap<>();
        plan.steps().forEach(s -> {
            if (s.get("process") != null) {
                processes.put(String.valueOf(s.get("n")), s.get("process"));
            }
        });
        if (!processes.isEmpty()) {
            m.put("processes", processes);
        }
        return m;
    }

    private long insert(String actor, RunbookVersion runbook, HostTarget target, IncidentView incident,
            Map<String, String> params, String reason, Map<String, Object> plan, String hash, Long rollbackOf,
            JobNamespace ns) {
        return insert(actor, runbook, target, incident, params, reason, plan, hash, rollbackOf, null, List.of(), ns);
    }

    private long insert(String actor, RunbookVersion runbook, HostTarget target, IncidentView incident,
            Map<String, String> params, String reason, Map<String, Object> plan, String hash, Long rollbackOf,
            String override, List<String> overridden, JobNamespace ns) {
        Instant now = clock.instant();
        // a version saved under its floor before floors existed still needs the approvals its steps call for
        Risk risk = effectiveRisk(runbook.definition());
        Number id = (Number) em.createNativeQuery("""
                INSERT INTO job (runbook_version_id, runbook_id, host_id, host_name, incident_id, rollback_of, risk,
                                 params, reason, requested_by, plan, plan_hash, status, created_at, expires_at,
                                 override_reason, netns, netns_boot, namespace)
                SELECT v.id, v.runbook_id, ?2, ?3, ?4, ?5, ?14, CAST(?6 AS jsonb), ?7, ?8, CAST(?9 AS jsonb), ?10,
                       'PENDING_APPROVAL', ?11, ?12, ?13, ?15, ?16, CAST(?17 AS jsonb)
                  FROM runbook_version v WHERE v.id = ?1
                RETURNING id
                """).setParameter(1, runbook.id()).setParameter(2, target.hostId()).setParameter(3, target.name())
                .setParameter(4, incident == null ? null : incident.id()).setParameter(5, rollbackOf)
                .setParameter(6, json.write(params)).setParameter(7, reason).setParameter(8, actor)
                .setParameter(9, json.write(plan)).setParameter(10, hash).setParameter(11, SqlTimes.utc(now))
                .setParameter(12, SqlTimes.utc(now.plus(config.jobs().approvalTimeout())))
                .setParameter(13, override).setParameter(14, risk.name())
                .setParameter(15, ns == null ? NetNamespace.HOST_KEY : ns.inode())
                .setParameter(16, ns == null ? null : ns.bootId())
                .setParameter(17, ns == null ? null : json.write(ns.asMap())).getSingleResult();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("runbook", runbook.slug());
        details.put("version", runbook.version());
        details.put("host", target.name());
        details.put("params", params);
        details.put("reason", reason);
        details.put("planHash", hash);
        if (ns != null) {
            details.put("netns", ns.inode());
            details.put("netnsBoot", ns.bootId());
        }
        if (incident != null) {
            details.put("incident", incident.id());
        }
        if (rollbackOf != null) {
            details.put("rollbackOf", rollbackOf);
        }
        if (override != null) {
            details.put("override", override);
            details.put("overriddenChecks", overridden);
        }
        audit.record(actor, rollbackOf == null ? "job.proposed" : "job.rollback_proposed", "job", id, details);
        return id.longValue();
    }

    // ---- deciding ----

    /**
     * An approver's decision. Nobody decides on their own job; a rejection ends it; enough distinct
     * approvals on the current plan queue it (and wake a worker at commit). Two approvers at once
     * are serialised by the row lock, so the job is queued exactly once.
     *
     * @param overrideDrift only for a rollback: undo even where a value drifted since the job left it
     */
    @Transactional
    public JobView decide(String actor, boolean admin, long id, String decision, String comment,
            boolean overrideDrift) {
        String d = decision == null ? "" : decision.strip().toUpperCase(Locale.ROOT);
        if (!d.equals("APPROVE") && !d.equals("REJECT")) {
            throw InvalidInput.of(Map.of("decision", "The decision is APPROVE or REJECT."));
        }
        String note = comment == null ? "" : comment.strip();
        if (note.length() > MAX_COMMENT) {
            throw InvalidInput.of(Map.of("comment", "Keep the comment under " + MAX_COMMENT + " characters."));
        }
        if (TextRules.hiddenOrBroken(note)) {
            throw InvalidInput.of(Map.of("comment", TextRules.HIDDEN_OR_BROKEN));
        }
        Object[] row = lock(id);
        String status = (String) row[0];
        String requester = (String) row[1];
        String hash = (String) row[2];
        String risk = (String) row[3];
        Long rollbackOf = row[5] == null ? null : ((Number) row[5]).longValue();
        if (!status.equals("PENDING_APPROVAL")) {
            throw InvalidInput.conflict("status", "Job " + id + " is " + status + ": it takes no more decisions.");
        }
        if (SqlTimes.instant(row[4]).isBefore(clock.instant())) {
            throw InvalidInput.conflict("status", "Job " + id + " has expired.");
        }
        if (requester.equals(actor)) {
            throw new ForbiddenException("Nobody approves or rejects their own job: ask another approver.");
        }
        if (overrideDrift && rollbackOf == null) {
            throw InvalidInput.of(Map.of("overrideDrift", "Only a rollback can override drift."));
        }
        int inserted = em.createNativeQuery("""
                INSERT INTO job_approval (job_id, approver, decision, comment, plan_hash, admin, at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (job_id, approver, plan_hash) DO NOTHING
                """).setParameter(1, id).setParameter(2, actor).setParameter(3, d).setParameter(4, note)
                .setParameter(5, hash).setParameter(6, admin).setParameter(7, SqlTimes.utc(clock.instant()))
                .executeUpdate();
        if (inserted == 0) {
            throw InvalidInput.conflict("decision", "You already decided on this plan of job " + id + ".");
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("decision", d);
        details.put("comment", note);
        details.put("planHash", hash);
        if (overrideDrift) {
            details.put("overrideDrift", true);
            em.createNativeQuery("UPDATE job SET override_drift = true, version = version + 1 WHERE id = ?1")
                    .setParameter(1, id).executeUpdate();
        }
        audit.record(actor, d.equals("APPROVE") ? "job.approved" : "job.rejected", "job", id, details);
        if (d.equals("REJECT")) {
            transition(id, "PENDING_APPROVAL", "REJECTED", "Rejected by " + actor + (note.isEmpty() ? "." : ": " + note),
                    actor);
        } else if (approvalsMet(id, hash, Risk.valueOf(risk), row[6] != null)) {
            transition(id, "PENDING_APPROVAL", "QUEUED", null, actor);
        }
        return get(id);
    }

    /**
     * LOW: one approver; HIGH: two distinct; CRITICAL: two distinct, one of them an admin; one more when the proposer
     * overrode a failed check. On the current plan only.
     */
    private boolean approvalsMet(long id, String hash, Risk risk, boolean overridden) {
        Object[] r = (Object[]) em.createNativeQuery("""
                SELECT count(DISTINCT approver), bool_or(admin) FROM job_approval
                 WHERE job_id = ?1 AND plan_hash = ?2 AND decision = 'APPROVE'
                """).setParameter(1, id).setParameter(2, hash).getSingleResult();
        long approvers = ((Number) r[0]).longValue();
        boolean anyAdmin = Boolean.TRUE.equals(r[1]);
        return approvers >= needed(risk, overridden) && (risk != Risk.CRITICAL || anyAdmin);
    }

    /** The higher of a version's stated risk and the floor its steps set. */
    static Risk effectiveRisk(RunbookDefinition definition) {
        Risk floor = RiskFloor.of(definition).floor();
        return floor.compareTo(definition.risk()) > 0 ? floor : definition.risk();
    }

    static int needed(Risk risk, boolean overridden) {
        return (risk == Risk.LOW ? 1 : 2) + (overridden ? 1 : 0);
    }

    /**
     * An approver starts an approved job that waits for its host's maintenance window now. It is a decision of its
     * own, audited with its reason, by an approver who is not the proposer; a guarded update on the job's status and
     * version, so a worker that claims the job meanwhile, or a second "start now", loses cleanly.
     */
    @Transactional
    public JobView startNow(String actor, long id, String reason) {
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty() || why.length() > MAX_REASON || why.chars().anyMatch(c -> c < 0x20 && c != '\n')) {
            throw InvalidInput.of(Map.of("reason", "Say why the job starts before the maintenance window (at most "
                    + MAX_REASON + " characters, without control characters)."));
        }
        if (TextRules.hiddenOrBroken(why)) {
            throw InvalidInput.of(Map.of("reason", TextRules.HIDDEN_OR_BROKEN));
        }
        // the version the checks below judged: the update is void if the job moved since
        int version = version(id);
        JobView job = get(id);
        if (job.requestedBy().equals(actor)) {
            throw new ForbiddenException("Nobody starts their own job ahead of the maintenance window: ask another"
                    + " approver.");
        }
        if (!job.waitingForWindow()) {
            throw InvalidInput.conflict("status", "Job " + id + " is " + job.status() + " and does not wait for a"
                    + " maintenance window: there is nothing to start now.");
        }
        Instant now = clock.instant();
        int updated = em.createNativeQuery("""
                UPDATE job SET start_now_by = ?2, start_now_reason = ?3, start_now_at = ?4, version = version + 1
                 WHERE id = ?1 AND status = 'QUEUED' AND start_now_by IS NULL AND requested_by <> ?2
                   AND version = ?5
                """).setParameter(1, id).setParameter(2, actor).setParameter(3, why)
                .setParameter(4, SqlTimes.utc(now)).setParameter(5, version).executeUpdate();
        if (updated != 1) {
            throw InvalidInput.conflict("status", "Job " + id + " changed meanwhile; reload it.");
        }
        audit.record(actor, "job.start_now", "job", id, Map.of("reason", why, "windowOpensAt",
                String.valueOf(job.startsAt())));
        // a listening worker claims it at commit
        em.createNativeQuery("SELECT CAST(pg_notify(?1, ?2) AS text)").setParameter(1, CHANNEL)
                .setParameter(2, String.valueOf(id)).getSingleResult();
        return get(id);
    }

    private int version(long id) {
        @SuppressWarnings("unchecked")
        List<Number> v = em.createNativeQuery("SELECT version FROM job WHERE id = ?1").setParameter(1, id)
                .getResultList();
        if (v.isEmpty()) {
            throw new NotFoundException("There is no job " + id + ".");
        }
        return v.get(0).intValue();
    }

    /** Withdraws a job that has not started: its requester, or an admin. */
    @Transactional
    public JobView cancel(String actor, boolean admin, long id) {
        Object[] row = lock(id);
        String status = (String) row[0];
        if (!admin && !actor.equals(row[1])) {
            throw new ForbiddenException("Only the person who proposed this job, or an admin, can cancel it.");
        }
        if (!status.equals("PENDING_APPROVAL") && !status.equals("QUEUED")) {
            throw InvalidInput.conflict("status", "Job " + id + " is " + status + ": only a job that has not started can"
                    + " be cancelled.");
        }
        transition(id, status, "CANCELLED", "Cancelled by " + actor + ".", actor);
        return get(id);
    }

    /** A person confirms the manual NOTE step a running job waits on. */
    @Transactional
    public JobView confirmNote(String actor, long id, int n) {
        int updated = em.createNativeQuery("""
                UPDATE job_step s SET confirmed_by = ?3 FROM job j
                 WHERE s.job_id = ?1 AND s.n = ?2 AND s.type = 'NOTE' AND s.status = 'RUNNING'
                   AND s.confirmed_by IS NULL AND j.id = s.job_id AND j.status = 'RUNNING'
                """).setParameter(1, id).setParameter(2, n).setParameter(3, actor).executeUpdate();
        if (updated == 0) {
            get(id); // a job that does not exist is a 404, not a step in the wrong state
            throw InvalidInput.conflict("step", "Step " + n + " of job " + id + " is not waiting for a confirmation.");
        }
        audit.record(actor, "job.note_confirmed", "job", id, Map.of("step", n));
        return get(id);
    }

    // ---- rollback ----

    /** One key to put back: the net of the job's changes to it. */
    record UndoPlan(String key, String expectedCurrent, String restoreTo, boolean persistent, String file,
            String previousFile, List<Long> changeIds) {
    }

    /**
     * A rollback is a new job with its own approval that undoes the original's recorded changes,
     * newest first, once per key. A rollback cannot itself be rolled back.
     */
    public JobView proposeRollback(String actor, long id, String reason) {
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty() || why.length() > MAX_REASON) {
            throw InvalidInput.of(Map.of("reason", "Say why the job is rolled back (at most " + MAX_REASON
                    + " characters)."));
        }
        if (TextRules.hiddenOrBroken(why)) {
            throw InvalidInput.of(Map.of("reason", TextRules.HIDDEN_OR_BROKEN));
        }
        JobView original = get(id);
        if (original.rollbackOf() != null) {
            throw InvalidInput.conflict("status", "Job " + id + " is itself a rollback; rolling it back is refused."
                    + " Propose the runbook again instead.");
        }
        if (!JobStatus.ROLLBACK_FROM.contains(JobStatus.valueOf(original.status()))) {
            throw InvalidInput.conflict("status", "Job " + id + " is " + original.status() + ": only a job that ran"
                    + " (succeeded, failed or interrupted) can be rolled back.");
        }
        List<UndoPlan> undos = undos(id);
        if (undos.isEmpty()) {
            throw InvalidInput.conflict("status", "Job " + id + " changed no sysctl that is not already rolled back:"
                    + " there is nothing to undo.");
        }
        if (original.hostId() == null || original.hostArchived()) {
            throw InvalidInput.conflict("hostId", "The host of job " + id + " was removed.");
        }
        RunbookVersion runbook = runbooks.get(original.runbook(), original.runbookVersion());
        // the rollback restores where the job changed things: the original's namespace, on its boot
        JobNamespace ns = QuarkusTransaction.requiringNew().call(() -> {
            Object[] row = (Object[]) em.createNativeQuery("SELECT netns, netns_boot, namespace::text FROM job"
                    + " WHERE id = ?1").setParameter(1, id).getSingleResult();
            return JobNamespace.of(((Number) row[0]).longValue(), (String) row[1],
                    row[2] == null ? null : json.read((String) row[2], NODE));
        });
        HostTarget target = QuarkusTransaction.requiringNew().call(() -> Host.<Host>findById(original.hostId())
                .target());
        List<Map<String, Object>> steps = new ArrayList<>();
        int n = 1;
        for (UndoPlan u : undos) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("n", n++);
            s.put("type", "RESTORE_SYSCTL");
            s.put("command", "sysctl -w " + dev.linger.transport.Shell.word(u.key() + "=" + u.restoreTo()));
            s.put("changes", (u.persistent() ? "Puts /etc/sysctl.d/" + u.file() + " back as it was and sets " : "Sets ")
                    + u.key() + " back to " + u.restoreTo() + ", if it is still " + u.expectedCurrent()
                    + " as the job left it.");
            s.put("values", Map.of(u.key(), u.expectedCurrent() + " → " + u.restoreTo()));
            steps.add(s);
        }
        Map<String, Object> plan = new LinkedHashMap<>();
        plan.put("host", target.name());
        plan.put("rollbackOf", id);
        plan.put("steps", steps);
        if (ns != null) {
            plan.put("namespace", ns.asMap());
        }
        String hash = JobPlanner.hash(target.hostId(), runbook.id(), Map.of("rollbackOf", String.valueOf(id)), steps,
                null, ns);
        try {
            long rid = QuarkusTransaction.requiringNew().call(() -> insert(actor, runbook, target, null,
                    Map.of(), why, plan, hash, id, ns));
            return get(rid);
        } catch (RuntimeException e) {
            if (isUniqueViolation(e)) {
                throw InvalidInput.conflict("status", "Job " + id + " already has a rollback that is pending, running"
                        + " or done.");
            }
            throw e;
        }
    }

    /** The original job's changes not yet rolled back, one entry per key, the most recently changed key first. */
    List<UndoPlan> undos(long jobId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                SELECT id, key, before, intended, after, persistent, file, previous_file
                  FROM sysctl_change WHERE job_id = ?1 AND rolled_back_at IS NULL ORDER BY id
                """).setParameter(1, jobId).getResultList();
        Map<String, UndoPlan> byKey = new LinkedHashMap<>();
        for (Object[] r : rows) {
            String key = (String) r[1];
            String left = r[4] != null ? (String) r[4] : (String) r[3];
            UndoPlan first = byKey.remove(key);
            List<Long> ids = new ArrayList<>(first == null ? List.of() : first.changeIds());
            ids.add(((Number) r[0]).longValue());
            boolean persistent = first != null ? first.persistent() || (Boolean) r[5] : (Boolean) r[5];
            String file = first != null && first.file() != null ? first.file() : (String) r[6];
            String previous = first != null && first.file() != null ? first.previousFile() : (String) r[7];
            // re-inserted so the map's order is by each key's latest change
            byKey.put(key, new UndoPlan(key, left, first == null ? (String) r[2] : first.restoreTo(), persistent, file,
                    previous, ids));
        }
        List<UndoPlan> out = new ArrayList<>(byKey.values());
        java.util.Collections.reverse(out);
        // a key whose net change is none (set, then restored) needs no undo
        out.removeIf(u -> u.restoreTo().equals(u.expectedCurrent()) && !u.persistent());
        return out;
    }

    // ---- background transitions ----

    /** Pending jobs past their time expire. */
    @Transactional
    public int expire() {
        @SuppressWarnings("unchecked")
        List<Number> ids = em.createNativeQuery("""
                UPDATE job SET status = 'EXPIRED', finished_at = ?1, outcome = 'Nobody approved it in time.',
                       version = version + 1
                 WHERE status = 'PENDING_APPROVAL' AND expires_at < ?1 RETURNING id
                """).setParameter(1, SqlTimes.utc(clock.instant())).getResultList();
        ids.forEach(i -> audit.record(AuditLog.SYSTEM, "job.expired", "job", i.longValue(), Map.of()));
        return ids.size();
    }

    /** Running jobs whose worker stopped renewing its lease are INTERRUPTED; people decide what comes next. */
    @Transactional
    public int sweepLost() {
        @SuppressWarnings("unchecked")
        // The step that was running ends with its job: the lost worker will never record its end.
        List<Object[]> rows = em.createNativeQuery("""
                WITH lost AS (
                    UPDATE job SET status = 'INTERRUPTED', finished_at = ?1, lease_owner = NULL, lease_until = NULL,
                           outcome = 'Linger lost this job while it ran (its worker stopped renewing its lease at '
                                     || to_char(lease_until AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS')
                                     || ' UTC). It is not run again by itself: check the recorded changes and roll'
                                     || ' back or propose it again.',
                           version = version + 1
                     WHERE status = 'RUNNING' AND lease_until < ?1 RETURNING id),
                steps AS (
                    UPDATE job_step s SET status = 'INTERRUPTED', finished_at = ?1,
                           message = 'Linger lost the worker running this step; whether its command finished is'
                                     || ' not known.'
                      FROM lost WHERE s.job_id = lost.id AND s.status = 'RUNNING')
                SELECT id, 0 FROM lost
                """).setParameter(1, SqlTimes.utc(clock.instant())).getResultList();
        rows.forEach(r -> audit.record(AuditLog.SYSTEM, "job.interrupted", "job", ((Number) r[0]).longValue(),
                Map.of()));
        return rows.size();
    }

    // ---- reading ----

    /** What a worker needs to run a claimed job; the claim returns it. */
    record Runnable(long id, Long hostId, Long incidentId, Long rollbackOf, long runbookVersionId,
            Map<String, String> params, boolean overrideDrift, HostTarget target,
            Map<Integer, ProcessIdentity> processes, JobNamespace netns) {
    }

    public JobView get(long id) {
        return JobReads.get(em, json, id, clock.instant()).orElseThrow(() -> new NotFoundException("There is no job " + id + "."));
    }

    public List<JobView> list(String status, Long hostId, String runbook, int limit) {
        return JobReads.list(em, json, status, hostId, runbook, null, limit, clock.instant());
    }

    /** Pending jobs this person may decide on: not their own, not decided by them on the current plan. */
    public List<JobView> waitingFor(String user) {
        return JobReads.list(em, json, "PENDING_APPROVAL", null, null, user, 200, clock.instant());
    }

    // ---- helpers ----

    /** Locks the job row: status, requested_by, plan_hash, risk, expires_at, rollback_of, override_reason. */
    private Object[] lock(long id) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                SELECT status, requested_by, plan_hash, risk, expires_at, rollback_of, override_reason FROM job WHERE id = ?1
                   FOR UPDATE
                """).setParameter(1, id).getResultList();
        if (rows.isEmpty()) {
            throw new NotFoundException("There is no job " + id + ".");
        }
        return rows.get(0);
    }

    /** A guarded transition: zero rows means someone else moved the job first. */
    private void transition(long id, String from, String to, String outcome, String actor) {
        boolean terminal = JobStatus.valueOf(to).terminal();
        int n = em.createNativeQuery("UPDATE job SET status = ?3, outcome = COALESCE(?4, outcome),"
                + " queued_at = CASE WHEN ?3 = 'QUEUED' THEN ?5 ELSE queued_at END,"
                + " finished_at = CASE WHEN ?6 THEN ?5 ELSE finished_at END, version = version + 1"
                + " WHERE id = ?1 AND status = ?2")
                .setParameter(1, id).setParameter(2, from).setParameter(3, to).setParameter(4, outcome)
                .setParameter(5, SqlTimes.utc(clock.instant())).setParameter(6, terminal).executeUpdate();
        if (n != 1) {
            throw InvalidInput.conflict("status", "Job " + id + " changed meanwhile; reload it.");
        }
        if (to.equals("QUEUED")) {
            // delivered when this transaction commits: a listening worker starts at once
            em.createNativeQuery("SELECT CAST(pg_notify(?1, ?2) AS text)").setParameter(1, CHANNEL)
                    .setParameter(2, String.valueOf(id)).getSingleResult();
        }
        audit.record(actor, "job." + to.toLowerCase(Locale.ROOT), "job", id, outcome == null ? Map.of()
                : Map.of("outcome", outcome));
    }

    static boolean isUniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException s && "23505".equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static String abbreviate(String s) {
        String t = s == null ? "" : s.replaceAll("\\p{Cntrl}", "?");
        return t.length() > 60 ? t.substring(0, 60) + "…" : t;
    }
}
