package dev.linger.runbook;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import dev.linger.InvalidInput;
import dev.linger.i18n.Text;
import dev.linger.TextRules;
import dev.linger.incident.IncidentKind;

/**
 * One checked version of a runbook: everything a job needs to run it. Built only by
 * {@link #check(RunbookInput)}, which refuses the whole input with every problem named.
 */
public record RunbookDefinition(String title, String description, Risk risk, List<IncidentKind> fits,
        List<Param> params, List<RunbookStep> steps, Set<Check> checks) {

    public static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}");
    static final int MAX_STEPS = 100;
    static final int MAX_PARAMS = 10;
    static final int MAX_DESCRIPTION = 8000;
    static final int MAX_SOURCE_TEXT = 2000;

    public RunbookDefinition {
        fits = List.copyOf(fits);
        params = List.copyOf(params);
        steps = List.copyOf(steps);
        checks = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(checks));
    }

    public static RunbookDefinition check(RunbookInput in) {
        Map<String, Text> problems = new LinkedHashMap<>();
        String title = in.title() == null ? "" : in.title().strip();
        if (title.isEmpty()) {
            problems.put("title", Text.of("refuse.titleMissing"));
        } else if (title.length() > 200 || title.chars().anyMatch(Character::isISOControl)) {
            problems.put("title", Text.of("refuse.titleForm"));
        } else if (TextRules.hiddenOrBroken(title)) {
            problems.put("title", TextRules.HIDDEN_OR_BROKEN);
        }
        String description = in.description() == null ? "" : in.description().replace("\r\n", "\n").strip();
        if (description.length() > MAX_DESCRIPTION) {
            problems.put("description", Text.of("refuse.descriptionLong", MAX_DESCRIPTION));
        } else if (TextRules.hiddenOrBroken(description)) {
            problems.put("description", TextRules.HIDDEN_OR_BROKEN);
        }
        Risk risk = null;
        try {
            risk = Risk.valueOf(in.risk() == null ? "" : in.risk().strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            problems.put("risk", Text.of("refuse.riskOne"));
        }
        List<IncidentKind> fits = new ArrayList<>();
        for (String f : in.fits() == null ? List.<String>of() : in.fits()) {
            try {
                IncidentKind k = IncidentKind.valueOf(f == null ? "" : f.strip().toUpperCase(Locale.ROOT));
                if (!fits.contains(k)) {
                    fits.add(k);
                }
            } catch (IllegalArgumentException e) {
                problems.put("fits", Text.of("refuse.fitsOne", java.util.Arrays.toString(IncidentKind.values())));
            }
        }
        List<Param> params = params(in.params(), problems);
        Set<Check> checks = new LinkedHashSet<>();
        for (String c : in.checks() == null ? List.<String>of() : in.checks()) {
            try {
                checks.add(Check.valueOf(c == null ? "" : c.strip().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                problems.put("checks", Text.of("refuse.checksOne", java.util.Arrays.toString(Check.values())));
            }
        }
        if (checks.contains(Check.KEEPALIVE_IN_USE) && params.stream().noneMatch(p -> p.type() == Param.Type.PORT)) {
            problems.put("checks", Text.of("refuse.keepaliveNeedsPort"));
        }
        List<RunbookStep> steps = new ArrayList<>();
        List<Map<String, Object>> rawSteps = in.steps() == null ? List.of() : in.steps();
        if (rawSteps.isEmpty()) {
            problems.put("steps", Text.of("refuse.stepsNone"));
        } else if (rawSteps.size() > MAX_STEPS) {
            problems.put("steps", Text.of("refuse.stepsMany", MAX_STEPS));
            rawSteps = List.of();
        }
        for (int i = 0; i < rawSteps.size(); i++) {
            Map<String, Object> raw = rawSteps.get(i) == null ? Map.of() : rawSteps.get(i);
            String prefix = "steps[" + (i + 1) + "].";
            try {
                Step step = StepCodec.parse(raw.get("type") == null ? null : String.valueOf(raw.get("type")), raw,
                        prefix);
                steps.add(new RunbookStep(step, sourceLine(raw.get("sourceLine")), sourceText(raw.get("sourceText"))));
            } catch (InvalidInput e) {
                e.fields().forEach(problems::putIfAbsent);
            }
        }
        if (problems.isEmpty()) {
            crossCheck(risk, params, steps, problems);
        }
        if (!problems.isEmpty()) {
            throw InvalidInput.of(problems);
        }
        checks.addAll(derivedChecks(steps));
        return new RunbookDefinition(title, description, risk, fits, params, steps, checks);
    }

    /** Binds a job's parameter values (defaults fill the gaps); refuses unknown names and bad values. */
    public Bindings bind(Map<String, String> values) {
        Map<String, Text> problems = new LinkedHashMap<>();
        Map<String, String> bound = new LinkedHashMap<>();
        Map<String, String> given = values == null ? Map.of() : values;
        for (String name : given.keySet()) {
            if (params.stream().noneMatch(p -> p.name().equals(name))) {
                problems.put("params." + name, Text.of("refuse.paramUnknown", SysctlRules.abbreviate(name)));
            }
        }
        for (Param p : params) {
            String v = given.get(p.name());
            if (v == null || v.isBlank()) {
                v = p.defaultValue();
            }
            Text problem = p.type().problem(v);
            if (problem != null) {
                problems.put("params." + p.name(), Text.of("refuse.paramLabeled", p.label(), problem));
            } else {
                bound.put(p.name(), String.valueOf(Long.parseLong(v.strip())));
            }
        }
        Bindings b = Bindings.of(bound);
        if (problems.isEmpty()) {
            for (RunbookStep s : steps) {
                s.step().boundProblems(b).forEach((field, message) -> problems.putIfAbsent("params", message));
            }
        }
        if (!problems.isEmpty()) {
            throw InvalidInput.of(problems);
        }
        return b;
    }

    /** The first PORT parameter: the port a runbook is about. */
    public java.util.Optional<Param> portParam() {
        return params.stream().filter(p -> p.type() == Param.Type.PORT).findFirst();
    }

    private static List<Param> params(List<RunbookInput.ParamInput> raw, Map<String, Text> problems) {
        List<Param> out = new ArrayList<>();
        if (raw == null) {
            return out;
        }
        if (raw.size() > MAX_PARAMS) {
            problems.put("params", Text.of("refuse.paramsMany", MAX_PARAMS));
            return out;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < raw.size(); i++) {
            RunbookInput.ParamInput p = raw.get(i);
            String prefix = "params[" + (i + 1) + "].";
            if (p == null) {
                problems.put(prefix + "name", Text.of("refuse.paramEmpty"));
                continue;
            }
            String name = p.name() == null ? "" : p.name().strip();
            if (!Param.NAME.matcher(name).matches()) {
                problems.put(prefix + "name", Text.of("refuse.paramNameForm"));
            } else if (!names.add(name)) {
                problems.put(prefix + "name", Text.of("refuse.paramNameTwice", name));
            }
            Param.Type type = null;
            try {
                type = Param.Type.valueOf(p.type() == null ? "" : p.type().strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problems.put(prefix + "type", Text.of("refuse.paramTypeOne"));
            }
            String label = p.label() == null || p.label().isBlank() ? name : p.label().strip();
            if (label.length() > 100 || label.chars().anyMatch(Character::isISOControl)) {
                problems.put(prefix + "label", Text.of("refuse.labelForm"));
            } else if (TextRules.hiddenOrBroken(label)) {
                problems.put(prefix + "label", TextRules.HIDDEN_OR_BROKEN);
            }
            String dflt = p.defaultValue() == null || p.defaultValue().isBlank() ? null : p.defaultValue().strip();
            if (dflt != null && type != null && type.problem(dflt) != null) {
                problems.put(prefix + "defaultValue", type.problem(dflt));
                dflt = null;
            }
            Param.Source from = null;
            if (p.from() != null && !p.from().isBlank()) {
                try {
                    from = Param.Source.valueOf(p.from().strip().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    problems.put(prefix + "from", Text.of("refuse.fromOne"));
                }
                if (from != null && type != null
                        && (from == Param.Source.INCIDENT_PORT) != (type == Param.Type.PORT)) {
                    problems.put(prefix + "from", Text.of("refuse.fromMismatch", from.name(), type.name()));
                }
            }
            if (type != null) {
                out.add(new Param(name, type, label, dflt == null ? null : String.valueOf(Long.parseLong(dflt)), from));
            }
        }
        return out;
    }

    /** Rules across steps: references match declared parameters, restores follow a recording, SHELL needs CRITICAL. */
    private static void crossCheck(Risk risk, List<Param> params, List<RunbookStep> steps, Map<String, Text> problems) {
        Map<String, Param.Type> declared = new LinkedHashMap<>();
        params.forEach(p -> declared.put(p.name(), p.type()));
        Set<String> recordedKeys = new HashSet<>();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i).step();
            String prefix = "steps[" + (i + 1) + "].";
            for (Map.Entry<String, String> f : fieldsWithRefs(step).entrySet()) {
                String ref = Param.refName(f.getValue());
                Param.Type expected = switch (f.getKey()) {
                    case "port" -> Param.Type.PORT;
                    case "pid" -> Param.Type.PID;
                    default -> Param.Type.INTEGER;
                };
                if (!declared.containsKey(ref)) {
                    problems.putIfAbsent(prefix + f.getKey(), Text.of("refuse.refUndeclared", "{" + ref + "}"));
                } else if (declared.get(ref) != expected && !(step instanceof Step.FreeShell)) {
                    problems.putIfAbsent(prefix + f.getKey(), Text.of("refuse.refWrongType", "{" + ref + "}",
                            declared.get(ref).name(), expected.name()));
                }
            }
            if (step instanceof Step.ReadSysctl r) {
                recordedKeys.add(r.key());
            } else if (step instanceof Step.SetSysctl set) {
                recordedKeys.add(set.key());
            } else if (step instanceof Step.PersistSysctl persist) {
                recordedKeys.addAll(persist.entries().keySet());
            } else if (step instanceof Step.RestoreSysctl r && !recordedKeys.contains(r.key())) {
                problems.putIfAbsent(prefix + "key", Text.of("refuse.restoreUnrecorded", r.key()));
            } else if (step instanceof Step.FreeShell && risk != Risk.CRITICAL) {
                problems.putIfAbsent(prefix + "type", Text.of("refuse.shellNeedsCritical"));
            }
        }
    }

    /** Each field that refers to a parameter, by field name (PERSIST's entries by "entries", SHELL's by "command"). */
    private static Map<String, String> fieldsWithRefs(Step step) {
        Map<String, String> refs = new LinkedHashMap<>();
        if (step instanceof Step.PersistSysctl p) {
            p.entries().values().stream().filter(v -> Param.refName(v) != null).forEach(v -> refs.put("entries", v));
        } else if (step instanceof Step.FreeShell sh) {
            sh.paramRefs().forEach(r -> refs.put("command", Param.ref(r)));
        } else {
            step.fields().forEach((k, v) -> {
                if (Param.refName(v) != null) {
                    refs.put(k, v);
                }
            });
        }
        return refs;
    }

    /** The checks the steps themselves imply: killing sockets needs ss -K, the orphan limit needs its key. */
    private static Set<Check> derivedChecks(List<RunbookStep> steps) {
        Set<Check> checks = new LinkedHashSet<>();
        for (RunbookStep s : steps) {
            if (s.step() instanceof Step.KillSockets) {
                checks.add(Check.SOCKET_KILL_SUPPORTED);
            }
            if (s.step() instanceof Step.SetSysctl set && set.key().equals("net.ipv4.tcp_max_orphans")) {
                checks.add(Check.ORPHAN_LIMIT_PRESENT);
            }
        }
        return checks;
    }

    private static Integer sourceLine(Object v) {
        if (v == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(String.valueOf(v).strip());
            return n >= 1 ? n : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String sourceText(Object v) {
        if (v == null || String.valueOf(v).isBlank()) {
            return null;
        }
        String t = String.valueOf(v).replaceAll("[\\p{Cntrl}&&[^\\n\\t]]", "?");
        return t.length() > MAX_SOURCE_TEXT ? t.substring(0, MAX_SOURCE_TEXT) + "…" : t;
    }
}
