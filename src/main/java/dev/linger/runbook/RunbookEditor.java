package dev.linger.runbook;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.ws.rs.core.MultivaluedMap;

import dev.linger.i18n.RequestLanguage;
import dev.linger.i18n.RunbookMessages;
import dev.linger.incident.IncidentKind;

/**
 * The state of the runbook editor page, carried in its form from one request to the next, so
 * editing works without JavaScript: each button (move, remove, add, check, save) posts the whole
 * form and gets it back changed. Used for an import's preview, a new runbook and a new version.
 */
public final class RunbookEditor {

    static final int MAX_ROWS = 120;
    static final int SHOWN_DOCUMENT_LINES = 20_000;

    /** mode: import, new or edit. */
    public String mode = "new";
    public String slug = "";
    public Integer baseVersion;
    public String title = "";
    public String description = "";
    public String risk = "LOW";
    public Set<String> fits = new LinkedHashSet<>();
    public String changeNote = "";
    public String sourceDocument = "";
    public final List<ParamRow> params = new ArrayList<>();
    public final List<StepRow> steps = new ArrayList<>();
    /** Checks that go with the runbook (explicit ones, such as KEEPALIVE_IN_USE; the steps imply the others). */
    public final Set<String> checks = new LinkedHashSet<>();
    /** Import: which of the document's procedures this editor shows (from 0), and all of them. */
    public int procedure;
    public final List<ProcedureTab> procedures = new ArrayList<>();
    /** Import: the title the person gave on the import form ("" to take each procedure's heading). */
    public String importTitle = "";
    /** Import: keys the procedure sets at runtime and persists with another value. */
    public final List<ImportResult.Mismatch> mismatches = new ArrayList<>();
    /** A line saying what the last save did, when the editor goes on to the next procedure. */
    public String notice;
    /** Refusals by editor field name (e.g. {@code s3.value}, {@code title}). */
    public final Map<String, String> errors = new LinkedHashMap<>();

    public static final class ParamRow {
        public String name = "";
        public String type = "PORT";
        public String label = "";
        public String defaultValue = "";
        public String from = "";
    }

    public static final class StepRow {
        public String type = "NOTE";
        public final Map<String, String> values = new LinkedHashMap<>();
        public Integer sourceLine;
        public String sourceText;
        public String warning;
        public String flag;
        public boolean keep = true;
    }

    /** One input of a step row as the template draws it. */
    public record Input(String name, String label, String kind, String value, String error, List<String> options) {
    }

    /** One procedure of an imported document: its number from 1, proposed title and kinds. */
    public record ProcedureTab(int index, int n, String title, List<String> fits, boolean shown) {
    }

    /** A line of the source document; {@code used} when a step came from it. */
    public record DocLine(int n, String text, boolean used) {
    }

    // ---- built from ... ----

    /** The editor for procedure {@code index} of an import (the first when out of range). */
    static RunbookEditor fromImport(ImportResult result, String text, int index, String givenTitle) {
        RunbookEditor e = new RunbookEditor();
        e.mode = "import";
        e.procedure = index >= 0 && index < result.runbooks().size() ? index : 0;
        ImportResult.Proposal p = result.runbooks().get(e.procedure);
        e.title = p.title() == null ? "" : p.title();
        e.importTitle = givenTitle == null ? "" : givenTitle.strip();
        e.sourceDocument = text;
        e.description = "Imported from a document.";
        p.params().forEach(param -> e.params.add(paramRow(param)));
        for (ImportedStep s : p.steps()) {
            StepRow row = stepRow(new RunbookStep(s.step(), s.sourceLine(), s.sourceText()));
            row.warning = s.warning();
            row.flag = s.flag() == null ? null : s.flag().name();
            // dangerous and needless commands are shown, with the reason, but left out unless someone puts them back
            row.keep = s.flag() != ImportedStep.Flag.DANGEROUS && s.flag() != ImportedStep.Flag.NEEDLESS;
            e.steps.add(row);
        }
        p.fits().forEach(k -> e.fits.add(k.name()));
        p.checks().forEach(c -> e.checks.add(c.name()));
        e.risk = p.risk().name();
        e.describeProcedures(result);
        return e;
    }

