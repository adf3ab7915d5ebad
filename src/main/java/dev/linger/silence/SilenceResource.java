package dev.linger.silence;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.linger.InvalidInput;
import dev.linger.i18n.Text;
import dev.linger.user.Role;
import io.quarkus.security.identity.SecurityIdentity;

/** Silences over the JSON API: {@code GET} (not over yet; {@code ?all=true} with the past), {@code POST}, {@code DELETE} ends one. */
@Path("/api/v1/silences")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.VIEWER_ID)
public class SilenceResource {

    public record Matchers(Long hostId, String hostLabel, String namespace, String kind, Integer port) {
    }

    public record Recurrence(List<String> days, String from, String to, String timeZone) {
    }

    public record NewSilence(Matchers matchers, Instant startsAt, Instant endsAt, Recurrence recurrence,
            String comment) {
    }

    /** A silence as the API shows it; {@code state}: ACTIVE, WAITING (before its start or outside its window), OVER. */
    public record ApiSilence(long id, Map<String, Object> matchers, Instant startsAt, Instant endsAt,
            Recurrence recurrence, String comment, String createdBy, Instant createdAt, Instant endedAt, String endedBy,
            String state) {

        static ApiSilence of(Silence s, Instant now) {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            if (s.hostId() != null) {
                m.put("hostId", s.hostId());
                m.put("host", s.hostName());
            }
            if (s.hostLabel() != null) {
                m.put("hostLabel", s.hostLabel());
            }
            if (s.namespace() != null) {
                m.put("namespace", s.namespace());
            }
            if (s.kind() != null) {
                m.put("kind", s.kind());
            }
            if (s.port() != null) {
                m.put("port", s.port());
            }
            Recurrence r = s.weekly() == null ? null : new Recurrence(s.weekly().days().stream()
                    .map(d -> d.name().substring(0, 3)).toList(), s.weekly().from().toString(),
                    s.weekly().to().toString(), s.weekly().zone().getId());
            String state = s.over(now) ? "OVER" : s.activeAt(now) ? "ACTIVE" : "WAITING";
            return new ApiSilence(s.id(), m, s.startsAt(), s.endsAt(), r, s.comment(), s.createdBy(), s.createdAt(),
                    s.endedAt(), s.endedBy(), state);
        }
    }

    private final Silences silences;
    private final SecurityIdentity identity;
    private final Clock clock;

    SilenceResource(Silences silences, SecurityIdentity identity, Clock clock) {
        this.silences = silences;
        this.identity = identity;
        this.clock = clock;
    }

    @GET
    public List<ApiSilence> list(@QueryParam("all") boolean all) {
        Instant now = clock.instant();
        return silences.list(all).stream().map(s -> ApiSilence.of(s, now)).toList();
    }

    @GET
    @Path("{id}")
    public ApiSilence get(@PathParam("id") long id) {
        return ApiSilence.of(silences.get(id), clock.instant());
    }

    @POST
    @RolesAllowed(Role.OPERATOR_ID)
    public Response create(NewSilence body) {
        if (body == null) {
            throw InvalidInput.of("body", Text.of("refuse.sendJson", "{\"matchers\": {\"hostId\", \"hostLabel\", \"namespace\","
                    + " \"kind\", \"port\"}, \"startsAt\", \"endsAt\" | \"recurrence\", \"comment\"}"));
        }
        Matchers m = body.matchers() == null ? new Matchers(null, null, null, null, null) : body.matchers();
        Recurrence r = body.recurrence();
        Silence made = silences.create(identity.getPrincipal().getName(), new Silences.Request(m.hostId(),
                m.hostLabel(), m.namespace(), m.kind(), m.port(), body.startsAt(), body.endsAt(), r == null ? null : r.days(),
                r == null ? null : r.from(), r == null ? null : r.to(), r == null ? null : r.timeZone(),
                body.comment()));
        return Response.created(URI.create("/api/v1/silences/" + made.id()))
                .entity(ApiSilence.of(made, clock.instant())).build();
    }

    /** Ends the silence now (its record stays). */
    @DELETE
    @Path("{id}")
    @RolesAllowed(Role.OPERATOR_ID)
    public ApiSilence end(@PathParam("id") long id) {
        return ApiSilence.of(silences.end(identity.getPrincipal().getName(), id), clock.instant());
    }
}
