package dev.linger.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Each stored English job text, made by its producer's format, and its Chinese; unknown texts give null. */
class JobTextsZhTest {

    @Test
    void outcomesOfRunsAndRollbacks() {
        assertEquals("3 个步骤全部完成", JobTextsZh.outcome("3 steps done"));
        assertEquals("已回滚 2 个键", JobTextsZh.outcome("2 keys rolled back"));
        assertEquals("应请求停止，第 4 步未执行", JobTextsZh.outcome("stopped by request before step 4"));
        assertEquals("已回滚：任务 #17 记录的每项改动都已撤销。",
                JobTextsZh.outcome("Rolled back: every recorded change of job 17 is undone."));
        assertEquals("没有需要撤销的改动：每项改动都已回滚。",
                JobTextsZh.outcome("Nothing left to undo: every change was already rolled back."));
        assertEquals("这个任务的主机已被删除。", JobTextsZh.outcome("The host of this job was removed."));
        assertEquals("Linger 执行这个任务时出错：boom", JobTextsZh.outcome("Linger failed while running this job: boom"));
    }

    @Test
    void aFailedStepCarriesItsOwnMessageInChinese() {
        assertEquals("第 2 步失败：命令失败，退出码 1", JobTextsZh.outcome("step 2 failed: the command failed with exit code 1"));
        assertEquals("第 2 步失败：漂移：net.ipv4.tcp_keepalive_time 现在是 600，但任务留下的值是 300；需要审批人选择强制覆盖才能回滚",
                JobTextsZh.outcome("step 2 failed: drift: net.ipv4.tcp_keepalive_time is 600, but the job left it at"
                        + " 300; an approver must override to roll back"));
        // an inner text of unknown form stays as it is; the frame is still Chinese
        assertEquals("第 1 步失败：something new", JobTextsZh.outcome("step 1 failed: something new"));
    }

    @Test
    void notNeededWhenThePortDrainedWhileTheJobWaited() {
        assertEquals("无需执行：端口 8080 上有 0 个 CLOSE-WAIT 连接，不超过 5 个，无需处理（任务开始时检查）。",
                JobTextsZh.outcome("Not needed: port 8080 has 0 CLOSE-WAIT sockets, no more than 5: nothing to do"
                        + " (checked when the job started)."));
    }

    @Test
    void outcomesWrittenByPeopleAndTheSweeper() {
        assertEquals("没有人在期限内审批。", JobTextsZh.outcome("Nobody approved it in time."));
        assertEquals("已被 ann 拒绝。", JobTextsZh.outcome("Rejected by ann."));
        assertEquals("已被 ann.lee 拒绝：wrong host", JobTextsZh.outcome("Rejected by ann.lee: wrong host"));
        assertEquals("已被 bob 取消。", JobTextsZh.outcome("Cancelled by bob."));
        assertEquals("Linger 在执行中失去了这个任务（执行它的执行器在 2026-11-25 06:00:00 UTC 停止续租）。它不会自动重新执行："
                + "请检查记录的改动，然后回滚或重新发起。", JobTextsZh.outcome("Linger lost this job while it ran (its worker"
                        + " stopped renewing its lease at 2026-11-25 06:00:00 UTC). It is not run again by itself: check"
                        + " the recorded changes and roll back or propose it again."));
    }

