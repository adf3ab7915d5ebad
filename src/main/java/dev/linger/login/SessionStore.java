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
    public record SessionUser(String username, Set<Role> roles, boolean mustChangePassword, String authMethod,
            Instant authenticatedAt, boolean mustSetUpCodes) {

        static SessionUser from(Row row) {
            return new SessionUser(row.string("username"), Role.fromStored(row.string("roles")),
                    row.bool("must_change_password"), row.string("auth_method"), row.instant("authenticated_at"),
                    row.bool("must_set_up_codes"));
        }
    }

    /** How a session's person proved who they are, and when (step-up asks for a recent one). */
    public record Authentication(String method, Instant at, String idToken) {
        public static final String PASSWORD = "password";
        public static final String PASSWORD_TOTP = "password+totp";
        public static final String OIDC = "oidc";
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

    /** Opens a session after a password check just now and returns the token for the cookie. Joins the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public String open(long userId, String clientAddress) {
        return open(userId, clientAddress, new Authentication(Authentication.PASSWORD, clock.instant(), null));
    }

    /** Opens a session and returns the token for the cookie. Joins the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public String open(long userId, String clientAddress, Authentication how) {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Instant now = clock.instant();
        em.createNativeQuery("""
                INSERT INTO user_session (token_sha256, user_id, created_at, last_seen_at, expires_at, client_address,
                                          auth_method, authenticated_at, id_token)
                VALUES (?1, ?2, ?3, ?3, ?4, ?5, ?6, ?7, ?8)
                """)
                .setParameter(1, digest(token)).setParameter(2, userId).setParameter(3, SqlTimes.utc(now))
                .setParameter(4, SqlTimes.utc(now.plus(idleTimeout))).setParameter(5, clientAddress)
                .setParameter(6, how.method()).setParameter(7, SqlTimes.utc(how.at())).setParameter(8, how.idToken())
                .executeUpdate();
        return token;
    }

    /**
     * Records a fresh authentication of this session's person (step-up): the password again, or the provider's
     * sign-in again. Joins the caller's transaction; false when the session is gone.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean reauthenticated(String token, Authentication how) {
        return em.createNativeQuery("""
                UPDATE user_session SET auth_method = ?2, authenticated_at = ?3, id_token = COALESCE(?4, id_token)
                 WHERE token_sha256 = ?1
                """).setParameter(1, digest(token == null ? "" : token)).setParameter(2, how.method())
                .setParameter(3, SqlTimes.utc(how.at())).setParameter(4, how.idToken()).executeUpdate() == 1;
    }

    /** The user behind a token, when the session is live and the account enabled; extends the session. */
    @Transactional
    public Optional<SessionUser> resolve(String token) {
        if (token == null || token.length() != 43) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Optional<Row> found = Row.first(Row.query(em, """
                SELECT s.id AS session_id, u.username, u.roles, s.last_seen_at, u.must_change_password,
                       s.auth_method, s.authenticated_at,
                       (p.totp_required AND u.oidc_subject IS NULL AND u.totp_enabled_at IS NULL
                        AND u.roles ~ '(approver|admin)') AS must_set_up_codes
                  FROM user_session s JOIN app_user u ON u.id = s.user_id CROSS JOIN login_policy p
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

    /** A session that ended: whose it was, and the provider's ID token when it began at the provider. */
    public record Closed(String username, String idToken) {
    }

    /** Ends the session of this token. Joins the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Closed> close(String token) {
        if (token == null) {
            return Optional.empty();
        }
        // Row.list, not Row.first: a row limit cannot follow DELETE … RETURNING
        return Row.list(Row.query(em, """
                DELETE FROM user_session s USING app_user u
                 WHERE u.id = s.user_id AND s.token_sha256 = ?1
                RETURNING u.username, s.id_token
                """).setParameter(1, digest(token))).stream().findFirst()
                .map(r -> new Closed(r.string("username"), r.string("id_token")));
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
