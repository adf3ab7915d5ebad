package dev.linger.login;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/** HTTP Basic credentials of the JSON API, checked by {@link LoginService}. */
@ApplicationScoped
public class PasswordIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    private final LoginService login;
    private final java.time.Clock clock;

    PasswordIdentityProvider(LoginService login, java.time.Clock clock) {
        this.login = login;
        this.clock = clock;
    }

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request,
            AuthenticationRequestContext context) {
        RoutingContext http = HttpSecurityUtils.getRoutingContextAttribute(request);
        String client = http == null ? "unknown" : LingerAuthenticationMechanism.clientAddress(http);
        return context.runBlocking(() -> {
            // its transaction rolls back on a dropped connection, so trying once more records the attempt once
            LoginService.Outcome outcome = dev.linger.web.DroppedConnections.readRetryingOnce("API sign-in",
                    () -> login.attempt(request.getUsername(), new String(request.getPassword().getPassword()),
                            client, LoginService.Channel.BASIC));
            if (outcome instanceof LoginService.Outcome.Accepted ok) {
                // the password came with this very request: as fresh as an authentication gets
                return Identities.of(ok.username(), ok.roles(), ok.mustChangePassword(), "basic", clock.instant());
            }
            if (outcome instanceof LoginService.Outcome.Throttled t && http != null) {
                http.put(LingerAuthenticationMechanism.RETRY_AFTER, Math.max(1, t.retryAfter().toSeconds()));
            }
            throw new AuthenticationFailedException("bad credentials");
        });
    }
}
