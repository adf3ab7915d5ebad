package dev.linger.host;

import dev.linger.collect.CollectorOutput;

/** One plain line about a process of interest, from the facts the collector saw. */
public final class ProcessExplanation {

    private ProcessExplanation() {
    }

    public static String explain(CollectorOutput.ProcessInfo p, int socketsHeld) {
        String held = socketsHeld == 1 ? "1 socket" : socketsHeld + " sockets";
        if ("Z".equals(p.state()) && p.threads() > 1 && socketsHeld == 0) {
            return "defunct leader: main thread exited while " + (p.threads() - 1) + " other thread(s) live on;"
                    + " it holds no notable socket now.";
        }
        if ("Z".equals(p.state()) && p.threads() > 1) {
            int live = p.threads() - 1;
            return "defunct leader: main thread exited, " + live + (live == 1 ? " live thread still holds " : " live threads still hold ")
                    + held + "; ps and ss -p show no owner for them. Only ending the whole process (pid " + p.pid()
                    + ") frees them.";
        }
        if ("Z".equals(p.state())) {
            return p.ppid() == 1 ? "zombie: it has exited and holds no sockets; its parent is init, which reaps it shortly."
                    : "zombie: it has exited and holds no sockets; its parent (pid " + p.ppid() + ") has not reaped it"
                            + " yet. Restarting or signalling the parent clears it.";
        }
        if (p.ppid() == 1 && socketsHeld > 0) {
            return "orphan: its parent is gone, so it now belongs to init (pid 1); it holds " + held
                    + " listed below.";
        }
        return socketsHeld > 0 ? "holds " + held + " listed below (state " + stateWord(p.state()) + ")."
                : "state " + stateWord(p.state()) + ".";
    }

    static String stateWord(String state) {
        return switch (state == null ? "" : state) {
            case "R" -> "running";
            case "S" -> "sleeping";
            case "D" -> "in uninterruptible I/O";
            case "T", "t" -> "stopped";
            case "Z" -> "zombie";
            default -> state;
        };
    }
}
