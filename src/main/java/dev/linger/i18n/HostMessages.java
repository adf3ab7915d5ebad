package dev.linger.i18n;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The texts of the host pages, in English; {@code messages/host_zh.properties} has each in Simplified
 * Chinese (MessageBundlesTest keeps the key sets equal). Templates write {@code {host:key}}.
 * A text that holds markup or quote characters is written {@code .raw} in the template (else the page
 * would escape its quotes), and then each text parameter in it escapes itself with {@code .html}.
 */
@MessageBundle(value = "host", locale = "en")
public interface HostMessages {

    // Hosts
    @Message("Add a host")
    String add();

    @Message("No hosts yet.")
    String none();

    @Message("Linger registers the machine it runs on by itself at its first start.")
    String selfRegistered();

    @Message("<a href=\"/hosts/new\">Add a host</a> reached over SSH: Linger logs in with its own key (<code>LINGER_SSH_PRIVATE_KEY_FILE</code>), so put the matching public key in that user's <code>authorized_keys</code>.")
    String addOverSshKey();

    @Message("Hosts and their state")
    String listCaption();

    @Message("this machine")
    String thisMachine();

    @Message("never")
    String never();

    @Message("Edit host")
    String editTitle();

    @Message("Name")
    String fieldName();

    @Message("How the team calls it: letters, digits, dot, dash, underscore.")
    String fieldNameHint();

    @Message("This is Linger's own machine (LOCAL): no SSH settings.")
    String localNoSsh();

    @Message("Address")
    String fieldAddress();

    @Message("DNS name or IP address.")
    String fieldAddressHint();

    @Message("SSH port")
    String fieldSshPort();

    @Message("SSH user")
    String fieldSshUser();

    @Message("Seeing other users' sockets and processes needs root, or sudo below.")
    String fieldSshUserHint();

    @Message("Run the collector with <code>sudo -n</code>")
    String fieldSudo();

    @Message("Collect every (seconds)")
    String fieldInterval();

    @Message("Service ports")
    String fieldServicePorts();

    @Message("Ports its services must listen on, e.g. 80, 443, 9080: when one has no listener but still has sockets, Linger opens PORT_BLOCKED.")
    String fieldServicePortsHint();

    @Message("CLOSE-WAIT sockets per port that open an incident")
    String fieldCloseWait();

    @Message("Empty: the global setting (10).")
    String fieldCloseWaitHint();

    @Message("Seconds in FIN-WAIT-1 before a port is stuck")
    String fieldFinWait1();

    @Message("Empty: the global setting (60).")
    String fieldFinWait1Hint();

    @Message("Maintenance window (UTC)")
    String fieldWindow();

    @Message("HH:MM-HH:MM, e.g. 22:00-06:00. High- and critical-risk jobs wait for it; empty: any time.")
    String fieldWindowHint();

    @Message("Labels")
    String fieldLabels();

    @Message("Words such as prod or team=payments, separated by commas: notification routes and silences match them.")
    String fieldLabelsHint();

    @Message("Add host")
    String addButton();

    @Message("Remove this host")
    String removeHeading();

    @Message("It leaves the list and is no longer collected; its snapshots go. Its incidents and jobs stay readable under its name, and the audit log keeps the record.")
    String removeExplained();

    @Message("Remove {name}")
    String removeButton(String name);

    @Message("This machine (LOCAL)")
    String thisMachineLocal();

    @Message(" over SSH")
    String overSsh();

    @Message(" with sudo")
    String withSudo();

    @Message("every {seconds} s")
    String every(int seconds);

    @Message("last collected")
    String lastCollected();

    @Message("Host key changed — all work on this host has stopped")
    String keyChangedHeading();

    @Message("Linger trusts <code>{trusted.html}</code>, but the host now presents <code>{presented.html}</code>. That happens after a reinstall, or when something else answers at this address. Nothing has been sent to it.")
    String keyChangedText(String trusted, String presented);

    @Message("Check on the machine itself: <code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</code>.")
    String keyCheckOnMachine();

    @Message("I checked it: trust the new key")
    String trustNewKey();

    @Message("Confirm this host's key")
    String confirmKeyHeading();

    @Message("The host presented <code>{presented.html}</code>. Linger sends nothing until an admin confirms it is the right machine; compare with <code>ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub</code> on the host.")
    String confirmKeyText(String presented);

    @Message("Trust {fingerprint}")
    String trustKey(String fingerprint);

