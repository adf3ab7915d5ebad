package dev.linger.i18n;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * labels,statuses,badges,enum names,chart,forms, in English; {@code messages/label_zh.properties} has each in Simplified Chinese. Rendered from a
 * stored {@link Text} by {@link Catalogue#render} or in templates as {@code {label:key}}. Plain text, no markup.
 */
@MessageBundle(value = "label", locale = "en")
public interface LabelMessages {

    // ---- languages (each names itself in its own msg file: msg.languageName)

    @Message("Linger speaks {languages}; choose one of them.")
    String languageUnknown(String languages);

    @Message("{name} ({tag})")
    String languageWithTag(String name, String tag);

    /** A value shown as it is (a ps state letter without a word, an old text). */
    @Message("{text}")
    String verbatim(String text);

    // ---- host page: the processes of interest (host/ProcessExplanation)

    @Message("defunct leader: main thread exited while {others} other {#if others == 1}thread lives{#else}threads live{/if} on; it holds no notable socket now.")
    String processDefunctLeaderIdle(long others);

    @Message("defunct leader: main thread exited, {live} live {#if live == 1}thread still holds{#else}threads still hold{/if} {sockets} {#if sockets == 1}socket{#else}sockets{/if}; ps and ss -p show no owner for them. Only ending the whole process (pid {pid}) frees them.")
    String processDefunctLeaderHolding(long live, long sockets, long pid);

    @Message("zombie: it has exited and holds no sockets; its parent {parent} has not reaped it yet. {#if ppid == 1}Only pid {ppid} can reap it: if it stays, pid {ppid} does not reap its children.{#else}Restarting or signalling the parent clears it.{/if}")
    String processZombie(String parent, long ppid);

    @Message("orphan: its parent is gone, so it was re-parented to {parent}; it holds {sockets} {#if sockets == 1}socket{#else}sockets{/if} listed below.")
    String processOrphan(String parent, long sockets);

    @Message("holds {sockets} {#if sockets == 1}socket{#else}sockets{/if} listed below (state {state}).")
    String processHolding(long sockets, String state);

    @Message("state {state}.")
    String processInState(String state);

    @Message("{command} (pid {pid})")
    String processParent(String command, long pid);

    @Message("pid {pid} (not seen by this collection)")
    String processParentUnseen(long pid);

    @Message("running")
    String processRunning();

    @Message("sleeping")
    String processSleeping();

    @Message("in uninterruptible I/O")
    String processUninterruptible();

    @Message("stopped")
    String processStopped();

    @Message("zombie")
    String processZombieState();

    // ---- values shown as badges and in tables (dev.linger.i18n.Labels: one message per value)

    @Message("up")
    String hostStatusUp();

    @Message("unreachable")
    String hostStatusUnreachable();

    @Message("not collected yet")
    String hostStatusUnknown();

    @Message("trusted")
    String keyStatusTrusted();

    @Message("to confirm")
    String keyStatusPending();

    @Message("changed")
    String keyStatusChanged();

    @Message("WARNING")
    String severityWarning();

    @Message("CRITICAL")
    String severityCritical();

    @Message("low risk")
    String riskLow();

    @Message("high risk")
    String riskHigh();

    @Message("critical risk")
    String riskCritical();

    @Message("admin")
    String roleAdmin();

    @Message("operator")
    String roleOperator();

    @Message("approver")
    String roleApprover();

    @Message("viewer")
    String roleViewer();





    @Message("retransmit")
    String timerOn();

    @Message("keepalive")
    String timerKeepalive();

    @Message("zero-window probe")
    String timerPersist();

    @Message("TIME-WAIT")
    String timerTimewait();

    @Message("no timer")
    String timerNone();

    // ---- overview and account: whole sentences

    @Message("host")
    String wholeHost();

    @Message("{total} {#if total == 1}host{#else}hosts{/if}: {up} up{#if unreachable > 0}, {unreachable} unreachable{/if}{#if unknown > 0}, {unknown} not collected yet{/if}.")
    String hostCount(int total, long up, long unreachable, long unknown);

    @Message("Signed in as {name} with the {#if count == 1}role{#else}roles{/if} {roles}.")
    String accountSignedInAs(String name, String roles, long count);

    // ---- host page: the chart of states over time (host/StateChart), units

    @Message("Sockets per port and state, {from} to {to} UTC")
    String chartTitle(String from, String to);

    @Message("{time} UTC")
    String chartTimeUtc(String time);

    @Message(":{port}{#if remote} (remote){/if} {state}")
    String chartSeries(long port, boolean remote, String state);

    @Message("{hours} h")
    String hours(int hours);

    @Message("{ms} ms")
    String millis(long ms);

    // ---- users

    @Message("by {who}")
    String addedBy(String who);
}
