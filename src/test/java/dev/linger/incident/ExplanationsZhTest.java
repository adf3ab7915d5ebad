package dev.linger.incident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** Each kind's Chinese text carries the same facts as the English one, and no English sentence is left in it. */
class ExplanationsZhTest {

    /** Latin words that belong in a Chinese text: state names, kernel and tool names, units, the sample commands. */
    static final Set<String> KEPT_AS_IS = Set.of("CLOSE", "WAIT", "FIN", "TIME", "ESTAB", "pid", "TCP", "UTC", "KiB",
            "MiB", "SO_KEEPALIVE", "keepalive", "persist", "tcp_max_orphans", "Linger", "init", "proc", "fd", "task",
            "TID", "kill", "java", "bash", "nginx");
    static final Pattern WORD = Pattern.compile("[A-Za-z_]+");

    /** The Latin words left once commands (`...`) and quoted kernel messages ("...") are taken out. */
    static List<String> englishWords(String text) {
        String prose = text.replaceAll("`[^`]*`", " ").replaceAll("\"[^\"]*\"", " ");
        List<String> left = new ArrayList<>();
        Matcher m = WORD.matcher(prose);
        while (m.find()) {
            if (!KEPT_AS_IS.contains(m.group())) {
                left.add(m.group());
            }
        }
        return left;
    }

    static void assertChinese(String text, String... facts) {
        for (String fact : facts) {
            assertTrue(text.contains(fact), "\"" + fact + "\" in " + text);
        }
        assertEquals(List.of(), englishWords(text), text);
        assertTrue(text.length() <= Explanations.MAX_CHARS, text);
    }

    static Map<String, Object> owner(int pid, String command) {
        return Map.of("pid", pid, "tid", pid, "command", command, "processState", "S", "ppid", 1);
    }

    @Test
    void closeWaitLeakWithUnreadBytesHistoryAndTheOtherDirection() {
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("direction", "incoming");
        ev.put("count", 23);
        ev.put("withUnreadBytes", 23);
        ev.put("unreadBytes", 161);
        ev.put("unreadBytesEach", 7);
        ev.put("withKeepalive", 0);
        ev.put("owners", List.of(owner(4242, "java"), owner(4243, "java")));
        ev.put("since", "2024-05-01T02:41:00Z");
        ev.put("sinceSnapshots", 5);
        ev.put("ageSeconds", 840);
        ev.put("growth", List.of(11, 15, 23));
        ev.put("samples", List.of(Map.of("local", "10.0.0.1:9080")));
        ev.put("otherDirection", Map.of("direction", "outgoing", "count", 2));
        String zh = ExplanationsZh.closeWaitLeak(9080, ev);
        assertChinese(zh, "端口 :9080 上有 23 个连接", "CLOSE-WAIT", "02:41 UTC", "14 分钟", "11 → 15 → 23",
                "7 字节未读", "java (pid 4242) 及另外 1 个进程", "SO_KEEPALIVE", "2 个到 :9080 的出站连接");
        assertEquals(zh, ExplanationsZh.of(IncidentKind.CLOSE_WAIT_LEAK, 9080, ev));
    }

    @Test
    void closeWaitLeakWithoutUnreadBytesOrOwners() {
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("direction", "outgoing");
        ev.put("count", 12);
        ev.put("withUnreadBytes", 0);
        ev.put("withKeepalive", 4);
        ev.put("samples", List.of(Map.of("local", "10.0.0.1:41234")));
        assertChinese(ExplanationsZh.closeWaitLeak(5432, ev), "12 个到端口 :5432 的出站连接", "没有未读字节",
                "Linger 没有找到持有它们的进程", " 4 个连接");
        ev.remove("samples");
        assertChinese(ExplanationsZh.closeWaitLeak(5432, ev), "只拿到了数量");
    }

