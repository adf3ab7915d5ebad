package dev.linger;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Makes sure the configured PostgreSQL answers and the database exists before Linger boots,
 * so that a new user gets one plain sentence instead of a stack trace, and so that
 * nobody has to run createdb by hand. Used by {@link LingerMain} and by the tests.
 */
public final class DatabasePreflight {

    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    /** The reason a database cannot be used, phrased for the person who has to fix it. */
    public static final class Unavailable extends Exception {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private DatabasePreflight() {
    }

    /** Connects to {@code jdbcUrl}; creates the database when the server says it does not exist. */
    public static void ensureDatabase(String jdbcUrl, String user, String password) throws Unavailable {
        Target target = Target.parse(jdbcUrl);
        try (Connection ignored = connect(jdbcUrl, user, password)) {
            return;
        } catch (SQLException e) {
            if (!"3D000".equals(e.getSQLState())) { // 3D000: invalid_catalog_name, the database is missing
                throw explain(target, user, e);
            }
        }
        if (!DATABASE_NAME.matcher(target.database).matches()) {
            throw new Unavailable("Database \"" + target.database + "\" does not exist on " + target.hostPort()
                    + " and its name is not one Linger creates by itself; create it, then start again.", null);
        }
        String maintenanceUrl = "jdbc:postgresql://" + target.hostPort() + "/postgres";
        try (Connection c = connect(maintenanceUrl, user, password); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE \"" + target.database + "\"");
        } catch (SQLException e) {
            if ("42P04".equals(e.getSQLState())) { // duplicate_database: another instance was faster
                return;
            }
            throw new Unavailable("Database \"" + target.database + "\" does not exist on " + target.hostPort()
                    + " and user \"" + user + "\" could not create it (" + e.getMessage()
                    + "); create it, or give that user CREATEDB.", e);
        }
    }

    private static Connection connect(String url, String user, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        if (password != null && !password.isEmpty()) {
            props.setProperty("password", password);
        }
        props.setProperty("connectTimeout", "5");
        props.setProperty("loginTimeout", "10");
        return DriverManager.getConnection(url, props);
    }

    private static Unavailable explain(Target target, String user, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.startsWith("08")) { // connection exception: nothing listens, or the network says no
            return new Unavailable("Linger needs PostgreSQL, but nothing answers at " + target.hostPort()
                    + ". Install and start it (Debian/Ubuntu: apt-get install postgresql),"
                    + " or point QUARKUS_DATASOURCE_JDBC_URL at yours.", e);
        }
        if (state.startsWith("28")) { // invalid authorization
            return new Unavailable("PostgreSQL at " + target.hostPort() + " refused user \"" + user
                    + "\": set QUARKUS_DATASOURCE_USERNAME and QUARKUS_DATASOURCE_PASSWORD.", e);
        }
        return new Unavailable("PostgreSQL at " + target.hostPort() + " cannot be used: " + e.getMessage(), e);
    }

    private record Target(String host, int port, String database) {
        static Target parse(String jdbcUrl) throws Unavailable {
            if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql://")) {
                throw new Unavailable("QUARKUS_DATASOURCE_JDBC_URL must look like"
                        + " jdbc:postgresql://HOST:PORT/DATABASE, got: " + jdbcUrl, null);
            }
            URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
            String path = uri.getPath() == null ? "" : uri.getPath();
            String database = path.startsWith("/") ? path.substring(1) : path;
            if (uri.getHost() == null || database.isEmpty()) {
                throw new Unavailable("QUARKUS_DATASOURCE_JDBC_URL must name a host and a database, got: " + jdbcUrl, null);
            }
            return new Target(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), database);
        }

        String hostPort() {
            return host + ":" + port;
        }
    }
}
