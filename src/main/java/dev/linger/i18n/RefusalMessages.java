package dev.linger.i18n;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * Refusals of input ({@link dev.linger.InvalidInput}) and of an action (forbidden, not found), in English;
 * {@code messages/refuse_zh.properties} has each in Simplified Chinese. A refusal is a {@link Text} with one of these
 * keys; pages render it in the page's language, the API in the caller's (English unless Accept-Language asks
 * otherwise). Plain text, no markup; values that are not numbers sit in typographic quotes, never ASCII ones.
 */
@MessageBundle(value = "refuse", locale = "en")
public interface RefusalMessages {

    // issue 15

    /** Two refusals said as one: a flash message or a log line. */
    @Message("{first} {second}")
    String both(String first, String second);

    /** A request body that is not the object a route takes; {shape} is the object's outline in JSON. */
    @Message("Send a JSON object: {shape}.")
    String sendJson(String shape);

    @Message("Remove the invisible direction marks (U+202A–U+202E, U+2066–U+2069) or broken characters.")
    String hiddenOrBroken();

    @Message("Enter a whole number.")
    String wholeNumber();

    // the host form and the host key
    @Message("Enter a name.")
    String hostNameMissing();

    @Message("Use up to 63 letters, digits, dots, dashes or underscores, starting with a letter or digit.")
    String hostNameForm();

    @Message("Transport is SSH or LOCAL.")
    String transport();

    @Message("The SSH port is a number from 1 to 65535.")
    String sshPort();

    @Message("Use a plain Unix user name: lower-case letters, digits, '_', '-' or '.', up to 32.")
    String sshUser();

    @Message("Collect every 5 to 86400 seconds.")
    String interval();

    @Message("List up to 50 ports, each from 1 to 65535.")
    String servicePorts();

    @Message("At most {max} labels, each a letter or digit followed by up to 62 of letters, digits and . _ / = : -")
    String hostLabels(long max);

    @Message("Open a CLOSE-WAIT incident at 1 to 1,000,000 sockets.")
    String closeWait();

    @Message("Wait 1 to 86400 seconds before calling FIN-WAIT-1 stuck.")
    String finWait1();

    @Message("Write the maintenance window as HH:MM-HH:MM in UTC, e.g. 22:00-06:00 (it may span midnight), or leave it empty.")
    String window();

    @Message("Enter a DNS name or an IP address.")
    String addressMissing();

    @Message("An address cannot start with '-'.")
    String addressDash();

    @Message("This is not a valid IPv6 address.")
    String addressIpv6();

    @Message("Enter a DNS name (like db-1.example.net) or an IP address (like 192.0.2.10 or 2001:db8::10).")
    String addressForm();

    @Message("This machine is already registered as a LOCAL host.")
    String localTaken();

    @Message("The transport of a host cannot change; add a new host instead.")
    String transportFixed();

    @Message("A host named “{name}” already exists.")
    String hostNameTaken(String name);

    @Message("Jobs of {host} are still pending, queued or running ({count}); cancel them or let them finish before removing the host.")
    String hostHasLiveJobs(String host, long count);

    @Message("A LOCAL host has no SSH host key.")
    String localNoKey();

    @Message("Give the fingerprint in OpenSSH's form, SHA256:… (43 characters after the colon).")
    String fingerprintForm();

    @Message("Linger has not seen this host's key yet; wait for the next collection attempt or press Collect now.")
    String keyNotSeen();

    @Message("The host presented {presented}, not {given}. Check the key on the host itself (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub).")
    String keyMismatch(String presented, String given);

    @Message("There is no host {id}.")
    String noHost(long id);

    @Message("Host {id} has no snapshot yet.")
    String noSnapshot(long id);

    // users, roles and passwords
    @Message("Enter a user name.")
    String userNameMissing();

    @Message("Use 2 to 32 characters: a letter first, then letters, digits, dot, dash or underscore.")
    String userNameForm();

    @Message("A user named “{name}” already exists.")
    String userNameTaken(String name);

    @Message("There is no role “{role}”; the roles are {roles}.")
    String unknownRole(String role, String roles);

