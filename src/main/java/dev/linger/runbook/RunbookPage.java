package dev.linger.runbook;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import dev.linger.InvalidInput;
import dev.linger.i18n.RequestLanguage;
import dev.linger.user.Role;
import dev.linger.web.CurrentUser;
import dev.linger.web.Flash;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.ForbiddenException;

/**
 * Runbooks for people: the list, a page per runbook with its exact commands and history, and the
 * editor that previews an imported document beside the steps found in it.
 */
@Path("/runbooks")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Role.VIEWER_ID)
public class RunbookPage {

    /** A step as the detail page shows it. */
    public record ShownStep(int n, String type, String title, Map<String, String> fields, String command,
            String changes, String undoKind, String undoLabel, String undoHow, Integer sourceLine, String sourceText) {
    }

    /** A parameter's input on the detail page: the value entered, else its default. */
    public record ParamField(String name, String label, String type, String from, String value) {
    }

    public record Detail(RunbookVersion runbook, List<ShownStep> steps, List<RunbookVersion.Info> versions,
            List<ParamField> paramFields, String valuesError, boolean canEdit,
            List<RunbookEditor.DocLine> sourceLines, List<String> checks, RiskFloor.Result floor) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(List<RunbookVersion.Summary> runbooks, boolean canWrite);

        static native TemplateInstance detail(Detail d);

        static native TemplateInstance importForm(String title, String text, Map<String, String> errors);

