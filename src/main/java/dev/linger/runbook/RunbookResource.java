package dev.linger.runbook;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import dev.linger.InvalidInput;
import dev.linger.i18n.Catalogue;
import dev.linger.i18n.RequestLanguage;
import dev.linger.i18n.Text;
import dev.linger.user.Role;
import io.quarkus.security.identity.SecurityIdentity;

/** Runbooks over the JSON API: read them, import a document into proposed steps, save versions. */
@Path("/api/v1/runbooks")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.VIEWER_ID)
public class RunbookResource {

    /** The import call's body. */
    public record ImportRequest(String title, String text) {
    }

    private final RunbookService runbooks;
    private final SecurityIdentity identity;
    private final RequestLanguage language;

    RunbookResource(RunbookService runbooks, SecurityIdentity identity, RequestLanguage language) {
        this.runbooks = runbooks;
        this.identity = identity;
        this.language = language;
    }

    @GET
    public List<RunbookVersion.Summary> list() {
        return runbooks.list();
    }

    /**
     * One version (the latest unless {@code version} is given). Any other query parameter is a
     * value for one of the runbook's parameters: the commands are then rendered with it, e.g.
     * {@code ?port=9080}.
     */
    @GET
    @Path("{slug}")
    public Map<String, Object> get(@PathParam("slug") String slug, @QueryParam("version") String version,
            UriInfo uri) {
        RunbookVersion v = runbooks.get(slug, version(version));
        Map<String, String> values = new LinkedHashMap<>();
        uri.getQueryParameters().forEach((k, vs) -> {
            if (!k.equals("version") && !vs.isEmpty()) {
                values.put(k, vs.get(0));
            }
        });
        Bindings bindings = values.isEmpty() ? Bindings.NONE : v.definition().bind(values);
        Map<String, Object> m = json(v, bindings, language.apiLocale());
        m.put("maxRunsPerHour", runbooks.maxRunsPerHour(v.slug()));
        return m;
    }

    @GET
    @Path("{slug}/versions")
    public List<RunbookVersion.Info> versions(@PathParam("slug") String slug) {
        return runbooks.versions(slug);
    }

    @POST
    @RolesAllowed(Role.OPERATOR_ID)
    public Response create(RunbookInput input) {
        RunbookVersion v = runbooks.create(actor(), identity.hasRole(Role.ADMIN_ID), require(input));
        return Response.created(URI.create("/api/v1/runbooks/" + v.slug())).entity(json(v, Bindings.NONE, language.apiLocale())).build();
    }

    /** Adds a version. {@code ?baseVersion=N} refuses the save (409) when someone saved after version N. */
    @PUT
    @Path("{slug}")
    @RolesAllowed(Role.OPERATOR_ID)
    public Map<String, Object> update(@PathParam("slug") String slug, @QueryParam("baseVersion") String baseVersion,
            RunbookInput input) {
        RunbookVersion v = runbooks.addVersion(actor(), identity.hasRole(Role.ADMIN_ID), slug, require(input),
                version(baseVersion));
        return json(v, Bindings.NONE, language.apiLocale());
    }

    /** The fleet-wide limit on runs per hour: {"maxRunsPerHour": n} or null to lift it. */
    public record Limits(Integer maxRunsPerHour) {
    }

    @PUT
    @Path("{slug}/limits")
    @RolesAllowed(Role.ADMIN_ID)
    public Limits limits(@PathParam("slug") String slug, Limits limits) {
        return new Limits(runbooks.setMaxRunsPerHour(actor(), slug, limits == null ? null : limits.maxRunsPerHour()));
    }

    /** Proposes typed steps for a document. Nothing is saved: send the steps you keep to POST /api/v1/runbooks. */
    @POST
    @Path("import")
    @RolesAllowed(Role.OPERATOR_ID)
    public Map<String, Object> importDocument(ImportRequest request) {
        if (request == null) {
            throw InvalidInput.of("body", Text.of("refuse.sendJson", "{\"title\", \"text\"}"));
        }
        ImportResult result = DocumentImporter.read(request.title(), request.text());
        Locale locale = language.apiLocale();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("title", result.title());
        m.put("params", StepJson.params(result.params()));
        m.put("steps", result.steps().stream().map(s -> StepJson.imported(s, locale)).toList());
        // one runbook per procedure of the document: save each with POST /api/v1/runbooks
        m.put("runbooks", result.runbooks().stream().map(p -> {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("title", p.title());
            r.put("fits", p.fits().stream().map(Enum::name).toList());
            r.put("checks", p.checks().stream().map(Enum::name).toList());
            r.put("risk", p.risk().name());
            r.put("params", StepJson.params(p.params()));
            r.put("steps", p.steps().stream().map(s -> StepJson.imported(s, locale)).toList());
            r.put("warnings", p.mismatches().stream().map(x -> {
                Map<String, Object> w = new LinkedHashMap<>();
                w.put("key", x.key());
                w.put("runtime", x.runtime());
                w.put("setLine", x.setLine());
                w.put("persisted", x.persisted());
                w.put("persistLine", x.persistLine());
                w.put("message", Catalogue.render(x.text(), locale));
                return w;
            }).toList());
            return r;
        }).toList());
        return m;
    }

    /** The version as the API gives it; its sentences in {@code locale}. */
    static Map<String, Object> json(RunbookVersion v, Bindings bindings, Locale locale) {
        RunbookDefinition d = v.definition();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("slug", v.slug());
        m.put("title", d.title());
        m.put("version", v.version());
        m.put("latestVersion", v.latestVersion());
        m.put("risk", d.risk().name());
        m.put("fits", d.fits().stream().map(Enum::name).toList());
        m.put("checks", d.checks().stream().map(c -> Map.of("check", c.name(), "meaning",
                Catalogue.render(c.meaning(), locale))).toList());
        m.put("description", d.description());
        m.put("params", StepJson.params(d.params()));
        m.put("steps", d.steps().stream().map(s -> StepJson.shown(s, bindings, locale)).toList());
        m.put("shipped", v.shipped());
        m.put("reviewed", v.reviewed());
        RiskFloor.Result floor = RiskFloor.of(d);
        m.put("riskFloor", floor.floor().name());
        m.put("riskFloorReasons", floor.reasons().stream().map(r -> Catalogue.render(r.text(), locale))
                .toList());
        m.put("scope", floor.scope().name());
        m.put("changeNote", v.changeNote());
        m.put("hasSourceDocument", v.sourceDocument() != null);
        m.put("createdAt", v.createdAt());
        m.put("createdBy", v.createdBy());
        return m;
    }

    private static Integer version(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            int v = Integer.parseInt(text.strip());
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw InvalidInput.of("version", Text.of("refuse.versionForm"));
    }

    private static RunbookInput require(RunbookInput input) {
        if (input == null) {
            throw InvalidInput.of("body", Text.of("refuse.sendJson", "{\"title\", \"description\", \"risk\","
                    + " \"fits\", \"params\", \"steps\": [{\"type\", ...}]}"));
        }
        return input;
    }

    private String actor() {
        return identity.getPrincipal().getName();
    }
}
