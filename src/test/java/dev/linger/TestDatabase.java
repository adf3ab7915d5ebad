package dev.linger;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/**
 * Every test run starts on a fresh database of its own ({@code linger_test}, never the one
 * Linger runs on), on the PostgreSQL at 127.0.0.1:5432 unless LINGER_TEST_PG_HOST/PORT/USER say
 * otherwise. When no server answers, the run stops with one line saying what to install.
 */
@WithTestResource(value = TestDatabase.class, scope = TestResourceScope.GLOBAL)
public class TestDatabase implements QuarkusTestResourceLifecycleManager {

    static final String NAME = "linger_test";

    static String host() {
        return System.getenv().getOrDefault("LINGER_TEST_PG_HOST", "127.0.0.1");
    }

    static String port() {
        return System.getenv().getOrDefault("LINGER_TEST_PG_PORT", "5432");
    }

    static String user() {
        return System.getenv().getOrDefault("LINGER_TEST_PG_USER", "postgres");
    }

    public static String url() {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + NAME;
    }

    @Override
    public Map<String, String> start() {
        String maintenance = "jdbc:postgresql://" + host() + ":" + port() + "/postgres";
        try {
            DatabasePreflight.ensureDatabase(maintenance, user(), "");
        } catch (DatabasePreflight.Unavailable e) {
            System.err.println("linger tests: " + e.getMessage());
            throw new IllegalStateException(e.getMessage(), null);
        }
        try (Connection c = DriverManager.getConnection(maintenance, user(), "");
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + NAME + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + NAME);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot recreate the test database " + NAME + ": " + e.getMessage(), e);
        }
        return Map.of("quarkus.datasource.jdbc.url", url(), "quarkus.datasource.username", user());
    }

    @Override
    public void stop() {
        // left in place for inspection after a failed run; the next run recreates it
    }

    /** A superuser connection to the test database, for tests that must go around the application. */
    public static Connection superuser() throws SQLException {
        return DriverManager.getConnection(url(), user(), "");
    }
}
