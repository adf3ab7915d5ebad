package dev.linger.i18n;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The texts of the runbook pages, the editor and the import, in English; {@code messages/runbook_zh.properties} has each in Simplified
 * Chinese (MessageBundlesTest keeps the key sets equal). Templates write {@code {runbook:key}}.
 * A text that holds markup or quote characters is written {@code .raw} in the template (else the page
 * would escape its quotes), and then each text parameter in it escapes itself with {@code .html}.
 */
@MessageBundle(value = "runbook", locale = "en")
public interface RunbookMessages {

    // Jobs and approvals
    @Message("Changes")
    String stepChanges();

    @Message("Values now")
    String stepValuesNow();

    @Message("Blast radius")
    String stepBlastRadius();

    @Message("Undo")
    String stepUndo();

    // Runbooks
    @Message("Import from a document")
    String importButton();

    @Message("Write a runbook")
    String write();

    @Message("No runbooks yet.")
    String none();

    @Message("Import your team's troubleshooting notes: Linger turns the commands it recognises into typed, checked steps.")
    String importNotes();

    @Message("Each runbook is a list of typed steps with the exact command each one runs. Editing a runbook adds a version; a job always keeps the version it ran.")
    String listExplained();

    @Message("shipped with Linger")
    String shipped();

    @Message("Import a runbook")
    String importTitle();

    @Message("Import a runbook from a document")
    String importHeading();

    @Message("Paste your team's troubleshooting notes (Markdown or plain text, any language) or upload the file. Linger finds the commands it can type — <code>sysctl -w</code>, reads of a sysctl, repeated socket checks on a port, <code>key = value</code> lines for <code>/etc/sysctl.conf</code> — and shows them next to the document to edit before anything is saved. Commands it cannot type become manual notes; dangerous ones are flagged and left out.")
    String importExplained();

    @Message("Optional: the first heading is used otherwise.")
    String importTitleHint();

    @Message("Document")
    String importDocument();

    @Message("…or upload a file (UTF-8 text, up to 1,000,000 characters)")
    String importUpload();

    @Message("Find the steps")
    String importFindSteps();

    @Message("(a person enters it)")
    String editorPersonEnters();

    @Message("version {version}")
    String version(int version);

    @Message(" (the latest is <a href=\"/runbooks/{slug.html}\">version {version}</a>)")
    String latestIs(String slug, int version);

    @Message("Run on a host…")
    String runOnHost();

    @Message("Edit (adds version {version})")
    String editAddsVersion(int version);

    @Message("What it is for")
    String whatFor();

    @Message("No description.")
    String noDescription();

    @Message("Fits:")
    String fits();

    @Message("no incident kind; offered from this page only")
    String fitsNothing();

    @Message("Runs only where:")
    String runsOnlyWhere();

    @Message("Parameters")
    String parameters();

    @Message("Commands below show <code>\\{name}</code> where a job puts its value. Enter values to see the exact commands.")
    String paramsExplained();

    @Message("filled from the incident ({from})")
    String filledFrom(String from);

    @Message("Show the commands")
    String showCommands();

    @Message("From the document")
    String stepFromDocument();

    @Message("line {line}:")
    String stepLine(Integer line);

    @Message("Source document ({lines} lines; lines that became steps are marked)")
    String sourceDocument(int lines);

    @Message("Versions")
    String versions();

    @Message("Version history")
    String versionHistory();

    @Message("{version} (shown)")
    String shownVersion(int version);

    // Runbook editor
    @Message("Imported steps")
    String editorImportedSteps();

    @Message("New runbook")
    String editorNewRunbook();

    @Message("Edit <code>{slug.html}</code> (version {version} → new version)")
    String editorEditHeading(String slug, Integer version);

    @Message("Steps found in the document")
    String editorStepsFound();

    @Message("Nothing was saved: {count} problem(s) are marked below.")
    String editorProblems(int count);

    @Message("Check each step against the line it came from. Dangerous or needless commands are shown with the reason and left out; tick \"Include\" to keep one as a manual note. Nothing is saved until you press Save.")
    String editorImportExplained();

    @Message("Check")
    String editorCheck();

    @Message("Source document")
    String editorSourceDocument();

    @Message("Short name (slug)")
    String editorSlug();

    @Message("Optional: made from the title. Lower-case letters, digits and dashes.")
    String editorSlugHint();

    @Message("Description: what it fixes, its blast radius, where it does not apply")
    String editorDescription();

    @Message("Low risk needs one approver, high two, critical two including an admin. Only admins save critical runbooks, the only ones that may hold a free shell command.")
    String editorRiskHint();

    @Message("Fits these incidents")
    String editorFits();

