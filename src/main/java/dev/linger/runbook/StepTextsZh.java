package dev.linger.runbook;

import java.util.stream.Collectors;

/**
 * The Chinese of {@link StepTexts}, made from the step and its bindings when a page is shown; what is stored (the
 * runbook, a job's plan) stays English. Keys, commands, file names, TCP state names and numbers are left as they are.
 */
final class StepTextsZh implements StepTexts {

    static final StepTexts TEXTS = new StepTextsZh();

    private StepTextsZh() {
    }

    public String title(StepType type) {
        return switch (type) {
            case READ_SYSCTL -> "读取 sysctl";
            case SET_SYSCTL -> "设置 sysctl（运行时）";
            case RESTORE_SYSCTL -> "把 sysctl 恢复为记录的值";
            case PERSIST_SYSCTL -> "在 /etc/sysctl.d 中持久化 sysctl";
            case WAIT_SOCKETS -> "等待端口上的连接排空";
            case KILL_SOCKETS -> "销毁某个端口的连接（ss -K）";
            case SIGNAL_PROCESS -> "向进程发送信号";
            case VERIFY -> "重新采集并验证";
            case NOTE -> "手工操作说明";
            case SHELL -> "自由 shell 命令（仅限 CRITICAL 运维手册）";
        };
    }

    public String label(StepType.Field field) {
        return switch (field) {
            case KEY -> "sysctl 键";
            case VALUE -> "值";
            case FILE -> "/etc/sysctl.d 中的文件";
            case ENTRIES -> "配置行（key = value）";
            case STATE -> "TCP 状态";
            case PORT -> "本地端口";
            case AT_MOST -> "直到最多剩";
            case POLL_SECONDS -> "检查间隔（秒）";
            case TIMEOUT_SECONDS -> "超时放弃（秒）";
            case PID -> "进程 ID";
            case SIGNAL -> "信号";
            case SETTLE_SECONDS -> "采集前等待（秒）";
            case TEXT -> "操作说明";
            case COMMAND -> "命令";
        };
    }

    public String changes(Step step, Bindings b) {
        if (step instanceof Step.ReadSysctl) {
            return "不做改动：只读取并记录该值。";
        } else if (step instanceof Step.SetSysctl s) {
            return s.key() + " 的运行时值改为 " + b.resolve(s.value()).text() + "（重启前有效）。" + scope(s.key());
        } else if (step instanceof Step.RestoreSysctl r) {
            return r.key() + " 的运行时值恢复为本任务修改之前记录的值。";
        } else if (step instanceof Step.PersistSysctl p) {
            return "写入 " + Step.SYSCTL_D + p.file() + "（每次开机都会读取）并立即生效："
                    + p.entries().entrySet().stream().map(e -> e.getKey() + " = " + b.resolve(e.getValue()).text())
                            .collect(Collectors.joining("，"))
                    + "。" + p.entries().keySet().stream().map(StepTextsZh::scope).filter(s -> !s.isEmpty()).findFirst()
                            .orElse("");
        } else if (step instanceof Step.WaitSockets w) {
            return "不做改动：每 " + w.pollSeconds() + " 秒统计一次端口 " + b.resolve(w.port()).text() + " 上的 "
                    + w.state().name() + " 连接，直到最多剩 " + w.atMost() + " 个，最长等待 " + w.timeoutSeconds()
                    + " 秒；超时则任务失败。";
        } else if (step instanceof Step.KillSockets k) {
            return "销毁本地端口为 " + b.resolve(k.port()).text() + " 的 " + k.state().name() + " 连接，主机上的其他连接不受影响。";
        } else if (step instanceof Step.SignalProcess s) {
            return "向进程 " + b.resolve(s.pid()).text() + " 发送 SIG" + s.signal()
                    + ("KILL".equals(s.signal()) ? "，进程会立即结束，没有机会做清理。" : "。");
        } else if (step instanceof Step.Verify v) {
            return "不做改动：" + (v.settleSeconds() > 0 ? v.settleSeconds() + " 秒后，" : "")
                    + "Linger 重新采集这台主机，检查事件的触发条件是否已经消除。";
        } else if (step instanceof Step.Note) {
            return "由人来操作；任务会一直等到其确认。";
        } else if (step instanceof Step.FreeShell) {
            return "什么都可能改：Linger 无法判断自由命令改动了什么。";
        }
        return step.changes(b);
    }

    public String undoHow(Step step) {
        if (step instanceof Step.ReadSysctl) {
            return "只读取。";
        } else if (step instanceof Step.SetSysctl s) {
            return "Linger 把 " + s.key() + " 改回执行前刚记录的值。";
        } else if (step instanceof Step.RestoreSysctl r) {
            return "它本身就是撤销：" + r.key() + " 回到了起点，回滚时不必再为它恢复什么。";
        } else if (step instanceof Step.PersistSysctl) {
            return "Linger 恢复该文件原来的内容（原来没有则删除），并把每个键改回它记录的运行时值。";
        } else if (step instanceof Step.WaitSockets) {
            return "只观察。";
        } else if (step instanceof Step.KillSockets) {
            return "被销毁的连接无法恢复；对端会收到 reset 并重新连接。";
        } else if (step instanceof Step.SignalProcess) {
            return "已退出的进程不会自己回来；它的守护者（systemd 之类）可能会重新启动它。";
        } else if (step instanceof Step.Verify) {
            return "只查看。";
        } else if (step instanceof Step.Note) {
            return "人手工做的，由人手工撤销。";
        } else if (step instanceof Step.FreeShell) {
            return "Linger 无法知道自由命令改动了什么；请手工撤销。";
        }
        return step.undo().how();
    }

    public String undoKind(Step.Undo.Kind kind) {
        return switch (kind) {
            case NOTHING_TO_UNDO -> "无需撤销";
            case AUTOMATIC -> "自动撤销";
            case IRREVERSIBLE -> "不可撤销";
            case MANUAL -> "手工撤销";
        };
    }

    /** The warning for a key that is one value for the whole machine. */
    private static String scope(String key) {
        return SysctlRules.known(key).filter(SysctlRules.Known::global)
                .map(k -> "全局生效：整台机器只有这一个值，机器上的每个容器和服务都受影响。").orElse("");
    }
}
