package dev.linger.i18n;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * What pages say after an action (the flash message of Post/Redirect/Get) and the Chinese of the services' most
 * common refusals, in English; {@code messages/act_zh.properties} has each in Simplified Chinese. Java code uses
 * these texts (never a template), so values are not escaped here: the layout and the field tag escape the sentence.
 * <p>The refusals ({@code err...}) are shown in English exactly as the service said them ({@link InputErrors} passes
 * English through untouched); their English here says what each one stands for.
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

    // Refusals: the host form and the host key
    @Message("Enter a name.")
    String errHostNameMissing();

    @Message("Use up to 63 letters, digits, dots, dashes or underscores, starting with a letter or digit.")
    String errHostNameForm();

    @Message("Transport is SSH or LOCAL.")
    String errTransport();

    @Message("The SSH port is a number from 1 to 65535.")
    String errSshPort();

    @Message("Use a plain Unix user name: lower-case letters, digits, '_', '-' or '.', up to 32.")
    String errSshUser();

    @Message("Collect every 5 to 86400 seconds.")
    String errInterval();

    @Message("List up to 50 ports, each from 1 to 65535.")
    String errServicePorts();

    @Message("Open a CLOSE-WAIT incident at 1 to 1,000,000 sockets.")
    String errCloseWait();

    @Message("Wait 1 to 86400 seconds before calling FIN-WAIT-1 stuck.")
    String errFinWait1();

    @Message("Write the maintenance window as HH:MM-HH:MM in UTC, e.g. 22:00-06:00 (it may span midnight), or leave it empty.")
    String errWindow();

    @Message("Enter a DNS name or an IP address.")
    String errAddressMissing();

    @Message("An address cannot start with '-'.")
    String errAddressDash();

    @Message("This is not a valid IPv6 address.")
    String errAddressIpv6();

    @Message("Enter a DNS name (like db-1.example.net) or an IP address (like 192.0.2.10 or 2001:db8::10).")
    String errAddressForm();

    @Message("Enter a whole number.")
    String errWholeNumber();

    @Message("This machine is already registered as a LOCAL host.")
    String errLocalTaken();

    @Message("The transport of a host cannot change; add a new host instead.")
    String errTransportFixed();

    @Message("A host with this name already exists.")
    String errHostNameTaken();

    @Message("A LOCAL host has no SSH host key.")
    String errLocalNoKey();

    @Message("Give the fingerprint in OpenSSH's form, SHA256:… (43 characters after the colon).")
    String errFingerprintForm();

    @Message("Linger has not seen this host's key yet; wait for the next collection attempt or press Collect now.")
    String errKeyNotSeen();

    @Message("The host presented {presented}, not {given}. Check the key on the host itself (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub).")
    String errKeyMismatch(String presented, String given);

    // Refusals: users, roles and passwords
    @Message("Enter a user name.")
    String errUserNameMissing();

    @Message("Use 2 to 32 characters: a letter first, then letters, digits, dot, dash or underscore.")
    String errUserNameForm();

    @Message("A user with this name already exists.")
    String errUserNameTaken();

    @Message("Choose at least one role.")
    String errNoRole();

    @Message("You cannot take the admin role from yourself.")
    String errOwnAdmin();

    @Message("You cannot disable your own account.")
    String errDisableSelf();

    @Message("Your account no longer exists.")
    String errAccountGone();

    @Message("The current password is not right.")
    String errCurrentPassword();

    @Message("Enter a password.")
    String errPasswordMissing();

    @Message("Use at least {min} characters.")
    String errPasswordShort(int min);

    @Message("Use at most {max} bytes (bcrypt ignores the rest).")
    String errPasswordLong(int max);

    @Message("Control characters are not allowed in passwords.")
    String errPasswordControl();

    // Refusals: incidents
    @Message("Only an open incident can be acknowledged; this one is already acknowledged or resolved.")
    String errIncidentNotOpen();

    @Message("Someone else changed this incident just now; reload it.")
    String errIncidentRace();

    @Message("This incident is already resolved.")
    String errIncidentResolved();

    // issue 12 item 6: bidirectional controls and lone surrogates in free text
    @Message("Remove the invisible direction marks (U+202A–U+202E, U+2066–U+2069) or broken characters.")
    String errHiddenOrBrokenText();

    // issue 12 item 5: sessions and passwords
    @Message("Choose a new password, not the current one.")
    String errPasswordUnchanged();

    @Message("Change your own password on the Account page.")
    String errResetSelf();
}
