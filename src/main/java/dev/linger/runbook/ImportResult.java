package dev.linger.runbook;

import java.util.List;
import java.util.Set;

import dev.linger.incident.IncidentKind;

/**
 * What an import read from a document: a title, the port parameter if it saw one, the steps in order, and the
 * runbooks it proposes: one per procedure the document describes (a change of subject, such as the orphan
 * drain and the keepalive tuning of the seed post, starts another).
 */
public record ImportResult(String title, List<Param> params, List<ImportedStep> steps, List<Proposal> runbooks) {

    public ImportResult {
        params = List.copyOf(params);
        steps = List.copyOf(steps);
        runbooks = List.copyOf(runbooks);
    }

    /**
     * One proposed runbook: its title (from the procedure's heading), the incident kinds its steps act on, the
     * checks a shipped runbook with the same steps has, the risk its steps need at least, and what to know.
     */
    public record Proposal(String title, List<IncidentKind> fits, Set<Check> checks, Risk risk, List<Param> params,
            List<ImportedStep> steps, List<Mismatch> mismatches) {
        public Proposal {
            fits = List.copyOf(fits);
            checks = java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(checks));
            params = List.copyOf(params);
            steps = List.copyOf(steps);
            mismatches = List.copyOf(mismatches);
        }
    }

    /** The document sets {@code key} to one value at runtime (line {@code setLine}) and persists another. */
    public record Mismatch(String key, String runtime, int setLine, String persisted, int persistLine) {
        /** What a person should know, as a fact ({@code runbook.editorMismatch}). */
        public dev.linger.i18n.Text text() {
            return dev.linger.i18n.Text.of("runbook.editorMismatch", key, runtime, setLine, persisted, persistLine);
        }
    }
}