    /** The tabs of the document's procedures and the current one's warnings. */
    private void describeProcedures(ImportResult result) {
        procedures.clear();
        mismatches.clear();
        for (int i = 0; i < result.runbooks().size(); i++) {
            ImportResult.Proposal p = result.runbooks().get(i);
            procedures.add(new ProcedureTab(i, i + 1, p.title(), p.fits().stream().map(Enum::name).toList(),
                    i == procedure));
        }
        if (procedure < result.runbooks().size()) {
            mismatches.addAll(result.runbooks().get(procedure).mismatches());
        }
    }

    static RunbookEditor fromVersion(RunbookVersion v) {
        RunbookEditor e = new RunbookEditor();
        RunbookDefinition d = v.definition();
        e.mode = "edit";
        e.slug = v.slug();
        e.baseVersion = v.version();
        e.title = d.title();
        e.description = d.description();
        e.risk = d.risk().name();
        d.fits().forEach(k -> e.fits.add(k.name()));
        d.checks().forEach(c -> e.checks.add(c.name()));
        e.sourceDocument = v.sourceDocument() == null ? "" : v.sourceDocument();
        d.params().forEach(p -> e.params.add(paramRow(p)));
        d.steps().forEach(s -> e.steps.add(stepRow(s)));
        return e;
    }

    static RunbookEditor blank() {
        RunbookEditor e = new RunbookEditor();
        StepRow note = new StepRow();
        note.values.put("text", "");
        e.steps.add(note);
        return e;
    }

    /** Reads the editor's form back. Unknown or missing fields fall back to empty values, never to an error. */
    static RunbookEditor fromForm(MultivaluedMap<String, String> form) {
        RunbookEditor e = new RunbookEditor();
        e.mode = one(form, "mode", "new");
        if (!List.of("import", "new", "edit").contains(e.mode)) {
            e.mode = "new";
        }
        e.slug = one(form, "slug", "");
        String base = one(form, "baseVersion", "");
        e.baseVersion = base.matches("\\d{1,9}") ? Integer.valueOf(base) : null;
        e.title = one(form, "title", "");
        e.description = one(form, "description", "");
        e.risk = one(form, "risk", "LOW");
        if (form.get("fits") != null) {
            e.fits.addAll(form.get("fits"));
        }
        e.changeNote = one(form, "changeNote", "");
        e.sourceDocument = one(form, "sourceDocument", "");
        if (form.get("checks") != null) {
            form.get("checks").stream().limit(Check.values().length).forEach(e.checks::add);
        }
        String procedure = one(form, "procedure", "0");
        e.procedure = procedure.matches("\\d{1,3}") ? Integer.parseInt(procedure) : 0;
        e.importTitle = one(form, "importTitle", "");
        if (e.mode.equals("import") && !e.sourceDocument.isBlank()) {
            try {
                e.describeProcedures(DocumentImporter.read(e.importTitle, e.sourceDocument));
            } catch (dev.linger.InvalidInput ignored) {
                // the document came from this form: without procedures the editor still edits and saves
            }
        }
        int paramCount = Math.min(count(form, "paramCount"), RunbookDefinition.MAX_PARAMS + 1);
        for (int j = 0; j < paramCount; j++) {
            ParamRow p = new ParamRow();
            p.name = one(form, "p" + j + ".name", "");
            p.type = one(form, "p" + j + ".type", "PORT");
            p.label = one(form, "p" + j + ".label", "");
            p.defaultValue = one(form, "p" + j + ".defaultValue", "");
            p.from = one(form, "p" + j + ".from", "");
            e.params.add(p);
        }
        int stepCount = Math.min(count(form, "stepCount"), MAX_ROWS);
        for (int i = 0; i < stepCount; i++) {
            String prefix = "s" + i + ".";
            StepRow row = new StepRow();
            row.type = one(form, prefix + "type", "NOTE");
            StepType type = stepType(row.type);
            for (StepType.Field f : type.fields()) {
                row.values.put(f.id(), one(form, prefix + f.id(), ""));
            }
            String line = one(form, prefix + "sourceLine", "");
            row.sourceLine = line.matches("\\d{1,9}") ? Integer.valueOf(line) : null;
            row.sourceText = blankToNull(one(form, prefix + "sourceText", ""));
            row.warning = blankToNull(one(form, prefix + "warning", ""));
            row.flag = blankToNull(one(form, prefix + "flag", ""));
            row.keep = form.containsKey(prefix + "keep");
            e.steps.add(row);
        }
        return e;
    }

