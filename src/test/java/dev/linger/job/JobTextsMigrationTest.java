package dev.linger.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import dev.linger.TestDatabase;
import dev.linger.i18n.Catalogue;
import dev.linger.i18n.Text;
import io.quarkus.test.junit.QuarkusTest;

/**
 * V17 turns the English sentences old rows hold into facts: a scratch schema is migrated to V15 (before H2's V16 and this V17), given rows as the
 * old code wrote them, migrated on, and each row is said again in English and Chinese.
 */
@QuarkusTest
class JobTextsMigrationTest {

    private static final Locale ZH = Locale.forLanguageTag("zh-CN");

    @Test
    void oldSentencesBecomeFactsThatReadInBothLanguages() throws Exception {
        String schema = "v17_" + UUID.randomUUID().toString().substring(0, 8);
        String url = TestDatabase.url() + "?currentSchema=" + schema;
        Flyway.configure().dataSource(url, "postgres", null).schemas(schema).locations("filesystem:migrations")
                .target("15").load().migrate();
        try (Connection c = DriverManager.getConnection(url, "postgres", null); Statement s = c.createStatement()) {
            long job = insertJob(s, "step 2 failed: drift: net.ipv4.tcp_fin_timeout is 30, but the job left it at 60;"
                    + " an approver must override to roll back");
            long rejected = insertJob(s, "Rejected by alice.");
            long odd = insertJob(s, "A sentence no rule knows.");
            s.execute("INSERT INTO job_step (job_id, n, type, status, message, progress, started_at, finished_at)"
                    + " VALUES (" + job + ", 1, 'WAIT_SOCKETS', 'SUCCEEDED', '0 sockets remain (≤ 0)',"
                    + " '3 CLOSE_WAIT sockets remain on :9080', now(), now())");

            Flyway.configure().dataSource(url, "postgres", null).schemas(schema).locations("filesystem:migrations")
                    .load().migrate();

            Text failed = outcome(s, job);
            assertEquals(Text.of("run.stepFailed", 2, Text.of("run.drift", "net.ipv4.tcp_fin_timeout", "30", "60")),
                    failed);
            assertEquals("step 2 failed: drift: net.ipv4.tcp_fin_timeout is 30, but the job left it at 60; an approver"
                    + " must override to roll back", Catalogue.render(failed, Locale.ENGLISH));
            assertEquals("第 2 步失败：值已偏移：net.ipv4.tcp_fin_timeout 现在是 30，但任务留下的是 60；需要审批人选择强制回滚",
                    Catalogue.render(failed, ZH));
            assertEquals("Rejected by alice.", Catalogue.render(outcome(s, rejected), Locale.ENGLISH));
            assertEquals("alice 已驳回。", Catalogue.render(outcome(s, rejected), ZH));
            assertEquals(Text.of("run.verbatim", "A sentence no rule knows."), outcome(s, odd));
            assertEquals("A sentence no rule knows.", Catalogue.render(outcome(s, odd), ZH), "shown as it was written");
            try (ResultSet r = s.executeQuery("SELECT message::text, progress::text FROM job_step WHERE job_id = "
                    + job)) {
                r.next();
                assertEquals("还剩 0 个连接（≤ 0）", Catalogue.render(Text.fromJson(r.getString(1)), ZH));
                assertEquals("3 CLOSE_WAIT sockets remain on :9080",
                        Catalogue.render(Text.fromJson(r.getString(2)), Locale.ENGLISH));
                assertEquals("端口 :9080 上还剩 3 个 CLOSE_WAIT 连接", Catalogue.render(Text.fromJson(r.getString(2)), ZH));
            }
        } finally {
            try (Connection c = DriverManager.getConnection(TestDatabase.url(), "postgres", null);
                    Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    private static long insertJob(Statement s, String outcome) throws Exception {
        try (ResultSet r = s.executeQuery("""
                INSERT INTO job (runbook_version_id, runbook_id, host_name, risk, reason, requested_by, plan, plan_hash,
                                 status, outcome, created_at, expires_at, queued_at, started_at, finished_at)
                SELECT v.id, v.runbook_id, 'web-1', 'LOW', 'old', 'alice', '{}'::jsonb, 'x', 'FAILED', '%s', now(),
                       now(), now(), now(), now()
                  FROM runbook_version v ORDER BY v.id LIMIT 1
                RETURNING id
                """.formatted(outcome.replace("'", "''")))) {
            r.next();
            return r.getLong(1);
        }
    }

    private static Text outcome(Statement s, long id) throws Exception {
        try (ResultSet r = s.executeQuery("SELECT outcome::text FROM job WHERE id = " + id)) {
            r.next();
            return Text.fromJson(r.getString(1));
        }
    }
}
