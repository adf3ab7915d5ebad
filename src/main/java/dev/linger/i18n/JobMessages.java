package dev.linger.i18n;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The texts of the job, approval and propose pages, in English; {@code messages/job_zh.properties} has each in Simplified
 * Chinese (MessageBundlesTest keeps the key sets equal). Templates write {@code {job:key}}.
 * A text that holds markup or quote characters is written {@code .raw} in the template (else the page
 * would escape its quotes), and then each text parameter in it escapes itself with {@code .html}.
 */
@MessageBundle(value = "job", locale = "en")
public interface JobMessages {

    // Jobs and approvals
    @Message("Only approvers decide on jobs. Jobs waiting for a decision are on the <a href=\"/jobs?status=PENDING_APPROVAL\">jobs list</a>.")
    String approvalsOnlyApprovers();

    @Message("Nothing waits for your approval.")
    String approvalsNothingWaits();

    @Message("Jobs proposed by others wait here with their plan: every command, every value it changes and its blast radius. Nobody approves their own job.")
    String approvalsExplained();

    @Message(" on <strong>{host.html}</strong>")
    String approvalsOnHost(String host);

    @Message("rollback of #{job}")
    String rollbackOf(Long job);

    @Message("asked by {who}: “{reason}”")
    String approvalsAskedBy(String who, String reason);

    @Message("{current} of {needed} approvals")
    String approvalsCount(long current, int needed);

    @Message(", one from an admin")
    String approvalsOneFromAdmin();

    @Message("expires")
    String expires();

    @Message("No jobs with status {status}.")
    String noneWithStatus(String status);

    @Message("No jobs.")
    String none();

    @Message("A job runs a runbook on one host after approval. Propose one from an incident (\"Remediate…\") or from a runbook's page.")
    String explained();

    @Message("Jobs, newest first")
    String listCaption();

    @Message("Propose a job")
    String proposeTitle();

    @Message("For incident <a href=\"/incidents/{id}\">{kind.html} {where.html} on {host.html}</a>.")
    String proposeForIncident(long id, String kind, String where, String host);

    @Message("Nothing was proposed: {count} problem(s) are marked below.")
    String proposeProblems(int count);

    @Message("Use this runbook")
    String proposeUseRunbook();

    @Message("Why (approvers read it)")
    String proposeWhy();

    @Message("Propose: show the plan")
    String proposeButton();

    @Message("Linger reads the host's current values for the plan. Nothing changes on the host until the job is approved and runs.")
    String proposeNothingChanges();

    @Message("Job #{id}")
    String title(long id);

    @Message("Job #{id}: {runbook} on {host}")
    String heading(long id, String runbook, String host);

    @Message("Rollback of <a href=\"/jobs/{job}\">job #{job}</a>")
    String rollbackOfLink(Long job);

    @Message("runbook")
    String runbook();

    @Message("for <a href=\"/incidents/{incident}\">incident #{incident}</a>")
    String forIncident(Long incident);

    @Message("Why:")
    String why();

    @Message("Status:")
    String status();

    @Message("{current} of {needed} approvals on the current plan")
    String approvalsOnPlan(long current, int needed);

    @Message(", one of them from an admin")
    String oneOfThemAdmin();

    @Message(". Expires")
    String expiresAt();

    @Message("UTC.")
    String utcEnd();

    @Message("Approved: it starts as soon as a worker is free and its host runs no other job")
    String queued();

    @Message(" (HIGH and CRITICAL jobs also wait for the host's maintenance window)")
    String queuedWindow();

    @Message(".")
    String queuedEnd();

    @Message("Confirm step {n}: done by hand")
    String confirmStep(int n);

    @Message("Cancel this job")
    String cancel();

    @Message("Step log")
    String stepLog();

    @Message("exit {code}")
    String exit(Integer code);

    @Message("confirmed by {who}")
    String confirmedBy(String who);

    @Message("Output")
    String output();

    @Message("Errors")
    String errors();

    @Message("Sysctl changes: before and after")
    String sysctlChanges();

    @Message("Every sysctl this job changed, recorded before the change and confirmed after")
    String sysctlCaption();

    @Message("not confirmed")
    String notConfirmed();

    @Message("persistent ({file})")
    String persistent(String file);

    @Message("runtime")
    String runtime();

    @Message("Roll back")
    String rollBack();

    @Message("Proposes a new job, with its own approval, that puts every recorded value back in reverse order. It stops where a value drifted since this job left it, unless an approver overrides.")
    String rollBackExplained();

