package dev.linger.incident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.linger.collect.NetNamespace;
import dev.linger.i18n.Catalogue;
import dev.linger.i18n.Text;
import io.quarkus.test.junit.QuarkusTest;

/**
 * One list of facts per incident, said in English and in Chinese by the catalogue: both carry the same values, and
 * the Chinese has no English sentence left in it and full-width punctuation between Chinese words.
 */
@QuarkusTest
class ExplanationsTest {

    /** Latin words that belong in a Chinese text: state names, kernel and tool names, units, the sample commands. */
    static final Set<String> KEPT_AS_IS = Set.of("CLOSE", "WAIT", "FIN", "TIME", "ESTAB", "pid", "TCP", "UTC", "KiB",
            "MiB", "SO_KEEPALIVE", "keepalive", "persist", "on", "tcp_max_orphans", "Linger", "proc", "fd", "task",
            "TID", "kill", "java", "bash", "nginx", "SSH");
    static final Pattern WORD = Pattern.compile("[A-Za-z_]+");

    /** The Latin words left once commands (`...`) and quoted kernel messages (“...”) are taken out. */
    static List<String> englishWords(String text) {
        String prose = text.replaceAll("`[^`]*`", " ").replaceAll("“[^”]*”", " ");
        List<String> left = new ArrayList<>();
        Matcher m = WORD.matcher(prose);
        while (m.find()) {
            if (!KEPT_AS_IS.contains(m.group())) {
                left.add(m.group());
            }
        }
        return left;
    }

    static String zh(int port, Evidence ev, NetNamespace ns) {
        return Catalogue.render(Explanations.of(port, ev, ns, "web-1"), Locale.SIMPLIFIED_CHINESE);
    }

    static String en(int port, Evidence ev, NetNamespace ns) {
        return Catalogue.render(Explanations.of(port, ev, ns, "web-1"), Locale.ENGLISH);
    }

    static void assertChinese(String text, String... facts) {
        for (String fact : facts) {
            assertTrue(text.contains(fact), "\"" + fact + "\" in " + text);
        }
        assertEquals(List.of(), englishWords(text), text);
    }

    static void assertEnglish(String text, String... facts) {
        for (String fact : facts) {
            assertTrue(text.contains(fact), "\"" + fact + "\" in " + text);
        }
        assertFalse(text.matches(".*[\\u4e00-\\u9fff].*"), text);
    }

    static Evidence.Owner owner(long pid, String command) {
        return new Evidence.Owner(pid, pid, command, "S", 1L);
    }

    static final List<Evidence.Sample> ONE_SAMPLE = List.of(new Evidence.Sample("10.0.0.1:9080", "10.0.0.2:1", 7, 0,
            "none"));

    static Evidence.CloseWaitLeak leak(String direction, long count, long withUnread, long unread, Long each,
            long keepalive, List<Evidence.Owner> owners, boolean seenBefore, List<Long> growth,
            List<Evidence.Sample> samples, Evidence.OtherDirection other) {
        return new Evidence.CloseWaitLeak(direction, count, withUnread, unread, each, keepalive > 0, keepalive, owners,
                null, seenBefore ? 5 : 1, seenBefore ? "2024-05-01T02:41:00Z" : null, seenBefore ? 840L : null,
                "count", 10, growth, samples, other);
    }

    static Evidence.FinWait1Stuck stuck(long count, long sendQ, Map<String, Long> timers, long orphaned,
            List<Evidence.Owner> owners, Long hostOrphans, Boolean maxOrphansPresent) {
        return new Evidence.FinWait1Stuck("incoming", count, sendQ, timers, orphaned, owners, null, null, null, 1, 60,
                hostOrphans, maxOrphansPresent, "ss -K state fin-wait-1 '( sport = :443 )'", List.of(), null);
    }

