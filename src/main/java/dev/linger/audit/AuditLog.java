package dev.linger.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.hibernate.Session;

import dev.linger.SqlTimes;

/**
 * The append-only, hash-chained audit log. {@link #record} joins the caller's transaction
 * (it refuses to run without one), so a change and the event that tells of it commit together
 * or not at all. Writers are serialised by a transaction-scoped advisory lock: each event's
 * hash covers the previous one, so two writers must never pick the same predecessor.
 */
@ApplicationScoped
public class AuditLog {

    public static final String SYSTEM = "system";
    public static final String ANONYMOUS = "anonymous";

    /** Arbitrary constant naming the audit chain's advisory lock. */
    private static final long CHAIN_LOCK = 0x4c494e474552L; // "LINGER"
    private static final int MAX_TEXT = 200;

    private final EntityManager em;
    private final DataSource dataSource;
    private final Clock clock;

    AuditLog(EntityManager em, DataSource dataSource, Clock clock) {
        this.em = em;
        this.dataSource = dataSource;
        this.clock = clock;
    }

    /** One event to append with {@link #appendAll}. */
    public record Entry(String actor, String action, String subjectType, Object subjectId, Map<String, ?> details) {
    }

    /** Appends one event in the caller's transaction, on its connection: the same writer as {@link #appendAll}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public AuditEvent record(String actor, String action, String subjectType, Object subjectId,
            Map<String, ?> details) {
        return em.unwrap(Session.class).doReturningWork(c -> appendAll(c,
                List.of(new Entry(actor, action, subjectType, subjectId, details)))).get(0);
    }

    /**
     * The audit chain's one writer: appends events on a connection whose transaction the caller owns
     * ({@link #record}'s JPA transaction, or the jobs' group commit): one chain lock and one read of the
     * chain's end for all of them, so the lock is held once per batch instead of once per event. The
     * events commit with the caller's changes.
     */
    public List<AuditEvent> appendAll(Connection c, List<Entry> entries) throws SQLException {
        if (entries.isEmpty()) {
            return List.of();
        }
        long seq = 0;
        String prevHash = AuditHash.GENESIS;
        // Two statements in one round trip; the second takes its snapshot after the first has the
        // lock, so it sees the chain's true end.
        try (Statement st = c.createStatement()) {
            st.execute("SELECT pg_advisory_xact_lock(" + CHAIN_LOCK + "); SELECT seq, hash FROM audit_event ORDER BY seq DESC LIMIT 1");
            if (!st.getMoreResults()) {
                throw new IllegalStateException("the audit chain's end was not read");
            }
            try (ResultSet rs = st.getResultSet()) {
                if (rs.next()) {
                    seq = rs.getLong("seq");
                    prevHash = rs.getString("hash");
                }
            }
        }
        Instant at = AuditHash.storedPrecision(clock.instant());
        List<AuditEvent> events = new ArrayList<>(entries.size());
        try (PreparedStatement insert = c.prepareStatement("""
                INSERT INTO audit_event (seq, at, actor, action, subject_type, subject_id, details, prev_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?, ?)
                """)) {
            for (Entry entry : entries) {
                AuditEvent e = chained(++seq, at, entry, prevHash);
                insert.setLong(1, e.seq());
                insert.setObject(2, SqlTimes.utc(e.at()));
                insert.setString(3, e.actor());
                insert.setString(4, e.action());
                insert.setString(5, e.subjectType());
                insert.setString(6, e.subjectId());
                insert.setString(7, e.details());
                insert.setString(8, e.prevHash());
                insert.setString(9, e.hash());
                insert.addBatch();
                events.add(e);
                prevHash = e.hash();
            }
            insert.executeBatch();
        }
        return events;
    }

    /** The event as stored: cleaned texts, canonical details, and its hash over the previous one. */
    private static AuditEvent chained(long seq, Instant at, Entry entry, String prevHash) {
        String actor = clean(entry.actor() == null ? SYSTEM : entry.actor());
        String action = clean(entry.action());
        String type = entry.subjectType() == null ? null : clean(entry.subjectType());
        String id = entry.subjectId() == null ? null : clean(String.valueOf(entry.subjectId()));
        String canonical = AuditHash.canonicalDetails(sanitize(entry.details()));
        String hash = AuditHash.hash(seq, at, actor, action, type, id, canonical, prevHash);
        return new AuditEvent(seq, at, actor, action, type, id, canonical, prevHash, hash);
    }

    /** Newest first, at most {@code limit}; or oldest first when the filter pages forward with afterSeq. */
    public List<AuditEvent> list(AuditFilter filter, int limit) {
        List<AuditEvent> events = new ArrayList<>();
        stream(filter, limit, events::add);
        return events;
    }

