package dev.linger.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.linger.Api;
import dev.linger.Sql;
import dev.linger.audit.AuditLog;
import io.quarkus.test.junit.QuarkusTest;

/** The group commit on the real database: writes that arrive together share a transaction, and never each other's fate. */
@QuarkusTest
class GroupCommitTest {

    @Inject
    GroupCommit commits;

    @Test
    void aRefusedOrFailingWriteLeavesTheOthersInItsBatchCommittedWithTheirEvents() throws Exception {
        String tag = "journal-" + UUID.randomUUID().toString().substring(0, 8);
        int writers = 24;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> results = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            int n = i;
            results.add(pool.submit(() -> {
                start.await();
                return commits.write((c, events) -> {
                    if (n == 5) {
                        throw new LeaseLost(n); // a guard that found nothing: it changed nothing
                    }
                    try (PreparedStatement ps = c.prepareStatement(n == 7 ? "SELECT 1 / 0" : "SELECT 1")) {
                        ps.execute(); // write 7 breaks its transaction: the batch must be retried without it
                    }
                    events.add(new AuditLog.Entry("test", tag, "journal", n, Map.of("n", n)));
                    return n;
                });
            }));
        }
        start.countDown();
        int committed = 0;
        for (int i = 0; i < writers; i++) {
            Future<?> f = results.get(i);
            if (i == 5) {
                Throwable e = assertThrows(java.util.concurrent.ExecutionException.class, f::get).getCause();
                assertTrue(e instanceof LeaseLost, String.valueOf(e));
            } else if (i == 7) {
                Throwable e = assertThrows(java.util.concurrent.ExecutionException.class, f::get).getCause();
                assertTrue(String.valueOf(e.getCause()).contains("division by zero"), String.valueOf(e));
            } else {
                assertEquals(i, f.get());
                committed++;
            }
        }
        pool.shutdown();
        assertEquals(writers - 2, committed);
        assertEquals(writers - 2, Sql.count("SELECT count(*) FROM audit_event WHERE action = ?", tag),
                "exactly one event per committed write, none for the refused or failed ones");
        assertEquals(0, Sql.count("SELECT count(*) FROM audit_event WHERE action = ? AND subject_id IN ('5', '7')",
                tag));
        Api.admin().get("/api/v1/audit/verify").then().statusCode(200).body("ok", org.hamcrest.Matchers.equalTo(true));
    }

    @Test
    void aDeferredWriteGoesWithTheJobsNextWriteAndIsKeptWhenThatOneIsRefused() {
        String tag = "deferred-" + UUID.randomUUID().toString().substring(0, 8);
        long job = -System.nanoTime(); // a key no real job has
        commits.defer(job, (c, events) -> {
            events.add(new AuditLog.Entry("test", tag, "journal", "first", Map.of()));
            return null;
        });
        assertEquals(0, Sql.count("SELECT count(*) FROM audit_event WHERE action = ?", tag), "not written yet");
        assertThrows(LeaseLost.class, () -> commits.write(job, (c, events) -> {
            throw new LeaseLost(job);
        }));
        assertEquals(1, Sql.count("SELECT count(*) FROM audit_event WHERE action = ?", tag),
                "the deferred write was made with the next one, whose guard refused only itself");
        commits.flush(job);
        assertEquals(1, Sql.count("SELECT count(*) FROM audit_event WHERE action = ?", tag), "nothing left to flush");
    }
}
