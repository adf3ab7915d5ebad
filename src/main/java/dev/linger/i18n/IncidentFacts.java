package dev.linger.i18n;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * Incident explanations (facts), timeline entries and evidence words, in English; {@code messages/fact_zh.properties}
 * has each in Simplified Chinese. Rendered from a stored {@link Text} by {@link Catalogue#render} or in templates as
 * {@code {fact:key}}. Plain text, no markup: a span in backticks is shown as code by the page. A parameter that is a
 * {@code String} may receive a nested Text, or "" for "nothing to say" ({@code {#if where}} is false then).
 */
@MessageBundle(value = "fact", locale = "en")
public interface IncidentFacts {

    // issue 15
    @Message("container `{name}`{#if id} ({id}){/if}")
    String container(String name, String id);

    @Message("pod `{name}`{#if container or uid} ({#if container}container {container}{#if uid}, {/if}{/if}{#if uid}uid {uid}{/if}){/if}")
    String pod(String name, String container, String uid);

    @Message("network namespace `{name}`")
    String netns(String name);

    @Message("network namespace net:[{inode}]")
    String netnsInode(long inode);

    @Message("the host’s own network namespace")
    String hostOwn();

    @Message("in {where}")
    String in(String where);

    @Message("{seconds} s")
    String seconds(long seconds);

    @Message("{minutes} min")
    String minutes(long minutes);

    @Message("{hours} h {minutes} min")
    String hoursMinutes(long hours, long minutes);

    @Message("{days} days")
    String days(long days);

    @Message("since {clock} UTC ({duration})")
    String since(String clock, String duration);

    @Message("{bytes} {#if bytes == 1}byte{#else}bytes{/if}")
    String bytes(long bytes);

    @Message("{amount} KiB")
    String kib(String amount);

    @Message("{amount} MiB")
    String mib(String amount);

    @Message("{command} (pid {pid})")
    String owner(String command, long pid);

    @Message("pid {pid}")
    String ownerPid(long pid);

    @Message("{first} and {others} other {#if others == 1}process{#else}processes{/if}")
    String ownerAndOthers(String first, long others);

    @Message("{state} {count}")
    String stateCount(String state, long count);

    @Message("{first} {rest}")
    String sentences(String first, String rest);

    @Message("{text}")
    String verbatim(String text);

    @Message("{#if outgoing}{count} outgoing {#if count == 1}connection{#else}connections{/if} to port :{port}{#else}{count} {#if count == 1}socket{#else}sockets{/if} on :{port}{/if}{#if where} {where}{/if} {#if since}{#if count == 1}has{#else}have{/if} been in CLOSE-WAIT {since}{#else}{#if count == 1}is{#else}are{/if} in CLOSE-WAIT{/if}.")
    String closeWaitState(long count, long port, boolean outgoing, String where, String since);

    @Message("The number grew at each of the last {collections} collections ({series}).")
    String closeWaitGrowth(long collections, String series);

    @Message("{#if outgoing}{#if host}The remote side closed, this host’s program did not.{#else}The remote side closed, the program in there did not.{/if}{#else}The peers closed their side, the program never closed its own.{/if}")
    String closeWaitCause(boolean outgoing, boolean host);

    @Message("{bytes} are unread in each: their owner{#if who} {who}{/if} stopped reading.")
    String unreadEach(String bytes, String who);

    @Message("{sockets} of them {#if sockets == 1}holds{#else}hold{/if} {bytes} unread: their owner{#if who} {who}{/if} stopped reading.")
    String unreadSome(long sockets, String bytes, String who);

    @Message("No bytes wait to be read: {#if who}{who}{#else}the owner{/if} reads them but never closes them.")
    String noUnread(String who);

    @Message("Linger has the count but no socket lines for them.")
    String countOnly();

    @Message("Linger found no process holding them.")
    String noOwnerFound();

    @Message("{#if keepalive == 0}Keepalive tuning will not help: these sockets do not use SO_KEEPALIVE.{#else if keepalive lt count}Keepalive tuning reaches only the {keepalive} that use SO_KEEPALIVE, and only if their peer is gone.{#else}They use SO_KEEPALIVE, so keepalive tuning ends only those whose peer is gone.{/if}")
    String keepalive(long keepalive, long count);

    @Message("The fix is the owning process.")
    String fixIsOwner();

    @Message("Also {count} {#if outgoing}outgoing {#if count == 1}connection{#else}connections{/if} to :{port}{#else}{#if count == 1}socket{#else}sockets{/if} on the local :{port}{/if} in {state}.")
    String otherDirection(boolean outgoing, long count, long port, String state);

    @Message("{#if outgoing}{count} outgoing {#if count == 1}connection{#else}connections{/if} to port :{port}{#else}{count} {#if count == 1}socket{#else}sockets{/if} on :{port}{/if}{#if where} {where}{/if} {#if count == 1}has{#else}have{/if} been stuck in FIN-WAIT-1{#if since} {since}{/if}{#if unsent} with {unsent} unsent{/if}: this side closed, the peer never acknowledged.")
    String finWait1State(long count, long port, boolean outgoing, String where, String since, String unsent);

    @Message("{#if all}All{#else}{sockets}{/if} wait on a persist timer: the peer advertises a zero window, it stopped reading.")
    String persistTimer(long sockets, boolean all);

    @Message("{#if all}All{#else}{sockets}{/if} retransmit (timer on) to a peer that does not answer.")
    String retransmitting(long sockets, boolean all);

    @Message("{#if orphaned == count}{#if count == 1}It is an orphan{#else}All are orphans{/if}{#else}{orphaned} are orphans{/if}: no process owns them, restarting one will not free them.")
    String orphans(long orphaned, long count);

    @Message("tcp_max_orphans does not exist in this network namespace, so the drain cannot run here.")
    String drainNotHere();

    @Message("Draining with tcp_max_orphans=0 is system-wide: all {orphans} orphans of the host die.")
    String drainSystemWide(long orphans);

    @Message("Draining with tcp_max_orphans=0 is system-wide: every orphan of the host dies.")
    String drainSystemWideUncounted();

    @Message("{#if others}The others belong to{#else}They belong to{/if} {who}.")
    String belongTo(boolean others, String who);

    @Message("`{command}`{#if !host}, run inside that network namespace,{/if} kills only these.")
    String killOnly(String command, boolean host);

    @Message("{#if command}{command}{#else}Process{/if} (pid {pid}) is defunct but not gone: its main thread exited while {threads} {#if threads == 1}thread still holds{#else}threads still hold{/if} {sockets} {#if sockets == 1}socket{#else}sockets{/if}{#if port gt 0} on :{port}{/if}{#if where} {where}{/if}{#if states} ({states}){/if}.")
    String defunctState(String command, long pid, long threads, long sockets, long port, String where, String states);

    @Message("`ss -p` and `netstat -p` show no owner for them: /proc/{pid}/fd is empty, the descriptors sit under /proc/{pid}/task/{tid}/fd.")
    String defunctHidden(long pid, String tid);

    @Message("Its parent is {#if parent}{parent} (pid {ppid}){#else}pid {ppid} (not seen by the collection){/if}{#if orphan}: it is an orphan{/if}.")
    String defunctParent(String parent, long ppid, boolean orphan);

    @Message("It can be reaped only after its last thread exits. Ending the process (kill {pid}) closes the sockets.")
    String defunctReap(long pid);

    @Message("{processes} other defunct {#if processes == 1}process holds{#else}processes hold{/if} sockets here too.")
    String otherDefunct(long processes);

    @Message("{orphans} orphaned TCP sockets (closed by their programs, still kept by the kernel) are {percent} % of tcp_max_orphans ({max}).")
    String orphanPressure(long orphans, String percent, long max);

    @Message("At the limit the kernel resets orphans at once and logs “TCP: too many orphaned sockets”.")
    String orphanLimit();

    @Message("They usually pile up in FIN-WAIT-1 behind peers that stopped reading: check this host’s FIN-WAIT-1 sockets.")
    String orphanFinWait1();

    @Message("Nothing listens on :{port}, a service port of this host, yet {count} {#if count == 1}socket still holds{#else}sockets still hold{/if} it{#if states} ({states}{#if timeWait gt 0}; {timeWait} more in TIME-WAIT{/if}){/if}.")
    String portBlocked(long port, long count, String states, long timeWait);

    @Message("A restart that binds :{port} can fail with “Address already in use” until they are gone.")
    String portRestart(long port);

    @Message("Owner: {who}.")
    String portOwner(String who);

    @Message("{sockets} {#if sockets == 1}socket has{#else}sockets have{/if} no owning process.")
    String portOrphaned(long sockets);

    @Message("Linger cannot collect {host}: {error}. Socket incidents of this host keep their last evidence until it answers again.")
    String hostUnreachable(String host, String error);

    @Message("{source} reports {alert} on {host}{#if summary}: {summary}{/if}.{#if firing gt 1} {firing} of its alerts"
            + " fire on this host.{/if}")
    String externalAlert(String source, String alert, String host, String summary, long firing);

    @Message("{source} reports {alert} on this host too: {summary}")
    String alertJoined(String source, String alert, String summary);

    @Message("⛔ Remediation policy {policy} turned itself off: {failed} of its runs failed or saw their incident come"
            + " back (its breaker trips at {limit}). A person must look, then turn it on again.")
    String policyTripped(String policy, long failed, long limit);

    @Message("{author} wrote: {body}")
    String noteBy(String author, String body);

    @Message("{source} says every alert on this host resolved.")
    String alertsResolved(String source);

    @Message("The SSH host key of {host} changed. Linger stopped all work on it until an admin checks the new key on the machine itself and trusts it. {error}")
    String hostKeyChanged(String host, String error);

    @Message("{actor} opened the incident")
    String eventOpened(String actor);

    @Message("{actor} reopened the incident")
    String eventReopened(String actor);

    @Message("{actor} noted new evidence")
    String eventEvidence(String actor);

    @Message("{actor} raised it to critical")
    String eventEscalated(String actor);

    @Message("{actor} paged the next channel")
    String eventPaged(String actor);

    @Message("Nobody acknowledged this in {minutes} min: sent to {channel}. {explanation}")
    String nobodyAcknowledged(long minutes, String channel, String explanation);

    @Message("Test from Linger, sent by {actor}: this channel receives notifications.")
    String channelTest(String actor);

    @Message("{actor} acknowledged it")
    String eventAcknowledged(String actor);

    @Message("{actor} resolved it")
    String eventResolved(String actor);

    @Message("job {job}")
    String actorJob(long job);

    @Message("The condition is back: {explanation}")
    String conditionBack(String explanation);

    @Message("{actor} is on it.")
    String isOnIt(String actor);

    @Message("{actor} resolved it.")
    String resolvedByHand(String actor);

    @Message("The condition has been clear for {collections} collections.")
    String clearFor(long collections);

    @Message("Linger collects this host normally again.")
    String collectsAgain();

    @Message("{actor} trusted the new host key.")
    String keyTrusted(String actor);

    @Message("{actor} removed the host; its history is kept.")
    String hostRemoved(String actor);

    @Message("The host restarted since: {where} is gone.")
    String hostRestarted(String where);

    @Message("Job {job} fixed it: the next collection found the condition gone.")
    String jobFixed(long job);

    @Message("After job {job} the next collection found nothing {where}: it is gone (its container stopped or restarted), and the condition with it.")
    String jobNamespaceGone(long job, String where);

    @Message("the job ran in another network namespace than the incident’s ({where}), so it cannot have fixed it.")
    String jobOtherNamespace(String where);

    @Message("the collection after the job still finds {kind} {#if port gt 0}on :{port}{#else}on the host{/if}{#if where} {where}{/if}.")
    String jobStillFinds(String kind, long port, String where);

    @Message("{icon} {kind} {event} on {host}{#if port gt 0} :{port}{/if}{#if where} {where}{/if} — {text}")
    String webhook(String icon, String kind, String event, String host, long port, String where, String text);

    @Message("{#if outgoing}outgoing{#else}incoming{/if}")
    String directionWord(boolean outgoing);

    @Message("{#if growth}growth{#else}count{/if}")
    String triggerWord(boolean growth);

    @Message("{#if yes}yes{#else}no{/if}")
    String yesNo(boolean yes);

    @Message("OPEN")
    String statusOpen();

    @Message("ACKNOWLEDGED")
    String statusAcknowledged();

    @Message("RESOLVED")
    String statusResolved();

    @Message("ACTIVE")
    String statusActive();

    @Message("WARNING")
    String severityWarning();

    @Message("CRITICAL")
    String severityCritical();

    @Message("host")
    String wholeHost();

    @Message("LOW")
    String riskLow();

    @Message("HIGH")
    String riskHigh();

    @Message("CRITICAL")
    String riskCritical();
}
