package dev.linger.host;


import java.time.Clock;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.NotFoundException;

import dev.linger.InvalidInput;
import dev.linger.Row;
import dev.linger.i18n.Text;
import dev.linger.LingerConfig;
import dev.linger.audit.AuditLog;
import dev.linger.login.StepUp;
import dev.linger.transport.Transports;
import io.quarkus.panache.common.Sort;

/** Adding, changing, removing hosts and trusting their keys: checked first, audited in the same transaction. */
@ApplicationScoped
public class HostService {

    private static final long HOSTS_LOCK = 0x4c494e47484f53L; // "LINGHOS"

    private final AuditLog audit;
    private final EntityManager em;
    private final Clock clock;
    private final LingerConfig config;
    private final MachineIdentity machine;
    private final Transports transports;
    private final dev.linger.incident.IncidentService incidents;
    private final dev.linger.JsonText json;

    private static final com.fasterxml.jackson.core.type.TypeReference<List<dev.linger.collect.CollectorOutput.StateCount>> STATES =
            new com.fasterxml.jackson.core.type.TypeReference<>() {
            };

    private final StepUp stepUp;

    HostService(AuditLog audit, EntityManager em, Clock clock, LingerConfig config, MachineIdentity machine,
            Transports transports, dev.linger.incident.IncidentService incidents, dev.linger.JsonText json,
            StepUp stepUp) {
        this.stepUp = stepUp;
        this.json = json;
        this.incidents = incidents;
        this.audit = audit;
        this.em = em;
        this.clock = clock;
        this.config = config;
        this.machine = machine;
        this.transports = transports;
    }

    /** The hosts Linger watches; archived (removed) hosts are left out. */
    public List<HostView> list() {
        return Host.<Host>list("archivedAt is null", Sort.by("name")).stream().map(HostView::of).toList();
    }

    /**
     * Any host, archived ones too: the pages of old incidents and jobs still link to it. Read in a
     * transaction of its own so that it is fresh after a collection in the same request.
     */
    @Transactional
    public HostView get(long id) {
        Host h = Host.findById(id);
        if (h == null) {
            throw new dev.linger.NotFound(Text.of("refuse.noHost", id));
        }
        return HostView.of(h);
    }

    /** A host that is still watched; 404 for an archived one, which nobody changes or collects any more. */
    @Transactional
    public HostView watched(long id) {
        return HostView.of(require(id));
    }

    @Transactional
    public HostView create(String actor, HostInput input) {
        HostRules.Valid v = HostRules.check(input, config.collect().defaultIntervalSeconds());
        lockHosts();
        refuseDuplicateName(v.name(), null);
        Host h = new Host();
        apply(h, v);
        if (Host.LOCAL.equals(v.transport())) {
            if (Host.count("transport = ?1 and localMachineId = ?2 and archivedAt is null", Host.LOCAL,
                    machine.machineId()) > 0) {
                throw InvalidInput.conflict("transport", Text.of("refuse.localTaken"));
            }
            h.localMachineId = machine.machineId();
        }
        h.nextDueAt = clock.instant();
        h.status = "UNKNOWN";
        h.createdAt = clock.instant();
        h.createdBy = actor;
        h.persistAndFlush();
        audit.record(actor, "host.created", "host", h.id, describe(h));
        return HostView.of(h);
    }

    @Transactional
    public HostView update(String actor, long id, HostInput input) {
        Host h = require(id);
        HostRules.Valid v = HostRules.check(input, config.collect().defaultIntervalSeconds());
        if (!v.transport().equals(h.transport)) {
            throw InvalidInput.of("transport", Text.of("refuse.transportFixed"));
        }
        lockHosts();
        refuseDuplicateName(v.name(), h.id);
        Map<String, Object> before = describe(h);
        boolean endpointChanged = !v.address().equals(h.address) || v.sshPort() != h.sshPort;
        apply(h, v);
        if (endpointChanged && Host.SSH.equals(h.transport)) {
            // another address may be another machine: its key must be confirmed again
            h.hostKeyStatus = null;
            h.hostKeyTrusted = null;
            h.hostKeyPresented = null;
        }
        h.nextDueAt = clock.instant();
        audit.record(actor, "host.updated", "host", h.id, Map.of("before", before, "after", describe(h)));
        transports.forget(h.id);
        return HostView.of(h);
    }

