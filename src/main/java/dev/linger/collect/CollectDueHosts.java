package dev.linger.collect;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.linger.LingerConfig;
import dev.linger.host.MachineIdentity;
import io.quarkus.scheduler.Scheduled;

/**
 * The collection loop: every second, claim as many due hosts as there are free workers and
 * collect them in parallel. Any number of instances may run it against one database.
 */
@ApplicationScoped
public class CollectDueHosts {

    private static final Logger LOG = Logger.getLogger(CollectDueHosts.class);

    private final HostSchedule schedule;
    private final CollectionService collections;
    private final CollectionMetrics metrics;
    private final MachineIdentity machine;
    private final LingerConfig.Collect config;
    private final ExecutorService workers;
    private final AtomicInteger running = new AtomicInteger();

    CollectDueHosts(HostSchedule schedule, CollectionService collections, CollectionMetrics metrics,
            MachineIdentity machine, LingerConfig config) {
        this.schedule = schedule;
        this.collections = collections;
        this.metrics = metrics;
        this.machine = machine;
        this.config = config.collect();
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(this.config.concurrency(), r -> {
            Thread t = new Thread(r, "linger-collect-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Scheduled(every = "1s", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (config.scheduled()) {
            runOnce();
        }
    }

    /**
     * Claims up to the free worker count and hands each host to a worker. A worker that finishes
     * claims again at once, so the pool stays busy while hosts are due; the tick only wakes it.
     * Returns how many were claimed.
     */
    public int runOnce() {
        int free = config.concurrency() - running.get();
        if (free <= 0) {
            return 0;
        }
        List<HostSchedule.Claim> claims;
        try {
            claims = schedule.claimDue(collections.owner(), machine.machineId(), free, config.lease());
        } catch (RuntimeException e) {
            LOG.warn("claiming due hosts failed; will retry", e);
            return 0;
        }
        for (HostSchedule.Claim claim : claims) {
            metrics.lag(claim.lagSeconds());
            running.incrementAndGet();
            workers.execute(() -> {
                try {
                    collections.collectClaimed(claim.hostId());
                } finally {
                    running.decrementAndGet();
                }
                runOnce();
            });
        }
        return claims.size();
    }

    public int running() {
        return running.get();
    }

    @PreDestroy
    void stop() throws InterruptedException {
        workers.shutdown();
        workers.awaitTermination(5, TimeUnit.SECONDS);
    }
}
