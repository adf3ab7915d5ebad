package dev.linger;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/** Checks the database before Quarkus boots, so a missing PostgreSQL is one line, not a stack trace. */
@QuarkusMain
public class LingerMain {

    static final String DEFAULT_JDBC_URL = "jdbc:postgresql://127.0.0.1:5432/linger";

    public static void main(String... args) {
        String url = setting("quarkus.datasource.jdbc.url", DEFAULT_JDBC_URL);
        String user = setting("quarkus.datasource.username", "postgres");
        String password = setting("quarkus.datasource.password", "");
        try {
            DatabasePreflight.ensureDatabase(url, user, password);
        } catch (DatabasePreflight.Unavailable e) {
            System.err.println("linger: " + e.getMessage());
            System.exit(2);
        }
        Quarkus.run(args);
    }

    /** The same precedence Quarkus applies: system property, then environment variable, then default. */
    private static String setting(String property, String fallback) {
        String value = System.getProperty(property);
        if (value == null) {
            value = System.getenv(property.toUpperCase().replace('.', '_').replace('-', '_'));
        }
        return value == null ? fallback : value;
    }
}
