package dev.linger.token;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import dev.linger.InvalidInput;
import dev.linger.LingerConfig;
import dev.linger.NotFound;
import dev.linger.Row;
import dev.linger.SqlTimes;
import dev.linger.audit.AuditLog;
import dev.linger.i18n.Text;
import dev.linger.login.LoginThrottle;
import dev.linger.user.AppUser;
import dev.linger.user.Role;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Personal API tokens: made by their owner (shown once, stored as a SHA-256), listed, revoked by the owner or an
 * admin, and checked on every API request that carries one. A token's scopes are capped by its owner's roles at
 * every use, so a token loses what its owner loses, and a disabled owner's tokens stop working. Failed uses are
 * audited (with the first characters of the token at most) and slow the client down like failed logins.
 */
@ApplicationScoped
public class TokenService {

    private static final Logger LOG = Logger.getLogger(TokenService.class);
    public static final int DEFAULT_DAYS = 90;
    /** Writing last_used on every request would write on every API call; once a minute is enough. */
    static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

    /** A token just made: the only time {@code token} is known. */
    public record Created(long id, String token, String prefix, List<String> scopes, Instant expiresAt) {
    }

    /** Who a token speaks for, and the roles it has now. */
    public record Holder(long tokenId, String username, Set<String> roles, boolean mustChangePassword) {
    }

    public sealed interface Outcome {
        record Accepted(Holder holder) implements Outcome {
        }

        record Refused() implements Outcome {
        }

        record Throttled(Duration retryAfter) implements Outcome {
        }
    }

    private final EntityManager em;
    private final Clock clock;
    private final AuditLog audit;
    private final LoginThrottle throttle;
    private final int maxDays;

    private final javax.sql.DataSource dataSource;

    TokenService(EntityManager em, Clock clock, AuditLog audit, LoginThrottle throttle, LingerConfig config,
            javax.sql.DataSource dataSource) {
        this.dataSource = dataSource;
        this.em = em;
        this.clock = clock;
        this.audit = audit;
        this.throttle = throttle;
        this.maxDays = config.tokens().maxDays();
    }

    public int maxDays() {
        return maxDays;
    }