    @Test
    void finWait1StuckWithOrphansTimersAndOwners() {
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("direction", "incoming");
        ev.put("count", 40);
        ev.put("sendQ", 20480);
        ev.put("timers", Map.of("persist", 40, "on", 3));
        ev.put("orphaned", 30);
        ev.put("owners", List.of(owner(812, "nginx")));
        ev.put("hostOrphans", 57);
        ev.put("tcpMaxOrphansPresent", true);
        ev.put("killCommand", "ss -K state fin-wait-1 '( sport = :443 )'");
        String zh = ExplanationsZh.finWait1Stuck(443, ev);
        assertChinese(zh, "端口 :443 上有 40 个连接", "FIN-WAIT-1", "20.0 KiB 未发出", "全部连接都在等 persist 定时器",
                "其中 3 个连接都在重传", "其中 30 个是孤儿连接", "全部 57 个孤儿连接", "nginx (pid 812)",
                "`ss -K state fin-wait-1 '( sport = :443 )'`");
        ev.put("tcpMaxOrphansPresent", false);
        ev.put("orphaned", 40);
        assertChinese(ExplanationsZh.finWait1Stuck(443, ev), "全部都是孤儿连接", "没有 tcp_max_orphans");
    }

    @Test
    void defunctOwnerNamesThePidTheParentAndTheThreadsDirectory() {
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("pid", 4242);
        ev.put("command", "java");
        ev.put("threads", 3);
        ev.put("sockets", 5);
        ev.put("ppid", 100);
        ev.put("parentCommand", "bash");
        ev.put("states", Map.of("CLOSE-WAIT", 5));
        ev.put("tids", List.of(4250));
        ev.put("otherDefunct", List.of(5000));
        String zh = ExplanationsZh.defunctOwner(9080, ev);
        assertChinese(zh, "进程 java（pid 4242）", "僵尸进程", "2 个线程", "端口 :9080 上的 5 个连接", "CLOSE-WAIT 5",
                "/proc/4242/task/4250/fd", "父进程是 bash（pid 100）", "kill 4242", "另有 1 个僵尸进程");
        ev.remove("parentCommand");
        ev.put("orphan", true);
        ev.put("ppid", 1);
        // issue 12 item 19: pid 1 named by what is known, never "init 会回收它"
        String orphan = ExplanationsZh.defunctOwner(0, ev);
        assertChinese(orphan, "父进程是 pid 1（本次采集没有看到它），它是孤儿进程", "持有 5 个连接");
        assertFalse(orphan.contains("init"), orphan);
    }

    @Test
    void orphanPressureGivesTheCountThePercentAndTheLimit() {
        String zh = ExplanationsZh.orphanPressure(Map.of("orphans", 3600, "max", 4096, "percent", 87.8));
        assertChinese(zh, "3600 个孤儿 TCP 连接", "87.8 %", "tcp_max_orphans（4096）",
                "\"TCP: too many orphaned sockets\"", "FIN-WAIT-1");
    }

    @Test
    void portBlockedListsTheStatesTheOwnerAndTheOrphans() {
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("count", 6);
        Map<String, Object> states = new LinkedHashMap<>();
        states.put("CLOSE-WAIT", 4);
        states.put("TIME-WAIT", 2);
        ev.put("states", states);
        ev.put("owners", List.of(owner(4242, "java")));
        ev.put("orphaned", 1);
        String zh = ExplanationsZh.portBlocked(8080, ev);
        assertChinese(zh, "端口 :8080", "6 个连接", "CLOSE-WAIT 4", "另有 2 个处于 TIME-WAIT", "\"Address already in use\"",
                "属主：java (pid 4242)", "1 个连接没有所属进程");
    }

    @Test
    void hostKindsHaveNoChineseTextSoThePageKeepsTheStoredOne() {
        assertNull(ExplanationsZh.of(IncidentKind.HOST_UNREACHABLE, 0, Map.of("error", "connection refused")));
        assertNull(ExplanationsZh.of(IncidentKind.HOST_KEY_CHANGED, 0, Map.of()));
    }

    // ---- issue 13: the namespace, named as a Chinese engineer writes it ----

