package dev.linger.user;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.linger.InvalidInput;
import dev.linger.SqlTimes;
import dev.linger.audit.AuditLog;
import dev.linger.i18n.Text;
import dev.linger.login.BasicAuthCache;
import dev.linger.login.Totp;

/**
 * Codes from an authenticator app for local accounts (RFC 6238): set up on the Account page (secret, QR code, a
 * first code to prove the app has it), ten recovery codes shown once and kept only as hashes, turned off with the
 * password. {@link #check} is what sign-in and step-up call. Every change is audited.
 */
@ApplicationScoped
public class TwoFactor {

    public static final int RECOVERY_CODES = 10;
    private static final String RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A setup under way: the secret and what the app scans. */
    public record Setup(String secret, String uri) {
    }

    private final EntityManager em;
    private final AuditLog audit;
    private final Clock clock;
    private final Passwords passwords;
    private final BasicAuthCache basicCache;

    TwoFactor(EntityManager em, AuditLog audit, Clock clock, Passwords passwords, BasicAuthCache basicCache) {
        this.em = em;
        this.audit = audit;
        this.clock = clock;
        this.passwords = passwords;
        this.basicCache = basicCache;
    }

    /** Starts (or restarts) a setup: a new secret that counts only once {@link #confirm} sees a code of it. */
    @Transactional
    public Setup begin(String username) {
        AppUser user = local(username);
        if (user.hasTotp()) {
            throw InvalidInput.conflict("totp", Text.of("refuse.totpAlreadyOn"));
        }
        user.totpSecret = Totp.newSecret();
        return new Setup(user.totpSecret, Totp.uri("Linger", user.username, user.totpSecret));
    }

    /** The setup under way, to show its QR code again; null when there is none. */
    @Transactional
    public Setup pending(String username) {
        AppUser user = local(username);
        return user.hasTotp() || user.totpSecret == null ? null
                : new Setup(user.totpSecret, Totp.uri("Linger", user.username, user.totpSecret));
    }

    /** A first code proves the app holds the secret: codes count from now; returns the recovery codes, shown once. */
    @Transactional
    public List<String> confirm(String username, String code) {
        AppUser user = local(username);
        if (user.hasTotp()) {
            throw InvalidInput.conflict("totp", Text.of("refuse.totpAlreadyOn"));
        }
        if (user.totpSecret == null) {
            throw InvalidInput.of("code", Text.of("refuse.totpNotStarted"));
        }
        long step = Totp.verify(user.totpSecret, code, clock.instant(), user.totpLastStep);
        if (step < 0) {
            throw InvalidInput.of("code", Text.of("refuse.totpWrong"));
        }
        user.totpLastStep = step;
        user.totpEnabledAt = clock.instant();
        basicCache.forget(user.id);
        List<String> codes = newRecoveryCodes(user.id);
        audit.record(user.username, "user.totp_enabled", "user", user.username, Map.of());
        return codes;
    }

    /** Turns codes off; needs the password, like every change that weakens a sign-in. */
    @Transactional
    public void disable(String username, String password) {
        AppUser user = local(username);
        if (password == null || password.length() > 256 || !passwords.matches(password, user.passwordHash)) {
            throw InvalidInput.of("password", Text.of("refuse.currentPassword"));
        }
        if (!user.hasTotp() && user.totpSecret == null) {
            return;
        }
        boolean wasOn = user.hasTotp();
        user.totpSecret = null;
        user.totpEnabledAt = null;
        em.createNativeQuery("DELETE FROM user_recovery_code WHERE user_id = ?1").setParameter(1, user.id)
                .executeUpdate();
        basicCache.forget(user.id);
        if (wasOn) {
            audit.record(user.username, "user.totp_disabled", "user", user.username, Map.of());
        }
    }

    /**
     * A code typed at sign-in or step-up: the app's current code (once), or an unused recovery code (then spent).
     * Joins the caller's transaction. Returns how it matched: "totp", "recovery", or null for no match.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public String check(long userId, String code) {
        AppUser user = AppUser.findById(userId);
        if (user == null || !user.hasTotp() || code == null) {
            return null;
        }
        long step = Totp.verify(user.totpSecret, code, clock.instant(), user.totpLastStep);
        if (step >= 0) {
            user.totpLastStep = step;
            return "totp";
        }
        String typed = code.strip().toLowerCase(java.util.Locale.ROOT).replace("-", "");
        int spent = em.createNativeQuery("""
                UPDATE user_recovery_code SET used_at = ?3
                 WHERE user_id = ?1 AND code_sha256 = ?2 AND used_at IS NULL
                """).setParameter(1, userId).setParameter(2, sha256(typed))
                .setParameter(3, SqlTimes.utc(clock.instant())).executeUpdate();
        if (spent == 1) {
            audit.record(user.username, "user.recovery_code_used", "user", user.username,
                    Map.of("left", unusedRecoveryCodes(userId)));
            return "recovery";
        }
        return null;
    }

    @Transactional
    public long unusedRecoveryCodes(long userId) {
        return ((Number) em.createNativeQuery(
                "SELECT count(*) FROM user_recovery_code WHERE user_id = ?1 AND used_at IS NULL")
                .setParameter(1, userId).getSingleResult()).longValue();
    }

    private List<String> newRecoveryCodes(long userId) {
        em.createNativeQuery("DELETE FROM user_recovery_code WHERE user_id = ?1").setParameter(1, userId)
                .executeUpdate();
        List<String> codes = new ArrayList<>();
        for (int i = 0; i < RECOVERY_CODES; i++) {
            StringBuilder sb = new StringBuilder();
            for (int c = 0; c < 10; c++) {
                sb.append(RECOVERY_ALPHABET.charAt(RANDOM.nextInt(RECOVERY_ALPHABET.length())));
            }
            String code = sb.toString();
            codes.add(code.substring(0, 5) + "-" + code.substring(5));
            em.createNativeQuery("INSERT INTO user_recovery_code (user_id, code_sha256) VALUES (?1, ?2)")
                    .setParameter(1, userId).setParameter(2, sha256(code)).executeUpdate();
        }
        return codes;
    }

    private AppUser local(String username) {
        AppUser user = AppUser.findByUsername(username)
                .orElseThrow(() -> new dev.linger.NotFound(Text.of("refuse.accountGone")));
        if (user.signsInThroughProvider()) {
            throw InvalidInput.of("totp", Text.of("refuse.totpProvider"));
        }
        return user;
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
