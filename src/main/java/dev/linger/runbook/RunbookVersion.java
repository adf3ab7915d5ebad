package dev.linger.runbook;

import java.time.Instant;

/** One stored version of a runbook, checked: what pages, the API and jobs read. */
public record RunbookVersion(long id, String slug, int version, int latestVersion, boolean shipped,
        RunbookDefinition definition, String changeNote, String sourceDocument, Instant createdAt, String createdBy,
        boolean savedByAdmin) {

    /** Shipped with Linger, or saved by an admin: someone answerable looked at it. */
    public boolean reviewed() {
        return shipped || savedByAdmin;
    }

    /** Made from a document and not reviewed yet. */
    public boolean importedDraft() {
        return sourceDocument != null && !reviewed();
    }

    public boolean latest() {
        return version == latestVersion;
    }

    public int nextVersion() {
        return latestVersion + 1;
    }

    /** A version in the history list. */
    public record Info(int version, String title, Risk risk, String changeNote, Instant createdAt, String createdBy) {
    }

    /** A runbook in the list: its latest version. */
    public record Summary(String slug, String title, int version, Risk risk, java.util.List<String> fits, int steps,
            boolean shipped, Instant updatedAt, String updatedBy) {
    }
}
