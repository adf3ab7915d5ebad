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
        FORM, BASIC
    }

    public sealed interface Outcome {
        /** Signed in; {@code sessionToken} is set for the form channel only. */
        record Accepted(String username, Set<Role> roles, String sessionToken, boolean mustChangePassword)
                implements Outcome {
        }

        record Refused() implements Outcome {
        }

        record Throttled(Duration retryAfter) implements Outcome {
        }
    }

    private record Candidate(long id, String username, String passwordHash, Set<Role> roles, boolean disabled,
            boolean mustChangePassword, int version) {
    }

    private final LoginThrottle throttle;
    private final Passwords passwords;
    private final SessionStore sessions;
    private final AuditLog audit;
    private final BasicAuthCache basicCache;
    private final LongAdder passwordChecks = new LongAdder();

    LoginService(LoginThrottle throttle, Passwords passwords, SessionStore sessions, AuditLog audit,
            BasicAuthCache basicCache) {
        this.basicCache = basicCache;
        this.throttle = throttle;
        this.passwords = passwords;
        this.sessions = sessions;
        this.audit = audit;
    }

    public Outcome attempt(String username, String password, String client, Channel channel) {
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
                return new Outcome.Accepted(e.username(), e.roles(), null, e.mustChangePassword());
            }
        }
        Optional<Candidate> candidate = QuarkusTransaction.requiringNew().call(() -> AppUser.findByUsername(name)
                .map(u -> new Candidate(u.id, u.username, u.passwordHash, u.roleSet(), u.disabled,
                        u.mustChangePassword, u.version)));
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
        throttle.succeeded(client);
        if (channel == Channel.BASIC) {
            // API calls authenticate on every request; their actions are audited, not each check
            basicCache.remember(name, password, user.id, user.username, user.roles, user.mustChangePassword,
                    user.version);
            return new Outcome.Accepted(user.username, user.roles, null, user.mustChangePassword);
        }
        String token = QuarkusTransaction.requiringNew().call(() -> {
            String t = sessions.open(user.id, client);
            audit.record(user.username, "user.login", "user", user.username, Map.of("client", client));
            return t;
        });
        return new Outcome.Accepted(user.username, user.roles, token, user.mustChangePassword);
    }

    /** Passwords compared against a stored hash since start (the bcrypt work a cache hit saves). */
    public long passwordChecks() {
        return passwordChecks.sum();
    }

    /** Ends a session; audited when it belonged to someone. */
    public void logout(String token) {
        QuarkusTransaction.requiringNew().run(() -> sessions.close(token)
                .ifPresent(name -> audit.record(name, "user.logout", "user", name, Map.of())));
    }

    private Outcome refuse(String name, String client, Channel channel, String reason) {
        throttle.failed(client);
        QuarkusTransaction.requiringNew().run(() -> audit.record(AuditLog.ANONYMOUS, "user.login_failed", "user",
                name, Map.of("client", client, "channel", channel.name().toLowerCase(), "reason", reason)));
        return new Outcome.Refused();
    }
}
