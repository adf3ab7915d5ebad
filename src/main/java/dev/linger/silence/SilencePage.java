package dev.linger.silence;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.linger.i18n.Text;
import dev.linger.user.Role;
import dev.linger.web.CurrentUser;
import dev.linger.web.Flash;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The Silences page: what is silenced, until when and why; ending one early ("silence for 1 h" is on the incident page). */
@Path("/")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Role.VIEWER_ID)
public class SilencePage {

    /** A silence as the page shows it, with its state now. */
    public record Shown(Silence silence, String state) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(List<Shown> silences);
    }

    private final Silences silences;
    private final CurrentUser me;
    private final Clock clock;

    SilencePage(Silences silences, CurrentUser me, Clock clock) {
        this.silences = silences;
        this.me = me;
        this.clock = clock;
    }

    @GET
    @Path("silences")
    public TemplateInstance list() {
        Instant now = clock.instant();
        return Templates.list(silences.list(true).stream().limit(100)
                .map(s -> new Shown(s, s.over(now) ? "OVER" : s.activeAt(now) ? "ACTIVE" : "WAITING")).toList());
    }

    @POST
    @Path("silences/{id}/end")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.OPERATOR_ID)
    public Response end(@PathParam("id") long id) {
        silences.end(me.name(), id);
        return Flash.redirect("/silences", Text.of("silence.flashEnded", id));
    }
}
