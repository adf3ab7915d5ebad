package dev.linger.sso;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import dev.linger.LingerConfig;
import dev.linger.audit.AuditLog;
import dev.linger.i18n.RequestLanguage;
import dev.linger.i18n.Text;
import dev.linger.login.LingerAuthenticationMechanism;
import dev.linger.login.LoginPage;
import dev.linger.login.SessionStore;
import dev.linger.web.CurrentUser;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.oidc.IdTokenCredential;
import io.quarkus.oidc.OidcSession;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.ext.web.RoutingContext;

/**
 * Sign-in through the provider. {@code /login/oidc/start} remembers where to go afterwards and sends the browser to
 * a callback path that only the OIDC code flow may authenticate; Quarkus checks state and nonce there and
 * exchanges the code. The callback then opens a Linger session (roles from the provider, refused when the Linger
 * account is disabled) and ends Quarkus' own session cookie, so Linger's session is the only one pages see.
 * The re-authentication callback does the same for step-up, on the session the person already has.
 */
@Path("/login/oidc")
@Produces(MediaType.TEXT_HTML)
public class OidcSignIn {

    private static final Logger LOG = Logger.getLogger(OidcSignIn.class);
    static final String NEXT_COOKIE = "linger_sso_next";
    /** A step-up sign-in must be this recent: the provider was asked for prompt=login and max_age=0. */
    private static final Duration FRESH = Duration.ofMinutes(2);

    private final OidcSettings settings;
    private final ProviderUsers users;
    private final SecurityIdentity identity;
    private final OidcSession oidcSession;
    private final LingerConfig config;
    private final RequestLanguage lang;
    private final CurrentUser me;
    private final SessionStore sessions;
    private final AuditLog audit;
    private final Clock clock;

    OidcSignIn(OidcSettings settings, ProviderUsers users, SecurityIdentity identity, OidcSession oidcSession,
            LingerConfig config, RequestLanguage lang, CurrentUser me, SessionStore sessions, AuditLog audit,
            Clock clock) {
        this.settings = settings;
        this.users = users;
        this.identity = identity;
        this.oidcSession = oidcSession;
        this.config = config;
        this.lang = lang;
        this.me = me;
        this.sessions = sessions;
        this.audit = audit;
        this.clock = clock;
    }

    /** The sign-in button's target; {@code reauth=true} for step-up (the person is signed in already). */
    @GET
    @Path("start")
    public Response start(@QueryParam("next") String next, @QueryParam("reauth") boolean reauth) {
        if (!settings.enabled()) {
            return refusal(404, lang.texts(dev.linger.i18n.SsoMessages.class).notConfigured(), next);
        }
        if (reauth && !me.signedIn()) {
            return Response.seeOther(URI.create("/login")).build();
        }
        String target = reauth ? OidcSettings.REAUTH_CALLBACK : OidcSettings.CALLBACK;
        return Response.seeOther(URI.create(target)).cookie(nextCookie(LoginPage.safeNext(next), 600)).build();
    }

    @GET
    @Path("callback")
    public Response callback(@CookieParam(NEXT_COOKIE) String next, RoutingContext http) {
        String client = LingerAuthenticationMechanism.clientAddress(http);
        ProviderClaims who = claims();
        String idToken = identity.getCredential(IdTokenCredential.class).getToken();
        endQuarkusSession();
        ProviderUsers.Outcome outcome = users.signIn(who, idToken, client);
        if (outcome instanceof ProviderUsers.Outcome.Accepted ok) {
            return Response.seeOther(URI.create(LoginPage.safeNext(next)))
                    .cookie(LoginPage.sessionCookie(ok.sessionToken(), -1, config), nextCookie("", 0)).build();
        }
        Text reason = ((ProviderUsers.Outcome.Refused) outcome).reason();
        return refusal(403, dev.linger.i18n.Catalogue.render(reason, lang.locale()), next);
    }

    /**
     * Back from the provider after it asked for the password again: the same person as this session, authenticated
     * just now, so the session counts as fresh for the next risky decision.
     */
    @GET
    @Path("reauth")
    public Response reauthenticated(@CookieParam(NEXT_COOKIE) String next,
            @CookieParam(LingerAuthenticationMechanism.SESSION_COOKIE) String session) {
        ProviderClaims who = claims();
        String idToken = identity.getCredential(IdTokenCredential.class).getToken();
        endQuarkusSession();
        Optional<SessionStore.SessionUser> current = QuarkusTransaction.requiringNew().call(() -> sessions.resolve(session));
        if (current.isEmpty()) {
            return Response.seeOther(URI.create("/login")).cookie(nextCookie("", 0)).build();
        }
        String username = current.get().username();
        var sso = lang.texts(dev.linger.i18n.SsoMessages.class);
        if (!users.isAccountOf(who, username)) {
            QuarkusTransaction.requiringNew().run(() -> audit.record(username, "user.step_up_failed", "user", username,
                    Map.of("method", "oidc", "reason", "another person at the provider")));
            return refusal(403, sso.refusedOtherPerson(), next);
        }
        // the provider was asked for prompt=login and max_age=0: its token must say the password was typed just
        // before it was issued (both times are the provider's, so no clock skew between the two machines matters)
        if (who.authenticatedAt().isBefore(who.issuedAt().minus(FRESH))) {
            return refusal(403, sso.refusedNotFresh(), next);
        }
        Instant now = clock.instant();
        QuarkusTransaction.requiringNew().run(() -> {
            sessions.reauthenticated(session,
                    new SessionStore.Authentication(SessionStore.Authentication.OIDC, now, idToken));
            audit.record(username, "user.step_up", "user", username, Map.of("method", "oidc"));
        });
        return Response.seeOther(URI.create(LoginPage.safeNext(next))).cookie(nextCookie("", 0)).build();
    }

    private ProviderClaims claims() {
        AccessTokenCredential access = identity.getCredential(AccessTokenCredential.class);
        return ProviderClaims.of(identity.getCredential(IdTokenCredential.class).getToken(),
                access == null ? null : access.getToken(), settings.roles());
    }

    /** Quarkus' session cookie has done its work; Linger's session carries on (and is checked against Linger's users). */
    private void endQuarkusSession() {
        try {
            oidcSession.logout().await().atMost(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.debugf("ending the code flow's own session cookie: %s", e.toString());
        }
    }

    private Response refusal(int status, String message, String next) {
        return Response.status(status).entity(LoginPage.page("", LoginPage.safeNext(next), message, settings))
                .cookie(nextCookie("", 0)).build();
    }

    private NewCookie nextCookie(String value, int maxAge) {
        return new NewCookie.Builder(NEXT_COOKIE).value(value).path(OidcSettings.COOKIE_PATH).maxAge(maxAge)
                .httpOnly(true).secure(config.session().secureCookie()).sameSite(NewCookie.SameSite.LAX).build();
    }
}
