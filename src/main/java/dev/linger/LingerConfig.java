package dev.linger;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Linger's own settings; every key can be set as an environment variable (linger.admin-password = LINGER_ADMIN_PASSWORD). */
@ConfigMapping(prefix = "linger")
public interface LingerConfig {

    /** Password of the first admin user, used only when the database has no user yet. Generated and logged once when unset. */
    Optional<String> adminPassword();

    Session session();

    Login login();

    Password password();

    Ssh ssh();

    interface Session {
        /** A session ends after this long without a request. */
        @WithDefault("8H")
        Duration idleTimeout();

        /** Mark the session cookie Secure; turn on whenever Linger is served over HTTPS. */
        @WithDefault("false")
        boolean secureCookie();
    }

    interface Login {
        /** Failed logins from one client that are answered at once; later ones must wait. */
        @WithDefault("5")
        int freeFailures();

        /** The longest a client is made to wait between failed attempts. */
        @WithDefault("5M")
        Duration maxDelay();

        /** Failures older than this are forgotten. */
        @WithDefault("15M")
        Duration forgetAfter();
    }

    interface Password {
        /** bcrypt cost factor (log2 rounds). */
        @WithDefault("12")
        int bcryptCost();
    }

    interface Ssh {
        /** Private key Linger uses for SSH hosts; read from this file, never stored in the database. */
        @WithDefault("/etc/linger/ssh/id_ed25519")
        String privateKeyPath();
    }
}