    @Message("Collect now")
    String collectNow();

    @Message("Socket states over time")
    String statesOverTime();

    @Message("Last")
    String last();

    @Message("7 days")
    String sevenDays();

    @Message("No socket outside LISTEN, ESTAB and TIME-WAIT in this window.")
    String noSocketInWindow();

    @Message("Sockets by port and state")
    String socketsByPort();

    @Message("(remote)")
    String remote();

    @Message("\"remote\": outgoing connections, counted under the port they connect to.")
    String remoteExplained();

    @Message("Watched sysctls")
    String watchedSysctls();

    @Message("not in this network namespace")
    String notInNamespace();

    @Message("Orphaned sockets: <strong>{orphans}</strong> · in use {inUse} · TIME-WAIT {timeWait}")
    String sockstat(long orphans, long inUse, long timeWait);

    @Message("Processes of interest")
    String processes();

    @Message("No zombie, defunct leader or socket-holding orphan.")
    String noProcesses();

    @Message("pid {pid} · ppid {ppid} · state {state} · {threads} thread(s)")
    String processFacts(int pid, int ppid, String state, int threads);

    @Message("Notable sockets")
    String notableSockets();

    @Message("None: every socket is listening, established with empty queues, or in TIME-WAIT.")
    String noNotableSockets();

    @Message("{from}–{to} of {total}, taken")
    String socketRange(int from, int to, int total);

    @Message("UTC in {ms} ms.")
    String takenIn(long ms);

    @Message("orphaned (no process)")
    String orphaned();

    @Message("unknown")
    String unknown();

    @Message("Socket pages")
    String socketPages();

    @Message("The collector's output had {count} unreadable line(s); first: {first.html}")
    String collectorProblems(int count, String first);

    @Message("No snapshot yet.")
    String noSnapshot();

    @Message("Confirm the host key above first.")
    String confirmKeyFirst();

    @Message("The first collection runs within {seconds} s; or press Collect now.")
    String firstCollection(int seconds);

    // issue 12 item 13: host grace period, removal confirmation
    @Message("Never reached yet. Last attempt: {error}")
    String neverReachedError(String error);

    @Message("Linger keeps trying. A new host opens no incident and sends no webhook until it has been tried 3 times and 5 minutes have passed since it was added ({attempts} attempt(s) so far): fix the address, port or user now if they are wrong.")
    String neverReachedGrace(int attempts);

    @Message("Remove {name}…")
    String removeStart(String name);

    @Message("Remove {name}?")
    String removeTitle(String name);

    @Message("{name} leaves the host list, the Overview and collection. Kept, under its name marked “archived”: {incidents} incident(s) and {jobs} job(s) with their step logs and sysctl records. Deleted: {snapshots} snapshot(s). Resolved now: {active} active incident(s).")
    String removeWhatHappens(String name, long incidents, long jobs, long snapshots, long active);

    @Message("Type the host's name to confirm")
    String removeConfirmLabel();

    @Message("The name exactly as shown above.")
    String removeConfirmHint();

    @Message("Type the name exactly as shown: {name}. Nothing was removed.")
    String removeConfirmMismatch(String name);

    @Message("{count} job(s) of this host are still pending, queued or running: cancel them or let them finish before removing it.")
    String removeJobsLive(long count);

    // issue 12 item 14: archived hosts keep their history
    @Message("archived")
    String archivedBadge();

    @Message("Removed by {by} at {at} UTC and archived: Linger no longer collects this host. Its incidents and jobs are kept.")
    String archivedNotice(String by, String at);

    // issue 13: the host page per network namespace
    @Message("host")
    String nsHost();

    @Message("ip netns {name}")
    String nsNetns(String name);

    @Message("container {name} ({id})")
    String nsContainer(String name, String id);

    @Message("container {id}")
    String nsContainerNoName(String id);

    @Message("container {name}")
    String nsContainerNoId(String name);

    @Message("pod {name} (uid {uid})")
    String nsPod(String name, String uid);

    @Message("host")
    String kindHost();

    @Message("ip netns")
    String kindNetns();

    @Message("container")
    String kindContainer();

    @Message("pod")
    String kindPod();

    @Message("{notable} notable of {sockets} socket(s)")
    String nsCounts(long notable, long sockets);

    @Message("This {kind} restarted: it has a new network namespace (net:[{old}] → net:[{fresh}]). Sockets of the old one are gone with it.")
    String nsReplaced(String kind, long old, long fresh);