    @Test
    void stepMessages() {
        assertEquals("退出码 0", JobTextsZh.stepMessage("exit 0"));
        assertEquals("已验证", JobTextsZh.stepMessage("verified"));
        assertEquals("已确认", JobTextsZh.stepMessage("confirmed"));
        assertEquals("已中断", JobTextsZh.stepMessage("interrupted"));
        assertEquals("应请求停止", JobTextsZh.stepMessage("stopped by request"));
        assertEquals("参数 port 没有值", JobTextsZh.stepMessage("parameter port has no value"));
        assertEquals("内部错误：java.lang.X", JobTextsZh.stepMessage("internal error: java.lang.X"));
        assertEquals("net.ipv4.tcp_fin_timeout 没有记录的值：这一步之前没有步骤读取过它",
                JobTextsZh.stepMessage("no recorded value for net.ipv4.tcp_fin_timeout: nothing before this step read it"));
        assertEquals("写入 /etc/sysctl.d/90-linger.conf 失败，退出码 1",
                JobTextsZh.stepMessage("writing /etc/sysctl.d/90-linger.conf failed with exit code 1"));
        assertEquals("内核保留了其他值：a.b 为 1，而不是 2；c.d 为 3，而不是 4",
                JobTextsZh.stepMessage("the kernel kept other values: a.b is 1, not 2; c.d is 3, not 4"));
        assertEquals("已写入 /etc/sysctl.d/90-linger.conf 并应用了 2 个键",
                JobTextsZh.stepMessage("wrote /etc/sysctl.d/90-linger.conf and applied 2 keys"));
        assertEquals("无法判断 /etc/sysctl.d/x.conf 是否存在", JobTextsZh.stepMessage("cannot tell whether /etc/sysctl.d/x.conf exists"));
        assertEquals("还剩 3 个连接（≤ 5）", JobTextsZh.stepMessage("3 sockets remain (≤ 5)"));
        assertEquals("30 秒后端口 :8080 上仍有 12 个 CLOSE-WAIT 连接",
                JobTextsZh.stepMessage("still 12 CLOSE-WAIT sockets remain on :8080 after 30 s"));
        assertEquals("已销毁 12 个连接", JobTextsZh.stepMessage("12 sockets destroyed"));
        assertEquals("进程 4242 已不存在", JobTextsZh.stepMessage("process 4242 is gone"));
        assertEquals("已向进程 4242 发送 SIGTERM", JobTextsZh.stepMessage("sent SIGTERM to 4242"));
        assertEquals("已经是 7200，无需撤销", JobTextsZh.stepMessage("already 7200, nothing to undo"));
        assertEquals("无法在主机上启动 net.ipv4.tcp_max_orphans 的守护进程；没有做任何改动",
                JobTextsZh.stepMessage("could not arm the host-side guard for net.ipv4.tcp_max_orphans; nothing was changed"));
        assertEquals("设置 a.b 失败，退出码 255；当前值为 7", JobTextsZh.stepMessage("setting a.b failed with exit code 255; it is 7"));
        assertEquals("a.b 已设为 1，但内核保留了 7", JobTextsZh.stepMessage("a.b was set to 1 but the kernel kept 7"));
        assertEquals("这台主机上不存在 net.ipv4.tcp_max_orphans",
                JobTextsZh.stepMessage("net.ipv4.tcp_max_orphans does not exist on this host"));
        assertEquals("无法在 web-1 上执行命令：timeout", JobTextsZh.stepMessage("could not run the command on web-1: timeout"));
        assertEquals("命令失败，退出码 2", JobTextsZh.stepMessage("the command failed with exit code 2"));
        assertEquals("无法再次采集这台主机：refused", JobTextsZh.stepMessage("the host could not be collected again: refused"));
        assertEquals("无法再次采集这台主机。", JobTextsZh.stepMessage("the host could not be collected again."));
        assertEquals("任务之后的采集仍然发现 CLOSE_WAIT_LEAK :8080。",
                JobTextsZh.stepMessage("the collection after the job still finds CLOSE_WAIT_LEAK :8080."));
    }

    @Test
    void valuesAndChangesWithoutWordsStayAsTheyAre() {
        assertEquals("net.ipv4.tcp_keepalive_time: 7200 → 300",
                JobTextsZh.stepMessage("net.ipv4.tcp_keepalive_time: 7200 → 300"));
        assertEquals("net.ipv4.tcp_fin_timeout = 60", JobTextsZh.stepMessage("net.ipv4.tcp_fin_timeout = 60"));
    }

    @Test
    void aRestoreWhoseGuardStaysWarnsInChinese() {
        assertEquals("net.ipv4.tcp_max_orphans: 0 → 65536；无法解除主机上 net.ipv4.tcp_max_orphans 的守护进程：no such file",
                JobTextsZh.stepMessage("net.ipv4.tcp_max_orphans: 0 → 65536; could not disarm the host-side guard for"
                        + " net.ipv4.tcp_max_orphans: no such file"));
    }

    @Test
    void progressOfAWait() {
        assertEquals("端口 :8080 上还剩 7 个 CLOSE-WAIT 连接", JobTextsZh.progress("7 CLOSE-WAIT sockets remain on :8080"));
    }

    @Test
    void blastRadius() {
        assertEquals("net.ipv4.tcp_max_orphans=0 是全局设置：主机上每个孤儿连接都会在它的下一次定时器到期时被回收，不分端口。",
                JobTextsZh.blastRadius("net.ipv4.tcp_max_orphans=0 is system-wide: every orphaned socket on the host dies"
                        + " at its next timer, on every port."));
        assertEquals("net.ipv4.tcp_max_orphans=0 是全局设置：主机上每个孤儿连接都会在它的下一次定时器到期时被回收，不分端口。"
                + "当前主机上有 40 个孤儿连接；端口 :8080 以外的 3 个 FIN-WAIT-1 连接也会被回收。",
                JobTextsZh.blastRadius("net.ipv4.tcp_max_orphans=0 is system-wide: every orphaned socket on the host dies"
                        + " at its next timer, on every port. Now: 40 orphaned sockets on the host; 3 FIN-WAIT-1 sockets"
                        + " on other ports than :8080 will die too."));
        assertEquals("主机网络命名空间里每个启用了 SO_KEEPALIVE 的连接都会使用新值，不只是这个端口的连接。",
                JobTextsZh.blastRadius("Every socket with SO_KEEPALIVE in the host's network namespace uses the new value,"
                        + " not only this port's."));
        assertEquals("端口 :8080 上的 12 个 CLOSE-WAIT 连接会被销毁；其他连接不受影响。",
                JobTextsZh.blastRadius("12 CLOSE-WAIT sockets on :8080 are destroyed; no other socket is touched."));
        assertEquals("端口 :8080 上的 CLOSE-WAIT 连接会被销毁；其他连接不受影响。",
                JobTextsZh.blastRadius("The CLOSE-WAIT sockets on :8080 are destroyed; no other socket is touched."));
        assertEquals("进程 4242 会收到 SIGTERM；它退出时，它的连接随之关闭。",
                JobTextsZh.blastRadius("Process 4242 receives SIGTERM; its connections close when it exits."));
    }

