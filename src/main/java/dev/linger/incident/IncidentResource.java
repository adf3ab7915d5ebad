package dev.linger.incident;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import dev.linger.user.Role;
import dev.linger.InvalidInput;
import dev.linger.i18n.Text;
import io.quarkus.security.identity.SecurityIdentity;

/** Incidents over the JSON API, for chat bots and scripts. */
@dev.linger.web.RetryReadsOnDroppedConnection
@Path("/api/v1/incidents")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.VIEWER_ID)
public class IncidentResource {

    private final IncidentService incidents;
    private final SecurityIdentity identity;
    private final IncidentOffers offers;

    IncidentResource(IncidentService incidents, SecurityIdentity identity, IncidentOffers offers) {
        this.incidents = incidents;
        this.identity = identity;
        this.offers = offers;
    }

    /**
     * status: OPEN, ACKNOWLEDGED, RESOLVED or ACTIVE (the first two); namespace: a container, pod or namespace name,
     * "host", a container id or pod uid prefix, or a namespace inode. Newest first, at most 500.
     */
    @GET
    public List<IncidentView> list(@QueryParam("status") String status, @QueryParam("hostId") String hostId,
            @QueryParam("kind") String kind, @QueryParam("namespace") String namespace) {
        return incidents.list(IncidentFilters.status(status), IncidentFilters.hostId(hostId), IncidentFilters.kind(kind),
                IncidentFilters.namespace(namespace), 500);
    }

    @GET
    @Path("{id}")
    public IncidentView get(@PathParam("id") long id) {
        return incidents.get(id);
    }

    @GET
    @Path("{id}/timeline")
    public List<IncidentView.Event> timeline(@PathParam("id") long id) {
        incidents.get(id);
        return incidents.timeline(id);
    }

    /** The runbooks that fit, safest first (the incident page's order), each with its checks on the host. */
    @GET
    @Path("{id}/runbooks")
    public List<IncidentOffers.Offer> runbooks(@PathParam("id") long id) {
        return offers.offers(incidents.get(id), false);
    }

    @POST
    @Path("{id}/acknowledge")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Role.OPERATOR_ID)
    public IncidentView acknowledge(@PathParam("id") long id) {
        return incidents.acknowledge(identity.getPrincipal().getName(), id);
    }

    @POST
    @Path("{id}/resolve")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Role.OPERATOR_ID)
    public IncidentView resolve(@PathParam("id") long id) {
        return incidents.resolveByHand(identity.getPrincipal().getName(), id);
    }

    /** Query filters, checked: a typo must say so, not silently match nothing. */
    static final class IncidentFilters {
        private IncidentFilters() {
        }

        static String status(String s) {
            if (s == null || s.isBlank()) {
                return null;
            }
            String v = s.strip().toUpperCase();
            if (!List.of("OPEN", "ACKNOWLEDGED", "RESOLVED", "ACTIVE").contains(v)) {
                throw InvalidInput.of("status", Text.of("refuse.queryOneOf", "status", "OPEN, ACKNOWLEDGED, RESOLVED, ACTIVE"));
            }
            return v;
        }

        static Long hostId(String s) {
            if (s == null || s.isBlank()) {
                return null;
            }
            try {
                return Long.valueOf(s.strip());
            } catch (NumberFormatException e) {
                throw InvalidInput.of("hostId", Text.of("refuse.queryWholeNumber", "hostId", s.strip()));
            }
        }

        /** The longest name a namespace can have here: a DNS name (a pod's hostname is at most 63 of it). */
        static final int MAX_NAMESPACE = 253;

        static String namespace(String s) {
            if (s == null || s.isBlank()) {
                return null;
            }
            String v = s.strip();
            boolean control = v.codePoints().anyMatch(Character::isISOControl);
            if (v.length() > MAX_NAMESPACE || control || v.matches("[0-9]{19,}")) {
                throw InvalidInput.of("namespace", Text.of("refuse.queryNamespace", MAX_NAMESPACE));
            }
            return v;
        }

        static String kind(String s) {
            if (s == null || s.isBlank()) {
                return null;
            }
            try {
                return IncidentKind.valueOf(s.strip().toUpperCase()).name();
            } catch (IllegalArgumentException e) {
                throw InvalidInput.of("kind", Text.of("refuse.queryOneOf", "kind",
                        String.join(", ", java.util.Arrays.stream(IncidentKind.values()).map(Enum::name).toList())));
            }
        }
    }
}
