package dev.linger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Reads straight from the test database, to check what was (or was not) stored. */
public final class Sql {

    private Sql() {
    }

    public static long count(String query, Object... args) {
        try (Connection c = TestDatabase.superuser(); PreparedStatement ps = c.prepareStatement(query)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first column of the first row, as text (null when there is none). */
    public static String text(String query, Object... args) {
        try (Connection c = TestDatabase.superuser(); PreparedStatement ps = c.prepareStatement(query)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static long users() {
        return count("SELECT count(*) FROM app_user");
    }

    public static long auditEvents() {
        return count("SELECT count(*) FROM audit_event");
    }

    /**
     * Every user name (and who created each), host name and actor (who asked for a job, resolved an incident, made a
     * silence) in the database, other tests' too: values that a page in any language shows as they are, also inside
     * its sentences.
     */
    public static java.util.Set<String> names() {
        java.util.Set<String> names = new java.util.TreeSet<>();
        try (var c = TestDatabase.superuser(); var s = c.createStatement(); var rows = s.executeQuery(
                "SELECT username FROM app_user UNION SELECT created_by FROM app_user UNION SELECT name FROM host"
                        + " UNION SELECT requested_by FROM job UNION SELECT resolved_by FROM incident"
                        + " WHERE resolved_by IS NOT NULL UNION SELECT created_by FROM silence")) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return names;
    }
}