    @Message("Choose at least one role.")
    String noRole();

    @Message("You cannot take the admin role from yourself.")
    String ownAdmin();

    @Message("You cannot disable your own account.")
    String disableSelf();

    @Message("This decision needs a recent sign-in (within {minutes} minutes): enter your password again in the"
            + " same form, confirm with the sign-in provider, or, from a script, use an API token with the approve"
            + " scope.")
    String stepUpNeeded(long minutes);

    @Message("This account uses codes from an authenticator app: enter the current code with the password. Nothing"
            + " was decided.")
    String stepUpCodeNeeded();

    @Message("That password or code is not right; nothing was decided.")
    String stepUpWrongPassword();

    @Message("Too many wrong passwords from here; try again in {seconds} s. Nothing was decided.")
    String stepUpThrottled(long seconds);

    @Message("Codes from an authenticator app are already on for this account.")
    String totpAlreadyOn();

    @Message("Start setting up codes first: the page shows a QR code to scan.")
    String totpNotStarted();

    @Message("That code is not the one your app shows now. Check the phone's time, and type the newest code.")
    String totpWrong();

    @Message("Accounts that sign in through the provider use the provider's own second factor.")
    String totpProvider();

    @Message("This account uses codes from an authenticator app, which HTTP Basic cannot carry: use an API token.")
    String totpBasic();

    @Message("Set up sign-in codes for yourself first (Account page): once they are required, an admin without them"
            + " can open nothing else.")
    String codesFirstYourself();

    @Message("A silence must match something: a host, a host label, a namespace, a kind or a port. One that matches"
            + " everything would silence the whole fleet.")
    String silenceMatchesAll();

    @Message("{kind} is not an incident kind.")
    String silenceKind(String kind);

    @Message("A namespace is a name, a container id or a pod, up to 200 visible characters.")
    String silenceNamespace();

    @Message("A host label is a letter or digit followed by up to 62 of letters, digits and . _ / = : -")
    String silenceLabel();

    @Message("Say why (1 to {max} characters): the next person on call reads it.")
    String silenceComment(long max);

    @Message("Give an end (endsAt), or a weekly window.")
    String silenceNoEnd();

    @Message("The end is not after the start.")
    String silenceEndBeforeStart();

    @Message("The end is already past: this silence would silence nothing.")
    String silencePast();

    @Message("A silence lasts at most ten years.")
    String silenceTooLong();

    @Message("{day} is not a day of the week (MON, TUE, … SUN).")
    String silenceDay(String day);

    @Message("A weekly window needs at least one day.")
    String silenceNoDays();

    @Message("A weekly window needs from and to as HH:MM.")
    String silenceTime();

    @Message("From and to are the same time: the window would be empty.")
    String silenceEmptyWindow();

    @Message("{zone} is not a time zone (e.g. Europe/Berlin, UTC).")
    String silenceZone(String zone);

    @Message("Silence for 1 to 72 hours from here; longer ones on the Silences API.")
    String silenceHours();

    @Message("No silence {id}.")
    String noSilence(long id);

    @Message("This is not {system}: send its webhook body, {shape}.")
    String alertShape(String system, String shape);

    @Message("Alertmanager payload version {version} is not known here: send version 4.")
    String alertVersion(String version);

    @Message("At most {max} alerts in one delivery.")
    String alertTooMany(long max);

    @Message("An alert status is firing or resolved (Netdata: warning, critical or clear), not {status}.")
    String alertStatus(String status);

    @Message("The body is larger than {max} bytes: send fewer alerts at once.")
    String alertTooLarge(long max);

    @Message("The body is empty: send the webhook JSON.")
    String alertEmpty();

    @Message("The body is not a JSON object: send the webhook JSON.")
    String alertNotJson();

    @Message("Write the note: 1 to {max} characters, no control characters but line breaks.")
    String noteText(long max);

    @Message("Search for at most {max} characters, on one line.")
    String searchLong(long max);

    @Message("The end of the time span must come after its start.")
    String searchSpan();

