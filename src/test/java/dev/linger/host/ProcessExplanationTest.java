package dev.linger.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;

import org.junit.jupiter.api.Test;

import dev.linger.collect.CollectorOutput.ProcessInfo;
import dev.linger.i18n.Catalogue;
import dev.linger.i18n.Text;
import io.quarkus.test.junit.QuarkusTest;

/** A process of interest is explained by one message with its facts as arguments, said in each language. */
@QuarkusTest
class ProcessExplanationTest {

    static final Locale ZH = Locale.forLanguageTag("zh");

    static String en(ProcessInfo p, int held, ProcessInfo parent) {
        return Catalogue.render(ProcessExplanation.explain(p, held, parent), Locale.ENGLISH);
    }

    static String zh(ProcessInfo p, int held, ProcessInfo parent) {
        return Catalogue.render(ProcessExplanation.explain(p, held, parent), ZH);
    }

    @Test
    void processesAreExplainedInPlainWords() {
        assertEquals("defunct leader: main thread exited, 1 live thread still holds 3 sockets; ps and ss -p show no"
                + " owner for them. Only ending the whole process (pid 77) frees them.",
                en(new ProcessInfo(77, 1, "Z", 2, "server"), 3, null));
        assertTrue(en(new ProcessInfo(79, 500, "Z", 1, "x"), 0, null)
                .contains("its parent pid 500 (not seen by this collection) has not reaped it yet"));
        assertTrue(en(new ProcessInfo(80, 1, "S", 4, "java"), 1, null).startsWith("orphan"));
        assertEquals("defunct leader: main thread exited while 1 other thread lives on; it holds no notable socket now.",
                en(new ProcessInfo(81, 1, "Z", 2, "x"), 0, null));
        assertEquals("defunct leader: main thread exited while 3 other threads live on; it holds no notable socket now.",
                en(new ProcessInfo(81, 1, "Z", 4, "x"), 0, null));
        assertEquals("holds 2 sockets listed below (state sleeping).", en(new ProcessInfo(81, 9, "S", 1, "x"), 2, null));
        assertEquals("state I.", en(new ProcessInfo(82, 9, "I", 1, "x"), 0, null), "a letter without a word stays");
    }

    /** Issue 12 item 19: pid 1 is not always an init that reaps (here it is process_api, in a lab host sshd). */
    @Test
    void aZombieNamesItsParentInsteadOfPromisingThatInitReapsIt() {
        ProcessInfo pid1 = new ProcessInfo(1, 0, "S", 3, "process_api");
        String zombie = en(new ProcessInfo(78, 1, "Z", 1, "x"), 0, pid1);
        assertEquals("zombie: it has exited and holds no sockets; its parent process_api (pid 1) has not reaped it"
                + " yet. Only pid 1 can reap it: if it stays, pid 1 does not reap its children.", zombie);
        assertFalse(zombie.contains("init"));
        assertEquals("zombie: it has exited and holds no sockets; its parent sshd (pid 500) has not reaped it yet."
                + " Restarting or signalling the parent clears it.",
                en(new ProcessInfo(79, 500, "Z", 1, "x"), 0, new ProcessInfo(500, 1, "S", 1, "sshd")));
        assertEquals("orphan: its parent is gone, so it was re-parented to process_api (pid 1); it holds 1 socket"
                + " listed below.", en(new ProcessInfo(80, 1, "S", 4, "java"), 1, pid1));
    }

    @Test
    void chineseLinesKeepPidsCountsAndCommandsAndUseTheGlossary() {
        assertEquals("主线程已失效：主线程已退出，仍在运行的 1 个线程占用着 3 个套接字；ps 和 ss -p 看不到它们的属主进程。"
                + "只有结束整个进程（pid 77）才能释放它们。", zh(new ProcessInfo(77, 1, "Z", 2, "server"), 3, null));
        assertTrue(zh(new ProcessInfo(79, 500, "Z", 1, "x"), 0, null).contains("父进程 pid 500（本次采集没有看到它）还没有回收它"));
        assertEquals("孤儿进程：父进程已退出，它被过继给了 process_api（pid 1）；它占用着下面列出的 1 个套接字。",
                zh(new ProcessInfo(80, 1, "S", 4, "java"), 1, new ProcessInfo(1, 0, "S", 3, "process_api")));
        assertEquals("占用着下面列出的 2 个套接字（状态：睡眠）。", zh(new ProcessInfo(81, 9, "S", 1, "x"), 2, null));
        assertEquals("状态：运行中。", zh(new ProcessInfo(82, 9, "R", 1, "x"), 0, null));
        assertTrue(zh(new ProcessInfo(78, 1, "Z", 1, "x"), 0, new ProcessInfo(1, 0, "S", 3, "sshd"))
                .contains("父进程 sshd（pid 1）还没有回收它。只有 pid 1 能回收它"));
    }

    @Test
    void theLineIsStoredAsAKeyWithItsFactsNotAsWords() {
        Text t = ProcessExplanation.explain(new ProcessInfo(77, 1, "Z", 2, "server"), 3, null);
        assertEquals("label.processDefunctLeaderHolding", t.key());
        assertEquals(java.util.List.of(1L, 3L, 77L), t.args());
        assertEquals(t, Text.fromJson(t.toJson()));
    }
}