    /**
     * Makes a token for {@code owner}, who holds {@code ownerRoles} (as security checks name them) in this request:
     * each scope must be one of those, so nobody makes a token stronger than themselves.
     */
    @Transactional
    public Created create(String owner, Set<String> ownerRoles, String name, List<String> scopeNames,
            Integer expiresInDays) {
        Map<String, Text> problems = new LinkedHashMap<>();
        String cleanName = name == null ? "" : name.strip();
        if (cleanName.isEmpty() || cleanName.codePointCount(0, cleanName.length()) > 100
                || cleanName.chars().anyMatch(Character::isISOControl) || hasHiddenMarks(cleanName)) {
            problems.put("name", Text.of("refuse.tokenName"));
        }
        EnumSet<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String s : scopeNames == null ? List.<String>of() : scopeNames) {
            Scope scope = Scope.parse(s);
            if (scope == null) {
                problems.putIfAbsent("scopes", Text.of("refuse.tokenUnknownScope", s == null ? "" : s.strip()));
            } else if (!ownerRoles.contains(scope.role().id())) {
                problems.putIfAbsent("scopes", Text.of("refuse.tokenScopeNotYours", scope.id()));
            } else {
                scopes.add(scope);
            }
        }
        if (scopes.isEmpty() && !problems.containsKey("scopes")) {
            problems.put("scopes", Text.of("refuse.tokenNoScope"));
        }
        int days = expiresInDays == null ? Math.min(DEFAULT_DAYS, maxDays) : expiresInDays;
        if (days < 1 || days > maxDays) {
            problems.put("expiresInDays", Text.of("refuse.tokenDays", (long) maxDays));
        }
        if (!problems.isEmpty()) {
            throw InvalidInput.of(problems);
        }
        AppUser user = AppUser.findByUsername(owner)
                .orElseThrow(() -> InvalidInput.of("user", Text.of("refuse.accountGone")));
        String token = TokenFormat.generate();
        String prefix = TokenFormat.shown(token);
        Instant now = clock.instant();
        Instant expires = now.plus(Duration.ofDays(days));
        String stored = String.join(",", scopes.stream().map(Scope::id).toList());
        long id = ((Number) em.createNativeQuery("""
                INSERT INTO api_token (user_id, name, token_hash, prefix, scopes, created_at, expires_at)
                VALUES (?1, ?2, ?3, ?4, string_to_array(?5, ','), ?6, ?7) RETURNING id
                """).setParameter(1, user.id).setParameter(2, cleanName).setParameter(3, TokenFormat.hash(token))
                .setParameter(4, prefix).setParameter(5, stored).setParameter(6, SqlTimes.utc(now))
                .setParameter(7, SqlTimes.utc(expires)).getSingleResult()).longValue();
        List<String> scopeIds = scopes.stream().map(Scope::id).toList();
        audit.record(owner, "token.created", "token", id, Map.of("name", cleanName, "prefix", prefix, "scopes",
                scopeIds, "user", owner, "expiresAt", expires.toString()));
        return new Created(id, token, prefix, scopeIds, expires);
    }

    /** The tokens of one person, newest first; every token when {@code username} is null. */
    public List<TokenView> list(String username) {
        return QuarkusTransaction.joiningExisting().call(() -> Row.list(Row.query(em, "SELECT " + TokenView.COLUMNS
                + " FROM api_token t JOIN app_user u ON u.id = t.user_id WHERE (CAST(?1 AS text) IS NULL OR"
                + " u.username = ?1) ORDER BY t.created_at DESC, t.id DESC").setParameter(1, username))
                .stream().map(TokenView::of).toList());
    }

    /**
     * Revokes a token of {@code actor}'s, or anyone's when {@code admin}; one of someone else's is not found for
     * anyone else. Revoking a revoked token changes nothing.
     */
    @Transactional
    public TokenView revoke(String actor, boolean admin, long id) {
        TokenView token = Row.first(Row.query(em, "SELECT " + TokenView.COLUMNS
                + " FROM api_token t JOIN app_user u ON u.id = t.user_id WHERE t.id = ?1 FOR UPDATE OF t")
                .setParameter(1, id)).map(TokenView::of)
                .filter(t -> admin || t.user().equals(actor))
                .orElseThrow(() -> new NotFound(Text.of("refuse.noToken", id)));
        if (token.revokedAt() != null) {
            return token;
        }
        em.createNativeQuery("UPDATE api_token SET revoked_at = ?2, revoked_by = ?3 WHERE id = ?1")
                .setParameter(1, id).setParameter(2, SqlTimes.utc(clock.instant())).setParameter(3, actor)
                .executeUpdate();
        audit.record(actor, "token.revoked", "token", id, Map.of("name", token.name(), "prefix", token.prefix(),
                "scopes", token.scopes(), "user", token.user()));
        return Row.first(Row.query(em, "SELECT " + TokenView.COLUMNS
                + " FROM api_token t JOIN app_user u ON u.id = t.user_id WHERE t.id = ?1").setParameter(1, id))
                .map(TokenView::of).orElseThrow();
    }

    /**
     * Checks a token a request carries: throttled per client like logins; a malformed, wrong-checksum, unknown,
     * revoked or expired token, or one of a disabled owner, is refused and audited without the token.
     */
    public Outcome authenticate(String token, String client) {
        Duration wait = throttle.waitBefore(client);
        if (!wait.isZero()) {
            LOG.debugf("token use from %s refused for %d s after repeated failures", client, wait.toSeconds());
            return new Outcome.Throttled(wait);
        }
        if (!TokenFormat.wellFormed(token)) {
            // no database read for a typo; the first characters only when they look like a token's
            return refuse(null, TokenFormat.shown(token), client, "malformed");
        }
        String prefix = TokenFormat.shown(token);
        Optional<Holder> holder = check(token, prefix, client);
        if (holder.isEmpty()) {
            return new Outcome.Refused();
        }
        throttle.succeeded(client);
        return new Outcome.Accepted(holder.get());
    }

    /** What one read of a token's row says. */
    private record Found(long id, String scopes, Instant expiresAt, Instant revokedAt, Instant lastUsedAt,
            String username, String roles, boolean disabled, boolean mustChangePassword) {
    }

    /**
     * The holder of a token, or empty after the refusal is recorded. The hot path is one indexed read on a pooled
     * connection without a transaction (every API call of a script pays it): a transaction is opened only to
     * record a refusal, and the last-used time is a single-statement update once a minute.
     */
    private Optional<Holder> check(String token, String prefix, String client) {
        Instant now = clock.instant();
        Found row = read(TokenFormat.hash(token));
        if (row == null) {
            return refusedInNewTransaction(null, prefix, client, "unknown");
        }
        if (row.revokedAt() != null) {
            return refusedInNewTransaction(row.id(), prefix, client, "revoked");
        }
        if (!row.expiresAt().isAfter(now)) {
            return refusedInNewTransaction(row.id(), prefix, client, "expired");
        }
        if (row.disabled()) {
            return refusedInNewTransaction(row.id(), prefix, client, "owner disabled");
        }
        if (row.lastUsedAt() == null || row.lastUsedAt().plus(TOUCH_EVERY).isBefore(now)) {
            touch(row.id(), now, client);
        }
        Set<String> roles = Scope.cappedRoles(Scope.fromStored(row.scopes()), Role.fromStored(row.roles()));
        return Optional.of(new Holder(row.id(), row.username(), roles, row.mustChangePassword()));
    }

    private Found read(String hash) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                SELECT t.id, array_to_string(t.scopes, ',') AS scopes, t.expires_at, t.revoked_at, t.last_used_at,
                       u.username, u.roles, u.disabled, u.must_change_password
                  FROM api_token t JOIN app_user u ON u.id = t.user_id
                 WHERE t.token_hash = ?
                """)) {
            s.setString(1, hash);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return null;
                }
                return new Found(r.getLong("id"), r.getString("scopes"), instant(r, "expires_at"),
                        instant(r, "revoked_at"), instant(r, "last_used_at"), r.getString("username"),
                        r.getString("roles"), r.getBoolean("disabled"), r.getBoolean("must_change_password"));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read an API token", e);
        }
    }

    private void touch(long id, Instant now, String client) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "UPDATE api_token SET last_used_at = ?, last_used_address = ? WHERE id = ?")) {
            s.setObject(1, java.time.OffsetDateTime.ofInstant(now, java.time.ZoneOffset.UTC));
            s.setString(2, client);
            s.setLong(3, id);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not record an API token's use", e);
        }
    }

    private static Instant instant(ResultSet r, String column) throws SQLException {
        java.time.OffsetDateTime t = r.getObject(column, java.time.OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private Optional<Holder> refusedInNewTransaction(Long id, String prefix, String client, String reason) {
        QuarkusTransaction.requiringNew().run(() -> refused(id, prefix, client, reason));
        return Optional.empty();
    }

    private Optional<Holder> refused(Long id, String prefix, String client, String reason) {
        throttle.failed(client);
        audit.record(AuditLog.ANONYMOUS, "token.use_failed", "token", id, details(prefix, client, reason));
        return Optional.empty();
    }

    private Outcome refuse(Long id, String prefix, String client, String reason) {
        QuarkusTransaction.requiringNew().run(() -> refused(id, prefix, client, reason));
        return new Outcome.Refused();
    }

    private static Map<String, Object> details(String prefix, String client, String reason) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("client", client);
        details.put("reason", reason);
        if (prefix != null) {
            details.put("prefix", prefix);
        }
        return details;
    }

    private static boolean hasHiddenMarks(String s) {
        return s.codePoints().anyMatch(c -> c >= 0x202A && c <= 0x202E || c >= 0x2066 && c <= 0x2069
                || c == 0xFFFD || Character.getType(c) == Character.SURROGATE);
    }

    static List<String> ids(Set<Scope> scopes) {
        return new ArrayList<>(scopes.stream().map(Scope::id).toList());
    }
}
