package dev.linger.sso;

import java.net.URI;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.linger.LingerConfig;
import io.quarkus.oidc.OidcTenantConfig;
import io.quarkus.oidc.runtime.OidcTenantConfig.ApplicationType;

/**
 * Linger's single sign-on settings, checked once at start (a wrong role map stops Linger with the pair it could not
 * read, rather than refusing everyone at night), and the three OIDC tenants built from them:
 * <ul>
 * <li>{@value #WEB}: the authorization code flow that ends at {@link #CALLBACK};</li>
 * <li>{@value #REAUTH}: the same with {@code prompt=login} and {@code max_age=0}, so the provider asks for the
 * password again before a risky decision (step-up);</li>
 * <li>{@value #API}: the provider's access tokens as bearer tokens on {@code /api/}.</li>
 * </ul>
 * Quarkus' own session cookie is limited to {@code /login/oidc}: after the callback Linger opens its own session, so
 * every later request is checked against Linger's users (disabled, roles) like a password session.
 */
@ApplicationScoped
public class OidcSettings {

    public static final String WEB = "linger-web";
    public static final String REAUTH = "linger-reauth";
    public static final String API = "linger-api";
    public static final String CALLBACK = "/login/oidc/callback";
    public static final String REAUTH_CALLBACK = "/login/oidc/reauth";
    static final String COOKIE_PATH = "/login/oidc";

    private final Optional<String> issuer;
    private final Optional<String> providerName;
    private final ClaimRoles roles;
    private final String rolesClaim;
    private final OidcTenantConfig web;
    private final OidcTenantConfig reauth;
    private final OidcTenantConfig api;
    private final String clientId;

    OidcSettings(LingerConfig config) {
        LingerConfig.Oidc oidc = config.oidc();
        this.issuer = oidc.issuer().map(String::strip).filter(s -> !s.isEmpty()).map(OidcSettings::withoutSlash);
        this.providerName = oidc.providerName().map(String::strip).filter(s -> !s.isEmpty());
        this.roles = ClaimRoles.parse(oidc.rolesClaim(), oidc.roleMap().orElse(""));
        this.rolesClaim = oidc.rolesClaim().strip();
        if (issuer.isEmpty()) {
            this.clientId = null;
            this.web = this.reauth = this.api = null;
            return;
        }
        String url = issuer.get();
        URI parsed = URI.create(url);
        if (!"https".equals(parsed.getScheme()) && !"http".equals(parsed.getScheme())) {
            throw new IllegalStateException("linger.oidc.issuer must be an http(s) URL: " + url);
        }
        this.clientId = oidc.clientId().filter(s -> !s.isBlank())
                .orElseThrow(() -> new IllegalStateException("linger.oidc.issuer is set: set linger.oidc.client-id too"));
        String secret = oidc.clientSecret().filter(s -> !s.isBlank())
                .orElseThrow(() -> new IllegalStateException("linger.oidc.issuer is set: set linger.oidc.client-secret too"));
        this.web = codeFlow(WEB, url, clientId, secret, false);
        this.reauth = codeFlow(REAUTH, url, clientId, secret, true);
        this.api = OidcTenantConfig.authServerUrl(url).tenantId(API).applicationType(ApplicationType.SERVICE)
                .clientId(clientId).credentials(secret)
                .token().audience(oidc.apiAudience().filter(s -> !s.isBlank()).orElse(clientId)).end()
                .build();
    }

    private static OidcTenantConfig codeFlow(String tenant, String url, String clientId, String secret,
            boolean forceLogin) {
        var auth = OidcTenantConfig.authServerUrl(url).tenantId(tenant).applicationType(ApplicationType.WEB_APP)
                .clientId(clientId).credentials(secret)
                .authentication()
                .scopes("profile", "email")
                .nonceRequired(true)
                .cookiePath(COOKIE_PATH)
                .removeRedirectParameters(true)
                .restorePathAfterRedirect(false);
        if (forceLogin) {
            auth = auth.extraParam("prompt", "login").extraParam("max_age", "0");
        }
        return auth.end().build();
    }

    public boolean enabled() {
        return issuer.isPresent();
    }

    public Optional<String> issuer() {
        return issuer;
    }

    public String clientId() {
        return clientId;
    }

    /** The provider's name as configured, shown untranslated; empty: pages say "single sign-on" in their language. */
    public Optional<String> providerName() {
        return providerName;
    }

    public String rolesClaimName() {
        return rolesClaim;
    }

    public ClaimRoles roles() {
        return roles;
    }

    OidcTenantConfig web() {
        return web;
    }

    OidcTenantConfig reauth() {
        return reauth;
    }

    OidcTenantConfig api() {
        return api;
    }

    private static String withoutSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
