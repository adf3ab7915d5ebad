package dev.linger.collect;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import org.jboss.logging.Logger;

import dev.linger.LingerConfig;
import dev.linger.Row;
import dev.linger.host.Host;
import dev.linger.host.MachineIdentity;
import dev.linger.incident.Thresholds;
import dev.linger.transport.CommandResult;
import dev.linger.transport.HostTarget;
import dev.linger.transport.TransportFailure;
import dev.linger.transport.Transports;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Collects one host end to end: read its target (short transaction), run the collector over its
 * transport (no transaction open), parse, then store the snapshot and the host's new state in one
 * short transaction, only while this instance still holds the host's lease. It reports what happened as
 * events ({@link HostCollected}, {@link CollectionFailed}) fired in that transaction; incident detection
 * observes them.
 */
@ApplicationScoped
public class CollectionService {

    private static final Logger LOG = Logger.getLogger(CollectionService.class);

    /** What one collection ended with. */
    public record Outcome(long hostId, boolean ok, Long snapshotId, String error, Duration elapsed) {
    }

    private final Transports transports;
    private final CollectorScript script;
    private final HostSchedule schedule;
    private final SnapshotStore snapshots;
    private final CollectionMetrics metrics;
    private final MachineIdentity machine;
    private final LingerConfig.Collect config;
    private final Clock clock;
    private final dev.linger.audit.AuditLog audit;
    private final Event<HostCollected> collected;
    private final Event<CollectionFailed> collectionFailed;
    private final LingerConfig.Incidents incidentConfig;
    private final jakarta.persistence.EntityManager em;
    /** Names this instance in leases: machine, process, and a random part for restarts. */
    private final String owner;

    CollectionService(Transports transports, CollectorScript script, HostSchedule schedule, SnapshotStore snapshots,
            CollectionMetrics metrics, MachineIdentity machine, LingerConfig config, Clock clock,
            dev.linger.audit.AuditLog audit, Event<HostCollected> collected, Event<CollectionFailed> collectionFailed,
            jakarta.persistence.EntityManager em) {
        this.em = em;
        this.audit = audit;
        this.collected = collected;
        this.collectionFailed = collectionFailed;
        this.incidentConfig = config.incidents();
        this.transports = transports;
        this.script = script;
        this.schedule = schedule;
        this.snapshots = snapshots;
        this.metrics = metrics;
        this.machine = machine;
        this.config = config.collect();
        this.clock = clock;
        this.owner = machine.hostname() + ":" + ManagementFactory.getRuntimeMXBean().getPid() + ":"
                + UUID.randomUUID().toString().substring(0, 8);
    }

    public String owner() {
        return owner;
    }

    /**
     * Collects now on behalf of a person or script, and audits that they asked; empty when another
     * collection of it is running.
     */
    public java.util.Optional<Outcome> collectNow(String actor, long hostId) {
        java.util.Optional<Outcome> outcome = collectNow(hostId);
        QuarkusTransaction.requiringNew().run(() -> audit.record(actor, "host.collect_requested", "host", hostId,
                outcome.map(o -> java.util.Map.<String, Object>of("ok", o.ok(), "error", o.error() == null ? "" : o.error()))
                        .orElse(java.util.Map.of("ok", false, "error", "a collection was already running"))));
        return outcome;
    }

    /** Collects now; empty when another collection of this host is running. */
    public java.util.Optional<Outcome> collectNow(long hostId) {
        if (!schedule.claim(hostId, owner, machine.machineId(), config.lease())) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(collectClaimed(hostId));
    }

    /**
     * What one collection of a host needs, read in a short transaction before the transport runs: where
     * and how to reach it, the processes that owned its sockets last time (the collector names them), and
     * what detection compares the result with.
     */
    record CollectionTarget(HostTarget target, java.util.List<Integer> ownerPids, java.util.List<Integer> servicePorts,
            Thresholds thresholds) {
    }