    @Message("restarted (net:[{old}] → net:[{fresh}])")
    String nsReplacedShort(long old, long fresh);

    @Message("{count} network namespace(s): the host's own first, then the busiest.")
    String nsSummary(int count);

    @Message("Not read: Linger reads a namespace's sysctls only while it has notable sockets.")
    String nsSysctlsNotRead();

    @Message("<code>net.ipv4.tcp_max_orphans</code> is machine-wide: it exists only in the host's own namespace.")
    String nsOrphanLimitHostOnly();

    @Message("More network namespaces with notable sockets")
    String nsMoreBusy();

    @Message("{count} network namespace(s) with nothing notable")
    String nsQuiet(int count);

    @Message("Network namespace")
    String colNamespace();

    @Message("Kind")
    String colKind();

    @Message("Notable")
    String colNotable();

    @Message("Sockets")
    String colAllSockets();

    @Message("Network namespaces")
    String nsListCaption();

    // issue 14: the notable sockets by group, and every socket of a port read live ("show all sockets")
    @Message("{count} notable socket(s) in {groups} group(s) by port, state and owner, the most first.")
    String groupsSummary(long count, int groups);

    @Message("{count} smaller group(s) not shown here; the API lists every group.")
    String groupsMore(int count);

    @Message("Unread bytes")
    String colUnread();

    @Message("Timers")
    String colTimers();

    @Message("Since")
    String colSince();

    @Message("max {max}")
    String queueMax(long max);

    @Message("in {with} socket(s)")
    String queueIn(long with);

    @Message("samples")
    String groupSamples();

    @Message("Show all sockets")
    String showAllSockets();

    @Message("Show all sockets of :{port} {state} ({count})")
    String showAllSocketsOf(int port, String state, long count);

    @Message("Samples")
    String samplesHeading();

    @Message("Up to 20 sockets of each group are kept, those with the most queued bytes; show all sockets to read every one from the host now.")
    String samplesExplained();

    @Message("Samples of :{port} {state}, {owner}")
    String samplesOfGroup(int port, String state, String owner);

    @Message("samples of every group")
    String samplesOfEveryGroup();

    @Message("no process")
    String noOwner();

    @Message("All sockets of :{port}")
    String liveTitle(int port);

    @Message("All sockets of :{port} {state}")
    String liveTitleState(int port, String state);

    @Message("Every socket whose local or peer port is {port} in {namespace}, read from the host just now, not from the last collection.")
    String liveExplained(int port, String namespace);

    @Message("Read on the host at")
    String liveReadAt();

    @Message("UTC, in {ms} ms.")
    String liveReadIn(long ms);

    @Message("Read again")
    String liveAgain();

    @Message("Back to the host")
    String liveBack();

    @Message("Side")
    String colSide();

    @Message("local")
    String sideLocal();

    @Message("peer")
    String sidePeer();

    @Message("{total} socket(s) now.")
    String liveTotal(long total);

    @Message("Only the first {listed} of {total} are listed; the counts count every one.")
    String liveCut(int listed, long total);

    @Message("No socket of this port right now.")
    String liveNone();

    @Message("{from}–{to} of {total}, the most queued bytes first")
    String liveRange(int from, int to, int total);

    @Message("What the host reported that Linger could not read: {first}")
    String liveProblems(String first);

    @Message("This host is archived: Linger no longer reads it.")
    String liveArchived();

    @Message("Linger knows no process in network namespace {key} to read it through; collect the host again.")
    String liveNamespaceNoProcess(long key);

    @Message("A live read of this host is already running; try again in a moment.")
    String liveBusy();

    @Message("Could not read the sockets of {host}: {why}")
    String liveFailed(String host, String why);

    @Message("Network namespace {key} is gone: its process exited. Collect the host again to see its namespaces now.")
    String liveNamespaceGone(long key);

    @Message("Give the port to list, a number from 1 to 65535 (port=9080).")
    String livePortMissing();

    @Message("{port} is not a port: give a number from 1 to 65535.")
    String livePortBad(String port);

    @Message("{state} is not a TCP state; use one of {states}.")
    String liveStateBad(String state, String states);

    @Message("{netns} is not a namespace key: give the netns number of the snapshot, 0 for the host itself.")
    String liveNamespaceBad(String netns);

    @Message("The latest snapshot of this host knows no network namespace {key}.")
    String liveNamespaceUnknown(long key);
}