    @Message("What changed (kept in the history)")
    String editorChangeNote();

    @Message("A step field can say <code>\\{port}</code> instead of a number; the job fills it in (from the incident where \"filled from\" is set). Values are always numbers.")
    String editorParamsExplained();

    @Message("Parameter {n}")
    String editorParameter(int n);

    @Message("Remove parameter {n}")
    String editorRemoveParameter(int n);

    @Message("Add a parameter")
    String editorAddParameter();

    @Message("Step {n}:")
    String editorStep(int n);

    @Message("line {line}")
    String editorLine(Integer line);

    @Message("From the document:")
    String editorFromDocument();

    @Message("Runs:")
    String editorRuns();

    @Message("Include")
    String editorInclude();

    @Message("Move step {n} up")
    String editorMoveUp(int n);

    @Message("Move step {n} down")
    String editorMoveDown(int n);

    @Message("Remove step {n}")
    String editorRemoveStep(int n);

    @Message("New step")
    String editorNewStep();

    @Message("Add the step")
    String editorAddStep();

    @Message("Save as a new version")
    String editorSaveVersion();

    @Message("Save the runbook")
    String editorSaveRunbook();

    @Message("Check without saving")
    String editorCheckWithoutSaving();

    // Runbook editor: a parameter's fields
    @Message("Name")
    String editorParamName();

    @Message("Type")
    String editorParamType();

    @Message("Label")
    String editorParamLabel();

    @Message("Default")
    String editorParamDefault();

    @Message("Filled from")
    String editorParamFrom();

    // issue 12 item 3: the risk floor on the runbook page
    @Message("Risk floor")
    String floorTitle();

    @Message("The steps put this runbook at {risk} risk or above: nobody can save it lower, and only an admin can lower its risk at all.")
    String floorIs(String risk);

    @Message("The steps need no more than low risk: none of them changes more than one port's sockets or one network namespace's settings.")
    String floorLowOnly();

    @Message("This version is marked {risk} risk, under its floor of {floor} risk: a new version must be {floor} risk or higher.")
    String floorUnder(String risk, String floor);

    @Message("Step {step} runs a free shell command, which can change anything ({floor} risk).")
    String floorShell(int step, String floor);

    @Message("Step {step} sets {key}, one value for the whole machine ({floor} risk).")
    String floorMachineWideKey(int step, String key, String floor);

    @Message("Step {step} sets {key}, a key Linger does not know, so it may be machine-wide ({floor} risk).")
    String floorUnknownNetKey(int step, String key, String floor);

    @Message("Step {step} sets {key}, a machine-wide kernel, memory or file setting outside TCP ({floor} risk).")
    String floorOutsideNetworkKey(int step, String key, String floor);

    @Message("Step {step} writes {key} to /etc/sysctl.d, so it outlives a reboot ({floor} risk).")
    String floorPersists(int step, String key, String floor);

    @Message("Step {step} destroys every {state} socket of a port, which their program still holds ({floor} risk).")
    String floorKillsHeldSockets(int step, String state, String floor);

    @Message("Step {step} sends SIG{signal} to a process, which may end it ({floor} risk).")
    String floorEndsProcess(int step, String signal, String floor);

    // issue 12 item 10: how far an offered runbook reaches, and imported drafts
    @Message("reaches: reads only")
    String offerScopeNone();

    @Message("reaches: one process")
    String offerScopeProcess();

    @Message("reaches: one port's sockets")
    String offerScopePort();

    @Message("reaches: the host's network namespace")
    String offerScopeNamespace();

    @Message("reaches: the whole machine")
    String offerScopeMachine();

    @Message("imported draft, not reviewed")
    String offerImportedDraft();

    // issue 12 item 11: a document with several procedures, its checks and its runtime-vs-persisted values
    @Message("This document describes {count} procedures: each becomes a runbook of its own, with the incident kinds its steps act on. Save this one and the next opens; or open another one now (changes to this one are not kept).")
    String editorProcedures(int count);

    @Message("Procedure {n}: {title} (shown)")
    String editorProcedureShown(int n, String title);

    @Message("Open procedure {n}: {title}")
    String editorOpenProcedure(int n, String title);

    @Message("Checked on the host before it is offered and before it runs")
    String editorChecks();

    @Message("Line {setLine} sets {key} to {runtime} now, but line {persistLine} persists {persisted}: after the next reboot, or once the file is applied, it is {persisted}, not {runtime}.")
    String editorMismatch(String key, String runtime, int setLine, String persisted, int persistLine);

    @Message("Saved {title} as version {version} (/runbooks/{slug}). Here is procedure {n} of {count} of the same document.")
    String editorSavedNext(String title, int version, String slug, int n, int count);

}
