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
                ProcessExplanation.explain(new ProcessInfo(77, 1, "Z", 2, "server"), 3, Language.ZH));
        assertTrue(ProcessExplanation.explain(new ProcessInfo(78, 1, "Z", 1, "x"), 0, Language.ZH).contains("父进程是 init"));
        assertTrue(ProcessExplanation.explain(new ProcessInfo(79, 500, "Z", 1, "x"), 0, Language.ZH)
                .contains("父进程（pid 500）还没有回收它"));
        assertTrue(ProcessExplanation.explain(new ProcessInfo(80, 1, "S", 4, "java"), 1, Language.ZH).startsWith("孤儿进程"));
        assertEquals("占着下面列出的 2 个连接（状态：睡眠）。",
                ProcessExplanation.explain(new ProcessInfo(81, 9, "S", 1, "x"), 2, Language.ZH));
        assertEquals("状态：运行中。", ProcessExplanation.explain(new ProcessInfo(82, 9, "R", 1, "x"), 0, Language.ZH));
    }

    @Test
    void englishIsTheLineItWasBefore() {
        ProcessInfo p = new ProcessInfo(77, 1, "Z", 2, "server");
        assertEquals(ProcessExplanation.explain(p, 3), ProcessExplanation.explain(p, 3, Language.EN));
    }
}