    static Evidence.DefunctOwner defunct(long pid, String command, long threads, long sockets, long ppid,
            String parent, boolean orphan, Map<String, Long> states, List<Long> tids,
            List<Evidence.OtherDefunct> others) {
        return new Evidence.DefunctOwner(pid, command, "Z", ppid, parent, orphan, threads, sockets, states, tids,
                Map.of(), List.of(), others);
    }

    @Test
    void closeWaitLeakWithUnreadBytesHistoryAndTheOtherDirection() {
        Evidence ev = leak("incoming", 23, 23, 161, 7L, 0, List.of(owner(4242, "java"), owner(4243, "java")), true,
                List.of(11L, 15L, 23L), ONE_SAMPLE, new Evidence.OtherDirection("outgoing", 2));
        assertChinese(zh(9080, ev, null), "端口 :9080 上有 23 个连接自 02:41 UTC 起（已 14 分钟）一直处于 CLOSE-WAIT 状态。",
                "最近 2 次采集中，数量每次都在增长（11 → 15 → 23）", "每个连接都有 7 字节未读",
                "java（pid 4242）及另外 1 个进程", "SO_KEEPALIVE", "另外还有 2 个到 :9080 的出站连接处于 CLOSE-WAIT 状态。");
        assertEnglish(en(9080, ev, null), "23 sockets on :9080 have been in CLOSE-WAIT since 02:41 UTC (14 min).",
                "The number grew at each of the last 2 collections (11 → 15 → 23).", "7 bytes are unread in each",
                "java (pid 4242) and 1 other process stopped reading", "do not use SO_KEEPALIVE",
                "Also 2 outgoing connections to :9080 in CLOSE-WAIT.");
    }

    @Test
    void closeWaitLeakWithoutUnreadBytesOrOwners() {
        Evidence ev = leak("outgoing", 12, 0, 0, null, 4, List.of(), false, null, ONE_SAMPLE, null);
        assertChinese(zh(5432, ev, null), "本机有 12 个到端口 :5432 的出站连接处于 CLOSE-WAIT 状态", "没有未读字节",
                "Linger 没有找到持有它们的进程", "SO_KEEPALIVE 的 4 个连接");
        assertEnglish(en(5432, ev, null), "12 outgoing connections to port :5432 are in CLOSE-WAIT.",
                "No bytes wait to be read: the owner reads them", "Linger found no process holding them.",
                "reaches only the 4 that use SO_KEEPALIVE");
        Evidence counted = leak("outgoing", 12, 0, 0, null, 4, List.of(), false, null, List.of(), null);
        assertChinese(zh(5432, counted, null), "只拿到了数量");
        assertEnglish(en(5432, counted, null), "Linger has the count but no socket lines for them.");
        Evidence one = leak("incoming", 1, 1, 3, null, 1, List.of(owner(7, "java")), false, null, ONE_SAMPLE, null);
        assertEnglish(en(9080, one, null), "1 socket on :9080 is in CLOSE-WAIT.", "1 of them holds 3 bytes unread");
    }

    @Test
    void finWait1StuckWithOrphansTimersAndOwners() {
        Evidence ev = stuck(40, 20480, Map.of("persist", 40L, "on", 3L), 30, List.of(owner(812, "nginx")), 57L, true);
        assertChinese(zh(443, ev, null), "端口 :443 上有 40 个连接一直卡在 FIN-WAIT-1 状态", "20.0 KiB未发出",
                "全部连接都在等零窗口探测定时器（persist）", "其中 3 个连接都在重传", "其中 30 个是孤儿连接",
                "全部 57 个孤儿连接", "其余连接属于 nginx（pid 812）", "`ss -K state fin-wait-1 '( sport = :443 )'`");
        assertEnglish(en(443, ev, null), "40 sockets on :443 have been stuck in FIN-WAIT-1 with 20.0 KiB unsent",
                "All wait on a persist timer", "3 retransmit", "30 are orphans", "all 57 orphans of the host die",
                "The others belong to nginx (pid 812).", "`ss -K state fin-wait-1 '( sport = :443 )'` kills only these.");
        Evidence all = stuck(40, 0, Map.of(), 40, List.of(), null, false);
        assertChinese(zh(443, all, null), "全部都是孤儿连接", "没有 tcp_max_orphans");
        assertEnglish(en(443, all, null), "All are orphans", "tcp_max_orphans does not exist in this network namespace");
    }

