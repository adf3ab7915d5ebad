package dev.linger.web;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** Deployed only in tests: an endpoint that fails the way a bug would. */
@Path("/test-only/failure")
@RolesAllowed("viewer")
public class FailingResource {

    @GET
    public String fail() {
        throw new IllegalStateException("secret internal detail: password=hunter2");
    }
}
