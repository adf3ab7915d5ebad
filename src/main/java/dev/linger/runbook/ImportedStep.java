package dev.linger.runbook;

import dev.linger.i18n.Text;

/**
 * A step read from a document, with the line it came from and what a person should know before
 * keeping it.
 *
 * @param sourceLine 1-based line of the document (the first line of a group)
 * @param sourceText that line, or the group's lines joined with "\n", at most 2000 characters
 * @param flag       null when the line typed cleanly; otherwise why it became a NOTE
 * @param warning    the reason for the flag, or a remark on a typed step ({@code step.import…}); null when there
 *                   is none
 */
public record ImportedStep(Step step, int sourceLine, String sourceText, Flag flag, Text warning) {

    public enum Flag {
        /** The document does something that harms the host (restart the network, kill a copied pid). */
        DANGEROUS,
        /** The document does by hand what a typed step already does. */
        NEEDLESS,
        /** A command Linger cannot run as a typed step; kept as a manual instruction. */
        UNTYPED
    }
}
