package dev.linger.web;

import java.sql.SQLException;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

/**
 * A pooled database connection can die under Linger: PostgreSQL restarted, or its backend was
 * terminated. The pool validates connections when they are borrowed (application.properties); this
 * covers the rest, a connection that dies between its check and its use, by retrying an idempotent
 * read once on a fresh connection instead of answering 500.
 */
public final class DroppedConnections {

    private static final Logger LOG = Logger.getLogger(DroppedConnections.class);

    private DroppedConnections() {
    }

    /**
     * SQLSTATE class 08 (connection exception) and 57P01–57P03 (the server shut the session down or
     * is starting), anywhere in the cause chain.
     */
    public static boolean isDroppedConnection(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                if (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03")) {
                    return true;
                }
            }
            if (t instanceof org.hibernate.exception.JDBCConnectionException) {
                return true;
            }
        }
        return false;
    }

    /** Runs a read; if it failed on a dropped connection, runs it once more. Only for reads that change nothing. */
    public static <T> T readRetryingOnce(String what, Supplier<T> read) {
        try {
            return read.get();
        } catch (RuntimeException e) {
            if (!isDroppedConnection(e)) {
                throw e;
            }
            LOG.warnf("%s lost its database connection (%s); retrying once", what, e.getMessage());
            return read.get();
        }
    }
}
