package dev.linger;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.persistence.Tuple;

/**
 * One row of a native query, read by column name: {@code row.longValue("id")} instead of
 * {@code ((Number) r[0]).longValue()}, so adding or reordering a column cannot shift a cast. The
 * number readers accept whichever {@link Number} the driver hands back (bigint, int, numeric, count).
 * A column the query does not select fails loudly with its name.
 */
public final class Row {

    private final Tuple tuple;

    private Row(Tuple tuple) {
        this.tuple = tuple;
    }

    /** A native query whose rows are read with {@link #list} or {@link #first}. */
    public static Query query(EntityManager em, String sql) {
        return em.createNativeQuery(sql, Tuple.class);
    }

    /** The rows of a query made with {@link #query}. */
    public static List<Row> list(Query query) {
        @SuppressWarnings("unchecked")
        List<Tuple> rows = query.getResultList();
        return rows.stream().map(Row::new).toList();
    }

    /** The first row of a query made with {@link #query}, if any. */
    public static Optional<Row> first(Query query) {
        @SuppressWarnings("unchecked")
        List<Tuple> rows = query.setMaxResults(1).getResultList();
        return rows.isEmpty() ? Optional.empty() : Optional.of(new Row(rows.get(0)));
    }

    /** The value as the driver returned it (null for SQL NULL). */
    public Object raw(String column) {
        try {
            return tuple.get(column);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the query selects no column '" + column + "'", e);
        }
    }

    public boolean isNull(String column) {
        return raw(column) == null;
    }

    public String string(String column) {
        Object v = raw(column);
        return v == null ? null : v.toString();
    }

    public long longValue(String column) {
        return number(column).longValue();
    }

    public Long nullableLong(String column) {
        Object v = raw(column);
        return v == null ? null : ((Number) v).longValue();
    }

    public int intValue(String column) {
        return number(column).intValue();
    }

    public Integer nullableInt(String column) {
        Object v = raw(column);
        return v == null ? null : ((Number) v).intValue();
    }

    public double doubleValue(String column) {
        return number(column).doubleValue();
    }

    /** A boolean column; SQL NULL is refused, since false and unknown are different facts. */
    public boolean bool(String column) {
        Object v = raw(column);
        if (v == null) {
            throw new IllegalStateException("column '" + column + "' is null");
        }
        return (Boolean) v;
    }

    public Boolean nullableBool(String column) {
        return (Boolean) raw(column);
    }

    /** A timestamptz column (null for SQL NULL). */
    public Instant instant(String column) {
        Object v = raw(column);
        return v == null ? null : SqlTimes.instant(v);
    }

    private Number number(String column) {
        Object v = raw(column);
        if (v == null) {
            throw new IllegalStateException("column '" + column + "' is null");
        }
        return (Number) v;
    }
}
