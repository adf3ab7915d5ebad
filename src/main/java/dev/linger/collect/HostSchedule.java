package dev.linger.collect;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.linger.Row;
import dev.linger.SqlTimes;
import dev.linger.transport.TransportFailure;

/**
 * Every change to a host's schedule, as one guarded statement each. Claims take due hosts with
 * FOR UPDATE SKIP LOCKED, so any number of instances share the work and each host is collected
 * by exactly one of them per round; results are written back only by the instance that holds the
 * lease. Times come from the application's injected {@link Clock} (bound as a parameter, one instant per
 * statement), so that tests move time instead of waiting.
 */
@ApplicationScoped
public class HostSchedule {

    /** A host this instance now holds, and how late its collection is. */
    public record Claim(long hostId, double lagSeconds) {

        static Claim from(Row row) {
            return new Claim(row.longValue("id"), row.doubleValue("lag_seconds"));
        }
    }

    private final EntityManager em;
    private final Clock clock;

    HostSchedule(EntityManager em, Clock clock) {
        this.em = em;
        this.clock = clock;
    }

    @Transactional
    public List<Claim> claimDue(String owner, String machineId, int limit, Duration lease) {
        return Row.list(Row.query(em, """
                WITH due AS (
                    SELECT id, next_due_at FROM host
                     WHERE next_due_at <= CAST(?5 AS timestamptz)
                       AND archived_at IS NULL
                       AND (lease_until IS NULL OR lease_until < CAST(?5 AS timestamptz))
                       AND host_key_status IS DISTINCT FROM 'CHANGED'
                       AND (transport <> 'LOCAL' OR local_machine_id = ?2)
                     ORDER BY next_due_at
                     LIMIT ?3
                       FOR UPDATE SKIP LOCKED)
                UPDATE host h SET lease_owner = ?1, lease_until = CAST(?5 AS timestamptz) + make_interval(secs => ?4)
                  FROM due WHERE h.id = due.id
                RETURNING h.id AS id, EXTRACT(EPOCH FROM CAST(?5 AS timestamptz) - due.next_due_at) AS lag_seconds
                """).setParameter(1, owner).setParameter(2, machineId).setParameter(3, limit)
                .setParameter(4, (double) lease.toSeconds()).setParameter(5, clockNow()))
                .stream().map(Claim::from).toList();
    }

    /** Claims one host now (for "collect now"), unless someone is collecting it already or its key changed. */
    @Transactional
    public boolean claim(long hostId, String owner, String machineId, Duration lease) {
        return em.createNativeQuery("""
                UPDATE host SET lease_owner = ?2, lease_until = CAST(?5 AS timestamptz) + make_interval(secs => ?4)
                 WHERE id = ?1 AND archived_at IS NULL AND (lease_until IS NULL OR lease_until < CAST(?5 AS timestamptz))
                   AND host_key_status IS DISTINCT FROM 'CHANGED'
                   AND (transport <> 'LOCAL' OR local_machine_id = ?3)
                """).setParameter(1, hostId).setParameter(2, owner).setParameter(3, machineId)
                .setParameter(4, (double) lease.toSeconds()).setParameter(5, clockNow()).executeUpdate() == 1;
    }

    /**
     * Records a good collection and schedules the next one interval after this one was due.
     *
     * @param canKillSockets whether the host's ss -K works, as this collection probed it (null: not reported)
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean succeeded(long hostId, String owner, String warning, Boolean canKillSockets) {
        return em.createNativeQuery("""
                UPDATE host SET lease_owner = NULL, lease_until = NULL, status = 'UP', last_error = ?3,
                       last_collected_at = CAST(?5 AS timestamptz), consecutive_failures = 0,
                       can_kill_sockets = COALESCE(CAST(?4 AS boolean), can_kill_sockets),
                       host_key_seen_at = CASE WHEN transport = 'SSH' THEN CAST(?5 AS timestamptz) ELSE host_key_seen_at END,
                       next_due_at = GREATEST(next_due_at + make_interval(secs => collect_interval_seconds),
                                              CAST(?5 AS timestamptz))
                 WHERE id = ?1 AND lease_owner = ?2 AND archived_at IS NULL
                """).setParameter(1, hostId).setParameter(2, owner).setParameter(3, warning)
                .setParameter(4, canKillSockets).setParameter(5, clockNow()).executeUpdate() == 1;
    }

    /**
     * Records a failed collection. An untrusted or changed host key is its own state: a pending key
     * is checked again each interval; a changed one stops all work until an admin decides. Other
     * failures back off: interval x 2^failures, capped.
     */
    @Transactional
    public boolean failed(long hostId, String owner, TransportFailure.Kind kind, String error, String presented,
            Duration maxBackoff) {
        return failed(hostId, owner, kind, error, presented, maxBackoff, false);
    }

    /**
     * As above; {@code grace}: a new host that was never reached keeps its status (UNKNOWN, "never
     * reached yet") instead of turning UNREACHABLE, while its attempts and error are still recorded.
     */
    @Transactional
    public boolean failed(long hostId, String owner, TransportFailure.Kind kind, String error, String presented,
            Duration maxBackoff, boolean grace) {
        String message = error.length() > 2000 ? error.substring(0, 2000) + "…" : error;
        return switch (kind) {
            case HOST_KEY_PENDING -> em.createNativeQuery("""
                    UPDATE host SET lease_owner = NULL, lease_until = NULL, last_error = ?3,
                           host_key_status = 'PENDING', host_key_presented = ?4, host_key_seen_at = CAST(?5 AS timestamptz),
                           next_due_at = CAST(?5 AS timestamptz) + make_interval(secs => collect_interval_seconds)
                     WHERE id = ?1 AND lease_owner = ?2 AND archived_at IS NULL
                    """).setParameter(1, hostId).setParameter(2, owner).setParameter(3, message)
                    .setParameter(4, presented).setParameter(5, clockNow()).executeUpdate() == 1;
            case HOST_KEY_CHANGED -> em.createNativeQuery("""
                    UPDATE host SET lease_owner = NULL, lease_until = NULL, last_error = ?3, status = 'UNREACHABLE',
                           host_key_status = 'CHANGED', host_key_presented = ?4, host_key_seen_at = CAST(?5 AS timestamptz)
                     WHERE id = ?1 AND lease_owner = ?2 AND archived_at IS NULL
                    """).setParameter(1, hostId).setParameter(2, owner).setParameter(3, message)
                    .setParameter(4, presented).setParameter(5, clockNow()).executeUpdate() == 1;
            default -> em.createNativeQuery("""
                    UPDATE host SET lease_owner = NULL, lease_until = NULL, last_error = ?3,
                           status = CASE WHEN CAST(?5 AS boolean) THEN status ELSE 'UNREACHABLE' END,
                           consecutive_failures = consecutive_failures + 1,
                           next_due_at = CAST(?6 AS timestamptz) + LEAST(
                               make_interval(secs => collect_interval_seconds * power(2, LEAST(consecutive_failures, 16))),
                               make_interval(secs => ?4))
                     WHERE id = ?1 AND lease_owner = ?2 AND archived_at IS NULL
                    """).setParameter(1, hostId).setParameter(2, owner).setParameter(3, message)
                    .setParameter(4, (double) maxBackoff.toSeconds()).setParameter(5, grace).setParameter(6, clockNow())
                    .executeUpdate() == 1;
        };
    }

    /** The application's now, bound as a timestamptz parameter. */
    private java.time.OffsetDateTime clockNow() {
        return SqlTimes.utc(clock.instant());
    }
}
