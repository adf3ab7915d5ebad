package dev.linger.user;

import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import dev.linger.InvalidInput;
import dev.linger.login.LoginPolicy;
import dev.linger.sso.OidcSettings;
import dev.linger.i18n.ActionMessages;
import dev.linger.i18n.RequestLanguage;
import dev.linger.i18n.Text;
import dev.linger.web.CurrentUser;
import dev.linger.web.Flash;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** Admins add people, set their roles, and disable accounts. */
@Path("/users")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Role.ADMIN_ID)
public class UserPage {

    /** What the add-user form shows again after a refusal (never the password). */
    public record NewUserForm(String username, List<String> roles) {
        static NewUserForm empty() {
            return new NewUserForm("", List.of(Role.VIEWER_ID));
        }

        public boolean has(String role) {
            return roles.contains(role);
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(List<UserView> users, List<String> allRoles, NewUserForm form,
                Map<String, String> errors, SignInPolicy policy);
    }

    /** The Sign-in section: whether a provider is set up, and whether passwords open Linger for everyone. */
    public record SignInPolicy(boolean sso, boolean localSignIn, boolean codesRequired) {
    }

    private static final List<String> ALL_ROLES = List.of(Role.VIEWER_ID, Role.OPERATOR_ID, Role.APPROVER_ID,
            Role.ADMIN_ID);

    private final UserService users;
    private final CurrentUser me;
    private final RequestLanguage lang;
    private final LoginPolicy loginPolicy;
    private final OidcSettings sso;

    private final dev.linger.login.StepUpForm stepUpForm;

    UserPage(UserService users, CurrentUser me, RequestLanguage lang, LoginPolicy loginPolicy, OidcSettings sso,
            dev.linger.login.StepUpForm stepUpForm) {
        this.stepUpForm = stepUpForm;
        this.users = users;
        this.me = me;
        this.lang = lang;
        this.loginPolicy = loginPolicy;
        this.sso = sso;
    }

    @GET
    public TemplateInstance list() {
        return Templates.list(users.list(), ALL_ROLES, NewUserForm.empty(), Map.of(), policy());
    }

    private SignInPolicy policy() {
        LoginPolicy.Rules rules = loginPolicy.rules();
        return new SignInPolicy(sso.enabled(), rules.localSignIn(), rules.totpRequired());
    }

    /** Passwords for everyone, or only for break-glass accounts once the team signs in through its provider. */
    @POST
    @Path("sign-in-policy")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signInPolicy(@RestForm String localSignIn) {
        try {
            boolean on = parseSwitch(localSignIn);
            SignInRules.setLocalSignIn(me.name(), on, sso, users, loginPolicy);
            return Flash.redirect("/users", Text.of(on ? "sso.flashLocalOn" : "sso.flashLocalOff"));
        } catch (InvalidInput e) {
            return refusal(e);
        }
    }

    /** Whether approvers and admins who use a password must also use codes from an authenticator app. */
    @POST
    @Path("codes-policy")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response codesPolicy(@RestForm String required) {
        try {
            boolean on = parseSwitch(required);
            SignInRules.setCodesRequired(me.name(), on, loginPolicy);
            return Flash.redirect("/users", Text.of(on ? "sso.flashCodesRequired" : "sso.flashCodesOptional"));
        } catch (InvalidInput e) {
            return refusal(e);
        }
    }

    @POST
    @Path("{id}/break-glass")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response breakGlass(@PathParam("id") long id, @RestForm String breakGlass) {
        try {
            boolean on = parseSwitch(breakGlass);
            UserView changed = users.setBreakGlass(me.name(), id, on);
            return Flash.redirect("/users",
                    Text.of(on ? "sso.flashBreakGlassOn" : "sso.flashBreakGlassOff", changed.username()));
        } catch (InvalidInput e) {
            return refusal(e);
        }
    }

    private static boolean parseSwitch(String value) {
        if ("true".equals(value)) {
            return true;
        }
        if ("false".equals(value)) {
            return false;
        }
        throw InvalidInput.of("value", Text.of("refuse.notBoolean", value == null ? "" : value));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response add(@RestForm String username, @RestForm String password, @RestForm List<String> roles) {
        List<String> chosen = roles == null ? List.of() : roles;
        try {
            UserView created = users.create(me.name(), username, password, chosen);
            return Flash.redirect("/users", Text.of("act.userAdded", created.username(), roles(created.roles())));
        } catch (InvalidInput e) {
            String keptName = username == null ? "" : username.length() > 64 ? username.substring(0, 64) : username;
            List<String> keptRoles = chosen.stream().filter(ALL_ROLES::contains).toList();
            return Response.status(e.isConflict() ? 409 : 400)
                    .entity(Templates.list(users.list(), ALL_ROLES, new NewUserForm(keptName, keptRoles),
                            e.fields(lang.locale()), policy()))
                    .build();
        }
    }

    @POST
    @Path("{id}/roles")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response changeRoles(@PathParam("id") long id, @RestForm List<String> roles,
            @RestForm String stepUpPassword, @RestForm String stepUpCode) {
        try {
            UserView changed = users.changeRoles(me.name(), id, roles == null ? List.of() : roles,
                    stepUpForm.proof(stepUpPassword, stepUpCode));
            return Flash.redirect("/users", Text.of("act.userRoles", changed.username(), roles(changed.roles())));
        } catch (InvalidInput e) {
            return refusal(e);
        } catch (dev.linger.Forbidden e) {
            return Response.status(403).entity(Templates.list(users.list(), ALL_ROLES, NewUserForm.empty(),
                    Map.of("general", e.message(lang.locale())), policy())).build();
        }
    }

    @POST
    @Path("{id}/disable")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response disable(@PathParam("id") long id) {
        try {
            UserView changed = users.setDisabled(me.name(), id, true);
            return Flash.redirect("/users", Text.of("act.userDisabled", changed.username()));
        } catch (InvalidInput e) {
            return refusal(e);
        }
    }

    @POST
    @Path("{id}/enable")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response enable(@PathParam("id") long id) {
        UserView changed = users.setDisabled(me.name(), id, false);
        return Flash.redirect("/users", Text.of("act.userEnabled", changed.username()));
    }

    /** A temporary password for someone who lost theirs; they must replace it when they next sign in. */
    @POST
    @Path("{id}/password")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response resetPassword(@PathParam("id") long id, @RestForm String password) {
        try {
            UserView changed = users.resetPassword(me.name(), id, password);
            return Flash.redirect("/users", Text.of("sec.flashPasswordReset", changed.username()));
        } catch (InvalidInput e) {
            return refusal(e);
        }
    }

    /** The roles in words of the page that shows them, joined as that language joins a list. */
    private static List<Text> roles(java.util.Collection<String> roles) {
        return roles.stream().map(r -> dev.linger.i18n.Labels.text("role", r)).toList();
    }

    private ActionMessages texts() {
        return lang.texts(ActionMessages.class);
    }

    private Response refusal(InvalidInput e) {
        return Response.status(400)
                .entity(Templates.list(users.list(), ALL_ROLES, NewUserForm.empty(),
                        Map.of("general", e.message(lang.locale())), policy()))
                .build();
    }
}
