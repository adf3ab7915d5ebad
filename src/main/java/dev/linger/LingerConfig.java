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

    Tokens tokens();

    /** Personal API tokens (issue 17). */
    interface Tokens {
        /** The longest a token may be valid, in days; a token asks for 90 unless it says otherwise. */
        @WithDefault("365")
        int maxDays();
    }

    Oidc oidc();

    /**
     * Single sign-on through an OpenID Connect provider (issue 17): on when an issuer is set. Pages use the
     * authorization code flow; the API also accepts the provider's access tokens as bearer tokens.
     */
    interface Oidc {
        /** The provider's issuer URL, e.g. https://sso.example.com/realms/ops (Keycloak) — its discovery document is read from there. */
        Optional<String> issuer();

        /** The client Linger is registered as at the provider. */
        Optional<String> clientId();

        /** The client's secret (a confidential client). */
        Optional<String> clientSecret();

        /** Where the provider lists a person's groups or roles in its tokens: a claim name, or a path such as realm_access/roles. */
        @WithDefault("groups")
        String rolesClaim();

        /**
         * Which of those values give which Linger role, as {@code value=role} pairs separated by commas, e.g.
         * {@code ops-admins=admin,oncall=operator}. A value that is itself a role's name (viewer, operator,
         * approver, admin) gives that role without a pair. Someone with none of them is refused.
         */
        Optional<String> roleMap();

        /** The provider's name on the sign-in button, e.g. Keycloak; the button says "single sign-on" when unset. */
        Optional<String> providerName();

        /** The audience the provider's access tokens must carry to be accepted on the API; the client id when unset. */
        Optional<String> apiAudience();
    }

    StepUp stepUp();

    /** Risky decisions (HIGH and CRITICAL approvals, overrides, host keys, roles) need a recent authentication. */
    interface StepUp {
        @WithDefault("10M")
        Duration maxAge();
    }

    Collect collect();

    Snapshots snapshots();

    Incidents incidents();

    Jobs jobs();

    interface Jobs {
        /**
         * Jobs one instance runs at the same time (each on a different host). Workers mostly wait on
         * SSH, so threads are cheap; 0 runs none here.
         */
        @WithDefault("32")
        int workers();

        /** A running job whose worker has not renewed its lease for this long is marked INTERRUPTED. */
        @WithDefault("10S")
        Duration lease();

        /** A job nobody approved within this time expires. */
        @WithDefault("4H")
        Duration approvalTimeout();

        /** The longest one step's command may run (WAIT_SOCKETS polls have their own timeout). */
        @WithDefault("60S")
        Duration commandTimeout();

        /** A guarded change (tcp_max_orphans=0) is put back on the host after its waits plus this much. */
        @WithDefault("60S")
        Duration guardSlack();

        /** Each step keeps at most this many characters of stdout and of stderr. */
        @WithDefault("65536")
        int outputCap();

        /** Without a notification, workers look for queued jobs this often. */
        @WithDefault("1S")
        Duration pollInterval();
    }

    interface Incidents {
        /** CLOSE-WAIT sockets on one port that open CLOSE_WAIT_LEAK (a host may override it). */
        @WithDefault("10")
        int closeWaitCount();

        /** ...or this many consecutive collections in which that count grew. */
        @WithDefault("3")
        int closeWaitGrowthSnapshots();

        /** How long FIN-WAIT-1 sockets must stay on a port to open FIN_WAIT1_STUCK (a host may override it). */
        @WithDefault("60S")
        Duration finWait1Age();

        @WithDefault("25")
        int orphanWarnPercent();

        @WithDefault("50")
        int orphanCriticalPercent();

        /** Collections in a row without the condition before an incident resolves itself. */
        @WithDefault("3")
        int clearAfter();

        /** A condition that returns within this time reopens its incident instead of opening a new one. */
        @WithDefault("10M")
        Duration flapWindow();

        /** Webhook URLs told about openings, escalations and resolutions (JSON with a Slack-style "text"). */
        Optional<java.util.List<String>> webhooks();

        /**
         * How long one delivery may take, connecting included: a receiver that hangs costs this much of one sender,
         * and its notification is retried from the outbox like any failure.
         */
        @WithDefault("10S")
        Duration webhookTimeout();
    }

    interface Ssh {
        /** Private key Linger uses for SSH hosts; read from this file, never stored in the database. */
        @WithDefault("/etc/linger/ssh/id_ed25519")
        String privateKeyFile();

        @WithDefault("10S")
        Duration connectTimeout();

        @WithDefault("10S")
        Duration authTimeout();

        /** An idle reused session is closed after this long. */
        @WithDefault("5M")
        Duration sessionIdleTimeout();
    }

    interface Collect {
        /** How often a new host is collected unless it says otherwise. */
        @WithDefault("30")
        int defaultIntervalSeconds();

        /** The longest one collection (connect excluded) may run before it is abandoned. */
        @WithDefault("60S")
        Duration commandTimeout();

        /** Collector output beyond this many bytes is cut off and the collection fails. */
        @WithDefault("33554432")
        long maxOutputBytes();

        /** Collections one instance runs at the same time. */
        @WithDefault("16")
        int concurrency();

        /** A claimed host not reported back within this time may be claimed by another instance. */
        @WithDefault("5M")
        Duration lease();

        /** Unreachable hosts are retried after interval x 2^failures, at most this long. */
        @WithDefault("10M")
        Duration maxBackoff();

        /** Watched sysctls beyond the built-in ones. */
        Optional<java.util.List<String>> extraSysctls();

        /** Run collections on the schedule; tests switch it off and collect explicitly. */
        @WithDefault("true")
        boolean scheduled();
    }

    interface Snapshots {
        /** Snapshots keep every notable socket and process for this long. */
        @WithDefault("24H")
        Duration detailWindow();

        /** Older snapshots keep only their counts, one per this period and host. */
        @WithDefault("10M")
        Duration downsampleTo();

        /** Counts older than this are deleted. */
        @WithDefault("30D")
        Duration keep();
    }

    Api api();

    interface Api {
        BasicAuth basicAuth();

        interface BasicAuth {
            /**
             * Accept HTTP Basic (user name and password) on the JSON API. When off, Basic credentials on
             * {@code /api/} answer 401 without a password check.
             */
            @WithDefault("true")
            boolean enabled();

            /**
             * How long a successful Basic check is remembered in memory, so that the next request with the same
             * credentials skips bcrypt. Every hit still reads the user's version and disabled flag from the
             * database. 0 turns the cache off.
             */
            @WithDefault("60S")
            Duration cacheTtl();
        }
    }
}
