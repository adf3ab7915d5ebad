package dev.linger.user;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;

import dev.linger.LingerConfig;
import dev.linger.i18n.Text;
import io.quarkus.elytron.security.common.BcryptUtil;

/** bcrypt hashing and the password rules. */
@ApplicationScoped
public class Passwords {

    public static final int MIN_LENGTH = 10;
    /** bcrypt ignores everything past 72 bytes; refuse rather than silently truncate. */
    public static final int MAX_BYTES = 72;

    private final int cost;
    /** Compared against when the user does not exist, so that a miss costs as long as a hit. */
    private final String decoy;

    Passwords(LingerConfig config) {
        this.cost = config.password().bcryptCost();
        this.decoy = BcryptUtil.bcryptHash("linger-decoy-password", cost);
    }

    public String hash(String password) {
        return BcryptUtil.bcryptHash(password, cost);
    }

    public boolean matches(String password, String hash) {
        return password != null && hash != null && BcryptUtil.matches(password, hash);
    }

    /** Spends the time of one check without any account behind it. */
    public void burnCheck(String password) {
        BcryptUtil.matches(password == null ? "" : password, decoy);
    }

    /** Why this password is not acceptable, or null when it is. */
    public static Text problem(String password) {
        if (password == null || password.isEmpty()) {
            return Text.of("refuse.passwordMissing");
        }
        if (password.codePointCount(0, password.length()) < MIN_LENGTH) {
            return Text.of("refuse.passwordShort", MIN_LENGTH);
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return Text.of("refuse.passwordLong", MAX_BYTES);
        }
        if (password.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
            return Text.of("refuse.passwordControl");
        }
        return null;
    }
}
