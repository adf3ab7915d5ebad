package dev.linger.job;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;

import dev.linger.login.StepUp;
import dev.linger.login.StepUpForm;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import dev.linger.InvalidInput;
import dev.linger.host.HostService;
import dev.linger.host.HostView;
import dev.linger.i18n.ActionMessages;
import dev.linger.i18n.Catalogue;
import dev.linger.i18n.JobMessages;
import dev.linger.i18n.RequestLanguage;
import dev.linger.i18n.Text;
import dev.linger.incident.IncidentKind;
import dev.linger.incident.IncidentService;
import dev.linger.incident.IncidentView;
import dev.linger.runbook.RunbookService;
import dev.linger.runbook.RunbookVersion;
import dev.linger.user.Role;
import dev.linger.web.CurrentUser;
import dev.linger.web.Flash;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.ForbiddenException;

/** Jobs for people: propose with the plan in view, decide, follow the live log, roll back. */
@dev.linger.web.RetryReadsOnDroppedConnection
@Path("/")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Role.VIEWER_ID)
public class JobPage {

    /** The proposal form as typed. */
    public record Form(String runbook, Long hostId, Long incidentId, String reason, List<ParamField> params,
            List<RunbookVersion.Summary> runbooks, List<HostView> hosts, IncidentView incident, String override) {
    }

    public record ParamField(String name, String label, String type, String value) {
        /** The form field's name: parameters travel as p.NAME. */
        public String field() {
            return "p." + name;
        }
    }

    /** What the person looking at a job may do with it, and its plan in typed form for the page. */
    public record Detail(JobView job, boolean canDecide, boolean canRollback, boolean canCancel, boolean canConfirm,
            String decideWhyNot, List<Text> checks, List<PlanStep> plan, boolean canStartNow, List<Text> overridden) {

        /** The full text of the manual step {@code n} as the plan holds it, or null when step n is no NOTE. */
        public String note(int n) {
            return plan.stream().filter(p -> String.valueOf(n).equals(String.valueOf(p.n()))).map(PlanStep::note)
                    .filter(java.util.Objects::nonNull).findFirst().orElse(null);
        }
    }

