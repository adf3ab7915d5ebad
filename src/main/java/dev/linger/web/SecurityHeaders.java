package dev.linger.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.event.Observes;

import dev.linger.LingerConfig;
import dev.linger.i18n.RequestLanguage;
import dev.linger.i18n.SecurityMessages;
import dev.linger.login.LingerAuthenticationMechanism;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The first thing every request meets, before authentication:
 * <ul>
 * <li>every response says it may not be framed and which sources its page may use (no inline script or style:
 * the pages need none, so an injected one would not run);</li>
 * <li>a state-changing API request that a browser marks as coming from another site is refused, and one with a
 * body other than JSON too, so cached credentials cannot be ridden by a cross-site form or a no-cors fetch.
 * Scripts and curl send neither {@code Origin} nor {@code Sec-Fetch-Site} and are not affected;</li>
 * <li>a visitor without any cookie to bind a form token to gets the pre-session cookie of {@link CsrfToken}.</li>
 * </ul>
 */
public class SecurityHeaders {

    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self';"
            + " frame-ancestors 'none'";

    /**
     * With single sign-on, signing out is a form whose answer redirects to the provider's end-session endpoint,
     * and browsers hold a form's redirects to form-action too: the provider's origin is allowed there, nothing else.
     */
    static String csp(java.util.Optional<String> issuer) {
        return issuer.map(java.net.URI::create)
                .map(u -> CSP.replace("form-action 'self';", "form-action 'self' " + u.getScheme() + "://"
                        + u.getRawAuthority() + ";"))
                .orElse(CSP);
    }

    void install(@Observes Router router, LingerConfig config) {
        boolean secure = config.session().secureCookie();
        String csp = csp(config.oidc().issuer().map(String::strip).filter(i -> !i.isEmpty()));
        router.route().order(Integer.MIN_VALUE + 10).handler(http -> {
            http.addHeadersEndHandler(v -> {
                var headers = http.response().headers();
                headers.set("X-Frame-Options", "DENY");
                headers.set("Content-Security-Policy", csp);
                headers.set("X-Content-Type-Options", "nosniff");
                headers.set("Referrer-Policy", "same-origin");
            });
            String path = http.normalizedPath();
            boolean api = path.equals("/api") || path.startsWith("/api/");
            if (api && RequestGuard.changes(http.request().method().name())) {
                SecurityMessages texts = RequestLanguage.bundle(SecurityMessages.class, java.util.Locale.ENGLISH);
                if (!sameOrigin(http)) {
                    refuse(http, 403, texts.apiCrossSite());
                    return;
                }
                // a bodiless POST may carry any content type (curl -d '' says form); a body must be JSON
                String type = http.request().getHeader(HttpHeaders.CONTENT_TYPE);
                if (hasBody(http) && (type == null || !isJson(type))) {
                    refuse(http, 415, texts.apiJsonOnly());
                    return;
                }
            } else if (!api && !path.startsWith("/static/") && !path.startsWith("/webjars/")
                    && !path.startsWith("/q/") && http.request().method() == HttpMethod.GET
                    && http.request().getCookie(CsrfToken.PRE_SESSION_COOKIE) == null
                    && http.request().getCookie(LingerAuthenticationMechanism.SESSION_COOKIE) == null) {
                String value = CsrfToken.newPreSessionValue();
                http.put(CsrfToken.NEW_PRE_SESSION, value);
                http.response().addCookie(Cookie.cookie(CsrfToken.PRE_SESSION_COOKIE, value).setPath("/")
                        .setHttpOnly(true).setSecure(secure).setSameSite(CookieSameSite.LAX));
            }
            http.next();
        });
    }

    /**
     * False when a browser says the request comes from elsewhere: {@code Sec-Fetch-Site} other than same-origin
     * or none (typed or bookmarked), or an {@code Origin} that is not this server's own host and port.
     */
    static boolean sameOrigin(RoutingContext http) {
        String site = http.request().getHeader("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            return false;
        }
        String origin = http.request().getHeader(HttpHeaders.ORIGIN);
        return origin == null || origin.equals(ownOrigin(http, origin));
    }

    /** This server's origin as the browser would write it, in the scheme the Origin header uses. */
    static String ownOrigin(RoutingContext http, String origin) {
        String host = http.request().getHeader(HttpHeaders.HOST);
        if (host == null) {
            return null;
        }
        try {
            URI sent = new URI(origin);
            String scheme = sent.getScheme() == null ? "" : sent.getScheme().toLowerCase(Locale.ROOT);
            URI own = new URI(scheme + "://" + host.toLowerCase(Locale.ROOT));
            int defaultPort = scheme.equals("https") ? 443 : 80;
            int sentPort = sent.getPort() == -1 ? defaultPort : sent.getPort();
            int ownPort = own.getPort() == -1 ? defaultPort : own.getPort();
            boolean same = own.getHost() != null && sent.getHost() != null
                    && own.getHost().equals(sent.getHost().toLowerCase(Locale.ROOT)) && sentPort == ownPort
                    && (scheme.equals("http") || scheme.equals("https"));
            return same ? origin : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    static boolean hasBody(RoutingContext http) {
        String length = http.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        return http.request().getHeader(HttpHeaders.TRANSFER_ENCODING) != null
                || length != null && !length.trim().equals("0");
    }

    static boolean isJson(String contentType) {
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return type.equals("application/json");
    }

    private static void refuse(RoutingContext http, int status, String message) {
        http.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(new JsonObject(Map.of("error", message, "status", status)).encode());
    }
}
