package dev.linger.collect;

import java.time.Clock;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import dev.linger.LingerConfig;
import io.quarkus.scheduler.Scheduled;

/** Applies snapshot retention. Idempotent, so every instance may run it. */
@ApplicationScoped
public class PruneSnapshots {

    private final SnapshotStore snapshots;
    private final LingerConfig.Snapshots config;
    private final Clock clock;

    PruneSnapshots(SnapshotStore snapshots, LingerConfig config, Clock clock) {
        this.snapshots = snapshots;
        this.config = config.snapshots();
        this.clock = clock;
    }

    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void prune() {
        Instant now = clock.instant();
        snapshots.prune(now.minus(config.detailWindow()), config.downsampleTo(), now.minus(config.keep()));
    }
}