    @Test
    void defunctOwnerNamesThePidTheParentAndTheThreadsDirectory() {
        Evidence ev = defunct(4242, "java", 3, 5, 100, "bash", false, Map.of("CLOSE-WAIT", 5L), List.of(4250L),
                List.of(new Evidence.OtherDefunct(5000, "java", 1)));
        assertChinese(zh(9080, ev, null), "进程 java（pid 4242）的主线程已失效", "2 个线程",
                "端口 :9080 上的 5 个连接（5 个 CLOSE-WAIT）", "/proc/4242/task/4250/fd", "父进程是 bash（pid 100）",
                "kill 4242", "另有 1 个主线程已失效的进程");
        assertEnglish(en(9080, ev, null), "java (pid 4242) is defunct but not gone",
                "2 threads still hold 5 sockets on :9080 (CLOSE-WAIT 5).", "/proc/4242/task/4250/fd",
                "Its parent is bash (pid 100). It can be reaped", "kill 4242", "1 other defunct process holds");
        // issue 12 item 19: pid 1 named by what is known, never "init reaps it"
        Evidence orphan = defunct(4242, "java", 3, 5, 1, null, true, Map.of(), List.of(4250L, 4251L), null);
        String zh = zh(0, orphan, null);
        assertChinese(zh, "父进程是 pid 1（本次采集没有看到它），它是孤儿进程", "持有 5 个连接", "/proc/4242/task/TID/fd");
        assertFalse(zh.contains("init"), zh);
        assertEnglish(en(0, orphan, null), "Its parent is pid 1 (not seen by the collection): it is an orphan.");
    }

    @Test
    void orphanPressureGivesTheCountThePercentAndTheLimit() {
        Evidence ev = new Evidence.OrphanPressure(3600, 4096, 87.8, 25, 50);
        assertChinese(zh(0, ev, null), "3600 个孤儿连接", "87.8%", "tcp_max_orphans（4096）",
                "“TCP: too many orphaned sockets”", "FIN-WAIT-1");
        assertEnglish(en(0, ev, null), "3600 orphaned TCP sockets", "87.8 % of tcp_max_orphans (4096)",
                "“TCP: too many orphaned sockets”");
    }

    @Test
    void portBlockedListsTheStatesTheOwnerAndTheOrphans() {
        Map<String, Long> states = new LinkedHashMap<>();
        states.put("CLOSE-WAIT", 4L);
        states.put("FIN-WAIT-1", 2L);
        states.put("TIME-WAIT", 2L);
        Evidence ev = new Evidence.PortBlocked(6, states, List.of(owner(4242, "java")), null, 1, List.of());
        assertChinese(zh(8080, ev, null), "端口 :8080", "6 个连接", "（4 个 CLOSE-WAIT、2 个 FIN-WAIT-1；另有 2 个处于 TIME-WAIT）",
                "“Address already in use”", "属主进程：java（pid 4242）", "1 个连接没有属主进程");
        assertEnglish(en(8080, ev, null), "yet 6 sockets still hold it (CLOSE-WAIT 4, FIN-WAIT-1 2; 2 more in TIME-WAIT).",
                "“Address already in use”", "Owner: java (pid 4242).", "1 socket has no owning process.");
    }

    @Test
    void hostKindsNameTheHostAndTheErrorInBothLanguages() {
        assertEnglish(en(0, new Evidence.HostUnreachable("connection refused"), null),
                "Linger cannot collect web-1: connection refused.");
        String zh = zh(0, new Evidence.HostUnreachable("connection refused"), null);
        assertTrue(zh.startsWith("Linger 无法采集 web-1：connection refused。"), zh);
        assertChinese(zh.replace("connection refused", "").replace("web-1", ""), "Linger 无法采集");
        String key = zh(0, new Evidence.HostKeyChanged(""), null);
        assertTrue(key.startsWith("web-1 的 SSH 主机密钥变了。"), key);
        assertChinese(key.replace("web-1", ""), "SSH 主机密钥");
    }

