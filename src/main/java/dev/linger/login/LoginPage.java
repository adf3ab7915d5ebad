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

import dev.linger.LingerConfig;
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
        static native TemplateInstance login(String username, String next, String error);

        static native TemplateInstance logout();
    }

    private final LoginService login;
    private final CurrentUser me;
    private final LingerConfig config;
    private final RequestLanguage lang;

    LoginPage(LoginService login, CurrentUser me, LingerConfig config, RequestLanguage lang) {
        this.login = login;
        this.me = me;
        this.config = config;
        this.lang = lang;
    }

    @GET
    @Path("login")
    public Response form(@QueryParam("next") String next) {
        if (me.signedIn()) {
            return Response.seeOther(URI.create(safeNext(next))).build();
        }
        return Response.ok(Templates.login("", safeNext(next), null)).build();
    }

    @POST
    @Path("login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response submit(@RestForm String username, @RestForm String password, @RestForm String next,
            RoutingContext http) {
        String shownName = username == null ? "" : username.trim();
        if (shownName.length() > 64) {
            shownName = shownName.substring(0, 64);
        }
        if (username == null || username.isBlank() || password == null || password.isEmpty()) {
            return Response.status(400)
                    .entity(Templates.login(shownName, safeNext(next), lang.messages().loginMissing())).build();
        }
        LoginService.Outcome outcome = login.attempt(username, password,
                LingerAuthenticationMechanism.clientAddress(http), LoginService.Channel.FORM);
        if (outcome instanceof LoginService.Outcome.Accepted ok) {
            return Response.seeOther(URI.create(safeNext(next))).cookie(sessionCookie(ok.sessionToken(), -1)).build();
        }
        if (outcome instanceof LoginService.Outcome.Throttled t) {
            long seconds = Math.max(1, t.retryAfter().toSeconds());
            return Response.status(429).header("Retry-After", seconds)
                    .entity(Templates.login(shownName, safeNext(next), lang.messages().loginThrottled(seconds)))
                    .build();
        }
        return Response.status(401)
                .entity(Templates.login(shownName, safeNext(next), lang.messages().loginWrong())).build();
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
    public Response logout(@CookieParam(LingerAuthenticationMechanism.SESSION_COOKIE) String token) {
        login.logout(token);
        Response signedOut = Flash.redirect("/login", Text.of("msg.flashSignedOut"));
        return Response.fromResponse(signedOut).cookie(sessionCookie("", 0)).build();
    }

    private NewCookie sessionCookie(String value, int maxAge) {
        return new NewCookie.Builder(LingerAuthenticationMechanism.SESSION_COOKIE).value(value).path("/")
                .maxAge(maxAge).httpOnly(true).secure(config.session().secureCookie())
                .sameSite(NewCookie.SameSite.LAX).build();
    }

    /** Only a path on this site: never another host, so the login form cannot be used to send people elsewhere. */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")
                || next.length() > 2000 || next.chars().anyMatch(c -> c < 0x20 || c == 0x7f)
                || next.startsWith("/login") || next.startsWith("/logout")) {
            return "/";
        }
        return next;
    }
}
