package dev.linger.login;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;

/** Turns a session cookie into the user behind it (a database read, so on a worker thread). */
@ApplicationScoped
public class SessionIdentityProvider implements IdentityProvider<SessionRequest> {

    private final SessionStore sessions;

    SessionIdentityProvider(SessionStore sessions) {
        this.sessions = sessions;
    }

    @Override
    public Class<SessionRequest> getRequestType() {
        return SessionRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(SessionRequest request, AuthenticationRequestContext context) {
        // a dropped pooled connection must not sign the person out or answer 500: its transaction rolled back, try once more
        return context.runBlocking(() -> dev.linger.web.DroppedConnections
                .readRetryingOnce("session lookup", () -> sessions.resolve(request.token()))
                .map(u -> Identities.of(u.username(), u.roles(), u.mustChangePassword(), u.authMethod(),
                        u.authenticatedAt(), u.mustSetUpCodes()))
                .orElseThrow(() -> new AuthenticationFailedException("session expired or unknown")));
    }
}
