package dev.linger.i18n;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * What a job records, in English: outcomes ({@code job.outcome}), step messages and progress lines
 * ({@code job_step.message}, {@code job_step.progress}), the plan's values and blast radius, and the names of job
 * statuses, risks, step types and decisions shown on the pages. Stored as a {@link Text} (key {@code run.method} and
 * its arguments) and said at the edge by {@link Catalogue#render}; {@code messages/run_zh.properties} has each in
 * Simplified Chinese. Plain text, no markup. Arguments named {@code why}, {@code where}, {@code now}, {@code done}
 * hold a nested Text.
 */
@MessageBundle(value = "run", locale = "en")
public interface JobFacts {

    /** An old row whose sentence no rule of V17 recognised: shown as it was written. */
    @Message("{text}")
    String verbatim(String text);

    // ---- job.outcome

    @Message("{count} {#if count == 1}step{#else}steps{/if} done")
    String stepsDone(long count);

    @Message("{count} {#if count == 1}key{#else}keys{/if} rolled back")
    String keysRolledBack(long count);

    @Message("stopped by request before step {n}")
    String stoppedBefore(long n);

    @Message("step {n} failed: {why}")
    String stepFailed(long n, String why);

    @Message("Rolled back: every recorded change of job {job} is undone.")
    String rolledBack(long job);

    @Message("Not needed: {why} (checked when the job started).")
    String notNeeded(String why);

    @Message("port {port} has {count} {state} {#if count == 1}socket{#else}sockets{/if}, no more than {atMost}: nothing to do")
    String alreadyDrained(String port, long count, String state, long atMost);

    @Message("Nothing left to undo: every change was already rolled back.")
    String nothingToUndo();

    @Message("The host of this job was removed.")
    String hostRemoved();

    @Message("Linger failed while running this job: {error}")
    String lingerFailed(String error);

    @Message("Nobody approved it in time.")
    String expired();

    @Message("Linger lost this job while it ran (its worker stopped renewing its lease at {at} UTC). It is not run again by itself: check the recorded changes and roll back or propose it again.")
    String lost(String at);

    @Message("Rejected by {actor}{#if note}: {note}{#else}.{/if}")
    String rejectedBy(String actor, String note);

    @Message("Cancelled by {actor}.")
    String cancelledBy(String actor);

    // ---- job_step.message

    @Message("Linger lost the worker running this step; whether its command finished is not known.")
    String stepLost();

    @Message("exit 0")
    String exitZero();

    @Message("stopped by request")
    String stopped();

    @Message("verified")
    String verified();

    @Message("confirmed")
    String confirmed();

    @Message("interrupted")
    String interrupted();

    @Message("parameter {name} has no value")
    String paramNoValue(String name);

    @Message("internal error: {error}")
    String internalError(String error);

    @Message("no recorded value for {key}: nothing before this step read it")
    String noRecordedValue(String key);

    @Message("{done}; {warning}")
    String withWarning(String done, String warning);

    @Message("could not disarm the host-side guard for {key}: {error}")
    String disarmFailed(String key, String error);

    @Message("could not arm the host-side guard for {key}; nothing was changed")
    String armFailed(String key);

    @Message("writing {path} failed with exit code {code}")
    String writeFailed(String path, long code);

    @Message("the kernel kept other values: {kept}")
    String kernelKeptOthers(String kept);

    @Message("{key} is {after}, not {intended}")
    String keptValue(String key, String after, String intended);

    @Message("wrote {path} and applied {count} {#if count == 1}key{#else}keys{/if}")
    String wroteAndApplied(String path, long count);

    @Message("cannot tell whether {path} exists")
    String cannotTellExists(String path);

    @Message("{path} is a symbolic link; Linger does not write through it or replace it")
    String symlinkRefused(String path);

    @Message("{count} {#if count == 1}socket remains{#else}sockets remain{/if} (≤ {atMost})")
    String socketsRemain(long count, long atMost);

    @Message("still {count} {state} {#if count == 1}socket remains{#else}sockets remain{/if} on :{port} after {seconds} s")
    String stillRemain(long count, String state, String port, long seconds);

    @Message("{count} {#if count == 1}socket{#else}sockets{/if} destroyed")
    String socketsDestroyed(long count);

    @Message("process {pid} is gone")
    String processGone(String pid);

    @Message("pid {pid} now belongs to another process ({command}, start tick {tick}), not {planned} started at tick {plannedTick}: no signal sent")
    String pidReused(String pid, String command, String tick, String planned, String plannedTick);

    @Message("sent SIG{signal} to {pid}")
    String signalSent(String signal, String pid);

    @Message("already {value}, nothing to undo")
    String alreadyValue(String value);

    @Message("drift: {key} is {current}, but the job left it at {left}; an approver must override to roll back")
    String drift(String key, String current, String left);

    @Message("setting {key} failed with exit code {code}; it is {after}")
    String setFailed(String key, long code, String after);

    @Message("{key} was set to {intended} but the kernel kept {after}")
    String kernelKept(String key, String intended, String after);

    @Message("{key} does not exist on this host")
    String keyMissing(String key);

    @Message("could not run the command on {host}: {error}")
    String cannotRun(String host, String error);

    @Message("the command failed with exit code {code}")
    String commandFailed(long code);

    @Message("the host could not be collected again{#if error}: {error}{#else}.{/if}")
    String notCollected(String error);

    @Message("{key} = {value}")
    String valueRead(String key, String value);

    @Message("{key}: {before} → {after}")
    String valueChanged(String key, String before, String after);

    // ---- job_step.progress

    @Message("{count} {state} {#if count == 1}socket remains{#else}sockets remain{/if} on :{port}")
    String progressRemain(long count, String state, String port);

    // ---- where a job acts (a nested Text of the namespace messages)

    @Message("{#when kind}{#is 'CONTAINER'}container {name}{#if shortId} ({shortId}){/if}{#is 'POD'}pod {name}{#if shortId} ({shortId}){/if}{#is 'NETNS'}ip netns {name}{#is 'HOST'}the host’s own namespace{#else}{name}{/when}")
    String where(String kind, String name, String shortId);

    @Message("host")
    String hostNamespace();

    @Message("{where}: {count}")
    String namespaceCount(String where, long count);

    // ---- the plan: values now and what each step touches

    @Message("unknown")
    String nowUnknown();

    @Message("missing on this host")
    String nowMissing();

    @Message("{now} → {to}")
    String valueWillBe(String now, String to);

    @Message("{now} → {to} (persistent)")
    String valueWillPersist(String now, String to);

    @Message("→ the value recorded when the job runs (now {now})")
    String valueRestored(String now);

    @Message("{key}={value} is system-wide: every orphaned socket on the host dies at its next timer, on every port{#if counted}. Now: {orphans} orphaned {#if orphans == 1}socket{#else}sockets{/if} on the host{#if othersCounted}; {others} FIN-WAIT-1 {#if others == 1}socket{#else}sockets{/if} on other ports than :{port} will die too{/if}{/if}.{#if perNamespace} Orphaned sockets per network namespace in the latest collection: {perNamespace}.{/if}")
    String blastOrphans(String key, String value, boolean counted, long orphans, boolean othersCounted, long others,
            String port, String perNamespace);

    @Message("Every socket with SO_KEEPALIVE in the host’s network namespace uses the new value, not only this port’s.")
    String blastKeepalive();

    @Message("Every socket with SO_KEEPALIVE in the network namespace of {where} uses the new value, not only this port’s; the host and other containers keep theirs.")
    String blastKeepaliveIn(String where);

    @Message("{#if counted}{count} {state} {#if count == 1}socket{#else}sockets{/if}{#else}The {state} sockets{/if} on :{port} are destroyed; no other socket is touched.")
    String blastKill(boolean counted, long count, String state, String port);

    @Message("{#if counted}{count} {state} {#if count == 1}socket{#else}sockets{/if}{#else}The {state} sockets{/if} on :{port} in {where} are destroyed; no other socket is touched, and {spared} {state} {#if spared == 1}socket{#else}sockets{/if} on :{port} in other network namespaces (the host’s own included) are spared.")
    String blastKillIn(boolean counted, long count, String state, String port, String where, long spared);

    @Message("No {state} socket on :{port} matches now: this step destroys nothing.")
    String blastKillNone(String state, String port);

    @Message("No {state} socket on :{port} in {where} matches now: this step destroys nothing.")
    String blastKillNoneIn(String state, String port, String where);

    @Message("No {state} socket on :{port} matches now: this wait ends at once.")
    String blastWaitNone(String state, String port);

    @Message("{count} {state} {#if count == 1}socket{#else}sockets{/if} on :{port} now; the step waits until {#if atMost == 0}none is left{#else}at most {atMost} remain{/if}.")
    String blastWait(long count, String state, String port, long atMost);

    @Message("Process {pid} does not exist on the host now: this step will fail.")
    String blastProcessMissing(String pid);

    @Message("Process {pid} ({command}, started {started}) receives SIG{signal}; its connections close when it exits. If pid {pid} then belongs to another command or another start, the step refuses to signal it.")
    String blastProcessKnown(String pid, String command, String started, String signal);

    @Message("at tick {tick}")
    String atTick(String tick);

    @Message("Process {pid} receives SIG{signal}; its connections close when it exits.")
    String blastProcess(String pid, String signal);

    @Message("{key}: {value}")
    String keyValue(String key, String value);

    /** What a rollback's step changes. */
    @Message("{#if persistent}Puts /etc/sysctl.d/{file} back as it was and sets{#else}Sets{/if} {key} back to {restoreTo}, if it is still {left} as the job left it.")
    String rollbackChanges(boolean persistent, String file, String key, String restoreTo, String left);

    /** A finished job's recorded change of one key; {@code confirmed} false: the kernel's value was never read back. */
    @Message("{key}: {before} → {after}{#if !confirmed} (?){/if}")
    String recordedChange(String key, String before, String after, boolean confirmed);

    // ---- refusals of a plan (JobService.NotApplicable)

    @Message("This runbook cannot run on {host}: {why}")
    String cannotRunOn(String host, String why);

    @Message("This runbook cannot help on {host}: {why} To propose it anyway, say why in the override field: the override is shown in red in the plan and needs one more approval.")
    String cannotHelpOn(String host, String why);

    @Message("This runbook cannot run in {where}: {why}.")
    String cannotRunIn(String where, String why);

    @Message("{key} exists only in the host’s own network namespace, not inside a container’s, so the orphan-limit drain cannot run there. Use the targeted ss -K runbook instead")
    String orphansHostOnly(String key);

    // ---- names shown on the pages

    @Message("{#when status}{#is 'PENDING_APPROVAL'}Pending approval{#is 'QUEUED'}Queued{#is 'RUNNING'}Running{#is 'SUCCEEDED'}Succeeded{#is 'FAILED'}Failed{#is 'REJECTED'}Rejected{#is 'EXPIRED'}Expired{#is 'CANCELLED'}Cancelled{#is 'INTERRUPTED'}Interrupted{#else}{status}{/when}")
    String jobStatus(String status);

    @Message("{#when status}{#is 'RUNNING'}Running{#is 'SUCCEEDED'}Done{#is 'FAILED'}Failed{#is 'INTERRUPTED'}Interrupted{#is 'PENDING'}Pending{#is 'SKIPPED'}Skipped{#else}{status}{/when}")
    String stepStatus(String status);

    @Message("{#when risk}{#is 'LOW'}Low risk{#is 'HIGH'}High risk{#is 'CRITICAL'}Critical risk{#else}{risk}{/when}")
    String risk(String risk);

    @Message("{#when type}{#is 'NOTE'}Note{#is 'SHELL'}Command{#is 'VERIFY'}Check{#is 'SIGNAL_PROCESS'}Signal a process{#is 'SET_SYSCTL'}Set a sysctl{#is 'READ_SYSCTL'}Read a sysctl{#is 'RESTORE_SYSCTL'}Restore a sysctl{#is 'PERSIST_SYSCTL'}Persist a sysctl{#is 'KILL_SOCKETS'}Kill sockets{#is 'WAIT_SOCKETS'}Wait for sockets{#else}{type}{/when}")
    String stepType(String type);

    /** A runbook in the job form's list: its title (in the reader's language where shipped) and risk. */
    @Message("{title} ({#when risk}{#is 'LOW'}low risk{#is 'HIGH'}high risk{#is 'CRITICAL'}critical risk{#else}{risk}{/when})")
    String runbookOption(String title, String risk);

    @Message("{#when type}{#is 'PORT'}port, 1 to 65535{#is 'PID'}process id{#is 'INTEGER'}whole number{#else}{type}{/when}")
    String paramType(String type);

    @Message("{#if approve}{who} approved{#else}{who} rejected{/if}{#if admin} (as admin){/if}")
    String decided(boolean approve, String who, boolean admin);
}