    @Message("{value} is not a date (2026-12-05) or a time (2026-12-05T02:14:07Z).")
    String searchTime(String value);

    @Message("No remediation policy {id}.")
    String noPolicy(long id);

    @Message("Name the policy: 1 to 100 visible characters.")
    String policyName();

    @Message("There is already a policy named {name}.")
    String policyNameTaken(String name);

    @Message("Runbook {runbook} runs at {risk} risk: a policy runs LOW runbooks only, people decide the rest.")
    String policyNotLow(String runbook, String risk);

    @Message("From {min} to {max}.")
    String policyRange(long min, long max);

    @Message("No notification channel {id}.")
    String noChannel(long id);

    @Message("No delivery {id}.")
    String noDelivery(long id);

    @Message("Name the channel: 1 to {max} visible characters.")
    String channelName(long max);

    @Message("There is already a channel named {name}.")
    String channelNameTaken(String name);

    @Message("Give an http:// or https:// address with a host and no user name or password in it, up to 2000"
            + " characters.")
    String channelUrl();

    @Message("The body is SLACK or JSON.")
    String channelFormat();

    @Message("The severity is WARNING or CRITICAL.")
    String channelSeverity();

    @Message("Escalate after 1 to 10080 minutes (a week), or leave it empty to be told at once.")
    String channelEscalation();

    @Message("Send true or false, not \"{value}\".")
    String notBoolean(String value);

    @Message("{name} signs in through the provider and has no password to use in an emergency.")
    String breakGlassProvider(String name);

    @Message("Single sign-on is not set up on this Linger, so passwords stay on for everyone.")
    String localOffWithoutProvider();

    @Message("No enabled admin is a break-glass account: turning passwords off would leave nobody to turn them on"
            + " again when the provider is down. Make an admin break-glass first.")
    String localOffWithoutBreakGlass();

    @Message("Your account no longer exists.")
    String accountGone();

    @Message("There is no user {id}.")
    String noUser(long id);

    @Message("The current password is not right.")
    String currentPassword();

    @Message("Enter a password.")
    String passwordMissing();

    @Message("Use at least {min} characters.")
    String passwordShort(int min);

    @Message("Use at most {max} bytes (bcrypt ignores the rest).")
    String passwordLong(int max);

    @Message("Control characters are not allowed in passwords.")
    String passwordControl();

    @Message("Choose a new password, not the current one.")
    String passwordUnchanged();

    @Message("Change your own password on the Account page.")
    String resetSelf();

    // issue 17: personal API tokens
    @Message("Give the token a name of 1 to 100 characters, without control characters.")
    String tokenName();

    @Message("Choose at least one scope: read, operate, approve or admin.")
    String tokenNoScope();

    @Message("There is no scope “{scope}”; the scopes are read, operate, approve and admin.")
    String tokenUnknownScope(String scope);

    @Message("You do not have the role the scope “{scope}” needs, so a token of yours cannot have it.")
    String tokenScopeNotYours(String scope);

    @Message("A token lasts 1 to {max} days.")
    String tokenDays(long max);

    @Message("There is no token {id} of yours.")
    String noToken(long id);

    @Message("Tokens are made on the Account page, with a password, or with a token whose admin scope is in effect.")
    String tokenByToken();

    // incidents
    @Message("Only an open incident can be acknowledged; this one is already acknowledged.")
    String incidentAcknowledged();

    @Message("Only an open incident can be acknowledged; this one is already resolved.")
    String incidentNotOpen();

    @Message("Someone else changed this incident just now; reload it.")
    String incidentRace();

    @Message("This incident is already resolved.")
    String incidentResolved();

    @Message("There is no incident {id}.")
    String noIncident(long id);

    // runbooks
    @Message("A slug is 2 to 63 lower-case letters, digits or '-', e.g. drain-fin-wait1.")
    String slugForm();

    @Message("A runbook called {slug} exists already.")
    String slugTaken(String slug);

    @Message("Version {latest} was saved while you edited version {base}. Open the runbook again and repeat your change on the latest version.")
    String versionRace(long latest, long base);

