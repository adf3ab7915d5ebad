package dev.linger.runbook;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.linger.i18n.Catalogue;

/**
 * Steps as JSON objects: {"type", ...fields} for storage and input, plus the rendered command,
 * what it changes and how it is undone for answers. Counts and seconds are numbers; a port or
 * pid is a number when literal and "{name}" when it refers to a parameter.
 */
public final class StepJson {

    private static final Set<String> NUMBERS = Set.of("atMost", "pollSeconds", "timeoutSeconds", "settleSeconds",
            "port", "pid");

    private StepJson() {
    }

    /** The stored form: what {@link RunbookDefinition#check} reads back. */
    public static Map<String, Object> stored(RunbookStep s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", s.step().type().name());
        if (s.step() instanceof Step.PersistSysctl p) {
            m.put("file", p.file());
            m.put("entries", new LinkedHashMap<>(p.entries()));
        } else {
            for (StepType.Field f : s.step().type().fields()) {
                String v = s.step().fields().get(f.id());
                m.put(f.id(), NUMBERS.contains(f.id()) && v != null && v.matches("-?\\d{1,9}") ? Integer.valueOf(v) : v);
            }
        }
        if (s.sourceLine() != null) {
            m.put("sourceLine", s.sourceLine());
        }
        if (s.sourceText() != null) {
            m.put("sourceText", s.sourceText());
        }
        return m;
    }

    public static List<Map<String, Object>> stored(List<RunbookStep> steps) {
        return steps.stream().map(StepJson::stored).toList();
    }

    /** The answer form: the stored fields plus the exact command, what it changes and its undo, said in {@code locale}. */
    public static Map<String, Object> shown(RunbookStep s, Bindings b, Locale locale) {
        Map<String, Object> m = stored(s);
        m.put("command", s.step().command(b));
        m.put("changes", Catalogue.render(s.step().changes(b), locale));
        m.put("undo", Map.of("kind", s.step().undo().kind().name(), "how",
                Catalogue.render(s.step().undo().how(), locale)));
        return m;
    }

    public static Map<String, Object> imported(ImportedStep s, Locale locale) {
        Map<String, Object> m = shown(new RunbookStep(s.step(), s.sourceLine(), s.sourceText()), Bindings.NONE, locale);
        m.put("sourceLine", s.sourceLine());
        m.put("sourceText", s.sourceText());
        m.put("warning", s.warning() == null ? null : Catalogue.render(s.warning(), locale));
        m.put("flag", s.flag() == null ? null : s.flag().name());
        return m;
    }

    public static List<Map<String, Object>> params(List<Param> params) {
        return params.stream().map(p -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", p.name());
            m.put("type", p.type().name());
            m.put("label", p.label());
            m.put("defaultValue", p.defaultValue());
            m.put("from", p.from() == null ? null : p.from().name());
            return m;
        }).toList();
    }
}