    public record PlanStep(Object n, String type, String command, Text changes, List<Text> values,
            Text blastRadius, String undoHow, String note, List<Text> recorded) {

        /** The same step with what the job recorded for it (a finished job shows that, not the planning values). */
        PlanStep withRecorded(List<Text> recordedChanges) {
            return new PlanStep(n, type, command, changes, values, blastRadius, undoHow, note, recordedChanges);
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(List<JobView> jobs, String status, List<String> statuses, String from,
                String to);

        static native TemplateInstance detail(Detail d);

        static native TemplateInstance propose(Form form, Map<String, String> errors);

        static native TemplateInstance approvals(List<JobView> jobs, boolean approver);
    }

    private final JobService jobs;
    private final RunbookService runbooks;
    private final HostService hosts;
    private final IncidentService incidents;
    private final CurrentUser me;
    private final RequestLanguage language;
    private final dev.linger.runbook.RunbookTranslations translations;
    private final dev.linger.note.Notes notes;

    private final StepUpForm stepUpForm;

    JobPage(JobService jobs, RunbookService runbooks, HostService hosts, IncidentService incidents, CurrentUser me,
            RequestLanguage language, dev.linger.runbook.RunbookTranslations translations, StepUpForm stepUpForm,
            dev.linger.note.Notes notes) {
        this.notes = notes;
        this.stepUpForm = stepUpForm;
        this.translations = translations;
        this.jobs = jobs;
        this.runbooks = runbooks;
        this.hosts = hosts;
        this.incidents = incidents;
        this.me = me;
        this.language = language;
    }

    @GET
    @Path("jobs")
    public TemplateInstance list(@QueryParam("status") String status, @QueryParam("from") String from,
            @QueryParam("to") String to) {
        String s = JobResource.status(status);
        return Templates.list(jobs.list(s, null, null, dev.linger.search.SearchQuery.time("from", from, false),
                dev.linger.search.SearchQuery.time("to", to, true), 200), s,
                java.util.Arrays.stream(JobStatus.values()).map(Enum::name).toList(), from == null ? "" : from.strip(),
                to == null ? "" : to.strip());
    }

    @GET
    @Path("approvals")
    public TemplateInstance approvals() {
        boolean approver = me.hasRole(Role.APPROVER_ID);
        return Templates.approvals(approver ? jobs.waitingFor(me.name()) : List.of(), approver);
    }

    @GET
    @Path("jobs/{id}")
    public TemplateInstance detail(@PathParam("id") long id) {
        JobView job = jobs.get(id);
        boolean approver = me.hasRole(Role.APPROVER_ID);
        boolean own = job.requestedBy().equals(me.name());
        boolean decided = job.approvals().stream().anyMatch(a -> a.current() && a.approver().equals(me.name()));
        JobMessages texts = language.texts(JobMessages.class);
        String whyNot = !job.pending() ? null : !approver ? texts.whyNotApprover()
                : own ? texts.whyNotOwnJob()
                : decided ? texts.whyNotDecided() : null;
        boolean rollbackable = job.rollbackOf() == null && JobStatus.ROLLBACK_FROM.contains(JobStatus.valueOf(job.status()))
                && job.sysctlChanges().stream().anyMatch(c -> c.rolledBackAt() == null)
                && me.hasRole(Role.OPERATOR_ID);
        boolean canCancel = (job.pending() || "QUEUED".equals(job.status())) && (own || me.admin());
        boolean waitingNote = "RUNNING".equals(job.status()) && job.steps().stream()
                .anyMatch(s -> "NOTE".equals(s.type()) && "RUNNING".equals(s.status()) && s.confirmedBy() == null);
        boolean canStartNow = job.waitingForWindow() && approver && !own;
        return Templates.detail(new Detail(job, job.pending() && whyNot == null, rollbackable, canCancel,
                waitingNote && me.hasRole(Role.OPERATOR_ID), whyNot, otherChecks(job.plan()),
                withRecorded(job, inReadersLanguage(job, plan(job.plan()))), canStartNow, overridden(job.plan())));
    }

    /** The proposal form, pre-filled from an incident (runbook that fits, port and owner from the evidence). */
    @GET
    @Path("jobs/new")
    @RolesAllowed(Role.OPERATOR_ID)
    public TemplateInstance proposeForm(@QueryParam("runbook") String runbook, @QueryParam("hostId") Long hostId,
            @QueryParam("incidentId") Long incidentId) {
        IncidentView incident = incidentId == null ? null : incidents.get(incidentId);
        Long host = incident != null ? Long.valueOf(incident.hostId()) : hostId;
        Map<String, String> values = Map.of();
        RunbookVersion chosen = runbook == null ? null : runbooks.find(runbook, null).orElse(null);
        if (chosen != null && incident != null) {
            values = jobs.prefill(chosen, incident);
        }
        return Templates.propose(form(runbook, host, incidentId, "", "", chosen, values, incident), Map.of());
    }

    @POST
    @Path("jobs")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.OPERATOR_ID)
    public Response propose(MultivaluedMap<String, String> f) {
        String runbook = f.getFirst("runbook");
        Long hostId = number(f.getFirst("hostId"));
        Long incidentId = number(f.getFirst("incidentId"));
        String reason = f.getFirst("reason");
        String override = f.getFirst("override");
        Map<String, String> values = new LinkedHashMap<>();
        f.forEach((k, v) -> {
            if (k.startsWith("p.") && !v.isEmpty()) {
                values.put(k.substring(2), v.get(0));
            }
        });
        try {
            StepUp.Proof proof = override == null || override.isBlank() ? stepUpForm.proofOfSession()
                    : stepUpForm.proof(f.getFirst("stepUpPassword"), f.getFirst("stepUpCode"));
            JobView job = jobs.propose(me.name(), new JobService.Proposal(runbook, hostId, values, reason, incidentId,
                    override), proof);
            return Flash.redirect("/jobs/" + job.id(), job.adminNeeded()
                    ? texts().jobProposedWithAdmin(job.id(), job.approvalsNeeded())
                    : texts().jobProposed(job.id(), job.approvalsNeeded()));
        } catch (InvalidInput e) {
            return refused(e.isConflict() ? 409 : 400, runbook, hostId, incidentId, reason, override, values,
                    e.fields(language.locale()));
        } catch (JobService.NotApplicable e) {
            Map<String, String> errors = new LinkedHashMap<>();
            errors.put("runbook", Catalogue.render(e.text(), language.locale()));
            if (e.overridable()) {
                errors.put("override", language.texts(JobMessages.class).overrideNeeded());
            }
            return refused(409, runbook, hostId, incidentId, reason, override, values, errors);
        } catch (dev.linger.Forbidden e) {
            return refused(403, runbook, hostId, incidentId, reason, override, values,
                    Map.of("override", e.message(language.locale())));
        }
    }

