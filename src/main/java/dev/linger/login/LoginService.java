package dev.linger.login;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.linger.audit.AuditLog;
import dev.linger.user.AppUser;
import dev.linger.user.Passwords;
import dev.linger.user.Role;
import dev.linger.user.TwoFactor;
import dev.linger.user.UserService;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The one place where a password is checked, for the login form and for HTTP Basic alike:
 * throttled per client, every failure audited. The bcrypt work runs outside any transaction.
 * A successful HTTP Basic check is remembered briefly by {@link BasicAuthCache}; a hit skips bcrypt
 * but not the throttle, the input checks or the database's word on whether the user is unchanged.
 */
@ApplicationScoped
public class LoginService {

    private static final Logger LOG = Logger.getLogger(LoginService.class);
    /** Longer inputs are refused without hashing: bcrypt is deliberately slow. */
    private static final int MAX_INPUT = 256;

    public enum Channel {
        /** The login form: a session follows. */
        FORM,
        /** HTTP Basic on the API: remembered briefly, no session. */
        BASIC,
        /** The password again before a risky decision (step-up): neither a session nor the Basic cache. */
        STEP_UP
    }

    public sealed interface Outcome {
        /** Signed in; {@code sessionToken} is set for the form channel only. */
        record Accepted(String username, Set<Role> roles, String sessionToken, boolean mustChangePassword,
                String method) implements Outcome {
        }

        /** The password was right and the account uses codes from an authenticator app: ask for one. */
        record CodeNeeded() implements Outcome {
        }

        record Refused() implements Outcome {
        }

        record Throttled(Duration retryAfter) implements Outcome {
        }

        /** The password was right, but passwords open Linger only for break-glass accounts now. */
        record LocalSignInOff() implements Outcome {
        }
    }

    private record Candidate(long id, String username, String passwordHash, Set<Role> roles, boolean disabled,
            boolean mustChangePassword, int version, boolean provider, boolean passwordAllowed, boolean totp,
            boolean codesMissing) {
    }

    private final LoginThrottle throttle;
    private final Passwords passwords;
    private final SessionStore sessions;
    private final AuditLog audit;
    private final BasicAuthCache basicCache;
    private final LoginPolicy policy;
    private final TwoFactor twoFactor;
    private final java.time.Clock clock;
    private final LongAdder passwordChecks = new LongAdder();

    LoginService(LoginThrottle throttle, Passwords passwords, SessionStore sessions, AuditLog audit,
            BasicAuthCache basicCache, LoginPolicy policy, TwoFactor twoFactor, java.time.Clock clock) {
        this.twoFactor = twoFactor;
        this.clock = clock;
        this.policy = policy;
        this.basicCache = basicCache;
        this.throttle = throttle;
        this.passwords = passwords;
        this.sessions = sessions;
        this.audit = audit;
    }

    public Outcome attempt(String username, String password, String client, Channel channel) {
        return attempt(username, password, null, client, channel);
    }