    // ---- issue 13: the namespace, named as a Chinese engineer writes it ----

    static final NetNamespace CHECKOUT = new NetNamespace(4026532301L, NetNamespace.Kind.CONTAINER, "checkout-7d9f",
            "3f2a1b9c0d1e" + "a".repeat(52), null, "checkout-7d9f", 4100, Map.of(), 0);

    /** The words left once ids (hex, uuids) and namespace inodes are taken out: those are values, not English. */
    static List<String> englishWordsBesideIds(String text) {
        return englishWords(text.replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}|[0-9a-f]{12}|net:\\[\\d+\\]", " ")).stream()
                .filter(w -> !w.equals("Pod") && !w.equals("uid")).toList();
    }

    @Test
    void aContainersLeakNamesTheContainerFirstWithFullWidthPunctuation() {
        Evidence ev = leak("incoming", 12, 12, 84, 7L, 0, List.of(owner(4242, "java")), true, null, ONE_SAMPLE, null);
        String zh = zh(9080, ev, CHECKOUT);
        assertTrue(zh.startsWith("容器 `checkout-7d9f`（3f2a1b9c0d1e）里 :9080 上有 12 个连接自 02:41 UTC 起"), zh);
        assertEquals(List.of(), englishWordsBesideIds(zh), zh);
        String en = en(9080, ev, CHECKOUT);
        assertTrue(en.startsWith("12 sockets on :9080 in container `checkout-7d9f` (3f2a1b9c0d1e) have been in"
                + " CLOSE-WAIT since 02:41 UTC (14 min)"), en);

        Evidence out = leak("outgoing", 12, 12, 84, 7L, 0, List.of(owner(4242, "java")), true, null, ONE_SAMPLE, null);
        String zhOut = zh(5432, out, CHECKOUT);
        assertTrue(zhOut.startsWith("容器 `checkout-7d9f`（3f2a1b9c0d1e）里有 12 个到端口 :5432 的出站连接"), zhOut);
        assertFalse(zhOut.contains("本机"), "the program is in the container, not on the host: " + zhOut);
    }

    @Test
    void podsIpNetnsAndUnknownNamespacesAreNamedByWhatTheyAre() {
        Evidence ev = stuck(40, 0, Map.of(), 40, List.of(), null, false);
        NetNamespace pod = new NetNamespace(4026532500L, NetNamespace.Kind.POD, "web-0", "3f2a1b9c0d1e" + "a".repeat(52),
                "6e1f0a2b-3c4d-5e6f-7a8b-9c0d1e2f3a4b", "web-0", 1, Map.of(), 0);
        String zh = zh(443, ev, pod);
        assertTrue(zh.startsWith("Pod `web-0`（容器 3f2a1b9c0d1e，uid 6e1f0a2b-3c4d-5e6f-7a8b-9c0d1e2f3a4b）里 :443 上有"
                + " 40 个连接"), zh);
        assertTrue(zh.contains("这个网络命名空间里没有 tcp_max_orphans"), zh);
        assertTrue(zh.contains("在该网络命名空间里执行 `ss -K"), zh);
        assertEquals(List.of(), englishWordsBesideIds(zh), zh);
        assertTrue(en(443, ev, pod).contains("in pod `web-0` (container 3f2a1b9c0d1e, uid 6e1f0a2b-3c4d-5e6f-7a8b-"
                + "9c0d1e2f3a4b) have been stuck"), en(443, ev, pod));
        assertTrue(en(443, ev, pod).contains(", run inside that network namespace, kills only these."));

        NetNamespace blue = new NetNamespace(4026532600L, NetNamespace.Kind.NETNS, "blue", null, null, null, 1, Map.of(),
                0);
        assertTrue(zh(443, ev, blue).startsWith("网络命名空间 `blue`里 :443 上有"), zh(443, ev, blue));
        NetNamespace unknown = new NetNamespace(4026532700L, NetNamespace.Kind.NETNS, null, null, null, null, 0,
                Map.of(), 0);
        assertTrue(zh(443, ev, unknown).startsWith("网络命名空间 net:[4026532700]里 :443 上有"), zh(443, ev, unknown));

        Evidence d = defunct(4242, "java", 2, 4, 1, null, true, Map.of(), List.of(), null);
        String dz = zh(9082, d, CHECKOUT);
        assertTrue(dz.contains("持有容器 `checkout-7d9f`（3f2a1b9c0d1e）里端口 :9082 上的 4 个连接"), dz);
    }