    // ---- editing ----

    /** Applies a button: up:N, down:N, remove:N, add, addParam, removeParam:N. Anything else changes nothing. */
    void apply(String action, String addType) {
        String[] parts = action == null ? new String[] {""} : action.split(":", 2);
        int n = parts.length == 2 && parts[1].matches("\\d{1,4}") ? Integer.parseInt(parts[1]) : -1;
        switch (parts[0]) {
            case "up" -> swap(steps, n, n - 1);
            case "down" -> swap(steps, n, n + 1);
            case "remove" -> {
                if (n >= 0 && n < steps.size()) {
                    steps.remove(n);
                }
            }
            case "add" -> {
                if (steps.size() < MAX_ROWS) {
                    StepRow row = new StepRow();
                    row.type = stepType(addType).name();
                    stepType(addType).fields().forEach(f -> row.values.put(f.id(), ""));
                    steps.add(row);
                }
            }
            case "addParam" -> {
                if (params.size() < RunbookDefinition.MAX_PARAMS) {
                    params.add(new ParamRow());
                }
            }
            case "removeParam" -> {
                if (n >= 0 && n < params.size()) {
                    params.remove(n);
                }
            }
            default -> {
            }
        }
    }

    /** The runbook the kept rows make; refusals come back keyed by editor field via {@link #errorsFrom}. */
    RunbookInput input() {
        List<Map<String, Object>> kept = new ArrayList<>();
        for (StepRow row : steps) {
            if (row.keep) {
                Map<String, Object> m = new LinkedHashMap<>(row.values);
                m.put("type", row.type);
                m.put("sourceLine", row.sourceLine);
                m.put("sourceText", row.sourceText);
                kept.add(m);
            }
        }
        List<RunbookInput.ParamInput> ps = params.stream()
                .map(p -> new RunbookInput.ParamInput(p.name, p.type, p.label, p.defaultValue, p.from)).toList();
        return new RunbookInput(mode.equals("edit") ? null : blankToNull(slug), title, description, risk,
                List.copyOf(fits), ps, List.copyOf(checks), kept, changeNote, blankToNull(sourceDocument));
    }

