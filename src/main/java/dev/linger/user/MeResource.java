package dev.linger.user;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.security.identity.SecurityIdentity;

/** Who the API credentials belong to: a cheap check for a script's configuration. */
@Path("/api/v1/me")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.VIEWER_ID)
public class MeResource {

    public record Me(String username, List<String> roles) {
    }

    private final SecurityIdentity identity;

    MeResource(SecurityIdentity identity) {
        this.identity = identity;
    }

    @GET
    public Me me() {
        return new Me(identity.getPrincipal().getName(), identity.getRoles().stream().sorted().toList());
    }
}
