package dev.linger.i18n;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * What a runbook's steps do and undo, why a runbook applies to a host or not, and what an import found, in English;
 * {@code messages/step_zh.properties} has each in Simplified Chinese. Made as a {@link Text} from the typed step or
 * the check's inputs ({@code dev.linger.runbook.Step#changes}, {@code Applicability}, {@code DocumentImporter}) and
 * rendered by {@link Catalogue#render}, or in templates as {@code {step:key}}. Plain text, no markup.
 */
@MessageBundle(value = "step", locale = "en")
public interface StepFacts {

    // ---- names of things a runbook is made of (enum constants passed by name) ----

    @Message("{#when type}{#is 'READ_SYSCTL'}Read a sysctl{#is 'SET_SYSCTL'}Set a sysctl (runtime)"
            + "{#is 'RESTORE_SYSCTL'}Restore a sysctl to its recorded value{#is 'PERSIST_SYSCTL'}Persist sysctls"
            + "{#is 'WAIT_SOCKETS'}Wait for a port's sockets to drain{#is 'KILL_SOCKETS'}Kill one port's sockets"
            + "{#is 'SIGNAL_PROCESS'}Signal a process{#is 'VERIFY'}Collect again and verify"
            + "{#is 'NOTE'}Manual instruction{#is 'SHELL'}Free shell command{#else}{type}{/when}")
    String type(String type);

    @Message("{#when field}{#is 'KEY'}Sysctl key{#is 'VALUE'}Value{#is 'FILE'}File in /etc/sysctl.d"
            + "{#is 'ENTRIES'}Lines (key = value){#is 'STATE'}TCP state{#is 'PORT'}Local port"
            + "{#is 'AT_MOST'}Until at most{#is 'POLL_SECONDS'}Check every (s){#is 'TIMEOUT_SECONDS'}Give up after (s)"
            + "{#is 'PID'}Process id{#is 'SIGNAL'}Signal{#is 'SETTLE_SECONDS'}Wait before collecting (s)"
            + "{#is 'TEXT'}Instruction{#is 'COMMAND'}Command{#else}{field}{/when}")
    String field(String field);

    @Message("{#when kind}{#is 'NOTHING_TO_UNDO'}nothing to undo{#is 'AUTOMATIC'}undone automatically"
            + "{#is 'IRREVERSIBLE'}irreversible{#is 'MANUAL'}undone by hand{#else}{kind}{/when}")
    String undoKind(String kind);

    @Message("{#when risk}{#is 'LOW'}low{#is 'HIGH'}high{#is 'CRITICAL'}critical{#else}{risk}{/when}")
    String risk(String risk);

    @Message("{#when flag}{#is 'DANGEROUS'}dangerous{#is 'NEEDLESS'}not needed{#is 'UNTYPED'}not typed"
            + "{#else}{flag}{/when}")
    String flag(String flag);

    @Message("{#when type}{#is 'PORT'}port{#is 'PID'}process id{#is 'INTEGER'}whole number{#else}{type}{/when}")
    String paramType(String type);

    @Message("{#when source}{#is 'INCIDENT_PORT'}the incident's port{#is 'OWNER_PID'}the process that holds the incident's sockets"
            + "{#is 'OWNER_PARENT_PID'}the parent of that process"
            + "{#else}{source}{/when}")
    String paramSource(String source);

    @Message("filled from {#when source}{#is 'INCIDENT_PORT'}the incident's port{#is 'OWNER_PID'}the process that"
            + " holds the incident's sockets{#is 'OWNER_PARENT_PID'}the parent of that process{#else}{source}{/when}")
    String filledFrom(String source);

    /** A runbook in a list to pick from (the job form): its title as shown and its risk. */
    @Message("{title} ({#when risk}{#is 'LOW'}low risk{#is 'HIGH'}high risk{#is 'CRITICAL'}critical risk"
            + "{#else}{risk}{/when})")
    String runbookOption(String title, String risk);

    // ---- what a step changes ----

    @Message("Nothing: the value is read and recorded.")
    String changesReadSysctl();

    @Message("The runtime value of {key} becomes {value} (until reboot).{#if global} System-wide: one value for the"
            + " whole machine, every container and service on it.{/if}")
    String changesSetSysctl(String key, String value, boolean global);

    @Message("The runtime value of {key} goes back to what this job recorded before changing it.")
    String changesRestoreSysctl(String key);

    @Message("{key} = {value}")
    String entry(String key, String value);

    @Message("Writes {path} (read at every boot) and applies it now: {entries}.{#if global} System-wide: one value"
            + " for the whole machine, every container and service on it.{/if}")
    String changesPersistSysctl(String path, String entries, boolean global);

    @Message("Nothing: every {pollSeconds} s it counts the {state} sockets on port {port} until {#if atMost == 0}none"
            + " remain{#else}at most {atMost} remain{/if}, for up to {timeoutSeconds} s; then the job fails.")
    String changesWaitSockets(long pollSeconds, String state, String port, long atMost, long timeoutSeconds);

    @Message("Destroys the {state} sockets whose local port is {port}, and no other socket on the host.")
    String changesKillSockets(String state, String port);

    @Message("Sends SIG{signal} to process {pid}{#if signal == 'KILL'}, which ends it without a chance to clean"
            + " up{/if}.")
    String changesSignalProcess(String signal, String pid);

    @Message("Nothing: {#if settleSeconds > 0}after {settleSeconds} s {/if}Linger collects the host again and checks"
            + " that the incident's condition has cleared.")
    String changesVerify(long settleSeconds);

    @Message("Whatever the person does; the job waits until they confirm.")
    String changesNote();

    @Message("Anything: Linger cannot tell what a free command changes.")
    String changesShell();

    // ---- how a step is undone ----

    @Message("Reads only.")
    String undoReadSysctl();

    @Message("Linger sets {key} back to the value it recorded just before.")
    String undoSetSysctl(String key);

    @Message("It is itself the undo: {key} ends where it started, so a rollback has nothing left to put back for it.")
    String undoRestoreSysctl(String key);

    @Message("Linger puts the file's earlier content back (or removes it if it did not exist) and sets each key back"
            + " to the runtime value it recorded.")
    String undoPersistSysctl();

    @Message("Only watches.")
    String undoWaitSockets();

    @Message("Destroyed connections cannot come back; their peers see a reset and reconnect.")
    String undoKillSockets();

    @Message("A process that exited stays gone; its supervisor (systemd or similar) may start it again.")
    String undoSignalProcess();

    @Message("Only looks.")
    String undoVerify();

    @Message("What a person did by hand, they undo by hand.")
    String undoNote();

    @Message("Linger cannot know what a free command changed; undo it by hand.")
    String undoShell();

    // ---- whether a runbook applies to a host (Applicability) ----

    @Message("{#when check}{#is 'ORPHAN_LIMIT_PRESENT'}net.ipv4.tcp_max_orphans exists on the host (the machine's"
            + " own network stack, not a container's or a network namespace's){#is 'SOCKET_KILL_SUPPORTED'}ss -K can"
            + " destroy sockets on the host{#is 'KEEPALIVE_IN_USE'}the port's CLOSE-WAIT sockets use TCP keepalive"
            + "{#else}{check}{/when}")
    String check(String check);

    @Message("Not known yet: no collection has read {key}.")
    String orphanLimitNotKnown(String key);

    @Message("{key} does not exist on this host: its network stack is a container's or a network namespace's own,"
            + " and the orphan limit belongs to the machine's initial namespace. Use the targeted ss -K runbook"
            + " instead.")
    String orphanLimitMissing(String key);

    @Message("{key} is {value} on this host.")
    String orphanLimitIs(String key, String value);

    @Message("Not known yet: no collection has probed ss -K.")
    String socketKillNotKnown();

    @Message("ss -K works on this host.")
    String socketKillWorks();

    @Message("ss -K does not work on this host: the kernel lacks CONFIG_INET_DIAG_DESTROY, or ss is missing or too"
            + " old.")
    String socketKillFails();

    @Message("Not known yet: choose the port first.")
    String keepaliveChoosePort();

    @Message("Not known yet: no recent collection lists sockets.")
    String keepaliveNoSocketList();

    @Message("Not known: the latest collection has no CLOSE-WAIT socket on port {port}.")
    String keepaliveNoCloseWait(long port);

    @Message("{#if closeWait == 1}The CLOSE-WAIT socket on port {port} has no keepalive timer: its program never"
            + " enabled SO_KEEPALIVE, so keepalive settings cannot close it.{#else}None of the {closeWait} CLOSE-WAIT"
            + " sockets on port {port} has a keepalive timer: their program never enabled SO_KEEPALIVE, so keepalive"
            + " settings cannot close them.{/if} The fix is the owning process.")
    String keepaliveNone(long closeWait, long port);

    @Message("{withKeepalive} of the {closeWait} CLOSE-WAIT sockets on port {port} {#if withKeepalive == 1}has{#else}"
            + "have{/if} a keepalive timer{#if withKeepalive != closeWait}; the others will not be affected{/if}.")
    String keepaliveSome(long withKeepalive, long closeWait, long port);

    // ---- what an import found in a document (DocumentImporter) ----

    @Message("Imported from a document.")
    String importedFromDocument();

    @Message("Linger cannot run this as a typed step; kept as a manual instruction.")
    String importUntyped();

    @Message("This command is chained with other shell syntax (;, &&, |, >, $(…) or backticks); Linger will not run"
            + " it.")
    String importChained();

    @Message("Linger shows these sockets on the host page; kept as a manual look.")
    String importManualLook();

    @Message("Restarting the network drops every connection on the host and is not needed: sysctl values apply at"
            + " once.")
    String importNetwork();

    @Message("Rebooting takes the whole host down.")
    String importReboot();

    @Message("A pid copied from a document is a guess: on this host it may be another process. Use a step that"
            + " signals a process, whose pid comes from the incident's evidence, and try TERM before KILL.")
    String importKill();

    @Message("Flushing the firewall drops every rule on the host, not only those of this port.")
    String importFlush();

    @Message("ss -K without one state and one port destroys far more than this port's sockets.")
    String importWideKill();

    @Message("The step that persists sysctls writes its own file in /etc/sysctl.d; there is nothing to edit by hand.")
    String importEdit();

    @Message("The step that persists sysctls applies its own file with sysctl -p.")
    String importReload();

    @Message("Its quotes are not balanced. Linger cannot run this as a typed step; kept as a manual instruction.")
    String importUnbalancedQuotes();

    @Message("The value comes from ${name}, which the document never saved.")
    String importUnsavedVariable(String name);

    @Message("The value {value} is a placeholder, not a number. Linger cannot run this as a typed step; kept as a"
            + " manual instruction.")
    String importPlaceholder(String value);

    @Message("A value is a placeholder, not a number. Linger cannot run this as a typed step; kept as a manual"
            + " instruction.")
    String importPlaceholderEntry();

    @Message("Linger could not tell which key this grep picks. Linger cannot run this as a typed step; kept as a"
            + " manual instruction.")
    String importGrepKey();

    @Message("Linger could not tell which port or state this grep picks. Linger cannot run this as a typed step;"
            + " kept as a manual instruction.")
    String importGrepSocket();

    @Message("Linger could not tell which one TCP state this means. Linger cannot run this as a typed step; kept as a"
            + " manual instruction.")
    String importStateUnclear();

    @Message("Linger could not tell which port this filter means. Linger cannot run this as a typed step; kept as a"
            + " manual instruction.")
    String importPortUnclear();

    @Message("Linger could not tell which {#if port}port{#else}state{/if} to wait for. Linger cannot run this as a"
            + " typed step; kept as a manual instruction.")
    String importWaitWhich(boolean port);

    @Message("It writes into {target}, outside /proc/sys; Linger will not run it.")
    String importOutsideProcSys(String target);

    @Message("The document edits /etc/sysctl.conf; Linger writes {file} in /etc/sysctl.d instead: read at boot the"
            + " same way, and removable in one step.")
    String importSysctlConf(String file);

    @Message("{problem} Linger cannot run this as a typed step; kept as a manual instruction.")
    String importRefused(String problem);

    @Message("The file has {bytes} bytes; Linger imports documents of up to {max} characters.")
    String importFileTooLarge(long bytes, long max);

    @Message("The file is not UTF-8 text. Save it as UTF-8 (or paste its text) and try again.")
    String importNotUtf8();

    @Message("The upload could not be read; try again.")
    String importUnreadable();

    @Message("Saved {title} as version {version}.")
    String savedVersion(String title, long version);

    /** Text kept from before texts were data (an old row, a form posted by an older page): shown as it was. */
    @Message("{text}")
    String verbatim(String text);
}