    @POST
    @Path("jobs/{id}/decision")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.APPROVER_ID)
    public Response decide(@PathParam("id") long id, @RestForm String decision, @RestForm String comment,
            @RestForm String overrideDrift, @RestForm String stepUpPassword, @RestForm String stepUpCode) {
        return act(id, () -> {
            StepUp.Proof proof = "APPROVE".equals(decision) ? stepUpForm.proof(stepUpPassword, stepUpCode)
                    : stepUpForm.proofOfSession();
            JobView j = jobs.decide(me.name(), me.admin(), id, decision, comment, "on".equals(overrideDrift), proof);
            return switch (j.status()) {
                case "QUEUED", "RUNNING", "SUCCEEDED", "FAILED" -> texts().jobApprovedQueued();
                case "REJECTED" -> texts().jobRejected();
                default -> texts().jobApprovedSoFar(j.currentApprovals(), j.approvalsNeeded());
            };
        });
    }

    /** An approver starts an approved job ahead of its host's maintenance window, with a reason. */
    @POST
    @Path("jobs/{id}/start-now")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.APPROVER_ID)
    public Response startNow(@PathParam("id") long id, @RestForm String reason, @RestForm String stepUpPassword,
            @RestForm String stepUpCode) {
        return act(id, () -> {
            jobs.startNow(me.name(), id, reason, stepUpForm.proof(stepUpPassword, stepUpCode));
            return language.texts(JobMessages.class).startedNow(id);
        });
    }

    @POST
    @Path("jobs/{id}/rollback")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.OPERATOR_ID)
    public Response rollback(@PathParam("id") long id, @RestForm String reason) {
        try {
            JobView r = jobs.proposeRollback(me.name(), id, reason);
            return Flash.redirect("/jobs/" + r.id(), texts().jobRollbackProposed(id, r.id()));
        } catch (InvalidInput e) {
            return Flash.redirect("/jobs/" + id, e.message(language.locale()));
        }
    }

    @POST
    @Path("jobs/{id}/cancel")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.OPERATOR_ID)
    public Response cancel(@PathParam("id") long id) {
        return act(id, () -> {
            jobs.cancel(me.name(), me.admin(), id);
            return texts().jobCancelled();
        });
    }

    /** A note on the job (what people did by hand, what they saw). */
    @POST
    @Path("jobs/{id}/notes")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.OPERATOR_ID)
    public Response addNote(@PathParam("id") long id, @org.jboss.resteasy.reactive.RestForm String text) {
        try {
            notes.onJob(me.name(), id, text);
            return Flash.redirect("/jobs/" + id + "#notes", Text.of("note.flashSaved"));
        } catch (InvalidInput e) {
            return Flash.redirect("/jobs/" + id + "#notes", e.message(language.locale()));
        }
    }

    @POST
    @Path("jobs/{id}/steps/{n}/confirm")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.OPERATOR_ID)
    public Response confirm(@PathParam("id") long id, @PathParam("n") int n) {
        return act(id, () -> {
            jobs.confirmNote(me.name(), id, n);
            return texts().jobStepConfirmed(n);
        });
    }

    private ActionMessages texts() {
        return language.texts(ActionMessages.class);
    }

    private Response act(long id, java.util.function.Supplier<String> change) {
        try {
            return Flash.redirect("/jobs/" + id, change.get());
        } catch (InvalidInput e) {
            return Flash.redirect("/jobs/" + id, e.message(language.locale()));
        } catch (ForbiddenException e) {
            if (e.getMessage() == null) {
                throw e;
            }
            return Flash.redirect("/jobs/" + id, e instanceof dev.linger.Forbidden f ? f.message(language.locale())
                    : e.getMessage());
        }
    }

    private Response refused(int status, String runbook, Long hostId, Long incidentId, String reason, String override,
            Map<String, String> values, Map<String, String> errors) {
        RunbookVersion chosen = runbook == null ? null : runbooks.find(runbook, null).orElse(null);
        IncidentView incident = incidentId == null ? null : incidents.get(incidentId);
        Map<String, String> shown = new LinkedHashMap<>();
        errors.forEach((k, v) -> shown.put(k.startsWith("params.") ? "p." + k.substring(7) : k, v));
        return Response.status(status).entity(Templates.propose(form(runbook, hostId, incidentId, reason, override,
                chosen, values, incident), shown)).build();
    }

    private Form form(String runbook, Long hostId, Long incidentId, String reason, String override,
            RunbookVersion chosen, Map<String, String> values, IncidentView incident) {
        List<ParamField> params = chosen == null ? List.of() : chosen.definition().params().stream()
                .map(p -> new ParamField(p.name(), translations.paramLabel(chosen.slug(), chosen.version(), p.name(),
                        p.label()), p.type().name(), values.getOrDefault(p.name(),
                        p.defaultValue() == null ? "" : p.defaultValue())))
                .toList();
        List<RunbookVersion.Summary> offered = runbooks.list();
        if (incident != null) {
            IncidentKind kind = IncidentKind.valueOf(incident.kind());
            offered = offered.stream().filter(s -> s.fits().contains(kind.name())).toList();
        }
        return new Form(runbook, hostId, incidentId, reason == null ? "" : reason, params, offered, hosts.list(),
                incident, override == null ? "" : override);
    }

    /**
     * On a finished job, each step's recorded sysctl changes ("key: before → after"): the planning values were true
     * only when the job was proposed.
     */
    private static List<PlanStep> withRecorded(JobView job, List<PlanStep> plan) {
        if (!job.terminal() || job.sysctlChanges().isEmpty()) {
            return plan;
        }
        return plan.stream().map(p -> {
            List<Text> changes = job.sysctlChanges().stream()
                    .filter(c -> String.valueOf(c.step()).equals(String.valueOf(p.n())))
                    .map(c -> Text.of("run.recordedChange", c.key(), String.valueOf(c.before()),
                            String.valueOf(c.after() == null ? c.intended() : c.after()), c.after() != null))
                    .toList();
            return changes.isEmpty() ? p : p.withRecorded(changes);
        }).toList();
    }

    /** The messages of the checks the proposer overrode (each failed check of the plan, in the reader's language). */
    private static List<Text> overridden(Map<String, Object> plan) {
        if (!(plan.get("override") instanceof Map<?, ?> o) || !(o.get("checks") instanceof List<?> names)
                || !(plan.get("checks") instanceof List<?> l)) {
            return List.of();
        }
        return l.stream().filter(Map.class::isInstance).map(c -> (Map<?, ?>) c)
                .filter(c -> names.contains(String.valueOf(c.get("check"))))
                .map(c -> StoredText.of(c.get("message"))).toList();
    }

    /** The plan's checks but those the proposer overrode, which the red override box shows already. */
    private static List<Text> otherChecks(Map<String, Object> plan) {
        List<Text> overridden = overridden(plan);
        return plan.get("checks") instanceof List<?> l ? l.stream().filter(Map.class::isInstance)
                .map(c -> StoredText.of(((Map<?, ?>) c).get("message")))
                .filter(m -> !overridden.contains(m)).toList()
                : List.of();
    }

    /**
     * The plan's step texts (stored in English) said again in the reader's language from the job's runbook version and
     * parameters. A rollback's steps, or a plan that does not line up with its runbook, keep the stored text.
     */
    private List<PlanStep> inReadersLanguage(JobView job, List<PlanStep> plan) {
        java.util.Locale locale = language.locale();
        if (job.rollbackOf() != null) {
            return plan;
        }
        RunbookVersion version = runbooks.find(job.runbook(), job.runbookVersion()).orElse(null);
        if (version == null || version.definition().steps().size() != plan.size()) {
            return plan;
        }
        dev.linger.runbook.Bindings bindings;
        try {
            bindings = version.definition().bind(job.params() == null ? Map.of() : job.params());
        } catch (InvalidInput e) {
            return plan;
        }
        List<PlanStep> out = new java.util.ArrayList<>();
        for (int i = 0; i < plan.size(); i++) {
            PlanStep p = plan.get(i);
            dev.linger.runbook.Step step = version.definition().steps().get(i).step();
            if (!step.type().name().equals(p.type())) {
                return plan;
            }
            out.add(new PlanStep(p.n(), p.type(), p.command(), step.changes(bindings), p.values(), p.blastRadius(),
                    p.undoHow() == null ? null : dev.linger.i18n.Catalogue.render(step.undo().how(), locale), p.note(),
                    p.recorded()));
        }
        return out;
    }

    /**
     * The plan as stored: its values and blast radius are facts (a plan stored before V17 holds sentences, shown
     * verbatim).
     */
    private static List<PlanStep> plan(Map<String, Object> plan) {
        if (!(plan.get("steps") instanceof List<?> steps)) {
            return List.of();
        }
        return steps.stream().filter(Map.class::isInstance).map(o -> {
            Map<?, ?> m = (Map<?, ?>) o;
            List<Text> values = m.get("values") instanceof Map<?, ?> v
                    ? v.entrySet().stream().map(e -> Text.of("run.keyValue", String.valueOf(e.getKey()),
                            StoredText.of(e.getValue()))).toList() : List.of();
            return new PlanStep(m.get("n"), text(m.get("type")), text(m.get("command")), StoredText.of(m.get("changes")),
                    values,
                    StoredText.of(m.get("blastRadius")), text(m.get("undoHow")), text(m.get("note")), List.of());
        }).toList();
    }

    private static String text(Object o) {
        if (o instanceof Map<?, ?> m && m.get("key") instanceof String) {
            // a stored fact ({"key", "args"}, e.g. a step's changes or a check's verdict): said in the reader's language
            return dev.linger.i18n.Catalogue.render(new dev.linger.i18n.Text((String) m.get("key"),
                    m.get("args") instanceof List<?> a ? new java.util.ArrayList<Object>(a) : List.of()),
                    RequestLanguage.currentLocale());
        }
        return o == null ? null : String.valueOf(o);
    }

    private static Long number(String s) {
        try {
            return s == null || s.isBlank() ? null : Long.valueOf(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
