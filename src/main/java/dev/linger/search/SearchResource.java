package dev.linger.search;

import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import dev.linger.user.Role;

/** {@code GET /api/v1/search?q=host:web-1 port:9080 java&from=2026-12-01&to=2026-12-05}: what the search box finds. */
@Path("/api/v1/search")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.VIEWER_ID)
public class SearchResource {

    private final Search search;

    SearchResource(Search search) {
        this.search = search;
    }

    @GET
    public Map<String, Object> find(@QueryParam("q") String q, @QueryParam("from") String from,
            @QueryParam("to") String to) {
        return Search.asJson(search.find(SearchQuery.parse(q, from, to)));
    }
}
