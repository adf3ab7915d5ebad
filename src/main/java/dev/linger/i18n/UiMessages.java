package dev.linger.i18n;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The texts of every other text: the layout, sign-in, errors, overview, incidents, audit, users, account, in English; {@code messages/msg_zh.properties} has each in Simplified
 * Chinese (MessageBundlesTest keeps the key sets equal). Templates write {@code {msg:key}}.
 * A text that holds markup or quote characters is written {@code .raw} in the template (else the page
 * would escape its quotes), and then each text parameter in it escapes itself with {@code .html}.
 * <p>Split in several bundles because Quarkus 3.33 generates broken code for one of more than 300 texts
 * (quarkusio/quarkus#55584).
 */
@MessageBundle(value = "msg", locale = "en")
public interface UiMessages {

    @Message("en")
    String htmlLang();

    @Message("Skip to content")
    String skipToContent();

    @Message("Main")
    String navMain();

    @Message("Overview")
    String navOverview();

    @Message("Hosts")
    String navHosts();

    @Message("Incidents")
    String navIncidents();

    @Message("Approvals")
    String navApprovals();

    @Message("Jobs")
    String navJobs();

    @Message("Runbooks")
    String navRunbooks();

    @Message("Audit")
    String navAudit();

    @Message("Users")
    String navUsers();

    @Message("Sign out")
    String navSignOut();

    @Message("Language")
    String languageSwitch();

    @Message("Linger speaks English (en) and Simplified Chinese (zh); choose one of them.")
    String languageUnknown();

    @Message("The page to return to must be a path on this site, such as /hosts.")
    String languageBackNotLocal();

    // Error pages
    @Message("Reference:")
    String errorReference();

    @Message("Back to the overview")
    String errorBack();

    @Message("That did not work")
    String errorTitle400();

    @Message("Not allowed")
    String errorTitle403();

    @Message("Not found")
    String errorTitle404();

    @Message("Conflict")
    String errorTitle409();

    @Message("Too large")
    String errorTitle413();

    @Message("Something went wrong")
    String errorTitle500();

    @Message("Error {status}")
    String errorTitleOther(int status);

    @Message("Your role does not allow this. Ask an admin if you need it.")
    String errorRoleRefused();

    @Message("There is nothing at this address.")
    String errorNothingHere();

    @Message("Something you sent is larger than Linger accepts (2 MB per request). Shorten it and try again.")
    String errorTooLarge();

    @Message("Linger cannot read this kind of request body here.")
    String errorUnreadableBody();

    @Message("Linger could not use this request.")
    String errorUnusable();

    @Message("Something went wrong on our side. The log has the details under this reference.")
    String errorUnexpected();

    @Message("This form expired or came from another site. Go back, reload the page and send it again.")
    String errorFormExpired();

    // Sign in and out
    @Message("Sign in")
    String loginTitle();

    @Message("Sign in to Linger")
    String loginHeading();

    @Message("User name")
    String loginUserName();

    @Message("Password")
    String loginPassword();

    @Message("Sign in")
    String loginButton();

    @Message("First start? The user is <code>admin</code>; its password is <code>LINGER_ADMIN_PASSWORD</code>, or the one Linger printed in its log.")
    String loginFirstStart();

    @Message("Enter your user name and password.")
    String loginMissing();

    @Message("Too many failed attempts from your address. Try again in {seconds} s.")
    String loginThrottled(long seconds);

    @Message("Wrong user name or password.")
    String loginWrong();

    @Message("Sign out")
    String logoutTitle();

    @Message("Sign out?")
    String logoutHeading();

    @Message("You are signed in as <strong>{name.html}</strong>. Signing out ends this session on this device.")
    String logoutSignedInAs(String name);

    @Message("Sign out")
    String logoutButton();

    @Message("Stay signed in")
    String logoutStay();

    @Message("Signed out.")
    String flashSignedOut();

    // Account
    @Message("Your account")
    String accountTitle();



    @Message("Change your password")
    String accountChangePassword();

    @Message("Current password")
    String accountCurrentPassword();

    @Message("New password")
    String accountNewPassword();

    @Message("At least 10 characters.")
    String accountPasswordHint();

    @Message("New password again")
    String accountNewPasswordAgain();

    @Message("Change password")
    String accountChangePasswordButton();

    @Message("Your password is changed.")
    String flashPasswordChanged();

    // Overview
    @Message("Host key changed on {host}.")
    String overviewKeyChanged(String host);

    @Message("All work on it has stopped until an admin checks the new key.")
    String overviewKeyChangedStopped();

    @Message("Open {host}")
    String overviewOpenHost(String host);

    @Message("No hosts are watched yet.")
    String overviewNoHosts();

    @Message("<a href=\"/hosts/new\">Add a host</a> reached over SSH.")
    String overviewAddHostOverSsh();

    @Message("An admin adds hosts.")
    String overviewAdminAddsHosts();





    @Message("All are collected normally.")
    String overviewAllNormal();

    @Message("key {status}")
    String overviewKeyStatus(String status);

    @Message("and {count} more.")
    String overviewMore(int count);

    @Message("Open incidents")
    String overviewOpenIncidents();

    @Message("Nothing is stuck on the watched hosts.")
    String overviewNothingStuck();

    @Message("Stuck FIN-WAIT-1 and CLOSE-WAIT sockets, defunct owners, orphan pressure and blocked service ports open incidents here.")
    String overviewIncidentsExplained();

    @Message("<strong>{critical}</strong> critical, {warning} warning.")
    String overviewSeverityCounts(Long critical, Long warning);

    @Message(" on {host}")
    String overviewOnHost(String host);

    @Message("({who} is on it)")
    String overviewIsOnIt(String who);

    @Message("asked by {who}")
    String askedBy(String who);

    @Message("Approvals waiting")
    String overviewApprovalsWaiting();

    @Message("Remediation jobs wait for approvers until enough of them have read the plan.")
    String overviewApproversWait();

    @Message("No job waits for you.")
    String overviewNoJobWaits();

    @Message("Remediation jobs wait here until enough approvers have read the plan.")
    String overviewJobsWaitHere();

    @Message("Getting started")
    String overviewGettingStarted();

    @Message("<a href=\"/account\">Change the admin password</a> if Linger generated it.")
    String overviewStepPassword();

    @Message("<a href=\"/users\">Add your team</a>: viewers watch, operators propose jobs, approvers approve them, admins manage everything.")
    String overviewStepTeam();

    @Message("Scripts and chat bots use the JSON API under <code>/api/v1</code> with HTTP Basic, e.g. <code>curl -u alice /api/v1/me</code>.")
    String overviewStepApi();

    @Message("Recent activity")
    String overviewRecentActivity();

    @Message("Nothing has happened yet.")
    String overviewNothingYet();

    @Message("When (UTC)")
    String colWhenUtc();

    @Message("Who")
    String colWho();

    @Message("What")
    String colWhat();

    @Message("Subject")
    String colSubject();

    @Message("The whole audit log")
    String overviewWholeAudit();

    // Hosts
    @Message("Host")
    String colHost();

    @Message("Reached")
    String colReached();

    @Message("Status")
    String colStatus();

    @Message("Host key")
    String colHostKey();

    @Message("Last collected (UTC)")
    String colLastCollectedUtc();

    @Message("Edit {name}")
    String editNamed(String name);

    @Message("Save")
    String save();

    @Message("Cancel")
    String cancel();

    @Message("Edit")
    String edit();

    @Message("Series")
    String colSeries();

    @Message("Now")
    String colNow();

    @Message("Peak")
    String colPeak();

    @Message("Port")
    String colPort();

    @Message("State")
    String colState();

    @Message("Sockets")
    String colSockets();

    @Message("Local")
    String colLocal();

    @Message("Peer")
    String colPeer();

    @Message("Timer")
    String colTimer();

    @Message("Owner")
    String colOwner();

    @Message("← Previous")
    String previous();

    @Message("Page {page} of {pages}")
    String pageOf(int page, int pages);

    @Message("Next →")
    String next();

    // Incidents
    @Message("Kind")
    String colKind();

    @Message("any")
    String any();

    @Message("Show")
    String show();

    @Message("No incident matches.")
    String incidentNoneMatch();

    @Message("Severity")
    String colSeverity();

    @Message("Opened (UTC)")
    String colOpenedUtc();

    @Message("by {who}")
    String byWhom(String who);

    @Message("Refreshes every 15 s while this page is open.")
    String incidentRefreshes();

    @Message(" on <a href=\"/hosts/{hostId}\">{host.html}</a>")
    String incidentOnHost(long hostId, String host);

    @Message("acknowledged by {who}")
    String incidentAcknowledgedBy(String who);

    @Message("opened")
    String incidentOpened();

    @Message("resolved")
    String incidentResolved();

    @Message("UTC by {who}")
    String incidentUtcBy(String who);

    @Message("What is going on")
    String incidentWhatIsGoingOn();

    @Message("I'm on it (acknowledge)")
    String incidentAcknowledge();

    @Message("Resolve")
    String incidentResolve();

    @Message("Runbooks that fit")
    String incidentRunbooksThatFit();

    @Message("No runbook fits a {kind.html} incident yet. <a href=\"/runbooks\">Runbooks</a> can be written or imported from your notes.")
    String incidentNoRunbook(String kind);

    @Message("does not apply to this host")
    String incidentDoesNotApply();

    @Message("Remediate with this runbook…")
    String incidentRemediate();

    @Message("Evidence")
    String incidentEvidence();

    @Message("All notable sockets of {host}")
    String incidentAllSockets(String host);

    @Message("Timeline")
    String incidentTimeline();

    // Jobs and approvals
    @Message("Job")
    String colJob();

    @Message("Runbook")
    String colRunbook();

    @Message("Asked by")
    String colAskedBy();

    @Message("Created (UTC)")
    String colCreatedUtc();

    @Message("Outcome")
    String colOutcome();

    @Message("Step")
    String colStep();

    @Message("Key")
    String colKey();

    @Message("Before")
    String colBefore();

    @Message("Intended")
    String colIntended();

    @Message("After")
    String colAfter();

    @Message("Rolled back")
    String colRolledBack();

    @Message("by")
    String by();

    // Audit
    @Message("Audit log")
    String auditTitle();

    @Message("The chain is intact: all {events} events match their hashes.")
    String auditIntact(long events);

    @Message("The chain is broken at event <strong>#{at}</strong>: {reason.html}. Events before it ({events}) are intact.")
    String auditBroken(Long at, String reason, long events);

    @Message("Action <small>(e.g. <code>user.</code>)</small>")
    String auditActionLabel();

    @Message("Subject type")
    String auditSubjectType();

    @Message("Filter")
    String auditFilter();

    @Message("Clear")
    String auditClear();

    @Message("Verify the chain")
    String auditVerify();

    @Message("Export (JSON Lines)")
    String auditExport();

    @Message("No event matches.")
    String auditNoneMatch();

    @Message("Details")
    String colDetails();

    @Message("Older events →")
    String auditOlder();

    // Users
    @Message("People who can sign in to Linger")
    String userCaption();

    @Message("User")
    String colUser();

    @Message("Roles")
    String colRoles();

    @Message("Added")
    String colAdded();

    @Message("Actions")
    String colActions();

    @Message("Roles of {user}")
    String userRolesOf(String user);

    @Message("Save roles")
    String userSaveRoles();

    @Message("disabled")
    String userDisabled();

    @Message("active")
    String userActive();

    @Message("Enable")
    String userEnable();

    @Message("Disable")
    String userDisable();

    @Message("Add a user")
    String userAdd();

    @Message("2–32 characters: lower-case letters, digits, dot, dash, underscore.")
    String userNameHint();

    @Message("Initial password")
    String userInitialPassword();

    @Message("At least 10 characters. Tell it to the person; they can change it on their Account page.")
    String userInitialPasswordHint();

    @Message("viewer sees; operator proposes jobs; approver approves others' jobs; admin does everything.")
    String userRolesHint();

    @Message("Add user")
    String userAddButton();

    // Runbooks
    @Message("Risk")
    String colRisk();

    @Message("Fits")
    String colFits();

    @Message("Steps")
    String colSteps();

    @Message("Version")
    String colVersion();

    @Message("Last change (UTC)")
    String colLastChangeUtc();

    @Message("Title")
    String fieldTitle();

    @Message("By")
    String colBy();

    @Message("Note")
    String colNote();

    // issue 12 item 6: JSON bodies of the wrong type or shape
    @Message("{field}: {problem}")
    String errorJsonField(String field, String problem);

    @Message("expected text (a JSON string).")
    String jsonExpectedText();

    @Message("expected a whole number, without quotes or decimals.")
    String jsonExpectedWholeNumber();

    @Message("expected true or false, without quotes.")
    String jsonExpectedBoolean();

    @Message("expected a list ([...]).")
    String jsonExpectedList();

    @Message("expected an object (in braces).")
    String jsonExpectedObject();

    @Message("this value has the wrong type.")
    String jsonExpectedOther();

    @Message("the body is not valid JSON (line {line}, column {column}).")
    String jsonNotJsonAt(int line, int column);

    @Message("the body is not valid JSON of the expected shape.")
    String jsonNotJson();

    /** Between the items of a list in a sentence (owners, ports); Chinese uses the enumeration comma. */
    @Message(", ")
    String listSeparator();

    // issue 15 H1

    /** The language's name for itself, shown in the language switch ("English", "中文"). */
    @Message("English")
    String languageName();
}
