package dev.linger.web;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.linger.audit.AuditEvent;
import dev.linger.audit.AuditFilter;
import dev.linger.audit.AuditLog;
import dev.linger.host.HostService;
import dev.linger.host.HostView;
import dev.linger.user.Role;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The first page after signing in: what needs attention, and on a new install, what to do first. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Role.VIEWER_ID)
public class OverviewPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance overview(List<HostView> hosts, List<AuditEvent> recent, long userCount);
    }

    private final AuditLog audit;
    private final HostService hosts;

    OverviewPage(AuditLog audit, HostService hosts) {
        this.audit = audit;
        this.hosts = hosts;
    }

    @GET
    public TemplateInstance overview() {
        return Templates.overview(hosts.list(), audit.list(AuditFilter.all(), 8), dev.linger.user.AppUser.count());
    }
}
