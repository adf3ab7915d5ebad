package dev.linger.host;

import dev.linger.collect.CollectorOutput;
import dev.linger.i18n.Language;

/** One plain line about a process of interest, from the facts the collector saw. */
public final class ProcessExplanation {

    private ProcessExplanation() {
    }

    /**
     * The line in the page's language: Chinese for {@link Language#ZH}, else the English of {@link #explain}.
     * {@code parent} is the parent's line from the same collection, null when the collection did not see it.
     */
    public static String explain(CollectorOutput.ProcessInfo p, int socketsHeld, CollectorOutput.ProcessInfo parent,
            Language language) {
        return language == Language.ZH ? explainZh(p, socketsHeld, parent) : explain(p, socketsHeld, parent);
    }

    /**
     * Says who the parent is (pid and command) rather than guessing what it does: pid 1 is not always an init that
     * reaps its children (a container's first process, or a lab host's sshd, often does not).
     */
    public static String explain(CollectorOutput.ProcessInfo p, int socketsHeld, CollectorOutput.ProcessInfo parent) {
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
            return "zombie: it has exited and holds no sockets; its parent " + parentNamed(p, parent)
                    + " has not reaped it yet. " + (p.ppid() == 1
                            ? "Only pid 1 can reap it: if it stays, pid 1 does not reap its children."
                            : "Restarting or signalling the parent clears it.");
        }
        if (p.ppid() == 1 && socketsHeld > 0) {
            return "orphan: its parent is gone, so it was re-parented to " + parentNamed(p, parent) + "; it holds "
                    + held + " listed below.";
        }
        return socketsHeld > 0 ? "holds " + held + " listed below (state " + stateWord(p.state()) + ")."
                : "state " + stateWord(p.state()) + ".";
    }

    /** "sshd (pid 1)", or "pid 1 (not seen by this collection)" when the collection has no line for it. */
    private static String parentNamed(CollectorOutput.ProcessInfo p, CollectorOutput.ProcessInfo parent) {
        return parent != null && parent.pid() == p.ppid() && parent.command() != null && !parent.command().isEmpty()
                ? parent.command() + " (pid " + p.ppid() + ")"
                : "pid " + p.ppid() + " (not seen by this collection)";
    }

    private static String parentNamedZh(CollectorOutput.ProcessInfo p, CollectorOutput.ProcessInfo parent) {
        return parent != null && parent.pid() == p.ppid() && parent.command() != null && !parent.command().isEmpty()
                ? parent.command() + "（pid " + p.ppid() + "）"
                : "pid " + p.ppid() + "（本次采集没有看到它）";
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

    /** The same facts in Chinese; pids, thread counts, commands and ps state letters stay as they are. */
    static String explainZh(CollectorOutput.ProcessInfo p, int socketsHeld, CollectorOutput.ProcessInfo parent) {
        String held = socketsHeld + " 个连接";
        if ("Z".equals(p.state()) && p.threads() > 1 && socketsHeld == 0) {
            return "已失效的主线程进程（defunct leader）：主线程已退出，另有 " + (p.threads() - 1) + " 个线程仍在运行；"
                    + "它目前没有占用值得关注的连接。";
        }
        if ("Z".equals(p.state()) && p.threads() > 1) {
            return "已失效的主线程进程（defunct leader）：主线程已退出，仍在运行的 " + (p.threads() - 1) + " 个线程占着 " + held
                    + "；ps 和 ss -p 看不到它们的属主。只有结束整个进程（pid " + p.pid() + "）才能释放它们。";
        }
        if ("Z".equals(p.state())) {
            return "僵尸进程：已经退出，没有占用连接；父进程 " + parentNamedZh(p, parent) + "还没有回收它。"
                    + (p.ppid() == 1 ? "只有 pid 1 能回收它：如果它一直不消失，说明 pid 1 不回收子进程。"
                            : "重启父进程或给它发信号即可清除。");
        }
        if (p.ppid() == 1 && socketsHeld > 0) {
            return "孤儿进程：父进程已不在，它被过继给了 " + parentNamedZh(p, parent) + "；它占着下面列出的 " + held + "。";
        }
        return socketsHeld > 0 ? "占着下面列出的 " + held + "（状态：" + stateWordZh(p.state()) + "）。"
                : "状态：" + stateWordZh(p.state()) + "。";
    }

    static String stateWordZh(String state) {
        return switch (state == null ? "" : state) {
            case "R" -> "运行中";
            case "S" -> "睡眠";
            case "D" -> "不可中断的 I/O 等待";
            case "T", "t" -> "已停止";
            case "Z" -> "僵尸";
            default -> state;
        };
    }
}