    /** Streams matching events without holding them all in memory (for export). */
    public void stream(AuditFilter filter, int limit, Consumer<AuditEvent> sink) {
        StringBuilder sql = new StringBuilder(
                "SELECT seq, at, actor, action, subject_type, subject_id, details::text AS details, prev_hash, hash"
                        + " FROM audit_event WHERE true");
        List<Object> args = new ArrayList<>();
        if (AuditFilter.given(filter.actor())) {
            sql.append(" AND actor = ?");
            args.add(filter.actor().trim());
        }
        if (AuditFilter.given(filter.action())) {
            // a prefix such as "user." selects a family of actions
            sql.append(" AND (action = ? OR (right(?, 1) = '.' AND starts_with(action, ?)))");
            args.add(filter.action().trim());
            args.add(filter.action().trim());
            args.add(filter.action().trim());
        }
        if (AuditFilter.given(filter.subjectType())) {
            sql.append(" AND subject_type = ?");
            args.add(filter.subjectType().trim());
        }
        if (AuditFilter.given(filter.subjectId())) {
            sql.append(" AND subject_id = ?");
            args.add(filter.subjectId().trim());
        }
        if (filter.beforeSeq() != null) {
            sql.append(" AND seq < ?");
            args.add(filter.beforeSeq());
        }
        boolean forward = filter.afterSeq() != null;
        if (forward) {
            sql.append(" AND seq > ?");
            args.add(filter.afterSeq());
        }
        sql.append(forward ? " ORDER BY seq ASC" : " ORDER BY seq DESC").append(" LIMIT ?");
        args.add(limit);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            readAll(c, ps, sink);
        } catch (SQLException e) {
            throw new IllegalStateException("reading the audit log failed", e);
        }
    }

    /** Recomputes every hash from the first event on and reports the first row that does not match. */
    public ChainVerification verify() {
        String sql = "SELECT seq, at, actor, action, subject_type, subject_id, details::text AS details, prev_hash, hash"
                + " FROM audit_event ORDER BY seq";
        Verifier verifier = new Verifier();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            readAll(c, ps, verifier);
        } catch (SQLException e) {
            throw new IllegalStateException("reading the audit log failed", e);
        }
        return verifier.result();
    }

    private static void readAll(Connection c, PreparedStatement ps, Consumer<AuditEvent> sink) throws SQLException {
        // PostgreSQL streams with a cursor only inside a transaction and with a fetch size
        boolean autoCommit = c.getAutoCommit();
        if (autoCommit) {
            c.setAutoCommit(false);
        }
        try {
            ps.setFetchSize(1000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sink.accept(new AuditEvent(rs.getLong("seq"), rs.getObject("at", OffsetDateTime.class).toInstant(),
                            rs.getString("actor"), rs.getString("action"), rs.getString("subject_type"),
                            rs.getString("subject_id"), rs.getString("details"), rs.getString("prev_hash"),
                            rs.getString("hash")));
                }
            }
        } finally {
            if (autoCommit) {
                c.commit();
                c.setAutoCommit(true);
            }
        }
    }

    /** Walks the chain in order; stops counting at the first broken link. */
    static final class Verifier implements Consumer<AuditEvent> {
        private long expectedSeq = 1;
        private String expectedPrev = AuditHash.GENESIS;
        private long checked;
        private ChainVerification broken;

        @Override
        public void accept(AuditEvent e) {
            if (broken != null) {
                return;
            }
            if (e.seq() != expectedSeq) {
                broken = ChainVerification.broken(checked, expectedSeq,
                        "event " + expectedSeq + " is missing (next stored event is " + e.seq() + ")");
                return;
            }
            if (!e.prevHash().equals(expectedPrev)) {
                broken = ChainVerification.broken(checked, e.seq(), "prev_hash does not match the hash of event "
                        + (e.seq() - 1));
                return;
            }
            String recomputed;
            try {
                recomputed = AuditHash.hash(e.seq(), e.at(), e.actor(), e.action(), e.subjectType(), e.subjectId(),
                        AuditHash.canonicalDetails(e.details()), e.prevHash());
            } catch (IllegalArgumentException unreadable) {
                recomputed = "";
            }
            if (!recomputed.equals(e.hash())) {
                broken = ChainVerification.broken(checked, e.seq(), "the stored event differs from what was hashed");
                return;
            }
            checked++;
            expectedSeq++;
            expectedPrev = e.hash();
        }

        ChainVerification result() {
            return broken != null ? broken : ChainVerification.intact(checked);
        }
    }

    /** PostgreSQL text cannot hold NUL; audit strings stay short and printable enough to read. */
    static String clean(String s) {
        String noNul = s.replace('\u0000', '\uFFFD');
        return noNul.length() > MAX_TEXT ? noNul.substring(0, MAX_TEXT) + "…" : noNul;
    }

    private static Object sanitize(Object value) {
        if (value instanceof String s) {
            return s.replace('\u0000', '\uFFFD');
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> copy = new java.util.LinkedHashMap<>();
            m.forEach((k, v) -> copy.put(String.valueOf(k).replace('\u0000', '\uFFFD'), sanitize(v)));
            return copy;
        }
        if (value instanceof Iterable<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(sanitize(v)));
            return copy;
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> sanitize(Map<String, ?> details) {
        return details == null ? Map.of() : (Map<String, ?>) sanitize((Object) details);
    }
}
