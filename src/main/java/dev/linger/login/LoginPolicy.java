package dev.linger.login;

import java.time.Clock;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.linger.Row;
import dev.linger.SqlTimes;
import dev.linger.audit.AuditLog;

/**
 * Whether a password opens Linger for everyone, or only for break-glass accounts (the first admin and those an
 * admin marks so) once the team signs in through its provider. One row, read at every password check so that
 * turning it off takes effect on every instance at once.
 */
@ApplicationScoped
public class LoginPolicy {

    private final EntityManager em;
    private final AuditLog audit;
    private final Clock clock;

    LoginPolicy(EntityManager em, AuditLog audit, Clock clock) {
        this.em = em;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * The rules as they stand: {@code localSignIn}, passwords open Linger for everyone (not only break-glass
     * accounts); {@code totpRequired}, approvers and admins who use a password must also use sign-in codes.
     */
    public record Rules(boolean localSignIn, boolean totpRequired) {
    }

    /** One read of the one row. */
    @Transactional
    public Rules rules() {
        return Row.first(Row.query(em, "SELECT local_sign_in, totp_required FROM login_policy WHERE id = 1"))
                .map(r -> new Rules(r.bool("local_sign_in"), r.bool("totp_required"))).orElseThrow();
    }

    /** Audited; returns whether it changed anything. */
    @Transactional
    public boolean setTotpRequired(String actor, boolean required) {
        return set(Switch.TOTP_REQUIRED, required, actor);
    }

    /** Audited; returns whether it changed anything. */
    @Transactional
    public boolean setLocalSignIn(String actor, boolean allowed) {
        return set(Switch.LOCAL_SIGN_IN, allowed, actor);
    }

    /** The policy's switches: each its column and its audit actions (on, off). Never a name from a request. */
    private enum Switch {
        LOCAL_SIGN_IN("local_sign_in", "login.local_on", "login.local_off"),
        TOTP_REQUIRED("totp_required", "login.totp_required", "login.totp_optional");

        final String column;
        final String on;
        final String off;

        Switch(String column, String on, String off) {
            this.column = column;
            this.on = on;
            this.off = off;
        }
    }

    private boolean set(Switch which, boolean value, String actor) {
        int changed = em.createNativeQuery("UPDATE login_policy SET " + which.column + " = ?1, changed_at = ?2,"
                + " changed_by = ?3 WHERE id = 1 AND " + which.column + " <> ?1")
                .setParameter(1, value).setParameter(2, SqlTimes.utc(clock.instant())).setParameter(3, actor)
                .executeUpdate();
        if (changed == 1) {
            audit.record(actor, value ? which.on : which.off, "login_policy", 1, Map.of());
        }
        return changed == 1;
    }
}
