package dev.linger.collect;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.linger.Row;
import dev.linger.SqlTimes;

/**
 * Snapshots: small parts (counts, socket groups, sysctls, processes) as jsonb, the sampled notable sockets as one
 * gzip-compressed JSON array, so a collection is one row and one small write however busy the host. Old snapshots
 * lose their detail (groups, samples, processes), then thin out to one per period, then go.
 */
@ApplicationScoped
public class SnapshotStore {

    /** One point of the states-over-time chart. */
    public record StatesAt(Instant takenAt, List<CollectorOutput.StateCount> states) {
    }

    private static final TypeReference<List<CollectorOutput.StateCount>> STATES = new TypeReference<>() {
    };
    private static final TypeReference<List<CollectorOutput.NotableSocket>> SOCKETS = new TypeReference<>() {
    };
    private static final TypeReference<List<CollectorOutput.ProcessInfo>> PROCESSES = new TypeReference<>() {
    };
    private static final TypeReference<Map<String, String>> SYSCTLS = new TypeReference<>() {
    };
    private static final TypeReference<List<String>> PROBLEMS = new TypeReference<>() {
    };
    private static final TypeReference<List<NetNamespace>> NAMESPACES = new TypeReference<>() {
    };
    private static final TypeReference<List<SocketGroup>> GROUPS = new TypeReference<>() {
    };

    /** More processes than this hold notable sockets only on a host where a full scan is due anyway. */
    static final int MAX_OWNER_HINTS = 200;

    private final EntityManager em;
    private final ObjectMapper json;
    private final dev.linger.JsonText jsonText;

