package dev.linger.audit;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import dev.linger.user.Role;
import dev.linger.InvalidInput;
import dev.linger.i18n.Text;

/** The audit log for machines: follow it with afterSeq, and check its chain. */
@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.VIEWER_ID)
public class AuditResource {

    static final int MAX_LIMIT = 1000;

    /** A page of events, oldest first; pass {@code nextAfterSeq} back as afterSeq to continue. */
    public record Page(List<AuditJson.Event> events, long nextAfterSeq) {
    }

    private final AuditLog audit;
    private final AuditJson json;

    AuditResource(AuditLog audit, AuditJson json) {
        this.audit = audit;
        this.json = json;
    }

    @GET
    public Page list(@QueryParam("afterSeq") String afterSeq, @QueryParam("limit") String limit,
            @QueryParam("actor") String actor, @QueryParam("action") String action,
            @QueryParam("subjectType") String subjectType, @QueryParam("subjectId") String subjectId) {
        long after = number("afterSeq", afterSeq, 0);
        long size = number("limit", limit, 100);
        if (after < 0) {
            throw InvalidInput.of("afterSeq", Text.of("refuse.queryNotNegative", "afterSeq"));
        }
        if (size < 1 || size > MAX_LIMIT) {
            throw InvalidInput.of("limit", Text.of("refuse.queryRange", "limit", 1, MAX_LIMIT));
        }
        List<AuditEvent> events = audit.list(new AuditFilter(actor, action, subjectType, subjectId, null, after),
                (int) size);
        long next = events.isEmpty() ? after : events.get(events.size() - 1).seq();
        return new Page(events.stream().map(json::of).toList(), next);
    }

    private static long number(String name, String text, long fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw InvalidInput.of(name, Text.of("refuse.queryWholeNumber", name, text));
        }
    }

    @GET
    @Path("verify")
    public ChainVerification verify() {
        return audit.verify();
    }
}
