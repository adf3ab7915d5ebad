package dev.linger.login;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.linger.i18n.RequestLanguage;
import dev.linger.i18n.SecurityMessages;
import dev.linger.sso.OidcSettings;
import dev.linger.token.TokenFormat;
import dev.linger.token.TokenRequest;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.PasswordCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * Pages authenticate with the session cookie that the login form sets; the JSON API under
 * {@code /api/} with a personal API token ({@code Authorization: Bearer lgr_…}) or HTTP Basic, so scripts need no
 * cookie jar.
 * Unauthenticated pages redirect to the login form; the API answers 401 with a JSON body, or 429
 * while the client is being slowed down after failed attempts. The 401 carries no
 * {@code WWW-Authenticate: Basic} challenge: a browser shown one asks for the password and then
 * attaches it to every later request to this site, cross-site forms included.
 */
@ApplicationScoped
public class LingerAuthenticationMechanism implements HttpAuthenticationMechanism {

    public static final String SESSION_COOKIE = "linger_session";
    /** Set on the request by an identity provider that throttles the client: the 429 says how long to wait. */
    public static final String RETRY_AFTER = "linger.retry-after";
    private static final String BASIC_OFF = "linger.basic-off";

    /** linger.api.basic-auth.enabled: when off, Basic credentials are refused before any password check. */
    private final boolean basicEnabled;

    private final OidcSettings sso;

    LingerAuthenticationMechanism(dev.linger.LingerConfig config, OidcSettings sso) {
        this.basicEnabled = config.api().basicAuth().enabled();
        this.sso = sso;
    }

    /**
     * Before the OIDC mechanism (which is at DEFAULT_PRIORITY + 1): Linger's session, tokens and Basic are looked
     * at first, and Linger's challenge (the login page, the API's JSON 401) is the one sent, except on the
     * single sign-on callbacks, where only the OIDC code flow is selected (application.properties).
     */
    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 10;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        if (isApi(context)) {
            String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
            if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                String bearer = header.substring(7).trim();
                if (sso.enabled() && !bearer.startsWith(TokenFormat.PREFIX)) {
                    // the provider's access token: the OIDC mechanism checks it (sso/OidcTenants, ProviderBearer)
                    return Uni.createFrom().nullItem();
                }
                // a personal API token (dev.linger.token); never logged, checked by TokenIdentityProvider
                TokenRequest token = new TokenRequest(bearer);
                HttpSecurityUtils.setRoutingContextAttribute(token, context);
                return identities.authenticate(token);
            }
            if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
                return Uni.createFrom().nullItem();
            }
            if (!basicEnabled) {
                context.put(BASIC_OFF, true);
                return Uni.createFrom().failure(new AuthenticationFailedException("HTTP Basic is turned off"));
            }
            AuthenticationRequest request = basic(header.substring(6).trim());
            if (request == null) {
                return Uni.createFrom().failure(new AuthenticationFailedException("malformed Basic credentials"));
            }
            HttpSecurityUtils.setRoutingContextAttribute(request, context);
            return identities.authenticate(request);
        }
        Cookie cookie = context.request().getCookie(SESSION_COOKIE);
        if (cookie == null || cookie.getValue().isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        SessionRequest request = new SessionRequest(cookie.getValue());
        HttpSecurityUtils.setRoutingContextAttribute(request, context);
        // a stale cookie makes the visitor anonymous, so the login page itself still opens
        return identities.authenticate(request)
                .onFailure(AuthenticationFailedException.class).recoverWithNull();
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        if (isApi(context)) {
            Object retry = context.get(RETRY_AFTER);
            if (retry != null) {
                return Uni.createFrom().item(new ChallengeData(429, "Retry-After", retry.toString()));
            }
            return Uni.createFrom().item(new ChallengeData(401));
        }
        String location = "/login";
        if (context.request().method() == HttpMethod.GET) {
            location += "?next=" + URLEncoder.encode(context.request().uri(), StandardCharsets.UTF_8);
        }
        return Uni.createFrom().item(new ChallengeData(302, HttpHeaders.LOCATION, location));
    }

    /** The API's 401 says in JSON what to send, like every other refusal of the API. */
    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        if (!isApi(context) || context.get(RETRY_AFTER) != null || context.response().ended()) {
            return HttpAuthenticationMechanism.super.sendChallenge(context);
        }
        SecurityMessages messages = RequestLanguage.bundle(SecurityMessages.class, java.util.Locale.ENGLISH);
        String message = context.get(BASIC_OFF) != null ? messages.apiBasicOff() : messages.apiSignIn();
        context.response().setStatusCode(401).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(new JsonObject(Map.of("error", message, "status", 401)).encode());
        return Uni.createFrom().item(true);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(UsernamePasswordAuthenticationRequest.class, SessionRequest.class, TokenRequest.class);
    }

    static boolean isApi(RoutingContext context) {
        String path = context.normalizedPath();
        return path.equals("/api") || path.startsWith("/api/");
    }

    /** The client as Vert.x sees it; behind a proxy set quarkus.http.proxy.proxy-address-forwarding. */
    public static String clientAddress(RoutingContext context) {
        var remote = context.request().remoteAddress();
        return remote == null ? "unknown" : remote.hostAddress();
    }

    private static AuthenticationRequest basic(String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return null;
        }
        return new UsernamePasswordAuthenticationRequest(decoded.substring(0, colon),
                new PasswordCredential(decoded.substring(colon + 1).toCharArray()));
    }
}
