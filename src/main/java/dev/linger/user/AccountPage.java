package dev.linger.user;

import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
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
import dev.linger.web.CurrentUser;
import dev.linger.web.Flash;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** Each person's own account: roles at a glance, and changing one's password. */
@Path("/account")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Role.VIEWER_ID)
public class AccountPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance account(UserView user, Map<String, String> errors);
    }

    private final UserService users;
    private final CurrentUser me;
    private final RequestLanguage lang;

    AccountPage(UserService users, CurrentUser me, RequestLanguage lang) {
        this.users = users;
        this.me = me;
        this.lang = lang;
    }

    @GET
    public TemplateInstance account() {
        return Templates.account(self(), Map.of());
    }

    @POST
    @Path("password")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response changePassword(@RestForm String current, @RestForm String next, @RestForm String confirm,
            @CookieParam(LingerAuthenticationMechanism.SESSION_COOKIE) String session) {
        if (next != null && !next.equals(confirm)) {
            return Response.status(400)
                    .entity(Templates.account(self(), Map.of("confirm", texts().passwordsDiffer()))).build();
        }
        try {
            users.changeOwnPassword(me.name(), current, next, session);
            return Flash.redirect("/account", Text.of("sec.flashPasswordChanged"));
        } catch (InvalidInput e) {
            return Response.status(400).entity(Templates.account(self(), e.fields(lang.locale()))).build();
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
