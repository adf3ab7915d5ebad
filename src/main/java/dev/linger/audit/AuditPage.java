package dev.linger.audit;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import dev.linger.user.Role;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The audit log for people: filter, page back in time, check the chain, download it. */
@Path("/audit")
@RolesAllowed(Role.VIEWER_ID)
public class AuditPage {

    static final int PAGE_SIZE = 50;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(List<AuditEvent> events, AuditFilter filter, Long olderThan,
                ChainVerification verification, String exportQuery);
    }

    private final AuditLog audit;
    private final AuditJson json;

    AuditPage(AuditLog audit, AuditJson json) {
        this.audit = audit;
        this.json = json;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance list(@QueryParam("actor") String actor, @QueryParam("action") String action,
            @QueryParam("subjectType") String subjectType, @QueryParam("subjectId") String subjectId,
            @QueryParam("before") Long before) {
        return page(new AuditFilter(actor, action, subjectType, subjectId, before, null), null);
    }

    @GET
    @Path("verify")
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance verify() {
        return page(AuditFilter.all(), audit.verify());
    }

    /** JSON Lines, oldest first, with the same filters as the list; hashes included so a copy can be checked offline. */
    @GET
    @Path("export")
    @Produces("application/x-ndjson")
    public Response export(@QueryParam("actor") String actor, @QueryParam("action") String action,
            @QueryParam("subjectType") String subjectType, @QueryParam("subjectId") String subjectId) {
        AuditFilter filter = new AuditFilter(actor, action, subjectType, subjectId, null, 0L);
        StreamingOutput body = out -> {
            BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            audit.stream(filter, Integer.MAX_VALUE, e -> {
                try {
                    writer.write(json.line(e));
                    writer.write('\n');
                } catch (java.io.IOException io) {
                    throw new UncheckedIOException(io);
                }
            });
            writer.flush();
        };
        return Response.ok(body).header("Content-Disposition", "attachment; filename=\"linger-audit.jsonl\"").build();
    }

    private TemplateInstance page(AuditFilter filter, ChainVerification verification) {
        List<AuditEvent> events = audit.list(filter, PAGE_SIZE);
        Long olderThan = events.size() == PAGE_SIZE ? events.get(events.size() - 1).seq() : null;
        return Templates.list(events, filter, olderThan, verification, exportQuery(filter));
    }

    private static String exportQuery(AuditFilter f) {
        StringBuilder q = new StringBuilder();
        append(q, "actor", f.actor());
        append(q, "action", f.action());
        append(q, "subjectType", f.subjectType());
        append(q, "subjectId", f.subjectId());
        return q.toString();
    }

    private static void append(StringBuilder q, String name, String value) {
        if (AuditFilter.given(value)) {
            q.append(q.length() == 0 ? "?" : "&").append(name).append('=')
                    .append(java.net.URLEncoder.encode(value.trim(), StandardCharsets.UTF_8));
        }
    }
}
