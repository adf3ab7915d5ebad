package dev.linger.login;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.linger.LingerConfig;
import dev.linger.Row;
import dev.linger.SqlTimes;
import dev.linger.user.Role;

/**
 * Server-side sessions: the cookie holds 256 random bits, the table holds only their SHA-256.
 * Unlike a self-contained encrypted cookie, a session here can be ended: at logout, when the
 * account is disabled, or by deleting rows.
 */
@ApplicationScoped
public class SessionStore {

    /** Refreshing last_seen on every request would write on every page view; once a minute is enough. */
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    /** Who a valid session belongs to. */
    public record SessionUser(String username, Set<Role> roles, boolean mustChangePassword) {

        static SessionUser from(Row row) {
            return new SessionUser(row.string("username"), Role.fromStored(row.string("roles")),
                    row.bool("must_change_password"));
        }
    }

    private final EntityManager em;
    private final Clock clock;
    private final Duration idleTimeout;
    private final SecureRandom random = new SecureRandom();

    SessionStore(EntityManager em, Clock clock, LingerConfig config) {
        this.em = em;
        this.clock = clock;
        this.idleTimeout = config.session().idleTimeout();
    }

    /** Opens a session and returns the token for the cookie. Joins the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public String open(long userId, String clientAddress) {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Instant now = clock.instant();
        em.createNativeQuery("""
                INSERT INTO user_session (token_sha256, user_id, created_at, last_seen_at, expires_at, client_address)
                VALUES (?1, ?2, ?3, ?3, ?4, ?5)
                """)
                .setParameter(1, digest(token)).setParameter(2, userId).setParameter(3, SqlTimes.utc(now))
                .setParameter(4, SqlTimes.utc(now.plus(idleTimeout))).setParameter(5, clientAddress)
                .executeUpdate();
        return token;
    }

    /** The user behind a token, when the session is live and the account enabled; extends the session. */
    @Transactional
    public Optional<SessionUser> resolve(String token) {
        if (token == null || token.length() != 43) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Optional<Row> found = Row.first(Row.query(em, """
                SELECT s.id AS session_id, u.username, u.roles, s.last_seen_at, u.must_change_password
                  FROM user_session s JOIN app_user u ON u.id = s.user_id
                 WHERE s.token_sha256 = ?1 AND s.expires_at > ?2 AND NOT u.disabled
                """).setParameter(1, digest(token)).setParameter(2, SqlTimes.utc(now)));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Row row = found.get();
        Instant lastSeen = row.instant("last_seen_at");
        if (lastSeen.plus(TOUCH_EVERY).isBefore(now)) {
            em.createNativeQuery("UPDATE user_session SET last_seen_at = ?2, expires_at = ?3 WHERE id = ?1")
                    .setParameter(1, row.longValue("session_id")).setParameter(2, SqlTimes.utc(now))
                    .setParameter(3, SqlTimes.utc(now.plus(idleTimeout))).executeUpdate();
        }
        return Optional.of(SessionUser.from(row));
    }

    /** Ends the session of this token; returns the user name it belonged to, if any. Joins the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<String> close(String token) {
        if (token == null) {
            return Optional.empty();
        }
        @SuppressWarnings("unchecked")
        List<String> names = em.createNativeQuery("""
                DELETE FROM user_session s USING app_user u
                 WHERE u.id = s.user_id AND s.token_sha256 = ?1
                RETURNING u.username
                """).setParameter(1, digest(token)).getResultList();
        return names.stream().findFirst();
    }

    /**
     * Ends every session of a user except the one holding {@code keepToken} (none when it is null): after a
     * password change, whoever knew the old password is out. Joins the caller's transaction; returns how many ended.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public int closeAllOf(long userId, String keepToken) {
        return em.createNativeQuery("DELETE FROM user_session WHERE user_id = ?1 AND token_sha256 <> ?2")
                .setParameter(1, userId).setParameter(2, keepToken == null ? "" : digest(keepToken)).executeUpdate();
    }

    @Transactional
    public int deleteExpired() {
        return em.createNativeQuery("DELETE FROM user_session WHERE expires_at <= ?1")
                .setParameter(1, SqlTimes.utc(clock.instant())).executeUpdate();
    }

    static String digest(String token) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
