package dev.linger.job;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.linger.InvalidInput;
import dev.linger.i18n.Text;
import dev.linger.user.Role;
import dev.linger.login.StepUp;
import io.quarkus.security.identity.SecurityIdentity;

/** Jobs over the JSON API: propose, decide, roll back, follow. */
@dev.linger.web.RetryReadsOnDroppedConnection
@Path("/api/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@RolesAllowed(Role.VIEWER_ID)
public class JobResource {

    /** {@code override}: why to propose a runbook that a check shows cannot help on that host (else leave it out). */
    /** {@code netns}: the network namespace to act in (0 = the host's own); an incident's own is used when left out. */
    public record ProposeRequest(String runbook, Long hostId, Map<String, String> params, String reason,
            Long incidentId, String override, Long netns) {
    }

    public record StartNowRequest(String reason) {
    }

    public record DecisionRequest(String decision, String comment, Boolean overrideDrift) {
    }

    public record RollbackRequest(String reason) {
    }

    private final JobService jobs;
    private final SecurityIdentity identity;

    private final StepUp stepUp;
    private final dev.linger.note.Notes notes;

    JobResource(JobService jobs, SecurityIdentity identity, StepUp stepUp, dev.linger.note.Notes notes) {
        this.notes = notes;
        this.stepUp = stepUp;
        this.jobs = jobs;
        this.identity = identity;
    }

    @GET
    public List<JobView> list(@QueryParam("status") String status, @QueryParam("hostId") Long hostId,
            @QueryParam("runbook") String runbook, @QueryParam("from") String from, @QueryParam("to") String to) {
        return jobs.list(status(status), hostId, runbook == null || runbook.isBlank() ? null : runbook.strip(),
                dev.linger.search.SearchQuery.time("from", from, false), dev.linger.search.SearchQuery.time("to", to,
                        true), 200);
    }

    @GET
    @Path("{id}")
    public JobView get(@PathParam("id") long id) {
        return jobs.get(id);
    }

    /** 201 with the plan; 409 with the failed checks when the runbook cannot run on that host. */
    @POST
    @RolesAllowed(Role.OPERATOR_ID)
    public Response propose(ProposeRequest r) {
        if (r == null) {
            throw InvalidInput.of("body", Text.of("refuse.sendJson",
                    "{\"runbook\", \"hostId\", \"params\", \"reason\", \"incidentId\"}"));
        }
        JobView job = jobs.propose(actor(), new JobService.Proposal(r.runbook(), r.hostId(), r.params(), r.reason(),
                r.incidentId(), r.override(), r.netns()), stepUp.of(identity));
        return Response.created(URI.create("/api/v1/jobs/" + job.id())).entity(job).build();
    }

    @POST
    @Path("{id}/approvals")
    @RolesAllowed(Role.APPROVER_ID)
    public JobView decide(@PathParam("id") long id, DecisionRequest r) {
        if (r == null) {
            throw InvalidInput.of("body", Text.of("refuse.sendJson",
                    "{\"decision\": \"APPROVE\" or \"REJECT\", \"comment\"}"));
        }
        return jobs.decide(actor(), identity.hasRole(Role.ADMIN_ID), id, r.decision(), r.comment(),
                Boolean.TRUE.equals(r.overrideDrift()), stepUp.of(identity));
    }

    /** An approver starts an approved job now instead of at its host's maintenance window, saying why. */
    @POST
    @Path("{id}/start-now")
    @RolesAllowed(Role.APPROVER_ID)
    public JobView startNow(@PathParam("id") long id, StartNowRequest r) {
        return jobs.startNow(actor(), id, r == null ? null : r.reason(), stepUp.of(identity));
    }

    @POST
    @Path("{id}/rollback")
    @RolesAllowed(Role.OPERATOR_ID)
    public Response rollback(@PathParam("id") long id, RollbackRequest r) {
        JobView job = jobs.proposeRollback(actor(), id, r == null ? null : r.reason());
        return Response.created(URI.create("/api/v1/jobs/" + job.id())).entity(job).build();
    }

    @POST
    @Path("{id}/cancel")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Role.OPERATOR_ID)
    public JobView cancel(@PathParam("id") long id) {
        return jobs.cancel(actor(), identity.hasRole(Role.ADMIN_ID), id);
    }

    public record NewNote(String text) {
    }

    @GET
    @Path("{id}/notes")
    public List<dev.linger.note.Note> notes(@PathParam("id") long id) {
        jobs.get(id);
        return notes.ofJob(id);
    }

    /** A note on the job: {@code {"text": "Markdown"}}. */
    @POST
    @Path("{id}/notes")
    @RolesAllowed(Role.OPERATOR_ID)
    public jakarta.ws.rs.core.Response addNote(@PathParam("id") long id, NewNote body) {
        if (body == null) {
            throw dev.linger.InvalidInput.of("body", dev.linger.i18n.Text.of("refuse.sendJson", "{\"text\"}"));
        }
        return jakarta.ws.rs.core.Response.status(201).entity(notes.onJob(actor(), id, body.text())).build();
    }

    /** A person confirms a NOTE step the job waits on. */
    @POST
    @Path("{id}/steps/{n}/confirm")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed(Role.OPERATOR_ID)
    public JobView confirm(@PathParam("id") long id, @PathParam("n") int n) {
        return jobs.confirmNote(actor(), id, n);
    }

    /** The language of API answers: Accept-Language, else English. */
    @jakarta.inject.Inject
    dev.linger.i18n.RequestLanguage language;

    @ServerExceptionMapper
    public Response notApplicable(JobService.NotApplicable e) {
        // the words in the caller's language (Accept-Language, else English), the fact beside them
        return Response.status(409).type(MediaType.APPLICATION_JSON_TYPE).entity(Map.of("error",
                JobView.apiWords(e.text()), "errorText", e.text(), "key", e.text().key(), "checks", e.verdicts(), "overridable",
                e.overridable())).build();
    }

    static String status(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return JobStatus.valueOf(s.strip().toUpperCase(Locale.ROOT)).name();
        } catch (IllegalArgumentException e) {
            throw InvalidInput.of("status", Text.of("refuse.queryOneOf", "status",
                    String.join(", ", java.util.Arrays.stream(JobStatus.values()).map(Enum::name).toList())));
        }
    }

    private String actor() {
        return identity.getPrincipal().getName();
    }
}
