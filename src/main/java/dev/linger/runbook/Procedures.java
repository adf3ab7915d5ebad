package dev.linger.runbook;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import dev.linger.incident.IncidentKind;

/**
 * Cuts an imported document's steps into one runbook per procedure. A procedure's subject is the incident kind
 * its steps act on (the orphan limit and FIN-WAIT-1 sockets: FIN_WAIT1_STUCK; keepalive and CLOSE-WAIT sockets:
 * CLOSE_WAIT_LEAK); when the subject changes, a new procedure starts, at the heading that introduces it. Steps
 * about neither (notes, other keys) stay with the procedure they sit in.
 */
final class Procedures {

    /** A heading, or a short line ending in ':'; {@code line} counts from 0. */
    record Heading(int line, String text) {
    }

    private Procedures() {
    }

    static List<ImportResult.Proposal> split(List<ImportedStep> steps, List<Heading> headings, Param port,
            String givenTitle, String documentTitle) {
        if (steps.isEmpty()) {
            return List.of(new ImportResult.Proposal(givenTitle.isEmpty() ? documentTitle : givenTitle, List.of(),
                    Set.of(), Risk.LOW, port == null ? List.of() : List.of(port), List.of(), List.of()));
        }
        List<Integer> starts = new ArrayList<>(List.of(0));
        List<Heading> opening = new ArrayList<>();
        opening.add(null);
        IncidentKind current = null;
        int lastOfCurrent = -1;
        for (int i = 0; i < steps.size(); i++) {
            IncidentKind k = kindOf(steps.get(i).step());
            if (k == null) {
                continue;
            }
            if (current != null && k != current) {
                Heading h = openingHeading(headings, steps.get(lastOfCurrent).sourceLine(), steps.get(i).sourceLine(),
                        k);
                int start = i;
                if (h != null) {
                    for (int j = lastOfCurrent + 1; j <= i; j++) {
                        if (steps.get(j).sourceLine() > h.line()) { // sourceLine counts from 1: after the heading
                            start = j;
                            break;
                        }
                    }
                }
                starts.add(start);
                opening.add(h);
            }
            current = k;
            lastOfCurrent = i;
        }
        List<ImportResult.Proposal> out = new ArrayList<>();
        for (int p = 0; p < starts.size(); p++) {
            List<ImportedStep> part = steps.subList(starts.get(p), p + 1 < starts.size() ? starts.get(p + 1)
                    : steps.size());
            out.add(proposal(part, headings, opening.get(p), port, givenTitle, documentTitle, starts.size() > 1, p));
        }
        return out;
    }

    private static ImportResult.Proposal proposal(List<ImportedStep> part, List<Heading> headings, Heading opening,
            Param port, String givenTitle, String documentTitle, boolean several, int index) {
        List<IncidentKind> fits = new ArrayList<>();
        Set<Check> checks = new LinkedHashSet<>();
        boolean usesPort = false;
        for (ImportedStep s : part) {
            IncidentKind k = kindOf(s.step());
            if (k != null && !fits.contains(k)) {
                fits.add(k);
            }
            checks.addAll(checksOf(s.step()));
            usesPort |= s.step().paramRefs().contains("port");
        }
        List<Param> params = new ArrayList<>();
        if (usesPort && port != null) {
            params.add(port);
        } else if (checks.contains(Check.KEEPALIVE_IN_USE)) {
            // the check looks at the incident's port, as the shipped keepalive runbooks do
            params.add(new Param("port", Param.Type.PORT, "Port", null, Param.Source.INCIDENT_PORT));
        }
        Risk risk = RiskFloor.of(part.stream().map(ImportedStep::step).toList()).floor();
        String heading = heading(part, headings, opening, fits, index == 0);
        String title;
        if (!several) {
            title = !givenTitle.isEmpty() ? givenTitle : heading != null ? heading : documentTitle;
        } else {
            String own = heading != null ? heading : documentTitle + " (" + (index + 1) + ")";
            title = givenTitle.isEmpty() ? own : givenTitle + ": " + own;
        }
        return new ImportResult.Proposal(DocumentOutline.oneLine(title), fits, checks, risk, params, part,
                mismatches(part));
    }

    /** The heading between two subjects that introduces the new one: the first naming it, else the first. */
    private static Heading openingHeading(List<Heading> headings, int afterLine, int uptoLine, IncidentKind kind) {
        Heading first = null;
        Heading naming = null;
        for (Heading h : headings) {
            int line = h.line() + 1;
            if (line > afterLine && line <= uptoLine) {
                first = first == null ? h : first;
                naming = naming == null && names(h.text(), kind) ? h : naming;
            }
        }
        return naming != null ? naming : first;
    }

