package dev.linger.runbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.linger.i18n.Catalogue;
import dev.linger.i18n.Text;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A step says what it changes and how it is undone as facts (message key and typed arguments), built once from the
 * typed step; the words come from the catalogue in the reader's language, the same facts in each.
 */
@QuarkusTest
class StepTextsTest {

    static final Locale ZH = Locale.forLanguageTag("zh-CN");

    static final List<Step> EVERY_KIND = List.of(new Step.ReadSysctl("net.ipv4.tcp_fin_timeout"),
            new Step.SetSysctl("net.ipv4.tcp_max_orphans", "0"), new Step.RestoreSysctl("net.ipv4.tcp_max_orphans"),
            new Step.PersistSysctl("90-linger.conf", new LinkedHashMap<>(Map.of("net.ipv4.tcp_keepalive_time", "{t}"))),
            new Step.WaitSockets(TcpState.FIN_WAIT1, "{port}", 0, 5, 120), new Step.KillSockets(TcpState.CLOSE_WAIT, "{port}"),
            new Step.SignalProcess("{pid}", "KILL"), new Step.Verify(10), new Step.Note("restart it"),
            new Step.FreeShell("echo {port}"));

    static boolean hasChinese(String s) {
        return s.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN);
    }

    static String en(Text t) {
        return Catalogue.render(t, Locale.ENGLISH);
    }

    static String zh(Text t) {
        return Catalogue.render(t, ZH);
    }

    @Test
    void everyStepKindIsCoveredAndSaysItsFactsInBothLanguages() {
        assertEquals(Arrays.asList(StepType.values()), EVERY_KIND.stream().map(Step::type).toList());
        Bindings b = Bindings.of(Map.of("port", "9080", "pid", "4242", "t", "600"));
        for (Step s : EVERY_KIND) {
            for (Text t : List.of(s.changes(b), s.undo().how(), s.type().title())) {
                assertTrue(t.key().startsWith("step."), t.toJson());
                assertEquals(t, Text.fromJson(t.toJson()), "a fact survives jsonb: " + t.toJson());
                assertFalse(hasChinese(en(t)), en(t));
                assertTrue(hasChinese(zh(t)), zh(t));
                assertNotEquals(en(t), zh(t));
                // Chinese sentences take full-width punctuation; half-width only inside names and values
                assertFalse(zh(t).matches(".*[\\p{IsHan}][,:;]\\s.*"), zh(t));
            }
        }
        for (StepType.Field f : StepType.Field.values()) {
            assertNotEquals(en(f.label()), zh(f.label()), f.name());
            assertFalse(en(f.label()).equals(f.name()), "every field has a label: " + f);
        }
        for (Step.Undo.Kind k : Step.Undo.Kind.values()) {
            Text t = Text.of("step.undoKind", k);
            assertTrue(hasChinese(zh(t)) && !en(t).contains("_"), en(t) + " / " + zh(t));
        }
    }

    @Test
    void theWordsCarryTheStepsValuesAndKernelNamesAsTheyAre() {
        Bindings b = Bindings.of(Map.of("port", "9080", "pid", "4242", "t", "600"));
        assertEquals("net.ipv4.tcp_max_orphans 的运行时值改为 0（重启前有效）。全局生效：整台机器只有这一个值，机器上的每个容器和服务都受影响。",
                zh(EVERY_KIND.get(1).changes(b)));
        assertEquals("The runtime value of net.ipv4.tcp_max_orphans becomes 0 (until reboot). System-wide: one value for"
                + " the whole machine, every container and service on it.", en(EVERY_KIND.get(1).changes(b)));
        assertEquals("关闭本地端口为 9080 的 CLOSE-WAIT 套接字，主机上的其他套接字不受影响。", zh(EVERY_KIND.get(5).changes(b)));
        assertEquals("向进程 4242 发送 SIGKILL，进程会立即结束，没有机会做清理。", zh(EVERY_KIND.get(6).changes(b)));
        assertEquals("Sends SIGTERM to process 4242.", en(new Step.SignalProcess("{pid}", "TERM").changes(b)));
        assertEquals("写入 /etc/sysctl.d/90-linger.conf（每次开机都会读取）并立即生效：net.ipv4.tcp_keepalive_time = 600。",
                zh(EVERY_KIND.get(3).changes(b)));
        assertTrue(zh(EVERY_KIND.get(4).changes(Bindings.NONE)).contains("{port}"), "an unbound parameter stays visible");
        assertTrue(en(EVERY_KIND.get(4).changes(b)).contains("the FIN-WAIT-1 sockets on port 9080 until none remain"),
                en(EVERY_KIND.get(4).changes(b)));
        assertTrue(zh(EVERY_KIND.get(4).changes(b)).contains("FIN-WAIT-1 套接字，直到全部消失，最长等待 120 秒"),
                zh(EVERY_KIND.get(4).changes(b)));
        assertTrue(zh(new Step.WaitSockets(TcpState.CLOSE_WAIT, "80", 3, 2, 60).changes(b)).contains("直到不超过 3 个"));
        assertEquals("手工操作，需手工撤销。", zh(EVERY_KIND.get(8).undo().how()));
        assertEquals("Nothing: Linger collects the host again and checks that the incident's condition has cleared.",
                en(new Step.Verify(0).changes(b)));
    }

    @Test
    void risksAndFloorReasonsAreWordsNotConstants() {
        assertEquals("Drain (high risk)", en(Text.of("step.runbookOption", "Drain", Risk.HIGH)));
        assertEquals("清理（严重风险）", zh(Text.of("step.runbookOption", "清理", Risk.CRITICAL)));
        RiskFloor.Reason reason = new RiskFloor.Reason(2, Risk.HIGH, RiskFloor.Why.MACHINE_WIDE_KEY,
                "net.ipv4.tcp_max_orphans");
        assertEquals("Step 2 sets net.ipv4.tcp_max_orphans, one value for the whole machine (high risk).",
                en(reason.text()));
        assertEquals("第 2 步设置 net.ipv4.tcp_max_orphans，整台机器只有这一个值（高风险）。", zh(reason.text()));
    }

    @Test
    void checksAndVerdictsAreFactsSaidInTheReadersLanguage() {
        Map<String, String> sysctls = Map.of("net.ipv4.tcp_max_orphans", "262144");
        Applicability.Verdict v = Applicability.orphanLimit(sysctls);
        assertEquals(Boolean.TRUE, v.holds());
        assertEquals(Text.of("step.orphanLimitIs", "net.ipv4.tcp_max_orphans", "262144"), v.message());
        assertEquals("net.ipv4.tcp_max_orphans is 262144 on this host.", en(v.message()));
        assertEquals("这台主机上 net.ipv4.tcp_max_orphans 为 262144。", zh(v.message()));

        Map<String, String> missing = new java.util.HashMap<>();
        missing.put("net.ipv4.tcp_max_orphans", null);
        assertEquals(Boolean.FALSE, Applicability.orphanLimit(missing).holds());
        assertTrue(zh(Applicability.orphanLimit(missing).message()).contains("孤儿连接上限"));
        assertEquals(null, Applicability.orphanLimit(Map.of()).holds());

        assertEquals("端口 9080 上的 12 个 CLOSE-WAIT 套接字都没有保活定时器：程序从未开启 SO_KEEPALIVE，调整保活参数关不掉它们。要修的是属主进程。",
                zh(Text.of("step.keepaliveNone", 12, 9080)));
        assertEquals("3 of the 12 CLOSE-WAIT sockets on port 9080 have a keepalive timer; the others will not be affected.",
                en(Text.of("step.keepaliveSome", 3, 12, 9080)));
        assertEquals("1 of the 1 CLOSE-WAIT sockets on port 9080 has a keepalive timer.",
                en(Text.of("step.keepaliveSome", 1, 1, 9080)));
        for (Check c : Check.values()) {
            assertTrue(hasChinese(zh(c.meaning())), c.name());
            assertFalse(hasChinese(en(c.meaning())), c.name());
            assertNotEquals(c.name(), en(c.meaning()));
        }
    }
}
