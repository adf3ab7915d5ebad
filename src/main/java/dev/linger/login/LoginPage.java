package dev.linger.login;

import java.net.URI;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import java.util.Optional;

import dev.linger.LingerConfig;
import dev.linger.i18n.SsoMessages;
import dev.linger.sso.OidcSettings;
import dev.linger.sso.ProviderLogout;
import dev.linger.i18n.RequestLanguage;
import dev.linger.i18n.Text;
import dev.linger.web.CurrentUser;
import dev.linger.web.Flash;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.ext.web.RoutingContext;

/** Sign in with the form (a session cookie follows), sign out with a POST. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class LoginPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance login(String username, String next, String error, SignInChoice sso,
                boolean askCode);

        static native TemplateInstance logout();
    }

    /**
     * The single sign-on button, when a provider is set up. {@code providerHtml}: the provider's configured name,
     * escaped, inside {@code translate="no"} (it is a name, not a word); null to say "single sign-on".
     */
    public record SignInChoice(boolean enabled, String providerHtml) {
        static SignInChoice of(OidcSettings settings) {
            return new SignInChoice(settings.enabled(), settings.providerName()
                    .map(n -> "<span translate=\"no\">" + dev.linger.web.TemplateFormats.escapeHtml(n) + "</span>")
                    .orElse(null));
        }
    }

    private final LoginService login;
    private final CurrentUser me;
    private final LingerConfig config;
    private final RequestLanguage lang;
    private final OidcSettings sso;
    private final ProviderLogout providerLogout;

    LoginPage(LoginService login, CurrentUser me, LingerConfig config, RequestLanguage lang, OidcSettings sso,
            ProviderLogout providerLogout) {
        this.login = login;
        this.me = me;
        this.config = config;
        this.lang = lang;
        this.sso = sso;
        this.providerLogout = providerLogout;
    }

    /** The login page, also shown by the single sign-on callback when it refuses someone. */
    public static TemplateInstance page(String username, String next, String error, OidcSettings settings) {
        return Templates.login(username, next, error, SignInChoice.of(settings), false);
    }

    @GET
    @Path("login")
    public Response form(@QueryParam("next") String next, @QueryParam("provider") String provider) {
        if (me.signedIn()) {
            return Response.seeOther(URI.create(safeNext(next))).build();
        }
        // sso/ProviderUnavailable sends the browser here when the provider could not be reached
        String notice = "down".equals(provider) && sso.enabled() ? lang.texts(SsoMessages.class).providerDown() : null;
        return Response.ok(page("", safeNext(next), notice, sso)).build();
    }

    @POST
    @Path("login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response submit(@RestForm String username, @RestForm String password, @RestForm String code,
            @RestForm String next, RoutingContext http) {
        String shownName = username == null ? "" : username.trim();
        if (shownName.length() > 64) {
            shownName = shownName.substring(0, 64);
        }
        if (username == null || username.isBlank() || password == null || password.isEmpty()) {
            return Response.status(400)
                    .entity(page(shownName, safeNext(next), lang.messages().loginMissing(), sso)).build();
        }
        LoginService.Outcome outcome = login.attempt(username, password, code,
                LingerAuthenticationMechanism.clientAddress(http), LoginService.Channel.FORM);
        if (outcome instanceof LoginService.Outcome.Accepted ok) {
            return Response.seeOther(URI.create(safeNext(next))).cookie(sessionCookie(ok.sessionToken(), -1, config))
                    .build();
        }
        if (outcome instanceof LoginService.Outcome.Throttled t) {
            long seconds = Math.max(1, t.retryAfter().toSeconds());
            return Response.status(429).header("Retry-After", seconds)
                    .entity(page(shownName, safeNext(next), lang.messages().loginThrottled(seconds), sso))
                    .build();
        }
        if (outcome instanceof LoginService.Outcome.CodeNeeded) {
            // the password was right; it is not kept, so the form asks for it again with the code
            return Response.status(401).entity(Templates.login(shownName, safeNext(next),
                    lang.texts(SsoMessages.class).codeNeeded(), SignInChoice.of(sso), true)).build();
        }
        if (outcome instanceof LoginService.Outcome.LocalSignInOff) {
            return Response.status(403)
                    .entity(page(shownName, safeNext(next), lang.texts(SsoMessages.class).localOff(), sso)).build();
        }
        return Response.status(401)
                .entity(page(shownName, safeNext(next), lang.messages().loginWrong(), sso)).build();
    }

    /** Signing out changes state, so it is a POST; this page holds its form (and keeps CSRF tokens out of the layout). */
    @GET
    @Path("logout")
    public Response confirmLogout() {
        if (!me.signedIn()) {
            return Response.seeOther(URI.create("/login")).build();
        }
        return Response.ok(Templates.logout()).build();
    }

    @POST
    @Path("logout")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response logout(@CookieParam(LingerAuthenticationMechanism.SESSION_COOKIE) String token,
            RoutingContext http) {
        Optional<SessionStore.Closed> closed = login.logout(token);
        Optional<String> idToken = closed.map(SessionStore.Closed::idToken).filter(t -> sso.enabled());
        if (idToken.isPresent()) {
            // RP-initiated logout: the provider ends its session too, then sends the browser back to the login page
            URI self = URI.create(http.request().absoluteURI());
            Optional<URI> atProvider = providerLogout.uri(idToken.get(),
                    self.getScheme() + "://" + self.getRawAuthority() + "/login");
            if (atProvider.isPresent()) {
                Response signedOut = Flash.redirect("/login", Text.of("msg.flashSignedOut"));
                return Response.fromResponse(signedOut).location(atProvider.get()).cookie(sessionCookie("", 0, config))
                        .build();
            }
            Response partly = Flash.redirect("/login", Text.of("sso.providerLogoutFailed"));
            return Response.fromResponse(partly).cookie(sessionCookie("", 0, config)).build();
        }
        Response signedOut = Flash.redirect("/login", Text.of("msg.flashSignedOut"));
        return Response.fromResponse(signedOut).cookie(sessionCookie("", 0, config)).build();
    }

    public static NewCookie sessionCookie(String value, int maxAge, LingerConfig config) {
        return new NewCookie.Builder(LingerAuthenticationMechanism.SESSION_COOKIE).value(value).path("/")
                .maxAge(maxAge).httpOnly(true).secure(config.session().secureCookie())
                .sameSite(NewCookie.SameSite.LAX).build();
    }

    /** Only a path on this site: never another host, so the login form cannot be used to send people elsewhere. */
    public static String safeNext(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")
                || next.length() > 2000 || next.chars().anyMatch(c -> c < 0x20 || c == 0x7f)
                || next.startsWith("/login") || next.startsWith("/logout")) {
            return "/";
        }
        return next;
    }
}