    /**
     * The procedure's own heading: the first one before its first subject step that names its subject, looking
     * back to the heading that opened it (or the document's start); else the heading that opened it.
     */
    private static String heading(List<ImportedStep> part, List<Heading> headings, Heading opening,
            List<IncidentKind> fits, boolean first) {
        int from = opening != null ? opening.line() + 1 : first ? 0 : part.get(0).sourceLine();
        int to = part.stream().filter(s -> kindOf(s.step()) != null).findFirst().orElse(part.get(0)).sourceLine();
        Heading naming = null;
        for (Heading h : headings) {
            int line = h.line() + 1;
            if (naming == null && line >= from && line <= to && fits.stream().anyMatch(k -> names(h.text(), k))) {
                naming = h;
            }
        }
        Heading chosen = naming != null ? naming : opening;
        if (chosen == null) {
            return null;
        }
        String t = chosen.text().strip().replaceAll("^#+\\s*", "").replaceAll("\\s#+$", "").strip();
        java.util.regex.Matcher marker = DocumentOutline.MARKER.matcher(t);
        t = (marker.lookingAt() ? t.substring(marker.end()) : t).replaceAll("[:：]+$", "").strip();
        return t.isEmpty() ? null : t;
    }

    static IncidentKind kindOf(Step s) {
        if (s instanceof Step.SetSysctl x) {
            return keyKind(x.key());
        } else if (s instanceof Step.ReadSysctl x) {
            return keyKind(x.key());
        } else if (s instanceof Step.RestoreSysctl x) {
            return keyKind(x.key());
        } else if (s instanceof Step.PersistSysctl x) {
            return x.entries().keySet().stream().map(Procedures::keyKind).filter(java.util.Objects::nonNull)
                    .findFirst().orElse(null);
        } else if (s instanceof Step.WaitSockets x) {
            return stateKind(x.state());
        } else if (s instanceof Step.KillSockets x) {
            return stateKind(x.state());
        }
        return null;
    }

    private static IncidentKind keyKind(String key) {
        if (key.endsWith(".tcp_max_orphans") || key.endsWith(".tcp_orphan_retries")) {
            return IncidentKind.FIN_WAIT1_STUCK;
        }
        return key.contains(".tcp_keepalive_") ? IncidentKind.CLOSE_WAIT_LEAK : null;
    }

    private static IncidentKind stateKind(TcpState state) {
        return switch (state) {
            case FIN_WAIT1 -> IncidentKind.FIN_WAIT1_STUCK;
            case CLOSE_WAIT -> IncidentKind.CLOSE_WAIT_LEAK;
            default -> null;
        };
    }

    /** The checks the shipped runbooks have for the same step. */
    static Set<Check> checksOf(Step s) {
        if (s instanceof Step.KillSockets) {
            return Set.of(Check.SOCKET_KILL_SUPPORTED);
        }
        if (s instanceof Step.SetSysctl x && x.key().equals("net.ipv4.tcp_max_orphans")) {
            return Set.of(Check.ORPHAN_LIMIT_PRESENT);
        }
        boolean keepalive = s instanceof Step.SetSysctl x && x.key().contains(".tcp_keepalive_")
                || s instanceof Step.PersistSysctl p && p.entries().keySet().stream()
                        .anyMatch(k -> k.contains(".tcp_keepalive_"));
        return keepalive ? Set.of(Check.KEEPALIVE_IN_USE) : Set.of();
    }

    /** Whether a heading names a kind's subject: its TCP state, or what its runbooks act on. */
    private static boolean names(String text, IncidentKind kind) {
        String folded = text.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "");
        return switch (kind) {
            case FIN_WAIT1_STUCK -> folded.contains("FINWAIT1") || folded.contains("ORPHAN") || text.contains("孤儿");
            case CLOSE_WAIT_LEAK -> folded.contains("CLOSEWAIT") || folded.contains("KEEPALIVE");
            default -> false;
        };
    }

    /** Keys the procedure sets to one literal value at runtime and persists with another. */
    private static List<ImportResult.Mismatch> mismatches(List<ImportedStep> part) {
        Map<String, ImportedStep> set = new LinkedHashMap<>();
        Map<String, String> setValue = new LinkedHashMap<>();
        List<ImportResult.Mismatch> out = new ArrayList<>();
        for (ImportedStep s : part) {
            if (s.step() instanceof Step.SetSysctl x && Param.refName(x.value()) == null) {
                set.putIfAbsent(x.key(), s);
                setValue.putIfAbsent(x.key(), SysctlRules.normalizeValue(x.value()));
            } else if (s.step() instanceof Step.RestoreSysctl x) {
                // a value set for a while and put back was never meant to last
                set.remove(x.key());
                setValue.remove(x.key());
            } else if (s.step() instanceof Step.PersistSysctl p) {
                p.entries().forEach((key, value) -> {
                    String runtime = setValue.get(key);
                    if (runtime != null && Param.refName(value) == null
                            && !runtime.equals(SysctlRules.normalizeValue(value))) {
                        out.add(new ImportResult.Mismatch(key, runtime, set.get(key).sourceLine(),
                                SysctlRules.normalizeValue(value), s.sourceLine()));
                    }
                });
            }
        }
        return out;
    }
}
