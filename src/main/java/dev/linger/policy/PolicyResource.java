package dev.linger.policy;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.linger.InvalidInput;
import dev.linger.i18n.Text;
import dev.linger.user.Role;
import io.quarkus.security.identity.SecurityIdentity;

/** Remediation policies over the JSON API: everyone reads them; admins write, turn on and off, and remove them. */
@Path("/api/v1/remediation-policies")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.VIEWER_ID)
public class PolicyResource {

    static final String SHAPE = "{\"name\", \"kind\", \"hostLabel\", \"runbook\", \"maxPerHostPerHour\","
            + " \"maxPerHour\", \"breakerAfter\", \"window\": \"22:00-06:00\", \"dryRun\"}";

    private final Policies policies;
    private final SecurityIdentity identity;

    PolicyResource(Policies policies, SecurityIdentity identity) {
        this.policies = policies;
        this.identity = identity;
    }

    @GET
    public List<PolicyView> list() {
        return policies.list().stream().map(PolicyView::of).toList();
    }

    @GET
    @Path("{id}")
    public PolicyView get(@PathParam("id") long id) {
        return PolicyView.of(policies.get(id));
    }

    @GET
    @Path("{id}/versions")
    public List<Map<String, Object>> versions(@PathParam("id") long id) {
        return policies.versions(id);
    }

    @POST
    @RolesAllowed(Role.ADMIN_ID)
    public Response create(Policies.Request body) {
        Policy made = policies.create(actor(), required(body));
        return Response.created(URI.create("/api/v1/remediation-policies/" + made.id())).entity(PolicyView.of(made))
                .build();
    }

    /** A change is a new version, and arms the policy again. */
    @PUT
    @Path("{id}")
    @RolesAllowed(Role.ADMIN_ID)
    public PolicyView update(@PathParam("id") long id, Policies.Request body) {
        return PolicyView.of(policies.update(actor(), id, required(body)));
    }

    /** On again (after its breaker tripped, say): its breaker counts from now. */
    @POST
    @Path("{id}/enable")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Role.ADMIN_ID)
    public PolicyView enable(@PathParam("id") long id) {
        return PolicyView.of(policies.enable(actor(), id, true));
    }

    @POST
    @Path("{id}/disable")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Role.ADMIN_ID)
    public PolicyView disable(@PathParam("id") long id) {
        return PolicyView.of(policies.enable(actor(), id, false));
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed(Role.ADMIN_ID)
    public Response remove(@PathParam("id") long id) {
        policies.remove(actor(), id);
        return Response.noContent().build();
    }

    private String actor() {
        return identity.getPrincipal().getName();
    }

    private static Policies.Request required(Policies.Request body) {
        if (body == null) {
            throw InvalidInput.of("body", Text.of("refuse.sendJson", SHAPE));
        }
        return body;
    }

    /** A policy as the API shows it, with its state (ON, DRY_RUN, TRIPPED, OFF). */
    public record PolicyView(long id, String name, int version, String state, String kind, String hostLabel,
            String runbook, int maxPerHostPerHour, int maxPerHour, int breakerAfter, String window, boolean dryRun,
            boolean enabled, java.time.Instant armedAt, java.time.Instant trippedAt, Map<String, Object> tripReason,
            String createdBy, java.time.Instant createdAt, java.time.Instant updatedAt) {

        static PolicyView of(Policy p) {
            return new PolicyView(p.id(), p.name(), p.version(), p.state(), p.kind(), p.hostLabel(), p.runbook(),
                    p.maxPerHostPerHour(), p.maxPerHour(), p.breakerAfter(), p.window(), p.dryRun(), p.enabled(),
                    p.armedAt(), p.trippedAt(), p.tripReason(), p.createdBy(), p.createdAt(), p.updatedAt());
        }
    }
}
