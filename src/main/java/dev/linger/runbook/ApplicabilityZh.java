package dev.linger.runbook;

/**
 * The verdicts of {@link Applicability} and the meanings of {@link Check} in Chinese, for pages only: the API and the
 * stored plans keep {@link Applicability#ENGLISH}. Same facts from the same inputs; keys, commands, TCP state names
 * and numbers stay as they are.
 */
final class ApplicabilityZh implements Applicability.Wording {

    static final Applicability.Wording WORDS = new ApplicabilityZh();

    private ApplicabilityZh() {
    }

    public String meaning(Check check) {
        return switch (check) {
            case ORPHAN_LIMIT_PRESENT -> "主机上存在 net.ipv4.tcp_max_orphans（即机器自己的网络栈，不是容器或网络命名空间的）";
            case SOCKET_KILL_SUPPORTED -> "主机上可以用 ss -K 销毁连接";
            case KEEPALIVE_IN_USE -> "该端口的 CLOSE-WAIT 连接启用了 TCP keepalive";
        };
    }

    public String orphanLimitNotKnown(String key) {
        return "尚不清楚：还没有哪次采集读取过 " + key + "。";
    }

    public String orphanLimitMissing(String key) {
        return "这台主机上没有 " + key + "：它的网络栈属于容器或网络命名空间自己，孤儿连接上限只属于机器的初始命名空间。"
                + "请改用针对端口的 ss -K 运维手册。";
    }

    public String orphanLimitIs(String key, String value) {
        return "这台主机上 " + key + " 为 " + value + "。";
    }

    public String socketKillNotKnown() {
        return "尚不清楚：还没有哪次采集探测过 ss -K。";
    }

    public String socketKillWorks() {
        return "这台主机上 ss -K 可用。";
    }

    public String socketKillFails() {
        return "这台主机上 ss -K 不可用：内核缺少 CONFIG_INET_DIAG_DESTROY，或者没有 ss、ss 版本太旧。";
    }

    public String keepaliveChoosePort() {
        return "尚不清楚：请先选择端口。";
    }

    public String keepaliveNoSocketList() {
        return "尚不清楚：最近的采集都没有列出连接。";
    }

    public String keepaliveNoCloseWait(int port) {
        return "无法判断：最近一次采集中端口 " + port + " 上没有 CLOSE-WAIT 连接。";
    }

    public String keepaliveNone(long closeWait, int port) {
        return "端口 " + port + " 上的 " + closeWait + " 个 CLOSE-WAIT 连接都没有 keepalive 定时器：它们的程序从未开启"
                + " SO_KEEPALIVE，所以调整 keepalive 参数关不掉它们。要修的是持有这些连接的进程。";
    }

    public String keepaliveSome(long withKeepalive, long closeWait, int port) {
        return "端口 " + port + " 上的 " + closeWait + " 个 CLOSE-WAIT 连接中有 " + withKeepalive + " 个带 keepalive 定时器"
                + (withKeepalive < closeWait ? "；其余的不受影响。" : "。");
    }
}
