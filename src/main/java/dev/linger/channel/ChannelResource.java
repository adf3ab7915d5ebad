package dev.linger.channel;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

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
import dev.linger.i18n.Catalogue;
import dev.linger.i18n.Text;
import dev.linger.incident.Notifications;
import dev.linger.user.Role;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Notification channels over the JSON API. Everyone signed in may read them (the address shown whole to admins
 * only); admins make, change and remove them; operators may send a test.
 */
@Path("/api/v1/notification-channels")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.VIEWER_ID)
public class ChannelResource {

    static final String SHAPE = "{\"name\", \"url\", \"format\": \"SLACK\" | \"JSON\", \"minSeverity\","
            + " \"kinds\": [], \"hostLabel\", \"escalateAfterMinutes\", \"enabled\"}";

    /** A channel as the API shows it; {@code url} whole for admins, scheme and host for everyone else. */
    public record ApiChannel(long id, String name, String url, String format, String minSeverity, List<String> kinds,
            String hostLabel, Integer escalateAfterMinutes, boolean enabled, String createdBy, Instant createdAt,
            Instant updatedAt, Delivery lastDelivery) {

        static ApiChannel of(Channel c, boolean admin) {
            return new ApiChannel(c.id(), c.name(), admin ? c.url() : c.shownUrl(), c.format(), c.minSeverity(),
                    c.kinds(), c.hostLabel(), c.escalateAfterMinutes(), c.enabled(), c.createdBy(), c.createdAt(),
                    c.updatedAt(), c.lastDelivery());
        }
    }

    private final Channels channels;
    private final Notifications notifications;
    private final SecurityIdentity identity;

    ChannelResource(Channels channels, Notifications notifications, SecurityIdentity identity) {
        this.channels = channels;
        this.notifications = notifications;
        this.identity = identity;
    }

    @GET
    public List<ApiChannel> list() {
        boolean admin = identity.hasRole(Role.ADMIN_ID);
        return channels.list().stream().map(c -> ApiChannel.of(c, admin)).toList();
    }

    @GET
    @Path("{id}")
    public ApiChannel get(@PathParam("id") long id) {
        return ApiChannel.of(channels.get(id), identity.hasRole(Role.ADMIN_ID));
    }

    @POST
    @RolesAllowed(Role.ADMIN_ID)
    public Response create(Channels.Request body) {
        Channel made = channels.create(actor(), required(body));
        return Response.created(URI.create("/api/v1/notification-channels/" + made.id()))
                .entity(ApiChannel.of(made, true)).build();
    }

    @PUT
    @Path("{id}")
    @RolesAllowed(Role.ADMIN_ID)
    public ApiChannel update(@PathParam("id") long id, Channels.Request body) {
        return ApiChannel.of(channels.update(actor(), id, required(body)), true);
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed(Role.ADMIN_ID)
    public Response remove(@PathParam("id") long id) {
        channels.remove(actor(), id);
        return Response.noContent().build();
    }

    /** Sends a test message now and answers its delivery (status SENT, or RETRYING with the error). */
    @POST
    @Path("{id}/test")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Role.OPERATOR_ID)
    public Delivery test(@PathParam("id") long id) {
        long delivery = channels.queueTest(actor(), id, testBody(notifications, actor()));
        notifications.sendNow(delivery);
        return channels.delivery(delivery);
    }

    /** The test's body: the same text for both formats, with the event named for generic receivers. */
    static String testBody(Notifications notifications, String actor) {
        String text = Catalogue.render(Text.of("fact.channelTest", actor), Locale.ENGLISH);
        return notifications.json(java.util.Map.of("text", Notifications.slackEscaped(text), "event", "test"));
    }

    private String actor() {
        return identity.getPrincipal().getName();
    }

    private static Channels.Request required(Channels.Request body) {
        if (body == null) {
            throw InvalidInput.of("body", Text.of("refuse.sendJson", SHAPE));
        }
        return body;
    }
}
