package dev.linger.token;

import jakarta.enterprise.context.ApplicationScoped;

import dev.linger.login.LingerAuthenticationMechanism;
import dev.linger.web.DroppedConnections;
import dev.linger.web.RequestGuard;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code Authorization: Bearer lgr_…} on the API: the owner of the token, with the roles its scopes grant and the
 * owner still has. The identity carries {@link #TOKEN_ID} so routes can tell a token from a password or a session.
 */
@ApplicationScoped
public class TokenIdentityProvider implements IdentityProvider<TokenRequest> {

    /** The id (a Long) of the token a request authenticated with; absent for sessions and passwords. */
    public static final String TOKEN_ID = "linger.token-id";

    private final TokenService tokens;

    TokenIdentityProvider(TokenService tokens) {
        this.tokens = tokens;
    }

    @Override
    public Class<TokenRequest> getRequestType() {
        return TokenRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(TokenRequest request, AuthenticationRequestContext context) {
        RoutingContext http = HttpSecurityUtils.getRoutingContextAttribute(request);
        String client = http == null ? "unknown" : LingerAuthenticationMechanism.clientAddress(http);
        return context.runBlocking(() -> {
            TokenService.Outcome outcome = DroppedConnections.readRetryingOnce("API token check",
                    () -> tokens.authenticate(request.token(), client));
            if (outcome instanceof TokenService.Outcome.Accepted ok) {
                TokenService.Holder h = ok.holder();
                return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(h.username()))
                        .addRoles(h.roles()).addAttribute(TOKEN_ID, h.tokenId())
                        .addAttribute(RequestGuard.PASSWORD_RESET_ATTRIBUTE, h.mustChangePassword()).build();
            }
            if (outcome instanceof TokenService.Outcome.Throttled t && http != null) {
                http.put(LingerAuthenticationMechanism.RETRY_AFTER, Math.max(1, t.retryAfter().toSeconds()));
            }
            throw new AuthenticationFailedException("API token refused");
        });
    }
}
