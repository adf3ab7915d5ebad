package dev.linger.sso;

import java.util.Map;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.linger.i18n.RequestLanguage;
import dev.linger.i18n.SsoMessages;
import dev.linger.login.LoginPage;
import io.quarkus.oidc.OIDCException;

/**
 * The provider cannot be reached (its discovery document or keys): the sign-in button and the provider's tokens
 * fail with 503 and say so, while everything that does not need the provider — passwords, sessions, lgr_ tokens —
 * goes on. Not a server error: nothing in Linger is broken.
 */
public class ProviderUnavailable {

    private static final Logger LOG = Logger.getLogger(ProviderUnavailable.class);

    private final OidcSettings settings;
    private final RequestLanguage lang;

    ProviderUnavailable(OidcSettings settings, RequestLanguage lang) {
        this.settings = settings;
        this.lang = lang;
    }

    /**
     * On the callbacks the code flow fails in the HTTP layer, before any resource: back to the login page, which
     * says the provider is down and offers the password form.
     */
    void onCallbacks(@jakarta.enterprise.event.Observes io.vertx.ext.web.Router router) {
        router.route(OidcSettings.COOKIE_PATH + "/*").order(Integer.MIN_VALUE + 20).failureHandler(ctx -> {
            if (ctx.failure() instanceof OIDCException e && !ctx.response().headWritten()) {
                LOG.warnf("single sign-on: the provider %s cannot be reached (%s)", settings.issuer().orElse("?"),
                        e.getMessage());
                ctx.response().setStatusCode(303).putHeader("Location", "/login?provider=down")
                        .putHeader("Retry-After", "30").end();
            } else {
                ctx.next();
            }
        });
    }

    @ServerExceptionMapper
    public Response unavailable(OIDCException e, UriInfo uri) {
        LOG.warnf("single sign-on on %s: the provider %s cannot be reached (%s)", uri.getPath(),
                settings.issuer().orElse("?"), e.getMessage());
        String path = uri.getPath();
        if (path.equals("/api") || path.startsWith("/api/")) {
            String message = RequestLanguage.bundle(SsoMessages.class, java.util.Locale.ENGLISH).providerDown();
            return Response.status(503).header("Retry-After", 30).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(Map.of("error", message, "status", 503)).build();
        }
        return Response.status(503).header("Retry-After", 30)
                .entity(LoginPage.page("", "/", lang.texts(SsoMessages.class).providerDown(), settings)).build();
    }
}
