package dev.linger.runbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;


/** Step and check texts in both languages: English is the steps' own, Chinese says the same facts. */
class StepTextsTest {

    static final List<Step> EVERY_KIND = List.of(new Step.ReadSysctl("net.ipv4.tcp_fin_timeout"),
            new Step.SetSysctl("net.ipv4.tcp_max_orphans", "0"), new Step.RestoreSysctl("net.ipv4.tcp_max_orphans"),
            new Step.PersistSysctl("90-linger.conf", new LinkedHashMap<>(Map.of("net.ipv4.tcp_keepalive_time", "{t}"))),
            new Step.WaitSockets(TcpState.FIN_WAIT1, "{port}", 0, 5, 120), new Step.KillSockets(TcpState.CLOSE_WAIT, "{port}"),
            new Step.SignalProcess("{pid}", "KILL"), new Step.Verify(10), new Step.Note("restart it"),
            new Step.FreeShell("echo {port}"));

    static boolean hasChinese(String s) {
        return s.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN);
    }

    @Test
    void englishIsExactlyWhatTheStepsSay() {
        StepTexts en = StepTexts.of(java.util.Locale.ENGLISH);
        Bindings b = Bindings.of(Map.of("port", "9080", "pid", "4242", "t", "600"));
        for (Step s : EVERY_KIND) {
            assertEquals(s.changes(b), en.changes(s, b));
            assertEquals(s.undo().how(), en.undoHow(s));
            assertEquals(s.type().title(), en.title(s.type()));
        }
        assertEquals("nothing_to_undo", en.undoKind(Step.Undo.Kind.NOTHING_TO_UNDO));
        for (StepType.Field f : StepType.Field.values()) {
            assertEquals(f.label(), en.label(f));
        }
    }

    @Test
    void everyStepKindHasChineseWithTheSameValues() {
        StepTexts zh = StepTexts.of(java.util.Locale.forLanguageTag("zh"));
        Bindings b = Bindings.of(Map.of("port", "9080", "pid", "4242", "t", "600"));
        for (Step s : EVERY_KIND) {
            assertTrue(hasChinese(zh.changes(s, b)), s.toString());
            assertTrue(hasChinese(zh.undoHow(s)), s.toString());
            assertTrue(hasChinese(zh.title(s.type())), s.toString());
            assertNotEquals(s.changes(b), zh.changes(s, b));
        }
        for (StepType.Field f : StepType.Field.values()) {
            assertTrue(hasChinese(zh.label(f)), f.name());
        }
        for (Step.Undo.Kind k : Step.Undo.Kind.values()) {
            assertTrue(hasChinese(zh.undoKind(k)), k.name());
        }
        assertEquals("net.ipv4.tcp_max_orphans 的运行时值改为 0（重启前有效）。全局生效：整台机器只有这一个值，机器上的每个容器和服务都受影响。",
                zh.changes(EVERY_KIND.get(1), b));
        assertEquals("销毁本地端口为 9080 的 CLOSE_WAIT 连接，主机上的其他连接不受影响。", zh.changes(EVERY_KIND.get(5), b));
        assertEquals("向进程 4242 发送 SIGKILL，进程会立即结束，没有机会做清理。", zh.changes(EVERY_KIND.get(6), b));
        assertTrue(zh.changes(EVERY_KIND.get(3), b).contains("net.ipv4.tcp_keepalive_time = 600"));
        assertTrue(zh.changes(EVERY_KIND.get(4), Bindings.NONE).contains("{port}"), "an unbound parameter stays visible");
    }

    @Test
    void checkVerdictsAndMeaningsInBothLanguages() {
        Map<String, String> sysctls = new java.util.HashMap<>();
        sysctls.put("net.ipv4.tcp_max_orphans", null);
        Applicability.Verdict en = Applicability.orphanLimit(sysctls);
        Applicability.Verdict zh = Applicability.orphanLimit(sysctls, Applicability.wording(java.util.Locale.forLanguageTag("zh")));
        assertEquals(en.holds(), zh.holds());
        assertTrue(en.message().startsWith("net.ipv4.tcp_max_orphans does not exist on this host: its network stack"));
        assertEquals("这台主机上没有 net.ipv4.tcp_max_orphans：它的网络栈属于容器或网络命名空间自己，孤儿连接上限只属于机器的初始命名空间。"
                + "请改用针对端口的 ss -K 运维手册。", zh.message());
        assertEquals("net.ipv4.tcp_max_orphans is 262144 on this host.",
                Applicability.orphanLimit(Map.of("net.ipv4.tcp_max_orphans", "262144")).message());

        Applicability.Wording words = Applicability.wording(java.util.Locale.forLanguageTag("zh"));
        assertEquals("端口 9080 上的 12 个 CLOSE-WAIT 连接都没有 keepalive 定时器：它们的程序从未开启 SO_KEEPALIVE，"
                + "所以调整 keepalive 参数关不掉它们。要修的是持有这些连接的进程。", words.keepaliveNone(12, 9080));
        assertEquals("None of the 12 CLOSE-WAIT sockets on port 9080 has a keepalive timer: their program never enabled"
                + " SO_KEEPALIVE, so keepalive settings cannot close them. The fix is the owning process.",
                Applicability.ENGLISH.keepaliveNone(12, 9080));
        assertEquals("3 of the 12 CLOSE-WAIT sockets on port 9080 have a keepalive timer; the others will not be affected.",
                Applicability.ENGLISH.keepaliveSome(3, 12, 9080));
        for (Check c : Check.values()) {
            assertEquals(c.meaning(), Applicability.ENGLISH.meaning(c));
            assertTrue(hasChinese(words.meaning(c)), c.name());
        }
        assertFalse(hasChinese(Applicability.ENGLISH.socketKillFails()));
    }
}
