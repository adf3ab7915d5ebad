package dev.linger.host;

import dev.linger.collect.CollectorOutput;
import dev.linger.i18n.Text;

/**
 * One plain line about a process of interest, from the facts the collector saw: a {@link Text} of the {@code label}
 * bundle, said in the page's language. Pids, thread counts, commands and kernel names are arguments, never words.
 */
public final class ProcessExplanation {

    private ProcessExplanation() {
    }

    /**
     * Says who the parent is (pid and command) rather than guessing what it does: pid 1 is not always an init that
     * reaps its children (a container's first process, or a lab host's sshd, often does not). {@code parent} is the
     * parent's line from the same collection, null when the collection did not see it.
     */
    public static Text explain(CollectorOutput.ProcessInfo p, int socketsHeld, CollectorOutput.ProcessInfo parent) {
        long held = socketsHeld;
        if ("Z".equals(p.state()) && p.threads() > 1 && socketsHeld == 0) {
            return Text.of("label.processDefunctLeaderIdle", (long) p.threads() - 1);
        }
        if ("Z".equals(p.state()) && p.threads() > 1) {
            return Text.of("label.processDefunctLeaderHolding", (long) p.threads() - 1, held, (long) p.pid());
        }
        if ("Z".equals(p.state())) {
            return Text.of("label.processZombie", parentNamed(p, parent), (long) p.ppid());
        }
        if (p.ppid() == 1 && socketsHeld > 0) {
            return Text.of("label.processOrphan", parentNamed(p, parent), held);
        }
        return socketsHeld > 0 ? Text.of("label.processHolding", held, stateWord(p.state()))
                : Text.of("label.processInState", stateWord(p.state()));
    }

    /** "sshd (pid 1)", or "pid 1 (not seen by this collection)" when the collection has no line for it. */
    private static Text parentNamed(CollectorOutput.ProcessInfo p, CollectorOutput.ProcessInfo parent) {
        return parent != null && parent.pid() == p.ppid() && parent.command() != null && !parent.command().isEmpty()
                ? Text.of("label.processParent", parent.command(), (long) p.ppid())
                : Text.of("label.processParentUnseen", (long) p.ppid());
    }

    /** The word for a ps state letter; a letter without one is shown as it is. */
    static Text stateWord(String state) {
        return switch (state == null ? "" : state) {
            case "R" -> Text.of("label.processRunning");
            case "S" -> Text.of("label.processSleeping");
            case "D" -> Text.of("label.processUninterruptible");
            case "T", "t" -> Text.of("label.processStopped");
            case "Z" -> Text.of("label.processZombieState");
            default -> Text.of("label.verbatim", state == null ? "" : state);
        };
    }
}
