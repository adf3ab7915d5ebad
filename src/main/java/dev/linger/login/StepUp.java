package dev.linger.login;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.linger.Forbidden;
import dev.linger.LingerConfig;
import dev.linger.audit.AuditLog;
import dev.linger.i18n.Text;
import dev.linger.token.TokenIdentityProvider;
import dev.linger.user.Role;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Step-up before risky decisions (issue 17 item 4): approving a HIGH or CRITICAL job, overriding a failed check, a
 * maintenance window or a rollback's drift, trusting a changed host key, changing roles. Each needs an
 * authentication within {@code linger.step-up.max-age} (10 minutes): a session's sign-in or its last step-up,
 * a Basic password (sent with the very request), a provider's token issued after a fresh sign-in, or a Linger API
 * token with the approve or admin scope. The services take a {@link Proof} and refuse without a fresh one; the
 * decision records how its maker authenticated.
 */
@ApplicationScoped
public class StepUp {

    /** How, and when, the person behind a request last proved who they are; fresh when recent enough. */
    public record Proof(String method, Instant at, boolean fresh) {

        /** For the audit log and the decision's own record. */
        public Map<String, Object> details() {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("authMethod", method);
            if (at != null) {
                d.put("authenticatedAt", at.toString());
            }
            return d;
        }
    }

    private final Clock clock;
    private final Duration maxAge;
    private final LoginService login;
    private final SessionStore sessions;
    private final AuditLog audit;

    StepUp(Clock clock, LingerConfig config, LoginService login, SessionStore sessions, AuditLog audit) {
        this.clock = clock;
        this.maxAge = config.stepUp().maxAge();
        this.login = login;
        this.sessions = sessions;
        this.audit = audit;
    }

    public Duration maxAge() {
        return maxAge;
    }

    public Proof of(SecurityIdentity identity) {
        Instant now = clock.instant();
        if (identity.getAttribute(TokenIdentityProvider.TOKEN_ID) != null) {
            // a token's roles are its scopes capped by its owner's roles: approve or admin is what a script needs
            boolean scoped = identity.hasRole(Role.APPROVER_ID) || identity.hasRole(Role.ADMIN_ID);
            return new Proof("token", now, scoped);
        }
        String method = identity.getAttribute(Identities.AUTH_METHOD);
        Instant at = identity.getAttribute(Identities.AUTHENTICATED_AT);
        if (method == null || at == null) {
            return new Proof("unknown", null, false);
        }
        return new Proof(method, at, !at.isBefore(now.minus(maxAge)));
    }

    /**
     * The page's way: the password typed into the same form as the decision. When the session is not fresh and a
     * password came, it is checked like a sign-in (throttled, failures audited) and the session becomes fresh.
     * Returns the proof to pass on; a wrong password is refused here with its own message.
     */
    public Proof confirm(SecurityIdentity identity, String sessionToken, String password, String code,
            String client) {
        Proof proof = of(identity);
        if (proof.fresh() || password == null || password.isEmpty()) {
            return proof;
        }
        String username = identity.getPrincipal().getName();
        LoginService.Outcome outcome = login.attempt(username, password, code, client, LoginService.Channel.STEP_UP);
        if (outcome instanceof LoginService.Outcome.Throttled t) {
            throw new Forbidden(Text.of("refuse.stepUpThrottled", Math.max(1, t.retryAfter().toSeconds())));
        }
        if (outcome instanceof LoginService.Outcome.CodeNeeded) {
            throw new Forbidden(Text.of("refuse.stepUpCodeNeeded"));
        }
        if (!(outcome instanceof LoginService.Outcome.Accepted ok)) {
            throw new Forbidden(Text.of("refuse.stepUpWrongPassword"));
        }
        Instant now = clock.instant();
        QuarkusTransaction.requiringNew().run(() -> {
            sessions.reauthenticated(sessionToken, new SessionStore.Authentication(ok.method(), now, null));
            audit.record(username, "user.step_up", "user", username, Map.of("method", ok.method(), "client", client));
        });
        return new Proof(ok.method(), now, true);
    }

    /** Refuses a risky decision without a fresh authentication, saying how to give one. */
    public void require(Proof proof) {
        if (!proof.fresh()) {
            throw new Forbidden(Text.of("refuse.stepUpNeeded", maxAge.toMinutes()));
        }
    }
}
