package dev.linger.policy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import dev.linger.InvalidInput;
import dev.linger.LingerConfig;
import dev.linger.Row;
import dev.linger.SqlTimes;
import dev.linger.audit.AuditLog;
import dev.linger.host.HostRules;
import dev.linger.i18n.Text;
import dev.linger.incident.IncidentNamespace;
import dev.linger.incident.IncidentService;
import dev.linger.incident.Notifications;
import dev.linger.job.JobService;
import dev.linger.job.JobView;
import dev.linger.silence.Silences;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Runs remediation policies (issue 18 item 5). Each pass, per policy that is on and whose lease this instance takes:
 * first its breaker (failed runs, or runs whose incident came back within the flap window, since it was armed: at
 * its limit the policy turns itself off and pages people); then, inside its window, each active incident of its
 * kind on its hosts that no job is working on, not silenced, within its per-host and fleet limits per hour, gets a job
 * of its runbook: approved by the policy (a normal job: plan, records, rollback), or in dry-run only proposed (once
 * per incident and version). The proposal reads the host over SSH: no transaction is open then.
 */
@ApplicationScoped
public class PolicyRunner {

    private static final Logger LOG = Logger.getLogger(PolicyRunner.class);
    private static final Duration LEASE = Duration.ofMinutes(5);

    /** What one pass did, for tests and the log. */
    public record Pass(int started, int proposed, int skipped, List<Long> tripped) {
    }

    private record Candidate(long incidentId, long hostId, String kind, int port, IncidentNamespace namespace) {
    }

    private final Policies policies;
    private final JobService jobs;
    private final Silences silences;
    private final Notifications notifications;
    private final AuditLog audit;
    private final EntityManager em;
    private final Clock clock;
    private final Duration flapWindow;
    private final IncidentService incidents;

    PolicyRunner(Policies policies, JobService jobs, Silences silences, Notifications notifications, AuditLog audit,
            EntityManager em, Clock clock, LingerConfig config, IncidentService incidents) {
        this.incidents = incidents;
        this.policies = policies;
        this.jobs = jobs;
        this.silences = silences;
        this.notifications = notifications;
        this.audit = audit;
        this.em = em;
        this.clock = clock;
        this.flapWindow = config.incidents().flapWindow();
    }

    @Scheduled(every = "30s", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        runOnce();
    }

    public Pass runOnce() {
        int started = 0;
        int proposed = 0;
        int skipped = 0;
        List<Long> tripped = new ArrayList<>();
        for (Policy p : policies.list()) {
            if (!p.enabled() || !policies.lease(p.id(), LEASE)) {
                continue;
            }
            try {
                if (QuarkusTransaction.requiringNew().call(() -> breaker(p))) {
                    tripped.add(p.id());
                    continue;
                }
                if (!inWindow(p, clock.instant())) {
                    continue;
                }
                for (Candidate c : QuarkusTransaction.requiringNew().call(() -> candidates(p))) {
                    String why = QuarkusTransaction.requiringNew().call(() -> holdBack(p, c));
                    if (why != null) {
                        LOG.debugf("policy %s, incident %d: %s", p.name(), c.incidentId(), why);
                        skipped++;
                        continue;
                    }
                    if (run(p, c)) {
                        if (p.dryRun()) {
                            proposed++;
                        } else {
                            started++;
                        }
                    } else {
                        skipped++;
                    }
                }
            } catch (RuntimeException e) {
                LOG.warnf(e, "remediation policy %s: the pass failed; the next one tries again", p.name());
            } finally {
                policies.release(p.id());
            }
        }
        return new Pass(started, proposed, skipped, tripped);
    }

    /** Proposes the job and (unless dry-run) approves it as the policy; false when the proposal was refused. */
    private boolean run(Policy p, Candidate c) {
        String actor = "policy " + p.name();
        JobView job;
        try {
            job = jobs.propose(actor, new JobService.Proposal(p.runbook(), c.hostId(), Map.of(),
                    "remediation policy " + p.name() + " v" + p.version() + " for incident #" + c.incidentId(),
                    c.incidentId()), null);
        } catch (JobService.NotApplicable | InvalidInput e) {
            LOG.infof("policy %s, incident %d: not proposed: %s", p.name(), c.incidentId(), e.getMessage());
            return false;
        }
        if (p.dryRun()) {
            jobs.proposedByPolicy(job.id(), p.id(), p.version());
            return true;
        }
        if (!jobs.approveByPolicy(job.id(), p.id(), p.name(), p.version())) {
            // no longer LOW (the runbook changed): it waits for people like any proposal
            jobs.proposedByPolicy(job.id(), p.id(), p.version());
        }
        return true;
    }

