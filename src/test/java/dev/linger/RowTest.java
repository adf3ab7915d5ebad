package dev.linger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** Rows read by column name from PostgreSQL, whatever type the driver hands back for each column. */
@QuarkusTest
class RowTest {

    @Inject
    EntityManager em;

    @Test
    @Transactional
    void readsEachColumnByNameWithTheDriversTypes() {
        List<Row> rows = Row.list(Row.query(em, """
                SELECT CAST(7 AS bigint) AS id, CAST(3 AS int) AS n, count(*) AS how_many, 'x' AS name,
                       true AS ok, CAST(NULL AS bigint) AS nothing, CAST(NULL AS boolean) AS unknown,
                       CAST('2026-12-03T10:00:00Z' AS timestamptz) AS at, CAST(1.5 AS numeric) AS ratio
                  FROM generate_series(1, 4)
                """));
        assertEquals(1, rows.size());
        Row r = rows.get(0);
        assertEquals(7L, r.longValue("id"));
        assertEquals(3, r.intValue("n"));
        assertEquals(4L, r.longValue("how_many"));
        assertEquals("x", r.string("name"));
        assertTrue(r.bool("ok"));
        assertNull(r.nullableLong("nothing"));
        assertTrue(r.isNull("nothing"));
        assertNull(r.nullableBool("unknown"));
        assertEquals(Instant.parse("2026-12-03T10:00:00Z"), r.instant("at"));
        assertEquals(1.5, r.doubleValue("ratio"));
        assertThrows(IllegalStateException.class, () -> r.longValue("nothing"), "a null is not a number");
        assertThrows(IllegalStateException.class, () -> r.bool("unknown"), "unknown is not false");
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> r.string("absent"));
        assertTrue(missing.getMessage().contains("absent"), missing.getMessage());
    }

    @Test
    @Transactional
    void firstIsEmptyWithoutRows() {
        assertFalse(Row.first(Row.query(em, "SELECT 1 AS one WHERE false")).isPresent());
        assertEquals(1, Row.first(Row.query(em, "SELECT 1 AS one FROM generate_series(1, 3)")).orElseThrow()
                .intValue("one"));
    }
}
