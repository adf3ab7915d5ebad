package dev.linger.incident;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

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

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import dev.linger.i18n.Catalogue;
import dev.linger.i18n.RequestLanguage;
import dev.linger.i18n.Text;
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

    /**
     * An incident over the API: its fields, the explanation in the caller's language ({@code Accept-Language}, else
     * English) and the same explanation as facts ({@code {"key":"fact.…","args":[…]}}) for callers that say it
     * themselves.
     */
    @JsonPropertyOrder({ "id", "hostId", "hostName", "kind", "port", "severity", "status", "openedAt", "updatedAt",
            "acknowledgedAt", "acknowledgedBy", "resolvedAt", "resolvedBy", "explanation", "facts", "evidence",
            "hostArchived", "namespace" })
    public record ApiIncident(long id, long hostId, String hostName, String kind, int port, String severity,
            String status, Instant openedAt, Instant updatedAt, Instant acknowledgedAt, String acknowledgedBy,
            Instant resolvedAt, String resolvedBy, String explanation, List<Text> facts, Evidence evidence,
            boolean hostArchived, IncidentNamespace namespace) {

        static ApiIncident of(IncidentView i, Locale locale) {
            List<Text> facts = i.facts();
            return new ApiIncident(i.id(), i.hostId(), i.hostName(), i.kind(), i.port(), i.severity(), i.status(),
                    i.openedAt(), i.updatedAt(), i.acknowledgedAt(), i.acknowledgedBy(), i.resolvedAt(),
                    i.resolvedBy(), Catalogue.render(Explanations.text(facts), locale), facts, i.evidence(),
                    i.hostArchived(), i.namespace());
        }
    }

    /** A timeline entry over the API: {@code text} in the caller's language, {@code message} the fact itself. */
    public record ApiEvent(Instant at, String type, String actor, String text, Text message) {
    }

    private final IncidentService incidents;
    private final SecurityIdentity identity;
    private final IncidentOffers offers;
    private final RequestLanguage language;
    private final dev.linger.channel.Channels channels;
    private final dev.linger.note.Notes notes;

    IncidentResource(IncidentService incidents, SecurityIdentity identity, IncidentOffers offers,
            RequestLanguage language, dev.linger.channel.Channels channels, dev.linger.note.Notes notes) {
        this.notes = notes;
        this.channels = channels;
        this.incidents = incidents;
        this.identity = identity;
        this.offers = offers;
        this.language = language;
    }

    private ApiIncident api(IncidentView i) {
        return ApiIncident.of(i, language.apiLocale());
    }

    /**
     * status: OPEN, ACKNOWLEDGED, RESOLVED or ACTIVE (the first two); namespace: a container, pod or namespace name,
     * "host", a container id or pod uid prefix, or a namespace inode; from/to: opened in that span (a date, or an
     * instant; a {@code to} date counts whole). Newest first, at most 500.
     */
    @GET
    public List<ApiIncident> list(@QueryParam("status") String status, @QueryParam("hostId") String hostId,
            @QueryParam("kind") String kind, @QueryParam("namespace") String namespace,
            @QueryParam("from") String from, @QueryParam("to") String to) {
        java.time.Instant start = dev.linger.search.SearchQuery.time("from", from, false);
        java.time.Instant end = dev.linger.search.SearchQuery.time("to", to, true);
        return incidents.list(IncidentFilters.status(status), IncidentFilters.hostId(hostId), IncidentFilters.kind(kind),
                IncidentFilters.namespace(namespace), start, end, 500).stream().map(this::api).toList();
    }

    @GET
    @Path("{id}")
    public ApiIncident get(@PathParam("id") long id) {
        return api(incidents.get(id));
    }

    @GET
    @Path("{id}/timeline")
    public List<ApiEvent> timeline(@PathParam("id") long id) {
        incidents.get(id);
        Locale locale = language.apiLocale();
        List<ApiEvent> events = new java.util.ArrayList<>(incidents.timeline(id).stream().map(e -> new ApiEvent(e.at(),
                e.type(), e.actor(), e.message() == null ? "" : Catalogue.render(e.message(), locale), e.message()))
                .toList());
        // notes are people's words: their text as written (Markdown), no message to translate
        notes.ofIncident(id).forEach(n -> events.add(new ApiEvent(n.createdAt(), "NOTE", n.author(), n.body(), null)));
        events.sort(java.util.Comparator.comparing(ApiEvent::at));
        return events;
    }

    /** A note to send: {@code {"text": "Markdown", "notify": true}}; notify sends it where the incident went. */
    public record NewNote(String text, @com.fasterxml.jackson.annotation.JsonProperty("notify") Boolean send) {
    }

    @GET
    @Path("{id}/notes")
    public List<dev.linger.note.Note> notes(@PathParam("id") long id) {
        incidents.get(id);
        return notes.ofIncident(id);
    }

    @POST
    @Path("{id}/notes")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Role.OPERATOR_ID)
    public jakarta.ws.rs.core.Response addNote(@PathParam("id") long id, NewNote body) {
        if (body == null) {
            throw InvalidInput.of("body", Text.of("refuse.sendJson", "{\"text\", \"notify\"}"));
        }
        dev.linger.note.Note made = notes.onIncident(identity.getPrincipal().getName(), id, body.text(),
                Boolean.TRUE.equals(body.send()));
        return jakarta.ws.rs.core.Response.status(201).entity(made).build();
    }

    /** What was sent about the incident, to which channel, and how it went; oldest first. */
    @GET
    @Path("{id}/notifications")
    public List<dev.linger.channel.Delivery> notifications(@PathParam("id") long id) {
        incidents.get(id);
        return channels.forIncident(id);
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
    public ApiIncident acknowledge(@PathParam("id") long id) {
        return api(incidents.acknowledge(identity.getPrincipal().getName(), id));
    }

    @POST
    @Path("{id}/resolve")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Role.OPERATOR_ID)
    public ApiIncident resolve(@PathParam("id") long id) {
        return api(incidents.resolveByHand(identity.getPrincipal().getName(), id));
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