    /** {@code code}: from the authenticator app (or a recovery code), for accounts that have codes on. */
    public Outcome attempt(String username, String password, String code, String client, Channel channel) {
        Duration wait = throttle.waitBefore(client);
        if (!wait.isZero()) {
            LOG.debugf("login from %s refused for %d s after repeated failures", client, wait.toSeconds());
            return new Outcome.Throttled(wait);
        }
        String name = UserService.normalize(username);
        if (name.isEmpty() || name.length() > MAX_INPUT || password == null || password.length() > MAX_INPUT) {
            return refuse(name, client, channel, "malformed");
        }
        if (channel == Channel.BASIC) {
            Optional<BasicAuthCache.Entry> known = basicCache.lookup(name, password);
            if (known.isPresent()) {
                BasicAuthCache.Entry e = known.get();
                throttle.succeeded(client);
                return new Outcome.Accepted(e.username(), e.roles(), null, e.mustChangePassword(), "basic");
            }
        }
        Optional<Candidate> candidate = QuarkusTransaction.requiringNew().call(() -> {
            LoginPolicy.Rules rules = policy.rules();
            return AppUser.findByUsername(name).map(u -> new Candidate(u.id, u.username, u.passwordHash, u.roleSet(),
                    u.disabled, u.mustChangePassword, u.version, u.signsInThroughProvider(),
                    rules.localSignIn() || u.breakGlass, u.hasTotp(), rules.totpRequired() && !u.hasTotp() && (u.roleSet().contains(Role.APPROVER)
                            || u.roleSet().contains(Role.ADMIN))));
        });
        if (candidate.isEmpty()) {
            passwords.burnCheck(password);
            return refuse(name, client, channel, "unknown user");
        }
        Candidate user = candidate.get();
        passwordChecks.increment();
        if (!passwords.matches(password, user.passwordHash)) {
            return refuse(name, client, channel, "wrong password");
        }
        if (user.disabled) {
            return refuse(name, client, channel, "account disabled");
        }
        if (user.provider) {
            // made at a sign-in through the provider: its stored hash is of random bytes, so this is unreachable
            return refuse(name, client, channel, "signs in through the provider");
        }
        if (!user.passwordAllowed) {
            throttle.succeeded(client);
            QuarkusTransaction.requiringNew().run(() -> audit.record(AuditLog.ANONYMOUS, "user.login_failed", "user",
                    name, Map.of("client", client, "channel", channel.name().toLowerCase(), "reason",
                            "local sign-in off")));
            return new Outcome.LocalSignInOff();
        }
        String method = SessionStore.Authentication.PASSWORD;
        if (user.codesMissing && channel == Channel.BASIC) {
            // the page lets them in to set codes up; a script has no such page
            return refuse(name, client, channel, "codes required but not set up");
        }
        if (user.totp) {
            if (channel == Channel.BASIC) {
                // Basic cannot carry a code; taking the password alone would make the codes pointless
                return refuse(name, client, channel, "account uses codes");
            }
            if (code == null || code.isBlank()) {
                return new Outcome.CodeNeeded();
            }
            if (code.length() > MAX_INPUT
                    || QuarkusTransaction.requiringNew().call(() -> twoFactor.check(user.id, code)) == null) {
                return refuse(name, client, channel, "wrong code");
            }
            method = SessionStore.Authentication.PASSWORD_TOTP;
        }
        throttle.succeeded(client);
        if (channel == Channel.STEP_UP) {
            return new Outcome.Accepted(user.username, user.roles, null, user.mustChangePassword, method);
        }
        if (channel == Channel.BASIC) {
            // API calls authenticate on every request; their actions are audited, not each check
            basicCache.remember(name, password, user.id, user.username, user.roles, user.mustChangePassword,
                    user.version);
            return new Outcome.Accepted(user.username, user.roles, null, user.mustChangePassword, "basic");
        }
        String how = method;
        String token = QuarkusTransaction.requiringNew().call(() -> {
            String t = sessions.open(user.id, client, new SessionStore.Authentication(how, clock.instant(), null));
            audit.record(user.username, "user.login", "user", user.username, Map.of("client", client, "method", how));
            return t;
        });
        return new Outcome.Accepted(user.username, user.roles, token, user.mustChangePassword, method);
    }

    /** Passwords compared against a stored hash since start (the bcrypt work a cache hit saves). */
    public long passwordChecks() {
        return passwordChecks.sum();
    }

    /** Ends a session; audited when it belonged to someone. What ended, so a provider's session can end too. */
    public Optional<SessionStore.Closed> logout(String token) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Optional<SessionStore.Closed> closed = sessions.close(token);
            closed.ifPresent(c -> audit.record(c.username(), "user.logout", "user", c.username(),
                    Map.of("provider", c.idToken() != null)));
            return closed;
        });
    }

    private Outcome refuse(String name, String client, Channel channel, String reason) {
        throttle.failed(client);
        QuarkusTransaction.requiringNew().run(() -> audit.record(AuditLog.ANONYMOUS, "user.login_failed", "user",
                name, Map.of("client", client, "channel", channel.name().toLowerCase(), "reason", reason)));
        return new Outcome.Refused();
    }
}