    static final dev.linger.collect.NetNamespace CHECKOUT = new dev.linger.collect.NetNamespace(4026532301L,
            dev.linger.collect.NetNamespace.Kind.CONTAINER, "checkout-7d9f", "3f2a1b9c0d1e" + "a".repeat(52), null,
            "checkout-7d9f", 4100, Map.of(), 0);

    /** The words left once ids (hex, uuids) and namespace inodes are taken out: those are values, not English. */
    static List<String> englishWordsBesideIds(String text) {
        return englishWords(text.replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}|[0-9a-f]{12}|net:\\[\\d+\\]", " ")).stream()
                .filter(w -> !w.equals("Pod") && !w.equals("uid")).toList();
    }

    @Test
    void aContainersLeakNamesTheContainerFirstWithFullWidthPunctuation() {
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("direction", "incoming");
        ev.put("count", 12);
        ev.put("withUnreadBytes", 12);
        ev.put("unreadBytes", 84);
        ev.put("unreadBytesEach", 7);
        ev.put("withKeepalive", 0);
        ev.put("owners", List.of(owner(4242, "java")));
        ev.put("since", "2024-05-01T02:41:00Z");
        ev.put("sinceSnapshots", 5);
        ev.put("ageSeconds", 840);
        ev.put("samples", List.of(Map.of("local", "10.0.0.1:9080")));
        String zh = ExplanationsZh.closeWaitLeak(9080, ev, CHECKOUT);
        assertTrue(zh.startsWith("容器 `checkout-7d9f`（3f2a1b9c0d1e）里 :9080 上有 12 个连接自 02:41 UTC 起"), zh);
        assertEquals(List.of(), englishWordsBesideIds(zh), zh);
        assertEquals(zh, ExplanationsZh.of(IncidentKind.CLOSE_WAIT_LEAK, 9080, ev, CHECKOUT));
        String en = Explanations.closeWaitLeak(9080, ev, CHECKOUT);
        assertTrue(en.startsWith("12 sockets on :9080 in container `checkout-7d9f` (3f2a1b9c0d1e) have been in"
                + " CLOSE-WAIT since 02:41 UTC (14 min)"), en);

        ev.put("direction", "outgoing");
        String out = ExplanationsZh.closeWaitLeak(5432, ev, CHECKOUT);
        assertTrue(out.startsWith("容器 `checkout-7d9f`（3f2a1b9c0d1e）里有 12 个到端口 :5432 的出站连接"), out);
        assertFalse(out.contains("本机"), "the program is in the container, not on the host: " + out);
    }

    @Test
    void podsIpNetnsAndUnknownNamespacesAreNamedByWhatTheyAre() {
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("direction", "incoming");
        ev.put("count", 40);
        ev.put("orphaned", 40);
        ev.put("tcpMaxOrphansPresent", false);
        ev.put("killCommand", "ss -K state fin-wait-1 '( sport = :443 )'");
        dev.linger.collect.NetNamespace pod = new dev.linger.collect.NetNamespace(4026532500L,
                dev.linger.collect.NetNamespace.Kind.POD, "web-0", "3f2a1b9c0d1e" + "a".repeat(52),
                "6e1f0a2b-3c4d-5e6f-7a8b-9c0d1e2f3a4b", "web-0", 1, Map.of(), 0);
        String zh = ExplanationsZh.finWait1Stuck(443, ev, pod);
        assertTrue(zh.startsWith("Pod `web-0`（容器 3f2a1b9c0d1e，uid 6e1f0a2b-3c4d-5e6f-7a8b-9c0d1e2f3a4b）里 :443 上有"
                + " 40 个连接"), zh);
        assertTrue(zh.contains("这个网络命名空间里没有 tcp_max_orphans"), zh);
        assertTrue(zh.contains("在该网络命名空间里执行 `ss -K"), zh);
        assertEquals(List.of(), englishWordsBesideIds(zh), zh);

        dev.linger.collect.NetNamespace blue = new dev.linger.collect.NetNamespace(4026532600L,
                dev.linger.collect.NetNamespace.Kind.NETNS, "blue", null, null, null, 1, Map.of(), 0);
        assertTrue(ExplanationsZh.finWait1Stuck(443, ev, blue).startsWith("网络命名空间 `blue` 里 :443 上有"));
        dev.linger.collect.NetNamespace unknown = new dev.linger.collect.NetNamespace(4026532700L,
                dev.linger.collect.NetNamespace.Kind.NETNS, null, null, null, null, 0, Map.of(), 0);
        assertTrue(ExplanationsZh.finWait1Stuck(443, ev, unknown).startsWith("网络命名空间 net:[4026532700] 里 :443 上有"));

        Map<String, Object> defunct = new LinkedHashMap<>();
        defunct.put("pid", 4242);
        defunct.put("command", "java");
        defunct.put("threads", 2);
        defunct.put("sockets", 4);
        defunct.put("ppid", 1);
        String d = ExplanationsZh.defunctOwner(9082, defunct, CHECKOUT);
        assertTrue(d.contains("持有容器 `checkout-7d9f`（3f2a1b9c0d1e）里端口 :9082 上的 4 个连接"), d);
    }

