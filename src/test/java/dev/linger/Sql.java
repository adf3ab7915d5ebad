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
}