    /** True when the breaker tripped now (the policy is off, people are paged). */
    private boolean breaker(Policy p) {
        List<Row> runs = Row.list(Row.query(em, """
                SELECT j.id, j.status,
                       EXISTS (SELECT 1 FROM job_step s WHERE s.job_id = j.id AND s.type = 'VERIFY'
                                AND s.status = 'FAILED') AS verify_failed,
                       EXISTS (SELECT 1 FROM incident_event e WHERE e.incident_id = j.incident_id
                                AND e.type = 'REOPENED' AND e.at > j.finished_at
                                AND e.at <= j.finished_at + make_interval(secs => ?3)) AS came_back
                  FROM job j
                 WHERE j.policy_id = ?1 AND j.created_at >= ?2 AND j.status IN ('SUCCEEDED', 'FAILED')
                 ORDER BY j.id
                """).setParameter(1, p.id()).setParameter(2, SqlTimes.utc(p.armedAt()))
                .setParameter(3, (double) flapWindow.toSeconds()));
        List<Long> failed = runs.stream().filter(r -> "FAILED".equals(r.string("status")) || r.bool("came_back"))
                .map(r -> r.longValue("id")).toList();
        if (failed.size() < p.breakerAfter()) {
            return false;
        }
        Map<String, Object> reason = new LinkedHashMap<>();
        reason.put("failedRuns", failed.size());
        reason.put("breakerAfter", p.breakerAfter());
        reason.put("jobs", failed);
        reason.put("verifyFailed", runs.stream().filter(r -> r.bool("verify_failed")).map(r -> r.longValue("id"))
                .toList());
        reason.put("cameBack", runs.stream().filter(r -> r.bool("came_back")).map(r -> r.longValue("id")).toList());
        if (!policies.trip(p.id(), reason)) {
            return false;
        }
        Map<String, Object> details = new LinkedHashMap<>(reason);
        details.put("name", p.name());
        details.put("version", p.version());
        audit.record(AuditLog.SYSTEM, "policy.tripped", "policy", p.id(), details);
        notifications.page("breaker", Text.of("fact.policyTripped", p.name(), (long) failed.size(),
                (long) p.breakerAfter()), Map.of("policy", Map.of("id", p.id(), "name", p.name(), "version",
                        p.version(), "jobs", failed)));
        LOG.warnf("remediation policy %s: breaker tripped after %d failed runs %s; it is off", p.name(), failed.size(),
                failed);
        return true;
    }

    private List<Candidate> candidates(Policy p) {
        return Row.list(Row.query(em, """
                SELECT i.id, i.host_id, i.kind, i.port
                  FROM incident i JOIN host h ON h.id = i.host_id
                 WHERE i.status <> 'RESOLVED' AND i.kind = ?1 AND h.archived_at IS NULL
                   AND (CAST(?2 AS text) IS NULL OR CAST(?2 AS text) = ANY (h.labels))
                   AND NOT EXISTS (SELECT 1 FROM job j WHERE j.incident_id = i.id
                                    AND (j.status IN ('PENDING_APPROVAL', 'QUEUED', 'RUNNING')
                                         OR (?3 AND j.policy_id = ?4 AND j.policy_version = ?5)))
                 ORDER BY i.opened_at, i.id LIMIT 50
                """).setParameter(1, p.kind()).setParameter(2, p.hostLabel()).setParameter(3, p.dryRun())
                .setParameter(4, p.id()).setParameter(5, p.version())).stream().map(r -> new Candidate(r.longValue("id"), r.longValue("host_id"),
                        r.string("kind"), r.intValue("port"), incidents.get(r.longValue("id")).namespace())).toList();
    }

    /** Why not now (a silence, a limit), or null to go ahead. */
    private String holdBack(Policy p, Candidate c) {
        if (silences.silencing(c.hostId(), c.namespace(), c.kind(), c.port()).isPresent()) {
            return "silenced";
        }
        Instant hourAgo = clock.instant().minus(Duration.ofHours(1));
        long onHost = count("SELECT count(*) AS n FROM job WHERE policy_id = ?1 AND host_id = ?2 AND created_at > ?3",
                p.id(), c.hostId(), hourAgo);
        if (onHost >= p.maxPerHostPerHour()) {
            return "at its limit on this host";
        }
        long inAll = count("SELECT count(*) AS n FROM job WHERE policy_id = ?1 AND created_at > ?3 AND ?2 = ?2",
                p.id(), c.hostId(), hourAgo);
        return inAll >= p.maxPerHour() ? "at its limit across the fleet" : null;
    }

    private long count(String sql, long policy, long host, Instant since) {
        return Row.first(Row.query(em, sql).setParameter(1, policy).setParameter(2, host)
                .setParameter(3, SqlTimes.utc(since))).map(r -> r.longValue("n")).orElse(0L);
    }

    /** Inside the policy's window (UTC, both ends included, possibly over midnight), or it has none. */
    static boolean inWindow(Policy p, Instant now) {
        if (p.window() == null) {
            return true;
        }
        HostRules.MinuteWindow w = HostRules.window(p.window());
        int minute = now.atZone(ZoneOffset.UTC).getHour() * 60 + now.atZone(ZoneOffset.UTC).getMinute();
        return w.startMinute() <= w.endMinute() ? minute >= w.startMinute() && minute <= w.endMinute()
                : minute >= w.startMinute() || minute <= w.endMinute();
    }
}
