package dev.linger.search;

import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import dev.linger.InvalidInput;
import dev.linger.i18n.RequestLanguage;
import dev.linger.user.Role;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The search page: one box (with host:, container:, port:, kind:, process:), a time span, results by kind. */
@Path("/search")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Role.VIEWER_ID)
public class SearchPage {

    /** What was asked, to keep it in the form. */
    public record Asked(String q, String from, String to, boolean asked) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance page(Asked asked, Search.Results results, Map<String, String> errors);
    }

    private final Search search;
    private final RequestLanguage lang;

    SearchPage(Search search, RequestLanguage lang) {
        this.search = search;
        this.lang = lang;
    }

    @GET
    public jakarta.ws.rs.core.Response page(@QueryParam("q") String q, @QueryParam("from") String from,
            @QueryParam("to") String to) {
        Asked asked = new Asked(clip(q), clip(from), clip(to), q != null || from != null || to != null);
        Search.Results none = new Search.Results(java.util.List.of(), java.util.List.of(), java.util.List.of(),
                java.util.List.of());
        try {
            return jakarta.ws.rs.core.Response.ok(Templates.page(asked, search.find(SearchQuery.parse(q, from, to)),
                    Map.of())).build();
        } catch (InvalidInput e) {
            return jakarta.ws.rs.core.Response.status(400).entity(Templates.page(asked, none,
                    e.fields(lang.locale()))).build();
        }
    }

    private static String clip(String s) {
        return s == null ? "" : s.length() > 300 ? s.substring(0, 300) : s;
    }
}
