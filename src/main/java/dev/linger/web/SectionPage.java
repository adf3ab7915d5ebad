package dev.linger.web;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.linger.user.Role;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The sections whose features land in later releases. Each shows its empty state: what will
 * appear here and what a new team can do meanwhile, so the navigation never leads to a 404.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Role.VIEWER_ID)
public class SectionPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance approvals();

        static native TemplateInstance jobs();
    }

    @GET
    @Path("approvals")
    public TemplateInstance approvals() {
        return Templates.approvals();
    }

    @GET
    @Path("jobs")
    public TemplateInstance jobs() {
        return Templates.jobs();
    }
}
