package dev.linger.i18n;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * Texts shared by several pages: incident kinds as names, the evidence tables, the phone menu, in English;
 * {@code messages/page_zh.properties} has each in Simplified Chinese (MessageBundlesTest keeps the key sets equal).
 * Templates write {@code {page:key}}. A bundle of its own so that UiMessages stays under Quarkus's 300 texts.
 */
@MessageBundle(value = "page", locale = "en")
public interface PageMessages {

    // issue 12 item 16: incident kinds as names, states as ss writes them
    @Message("FIN-WAIT-1 stuck")
    String kindFinWait1Stuck();

    @Message("CLOSE-WAIT leak")
    String kindCloseWaitLeak();

    @Message("Defunct owner")
    String kindDefunctOwner();

    @Message("Orphan pressure")
    String kindOrphanPressure();

    @Message("Port blocked")
    String kindPortBlocked();

    @Message("Host unreachable")
    String kindHostUnreachable();

    @Message("Host key changed")
    String kindHostKeyChanged();

    @Message("External alert")
    String kindExternalAlert();

    @Message("Open the alert where it came from")
    String alertOpenSource();

    // issue 12 item 16: evidence as tables, the JSON behind a toggle
    @Message("Facts")
    String evidenceFacts();

    @Message("Owning processes")
    String evidenceOwners();

    @Message("{count} more owning processes are not listed.")
    String evidenceOwnersOmitted(long count);

    @Message("Sample sockets")
    String evidenceSamples();

    @Message("Timers")
    String evidenceTimers();

    @Message("States")
    String evidenceStates();

    @Message("Other defunct processes")
    String evidenceOtherDefunct();

    @Message("Raw evidence (JSON)")
    String evidenceRaw();

    @Message("Field")
    String colField();

    @Message("Value")
    String colValue();

    @Message("Command")
    String colCommand();

    @Message("Process state")
    String colProcessState();

    @Message("Parent pid")
    String colParentPid();

    @Message("Count")
    String colCount();

    // issue 12 item 18: the navigation as one line on a phone
    @Message("Menu")
    String navMenu();

    // issue 13: where an incident is (the host's own network namespace, a container, a pod, an ip netns)
    @Message("host")
    String nsHost();

    @Message("container")
    String nsContainer();

    @Message("pod")
    String nsPod();

    @Message("network namespace")
    String nsNetns();

    @Message("Container or namespace")
    String colNamespace();

    @Message("A name (or host), a container id prefix or an inode")
    String nsFilterHint();
}
