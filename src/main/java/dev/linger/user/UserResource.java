package dev.linger.user;

import java.util.Map;
import java.net.URI;
import java.util.List;
import java.util.Map;

import dev.linger.InvalidInput;
import dev.linger.i18n.Text;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
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

    private final UserService users;
    private final SecurityIdentity identity;

    UserResource(UserService users, SecurityIdentity identity) {
        this.users = users;
        this.identity = identity;
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
