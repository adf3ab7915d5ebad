package dev.linger.runbook;

import java.util.List;
import java.util.Map;

/**
 * A runbook as a person or a script sends it. Each step is {"type", ...its fields}; keys a
 * runbook answer adds (command, changes, undo, warning) are ignored, so a GET can be edited and
 * sent back.
 *
 * @param checks         what must hold on a host (see {@link Check}); those the steps imply are added
 * @param slug           optional: derived from the title when absent; fixed once created
 * @param changeNote     why this version was made (kept in the version history)
 * @param sourceDocument the document an import started from, kept beside the runbook
 */
public record RunbookInput(String slug, String title, String description, String risk, List<String> fits,
        List<ParamInput> params, List<String> checks, List<Map<String, Object>> steps, String changeNote,
        String sourceDocument) {

    public record ParamInput(String name, String type, String label, String defaultValue, String from) {
    }
}