    /**
     * The chart's points: counts over time without LISTEN, ESTAB and TIME-WAIT, which the chart never draws. A
     * node whose hundreds of quiet containers each count a few listeners and connections at every collection
     * costs the page only what is notable: each snapshot keeps those counts apart (V14), older ones are filtered
     * here.
     */
    public List<dev.linger.collect.SnapshotStore.StatesAt> notableSeries(long hostId, java.time.Instant since) {
        return Row.list(Row.query(em, """
                SELECT taken_at, coalesce(chart_states, (SELECT coalesce(jsonb_agg(c), '[]') FROM jsonb_array_elements(states) c
                                   WHERE c->>'state' NOT IN ('LISTEN', 'ESTAB', 'TIME-WAIT')))::text AS states
                  FROM snapshot WHERE host_id = ?1 AND taken_at >= ?2 ORDER BY taken_at
                """).setParameter(1, hostId).setParameter(2, dev.linger.SqlTimes.utc(since))).stream()
                .map(r -> new dev.linger.collect.SnapshotStore.StatesAt(r.instant("taken_at"),
                        r.isNull("states") ? List.<dev.linger.collect.CollectorOutput.StateCount>of() : json.read(r.string("states"), STATES)))
                .toList();
    }

    /** What removing a host would keep, delete and resolve: shown on the confirmation page. */
    public record Removal(HostView host, long incidents, long activeIncidents, long jobs, long liveJobs,
            long snapshots) {

        static Removal from(HostView host, Row counts) {
            return new Removal(host, counts.longValue("incidents"), counts.longValue("active_incidents"),
                    counts.longValue("jobs"), counts.longValue("live_jobs"), counts.longValue("snapshots"));
        }
    }

    public Removal removal(long id) {
        Host h = require(id);
        return Removal.from(HostView.of(h), Row.first(Row.query(em, """
                SELECT (SELECT count(*) FROM incident WHERE host_id = ?1) AS incidents,
                       (SELECT count(*) FROM incident WHERE host_id = ?1 AND status <> 'RESOLVED') AS active_incidents,
                       (SELECT count(*) FROM job WHERE host_id = ?1) AS jobs,
                       (SELECT count(*) FROM job WHERE host_id = ?1 AND status IN ('PENDING_APPROVAL', 'QUEUED', 'RUNNING'))
                           AS live_jobs,
                       (SELECT count(*) FROM snapshot WHERE host_id = ?1) AS snapshots
                """).setParameter(1, id)).orElseThrow());
    }

    /**
     * Removes a host from watch: it is archived, not deleted, so that its incidents, jobs, step logs
     * and sysctl records keep the host (and its name) they happened on. Its snapshots go; its active
     * incidents are resolved, since nobody will collect it again. Refused while a job of it is still
     * pending, queued or running: that job would act on a host nobody watches.
     */
    @Transactional
    public void delete(String actor, long id) {
        Host h = require(id);
        Number live = (Number) em.createNativeQuery("SELECT count(*) FROM job WHERE host_id = ?1"
                + " AND status IN ('PENDING_APPROVAL', 'QUEUED', 'RUNNING')").setParameter(1, id).getSingleResult();
        if (live.longValue() > 0) {
            throw InvalidInput.conflict("host", Text.of("refuse.hostHasLiveJobs", h.name, live.longValue()));
        }
        Map<String, Object> details = new java.util.LinkedHashMap<>(describe(h));
        int snapshotsDeleted = em.createNativeQuery("DELETE FROM snapshot WHERE host_id = ?1").setParameter(1, id)
                .executeUpdate();
        incidents.hostArchived(h.id, h.name, actor);
        h.archivedAt = clock.instant();
        h.archivedBy = actor;
        h.leaseOwner = null;
        h.leaseUntil = null;
        details.put("snapshotsDeleted", snapshotsDeleted);
        details.put("incidentsKept", ((Number) em.createNativeQuery("SELECT count(*) FROM incident WHERE host_id = ?1")
                .setParameter(1, id).getSingleResult()).longValue());
        details.put("jobsKept", ((Number) em.createNativeQuery("SELECT count(*) FROM job WHERE host_id = ?1")
                .setParameter(1, id).getSingleResult()).longValue());
        audit.record(actor, "host.archived", "host", id, details);
        transports.forget(id);
    }

