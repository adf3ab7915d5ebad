package dev.linger.collect;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.linger.transport.TransportFailure;

/**
 * Every change to a host's schedule, as one guarded statement each. Claims take due hosts with
 * FOR UPDATE SKIP LOCKED, so any number of instances share the work and each host is collected
 * by exactly one of them per round; results are written back only by the instance that holds the
 * lease. Times come from the database clock, which all instances share.
 */
@ApplicationScoped
public class HostSchedule {

    /** A host this instance now holds, and how late its collection is. */
    public record Claim(long hostId, double lagSeconds) {
    }

    private final EntityManager em;

    HostSchedule(EntityManager em) {
        this.em = em;
    }

    @Transactional
    public List<Claim> claimDue(String owner, String machineId, int limit, Duration lease) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                WITH due AS (
                    SELECT id, next_due_at FROM host
                     WHERE next_due_at <= now()
                       AND archived_at IS NULL
                       AND (lease_until IS NULL OR lease_until < now())
                       AND host_key_status IS DISTINCT FROM 'CHANGED'
                       AND (transport <> 'LOCAL' OR local_machine_id = ?2)
                     ORDER BY next_due_at
                     LIMIT ?3
                       FOR UPDATE SKIP LOCKED)
                UPDATE host h SET lease_owner = ?1, lease_until = now() + make_interval(secs => ?4)
                  FROM due WHERE h.id = due.id
                RETURNING h.id, EXTRACT(EPOCH FROM now() - due.next_due_at)
                """).setParameter(1, owner).setParameter(2, machineId).setParameter(3, limit)
                .setParameter(4, (double) lease.toSeconds()).getResultList();
        return rows.stream().map(r -> new Claim(((Number) r[0]).longValue(), ((Number) r[1]).doubleValue())).toList();
    }

    /** Claims one host now (for "collect now"), unless someone is collecting it already or its key changed. */
    @Transactional
    public boolean claim(long hostId, String owner, String machineId, Duration lease) {
        return em.createNativeQuery("""
                UPDATE host SET lease_owner = ?2, lease_until = now() + make_interval(secs => ?4)
                 WHERE id = ?1 AND archived_at IS NULL AND (lease_until IS NULL OR lease_until < now())
                   AND host_key_status IS DISTINCT FROM 'CHANGED'
                   AND (transport <> 'LOCAL' OR local_machine_id = ?3)
                """).setParameter(1, hostId).setParameter(2, owner).setParameter(3, machineId)
                .setParameter(4, (double) lease.toSeconds()).executeUpdate() == 1;
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
                       last_collected_at = now(), consecutive_failures = 0,
                       can_kill_sockets = COALESCE(CAST(?4 AS boolean), can_kill_sockets),
                       host_key_seen_at = CASE WHEN transport = 'SSH' THEN now() ELSE host_key_seen_at END,
                       next_due_at = GREATEST(next_due_at + make_interval(secs => collect_interval_seconds), now())
                 WHERE id = ?1 AND lease_owner = ?2 AND archived_at IS NULL
                """).setParameter(1, hostId).setParameter(2, owner).setParameter(3, warning)
                .setParameter(4, canKillSockets).executeUpdate() == 1;
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
                           host_key_status = 'PENDING', host_key_presented = ?4, host_key_seen_at = now(),
                           next_due_at = now() + make_interval(secs => collect_interval_seconds)
                     WHERE id = ?1 AND lease_owner = ?2 AND archived_at IS NULL
                    """).setParameter(1, hostId).setParameter(2, owner).setParameter(3, message)
                    .setParameter(4, presented).executeUpdate() == 1;
            case HOST_KEY_CHANGED -> em.createNativeQuery("""
                    UPDATE host SET lease_owner = NULL, lease_until = NULL, last_error = ?3, status = 'UNREACHABLE',
                           host_key_status = 'CHANGED', host_key_presented = ?4, host_key_seen_at = now()
                     WHERE id = ?1 AND lease_owner = ?2 AND archived_at IS NULL
                    """).setParameter(1, hostId).setParameter(2, owner).setParameter(3, message)
                    .setParameter(4, presented).executeUpdate() == 1;
            default -> em.createNativeQuery("""
                    UPDATE host SET lease_owner = NULL, lease_until = NULL, last_error = ?3,
                           status = CASE WHEN CAST(?5 AS boolean) THEN status ELSE 'UNREACHABLE' END,
                           consecutive_failures = consecutive_failures + 1,
                           next_due_at = now() + LEAST(
                               make_interval(secs => collect_interval_seconds * power(2, LEAST(consecutive_failures, 16))),
                               make_interval(secs => ?4))
                     WHERE id = ?1 AND lease_owner = ?2 AND archived_at IS NULL
                    """).setParameter(1, hostId).setParameter(2, owner).setParameter(3, message)
                    .setParameter(4, (double) maxBackoff.toSeconds()).setParameter(5, grace).executeUpdate() == 1;
        };
    }
}
