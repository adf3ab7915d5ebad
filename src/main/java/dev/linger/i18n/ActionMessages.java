package dev.linger.i18n;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * What pages say after an action (the flash message of Post/Redirect/Get), in English;
 * {@code messages/act_zh.properties} has each in Simplified Chinese. Java code uses these texts (never a template), so
 * values are not escaped here: the layout and the field tag escape the sentence. Refusals are in
 * {@link RefusalMessages}.
 */
@MessageBundle(value = "act", locale = "en")
public interface ActionMessages {

    // Hosts
    @Message("Added {name}. Linger connects within a few seconds and shows the host key for an admin to confirm.")
    String hostAdded(String name);

    @Message("Saved {name}.")
    String hostSaved(String name);

    @Message("Removed {name} and its snapshots.")
    String hostRemoved(String name);

    @Message("Trusted {fingerprint} for {name}. Collecting now.")
    String hostTrusted(String fingerprint, String name);

    @Message("The host key changed: an admin must trust the new key first.")
    String hostKeyChangedFirst();

    @Message("Collected {name} in {millis} ms.")
    String hostCollected(String name, long millis);

    @Message("Collecting {name} failed: {error}")
    String hostCollectFailed(String name, String error);

    @Message("A collection of {name} is already running.")
    String hostCollectRunning(String name);

    // Users and the account
    @Message("Added {name} ({roles}).")
    String userAdded(String name, String roles);

    @Message("{name} now has: {roles}.")
    String userRoles(String name, String roles);

    @Message("{name} is disabled and signed out everywhere.")
    String userDisabled(String name);

    @Message("{name} can sign in again.")
    String userEnabled(String name);

    @Message("Your password is changed.")
    String passwordChanged();

    @Message("The two new passwords differ.")
    String passwordsDiffer();

    // Incidents
    @Message("Acknowledged: the team sees you are on it.")
    String incidentAcknowledged();

    @Message("Resolved. If the condition comes back soon, it reopens.")
    String incidentResolved();

    // Jobs
    @Message("Job {id} proposed: it waits for {approvals} approver(s).")
    String jobProposed(long id, int approvals);

    @Message("Job {id} proposed: it waits for {approvals} approvers including an admin.")
    String jobProposedWithAdmin(long id, int approvals);

    @Message("Approved: the job is queued and starts as soon as its host is free.")
    String jobApprovedQueued();

    @Message("Rejected: the job ends here.")
    String jobRejected();

    @Message("Approved: {current} of {needed} approvals.")
    String jobApprovedSoFar(long current, int needed);

    @Message("Rollback of job {id} proposed as job {rollback}: it needs its own approval.")
    String jobRollbackProposed(long id, long rollback);

    @Message("Cancelled.")
    String jobCancelled();

    @Message("Step {n} confirmed: the job goes on.")
    String jobStepConfirmed(int n);
}