    @Test
    void theHostsOwnNamespaceNamesNothing() {
        Evidence ev = leak("incoming", 12, 0, 0, null, 0, List.of(), false, null, List.of(), null);
        NetNamespace own = NetNamespace.host(4026531840L);
        assertEquals(zh(9080, ev, null), zh(9080, ev, own));
        assertEquals(en(9080, ev, null), en(9080, ev, own));
        assertTrue(en(9080, ev, own).startsWith("12 sockets on :9080 are in CLOSE-WAIT."), en(9080, ev, own));
    }

    @Test
    void theFactsAreDataTheWordsComeFromTheCatalogue() {
        Evidence ev = leak("incoming", 23, 23, 161, 7L, 0, List.of(owner(4242, "java")), true, null, ONE_SAMPLE, null);
        Text said = Explanations.of(9080, ev, null, "web-1");
        assertEquals(said, Text.fromJson(said.toJson()), "stored and read back, the same fact");
        List<Text> facts = Explanations.facts(9080, ev, null, "web-1");
        assertEquals("fact.closeWaitState", facts.get(0).key());
        assertEquals(List.of(23L, 9080L, false, "", facts.get(0).args().get(4)), facts.get(0).args());
        assertEquals(Catalogue.render(said, Locale.forLanguageTag("zh-CN")), zh(9080, ev, null));
        assertEquals(Catalogue.render(said, Locale.forLanguageTag("fr")), en(9080, ev, null), "unknown: English");
    }

    /** Commas, colons, semicolons and brackets between Chinese words are full-width, as a Chinese engineer writes. */
    @Test
    void punctuationBetweenChineseWordsIsFullWidth() {
        Evidence leak = leak("incoming", 23, 0, 0, null, 2, List.of(owner(4242, "java")), true, List.of(11L, 15L, 23L),
                ONE_SAMPLE, new Evidence.OtherDirection("outgoing", 2));
        Evidence fin = stuck(4, 99, Map.of("persist", 2L, "on", 2L), 4, List.of(), 7L, true);
        Evidence defunct = defunct(7, null, 2, 1, 1, null, true, Map.of("CLOSE-WAIT", 1L), List.of(8L), null);
        Map<String, Long> states = new LinkedHashMap<>(Map.of("CLOSE-WAIT", 4L, "TIME-WAIT", 2L));
        Evidence blocked = new Evidence.PortBlocked(6, states, List.of(owner(4242, "java")), null, 1, List.of());
        List<String> texts = List.of(zh(9080, leak, null), zh(443, fin, null), zh(9080, defunct, null),
                zh(0, new Evidence.OrphanPressure(1, 2, 50.0, 25, 50), null), zh(8080, blocked, null),
                zh(9080, leak, CHECKOUT), zh(0, new Evidence.HostUnreachable("timeout"), null));
        Pattern halfWidth = Pattern.compile("[\\u4e00-\\u9fff][,:;()]|[,:;()][\\u4e00-\\u9fff]");
        for (String zh : texts) {
            // commands in `…` and kernel messages in “…” are quoted as they are
            String prose = zh.replaceAll("`[^`]*`", "").replaceAll("“[^”]*”", "");
            assertFalse(halfWidth.matcher(prose).find(), zh);
        }
    }
}
