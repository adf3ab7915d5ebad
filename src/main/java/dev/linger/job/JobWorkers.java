package dev.linger.job;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import dev.linger.i18n.Text;
import dev.linger.LingerConfig;
import dev.linger.collect.CollectionService;
import dev.linger.incident.IncidentService;
import dev.linger.runbook.Bindings;
import dev.linger.runbook.RunbookService;
import dev.linger.runbook.RunbookVersion;
import dev.linger.runbook.StepType;
import dev.linger.transport.HostTarget;
import dev.linger.transport.Transports;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Runs queued jobs: a dispatcher claims as many jobs as there are free workers in one statement,
 * and each worker runs its job's steps with no transaction open, renews the lease while it works,
 * and records the end. A LISTEN connection wakes the dispatcher the moment a job is queued; it
 * also looks every poll interval. A sweeper marks
 * jobs whose worker died INTERRUPTED and expires pending ones. Loops are plain methods
 * ({@link #runOne()}, {@link #sweep()}) so tests call them directly.
 */
@ApplicationScoped
public class JobWorkers {

    private static final Logger LOG = Logger.getLogger(JobWorkers.class);
    static final Set<String> GUARDED = Set.of(JobPlanner.ORPHANS);
    private static final long LOOK_EVERY_NANOS = 1_000_000_000L;

    private final JobStates states;
    private final JobService jobs;
    private final StepRecords records;
    private final GroupCommit commits;
    private final RunbookService runbooks;
    private final CollectionService collections;
    private final IncidentService incidents;
    private final dev.linger.silence.Silences silences;
    private final Transports transports;
    private final DataSource dataSource;
    private final LingerConfig.Jobs config;
    /** The lease owner of every job this instance runs; a restarted instance is a new owner. */
    private final String owner = "w-" + UUID.randomUUID().toString().substring(0, 8);
    private final Object wake = new Object();
    /** Set by a wake-up that came while the dispatcher was still claiming, so it is not lost. */
    private boolean woken;
    private volatile boolean running;
    private final List<Thread> threads = new ArrayList<>();
    private ScheduledExecutorService timers;
    private ExecutorService pool;
    private Semaphore freeWorkers;

    JobWorkers(JobStates states, JobService jobs, StepRecords records, GroupCommit commits, RunbookService runbooks,
            CollectionService collections, IncidentService incidents, Transports transports, DataSource dataSource,
            LingerConfig config, dev.linger.silence.Silences silences) {
        this.silences = silences;
        this.states = states;
        this.jobs = jobs;
        this.records = records;
        this.commits = commits;
        this.runbooks = runbooks;
        this.collections = collections;
        this.incidents = incidents;
        this.transports = transports;
        this.dataSource = dataSource;
        this.config = config.jobs();
    }

    void start(@Observes StartupEvent event) {
        timers = Executors.newScheduledThreadPool(2, r -> daemon(r, "linger-job-timer"));
        timers.scheduleWithFixedDelay(this::sweepQuietly, 1, 2, TimeUnit.SECONDS);
        if (config.workers() <= 0) {
            return;
        }
        running = true;
        freeWorkers = new Semaphore(config.workers());
        AtomicInteger n = new AtomicInteger();
        pool = Executors.newFixedThreadPool(config.workers(),
                r -> daemon(r, "linger-job-worker-" + n.getAndIncrement()));
        Thread dispatcher = daemon(this::dispatch, "linger-job-dispatcher");
        threads.add(dispatcher);
        dispatcher.start();
        Thread listener = daemon(this::listen, "linger-job-listener");
        threads.add(listener);
        listener.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        threads.forEach(Thread::interrupt);
        if (pool != null) {
            pool.shutdownNow();
        }
        if (timers != null) {
            timers.shutdownNow();
        }
    }

    /** Expires pending jobs and interrupts lost ones. */
    public void sweep() {
        states.expire();
        states.sweepLost();
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.warn("job sweep failed; trying again shortly", e);
        }
    }

    /**
     * Claims as many jobs as there are free workers, in one statement, and hands them out; waits
     * for a notification or the poll interval when there was nothing to claim.
     */
    private void dispatch() {
        while (running) {
            int free = 0;
            try {
                freeWorkers.acquire();
                free = 1 + freeWorkers.drainPermits();
                List<ClaimedJob> claimed = claim(owner, free);
                for (ClaimedJob job : claimed) {
                    free--;
                    pool.execute(() -> {
                        try {
                            run(job, owner);
                        } finally {
                            freeWorkers.release();
                            wakeDispatcher(); // its host may have a job waiting behind this one
                        }
                    });
                }
                freeWorkers.release(free);
                free = 0;
                if (claimed.isEmpty()) {
                    synchronized (wake) {
                        if (!woken) {
                            wake.wait(config.pollInterval().toMillis());
                        }
                        woken = false;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                freeWorkers.release(free);
                LOG.error("claiming jobs failed; trying again in 1 s", e);
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Claims and runs one job in the calling thread; false when there was none to claim. For tests and benchmarks. */
    public boolean runOne() {
        return runOne(owner + "-direct");
    }

    boolean runOne(String owner) {
        List<ClaimedJob> claimed = claim(owner, 1);
        if (claimed.isEmpty()) {
            return false;
        }
        run(claimed.get(0), owner);
        return true;
    }

    private List<ClaimedJob> claim(String owner, int max) {
        try {
            return states.claim(owner, max, config.lease());
        } catch (RuntimeException e) {
            if (JobService.isUniqueViolation(e)) {
                return List.of(); // another instance started a job on one of these hosts first: look again
            }
            throw e;
        }
    }

    /** Runs a claimed job outside any transaction. */
    private void run(ClaimedJob job, String owner) {
        long id = job.id();
        AtomicBoolean lost = new AtomicBoolean();
        Duration beat = config.lease().dividedBy(3);
        ScheduledFuture<?> heartbeat = timers.scheduleWithFixedDelay(() -> {
            try {
                if (!states.heartbeat(id, owner, config.lease())) {
                    lost.set(true);
                }
            } catch (RuntimeException e) {
                LOG.warnf(e, "heartbeat of job %d failed", id);
            }
        }, beat.toMillis(), beat.toMillis(), TimeUnit.MILLISECONDS);
        silenceItsIncident(job);
        try {
            StepEngine.Result result = execute(job, owner, lost);
            states.finish(id, owner, result.ok() ? JobStatus.SUCCEEDED : JobStatus.FAILED, result.message());
        } catch (LeaseLost e) {
            LOG.warnf("job %d: %s", id, e.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf(e, "job %d failed unexpectedly", id);
            states.finish(id, owner, JobStatus.FAILED, Text.of("run.lingerFailed", String.valueOf(e.getMessage())));
        } finally {
            endItsSilence(id);
            heartbeat.cancel(false);
            try {
                commits.flush(id); // a step's end still waiting when the job stopped early
            } catch (RuntimeException e) {
                LOG.warnf(e, "job %d: recording the last step's end failed", id);
            }
        }
    }

    private StepEngine.Result execute(ClaimedJob job, String owner, AtomicBoolean lost) {
        long id = job.id();
        HostTarget target = job.target();
        if (target == null) {
            return new StepEngine.Result(false, Text.of("run.hostRemoved"), 0);
        }
        StepEngine engine = new StepEngine(transports.forHost(target), target, new StepEngine.Settings(
                config.commandTimeout(), config.guardSlack(), config.outputCap(), Duration.ofSeconds(1), id, GUARDED),
                job.netns());
        if (job.rollbackOf() != null) {
            List<JobService.UndoPlan> plan = QuarkusTransaction.requiringNew().call(() -> jobs.undos(job.rollbackOf()));
            Map<Integer, List<Long>> undone = new HashMap<>();
            List<StepEngine.Undo> undos = new ArrayList<>();
            for (JobService.UndoPlan u : plan) {
                undone.put(undos.size() + 1, u.changeIds());
                undos.add(new StepEngine.Undo(u.key(), u.expectedCurrent(), u.restoreTo(), u.persistent(), u.file(),
                        u.previousFile()));
            }
            if (undos.isEmpty()) {
                return new StepEngine.Result(true, Text.of("run.nothingToUndo"), 0);
            }
            StepEngine.Result r = engine.rollback(undos, job.overrideDrift(), progress(id, owner, lost, undone));
            return r.ok() ? new StepEngine.Result(true, Text.of("run.rolledBack", job.rollbackOf()), 0) : r;
        }
        RunbookVersion runbook = runbooks.cachedVersion(job.runbookVersionId()).orElseGet(() -> QuarkusTransaction
                .requiringNew().call(() -> runbooks.version(job.runbookVersionId())).orElseThrow());
        Bindings bindings = runbook.definition().bind(job.params());
        Optional<Text> drained = engine.alreadyDrained(runbook.definition(), bindings);
        if (drained.isPresent()) {
            return new StepEngine.Result(true, Text.of("run.notNeeded", drained.get()), 0);
        }
        return engine.run(runbook.definition(), bindings, progress(id, owner, lost, Map.of()), () -> verify(job),
                job.processes());
    }

    /**
     * A job on an incident keeps that incident quiet while it works (people approved it; a page about what it is
     * fixing is noise). A failure to make the silence does not stop the job: it only means someone is told.
     */
    private void silenceItsIncident(ClaimedJob job) {
        if (job.incidentId() == null || job.rollbackOf() != null) {
            return;
        }
        try {
            QuarkusTransaction.requiringNew().run(() -> silences.whileJobRuns(job.id(),
                    incidents.get(job.incidentId())));
        } catch (RuntimeException e) {
            LOG.warnf(e, "job %d: could not silence incident %d while it runs", job.id(), job.incidentId());
        }
    }

    private void endItsSilence(long id) {
        try {
            silences.jobVerifying(id);
        } catch (RuntimeException e) {
            LOG.warnf(e, "job %d: ending its silence failed (it ends by itself)", id);
        }
    }

    /** VERIFY: collect the host again, then ask whether the incident's condition is gone (and resolve it if so). */
    private Text verify(ClaimedJob job) {
        endItsSilence(job.id()); // from here on, what is still wrong is told
        Optional<CollectionService.Outcome> outcome = collections.collectNow(job.hostId());
        if (outcome.isEmpty() || !outcome.get().ok()) {
            return Text.of("run.notCollected", outcome.map(o -> String.valueOf(o.error())).orElse(""));
        }
        return job.incidentId() == null ? null : incidents.verificationByJob(job.incidentId(), job.id());
    }

    private JobProgress progress(long id, String owner, AtomicBoolean lost, Map<Integer, List<Long>> undone) {
        return new JobProgress() {
            private long lastLook = System.nanoTime(); // the claim has just shown that we hold the job

            public void stepStarted(int n, StepType type, String command) {
                records.stepStarted(id, owner, n, type, command);
            }

            public void stepProgress(int n, Text progress) {
                records.stepProgress(id, n, progress);
            }

            public void stepFinished(int n, boolean ok, Integer exitCode, String stdout, String stderr,
                    Text message) {
                records.stepFinished(id, owner, n, ok, exitCode, stdout, stderr, message, ok ? undone.get(n) : null);
            }

            public long sysctlChanging(int n, String key, String before, String intended, boolean persistent,
                    String file, String previousFileContent) {
                return records.sysctlChanging(id, owner, n, key, before, intended, persistent, file,
                        previousFileContent);
            }

            public void sysctlConfirmed(long changeId, String after) {
                records.sysctlConfirmed(id, changeId, after);
            }

            public boolean noteConfirmed(int n) {
                return records.noteConfirmed(id, n);
            }

            /**
             * Looks in the database at most once a second: every write of the job is guarded by its
             * lease anyway, so this only makes a long wait notice a lost job sooner.
             */
            public boolean stopRequested() {
                if (lost.get()) {
                    return true;
                }
                long now = System.nanoTime();
                if (now - lastLook < LOOK_EVERY_NANOS) {
                    return false;
                }
                lastLook = now;
                return !states.holds(id, owner);
            }
        };
    }

    private void wakeDispatcher() {
        synchronized (wake) {
            woken = true;
            wake.notifyAll();
        }
    }

    /** LISTEN on a connection of its own; a notification wakes the dispatcher at once. Reconnects after errors. */
    private void listen() {
        while (running) {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("LISTEN " + JobStates.CHANNEL);
                PGConnection pg = c.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] n = pg.getNotifications(1000);
                    if (n != null && n.length > 0) {
                        wakeDispatcher();
                    }
                }
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                LOG.warn("job notifications lost; listening again in 1 s (workers still poll)", e);
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
