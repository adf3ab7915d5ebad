package dev.linger.runbook;

/**
 * A step in its place in a runbook; an imported step keeps the document line it came from.
 *
 * @param sourceLine 1-based line of the source document, null when written by hand
 * @param sourceText that line (or lines) as the document had it
 */
public record RunbookStep(Step step, Integer sourceLine, String sourceText) {

    public static RunbookStep of(Step step) {
        return new RunbookStep(step, null, null);
    }
}
