package dev.linger.sso;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.linger.login.Identities;
import dev.linger.login.LingerAuthenticationMechanism;
import dev.linger.web.DroppedConnections;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.IdTokenCredential;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * The provider's access token on the API, verified by Quarkus (issuer, signature, expiry, audience), becomes the
 * Linger user it belongs to, with the roles the provider's groups give now and only while the Linger account is
 * enabled. Identities of the code flow (they carry an ID token) are left to {@link OidcSignIn}.
 */
@ApplicationScoped
public class ProviderBearer implements SecurityIdentityAugmentor {

    public static final String METHOD = "oidc-bearer";

    private final OidcSettings settings;
    private final ProviderUsers users;

    ProviderBearer(OidcSettings settings, ProviderUsers users) {
        this.settings = settings;
        this.users = users;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        AccessTokenCredential access = identity.getCredential(AccessTokenCredential.class);
        if (identity.isAnonymous() || access == null || identity.getCredential(IdTokenCredential.class) != null
                || !settings.enabled()) {
            return Uni.createFrom().item(identity);
        }
        RoutingContext http = identity.getAttribute(RoutingContext.class.getName());
        String client = http == null ? "unknown" : LingerAuthenticationMechanism.clientAddress(http);
        return context.runBlocking(() -> {
            ProviderClaims who = ProviderClaims.of(access.getToken(), null, settings.roles());
            ProviderUsers.Outcome outcome = DroppedConnections.readRetryingOnce("provider token check",
                    () -> users.bearer(who, client));
            if (outcome instanceof ProviderUsers.Outcome.Accepted ok) {
                return Identities.of(ok.member().username(), ok.member().roles(), false, METHOD,
                        who.authenticatedAt());
            }
            throw new AuthenticationFailedException("provider token refused");
        });
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context,
            Map<String, Object> attributes) {
        return augment(identity, context);
    }
}