    /** Maps a refusal's field names (steps[k] counts kept steps from 1) onto the editor's rows. */
    void errorsFrom(Map<String, String> fields) {
        List<Integer> keptRows = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).keep) {
                keptRows.add(i);
            }
        }
        fields.forEach((name, message) -> {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(steps|params)\\[(\\d+)]\\.(\\w+)")
                    .matcher(name);
            if (m.matches()) {
                int k = Integer.parseInt(m.group(2)) - 1;
                if (m.group(1).equals("steps") && k < keptRows.size()) {
                    errors.putIfAbsent("s" + keptRows.get(k) + "." + m.group(3), message);
                } else {
                    errors.putIfAbsent("p" + k + "." + m.group(3), message);
                }
            } else {
                errors.putIfAbsent(name, message);
            }
        });
    }

    // ---- what the template reads ----

    public List<Input> inputs(int row) {
        StepRow r = steps.get(row);
        StepTexts texts = StepTexts.current();
        List<Input> out = new ArrayList<>();
        for (StepType.Field f : stepType(r.type).fields()) {
            String name = "s" + row + "." + f.id();
            List<String> options = switch (f.input()) {
                case "state" -> Arrays.stream(TcpState.values()).map(Enum::name).toList();
                case "signal" -> Step.SignalProcess.SIGNALS;
                default -> List.of();
            };
            out.add(new Input(name, texts.label(f), f.input(), r.values.getOrDefault(f.id(), ""), errors.get(name), options));
        }
        String typeError = errors.get("s" + row + ".type");
        if (typeError != null) {
            out.add(new Input("s" + row + ".type", words().editorParamType(), "none", "", typeError, List.of()));
        }
        return out;
    }

    public List<Input> paramInputs(int index) {
        ParamRow p = params.get(index);
        String prefix = "p" + index + ".";
        List<String> sources = new ArrayList<>(List.of(""));
        sources.addAll(sources());
        RunbookMessages words = words();
        return List.of(
                new Input(prefix + "name", words.editorParamName(), "text", p.name, errors.get(prefix + "name"),
                        List.of()),
                new Input(prefix + "type", words.editorParamType(), "select", p.type, errors.get(prefix + "type"),
                        paramTypes()),
                new Input(prefix + "label", words.editorParamLabel(), "text", p.label, errors.get(prefix + "label"),
                        List.of()),
                new Input(prefix + "defaultValue", words.editorParamDefault(), "text", p.defaultValue,
                        errors.get(prefix + "defaultValue"), List.of()),
                new Input(prefix + "from", words.editorParamFrom(), "select", p.from, errors.get(prefix + "from"),
                        sources));
    }

    /** The command the row would run, when its fields are valid on their own; null otherwise. */
    public String preview(int row) {
        StepRow r = steps.get(row);
        try {
            Step s = StepCodec.parse(r.type, r.values, "");
            return s.command(Bindings.NONE);
        } catch (RuntimeException e) {
            return null;
        }
    }

    public String stepTitle(int row) {
        return StepTexts.current().title(stepType(steps.get(row).type));
    }

    /** The editor's own labels in the current request's language (English outside a request). */
    private static RunbookMessages words() {
        return RequestLanguage.bundle(RunbookMessages.class, RequestLanguage.currentLocale());
    }

    public List<DocLine> documentLines() {
        Set<Integer> used = new java.util.HashSet<>();
        steps.stream().filter(s -> s.keep && s.sourceLine != null).forEach(s -> {
            int lines = s.sourceText == null ? 1 : (int) s.sourceText.chars().filter(c -> c == '\n').count() + 1;
            for (int i = 0; i < lines; i++) {
                used.add(s.sourceLine + i);
            }
        });
        List<DocLine> out = new ArrayList<>();
        String[] lines = sourceDocument.replace("\r\n", "\n").split("\n", -1);
        for (int i = 0; i < lines.length && i < SHOWN_DOCUMENT_LINES; i++) {
            out.add(new DocLine(i + 1, lines[i], used.contains(i + 1)));
        }
        return out;
    }

    public boolean fits(String kind) {
        return fits.contains(kind);
    }

    public List<String> stepTypes() {
        return Arrays.stream(StepType.values()).map(Enum::name).toList();
    }

    public List<String> risks() {
        return Arrays.stream(Risk.values()).map(Enum::name).toList();
    }

    public List<String> kinds() {
        return Arrays.stream(IncidentKind.values()).map(Enum::name).toList();
    }

    public List<String> paramTypes() {
        return Arrays.stream(Param.Type.values()).map(Enum::name).toList();
    }

    public List<String> sources() {
        return Arrays.stream(Param.Source.values()).map(Enum::name).toList();
    }

    // ---- helpers ----

    private static ParamRow paramRow(Param p) {
        ParamRow row = new ParamRow();
        row.name = p.name();
        row.type = p.type().name();
        row.label = p.label();
        row.defaultValue = p.defaultValue() == null ? "" : p.defaultValue();
        row.from = p.from() == null ? "" : p.from().name();
        return row;
    }

    private static StepRow stepRow(RunbookStep s) {
        StepRow row = new StepRow();
        row.type = s.step().type().name();
        row.values.putAll(s.step().fields());
        row.sourceLine = s.sourceLine();
        row.sourceText = s.sourceText();
        return row;
    }

    static StepType stepType(String name) {
        try {
            return StepType.valueOf(name == null ? "" : name.strip());
        } catch (IllegalArgumentException e) {
            return StepType.NOTE;
        }
    }

    private static <T> void swap(List<T> list, int a, int b) {
        if (a >= 0 && b >= 0 && a < list.size() && b < list.size()) {
            T t = list.get(a);
            list.set(a, list.get(b));
            list.set(b, t);
        }
    }

    private static String one(MultivaluedMap<String, String> form, String name, String dflt) {
        String v = form.getFirst(name);
        return v == null ? dflt : v;
    }

    private static int count(MultivaluedMap<String, String> form, String name) {
        String v = form.getFirst(name);
        return v != null && v.matches("\\d{1,4}") ? Integer.parseInt(v) : 0;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