    @Message("Nothing changed since version {version}.")
    String nothingChanged(long version);

    @Message("Allow 1 to 100000 runs per hour, or null for no limit.")
    String maxRunsPerHour();

    @Message("Keep the change note under {max} characters.")
    String changeNoteLong(long max);

    @Message("The source document is longer than {max} characters.")
    String sourceDocumentLong(long max);

    @Message("Only an admin may lower a runbook’s risk (here from {from} to {to}).")
    String riskLowerAdmin(String from, String to);

    @Message("Only an admin can save or change a CRITICAL runbook.")
    String criticalAdmin();

    @Message("Paste or upload a document to import.")
    String documentEmpty();

    @Message("The document has {length} characters; Linger imports documents of up to {max}.")
    String documentLong(long length, long max);

    @Message("This looks like a binary file, not a text document.")
    String documentBinary();

    @Message("Give the runbook a title.")
    String titleMissing();

    @Message("Keep the title to one line of at most 200 characters.")
    String titleForm();

    @Message("Keep the description under {max} characters.")
    String descriptionLong(long max);

    @Message("Risk is LOW, HIGH or CRITICAL.")
    String riskOne();

    @Message("Incident kinds are {kinds}.")
    String fitsOne(String kinds);

    @Message("Checks are {checks}.")
    String checksOne(String checks);

    @Message("KEEPALIVE_IN_USE looks at a port: give the runbook a PORT parameter.")
    String keepaliveNeedsPort();

    @Message("A runbook has at least one step.")
    String stepsNone();

    @Message("A runbook has at most {max} steps.")
    String stepsMany(long max);

    @Message("A runbook has at most {max} parameters.")
    String paramsMany(long max);

    @Message("Remove the empty parameter.")
    String paramEmpty();

    @Message("A parameter name is lower-case letters, digits and '_', starting with a letter, e.g. port.")
    String paramNameForm();

    @Message("Two parameters are called {name}.")
    String paramNameTwice(String name);

    @Message("A parameter's type is PORT, PID or INTEGER.")
    String paramTypeOne();

    @Message("Keep the label to one line of at most 100 characters.")
    String labelForm();

    @Message("A parameter is filled from INCIDENT_PORT, OWNER_PID or OWNER_PARENT_PID, or left empty.")
    String fromOne();

    @Message("{from} does not fill a {type} parameter.")
    String fromMismatch(String from, String type);

    @Message("This runbook has no parameter “{name}”.")
    String paramUnknown(String name);

    @Message("{label}: {problem}")
    String paramLabeled(String label, String problem);

    @Message("{ref} is not one of this runbook’s parameters.")
    String refUndeclared(String ref);

    @Message("{ref} is a {declared} parameter, but this field takes {expected} values.")
    String refWrongType(String ref, String declared, String expected);

    @Message("Nothing before this step reads or changes {key}, so there is no recorded value to restore.")
    String restoreUnrecorded(String key);

    @Message("A free shell command is allowed only in a runbook an admin marks CRITICAL.")
    String shellNeedsCritical();

    @Message("This runbook’s risk cannot be {risk}: the steps put it at {floor} risk or above. {reasons}")
    String riskBelowFloor(String risk, String floor, String reasons);

    @Message("step {step} runs a free shell command, which can change anything ({floor})")
    String floorShell(long step, String floor);

    @Message("step {step} sets {key}, one value for the whole machine ({floor})")
    String floorMachineWideKey(long step, String key, String floor);

    @Message("step {step} sets {key}, a key Linger does not know, so it may be machine-wide ({floor})")
    String floorUnknownNetKey(long step, String key, String floor);

    @Message("step {step} sets {key}, a machine-wide kernel, memory or file setting outside TCP ({floor})")
    String floorOutsideNetworkKey(long step, String key, String floor);

    @Message("step {step} writes {file} to /etc/sysctl.d, so it outlives a reboot ({floor})")
    String floorPersists(long step, String file, String floor);

    @Message("step {step} destroys every {state} socket of a port, which their program still holds ({floor})")
    String floorKillsHeldSockets(long step, String state, String floor);