        static native TemplateInstance editor(RunbookEditor e);
    }

    private final RunbookService runbooks;
    private final CurrentUser me;
    private final RequestLanguage language;

    RunbookPage(RunbookService runbooks, CurrentUser me, RequestLanguage language) {
        this.runbooks = runbooks;
        this.me = me;
        this.language = language;
    }

    @GET
    public TemplateInstance list() {
        return Templates.list(runbooks.list(), me.hasRole(Role.OPERATOR_ID));
    }

    @GET
    @Path("{slug}")
    public TemplateInstance detail(@PathParam("slug") String slug, @QueryParam("version") Integer version,
            UriInfo uri) {
        RunbookVersion v = runbooks.get(slug, version);
        Map<String, String> values = new LinkedHashMap<>();
        for (Param p : v.definition().params()) {
            String given = uri.getQueryParameters().getFirst(p.name());
            if (given != null && !given.isBlank()) {
                values.put(p.name(), given.strip());
            }
        }
        Bindings bindings = Bindings.NONE;
        String valuesError = null;
        if (!values.isEmpty()) {
            try {
                bindings = v.definition().bind(values);
            } catch (InvalidInput e) {
                valuesError = e.getMessage();
            }
        }
        StepTexts texts = StepTexts.of(language.locale());
        List<ShownStep> steps = new java.util.ArrayList<>();
        int n = 1;
        for (RunbookStep s : v.definition().steps()) {
            Step step = s.step();
            steps.add(new ShownStep(n++, step.type().name(), texts.title(step.type()), step.fields(),
                    step.command(bindings), texts.changes(step, bindings), step.undo().kind().name(),
                    texts.undoKind(step.undo().kind()), texts.undoHow(step), s.sourceLine(), s.sourceText()));
        }
        Applicability.Wording words = Applicability.wording(language.locale());
        List<String> checks = v.definition().checks().stream().map(words::meaning).toList();
        List<ParamField> fields = v.definition().params().stream()
                .map(p -> new ParamField(p.name(), p.label(), p.type().name(), p.from() == null ? null : p.from().name(),
                        values.getOrDefault(p.name(), p.defaultValue() == null ? "" : p.defaultValue())))
                .toList();
        return Templates.detail(new Detail(v, steps, runbooks.versions(slug), fields, valuesError,
                me.hasRole(Role.OPERATOR_ID) && (v.definition().risk() != Risk.CRITICAL || me.admin()),
                v.sourceDocument() == null ? List.of() : RunbookEditor.fromVersion(v).documentLines(), checks,
                RiskFloor.of(v.definition())));
    }

    @GET
    @Path("new")
    @RolesAllowed(Role.OPERATOR_ID)
    public TemplateInstance create() {
        return Templates.editor(RunbookEditor.blank());
    }

    @GET
    @Path("{slug}/edit")
    @RolesAllowed(Role.OPERATOR_ID)
    public TemplateInstance edit(@PathParam("slug") String slug) {
        return Templates.editor(RunbookEditor.fromVersion(runbooks.get(slug, null)));
    }

    @GET
    @Path("import")
    @RolesAllowed(Role.OPERATOR_ID)
    public TemplateInstance importForm() {
        return Templates.importForm("", "", Map.of());
    }

    /** Reads the pasted text or the uploaded file and shows the preview; nothing is saved yet. */
    @POST
    @Path("import")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @RolesAllowed(Role.OPERATOR_ID)
    public Response importDocument(@RestForm String title, @RestForm String text, @RestForm("file") FileUpload file) {
        String document = text == null ? "" : text;
        Map<String, String> errors = new LinkedHashMap<>();
        if (file != null && file.size() > DocumentImporter.MAX_CHARS * 4L) {
            errors.put("text", "The file has " + file.size() + " bytes; Linger imports documents of up to "
                    + DocumentImporter.MAX_CHARS + " characters.");
        } else if (file != null && file.size() > 0) {
            try {
                document = decode(Files.readAllBytes(file.uploadedFile()));
            } catch (CharacterCodingException e) {
                errors.put("text", "The file is not UTF-8 text. Save it as UTF-8 (or paste its text) and try again.");
            } catch (IOException e) {
                errors.put("text", "The upload could not be read; try again.");
            }
        }
        if (errors.isEmpty()) {
            try {
                ImportResult result = DocumentImporter.read(title, document);
                return Response.ok(Templates.editor(RunbookEditor.fromImport(result, document, 0, title))).build();
            } catch (InvalidInput e) {
                errors.putAll(e.fields());
            }
        }
        String shown = document.length() > 200_000 ? "" : document;
        return Response.status(400).entity(Templates.importForm(title == null ? "" : title, shown, errors)).build();
    }

    /** Every editor button lands here: re-render with the change, or save on "save". */
    @POST
    @Path("editor")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Role.OPERATOR_ID)
    public Response editor(MultivaluedMap<String, String> form) {
        RunbookEditor e = RunbookEditor.fromForm(form);
        String action = form.getFirst("action");
        if (action != null && action.matches("procedure:\\d{1,3}") && e.mode.equals("import")) {
            // another procedure of the same document: its own proposal, read again from the document
            return Response.ok(Templates.editor(nextProcedure(e, Integer.parseInt(action.substring(10)), null)))
                    .build();
        }
        if (!"save".equals(action)) {
            e.apply(action, form.getFirst("addType"));
            if ("check".equals(action)) {
                check(e);
            }
            return Response.ok(Templates.editor(e)).build();
        }
        try {
            RunbookVersion saved = e.mode.equals("edit")
                    ? runbooks.addVersion(me.name(), me.admin(), e.slug, e.input(), e.baseVersion)
                    : runbooks.create(me.name(), me.admin(), e.input());
            if (e.mode.equals("import") && e.procedure + 1 < e.procedures.size()) {
                // the document holds more procedures: go on to the next, which is only in this form's document
                RunbookEditor next = nextProcedure(e, e.procedure + 1, saved);
                return Response.ok(Templates.editor(next)).build();
            }
            return Flash.redirect("/runbooks/" + saved.slug(), "Saved " + saved.definition().title() + " as version "
                    + saved.version() + ".");
        } catch (InvalidInput invalid) {
            e.errorsFrom(invalid.fields());
            return Response.status(invalid.isConflict() ? 409 : 400).entity(Templates.editor(e)).build();
        } catch (ForbiddenException forbidden) {
            e.errors.put("risk", forbidden.getMessage());
            return Response.status(403).entity(Templates.editor(e)).build();
        }
    }

    /** The editor for procedure {@code index} of the form's document, saying what {@code saved} was, if anything. */
    private RunbookEditor nextProcedure(RunbookEditor e, int index, RunbookVersion saved) {
        RunbookEditor next = RunbookEditor.fromImport(DocumentImporter.read(e.importTitle, e.sourceDocument),
                e.sourceDocument, index, e.importTitle);
        if (saved != null) {
            next.notice = language.texts(dev.linger.i18n.RunbookMessages.class).editorSavedNext(
                    saved.definition().title(), saved.version(), saved.slug(), next.procedure + 1,
                    next.procedures.size());
        }
        return next;
    }

    /** Shows every problem without saving. */
    private static void check(RunbookEditor e) {
        try {
            RiskFloor.require(RunbookDefinition.check(e.input()));
        } catch (InvalidInput invalid) {
            e.errorsFrom(invalid.fields());
        }
    }

    private static String decode(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    }
}
