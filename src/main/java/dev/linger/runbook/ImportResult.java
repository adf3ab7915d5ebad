package dev.linger.runbook;

import java.util.List;

/** What an import read from a document: a title, the port parameter if it saw one, and the steps in order. */
public record ImportResult(String title, List<Param> params, List<ImportedStep> steps) {

    public ImportResult {
        params = List.copyOf(params);
        steps = List.copyOf(steps);
    }
}
