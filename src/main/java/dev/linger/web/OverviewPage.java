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
@dev.linger.web.RetryReadsOnDroppedConnection
@Path("/")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Role.VIEWER_ID)
public class OverviewPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance overview(HostSummary hosts, List<dev.linger.incident.IncidentView> incidents,
                java.util.Map<String, Long> incidentCounts, List<AuditEvent> recent, long userCount,
                List<dev.linger.job.JobView> waiting, boolean approver);
    }

    /** Hosts at a glance: counts, and by name only those that need someone (at most {@link #LISTED}). */
    public record HostSummary(int total, long up, long unreachable, long unknown, List<HostView> attention,
            int moreNeedingAttention, List<HostView> keyChanged) {

        static final int LISTED = 12;

        static HostSummary of(List<HostView> hosts) {
            List<HostView> needy = hosts.stream().filter(h -> !"UP".equals(h.status())
                    || h.hostKey() != null && !"TRUSTED".equals(h.hostKey().status())).toList();
            return new HostSummary(hosts.size(), hosts.stream().filter(h -> "UP".equals(h.status())).count(),
                    hosts.stream().filter(h -> "UNREACHABLE".equals(h.status())).count(),
                    hosts.stream().filter(h -> "UNKNOWN".equals(h.status())).count(),
                    needy.stream().limit(LISTED).toList(), Math.max(0, needy.size() - LISTED),
                    hosts.stream().filter(HostView::keyChanged).toList());
        }
    }

    private final AuditLog audit;
    private final HostService hosts;
    private final dev.linger.incident.IncidentService incidents;
    private final dev.linger.job.JobService jobs;
    private final CurrentUser me;

    OverviewPage(AuditLog audit, HostService hosts, dev.linger.incident.IncidentService incidents,
            dev.linger.job.JobService jobs, CurrentUser me) {
        this.audit = audit;
        this.hosts = hosts;
        this.incidents = incidents;
        this.jobs = jobs;
        this.me = me;
    }

    @GET
    public TemplateInstance overview() {
        return Templates.overview(HostSummary.of(hosts.list()), incidents.list("ACTIVE", null, null, 8),
                incidents.activeCounts(), audit.list(AuditFilter.all(), 8), dev.linger.user.AppUser.count(),
                me.hasRole(Role.APPROVER_ID) ? jobs.waitingFor(me.name()) : List.of(), me.hasRole(Role.APPROVER_ID));
    }
}
