package dev.linger.user;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import dev.linger.InvalidInput;
import dev.linger.i18n.Text;
import dev.linger.i18n.ActionMessages;
import dev.linger.i18n.RequestLanguage;
import dev.linger.i18n.Text;
import dev.linger.login.LingerAuthenticationMechanism;
import dev.linger.token.Scope;
import dev.linger.token.TokenService;
import dev.linger.token.TokenView;
import dev.linger.web.CurrentUser;
import dev.linger.web.Flash;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;

/** Each person's own account: roles at a glance, changing one's password, and one's API tokens. */
@Path("/account")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Role.VIEWER_ID)
public class AccountPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance account(UserView user, Map<String, String> errors, List<TokenView> tokens,
                List<String> scopes, TokenService.Created created, Map<String, String> tokenForm, int maxDays,
                Instant now, TwoFactorView twoFactor);
    }

    /**
     * The sign-in codes section. {@code qrSvg}/{@code secret}: a setup under way; {@code recoveryCodes}: just made,
     * shown this once; {@code unused}: recovery codes left.
     */
    public record TwoFactorView(boolean local, boolean on, String secret, String qrSvg, List<String> recoveryCodes,
            long unused) {
    }

    private final UserService users;
    private final CurrentUser me;
    private final RequestLanguage lang;
    private final TokenService tokens;
    private final SecurityIdentity identity;
    private final Clock clock;
    private final TwoFactor twoFactor;

    AccountPage(UserService users, CurrentUser me, RequestLanguage lang, TokenService tokens,
            SecurityIdentity identity, Clock clock, TwoFactor twoFactor) {
        this.twoFactor = twoFactor;
        this.users = users;
        this.me = me;
        this.lang = lang;
        this.tokens = tokens;
        this.identity = identity;
        this.clock = clock;
    }

    @GET
    public TemplateInstance account() {
        return page(Map.of(), null, Map.of());
    }

    /**
     * Makes an API token and shows it on the page this once (never in a redirect or a cookie); the answer is not
     * stored by the browser's cache.
     */
    @POST
    @Path("tokens")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response createToken(@RestForm String name, @RestForm List<String> scopes, @RestForm String expiresInDays) {
        Map<String, String> form = Map.of("name", name == null ? "" : name, "expiresInDays",
                expiresInDays == null ? "" : expiresInDays, "scopes", String.join(",", scopes == null ? List.of() : scopes));
        try {
            Integer days = null;
            if (expiresInDays != null && !expiresInDays.isBlank()) {
                try {
                    days = Integer.valueOf(expiresInDays.strip());
                } catch (NumberFormatException e) {
                    throw InvalidInput.of("expiresInDays", Text.of("refuse.tokenDays", (long) tokens.maxDays()));
                }
            }
            TokenService.Created created = tokens.create(me.name(), identity.getRoles(), name, scopes, days);
            return Response.ok(page(Map.of(), created, Map.of())).header("Cache-Control", "no-store").build();
        } catch (InvalidInput e) {
            return Response.status(400).entity(page(e.fields(lang.locale()), null, form)).build();
        }
    }

    @POST
    @Path("tokens/{id}/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revokeToken(@PathParam("id") long id) {
        TokenView revoked = tokens.revoke(me.name(), false, id);
        return Flash.redirect("/account#tokens", Text.of("token.flashRevoked", revoked.name()));
    }

    private TemplateInstance page(Map<String, String> errors, TokenService.Created created, Map<String, String> form) {
        return page(errors, created, form, null);
    }

    private TemplateInstance page(Map<String, String> errors, TokenService.Created created, Map<String, String> form,
            List<String> recoveryCodes) {
        List<String> mine = java.util.Arrays.stream(Scope.values()).filter(s -> identity.hasRole(s.role().id()))
                .map(Scope::id).toList();
        Map<String, String> shown = new java.util.HashMap<>(form);
        shown.putIfAbsent("expiresInDays", String.valueOf(Math.min(TokenService.DEFAULT_DAYS, tokens.maxDays())));
        return Templates.account(self(), errors, tokens.list(me.name()), mine, created, shown, tokens.maxDays(),
                clock.instant(), twoFactorView(recoveryCodes));
    }

    private TwoFactorView twoFactorView(List<String> recoveryCodes) {
        AppUser user = AppUser.findByUsername(me.name())
                .orElseThrow(() -> new dev.linger.NotFound(Text.of("refuse.accountGone")));
        if (user.signsInThroughProvider()) {
            return new TwoFactorView(false, false, null, null, null, 0);
        }
        TwoFactor.Setup pending = user.hasTotp() ? null : twoFactor.pending(user.username);
        return new TwoFactorView(true, user.hasTotp(), pending == null ? null : pending.secret(),
                pending == null ? null : QrSvg.of(pending.uri()), recoveryCodes,
                user.hasTotp() ? twoFactor.unusedRecoveryCodes(user.id) : 0);
    }

    /** Starts setting up codes: a new secret, shown as a QR code until a first code confirms it. */
    @POST
    @Path("totp/begin")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response beginTotp() {
        try {
            twoFactor.begin(me.name());
            return Response.ok(page(Map.of(), null, Map.of())).header("Cache-Control", "no-store").build();
        } catch (InvalidInput e) {
            return Response.status(e.isConflict() ? 409 : 400).entity(page(e.fields(lang.locale()), null, Map.of()))
                    .build();
        }
    }

    /** A first code from the app turns codes on; the recovery codes are shown this once. */
    @POST
    @Path("totp/confirm")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response confirmTotp(@RestForm String code) {
        try {
            List<String> codes = twoFactor.confirm(me.name(), code);
            return Response.ok(page(Map.of(), null, Map.of(), codes)).header("Cache-Control", "no-store").build();
        } catch (InvalidInput e) {
            return Response.status(e.isConflict() ? 409 : 400).entity(page(e.fields(lang.locale()), null, Map.of()))
                    .header("Cache-Control", "no-store").build();
        }
    }

    @POST
    @Path("totp/disable")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response disableTotp(@RestForm String password) {
        try {
            twoFactor.disable(me.name(), password);
            return Flash.redirect("/account#codes", Text.of("sso.flashTotpOff"));
        } catch (InvalidInput e) {
            return Response.status(400).entity(page(e.fields(lang.locale()), null, Map.of())).build();
        }
    }

    @POST
    @Path("password")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response changePassword(@RestForm String current, @RestForm String next, @RestForm String confirm,
            @CookieParam(LingerAuthenticationMechanism.SESSION_COOKIE) String session) {
        if (next != null && !next.equals(confirm)) {
            return Response.status(400).entity(page(Map.of("confirm", texts().passwordsDiffer()), null, Map.of())).build();
        }
        try {
            users.changeOwnPassword(me.name(), current, next, session);
            return Flash.redirect("/account", Text.of("sec.flashPasswordChanged"));
        } catch (InvalidInput e) {
            return Response.status(400).entity(page(e.fields(lang.locale()), null, Map.of())).build();
        }
    }

    private ActionMessages texts() {
        return lang.texts(ActionMessages.class);
    }

    private UserView self() {
        return AppUser.findByUsername(me.name()).map(UserView::of)
                .orElseThrow(() -> new dev.linger.NotFound(Text.of("refuse.accountGone")));
    }
}