    @Message("Why roll back")
    String whyRollBack();

    @Message("Propose the rollback")
    String proposeRollback();

    @Message("Rollbacks of this job:")
    String rollbacksOfThis();

    @Message("Plan")
    String plan();

    @Message("Plan hash <code>{hash.html}</code>: approvals count only for this exact plan.")
    String planHash(String hash);

    @Message("No decision yet.")
    String noDecision();

    @Message(" (admin)")
    String byAdmin();

    @Message(": “{comment}”")
    String comment(String comment);

    @Message("(for an earlier plan: does not count)")
    String earlierPlan();

    @Message("Comment (optional)")
    String commentLabel();

    @Message("Override drift: undo even where a value changed since the job left it")
    String overrideDrift();

    @Message("Approve this plan")
    String approve();

    @Message("Reject")
    String reject();

    // Why the decision form is not shown (job page)
    @Message("Only approvers decide on jobs.")
    String whyNotApprover();

    @Message("You proposed this job: another approver decides on it.")
    String whyNotOwnJob();

    @Message("You already decided on this plan.")
    String whyNotDecided();

    // issue 12 item 8: NOTE steps visible to approvers
    @Message("Step {n} waits until this is done by hand and someone confirms it:")
    String noteWaiting(int n);

    // issue 12 item 9: a failed check overridden on the proposal form
    @Message("Override a failed check: why propose it anyway?")
    String overrideLabel();

    @Message("Leave empty unless a check shows this runbook cannot help on this host. An override is shown in red in the plan, is audited, and needs one more approval.")
    String overrideHint();

    @Message("A check shows this runbook cannot help on this host. To propose it anyway, say why here.")
    String overrideNeeded();

    @Message("Proposed although a check shows it cannot help here")
    String overrideHeading();

    @Message("{who} overrode the failed check: “{reason}”. One more approval is needed than the risk alone asks for.")
    String overrideWhy(String who, String reason);

    // issue 12 item 12: maintenance windows
    @Message("Approved. It waits for the host's maintenance window and starts at <time datetime=\"{iso.html}\">{shown.html}</time> UTC.")
    String startsAt(String iso, String shown);

    @Message("starts {shown} UTC")
    String listStartsAt(String shown);

    @Message("Start now, before the window")
    String startNowHeading();

    @Message("Starting now is a decision of its own: audited with your reason, and never by the person who proposed the job.")
    String startNowExplained();

    @Message("Why start it now?")
    String startNowLabel();

    @Message("Start now")
    String startNowButton();

    @Message("Job {id} starts now, ahead of the maintenance window.")
    String startedNow(long id);

    @Message("Started ahead of the maintenance window by {who}: “{reason}”.")
    String startedNowBy(String who, String reason);

    // issue 12 item 17: job page truths
    @Message("Values at planning")
    String valuesAtPlanning();

    @Message("Recorded before → after")
    String valuesRecorded();

    // issue 13: jobs act inside the incident's network namespace
    @Message("Network namespace")
    String netnsHeading();

    @Message("Every command of this job runs inside {where} (net:[{inode}]), found again by its inode when the job runs; if that namespace is gone or was replaced by then, the job fails before its first change.")
    String netnsExplained(String where, long inode);

    @Message("The job’s network namespace, {where} (net:[{inode}]), is gone: no process is left in it (the container stopped or was removed). Nothing was changed.")
    String netnsGone(String where, long inode);

    @Message("The job’s network namespace, {where} (net:[{inode}]), was replaced: its container restarted and now runs in net:[{now}]. Nothing was changed; propose the job again for the new namespace.")
    String netnsReplaced(String where, long inode, long now);

    @Message("The job’s network namespace, {where} (net:[{inode}]), belongs to an earlier boot: the host restarted since the job was planned. Nothing was changed.")
    String netnsRebooted(String where, long inode);

    @Message("Linger could not tell whether the job’s network namespace, {where} (net:[{inode}]), still exists (exit code {code}). Nothing was changed.")
    String netnsUnknown(String where, long inode, int code);

    @Message("the job’s network namespace, {where} (net:[{inode}]), disappeared while the job ran; this step did not run")
    String netnsLost(String where, long inode);

    @Message("PERSIST_SYSCTL is refused inside {where}: a file under /etc/sysctl.d is applied at boot to the host’s own network namespace, not to this one, so it would change the host and never the container")
    String netnsPersistRefused(String where);
}