    @Message("step {step} sends SIG{signal} to a process, which may end it ({floor})")
    String floorEndsProcess(long step, String signal, String floor);

    // steps
    @Message("The step type is one of {types}.")
    String stepTypeOne(String types);

    @Message("Wait until at most 0 to 1,000,000 sockets remain.")
    String atMost();

    @Message("Check every 1 to 60 seconds.")
    String pollSeconds();

    @Message("Give up after 1 to 3600 seconds.")
    String timeoutSeconds();

    @Message("Check at least once before giving up: the interval must not be longer than the timeout.")
    String pollLongerThanTimeout();

    @Message("Wait 0 to 600 seconds.")
    String settleSeconds();

    @Message("Write the instruction a person follows.")
    String noteEmpty();

    @Message("Write the command.")
    String commandEmpty();

    @Message("A parameter reference is a lower-case name in braces, such as {example}.")
    String refForm(String example);

    @Message("Name a file in /etc/sysctl.d such as 90-linger-keepalive.conf: two digits, a dash, lower-case letters, digits, '.', '_' or '-', ending in .conf.")
    String fileForm();

    @Message("Each line is key = value; “{line}” is not.")
    String entryLine(String line);

    @Message("{key} is listed twice.")
    String entryTwice(String key);

    @Message("List at least one line: key = value.")
    String entriesNone();

    @Message("List at most {max} keys in one file.")
    String entriesMany(long max);

    @Message("The state is one of {states}.")
    String stateOne(String states);

    @Message("Linger does not kill listening sockets: that takes the service down.")
    String noKillListen();

    @Message("The signal is one of {signals}.")
    String signalOne(String signals);

    @Message("Keep it under {max} characters.")
    String textLong(long max);

    @Message("Control characters are not allowed.")
    String textControl();

    @Message("Enter a sysctl key, e.g. net.ipv4.tcp_keepalive_time.")
    String sysctlKeyMissing();

    @Message("A sysctl key is a dotted name like net.ipv4.tcp_keepalive_time: lower-case letters, digits, '_' and '-' under net, kernel, vm, fs, dev, user, abi or crypto.")
    String sysctlKeyForm();

    @Message("Enter a value.")
    String valueMissing();

    @Message("A value is a whole number (or up to four separated by spaces, as in ip_local_port_range); “{value}” is not.")
    String sysctlValueForm(String value);

    @Message("“{value}” is too large for a sysctl.")
    String sysctlTooLarge(String value);

    @Message("{key} takes values from {min} to {max}; {value} is out of range.")
    String sysctlRange(String key, long min, long max, String value);

    @Message("“{value}” is not a whole number.")
    String notWholeNumber(String value);

    @Message("“{value}” is too large.")
    String tooLarge(String value);

    @Message("A port is a number from 1 to 65535.")
    String portRange();

    @Message("A process id is a number from 2 to 4194304.")
    String pidRange();

    @Message("The number is out of range.")
    String numberRange();

    // jobs
    @Message("Choose a runbook.")
    String runbookMissing();

    @Message("Choose a host.")
    String hostMissing();

    @Message("Say why: approvers read it.")
    String reasonMissing();

    @Message("Keep the reason under {max} characters, without control characters.")
    String reasonLong(long max);

    @Message("Keep the override under {max} characters, without control characters.")
    String overrideLong(long max);

    @Message("A network namespace is 0 (the host's own) or the inode of one the host's latest collection lists.")
    String netnsForm();

    @Message("There is no runbook “{name}”.")
    String noRunbook(String name);

    @Message("The host key of {host} changed: trust the new key before Linger runs anything there.")
    String hostKeyChanged(String host);

    @Message("Incident {id} is on another host.")
    String incidentOtherHost(long id);

    @Message("Every check holds on {host}: there is nothing to override. Leave the override empty.")
    String overrideNothing(String host);

    @Message("Incident {id} is in the host’s own network namespace, not {asked}: leave the namespace out to act where the incident is.")
    String netnsIncidentOwn(long id, String asked);

