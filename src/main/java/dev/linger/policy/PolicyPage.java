package dev.linger.policy;

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
import dev.linger.i18n.RequestLanguage;
import dev.linger.i18n.Text;
import dev.linger.incident.IncidentKind;
import dev.linger.user.Role;
import dev.linger.web.CurrentUser;
import dev.linger.web.Flash;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The Policies page: what runs by itself, its limits and state (a tripped breaker says why); admins write them. */
@Path("/policies")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Role.VIEWER_ID)
public class PolicyPage {

    /** The form as typed, to show it again after a refusal. */
    public record Form(String name, String kind, String hostLabel, String runbook, String maxPerHostPerHour,
            String maxPerHour, String breakerAfter, String window, boolean dryRun) {
        static final Form EMPTY = new Form("", "CLOSE_WAIT_LEAK", "", "", "1", "10", "3", "", true);
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(List<Policy> policies, Form form, Map<String, String> errors,
                List<String> kinds);
    }

    private static final List<String> KINDS = Arrays.stream(IncidentKind.values()).map(Enum::name).toList();

    private final Policies policies;
    private final CurrentUser me;
    private final RequestLanguage lang;

    PolicyPage(Policies policies, CurrentUser me, RequestLanguage lang) {
        this.policies = policies;
        this.me = me;
        this.lang = lang;
    }

    @GET
    public TemplateInstance list() {
        return Templates.list(policies.list(), Form.EMPTY, Map.of(), KINDS);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.ADMIN_ID)
    public Response add(@RestForm String name, @RestForm String kind, @RestForm String hostLabel,
            @RestForm String runbook, @RestForm String maxPerHostPerHour, @RestForm String maxPerHour,
            @RestForm String breakerAfter, @RestForm String window, @RestForm String dryRun) {
        Form typed = new Form(clip(name), clip(kind), clip(hostLabel), clip(runbook), clip(maxPerHostPerHour),
                clip(maxPerHour), clip(breakerAfter), clip(window), dryRun != null);
        try {
            Policy made = policies.create(me.name(), new Policies.Request(typed.name(), typed.kind(),
                    typed.hostLabel(), typed.runbook(), number("maxPerHostPerHour", typed.maxPerHostPerHour()),
                    number("maxPerHour", typed.maxPerHour()), number("breakerAfter", typed.breakerAfter()),
                    typed.window(), typed.dryRun()));
            return Flash.redirect("/policies", Text.of("policy.flashAdded", made.name()));
        } catch (InvalidInput e) {
            return Response.status(400).entity(Templates.list(policies.list(), typed, e.fields(lang.locale()), KINDS))
                    .build();
        }
    }

    @POST
    @Path("{id}/enable")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.ADMIN_ID)
    public Response enable(@PathParam("id") long id) {
        return Flash.redirect("/policies", Text.of("policy.flashOn", policies.enable(me.name(), id, true).name()));
    }

    @POST
    @Path("{id}/disable")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.ADMIN_ID)
    public Response disable(@PathParam("id") long id) {
        return Flash.redirect("/policies", Text.of("policy.flashOff", policies.enable(me.name(), id, false).name()));
    }

    @POST
    @Path("{id}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.ADMIN_ID)
    public Response remove(@PathParam("id") long id) {
        String name = policies.get(id).name();
        policies.remove(me.name(), id);
        return Flash.redirect("/policies", Text.of("policy.flashRemoved", name));
    }

    private static Integer number(String field, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(text.strip());
        } catch (NumberFormatException e) {
            throw InvalidInput.of(field, Text.of("refuse.policyRange", 1L, 1000L));
        }
    }

    private static String clip(String s) {
        return s == null ? "" : s.length() > 200 ? s.substring(0, 200) : s;
    }
}
