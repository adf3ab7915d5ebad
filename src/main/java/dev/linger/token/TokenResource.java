package dev.linger.token;

import java.net.URI;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.linger.Forbidden;
import dev.linger.InvalidInput;
import dev.linger.i18n.Text;
import dev.linger.user.Role;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Personal API tokens over the API. Making or revoking a token with a token needs that token's admin scope in
 * effect (its owner still an admin): a token with fewer scopes cannot mint itself a stronger one or a longer life.
 * With a password (HTTP Basic) anyone may manage their own tokens.
 */
@Path("/api/v1/tokens")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.VIEWER_ID)
public class TokenResource {

    public record NewToken(String name, List<String> scopes, Integer expiresInDays) {
    }

    private final TokenService tokens;
    private final SecurityIdentity identity;

    TokenResource(TokenService tokens, SecurityIdentity identity) {
        this.tokens = tokens;
        this.identity = identity;
    }

    @GET
    public List<TokenView> list(@QueryParam("user") String user, @QueryParam("all") boolean all) {
        boolean admin = identity.hasRole(Role.ADMIN_ID);
        if ((all || user != null && !user.equals(me())) && !admin) {
            throw new io.quarkus.security.ForbiddenException();
        }
        return tokens.list(all ? null : user != null ? user.strip() : me());
    }

    @POST
    public Response create(NewToken body) {
        managing();
        if (body == null) {
            throw InvalidInput.of("body", Text.of("refuse.sendJson",
                    "{\"name\", \"scopes\": [\"read\"|\"operate\"|\"approve\"|\"admin\"], \"expiresInDays\"}"));
        }
        TokenService.Created created = tokens.create(me(), identity.getRoles(), body.name(), body.scopes(),
                body.expiresInDays());
        return Response.created(URI.create("/api/v1/tokens/" + created.id())).entity(created).build();
    }

    @DELETE
    @Path("{id}")
    public TokenView revoke(@PathParam("id") long id) {
        managing();
        return tokens.revoke(me(), identity.hasRole(Role.ADMIN_ID), id);
    }

    /** A token manages tokens only with its admin scope in effect. */
    private void managing() {
        if (identity.getAttribute(TokenIdentityProvider.TOKEN_ID) != null && !identity.hasRole(Role.ADMIN_ID)) {
            throw new Forbidden(Text.of("refuse.tokenByToken"));
        }
    }

    private String me() {
        return identity.getPrincipal().getName();
    }
}