    @Message("Incident {id} is in network namespace net:[{inode}], not {asked}: leave the namespace out to act where the incident is.")
    String netnsIncidentOther(long id, long inode, String asked);

    @Message("Linger cannot tell on which boot of {host} the namespace net:[{inode}] of incident {id} was seen: collect the host again first.")
    String netnsBootUnknown(String host, long inode, long id);

    @Message("The latest collection of {host} shows no network namespace net:[{inode}]. Collect the host again, or choose one it lists.")
    String netnsNotSeen(String host, String inode);

    @Message("The latest collection of {host} did not report the host’s boot id, so a namespace cannot be pinned to it: collect the host again first.")
    String bootUnknown(String host);

    @Message("The decision is APPROVE or REJECT.")
    String decisionOne();

    @Message("Keep the comment under {max} characters.")
    String commentLong(long max);

    @Message("Job {id} is {status}: it takes no more decisions.")
    String jobNoDecisions(long id, String status);

    @Message("Job {id} has expired.")
    String jobExpired(long id);

    @Message("Nobody approves or rejects their own job: ask another approver.")
    String ownApproval();

    @Message("Only a rollback can override drift.")
    String driftOnlyRollback();

    @Message("You already decided on this plan of job {id}.")
    String alreadyDecided(long id);

    @Message("Say why the job starts before the maintenance window (at most {max} characters, without control characters).")
    String earlyReason(long max);

    @Message("Nobody starts their own job ahead of the maintenance window: ask another approver or an admin.")
    String ownEarlyStart();

    @Message("Job {id} is {status} and does not wait for a maintenance window: there is nothing to start now.")
    String notWaitingForWindow(long id, String status);

    @Message("Job {id} changed meanwhile; reload it.")
    String jobChanged(long id);

    @Message("There is no job {id}.")
    String noJob(long id);

    @Message("Only the person who proposed this job, or an admin, can cancel it.")
    String cancelNotYours();

    @Message("Job {id} is {status}: only a job that has not started can be cancelled.")
    String cancelStarted(long id, String status);

    @Message("Step {n} of job {id} is not waiting for a confirmation.")
    String stepNotWaiting(long n, long id);

    @Message("Say why the job is rolled back (at most {max} characters).")
    String rollbackReason(long max);

    @Message("Job {id} is itself a rollback; rolling it back is refused. Propose the runbook again instead.")
    String rollbackOfRollback(long id);

    @Message("Job {id} is {status}: only a job that ran (succeeded, failed or interrupted) can be rolled back.")
    String rollbackNotRan(long id, String status);

    @Message("Job {id} changed no sysctl that is not already rolled back: there is nothing to undo.")
    String nothingToUndo(long id);

    @Message("The host of job {id} was removed.")
    String jobHostRemoved(long id);

    @Message("Job {id} already has a rollback that is pending, running or done.")
    String rollbackExists(long id);

    // job statuses inside refusals (one message per status: the value is said, never shown as the constant)
    @Message("pending approval")
    String statusPendingApproval();

    @Message("queued")
    String statusQueued();

    @Message("running")
    String statusRunning();

    @Message("succeeded")
    String statusSucceeded();

    @Message("failed")
    String statusFailed();

    @Message("rejected")
    String statusRejected();

    @Message("expired")
    String statusExpired();

    @Message("cancelled")
    String statusCancelled();

    @Message("interrupted")
    String statusInterrupted();

    // versions
    @Message("A version is a whole number from 1.")
    String versionForm();

    // query parameters of the API ({name} is the parameter as the script wrote it)
    @Message("{name} is one of {values}.")
    String queryOneOf(String name, String values);

    @Message("{name} must be a whole number, got “{value}”.")
    String queryWholeNumber(String name, String value);

    @Message("{name} must be 0 or more.")
    String queryNotNegative(String name);

    @Message("{name} must be between {min} and {max}.")
    String queryRange(String name, long min, long max);

    @Message("namespace is a container, pod or namespace name, “host”, a container id or pod uid prefix, or a namespace inode: at most {max} characters, no control characters, an inode below 10^18.")
    String queryNamespace(long max);
}
