package dev.linger.job;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.linger.audit.AuditLog;
import io.quarkus.runtime.ShutdownEvent;

/**
 * The transport for what running jobs write: {@link JobStates}' claims and finishes, {@link StepRecords}' step and
 * sysctl records. It owns no statement; it only carries them to the database together.
 * Each caller blocks until its write has committed, exactly as with a transaction of its own, but
 * the writes of all workers that arrive together share one transaction and one hold of the audit
 * chain's lock. The lock, held from the first audit insert to the commit, is what limited the
 * queue when every write took it alone (design: River batches its completions the same way).
 * <p>
 * A write whose guard finds nothing (a lost lease) throws from its own {@link Write} and leaves
 * the others in the batch alone; a database error rolls the batch back and each write is then
 * retried in a transaction of its own, so one bad write never fails its neighbours.
 */
@ApplicationScoped
public class GroupCommit {

    /** One write: its statements on the batch's connection, and the audit events that tell of them. */
    @FunctionalInterface
    interface Write<T> {
        T apply(Connection c, List<AuditLog.Entry> events) throws SQLException;
    }

    private static final Logger LOG = Logger.getLogger(GroupCommit.class);
    private static final int MAX_BATCH = 256;

    private final DataSource dataSource;
    private final AuditLog audit;
    private final BlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    private final Map<Long, Write<?>> deferred = new ConcurrentHashMap<>();
    /**
     * One writer: a claim then always sees every finish before it (committed, or earlier in its own
     * batch), so a host's next job never starts, even on record, before the last one ended.
     */
    private Thread writer;
    private volatile boolean stopped;

    GroupCommit(DataSource dataSource, AuditLog audit) {
        this.dataSource = dataSource;
        this.audit = audit;
    }

    /**
     * Keeps a write of job {@code jobId} to be made together with that job's next write, in the
     * same transaction, a moment later. A step's end goes this way: the next step's start (or the
     * job's end) follows at once, and a job then costs one commit per step instead of two.
     */
    void defer(long jobId, Write<?> write) {
        deferred.merge(jobId, write, GroupCommit::both);
    }

    /** Writes whatever job {@code jobId} still has deferred. */
    void flush(long jobId) {
        Write<?> left = deferred.remove(jobId);
        if (left != null) {
            write(left);
        }
    }

    /** Runs the write of job {@code jobId}, after what the job deferred, once that batch has committed. */
    <T> T write(long jobId, Write<T> write) {
        Write<?> before = deferred.remove(jobId);
        return write(before == null ? write : both(before, write));
    }

    private static <T> Write<T> both(Write<?> first, Write<T> then) {
        return (c, events) -> {
            first.apply(c, events);
            return then.apply(c, events);
        };
    }

    /** Runs the write in the next batch and returns its result once that batch has committed. */
    <T> T write(Write<T> write) {
        Pending<T> pending = new Pending<>(write);
        startOnce();
        queue.add(pending);
        try {
            return pending.result.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    void stop(@Observes ShutdownEvent event) {
        stopped = true;
        synchronized (this) {
            if (writer != null) {
                writer.interrupt();
            }
        }
        List<Pending<?>> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(p -> p.result.completeExceptionally(new IllegalStateException("Linger is shutting down")));
    }

    private synchronized void startOnce() {
        if (stopped) {
            throw new IllegalStateException("Linger is shutting down");
        }
        if (writer == null) {
            writer = new Thread(this::loop, "linger-group-commit");
            writer.setDaemon(true);
            writer.start();
        }
    }

    private void loop() {
        List<Pending<?>> batch = new ArrayList<>(MAX_BATCH);
        while (!stopped) {
            try {
                Pending<?> first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                commitTogether(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("the group commit failed a batch", e);
                batch.forEach(p -> p.result.completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    private void commitTogether(List<Pending<?>> batch) {
        try {
            commit(batch);
        } catch (SQLException | RuntimeException e) {
            if (batch.size() == 1) {
                batch.get(0).result.completeExceptionally(asRuntime(e));
                return;
            }
            for (Pending<?> p : batch) {
                try {
                    commit(List.of(p));
                } catch (SQLException | RuntimeException alone) {
                    p.result.completeExceptionally(asRuntime(alone));
                }
            }
        }
    }

    /**
     * One transaction for the batch; results are handed out only after the commit. Once the commit
     * has succeeded nothing may throw back to {@link #commitTogether}, which would write twice.
     */
    private void commit(List<Pending<?>> batch) throws SQLException {
        List<Runnable> handOut = new ArrayList<>(batch.size());
        Connection c = dataSource.getConnection();
        try {
            c.setAutoCommit(false);
            List<AuditLog.Entry> events = new ArrayList<>();
            for (Pending<?> p : batch) {
                handOut.add(p.run(c, events));
            }
            audit.appendAll(c, events);
            c.commit();
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException ignored) {
                // the connection is broken; closing it below discards the transaction
            }
            close(c);
            throw e;
        }
        close(c);
        handOut.forEach(Runnable::run);
    }

    private static void close(Connection c) {
        try {
            c.setAutoCommit(true);
            c.close();
        } catch (SQLException e) {
            LOG.debug("closing a group commit connection failed", e);
        }
    }

    private static RuntimeException asRuntime(Exception e) {
        return e instanceof RuntimeException r ? r : new IllegalStateException("recording the job failed", e);
    }

    private static final class Pending<T> {
        final Write<T> write;
        final CompletableFuture<T> result = new CompletableFuture<>();

        Pending(Write<T> write) {
            this.write = write;
        }

        /**
         * Applies the write; what it decided (a value, or the refusal of its guard) is handed out
         * after the commit. A guard refuses before it changes anything or names an event, so the
         * events named before a refusal (by a deferred write in front of it) are kept.
         */
        Runnable run(Connection c, List<AuditLog.Entry> events) throws SQLException {
            try {
                T value = write.apply(c, events);
                return () -> result.complete(value);
            } catch (LeaseLost refused) {
                return () -> result.completeExceptionally(refused);
            }
        }
    }
}
