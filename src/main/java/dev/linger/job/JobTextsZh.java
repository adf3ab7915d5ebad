package dev.linger.job;

import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Chinese of the job texts Java writes in English and the database keeps (job.outcome, job_step.message and
 * progress, the plan's checks, values and blast radius): the stored text stays English because the API and the audit
 * log show it. Each pattern mirrors one format string of its producer ({@link StepEngine}, {@link JobWorkers},
 * {@link JobService}, {@link JobPlanner}, {@code Applicability}, {@code IncidentService.verifiedByJob}) and keeps its
 * values (keys, numbers, ports, states, commands) as they are. A text no pattern matches gives null: the page then
 * shows the stored English.
 */
final class JobTextsZh {

    /** One recognised format: its pattern, matched whole, and the Chinese made from its groups. */
    private record Rule(Pattern pattern, Function<Matcher, String> zh) {
        static Rule of(String regex, Function<Matcher, String> zh) {
            return new Rule(Pattern.compile(regex, Pattern.DOTALL), zh);
        }
    }

    private JobTextsZh() {
    }

    // ---- job.outcome (JobWorkers, StepEngine.Result, JobService) ----

    private static final List<Rule> OUTCOMES = List.of(
            Rule.of("(\\d+) steps done", m -> m.group(1) + " 个步骤全部完成"),
            Rule.of("(\\d+) keys rolled back", m -> "已回滚 " + m.group(1) + " 个键"),
            Rule.of("stopped by request before step (\\d+)", m -> "应请求停止，第 " + m.group(1) + " 步未执行"),
            Rule.of("step (\\d+) failed: (.*)", m -> "第 " + m.group(1) + " 步失败：" + orSame(stepMessage(m.group(2)),
                    m.group(2))),
            Rule.of("Rolled back: every recorded change of job (\\d+) is undone\\.",
                    m -> "已回滚：任务 #" + m.group(1) + " 记录的每项改动都已撤销。"),
            Rule.of("Not needed: (.*) \\(checked when the job started\\)\\.",
                    m -> "无需执行：" + orSame(drained(m.group(1)), m.group(1)) + "（任务开始时检查）。"),
            Rule.of("Nothing left to undo: every change was already rolled back\\.",
                    m -> "没有需要撤销的改动：每项改动都已回滚。"),
            Rule.of("The host of this job was removed\\.", m -> "这个任务的主机已被删除。"),
            Rule.of("Linger failed while running this job: (.*)", m -> "Linger 执行这个任务时出错：" + m.group(1)),
            Rule.of("Nobody approved it in time\\.", m -> "没有人在期限内审批。"),
            Rule.of("Linger lost this job while it ran \\(its worker stopped renewing its lease at (.+) UTC\\)\\. It is"
                    + " not run again by itself: check the recorded changes and roll back or propose it again\\.",
                    m -> "Linger 在执行中失去了这个任务（执行它的执行器在 " + m.group(1) + " UTC 停止续租）。它不会自动重新执行："
                            + "请检查记录的改动，然后回滚或重新发起。"),
            Rule.of("Rejected by ([^\\s:]+): (.*)", m -> "已被 " + m.group(1) + " 拒绝：" + m.group(2)),
            Rule.of("Rejected by ([^\\s:]+)\\.", m -> "已被 " + m.group(1) + " 拒绝。"),
            Rule.of("Cancelled by ([^\\s:]+)\\.", m -> "已被 " + m.group(1) + " 取消。"));

    /** StepEngine.alreadyDrained. */
    private static final List<Rule> DRAINED = List.of(
            Rule.of("port (\\S+) has (\\d+) (\\S+) sockets, no more than (\\d+): nothing to do",
                    m -> "端口 " + m.group(1) + " 上有 " + m.group(2) + " 个 " + m.group(3) + " 连接，不超过 " + m.group(4)
                            + " 个，无需处理"));

    // ---- job_step.message and job_step.progress (StepEngine, the verifier) ----

    private static final String DISARM = "could not disarm the host-side guard for ";

    private static final List<Rule> STEP_MESSAGES = List.of(
            Rule.of("exit 0", m -> "退出码 0"),
            Rule.of("verified", m -> "已验证"),
            Rule.of("confirmed", m -> "已确认"),
            Rule.of("interrupted", m -> "已中断"),
            Rule.of("stopped by request", m -> "应请求停止"),
            Rule.of("parameter (\\S+) has no value", m -> "参数 " + m.group(1) + " 没有值"),
            Rule.of("internal error: (.*)", m -> "内部错误：" + m.group(1)),
            Rule.of("no recorded value for (\\S+): nothing before this step read it",
                    m -> m.group(1) + " 没有记录的值：这一步之前没有步骤读取过它"),
            Rule.of("(.+); " + DISARM + "(\\S+): (.*)", m -> orSame(stepMessage(m.group(1)), m.group(1))
                    + "；无法解除主机上 " + m.group(2) + " 的守护进程：" + m.group(3)),
            Rule.of(DISARM + "(\\S+): (.*)", m -> "无法解除主机上 " + m.group(1) + " 的守护进程：" + m.group(2)),
            Rule.of("writing (\\S+) failed with exit code (-?\\d+)",
                    m -> "写入 " + m.group(1) + " 失败，退出码 " + m.group(2)),
            Rule.of("the kernel kept other values: (.*)", m -> "内核保留了其他值：" + kept(m.group(1))),
            Rule.of("wrote (\\S+) and applied (\\d+) keys", m -> "已写入 " + m.group(1) + " 并应用了 " + m.group(2) + " 个键"),
            Rule.of("cannot tell whether (\\S+) exists", m -> "无法判断 " + m.group(1) + " 是否存在"),
            // issue 12 item 3: a link in /etc/sysctl.d is refused, never written through
            Rule.of("(\\S+) is a symbolic link; Linger does not write through it or replace it",
                    m -> m.group(1) + " 是符号链接；Linger 不会通过它写入，也不会替换它"),
            Rule.of("(\\d+) sockets remain \\(≤ (\\d+)\\)", m -> "还剩 " + m.group(1) + " 个连接（≤ " + m.group(2) + "）"),
            Rule.of("still (\\d+) (\\S+) sockets remain on :(\\S+) after (\\d+) s",
                    m -> m.group(4) + " 秒后端口 :" + m.group(3) + " 上仍有 " + m.group(1) + " 个 " + m.group(2) + " 连接"),
            Rule.of("(\\d+) sockets destroyed", m -> "已销毁 " + m.group(1) + " 个连接"),
            Rule.of("process (\\S+) is gone", m -> "进程 " + m.group(1) + " 已不存在"),
            Rule.of("pid (\\S+) now belongs to another process \\((.*), start tick (\\S+), not (.*) started at tick"
                    + " (\\S+)\\): no signal sent", m -> "pid " + m.group(1) + " 现在属于另一个进程（" + m.group(2)
                            + "，启动时钟节拍 " + m.group(3) + "），而不是计划中 " + m.group(5) + " 启动的 " + m.group(4)
                            + "：未发送信号"),
            Rule.of("sent SIG(\\S+) to (\\S+)", m -> "已向进程 " + m.group(2) + " 发送 SIG" + m.group(1)),
            Rule.of("already (.*), nothing to undo", m -> "已经是 " + m.group(1) + "，无需撤销"),
            Rule.of("drift: (\\S+) is (.*), but the job left it at (.*); an approver must override to roll back",
                    m -> "漂移：" + m.group(1) + " 现在是 " + m.group(2) + "，但任务留下的值是 " + m.group(3)
                            + "；需要审批人选择强制覆盖才能回滚"),
            Rule.of("could not arm the host-side guard for (\\S+); nothing was changed",
                    m -> "无法在主机上启动 " + m.group(1) + " 的守护进程；没有做任何改动"),
            Rule.of("setting (\\S+) failed with exit code (-?\\d+); it is (.*)",
                    m -> "设置 " + m.group(1) + " 失败，退出码 " + m.group(2) + "；当前值为 " + m.group(3)),
            Rule.of("(\\S+) was set to (.*) but the kernel kept (.*)",
                    m -> m.group(1) + " 已设为 " + m.group(2) + "，但内核保留了 " + m.group(3)),
            Rule.of("(\\S+) does not exist on this host", m -> "这台主机上不存在 " + m.group(1)),
            Rule.of("could not run the command on (\\S+): (.*)", m -> "无法在 " + m.group(1) + " 上执行命令：" + m.group(2)),
            Rule.of("the command failed with exit code (-?\\d+)", m -> "命令失败，退出码 " + m.group(1)),
            Rule.of("the host could not be collected again: (.*)", m -> "无法再次采集这台主机：" + m.group(1)),
            Rule.of("the host could not be collected again\\.", m -> "无法再次采集这台主机。"),
            Rule.of("the collection after the job still finds (.+)\\.", m -> "任务之后的采集仍然发现 " + m.group(1) + "。"),
            // no words to translate: READ_SYSCTL's "key = value" and a change's "key: before → after"
            Rule.of("(\\S+) = (.*)", Matcher::group),
            Rule.of("(\\S+): (.*) → (.*)", Matcher::group));

    private static final List<Rule> PROGRESS = List.of(
            Rule.of("(\\d+) (\\S+) sockets remain on :(\\S+)",
                    m -> "端口 :" + m.group(3) + " 上还剩 " + m.group(1) + " 个 " + m.group(2) + " 连接"));

    // ---- the plan (JobPlanner, Applicability) ----

    private static final List<Rule> BLAST_RADIUS = List.of(
            Rule.of("(\\S+?)=(.*?) is system-wide: every orphaned socket on the host dies at its next timer, on every"
                    + " port(?:\\. Now: (\\d+) orphaned sockets on the host(?:; (-?\\d+) FIN-WAIT-1 sockets on other"
                    + " ports than :(\\S+) will die too)?)?\\.(?: Orphaned sockets per network namespace in the latest"
                    + " collection: (.*)\\.)?", m -> {
                        StringBuilder b = new StringBuilder(m.group(1) + "=" + m.group(2)
                                + " 是全局设置：主机上每个孤儿连接都会在它的下一次定时器到期时被回收，不分端口");
                        if (m.group(3) != null) {
                            b.append("。当前主机上有 ").append(m.group(3)).append(" 个孤儿连接");
                        }
                        if (m.group(4) != null) {
                            b.append("；端口 :").append(m.group(5)).append(" 以外的 ").append(m.group(4))
                                    .append(" 个 FIN-WAIT-1 连接也会被回收");
                        }
                        b.append('。');
                        if (m.group(6) != null) {
                            // issue 13: the machine-wide count, namespace by namespace
                            b.append("最近一次采集中各网络命名空间的孤儿连接：").append(m.group(6)
                                    .replace("; ", "；").replaceAll("(^|；)host: ", "$1主机：")
                                    .replaceAll("(^|；)container ", "$1容器 ").replaceAll("(^|；)pod ", "$1Pod ")
                                    .replaceAll(": (\\d+)(?=；|$)", "：$1"))
                                    .append('。');
                        }
                        return b.toString();
                    }),
            Rule.of("Every socket with SO_KEEPALIVE in the host's network namespace uses the new value, not only this"
                    + " port's\\.", m -> "主机网络命名空间里每个启用了 SO_KEEPALIVE 的连接都会使用新值，不只是这个端口的连接。"),
            // issue 13: inside a container's network namespace
            Rule.of("Every socket with SO_KEEPALIVE in the network namespace of (.*) uses the new value, not only this"
                    + " port's; the host and other containers keep theirs\\.", m -> JobTexts.whereZh(m.group(1))
                            + " 的网络命名空间里每个启用了 SO_KEEPALIVE 的连接都会使用新值，不只是这个端口的连接；主机和其他容器保持原值。"),
            Rule.of("(\\d+|The) (\\S+) sockets on :(\\S+) in (.*) are destroyed; no other socket is touched, and (\\d+)"
                    + " (\\S+) sockets on :(\\S+) in other network namespaces \\(the host's own included\\) are spared\\.",
                    m -> JobTexts.whereZh(m.group(4)) + " 中端口 :" + m.group(3) + " 上的"
                            + ("The".equals(m.group(1)) ? "" : " " + m.group(1) + " 个") + " " + m.group(2)
                            + " 连接会被销毁；其他连接不受影响，其他网络命名空间（包括主机自己的）中端口 :" + m.group(7) + " 上的 "
                            + m.group(5) + " 个 " + m.group(6) + " 连接不会被动到。"),
            Rule.of("No (\\S+) socket on :(\\S+) in (.*) matches now: this step destroys nothing\\.",
                    m -> JobTexts.whereZh(m.group(3)) + " 中端口 :" + m.group(2) + " 上现在没有 " + m.group(1)
                            + " 连接：这一步什么也不会销毁。"),
            Rule.of("(\\d+|The) (\\S+) sockets on :(\\S+) are destroyed; no other socket is touched\\.",
                    m -> "端口 :" + m.group(3) + " 上的" + ("The".equals(m.group(1)) ? "" : " " + m.group(1) + " 个")
                            + " " + m.group(2) + " 连接会被销毁；其他连接不受影响。"),
            Rule.of("Process (\\S+) receives SIG(\\S+); its connections close when it exits\\.",
                    m -> "进程 " + m.group(1) + " 会收到 SIG" + m.group(2) + "；它退出时，它的连接随之关闭。"),
            // issue 12 item 17: who the pid is, and steps that match no socket
            Rule.of("Process (\\S+) \\((.*), started (.*)\\) receives SIG(\\S+); its connections close when it exits\\."
                    + " If pid \\S+ then belongs to another command or another start, the step refuses to signal it\\.",
                    m -> "进程 " + m.group(1) + "（" + m.group(2) + "，启动于 " + m.group(3) + "）会收到 SIG" + m.group(4)
                            + "；它退出时，它的连接随之关闭。如果到时这个 pid 属于另一个命令或另一次启动，这一步拒绝发送信号。"),
            Rule.of("Process (\\S+) does not exist on the host now: this step will fail\\.",
                    m -> "主机上现在没有进程 " + m.group(1) + "：这一步会失败。"),
            Rule.of("No (\\S+) socket on :(\\S+) matches now: this step destroys nothing\\.",
                    m -> "端口 :" + m.group(2) + " 上现在没有 " + m.group(1) + " 连接：这一步什么也不会销毁。"),
            Rule.of("No (\\S+) socket on :(\\S+) matches now: this wait ends at once\\.",
                    m -> "端口 :" + m.group(2) + " 上现在没有 " + m.group(1) + " 连接：这一步的等待会立即结束。"),
            Rule.of("(\\d+) (\\S+) sockets on :(\\S+) now; the step waits until at most (\\d+) remain\\.",
                    m -> "端口 :" + m.group(3) + " 上现在有 " + m.group(1) + " 个 " + m.group(2) + " 连接；这一步会等到最多剩下 "
                            + m.group(4) + " 个。"));

    private static final List<Rule> VALUES = List.of(
            Rule.of("→ the value recorded when the job runs \\(now (.*)\\)",
                    m -> "→ 任务执行时记录的值（当前为 " + now(m.group(1)) + "）"),
            Rule.of("(.*?) → (.*) \\(persistent\\)", m -> now(m.group(1)) + " → " + m.group(2) + "（持久）"),
            Rule.of("(.*?) → (.*)", m -> now(m.group(1)) + " → " + m.group(2)));

    private static final List<Rule> CHECKS = List.of(
            Rule.of("Not known yet: no collection has read (\\S+)\\.", m -> "尚不清楚：还没有采集读取过 " + m.group(1) + "。"),
            Rule.of("(\\S+) does not exist on this host: its network stack is a container's or a network namespace's"
                    + " own, and the orphan limit belongs to the machine's initial namespace\\. Use the targeted ss -K"
                    + " runbook instead\\.", m -> "这台主机上不存在 " + m.group(1) + "：它的网络栈属于容器或独立的网络命名空间，"
                            + "而孤儿连接上限属于宿主机的初始命名空间。请改用针对端口的 ss -K 运维手册。"),
            Rule.of("(\\S+) is (.*) on this host\\.", m -> "这台主机上 " + m.group(1) + " 为 " + m.group(2) + "。"),
            Rule.of("Not known yet: no collection has probed ss -K\\.", m -> "尚不清楚：还没有采集探测过 ss -K。"),
            Rule.of("ss -K works on this host\\.", m -> "这台主机上 ss -K 可用。"),
            Rule.of("ss -K does not work on this host: the kernel lacks CONFIG_INET_DIAG_DESTROY, or ss is missing or"
                    + " too old\\.", m -> "这台主机上 ss -K 不可用：内核缺少 CONFIG_INET_DIAG_DESTROY，或者没有 ss 或其版本过旧。"),
            Rule.of("Not known yet: choose the port first\\.", m -> "尚不清楚：请先选择端口。"),
            Rule.of("Not known yet: no recent collection lists sockets\\.", m -> "尚不清楚：最近没有列出连接的采集。"),
            Rule.of("Not known: the latest collection has no CLOSE-WAIT socket on port (\\S+)\\.",
                    m -> "无法判断：最近一次采集中端口 " + m.group(1) + " 上没有 CLOSE-WAIT 连接。"),
            Rule.of("None of the (\\d+) CLOSE-WAIT sockets on port (\\S+) has a keepalive timer: their program never"
                    + " enabled SO_KEEPALIVE, so keepalive settings cannot close them\\. The fix is the owning"
                    + " process\\.", m -> "端口 " + m.group(2) + " 上的 " + m.group(1) + " 个 CLOSE-WAIT 连接都没有 keepalive"
                            + " 定时器：它们的程序从未启用 SO_KEEPALIVE，所以 keepalive 参数关不掉它们。要修的是持有它们的进程。"),
            Rule.of("(\\d+) of the (\\d+) CLOSE-WAIT sockets on port (\\S+) have a keepalive timer(; the others will not"
                    + " be affected)?\\.", m -> "端口 " + m.group(3) + " 上的 " + m.group(2) + " 个 CLOSE-WAIT 连接中有 "
                            + m.group(1) + " 个带 keepalive 定时器" + (m.group(4) == null ? "" : "；其余的不受影响") + "。"));

    /** A job's outcome in Chinese, or null when its format is not known here. */
    static String outcome(String english) {
        return apply(OUTCOMES, english);
    }

    /** A step's message in Chinese, or null. */
    static String stepMessage(String english) {
        return apply(STEP_MESSAGES, english);
    }

    /** A running step's progress in Chinese, or null. */
    static String progress(String english) {
        return apply(PROGRESS, english);
    }

    /** A plan step's blast radius in Chinese, or null. */
    static String blastRadius(String english) {
        return apply(BLAST_RADIUS, english);
    }

    /** A plan step's "values now" entry (the part after the key) in Chinese, or null. */
    static String value(String english) {
        return apply(VALUES, english);
    }

    /** An advisory check of the plan in Chinese, or null. */
    static String check(String english) {
        return apply(CHECKS, english);
    }

    private static String drained(String english) {
        return apply(DRAINED, english);
    }

    /** "KEY is A, not B; …" of a PERSIST_SYSCTL whose keys the kernel did not take. */
    private static String kept(String list) {
        StringBuilder b = new StringBuilder();
        for (String one : list.split("; ")) {
            Matcher m = Pattern.compile("(\\S+) is (.*), not (.*)", Pattern.DOTALL).matcher(one);
            if (!m.matches()) {
                return list;
            }
            b.append(b.isEmpty() ? "" : "；").append(m.group(1)).append(" 为 ").append(m.group(2)).append("，而不是 ")
                    .append(m.group(3));
        }
        return b.toString();
    }

    /** JobPlanner.now: the live value, or why it is not known. */
    private static String now(String english) {
        return switch (english) {
            case "unknown" -> "未知";
            case "missing on this host" -> "这台主机上不存在";
            default -> english;
        };
    }

    private static String orSame(String zh, String english) {
        return zh == null ? english : zh;
    }

    private static String apply(List<Rule> rules, String english) {
        if (english == null) {
            return null;
        }
        for (Rule r : rules) {
            Matcher m = r.pattern().matcher(english);
            if (m.matches()) {
                return r.zh().apply(m);
            }
        }
        return null;
    }
}
