package dev.linger.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.linger.collect.CollectorOutput.ProcessInfo;
import dev.linger.i18n.Language;

/** The one line per process of interest, in Chinese for a Chinese page, with the same facts as the English. */
class ProcessExplanationZhTest {

    @Test
    void chineseLinesKeepPidsAndCounts() {
        assertEquals("已失效的主线程进程（defunct leader）：主线程已退出，仍在运行的 1 个线程占着 3 个连接；ps 和 ss -p 看不到它们的属主。"
                + "只有结束整个进程（pid 77）才能释放它们。",
                ProcessExplanation.explain(new ProcessInfo(77, 1, "Z", 2, "server"), 3, null, Language.ZH));
        assertTrue(ProcessExplanation.explain(new ProcessInfo(79, 500, "Z", 1, "x"), 0, null, Language.ZH)
                .contains("父进程 pid 500（本次采集没有看到它）还没有回收它"));
        assertTrue(ProcessExplanation.explain(new ProcessInfo(80, 1, "S", 4, "java"), 1, null, Language.ZH)
                .startsWith("孤儿进程"));
        assertEquals("占着下面列出的 2 个连接（状态：睡眠）。",
                ProcessExplanation.explain(new ProcessInfo(81, 9, "S", 1, "x"), 2, null, Language.ZH));
        assertEquals("状态：运行中。", ProcessExplanation.explain(new ProcessInfo(82, 9, "R", 1, "x"), 0, null, Language.ZH));
    }

    /** Issue 12 item 19: the parent named by pid and command, never "init, which reaps it shortly". */
    @Test
    void aZombieNamesItsParentInChinese() {
        ProcessInfo pid1 = new ProcessInfo(1, 0, "S", 3, "process_api");
        String zombie = ProcessExplanation.explain(new ProcessInfo(78, 1, "Z", 1, "x"), 0, pid1, Language.ZH);
        assertEquals("僵尸进程：已经退出，没有占用连接；父进程 process_api（pid 1）还没有回收它。"
                + "只有 pid 1 能回收它：如果它一直不消失，说明 pid 1 不回收子进程。", zombie);
        assertEquals("孤儿进程：父进程已不在，它被过继给了 process_api（pid 1）；它占着下面列出的 1 个连接。",
                ProcessExplanation.explain(new ProcessInfo(80, 1, "S", 4, "java"), 1, pid1, Language.ZH));
        assertTrue(ProcessExplanation.explain(new ProcessInfo(79, 500, "Z", 1, "x"), 0,
                new ProcessInfo(500, 1, "S", 1, "sshd"), Language.ZH).contains("父进程 sshd（pid 500）还没有回收它。重启父进程"));
    }

    @Test
    void englishIsTheLineItWasBefore() {
        ProcessInfo p = new ProcessInfo(77, 1, "Z", 2, "server");
        assertEquals(ProcessExplanation.explain(p, 3, null), ProcessExplanation.explain(p, 3, null, Language.EN));
    }
}
