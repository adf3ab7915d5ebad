package dev.linger.incident;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.linger.collect.CollectionFailed;
import dev.linger.collect.HostCollected;
import dev.linger.collect.SnapshotStore;
import dev.linger.transport.TransportFailure;

/**
 * Incident detection listening to collection: each stored snapshot is evaluated against the host's recent
 * history and reconciled with its incidents; each failure that counts opens or updates the host's one
 * host-level incident. Observers are synchronous, so they run in the collection's transaction.
 */
@ApplicationScoped
public class CollectionFindings {

    private final IncidentService incidents;
    private final SnapshotStore snapshots;

    CollectionFindings(IncidentService incidents, SnapshotStore snapshots) {
        this.incidents = incidents;
        this.snapshots = snapshots;
    }

    /** Findings of this snapshot against the host's recent history, reconciled with its incidents. */
    void onCollected(@Observes HostCollected e) {
        Thresholds thresholds = e.thresholds();
        Duration window = Duration.ofMinutes(10).compareTo(thresholds.finWait1Age().multipliedBy(5)) > 0
                ? Duration.ofMinutes(10) : thresholds.finWait1Age().multipliedBy(5);
        java.time.Instant takenAt = e.snapshot().takenAt();
        List<SnapshotStore.StatesAt> history = snapshots.series(e.hostId(), takenAt.minus(window)).stream()
                .filter(p -> p.takenAt().isBefore(takenAt)).toList();
        incidents.reconcile(e.hostId(), e.hostName(),
                Detector.evaluate(e.servicePorts(), thresholds, e.snapshot(), history));
    }

    /** One host-level incident; the socket incidents keep their last evidence. */
    void onFailed(@Observes CollectionFailed e) {
        incidents.hostFailed(e.hostId(), e.hostName(), e.kind() == TransportFailure.Kind.HOST_KEY_CHANGED
                ? IncidentKind.HOST_KEY_CHANGED : IncidentKind.HOST_UNREACHABLE, e.error());
    }
}
