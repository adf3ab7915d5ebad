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
import dev.linger.i18n.Refusals;
import dev.linger.i18n.Text;
import dev.linger.JsonText;
import dev.linger.LingerConfig;
import dev.linger.Row;
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
import dev.linger.login.StepUp;
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
 * Proposing, approving, rejecting, cancelling and rolling back jobs: the checks and refusals people see. The
 * transitions themselves are {@link JobStates}' guarded statements, in the same transaction; reading a host's live
 * values for a plan happens before, with no transaction open.
 */
@ApplicationScoped
public class JobService {

    static final int MAX_REASON = 500;
    static final int MAX_COMMENT = 500;

    private final EntityManager em;
    private final JobStates states;
    private final AuditLog audit;
    private final Clock clock;
    private final JsonText json;
    private final RunbookService runbooks;
    private final IncidentService incidents;
    private final SnapshotStore snapshots;
    private final Transports transports;
    private final LingerConfig config;
    private final StepUp stepUp;

    JobService(EntityManager em, JobStates states, AuditLog audit, Clock clock, JsonText json, RunbookService runbooks,
            IncidentService incidents, SnapshotStore snapshots, Transports transports, LingerConfig config,
            StepUp stepUp) {
        this.stepUp = stepUp;
        this.em = em;
        this.states = states;
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

        private final transient Text text;

        NotApplicable(Text text, List<dev.linger.runbook.Applicability.Verdict> verdicts) {
            this(text, verdicts, false);
        }

        NotApplicable(Text text, List<dev.linger.runbook.Applicability.Verdict> verdicts, boolean overridable) {
            super(JobAudit.english(text));
            this.text = text;
            this.verdicts = verdicts;
            this.overridable = overridable;
        }

        /** Why, as a fact: pages and the API say it in their reader's language ({@link #getMessage()} is English). */
        public Text text() {
            return text;
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
        dev.linger.incident.Evidence.Owner owner = incident.owner(); // issue 15 H2: the typed evidence's owner
        for (Param p : runbook.definition().params()) {
            if (p.from() == Param.Source.INCIDENT_PORT && incident.port() > 0) {
                values.put(p.name(), String.valueOf(incident.port()));
            } else if (p.from() == Param.Source.OWNER_PID && owner != null) {
                values.put(p.name(), String.valueOf(owner.pid()));
            } else if (p.from() == Param.Source.OWNER_PARENT_PID && owner != null && owner.ppid() != null) {
                values.put(p.name(), String.valueOf(owner.ppid()));
            } else if (p.defaultValue() != null) {
                values.put(p.name(), p.defaultValue());
            }
        }
        return values;
    }

    /** Checks the request, reads the host for the plan (no transaction open), then stores the job. */
    public JobView propose(String actor, Proposal p, StepUp.Proof proof) {
        Map<String, Text> problems = new LinkedHashMap<>();
        if (p.runbook() == null || p.runbook().isBlank()) {
            problems.put("runbook", Text.of("refuse.runbookMissing"));
        }
        if (p.hostId() == null) {
            problems.put("hostId", Text.of("refuse.hostMissing"));
        }
        String reason = p.reason() == null ? "" : p.reason().strip();
        if (reason.isEmpty()) {
            problems.put("reason", Text.of("refuse.reasonMissing"));
        } else if (reason.length() > MAX_REASON || reason.chars().anyMatch(c -> c < 0x20 && c != '\n')) {
            problems.put("reason", Text.of("refuse.reasonLong", MAX_REASON));
        } else if (TextRules.hiddenOrBroken(reason)) {
            problems.put("reason", TextRules.HIDDEN_OR_BROKEN);
        }
        String override = p.override() == null || p.override().isBlank() ? null : p.override().strip();
        if (override != null && (override.length() > MAX_REASON || override.chars().anyMatch(c -> c < 0x20 && c != '\n'))) {
            problems.put("override", Text.of("refuse.overrideLong", MAX_REASON));
        }
        if (override != null && TextRules.hiddenOrBroken(override)) {
            problems.put("override", TextRules.HIDDEN_OR_BROKEN);
        }
        if (p.netns() != null && p.netns() < 0) {
            problems.put("netns", Text.of("refuse.netnsForm"));
        }
        if (!problems.isEmpty()) {
            throw InvalidInput.of(problems);
        }
        RunbookVersion runbook = runbooks.find(p.runbook().strip(), null)
                .orElseThrow(() -> InvalidInput.of("runbook", Text.of("refuse.noRunbook",
                        abbreviate(p.runbook()))));
        // read in one short transaction; the entity is only read from afterwards, never written
        Host host = QuarkusTransaction.requiringNew().call(() -> Host.<Host>findById(p.hostId()));
        if (host == null || host.archivedAt != null) { // an archived (removed) host is nobody's to change
            throw InvalidInput.of("hostId", Text.of("refuse.noHost", p.hostId()));
        }
        if ("CHANGED".equals(host.hostKeyStatus)) {
            throw InvalidInput.conflict("hostId", Text.of("refuse.hostKeyChanged", host.name));
        }
        HostTarget target = host.target();
        IncidentView incident = null;
        if (p.incidentId() != null) {
            incident = incidents.get(p.incidentId());
            if (incident.hostId() != p.hostId()) {
                throw InvalidInput.of("incidentId", Text.of("refuse.incidentOtherHost", incident.id()));
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
            Text why = plan.verdicts().stream().filter(v -> Boolean.FALSE.equals(v.holds()))
                    .map(v -> StoredText.of(v.message())).findFirst().orElse(Text.of("run.verbatim", ""));
            throw new NotApplicable(Text.of("run.cannotRunOn", target.name(), why), plan.verdicts());
        }
        // a check that proves the runbook cannot help refuses it too, unless the proposer says why to run it anyway
        List<dev.linger.runbook.Applicability.Verdict> failed = plan.verdicts().stream()
                .filter(v -> Boolean.FALSE.equals(v.holds())).toList();
        if (!failed.isEmpty() && override == null) {
            throw new NotApplicable(Text.of("run.cannotHelpOn", target.name(), StoredText.of(failed.get(0).message())),
                    plan.verdicts(), true);
        }
        if (failed.isEmpty() && override != null) {
            throw InvalidInput.of("override", Text.of("refuse.overrideNothing", target.name()));
        }
        if (override != null) {
            stepUp.require(proof); // running a runbook that a check says cannot help is a risky decision
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
        String latestBoot = QuarkusTransaction.requiringNew().call(() -> Row.first(Row.query(em, """
                SELECT boot_id FROM snapshot WHERE host_id = ?1 ORDER BY taken_at DESC
                """).setParameter(1, target.hostId())).map(r -> r.string("boot_id")).orElse(null));
        if (incident != null) {
            Row row = QuarkusTransaction.requiringNew().call(() -> Row.first(Row.query(em,
                    "SELECT netns, namespace::text AS namespace FROM incident WHERE id = ?1")
                    .setParameter(1, incident.id())).orElseThrow());
            long netns = row.longValue("netns");
            if (p.netns() != null && p.netns() != netns) {
                throw InvalidInput.of("netns", netns == 0
                        ? Text.of("refuse.netnsIncidentOwn", incident.id(), String.valueOf(p.netns()))
                        : Text.of("refuse.netnsIncidentOther", incident.id(), netns, String.valueOf(p.netns())));
            }
            if (netns == NetNamespace.HOST_KEY) {
                return null;
            }
            JsonNode stored = row.isNull("namespace") ? null : json.read(row.string("namespace"), NODE);
            String boot = stored != null && stored.hasNonNull("bootId") ? stored.get("bootId").asText() : latestBoot;
            if (boot == null) {
                throw InvalidInput.conflict("netns", Text.of("refuse.netnsBootUnknown", target.name(), netns,
                        incident.id()));
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
            throw InvalidInput.of("netns", Text.of("refuse.netnsNotSeen", target.name(),
                    String.valueOf(p.netns())));
        }
        if (latestBoot == null) {
            throw InvalidInput.conflict("netns", Text.of("refuse.bootUnknown", target.name()));
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
        for (dev.linger.runbook.RunbookStep rs : runbook.definition().steps()) {
            if (rs.step() instanceof dev.linger.runbook.Step.PersistSysctl) {
                throw new NotApplicable(Text.of("run.cannotRunIn", ns.whereText(),
                        Text.of("job.netnsPersistRefused", ns.whereText())), List.of());
            }
            if (rs.step() instanceof dev.linger.runbook.Step.SetSysctl set && set.key().equals(JobPlanner.ORPHANS)) {
                throw new NotApplicable(Text.of("run.cannotRunIn", ns.whereText(),
                        Text.of("run.orphansHostOnly", JobPlanner.ORPHANS)), List.of());
            }
        }
        dev.linger.transport.CommandResult r;
        try {
            r = transports.forHost(target).run(target, ns.probeScript(), config.jobs().commandTimeout());
        } catch (dev.linger.transport.TransportFailure e) {
            return ns; // unreachable now: the plan says so, and the job checks the namespace again before it runs
        }
        JobNamespace.Probe probe = JobNamespace.parseProbe(r.exitCode(), r.stdout(), r.stderr());
        Text why = switch (probe.state()) {
            case GONE -> Text.of("job.netnsGone", ns.whereText(), ns.inode());
            case REPLACED -> Text.of("job.netnsReplaced", ns.whereText(), ns.inode(), probe.replacedBy());
            case REBOOTED -> Text.of("job.netnsRebooted", ns.whereText(), ns.inode());
            default -> null;
        };
        if (why != null) {
            throw InvalidInput.conflict("netns", why);
        }
        // a rollback keeps its original's pin; a new plan pins the namespace as it is now
        return ns.since() == null && probe.ticks() != null ? ns.since(probe.ticks()) : ns;
    }

    private Map<String, Object> planJson(RunbookVersion runbook, HostTarget target, Bindings bindings,
            JobPlanner.Plan plan) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host", target.name());
        m.put("runbook", runbook.slug());
        m.put("version", runbook.version());
        m.put("params", bindings.params());
        m.put("checks", plan.verdicts().stream().map(v -> Map.of("check", v.check().name(), "holds",
                String.valueOf(v.holds()), "message", StoredText.of(v.message()))).toList());
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
        // a version saved under its floor before floors existed still needs the approvals its steps call for
        Risk risk = effectiveRisk(runbook.definition());
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
        JobStates.NewJob job = new JobStates.NewJob(runbook.id(), target.hostId(), target.name(),
                incident == null ? null : incident.id(), rollbackOf, risk.name(), json.write(params), reason, actor,
                json.write(plan), hash, clock.instant().plus(config.jobs().approvalTimeout()), override,
                ns == null ? NetNamespace.HOST_KEY : ns.inode(), ns == null ? null : ns.bootId(),
                ns == null ? null : json.write(ns.asMap()));
        return states.propose(job, rollbackOf == null ? "job.proposed" : "job.rollback_proposed", details);
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
            boolean overrideDrift, StepUp.Proof proof) {
        String d = decision == null ? "" : decision.strip().toUpperCase(Locale.ROOT);
        if (!d.equals("APPROVE") && !d.equals("REJECT")) {
            throw InvalidInput.of("decision", Text.of("refuse.decisionOne"));
        }
        String note = comment == null ? "" : comment.strip();
        if (note.length() > MAX_COMMENT) {
            throw InvalidInput.of("comment", Text.of("refuse.commentLong", MAX_COMMENT));
        }
        if (TextRules.hiddenOrBroken(note)) {
            throw InvalidInput.of(Map.of("comment", TextRules.HIDDEN_OR_BROKEN));
        }
        JobStates.Locked job = lock(id);
        String requester = job.requestedBy();
        String hash = job.planHash();
        if (!job.status().equals("PENDING_APPROVAL")) {
            throw InvalidInput.conflict("status", Text.of("refuse.jobNoDecisions", id,
                    Refusals.jobStatus(job.status())));
        }
        if (job.expiresAt().isBefore(clock.instant())) {
            throw InvalidInput.conflict("status", Text.of("refuse.jobExpired", id));
        }
        if (requester.equals(actor)) {
            throw new dev.linger.Forbidden(Text.of("refuse.ownApproval"));
        }
        if (overrideDrift && job.rollbackOf() == null) {
            throw InvalidInput.of("overrideDrift", Text.of("refuse.driftOnlyRollback"));
        }
        if (d.equals("APPROVE") && (Risk.valueOf(job.risk()) != Risk.LOW || overrideDrift)) {
            stepUp.require(proof);
        }
        int inserted = em.createNativeQuery("""
                INSERT INTO job_approval (job_id, approver, decision, comment, plan_hash, admin, at, auth_method,
                                          authenticated_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (job_id, approver, plan_hash) DO NOTHING
                """).setParameter(1, id).setParameter(2, actor).setParameter(3, d).setParameter(4, note)
                .setParameter(5, hash).setParameter(6, admin).setParameter(7, SqlTimes.utc(clock.instant()))
                .setParameter(8, proof.method()).setParameter(9, proof.at() == null ? null : SqlTimes.utc(proof.at()))
                .executeUpdate();
        if (inserted == 0) {
            throw InvalidInput.conflict("decision", Text.of("refuse.alreadyDecided", id));
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("decision", d);
        details.put("comment", note);
        details.put("planHash", hash);
        details.putAll(proof.details());
        if (overrideDrift) {
            details.put("overrideDrift", true);
            changed(id, states.allowDriftOverride(id));
        }
        audit.record(actor, d.equals("APPROVE") ? "job.approved" : "job.rejected", "job", id, details);
        if (d.equals("REJECT")) {
            changed(id, states.reject(id, actor, Text.of("run.rejectedBy", actor, note)));
        } else if (approvalsMet(id, hash, Risk.valueOf(job.risk()), job.overrideReason() != null)) {
            changed(id, states.queue(id, actor));
        }
        return get(id);
    }

    /**
     * A remediation policy approves the job it proposed (issue 18 item 5): only a LOW job still waiting for approval
     * on the plan it was proposed with; the approval and the audit name the policy and its version, and the job is
     * queued like any approved job. Returns false (nothing written) when the job is no longer LOW or not waiting.
     */
    @Transactional
    public boolean approveByPolicy(long id, long policyId, String policy, int version) {
        JobStates.Locked job = lock(id);
        if (!job.status().equals("PENDING_APPROVAL") || Risk.valueOf(job.risk()) != Risk.LOW
                || job.overrideReason() != null) {
            return false;
        }
        String actor = "policy " + policy;
        em.createNativeQuery("""
                INSERT INTO job_approval (job_id, approver, decision, comment, plan_hash, admin, at, auth_method)
                VALUES (?1, ?2, 'APPROVE', ?3, ?4, false, ?5, 'policy')
                """).setParameter(1, id).setParameter(2, actor).setParameter(3, actor + " v" + version)
                .setParameter(4, job.planHash()).setParameter(5, SqlTimes.utc(clock.instant())).executeUpdate();
        em.createNativeQuery("UPDATE job SET policy_id = ?2, policy_version = ?3 WHERE id = ?1").setParameter(1, id)
                .setParameter(2, policyId).setParameter(3, version).executeUpdate();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("decision", "APPROVE");
        details.put("policy", policy);
        details.put("policyId", policyId);
        details.put("policyVersion", version);
        details.put("planHash", job.planHash());
        audit.record(actor, "job.approved", "job", id, details);
        changed(id, states.queue(id, actor));
        return true;
    }

    /** A job a dry-run policy proposed for people to decide: it names the policy, and nothing approves it. */
    @Transactional
    public void proposedByPolicy(long id, long policyId, int version) {
        em.createNativeQuery("UPDATE job SET policy_id = ?2, policy_version = ?3 WHERE id = ?1").setParameter(1, id)
                .setParameter(2, policyId).setParameter(3, version).executeUpdate();
    }

    /**
     * LOW: one approver; HIGH: two distinct; CRITICAL: two distinct, one of them an admin; one more when the proposer
     * overrode a failed check. On the current plan only.
     */
    private boolean approvalsMet(long id, String hash, Risk risk, boolean overridden) {
        Row r = Row.first(Row.query(em, """
                SELECT count(DISTINCT approver) AS approvers, bool_or(admin) AS any_admin FROM job_approval
                 WHERE job_id = ?1 AND plan_hash = ?2 AND decision = 'APPROVE'
                """).setParameter(1, id).setParameter(2, hash)).orElseThrow();
        long approvers = r.longValue("approvers");
        boolean anyAdmin = Boolean.TRUE.equals(r.nullableBool("any_admin"));
        return approvers >= needed(risk, overridden) && (risk != Risk.CRITICAL || anyAdmin);
    }

    /** The risk a job of this runbook version runs at (what a remediation policy must keep LOW). */
    public static Risk riskOf(RunbookVersion version) {
        return effectiveRisk(version.definition());
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
     * own, audited with its reason, by an approver who is not the proposer; a guarded update on the job's status, so a
     * worker that claims the job meanwhile, or a second "start now", wins and this one changes nothing.
     */
    @Transactional
    public JobView startNow(String actor, long id, String reason, StepUp.Proof proof) {
        String why = reason == null ? "" : reason.strip();
        if (why.isEmpty() || why.length() > MAX_REASON || why.chars().anyMatch(c -> c < 0x20 && c != '\n')) {
            throw InvalidInput.of("reason", Text.of("refuse.earlyReason", MAX_REASON));
        }
        if (TextRules.hiddenOrBroken(why)) {
            throw InvalidInput.of(Map.of("reason", TextRules.HIDDEN_OR_BROKEN));
        }
        JobView job = get(id);
        if (job.requestedBy().equals(actor)) {
            throw new dev.linger.Forbidden(Text.of("refuse.ownEarlyStart"));
        }
        stepUp.require(proof); // starting before the maintenance window overrides it
        if (!job.waitingForWindow()) {
            throw InvalidInput.conflict("status", Text.of("refuse.notWaitingForWindow", id,
                    Refusals.jobStatus(job.status())));
        }
        changed(id, states.startNow(id, actor, why, Map.of("reason", why, "windowOpensAt",
                String.valueOf(job.startsAt()))));
        return get(id);
    }

    /** Withdraws a job that has not started: its requester, or an admin. */
    @Transactional
    public JobView cancel(String actor, boolean admin, long id) {
        JobStates.Locked job = lock(id);
        String status = job.status();
        if (!admin && !actor.equals(job.requestedBy())) {
            throw new dev.linger.Forbidden(Text.of("refuse.cancelNotYours"));
        }
        if (!status.equals("PENDING_APPROVAL") && !status.equals("QUEUED")) {
            throw InvalidInput.conflict("status", Text.of("refuse.cancelStarted", id, Refusals.jobStatus(status)));
        }
        changed(id, states.cancel(id, JobStatus.valueOf(status), actor, Text.of("run.cancelledBy", actor)));
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
            throw InvalidInput.conflict("step", Text.of("refuse.stepNotWaiting", n, id));
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
            throw InvalidInput.of("reason", Text.of("refuse.rollbackReason", MAX_REASON));
        }
        if (TextRules.hiddenOrBroken(why)) {
            throw InvalidInput.of(Map.of("reason", TextRules.HIDDEN_OR_BROKEN));
        }
        JobView original = get(id);
        if (original.rollbackOf() != null) {
            throw InvalidInput.conflict("status", Text.of("refuse.rollbackOfRollback", id));
        }
        if (!JobStatus.ROLLBACK_FROM.contains(JobStatus.valueOf(original.status()))) {
            throw InvalidInput.conflict("status", Text.of("refuse.rollbackNotRan", id,
                    Refusals.jobStatus(original.status())));
        }
        List<UndoPlan> undos = undos(id);
        if (undos.isEmpty()) {
            throw InvalidInput.conflict("status", Text.of("refuse.nothingToUndo", id));
        }
        if (original.hostId() == null || original.hostArchived()) {
            throw InvalidInput.conflict("hostId", Text.of("refuse.jobHostRemoved", id));
        }
        RunbookVersion runbook = runbooks.get(original.runbook(), original.runbookVersion());
        // the rollback restores where the job changed things: the original's namespace, on its boot
        JobNamespace ns = QuarkusTransaction.requiringNew().call(() -> {
            Row row = Row.first(Row.query(em, "SELECT netns, netns_boot, namespace::text AS namespace FROM job"
                    + " WHERE id = ?1").setParameter(1, id)).orElseThrow();
            return JobNamespace.of(row.longValue("netns"), row.string("netns_boot"),
                    row.isNull("namespace") ? null : json.read(row.string("namespace"), NODE));
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
            s.put("changes", Text.of("run.rollbackChanges", u.persistent(), u.file() == null ? "" : u.file(), u.key(),
                    u.restoreTo(), u.expectedCurrent()));
            s.put("values", Map.of(u.key(), Text.of("run.valueWillBe", u.expectedCurrent(), u.restoreTo())));
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
                throw InvalidInput.conflict("status", Text.of("refuse.rollbackExists", id));
            }
            throw e;
        }
    }

    /** The original job's changes not yet rolled back, one entry per key, the most recently changed key first. */
    List<UndoPlan> undos(long jobId) {
        List<Row> rows = Row.list(Row.query(em, """
                SELECT id, key, before, intended, after, persistent, file, previous_file
                  FROM sysctl_change WHERE job_id = ?1 AND rolled_back_at IS NULL ORDER BY id
                """).setParameter(1, jobId));
        Map<String, UndoPlan> byKey = new LinkedHashMap<>();
        for (Row r : rows) {
            String key = r.string("key");
            String left = r.isNull("after") ? r.string("intended") : r.string("after");
            UndoPlan first = byKey.remove(key);
            List<Long> ids = new ArrayList<>(first == null ? List.of() : first.changeIds());
            ids.add(r.longValue("id"));
            boolean persistent = (first != null && first.persistent()) || r.bool("persistent");
            String file = first != null && first.file() != null ? first.file() : r.string("file");
            String previous = first != null && first.file() != null ? first.previousFile() : r.string("previous_file");
            // re-inserted so the map's order is by each key's latest change
            byKey.put(key, new UndoPlan(key, left, first == null ? r.string("before") : first.restoreTo(), persistent,
                    file, previous, ids));
        }
        List<UndoPlan> out = new ArrayList<>(byKey.values());
        java.util.Collections.reverse(out);
        // a key whose net change is none (set, then restored) needs no undo
        out.removeIf(u -> u.restoreTo().equals(u.expectedCurrent()) && !u.persistent());
        return out;
    }

    // ---- reading ----

    public JobView get(long id) {
        return JobReads.get(em, json, id, clock.instant()).orElseThrow(() -> new dev.linger.NotFound(Text.of("refuse.noJob", id)));
    }

    public List<JobView> list(String status, Long hostId, String runbook, int limit) {
        return JobReads.list(em, json, status, hostId, runbook, null, limit, clock.instant());
    }

    /** Newest first, created in [{@code from}, {@code to}) where given. */
    public List<JobView> list(String status, Long hostId, String runbook, java.time.Instant from,
            java.time.Instant to, int limit) {
        return JobReads.list(em, json, status, hostId, runbook, null, from, to, limit, clock.instant());
    }

    /** Pending jobs this person may decide on: not their own, not decided by them on the current plan. */
    public List<JobView> waitingFor(String user) {
        return JobReads.list(em, json, "PENDING_APPROVAL", null, null, user, 200, clock.instant());
    }

    // ---- helpers ----

    /** Locks the job's row for a decision on it. */
    private JobStates.Locked lock(long id) {
        return states.lock(id).orElseThrow(() -> new dev.linger.NotFound(Text.of("refuse.noJob", id)));
    }

    /** A guarded transition found the job moved by someone else first: nothing was written. */
    private static void changed(long id, boolean moved) {
        if (!moved) {
            throw InvalidInput.conflict("status", Text.of("refuse.jobChanged", id));
        }
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
