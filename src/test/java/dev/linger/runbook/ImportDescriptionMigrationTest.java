package dev.linger.runbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * V18 on rows of the old shape: a database of its own is migrated to V15, gets imported versions as Linger stored them
 * before (the stock English description), and is then migrated to the latest version.
 */
class ImportDescriptionMigrationTest {

    static final String HOST = System.getenv().getOrDefault("LINGER_TEST_PG_HOST", "127.0.0.1");
    static final String PORT = System.getenv().getOrDefault("LINGER_TEST_PG_PORT", "5432");
    static final String USER = System.getenv().getOrDefault("LINGER_TEST_PG_USER", "postgres");
    static final String NAME = "linger_v18_" + ProcessHandle.current().pid();

    static String url(String db) {
        return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + db;
    }

    @BeforeEach
    void freshDatabase() throws SQLException {
        try (Connection c = DriverManager.getConnection(url("postgres"), USER, ""); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + NAME + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + NAME);
        }
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        try (Connection c = DriverManager.getConnection(url("postgres"), USER, ""); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + NAME + " WITH (FORCE)");
        }
    }

    private static Flyway flyway(String target) {
        return Flyway.configure().dataSource(url(NAME), USER, "")
                .locations("filesystem:" + Path.of("migrations").toAbsolutePath()).target(target).load();
    }

    @Test
    void theStockSentenceOfAnImportGoesAndEverythingElseStays() throws SQLException {
        flyway("15").migrate();
        try (Connection c = DriverManager.getConnection(url(NAME), USER, ""); Statement s = c.createStatement()) {
            s.execute("INSERT INTO runbook (slug, latest_version, created_at, created_by) VALUES"
                    + " ('imported-one', 1, now(), 'alice'), ('imported-own-words', 1, now(), 'alice'),"
                    + " ('written-by-hand', 1, now(), 'bob')");
            String steps = "'[{\"type\":\"NOTE\",\"text\":\"look\"}]'::jsonb";
            s.execute("INSERT INTO runbook_version (runbook_id, version, title, description, risk, steps, source_document,"
                    + " created_at, created_by) SELECT id, 1, slug, CASE slug"
                    + " WHEN 'imported-one' THEN 'Imported from a document.'"
                    + " WHEN 'imported-own-words' THEN '从 wiki 导入，已核对。'"
                    + " ELSE 'Imported from a document.' END, 'LOW', " + steps + ","
                    + " CASE WHEN slug LIKE 'imported%' THEN 'ss -tan' END, now(), created_by FROM runbook"
                    + " WHERE slug IN ('imported-one', 'imported-own-words', 'written-by-hand')");
        }

        flyway("latest").migrate();

        Map<String, String> descriptions = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(url(NAME), USER, ""); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT r.slug, v.description FROM runbook_version v"
                        + " JOIN runbook r ON r.id = v.runbook_id WHERE r.slug IN ('imported-one',"
                        + " 'imported-own-words', 'written-by-hand') ORDER BY r.slug")) {
            while (r.next()) {
                descriptions.put(r.getString(1), r.getString(2));
            }
            assertEquals(Map.of("imported-one", "", "imported-own-words", "从 wiki 导入，已核对。",
                    // no source document: a person typed the sentence, so it is theirs
                    "written-by-hand", "Imported from a document."), descriptions);
            // the versions are immutable again after the migration
            assertThrows(SQLException.class, () -> s.executeUpdate("UPDATE runbook_version SET description = 'x'"));
        }
    }
}
