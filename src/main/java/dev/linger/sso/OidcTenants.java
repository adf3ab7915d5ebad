package dev.linger.sso;

import jakarta.enterprise.context.ApplicationScoped;

import dev.linger.token.TokenFormat;
import io.quarkus.oidc.OidcRequestContext;
import io.quarkus.oidc.OidcTenantConfig;
import io.quarkus.oidc.TenantConfigResolver;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Which OIDC tenant, if any, looks at a request. Called for requests that Linger's own mechanism did not
 * authenticate, so it decides from the path and the header alone, without I/O. Everything else falls to the
 * default tenant, which is turned off ({@code quarkus.oidc.tenant-enabled=false}): a page is never signed in by
 * a provider's cookie, only by Linger's session.
 */
@ApplicationScoped
public class OidcTenants implements TenantConfigResolver {

    private final OidcSettings settings;

    OidcTenants(OidcSettings settings) {
        this.settings = settings;
    }

    @Override
    public Uni<OidcTenantConfig> resolve(RoutingContext context, OidcRequestContext<OidcTenantConfig> requestContext) {
        if (!settings.enabled()) {
            return null;
        }
        String path = context.normalizedPath();
        if (OidcSettings.CALLBACK.equals(path)) {
            return Uni.createFrom().item(settings.web());
        }
        if (OidcSettings.REAUTH_CALLBACK.equals(path)) {
            return Uni.createFrom().item(settings.reauth());
        }
        if ((path.equals("/api") || path.startsWith("/api/")) && providerBearer(context)) {
            return Uni.createFrom().item(settings.api());
        }
        return null;
    }

    /** A bearer token that is not one of Linger's own (those begin with lgr_ and are checked by dev.linger.token). */
    private static boolean providerBearer(RoutingContext context) {
        String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                && !header.substring(7).strip().startsWith(TokenFormat.PREFIX);
    }
}
