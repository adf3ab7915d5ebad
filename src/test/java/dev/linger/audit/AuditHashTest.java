package dev.linger.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class AuditHashTest {

    private static final Instant AT = Instant.parse("2026-11-25T01:02:03.123456789Z");

    @Test
    void canonicalDetailsSortKeysAtEveryLevel() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("z", 1);
        inner.put("a", 2);
        Map<String, Object> outer = new LinkedHashMap<>();
        outer.put("b", inner);
        outer.put("a", List.of("x", "y"));
        assertEquals("{\"a\":[\"x\",\"y\"],\"b\":{\"a\":2,\"z\":1}}", AuditHash.canonicalDetails(outer));
    }

    @Test
    void numbersHaveOneSpellingPerValueLikeJsonbGivesThemBack() {
        // jsonb turns 1e2 into 100 and keeps 1.50: both must canonicalise like the original
        assertEquals(AuditHash.canonicalDetails("{\"n\": 1e2}"), AuditHash.canonicalDetails("{\"n\": 100}"));
        assertEquals(AuditHash.canonicalDetails("{\"n\": 1.50}"), AuditHash.canonicalDetails("{\"n\": 1.5}"));
        assertNotEquals(AuditHash.canonicalDetails("{\"n\": 100}"), AuditHash.canonicalDetails("{\"n\": \"100\"}"));
    }

    @Test
    void hashIsStableAndCoversEveryField() {
        String base = AuditHash.hash(7, AT, "alice", "user.created", "user", "bob", "{}", AuditHash.GENESIS);
        assertEquals(base, AuditHash.hash(7, AT, "alice", "user.created", "user", "bob", "{}", AuditHash.GENESIS));
        assertEquals(64, base.length());
        assertNotEquals(base, AuditHash.hash(8, AT, "alice", "user.created", "user", "bob", "{}", AuditHash.GENESIS));
        assertNotEquals(base, AuditHash.hash(7, AT.plusNanos(1000), "alice", "user.created", "user", "bob", "{}",
                AuditHash.GENESIS));
        assertNotEquals(base, AuditHash.hash(7, AT, "alicf", "user.created", "user", "bob", "{}", AuditHash.GENESIS));
        assertNotEquals(base, AuditHash.hash(7, AT, "alice", "user.deleted", "user", "bob", "{}", AuditHash.GENESIS));
        assertNotEquals(base, AuditHash.hash(7, AT, "alice", "user.created", "host", "bob", "{}", AuditHash.GENESIS));
        assertNotEquals(base, AuditHash.hash(7, AT, "alice", "user.created", "user", "bo", "{}", AuditHash.GENESIS));
        assertNotEquals(base, AuditHash.hash(7, AT, "alice", "user.created", "user", "bob", "{\"a\":1}",
                AuditHash.GENESIS));
        assertNotEquals(base, AuditHash.hash(7, AT, "alice", "user.created", "user", "bob", "{}", "1".repeat(64)));
    }

    @Test
    void fieldBoundariesCannotBeShifted() {
        // "ab"+"c" and "a"+"bc" must not collide: the canonical form is a JSON array, not a concatenation
        assertNotEquals(AuditHash.hash(1, AT, "ab", "c", null, null, "{}", AuditHash.GENESIS),
                AuditHash.hash(1, AT, "a", "bc", null, null, "{}", AuditHash.GENESIS));
        assertNotEquals(AuditHash.hash(1, AT, "a", "b", null, "x", "{}", AuditHash.GENESIS),
                AuditHash.hash(1, AT, "a", "b", "x", null, "{}", AuditHash.GENESIS));
    }

    @Test
    void hashesWhatPostgresqlStoresMicrosecondsNotNanoseconds() {
        assertEquals(AuditHash.hash(1, AT, "a", "b", null, null, "{}", AuditHash.GENESIS),
                AuditHash.hash(1, Instant.parse("2026-11-25T01:02:03.123456Z"), "a", "b", null, null, "{}",
                        AuditHash.GENESIS));
    }

    @Test
    void garbledDetailsAreRefusedNotHashed() {
        assertThrows(IllegalArgumentException.class, () -> AuditHash.canonicalDetails("{not json"));
    }
}