    /** Collects a host this instance has claimed. Never throws: every failure is recorded on the host. */
    public Outcome collectClaimed(long hostId) {
        long start = System.nanoTime();
        CollectionTarget job = QuarkusTransaction.requiringNew().call(() -> {
            Host h = Host.findById(hostId);
            return h == null ? null : new CollectionTarget(h.target(), snapshots.lastOwnerPids(hostId),
                    h.servicePorts == null ? java.util.List.of() : java.util.List.of(h.servicePorts), thresholds(h));
        });
        if (job == null) {
            return new Outcome(hostId, false, null, "host was removed", Duration.ZERO);
        }
        HostTarget target = job.target();
        Instant takenAt = clock.instant();
        try {
            // Parsed while it arrives: a collection holds one line and what the parse keeps, never the whole text.
            CollectorOutputParser.Streaming parser = CollectorOutputParser.streaming();
            CommandResult result = transports.forHost(target).stream(target, script.text(job.ownerPids()),
                    config.commandTimeout(), parser);
            CollectorOutput out = parser.finish();
            if (!out.complete()) {
                String why = result.exitCode() != 0
                        ? "the collector exited with status " + result.exitCode() + ": " + firstLine(result.stderr())
                        : "the collector output was incomplete";
                return failed(target, TransportFailure.Kind.UNREACHABLE, why, null, start);
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            String warning = out.problems().isEmpty() ? null
                    : out.problems().size() + " line(s) of collector output could not be read, first: "
                            + out.problems().get(0);
            Long id = QuarkusTransaction.requiringNew().call(() -> {
                if (!schedule.succeeded(hostId, owner, warning, out.meta().format() == null ? null
                        : out.meta().canKillSockets())) {
                    return null; // the lease expired and another instance took over: its result counts
                }
                CollectorOutput marked = snapshots.continued(hostId, takenAt, out);
                long snapshotId = snapshots.store(hostId, takenAt, elapsed, marked);
                // synchronous: detection runs in this transaction and its failure fails the store, as before
                collected.fire(new HostCollected(hostId, target.name(), job.servicePorts(), job.thresholds(),
                        view(hostId, takenAt, marked)));
                return snapshotId;
            });
            if (id == null) {
                LOG.warnf("collection of %s finished after its lease expired; result discarded", target.name());
                return new Outcome(hostId, false, null, "lease lost", elapsed);
            }
            metrics.collected(target, out, elapsed);
            return new Outcome(hostId, true, id, null, elapsed);
        } catch (TransportFailure f) {
            return failed(target, f.kind(), f.getMessage(), f.presentedFingerprint(), start);
        } catch (RuntimeException e) {
            LOG.errorf(e, "collection of %s failed unexpectedly", target.name());
            return failed(target, TransportFailure.Kind.UNREACHABLE, "Linger failed while collecting: " + e, null, start);
        }
    }

    /** The stored output as detection reads a snapshot. */
    private static SnapshotView view(long hostId, Instant takenAt, CollectorOutput out) {
        return new SnapshotView(0, hostId, takenAt, 0, out.meta().source(), out.states(),
                out.sockets(), (int) Math.min(Integer.MAX_VALUE, out.notableCount()), out.sysctls(), out.sockstat(),
                out.processes(), out.problems(), true, out.namespaces(), out.groups());
    }

    private Thresholds thresholds(Host h) {
        return new Thresholds(h.closeWaitThreshold != null ? h.closeWaitThreshold : incidentConfig.closeWaitCount(),
                incidentConfig.closeWaitGrowthSnapshots(),
                h.finWait1AgeSeconds != null ? Duration.ofSeconds(h.finWait1AgeSeconds) : incidentConfig.finWait1Age(),
                incidentConfig.orphanWarnPercent(), incidentConfig.orphanCriticalPercent());
    }

    private Outcome failed(HostTarget target, TransportFailure.Kind kind, String error, String presented, long start) {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        QuarkusTransaction.requiringNew().run(() -> {
            boolean grace = kind != TransportFailure.Kind.HOST_KEY_PENDING && kind != TransportFailure.Kind.HOST_KEY_CHANGED
                    && inGracePeriod(target.hostId());
            if (schedule.failed(target.hostId(), owner, kind, error, presented, config.maxBackoff(), grace)
                    && kind != TransportFailure.Kind.HOST_KEY_PENDING && !grace) {
                // synchronous: the host-level incident is written in this transaction, as before
                collectionFailed.fire(new CollectionFailed(target.hostId(), target.name(), kind, error));
            }
        });
        metrics.failed(target, kind, elapsed);
        return new Outcome(target.hostId(), false, null, error, elapsed);
    }

    /**
     * A host that was never collected successfully pages nobody while it is new: a typo in its address
     * or user is the admin's to fix from the host page, not the on-call's. The grace ends when both
     * have passed (whichever is later): {@link #GRACE_ATTEMPTS} attempts, so that one failure of a host
     * with a long interval does not page, and {@link #GRACE_TIME} since it was added, so that the admin
     * who just added it has time to read the error and correct it even on a short interval. A changed
     * host key is never graced: that is a security event. Time comes from the injected clock.
     */
    static final int GRACE_ATTEMPTS = 3;
    static final Duration GRACE_TIME = Duration.ofMinutes(5);

    private boolean inGracePeriod(long hostId) {
        Row host = Row.first(Row.query(em, "SELECT created_at, last_collected_at IS NULL AS never_collected,"
                + " consecutive_failures FROM host WHERE id = ?1").setParameter(1, hostId)).orElse(null);
        if (host == null || !Boolean.TRUE.equals(host.nullableBool("never_collected"))) {
            return false;
        }
        int attempt = host.intValue("consecutive_failures") + 1; // this failure is the host's attempt number
        Instant added = host.instant("created_at");
        return attempt <= GRACE_ATTEMPTS || clock.instant().isBefore(added.plus(GRACE_TIME));
    }

    private static String firstLine(String text) {
        String t = text == null ? "" : text.strip();
        int nl = t.indexOf('\n');
        t = nl < 0 ? t : t.substring(0, nl);
        return t.length() > 300 ? t.substring(0, 300) : t;
    }
}