    SnapshotStore(EntityManager em, ObjectMapper json, dev.linger.JsonText jsonText) {
        this.jsonText = jsonText;
        this.em = em;
        this.json = json;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public long store(long hostId, Instant takenAt, Duration duration, CollectorOutput out) {
        Object id = em.createNativeQuery("""
                INSERT INTO snapshot (host_id, taken_at, duration_ms, source, states, sysctls, sockstat, processes,
                                      sockets_gz, socket_count, problems, owner_pids, namespaces, boot_id,
                                      chart_states, groups)
                VALUES (?1, ?2, ?3, ?4, CAST(?5 AS jsonb), CAST(?6 AS jsonb), CAST(?7 AS jsonb), CAST(?8 AS jsonb),
                        ?9, ?10, CAST(?11 AS jsonb), CAST(?12 AS integer[]), CAST(?13 AS jsonb), ?14,
                        CAST(?15 AS jsonb), CAST(?16 AS jsonb))
                RETURNING id
                """)
                .setParameter(1, hostId).setParameter(2, SqlTimes.utc(takenAt))
                .setParameter(3, (int) Math.min(Integer.MAX_VALUE, duration.toMillis()))
                .setParameter(4, out.meta() == null ? null : out.meta().source())
                .setParameter(5, write(out.states())).setParameter(6, write(out.sysctls()))
                .setParameter(7, out.sockstat() == null ? null : write(out.sockstat()))
                .setParameter(8, write(out.processes()))
                .setParameter(9, gzip(SocketGroups.samples(out.sockets(), out.states())))
                .setParameter(10, (int) Math.min(Integer.MAX_VALUE, out.notableCount()))
                .setParameter(11, write(out.problems()))
                .setParameter(12, ownerPids(out)).setParameter(13, write(out.namespaces()))
                .setParameter(14, out.meta() == null ? null : out.meta().bootId())
                .setParameter(15, write(chartStates(out.states()))).setParameter(16, write(out.groups()))
                .getSingleResult();
        return ((Number) id).longValue();
    }

    /** States the chart never draws; a node with hundreds of quiet containers counts thousands of these. */
    private static final java.util.Set<String> NOT_CHARTED = java.util.Set.of("LISTEN", "ESTAB", "TIME-WAIT");

    /** The counts the host page's chart reads back for hours of points, kept apart from the full counts. */
    static List<CollectorOutput.StateCount> chartStates(List<CollectorOutput.StateCount> states) {
        return states.stream().filter(c -> !NOT_CHARTED.contains(c.state())).toList();
    }

    /**
     * The output continued from the host's last snapshot: {@link NetNamespace#replaced()} set on each container,
     * pod or ip netns that has a new namespace since then (it restarted; compared by container id, pod uid or
     * name), and each socket group's {@link SocketGroup#since()}: kept from the same group last time, else
     * {@code takenAt}.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public CollectorOutput continued(long hostId, Instant takenAt, CollectorOutput out) {
        Optional<Row> last = Row.list(Row.query(em, """
                SELECT namespaces::text AS namespaces, groups::text AS groups, taken_at FROM snapshot
                 WHERE host_id = ?1 ORDER BY taken_at DESC LIMIT 1
                """).setParameter(1, hostId)).stream().findFirst();
        CollectorOutput marked = out;
        if (out.namespaces().size() >= 2 && last.isPresent() && !last.get().isNull("namespaces")) {
            List<NetNamespace> namespaces = NamespaceNames.markReplaced(out.namespaces(),
                    read(last.get().string("namespaces"), NAMESPACES));
            marked = namespaces == out.namespaces() ? out : out.withNamespaces(namespaces);
        }
        java.util.Map<SocketGroup.Key, Instant> seen = new java.util.HashMap<>();
        if (last.isPresent() && !last.get().isNull("groups")) {
            Instant lastTaken = last.get().instant("taken_at");
            for (SocketGroup g : read(last.get().string("groups"), GROUPS)) {
                seen.put(g.key(), g.since() == null ? lastTaken : g.since());
            }
        }
        List<SocketGroup> dated = new ArrayList<>(marked.groups().size());
        for (SocketGroup g : marked.groups()) {
            Instant since = seen.get(g.key());
            dated.add(g.since(since == null || since.isAfter(takenAt) ? takenAt : since));
        }
        return marked.withGroups(dated);
    }

    /** The pids that held notable sockets at the host's last collection (empty when unknown). */
    public List<Integer> lastOwnerPids(long hostId) {
        @SuppressWarnings("unchecked")
        List<Object> rows = em.createNativeQuery("""
                SELECT array_to_string(owner_pids, ' ') FROM snapshot WHERE host_id = ?1 ORDER BY taken_at DESC LIMIT 1
                """).setParameter(1, hostId).getResultList();
        if (rows.isEmpty() || rows.get(0) == null || ((String) rows.get(0)).isBlank()) {
            return List.of();
        }
        return java.util.Arrays.stream(((String) rows.get(0)).split(" ")).map(Integer::valueOf).toList();
    }

    static String ownerPids(CollectorOutput out) {
        return out.groups().stream().filter(g -> g.owner() != null).map(g -> g.owner().pid()).distinct().sorted()
                .limit(MAX_OWNER_HINTS).map(String::valueOf).collect(java.util.stream.Collectors.joining(",", "{", "}"));
    }

    public Optional<SnapshotView> latest(long hostId) {
        return Row.list(Row.query(em, """
                SELECT id, host_id, taken_at, duration_ms, source, states::text AS states, sysctls::text AS sysctls,
                       sockstat::text AS sockstat, processes::text AS processes, sockets_gz, socket_count,
                       problems::text AS problems, detail, namespaces::text AS namespaces, groups::text AS groups
                  FROM snapshot WHERE host_id = ?1 ORDER BY taken_at DESC LIMIT 1
                """).setParameter(1, hostId)).stream().findFirst().map(this::view);
    }

    /** Counts per (port, state) over time, oldest first, for the chart. */
    public List<StatesAt> series(long hostId, Instant since) {
        return Row.list(Row.query(em, """
                SELECT taken_at, states::text AS states FROM snapshot
                 WHERE host_id = ?1 AND taken_at >= ?2 ORDER BY taken_at
                """).setParameter(1, hostId).setParameter(2, SqlTimes.utc(since))).stream()
                .map(r -> new StatesAt(r.instant("taken_at"), read(r.string("states"), STATES))).toList();
    }

    /**
     * Retention: snapshots older than {@code detailBefore} keep only counts and sysctls, one per
     * {@code period} and host; those older than {@code deleteBefore} are deleted.
     */
    @Transactional
    public int prune(Instant detailBefore, Duration period, Instant deleteBefore) {
        int removed = em.createNativeQuery("DELETE FROM snapshot WHERE taken_at < ?1")
                .setParameter(1, SqlTimes.utc(deleteBefore)).executeUpdate();
        removed += em.createNativeQuery("""
                DELETE FROM snapshot s
                 WHERE s.taken_at < ?1
                   AND EXISTS (SELECT 1 FROM snapshot t
                                WHERE t.host_id = s.host_id AND t.taken_at < s.taken_at
                                  AND date_bin(make_interval(secs => ?2), t.taken_at, TIMESTAMPTZ 'epoch')
                                    = date_bin(make_interval(secs => ?2), s.taken_at, TIMESTAMPTZ 'epoch'))
                """).setParameter(1, SqlTimes.utc(detailBefore)).setParameter(2, (double) period.toSeconds())
                .executeUpdate();
        em.createNativeQuery("""
                UPDATE snapshot SET sockets_gz = NULL, processes = NULL, groups = NULL, detail = false
                 WHERE detail AND taken_at < ?1
                """).setParameter(1, SqlTimes.utc(detailBefore)).executeUpdate();
        return removed;
    }

    private SnapshotView view(Row r) {
        byte[] gz = (byte[]) r.raw("sockets_gz");
        return new SnapshotView(r.longValue("id"), r.longValue("host_id"), r.instant("taken_at"),
                r.longValue("duration_ms"), r.string("source"), read(r.string("states"), STATES),
                gz == null ? List.of() : gunzip(gz), r.intValue("socket_count"), read(r.string("sysctls"), SYSCTLS),
                r.isNull("sockstat") ? null : read(r.string("sockstat"), new TypeReference<CollectorOutput.Sockstat>() {
                }), r.isNull("processes") ? List.of() : read(r.string("processes"), PROCESSES),
                read(r.string("problems"), PROBLEMS), r.bool("detail"), read(r.string("namespaces"), NAMESPACES),
                // a snapshot from before groups lists every socket: grouped from them; a downsampled one has none
                !r.isNull("groups") ? read(r.string("groups"), GROUPS) : gz == null ? List.of() : null);
    }

    private String write(Object value) {
        return jsonText.write(value);
    }

    private <T> T read(String text, TypeReference<T> type) {
        return jsonText.read(text, type);
    }

    private byte[] gzip(List<CollectorOutput.NotableSocket> sockets) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(Math.max(1024, sockets.size() * 40));
        try (OutputStream out = new GZIPOutputStream(bytes, 65536) {
            {
                def.setLevel(Deflater.BEST_SPEED); // collections run every 30 s: speed over the last few percent
            }
        }) {
            json.writeValue(out, sockets);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private List<CollectorOutput.NotableSocket> gunzip(byte[] gz) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz), 65536)) {
            return json.readValue(in, SOCKETS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
