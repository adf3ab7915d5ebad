package dev.linger.incident;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.linger.InvalidInput;
import dev.linger.host.HostService;
import dev.linger.host.HostView;
import dev.linger.i18n.ActionMessages;
import dev.linger.i18n.RequestLanguage;
import dev.linger.user.Role;
import dev.linger.web.CurrentUser;
import dev.linger.web.Flash;
import dev.linger.i18n.Text;
import org.jboss.resteasy.reactive.RestForm;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** Incidents for people: a list that refreshes itself, and a page per incident. */
@dev.linger.web.RetryReadsOnDroppedConnection
@Path("/incidents")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Role.VIEWER_ID)
public class IncidentPage {

    /** The list's filters as chosen, to keep them in the form. */
    public record Filter(String status, Long hostId, String kind, String namespace, String from, String to) {
        public List<String> statuses() {
            return List.of("ACTIVE", "OPEN", "ACKNOWLEDGED", "RESOLVED");
        }

        /** A status of the filter in the reader's words. */
        public dev.linger.i18n.Text statusWord(String s) {
            return IncidentView.statusWord(s);
        }
    }

    /** One line of the timeline: what happened (an event) or what a person wrote (a note), by time. */
    public record TimelineItem(java.time.Instant at, IncidentView.Event event, dev.linger.note.Note note) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(List<IncidentView> incidents, Filter filter, List<HostView> hosts,
                List<String> kinds);

        static native TemplateInstance detail(IncidentView incident, List<TimelineItem> timeline,
                List<IncidentOffers.Offer> runbooks, List<dev.linger.channel.Delivery> deliveries);
    }

    private final IncidentService incidents;
    private final HostService hosts;
    private final CurrentUser me;
    private final IncidentOffers offers;
    private final RequestLanguage language;

    private final dev.linger.silence.Silences silences;
    private final dev.linger.channel.Channels channels;
    private final dev.linger.note.Notes notes;

    IncidentPage(IncidentService incidents, HostService hosts, CurrentUser me, IncidentOffers offers,
            RequestLanguage language, dev.linger.silence.Silences silences, dev.linger.channel.Channels channels,
            dev.linger.note.Notes notes) {
        this.notes = notes;
        this.channels = channels;
        this.silences = silences;
        this.language = language;
        this.incidents = incidents;
        this.hosts = hosts;
        this.me = me;
        this.offers = offers;
    }

    @GET
    public TemplateInstance list(@QueryParam("status") String status, @QueryParam("hostId") String hostId,
            @QueryParam("kind") String kind, @QueryParam("namespace") String namespace,
            @QueryParam("from") String from, @QueryParam("to") String to) {
        String s = status == null ? "ACTIVE" : IncidentResource.IncidentFilters.status(status);
        java.time.Instant start = dev.linger.search.SearchQuery.time("from", from, false);
        java.time.Instant end = dev.linger.search.SearchQuery.time("to", to, true);
        Filter filter = new Filter(s, IncidentResource.IncidentFilters.hostId(hostId),
                IncidentResource.IncidentFilters.kind(kind), IncidentResource.IncidentFilters.namespace(namespace),
                from == null ? null : from.strip(), to == null ? null : to.strip());
        return Templates.list(incidents.list(filter.status(), filter.hostId(), filter.kind(), filter.namespace(),
                start, end, 200),
                filter, hosts.list(),
                java.util.Arrays.stream(IncidentKind.values()).map(Enum::name).toList());
    }

    @GET
    @Path("{id}")
    public TemplateInstance detail(@PathParam("id") long id) {
        IncidentView incident = incidents.get(id);
        List<TimelineItem> timeline = new java.util.ArrayList<>();
        incidents.timeline(id).forEach(e -> timeline.add(new TimelineItem(e.at(), e, null)));
        notes.ofIncident(id).forEach(n -> timeline.add(new TimelineItem(n.createdAt(), null, n)));
        timeline.sort(java.util.Comparator.comparing(TimelineItem::at));
        return Templates.detail(incident, timeline, offers(incident), channels.forIncident(id));
    }

    /** A note on the incident; with {@code notify}, also sent where the incident went. */
    @POST
    @Path("{id}/notes")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.OPERATOR_ID)
    public Response addNote(@PathParam("id") long id, @RestForm String text, @RestForm String notify) {
        try {
            dev.linger.note.Note n = notes.onIncident(me.name(), id, text, notify != null);
            return Flash.redirect("/incidents/" + id + "#notes", notify == null ? Text.of("note.flashSaved")
                    : n.notified() ? Text.of("note.flashSent") : Text.of("note.flashNotSent"));
        } catch (InvalidInput e) {
            return Flash.redirect("/incidents/" + id + "#notes", e.message(language.locale()));
        }
    }

    @POST
    @Path("{id}/acknowledge")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.OPERATOR_ID)
    public Response acknowledge(@PathParam("id") long id) {
        return transition(id, () -> incidents.acknowledge(me.name(), id), texts().incidentAcknowledged());
    }

    /** One click: silence what this incident is about for {@code hours} (1 by default). */
    @POST
    @Path("{id}/silence")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.OPERATOR_ID)
    public Response silence(@PathParam("id") long id, @RestForm String hours, @RestForm String comment) {
        IncidentView incident = incidents.get(id);
        try {
            long h;
            try {
                h = hours == null || hours.isBlank() ? 1 : Long.parseLong(hours.strip());
            } catch (NumberFormatException e) {
                h = 0;
            }
            var s = silences.forIncident(me.name(), incident, h, comment);
            return Flash.redirect("/incidents/" + id, Text.of("silence.flashCreated", s.id(), h));
        } catch (dev.linger.InvalidInput e) {
            return Flash.redirect("/incidents/" + id, e.message(language.locale()));
        }
    }

    @POST
    @Path("{id}/resolve")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.OPERATOR_ID)
    public Response resolve(@PathParam("id") long id) {
        return transition(id, () -> incidents.resolveByHand(me.name(), id),
                texts().incidentResolved());
    }

    /** The runbooks for this kind of incident, each with what the host's latest collection says about it, safest first. */
    private List<IncidentOffers.Offer> offers(IncidentView incident) {
        return offers.offers(incident, true);
    }

    private ActionMessages texts() {
        return language.texts(ActionMessages.class);
    }

    /** Post/Redirect/Get: back to the incident, with what happened or why it could not. */
    private Response transition(long id, Runnable change, String done) {
        try {
            change.run();
            return Flash.redirect("/incidents/" + id, done);
        } catch (InvalidInput e) {
            return Flash.redirect("/incidents/" + id, e.message(language.locale()));
        }
    }
}