    @Test
    void theHostsOwnNamespaceNamesNothingAsBefore() {
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("direction", "incoming");
        ev.put("count", 12);
        ev.put("withKeepalive", 0);
        assertEquals(ExplanationsZh.closeWaitLeak(9080, ev),
                ExplanationsZh.closeWaitLeak(9080, ev, dev.linger.collect.NetNamespace.host(4026531840L)));
        assertEquals(Explanations.closeWaitLeak(9080, ev),
                Explanations.closeWaitLeak(9080, ev, dev.linger.collect.NetNamespace.host(4026531840L)));
    }

    /** Commas, colons, semicolons and brackets between Chinese words are full-width, as a Chinese engineer writes. */
    @Test
    void punctuationBetweenChineseWordsIsFullWidth() {
        Map<String, Object> leak = new LinkedHashMap<>();
        leak.put("direction", "incoming");
        leak.put("count", 23);
        leak.put("withUnreadBytes", 0);
        leak.put("withKeepalive", 2);
        leak.put("since", "2024-05-01T02:41:00Z");
        leak.put("sinceSnapshots", 5);
        leak.put("ageSeconds", 840);
        leak.put("growth", List.of(11, 15, 23));
        leak.put("samples", List.of(Map.of("local", "10.0.0.1:9080")));
        Map<String, Object> fin = new LinkedHashMap<>();
        fin.put("count", 4);
        fin.put("sendQ", 99);
        fin.put("timers", Map.of("persist", 2, "on", 2));
        fin.put("orphaned", 4);
        fin.put("killCommand", "ss -K state fin-wait-1 '( sport = :443 )'");
        Map<String, Object> defunct = new LinkedHashMap<>(Map.of("pid", 7, "threads", 2, "sockets", 1, "ppid", 1));
        defunct.put("states", Map.of("CLOSE-WAIT", 1));
        Map<String, Object> blocked = new LinkedHashMap<>();
        blocked.put("count", 6);
        blocked.put("states", new LinkedHashMap<>(Map.of("CLOSE-WAIT", 4, "TIME-WAIT", 2)));
        blocked.put("owners", List.of(owner(4242, "java")));
        List<String> texts = List.of(ExplanationsZh.closeWaitLeak(9080, leak), ExplanationsZh.finWait1Stuck(443, fin),
                ExplanationsZh.defunctOwner(9080, defunct),
                ExplanationsZh.orphanPressure(Map.of("orphans", 1, "max", 2, "percent", 50.0)),
                ExplanationsZh.portBlocked(8080, blocked), ExplanationsZh.closeWaitLeak(9080, leak, CHECKOUT));
        Pattern halfWidth = Pattern.compile("[\\u4e00-\\u9fff][,:;()]|[,:;()][\\u4e00-\\u9fff]");
        for (String zh : texts) {
            // commands in `…` and kernel messages in "…" are quoted as they are
            String prose = zh.replaceAll("`[^`]*`", "").replaceAll("\"[^\"]*\"", "");
            assertFalse(halfWidth.matcher(prose).find(), zh);
        }
    }
}
