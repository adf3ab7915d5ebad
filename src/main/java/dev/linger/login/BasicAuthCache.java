package dev.linger.login;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.linger.LingerConfig;
import dev.linger.user.Role;

/**
 * Remembers successful HTTP Basic checks for a short while, so that a script calling the API does not cost a
 * bcrypt per request. An entry is found by an HMAC-SHA256, under a key drawn at random when the process starts,
 * of the user name and password: neither the password nor anything that could be checked against it offline
 * outlives the process.
 * <p>
 * An entry is only a shortcut past bcrypt, never past the account's current state: every hit reads the user's
 * {@code version} (bumped by every change to the row: password, roles, disabled, must-change-password) and
 * disabled flag by primary key, and an entry whose user changed since it was made is dropped, so a change made
 * through the other instance sharing the database counts at once too. {@link #forget} empties a user's entries
 * on this instance when {@code UserService} changes them.
 */
@ApplicationScoped
public class BasicAuthCache {

    /** Bound on the entries kept; past it the expired go, and if that is not enough, all. */
    static final int MAX_ENTRIES = 10_000;

    /** What a successful check established, as of the row's {@code version}. */
    public record Entry(long userId, String username, Set<Role> roles, boolean mustChangePassword, int version,
            Instant expires) {
    }

    private final Clock clock;
    private final DataSource dataSource;
    private final Duration ttl;
    private final SecretKeySpec key;
    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final LongAdder hits = new LongAdder();

    @Inject
    BasicAuthCache(Clock clock, DataSource dataSource, LingerConfig config) {
        this.clock = clock;
        this.dataSource = dataSource;
        this.ttl = config.api().basicAuth().cacheTtl();
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    public boolean enabled() {
        return !ttl.isZero() && !ttl.isNegative();
    }

    /**
     * The entry for these credentials if there is one, it has not expired, and the user is still the one it saw
     * (same version, not disabled); otherwise empty, and a stale entry is dropped.
     */
    public Optional<Entry> lookup(String username, String password) {
        if (!enabled()) {
            return Optional.empty();
        }
        String k = keyOf(username, password);
        Entry e = entries.get(k);
        if (e == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(e.expires())) {
            entries.remove(k, e);
            return Optional.empty();
        }
        if (!stillTheSame(e)) {
            entries.remove(k, e);
            return Optional.empty();
        }
        hits.increment();
        return Optional.of(e);
    }

    /** Records a successful check of these credentials against the row as it was at {@code version}. */
    public void remember(String username, String password, long userId, String storedName, Set<Role> roles,
            boolean mustChangePassword, int version) {
        if (!enabled()) {
            return;
        }
        Instant now = clock.instant();
        if (entries.size() >= MAX_ENTRIES) {
            entries.values().removeIf(e -> !now.isBefore(e.expires()));
            if (entries.size() >= MAX_ENTRIES) {
                entries.clear();
            }
        }
        entries.put(keyOf(username, password),
                new Entry(userId, storedName, Set.copyOf(roles), mustChangePassword, version, now.plus(ttl)));
    }

    /** Drops every entry of this user on this instance: their password, roles or state just changed. */
    public void forget(long userId) {
        entries.values().removeIf(e -> e.userId() == userId);
    }

    /** Entries held for this user (for tests and diagnostics). */
    public long entriesOf(long userId) {
        return entries.values().stream().filter(e -> e.userId() == userId).count();
    }

    /** Checks answered from the cache since start. */
    public long hits() {
        return hits.sum();
    }

    /** One read by primary key: is the row still at the version the entry saw, enabled, and may it use a password? */
    private boolean stillTheSame(Entry e) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("""
                        SELECT u.version, u.disabled, (u.break_glass OR p.local_sign_in)
                               AND NOT (p.totp_required AND u.roles ~ '(approver|admin)') AS password_allowed
                          FROM app_user u CROSS JOIN login_policy p WHERE u.id = ?
                        """)) {
            s.setLong(1, e.userId());
            try (ResultSet r = s.executeQuery()) {
                return r.next() && r.getInt("version") == e.version() && !r.getBoolean("disabled")
                        && r.getBoolean("password_allowed");
            }
        } catch (SQLException failure) {
            throw new IllegalStateException("could not read the user behind a cached API sign-in", failure);
        }
    }

    private String keyOf(String username, String password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(username.getBytes(StandardCharsets.UTF_8));
            // a separator that cannot occur in a user name keeps "ab"+"c" apart from "a"+"bc"
            mac.update((byte) 0);
            return Base64.getEncoder().encodeToString(mac.doFinal(password.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", impossible);
        }
    }
}