    @Test
    void valuesNow() {
        assertEquals("7200 → 300", JobTextsZh.value("7200 → 300"));
        assertEquals("未知 → 300", JobTextsZh.value("unknown → 300"));
        assertEquals("这台主机上不存在 → 0", JobTextsZh.value("missing on this host → 0"));
        assertEquals("7200 → 300（持久）", JobTextsZh.value("7200 → 300 (persistent)"));
        assertEquals("→ 任务执行时记录的值（当前为 300）", JobTextsZh.value("→ the value recorded when the job runs (now 300)"));
        assertEquals("4096 87380 6291456 → 4096 87380 16777216",
                JobTextsZh.value("4096 87380 6291456 → 4096 87380 16777216"));
    }

    @Test
    void advisoryChecks() {
        assertEquals("尚不清楚：还没有采集读取过 net.ipv4.tcp_max_orphans。",
                JobTextsZh.check("Not known yet: no collection has read net.ipv4.tcp_max_orphans."));
        assertEquals("这台主机上不存在 net.ipv4.tcp_max_orphans：它的网络栈属于容器或独立的网络命名空间，而孤儿连接上限属于宿主机的初始命名空间。"
                + "请改用针对端口的 ss -K 运维手册。", JobTextsZh.check("net.ipv4.tcp_max_orphans does not exist on this host:"
                        + " its network stack is a container's or a network namespace's own, and the orphan limit belongs"
                        + " to the machine's initial namespace. Use the targeted ss -K runbook instead."));
        assertEquals("这台主机上 net.ipv4.tcp_max_orphans 为 65536。",
                JobTextsZh.check("net.ipv4.tcp_max_orphans is 65536 on this host."));
        assertEquals("尚不清楚：还没有采集探测过 ss -K。", JobTextsZh.check("Not known yet: no collection has probed ss -K."));
        assertEquals("这台主机上 ss -K 可用。", JobTextsZh.check("ss -K works on this host."));
        assertEquals("这台主机上 ss -K 不可用：内核缺少 CONFIG_INET_DIAG_DESTROY，或者没有 ss 或其版本过旧。",
                JobTextsZh.check("ss -K does not work on this host: the kernel lacks CONFIG_INET_DIAG_DESTROY, or ss is"
                        + " missing or too old."));
        assertEquals("尚不清楚：请先选择端口。", JobTextsZh.check("Not known yet: choose the port first."));
        assertEquals("尚不清楚：最近没有列出连接的采集。", JobTextsZh.check("Not known yet: no recent collection lists sockets."));
        assertEquals("无法判断：最近一次采集中端口 8080 上没有 CLOSE-WAIT 连接。",
                JobTextsZh.check("Not known: the latest collection has no CLOSE-WAIT socket on port 8080."));
        assertEquals("端口 8080 上的 4 个 CLOSE-WAIT 连接都没有 keepalive 定时器：它们的程序从未启用 SO_KEEPALIVE，"
                + "所以 keepalive 参数关不掉它们。要修的是持有它们的进程。", JobTextsZh.check("None of the 4 CLOSE-WAIT sockets"
                        + " on port 8080 has a keepalive timer: their program never enabled SO_KEEPALIVE, so keepalive"
                        + " settings cannot close them. The fix is the owning process."));
        assertEquals("端口 8080 上的 4 个 CLOSE-WAIT 连接中有 1 个带 keepalive 定时器；其余的不受影响。",
                JobTextsZh.check("1 of the 4 CLOSE-WAIT sockets on port 8080 have a keepalive timer; the others will not"
                        + " be affected."));
        assertEquals("端口 8080 上的 4 个 CLOSE-WAIT 连接中有 4 个带 keepalive 定时器。",
                JobTextsZh.check("4 of the 4 CLOSE-WAIT sockets on port 8080 have a keepalive timer."));
    }

    @Test
    void unknownTextsGiveNullSoThePageKeepsTheStoredEnglish() {
        assertNull(JobTextsZh.outcome("Something Linger will say one day."));
        assertNull(JobTextsZh.outcome("3 steps done!"));
        assertNull(JobTextsZh.stepMessage("a message of a newer version"));
        assertNull(JobTextsZh.progress("halfway"));
        assertNull(JobTextsZh.blastRadius("Everything burns."));
        assertNull(JobTextsZh.value("7200"));
        assertNull(JobTextsZh.check("A check added later."));
        assertNull(JobTextsZh.outcome(null));
    }
}
