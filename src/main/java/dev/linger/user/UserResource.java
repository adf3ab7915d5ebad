package dev.linger.user;

import java.net.URI;
import java.util.List;

import dev.linger.i18n.Text;
import dev.linger.login.LoginPolicy;
import dev.linger.sso.OidcSettings;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.linger.InvalidInput;
import io.quarkus.security.identity.SecurityIdentity;

/** Users over the JSON API, for scripts that set up a team. */
@Path("/api/v1/users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.ADMIN_ID)
public class UserResource {

    public record NewUser(String username, String password, List<String> roles) {
    }

    public record BreakGlass(Boolean breakGlass) {
    }

    public record SignInPolicy(Boolean localSignIn, Boolean singleSignOn, Boolean codesRequired) {
    }

    private final UserService users;
    private final SecurityIdentity identity;
    private final LoginPolicy policy;
    private final OidcSettings sso;

    UserResource(UserService users, SecurityIdentity identity, LoginPolicy policy, OidcSettings sso) {
        this.users = users;
        this.identity = identity;
        this.policy = policy;
        this.sso = sso;
    }

    /** {@code {"localSignIn", "singleSignOn", "codesRequired"}}: how people may sign in. */
    @GET
    @Path("sign-in-policy")
    public SignInPolicy signInPolicy() {
        LoginPolicy.Rules rules = policy.rules();
        return new SignInPolicy(rules.localSignIn(), sso.enabled(), rules.totpRequired());
    }

    /**
     * {@code {"localSignIn": false}} leaves passwords to break-glass accounts (needs a provider and a break-glass
     * admin); {@code {"codesRequired": true}} makes approvers and admins with passwords use sign-in codes.
     */
    @PUT
    @Path("sign-in-policy")
    public SignInPolicy setSignInPolicy(SignInPolicy body) {
        if (body == null || body.localSignIn() == null && body.codesRequired() == null) {
            throw InvalidInput.of("body", Text.of("refuse.sendJson",
                    "{\"localSignIn\": true|false, \"codesRequired\": true|false}"));
        }
        if (body.localSignIn() != null) {
            SignInRules.setLocalSignIn(identity.getPrincipal().getName(), body.localSignIn(), sso, users, policy);
        }
        if (body.codesRequired() != null) {
            SignInRules.setCodesRequired(identity.getPrincipal().getName(), body.codesRequired(), policy);
        }
        return signInPolicy();
    }

    @PUT
    @Path("{id}/break-glass")
    public UserView setBreakGlass(@PathParam("id") long id, BreakGlass body) {
        if (body == null || body.breakGlass() == null) {
            throw InvalidInput.of("body", Text.of("refuse.sendJson", "{\"breakGlass\": true|false}"));
        }
        return users.setBreakGlass(identity.getPrincipal().getName(), id, body.breakGlass());
    }

    @GET
    public List<UserView> list() {
        return users.list();
    }

    @POST
    public Response create(NewUser body) {
        if (body == null) {
            throw InvalidInput.of("body", Text.of("refuse.sendJson", "{\"username\", \"password\", \"roles\": [...]}"));
        }
        UserView created = users.create(identity.getPrincipal().getName(), body.username(), body.password(),
                body.roles());
        return Response.created(URI.create("/api/v1/users/" + created.id())).entity(created).build();
    }
}