    /**
     * Trusts the key the host presented. The fingerprint the admin read must be the one Linger saw,
     * so that nobody trusts a key they were not shown.
     */
    @Transactional
    public HostView trustKey(String actor, long id, String fingerprint, StepUp.Proof proof) {
        Host h = require(id);
        if (!Host.SSH.equals(h.transport)) {
            throw InvalidInput.of("fingerprint", Text.of("refuse.localNoKey"));
        }
        String given = fingerprint == null ? "" : fingerprint.strip();
        if (!given.matches("SHA256:[A-Za-z0-9+/]{43}")) {
            throw InvalidInput.of("fingerprint", Text.of("refuse.fingerprintForm"));
        }
        if (h.hostKeyPresented == null) {
            throw InvalidInput.conflict("fingerprint", Text.of("refuse.keyNotSeen"));
        }
        if (!given.equals(h.hostKeyPresented)) {
            throw InvalidInput.conflict("fingerprint", Text.of("refuse.keyMismatch", h.hostKeyPresented, given));
        }
        String before = h.hostKeyTrusted;
        if (before != null && !before.equals(given)) {
            stepUp.require(proof); // a changed key is how a man in the middle looks: a risky decision
        }
        h.hostKeyTrusted = given;
        h.hostKeyStatus = "TRUSTED";
        h.nextDueAt = clock.instant();
        h.consecutiveFailures = 0;
        Map<String, Object> details = new java.util.LinkedHashMap<>(proof.details());
        details.put("fingerprint", given);
        if (before != null) {
            details.put("replaces", before);
        }
        audit.record(actor, "host.key_trusted", "host", h.id, details);
        incidents.keyTrusted(h.id, h.name, actor);
        transports.forget(h.id);
        return HostView.of(h);
    }

    /** A host that is still watched: an archived one cannot be changed, collected or removed again. */
    Host require(long id) {
        Host h = Host.findById(id);
        if (h == null || h.archivedAt != null) {
            throw new dev.linger.NotFound(Text.of("refuse.noHost", id));
        }
        return h;
    }

    /** Only hosts still watched hold their name: a new host may take the name of an archived one. */
    private void refuseDuplicateName(String name, Long except) {
        Long clash = em.createQuery("select h.id from Host h where lower(h.name) = lower(?1) and h.archivedAt is null",
                Long.class)
                .setParameter(1, name).getResultStream().filter(found -> !found.equals(except)).findFirst().orElse(null);
        if (clash != null) {
            throw InvalidInput.conflict("name", Text.of("refuse.hostNameTaken", name));
        }
    }

    /** Serialises host creation so that two admins adding the same name get one host and one clear refusal. */
    private void lockHosts() {
        em.createNativeQuery("SELECT CAST(pg_advisory_xact_lock(?1) AS text)").setParameter(1, HOSTS_LOCK)
                .getSingleResult();
    }

    private static void apply(Host h, HostRules.Valid v) {
        h.name = v.name();
        h.address = v.address();
        h.sshPort = v.sshPort();
        h.sshUser = v.sshUser();
        h.transport = v.transport();
        h.sudo = v.sudo();
        h.collectIntervalSeconds = v.collectIntervalSeconds();
        h.servicePorts = v.servicePorts().toArray(new Integer[0]);
        h.closeWaitThreshold = v.closeWaitThreshold();
        h.finWait1AgeSeconds = v.finWait1AgeSeconds();
        h.maintenanceStartMinute = v.maintenanceStartMinute();
        h.maintenanceEndMinute = v.maintenanceEndMinute();
        if (v.labels() != null) {
            h.labels = v.labels().toArray(new String[0]);
        }
    }

    private static Map<String, Object> describe(Host h) {
        Map<String, Object> d = new java.util.LinkedHashMap<>(Map.of("name", h.name, "address", h.address, "sshPort",
                h.sshPort, "sshUser", h.sshUser, "transport", h.transport, "sudo", h.sudo, "collectIntervalSeconds",
                h.collectIntervalSeconds, "servicePorts", java.util.List.of(h.servicePorts)));
        if (h.closeWaitThreshold != null) {
            d.put("closeWaitThreshold", h.closeWaitThreshold);
        }
        if (h.finWait1AgeSeconds != null) {
            d.put("finWait1AgeSeconds", h.finWait1AgeSeconds);
        }
        if (h.labels != null && h.labels.length > 0) {
            d.put("labels", java.util.List.of(h.labels));
        }
        if (h.maintenanceStartMinute != null) {
            d.put("maintenanceWindow", HostRules.window(h.maintenanceStartMinute, h.maintenanceEndMinute));
        }
        return d;
    }
}
