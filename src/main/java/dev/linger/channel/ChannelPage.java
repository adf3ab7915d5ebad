package dev.linger.channel;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import dev.linger.InvalidInput;
import dev.linger.LingerConfig;
import dev.linger.i18n.RequestLanguage;
import dev.linger.i18n.Text;
import dev.linger.incident.IncidentKind;
import dev.linger.incident.Notifications;
import dev.linger.user.Role;
import dev.linger.web.CurrentUser;
import dev.linger.web.Flash;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The Channels page: where incidents go, each channel's last delivery and a test button; admins add and edit. */
@Path("/channels")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Role.VIEWER_ID)
public class ChannelPage {

    /** The form as typed, to show it again after a refusal. */
    public record Form(String name, String url, String format, String minSeverity, List<String> kinds,
            String hostLabel, String escalateAfterMinutes, boolean enabled) {

        static final Form EMPTY = new Form("", "", Channel.JSON, "WARNING", List.of(), "", "", true);

        static Form of(Channel c) {
            return new Form(c.name(), c.url(), c.format(), c.minSeverity(), c.kinds(),
                    c.hostLabel() == null ? "" : c.hostLabel(),
                    c.escalateAfterMinutes() == null ? "" : String.valueOf(c.escalateAfterMinutes()), c.enabled());
        }

        public boolean has(String kind) {
            return kinds.contains(kind);
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(List<Channel> channels, long fromEnvironment, Form form,
                Map<String, String> errors, List<String> kinds);

        static native TemplateInstance edit(Channel channel, Form form, Map<String, String> errors, List<String> kinds);
    }

    private static final List<String> KINDS = Arrays.stream(IncidentKind.values()).map(Enum::name).toList();

    private final Channels channels;
    private final Notifications notifications;
    private final CurrentUser me;
    private final RequestLanguage lang;
    private final long fromEnvironment;

    ChannelPage(Channels channels, Notifications notifications, CurrentUser me, RequestLanguage lang,
            LingerConfig config) {
        this.channels = channels;
        this.notifications = notifications;
        this.me = me;
        this.lang = lang;
        this.fromEnvironment = config.incidents().webhooks().orElse(List.of()).stream().filter(u -> !u.isBlank())
                .count();
    }

    @GET
    public TemplateInstance list() {
        return Templates.list(channels.list(), fromEnvironment, Form.EMPTY, Map.of(), KINDS);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.ADMIN_ID)
    public Response add(@RestForm String name, @RestForm String url, @RestForm String format,
            @RestForm String minSeverity, @RestForm List<String> kinds, @RestForm String hostLabel,
            @RestForm String escalateAfterMinutes, @RestForm String enabled) {
        Form typed = typed(name, url, format, minSeverity, kinds, hostLabel, escalateAfterMinutes, enabled);
        try {
            Channel made = channels.create(me.name(), request(typed));
            return Flash.redirect("/channels", Text.of("channel.flashAdded", made.name()));
        } catch (InvalidInput e) {
            return Response.status(400).entity(Templates.list(channels.list(), fromEnvironment, typed,
                    e.fields(lang.locale()), KINDS)).build();
        }
    }

    @GET
    @Path("{id}/edit")
    @RolesAllowed(Role.ADMIN_ID)
    public TemplateInstance editForm(@PathParam("id") long id) {
        Channel c = channels.get(id);
        return Templates.edit(c, Form.of(c), Map.of(), KINDS);
    }

    @POST
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.ADMIN_ID)
    public Response save(@PathParam("id") long id, @RestForm String name, @RestForm String url,
            @RestForm String format, @RestForm String minSeverity, @RestForm List<String> kinds,
            @RestForm String hostLabel, @RestForm String escalateAfterMinutes, @RestForm String enabled) {
        Channel current = channels.get(id);
        Form typed = typed(name, url, format, minSeverity, kinds, hostLabel, escalateAfterMinutes, enabled);
        try {
            Channel saved = channels.update(me.name(), id, request(typed));
            return Flash.redirect("/channels", Text.of("channel.flashSaved", saved.name()));
        } catch (InvalidInput e) {
            return Response.status(400).entity(Templates.edit(current, typed, e.fields(lang.locale()), KINDS)).build();
        }
    }

    @POST
    @Path("{id}/test")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.OPERATOR_ID)
    public Response test(@PathParam("id") long id) {
        Channel c = channels.get(id);
        long delivery = channels.queueTest(me.name(), id, ChannelResource.testBody(notifications, me.name()));
        String error = notifications.sendNow(delivery);
        return Flash.redirect("/channels", error == null ? Text.of("channel.flashTestSent", c.name())
                : Text.of("channel.flashTestFailed", c.name(), error));
    }

    @POST
    @Path("{id}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.ADMIN_ID)
    public Response remove(@PathParam("id") long id) {
        Channel c = channels.get(id);
        channels.remove(me.name(), id);
        return Flash.redirect("/channels", Text.of("channel.flashRemoved", c.name()));
    }

    private static Form typed(String name, String url, String format, String minSeverity, List<String> kinds,
            String hostLabel, String escalateAfterMinutes, String enabled) {
        return new Form(clip(name, 200), clip(url, 2100), format, minSeverity,
                kinds == null ? List.of() : kinds.stream().filter(KINDS::contains).toList(), clip(hostLabel, 100),
                clip(escalateAfterMinutes, 10), enabled != null);
    }

    private static Channels.Request request(Form f) {
        Integer after = null;
        String minutes = f.escalateAfterMinutes() == null ? "" : f.escalateAfterMinutes().strip();
        if (!minutes.isEmpty()) {
            try {
                after = Integer.valueOf(minutes);
            } catch (NumberFormatException e) {
                throw InvalidInput.of("escalateAfterMinutes", Text.of("refuse.channelEscalation"));
            }
        }
        return new Channels.Request(f.name(), f.url(), f.format(), f.minSeverity(), f.kinds(), f.hostLabel(), after,
                f.enabled());
    }

    private static String clip(String s, int max) {
        return s == null ? "" : s.length() > max ? s.substring(0, max) : s;
    }
}
