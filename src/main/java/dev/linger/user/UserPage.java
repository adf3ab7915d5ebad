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
                Map<String, String> errors);
    }

    private static final List<String> ALL_ROLES = List.of(Role.VIEWER_ID, Role.OPERATOR_ID, Role.APPROVER_ID,
            Role.ADMIN_ID);

    private final UserService users;
    private final CurrentUser me;
    private final RequestLanguage lang;

    UserPage(UserService users, CurrentUser me, RequestLanguage lang) {
        this.users = users;
        this.me = me;
        this.lang = lang;
    }

    @GET
    public TemplateInstance list() {
        return Templates.list(users.list(), ALL_ROLES, NewUserForm.empty(), Map.of());
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
                            e.fields(lang.locale())))
                    .build();
        }
    }

    @POST
    @Path("{id}/roles")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response changeRoles(@PathParam("id") long id, @RestForm List<String> roles) {
        try {
            UserView changed = users.changeRoles(me.name(), id, roles == null ? List.of() : roles);
            return Flash.redirect("/users", Text.of("act.userRoles", changed.username(), roles(changed.roles())));
        } catch (InvalidInput e) {
            return refusal(e);
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
                .entity(Templates.list(users.list(), ALL_ROLES, NewUserForm.empty(), Map.of("general", e.message(lang.locale()))))
                .build();
    }
}
