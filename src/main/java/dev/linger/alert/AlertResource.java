package dev.linger.alert;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.linger.InvalidInput;
import dev.linger.i18n.Catalogue;
import dev.linger.i18n.RequestLanguage;
import dev.linger.i18n.Text;
import dev.linger.user.Role;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Alerts in: Alertmanager's webhook (payload version 4) and Netdata's, authenticated like the rest of the API (an
 * operator's Basic credentials or an {@code lgr_} token with the {@code operate} scope, as a Bearer token in
 * Alertmanager's {@code http_config.authorization}). The body is read here, at most 1 MiB (413 beyond), so a huge
 * payload is refused before it is parsed.
 */
@Path("/api/v1/alerts")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.OPERATOR_ID)
public class AlertResource {

    static final int MAX_BODY = 1 << 20;

    private final AlertIntake intake;
    private final SecurityIdentity identity;
    private final ObjectMapper json;
    private final RequestLanguage language;

    AlertResource(AlertIntake intake, SecurityIdentity identity, ObjectMapper json, RequestLanguage language) {
        this.intake = intake;
        this.identity = identity;
        this.json = json;
        this.language = language;
    }

    /** Alertmanager's body, or Netdata's (told apart by their shapes: Alertmanager's has an "alerts" array). */
    @POST
    @Path("alertmanager")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response alertmanager(InputStream body) {
        JsonNode tree = read(body);
        return tree.has("alerts") ? receive(ReceivedAlert.ALERTMANAGER, ReceivedAlert.alertmanager(tree))
                : receive(ReceivedAlert.NETDATA, ReceivedAlert.netdata(tree));
    }

    @POST
    @Path("netdata")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response netdata(InputStream body) {
        return receive(ReceivedAlert.NETDATA, ReceivedAlert.netdata(read(body)));
    }

    /** The alerts received, newest first; {@code ?unmatched=true}: only those that named no known host. */
    @GET
    @RolesAllowed(Role.VIEWER_ID)
    public List<Map<String, Object>> list(@QueryParam("unmatched") boolean unmatched) {
        return intake.recent(unmatched, 200);
    }

    private Response receive(String source, List<ReceivedAlert> alerts) {
        return Response.ok(intake.receive(identity.getPrincipal().getName(), source, alerts)).build();
    }

    private JsonNode read(InputStream body) {
        byte[] bytes;
        try {
            bytes = body == null ? new byte[0] : body.readNBytes(MAX_BODY + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (bytes.length > MAX_BODY) {
            Text why = Text.of("refuse.alertTooLarge", (long) MAX_BODY);
            return fail(Response.status(413).entity(Map.of("status", 413, "error",
                    Catalogue.render(why, language.apiLocale()), "message", why)).type(MediaType.APPLICATION_JSON)
                    .build());
        }
        if (bytes.length == 0) {
            throw InvalidInput.of("body", Text.of("refuse.alertEmpty"));
        }
        try {
            JsonNode tree = json.readTree(bytes);
            if (tree == null || !tree.isObject()) {
                throw InvalidInput.of("body", Text.of("refuse.alertNotJson"));
            }
            return tree;
        } catch (JsonProcessingException e) {
            throw InvalidInput.of("body", Text.of("refuse.alertNotJson"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode fail(Response response) {
        throw new jakarta.ws.rs.WebApplicationException(response);
    }
}
