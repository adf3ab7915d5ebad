package dev.linger.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.linger.collect.CollectorOutput.Meta;
import dev.linger.collect.CollectorOutput.NotableSocket;
import dev.linger.collect.CollectorOutput.Owner;
import dev.linger.collect.CollectorOutput.ProcessInfo;
import dev.linger.collect.CollectorOutput.Sockstat;
import dev.linger.collect.CollectorOutput.StateCount;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Plain unit tests of the collector output parser: real captured outputs first, then edge and hostile input. */
class CollectorOutputParserTest {

    // ---- the real outputs in src/test/resources/collect ----

    @Test
    void labSampleCountsFiveCloseWaitSocketsOnLocalPort9080HeldByALiveProcess() {
        CollectorOutput out = parseResource("lab-namespace-ss.txt");

        assertTrue(out.states().contains(new StateCount(9080, false, "CLOSE-WAIT", 5)));
        assertTrue(out.states().contains(new StateCount(9080, true, "FIN-WAIT-2", 5)));
        assertEquals(9, out.states().size());
        List<NotableSocket> closeWait = socketsOn(out, "CLOSE-WAIT", "127.0.0.1:9080");
        assertEquals(5, closeWait.size());
        for (NotableSocket socket : closeWait) {
            assertEquals(8, socket.recvQ());
            assertEquals(0, socket.sendQ());
            assertNull(socket.timer(), "no SO_KEEPALIVE: ss prints no timer");
            assertEquals(new Owner(24850, 24850, "faults", "S", 1), socket.owner());
        }
        assertEquals(Set.of(50986L, 50988L, 50990L, 50992L, 50994L),
                closeWait.stream().map(NotableSocket::inode).collect(Collectors.toSet()));
    }

    @Test
    void labSampleFinWait1SocketsOn9081AreOrphansBehindAPersistTimer() {
        CollectorOutput out = parseResource("lab-namespace-ss.txt");

        List<NotableSocket> finWait1 = socketsOn(out, "FIN-WAIT-1", "127.0.0.1:9081");
        assertEquals(3, finWait1.size());
        for (NotableSocket socket : finWait1) {
            assertEquals(1612801, socket.sendQ());
            assertEquals(0, socket.recvQ());
            assertEquals("persist", socket.timer());
            assertEquals(11_000L, socket.timerMillis()); // "11sec"
            assertEquals(0, socket.retransmits());
            assertEquals(0, socket.inode(), "an orphan has no inode");
            assertNull(socket.owner());
        }
        assertEquals(Set.of("127.0.0.1:53994", "127.0.0.1:54000", "127.0.0.1:54004"),
                finWait1.stream().map(NotableSocket::peer).collect(Collectors.toSet()));
        assertTrue(out.states().contains(new StateCount(9081, false, "FIN-WAIT-1", 3)));
    }

    @Test
    void labSampleCloseWaitSocketsOn9082BelongToTheLiveThreadOfADefunctLeader() {
        CollectorOutput out = parseResource("lab-namespace-ss.txt");

        List<NotableSocket> held = socketsOn(out, "CLOSE-WAIT", "127.0.0.1:9082");
        assertEquals(4, held.size());
        for (NotableSocket socket : held) {
            assertEquals(new Owner(24854, 24856, "faults", "Z", 1), socket.owner());
        }
        ProcessInfo leader = out.processes().stream().filter(p -> p.pid() == 24854).findFirst().orElseThrow();
        assertEquals(new ProcessInfo(24854, 1, "Z", 2, "faults"), leader);
        assertEquals(List.of(24850, 24852, 24854), out.processes().stream().map(ProcessInfo::pid).toList());
    }

    @Test
    void labSampleMetaSysctlsAndSockstatAreReadInFull() {
        CollectorOutput out = parseResource("lab-namespace-ss.txt");

        assertTrue(out.complete());
        assertEquals(List.of(), out.problems());
        assertEquals(new Meta(1, "vm", "6.18.44-fc-v657", 1795569838L, 0, 32768, 60999, "ss", true), out.meta());
        assertTrue(out.sysctls().containsKey("net.ipv4.tcp_max_orphans"), "an absent key is still listed");
        assertNull(out.sysctls().get("net.ipv4.tcp_max_orphans"), "global sysctl: absent in a namespace");
        assertEquals("7200", out.sysctls().get("net.ipv4.tcp_keepalive_time"));
        assertEquals("32768 60999", out.sysctls().get("net.ipv4.ip_local_port_range"));
        assertEquals(List.of("net.ipv4.tcp_max_orphans", "net.ipv4.tcp_keepalive_time",
                "net.ipv4.tcp_keepalive_probes", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_fin_timeout",
                "net.ipv4.tcp_orphan_retries", "net.ipv4.tcp_tw_reuse", "net.ipv4.ip_local_port_range",
                "net.core.somaxconn"), List.copyOf(out.sysctls().keySet()));
        assertEquals(new Sockstat(18, 3, 9, 32), out.sockstat());
        assertEquals(24, out.sockets().size());
        assertTrue(out.sockets().stream().allMatch(s -> Integer.valueOf(0).equals(s.uid())),
                "ss -e leaves out uid:0, yet its ino: shows the details were printed");
    }

    @Test
    void procFallbackSampleAgreesWithTheSsSampleOnStatesQueuesAddressesAndOwners() {
        CollectorOutput ss = parseResource("lab-namespace-ss.txt");
        CollectorOutput proc = parseResource("lab-namespace-proc.txt");

        assertEquals(List.of(), proc.problems());
        assertEquals("proc", proc.meta().source());
        assertFalse(proc.meta().canKillSockets());
        assertEquals(new HashSet<>(ss.states()), new HashSet<>(proc.states()));
        assertEquals(comparable(ss.sockets()), comparable(proc.sockets()));
        assertEquals(ss.processes(), proc.processes());
        // /proc gives timer times in 10 ms steps; ss drops the milliseconds from 10 s up
        assertEquals(Set.of(11_600L, 11_610L), socketsOn(proc, "FIN-WAIT-1", "127.0.0.1:9081").stream()
                .map(NotableSocket::timerMillis).collect(Collectors.toSet()));
    }

    @Test
    void procFallbackOffTimerMeansNoTimer() {
        CollectorOutput proc = parseResource("lab-namespace-proc.txt");

        for (NotableSocket socket : socketsOn(proc, "CLOSE-WAIT", "127.0.0.1:9080")) {
            assertNull(socket.timer());
            assertNull(socket.timerMillis());
            assertNull(socket.retransmits());
        }
    }

    @Test
    void initialNamespaceSampleHasNoNotableSocketsButTheGlobalSysctlAndAZombie() {
        CollectorOutput out = parseResource("initial-namespace-ss.txt");

        assertTrue(out.complete());
        assertEquals(List.of(), out.problems());
        assertEquals(List.of(), out.sockets());
        assertEquals("131072", out.sysctls().get("net.ipv4.tcp_max_orphans"));
        assertEquals(13, out.states().size());
        assertTrue(out.states().contains(new StateCount(4369, false, "LISTEN", 2)));
        assertTrue(out.states().contains(new StateCount(4369, true, "TIME-WAIT", 1)));
        assertEquals(new Sockstat(11, 3, 2, 32), out.sockstat());
        assertEquals(List.of(new ProcessInfo(24854, 1, "Z", 2, "faults")), out.processes());
    }

    // ---- real lines captured in a lab namespace (kernel 6.18, iproute2 6.1): IPv6, keepalive, retransmits ----

    private static final String CAPTURED_HEAD = """
            ==linger:meta==
            format 1
            hostname vm
            kernel 6.18.44-fc-v657
            now 1795570073
            uid 0
            ephemeral 32768 60999
            source %s
            kill-sockets %s
            ==linger:sysctls==
            net.ipv4.tcp_max_orphans ?
            net.ipv4.tcp_keepalive_time = 7200
            net.ipv4.tcp_rmem = 4096 131072 33554432
            ==linger:sockstat==
            sockets: used 29
            TCP: inuse 26 orphan 3 tw 13 alloc 51 mem 2703
            UDP: inuse 0 mem 0
            ==linger:counts==
            CLOSE-WAIT 9090 local 3
            ESTAB 9091 local 2
            ESTAB 9095 remote 2
            LISTEN 9095 local 1
            FIN-WAIT-2 9090 remote 3
            SYN-SENT 9097 remote 2
            CLOSE-WAIT 9095 local 1
            ==linger:sockets==
            """;

    private static final String CAPTURED_TAIL = """
            ==linger:owners==
            54586 26789 26789
            54588 26789 26789
            54590 26789 26789
            54592 26789 26789
            54595 26789 26789
            54889 26961 26961
            54915 26961 26961
            54917 26961 26961
            55076 27110 27110
            53612 27235 27235
            53613 27235 27235
            ==linger:processes==
            26789 1 S 1 python3
            26961 1 S 1 python3
            27110 1 S 1 python3
            27235 1 S 1 python3
            ==linger:end==
            """;

    private static final String CAPTURED_SS = CAPTURED_HEAD.formatted("ss", "yes") + """
            LISTEN     1      10               127.0.0.1:9095             0.0.0.0:*     ino:54889 sk:59 cgroup:unreachable:1 <->
            ESTAB      0      5000             127.0.0.1:46600          127.0.0.1:9095  timer:(persist,1.864ms,6) ino:55076 sk:5e cgroup:unreachable:1 <->
            FIN-WAIT-2 0      0                127.0.0.1:59944          127.0.0.1:9095  timer:(timewait,18sec,0) ino:0 sk:5a
            ESTAB      5000   0                127.0.0.1:9095           127.0.0.1:59946 ino:54917 sk:5c cgroup:unreachable:1 <->
            CLOSE-WAIT 4      0                127.0.0.1:9095           127.0.0.1:59944 timer:(keepalive,1min15sec,0) ino:54915 sk:5d cgroup:unreachable:1 -->
            ESTAB      3      0       [::ffff:127.0.0.1]:9091  [::ffff:127.0.0.1]:58554 ino:54595 sk:4f cgroup:unreachable:1 <->
            CLOSE-WAIT 6      0                    [::1]:9090               [::1]:40964 ino:54586 sk:50 cgroup:unreachable:1 -->
            CLOSE-WAIT 6      0                    [::1]:9090               [::1]:40974 ino:54590 sk:51 cgroup:unreachable:1 -->
            ESTAB      100    0                    [::1]:9090               [::1]:40980 ino:54592 sk:52 cgroup:unreachable:1 <->
            FIN-WAIT-2 0      0                    [::1]:40964              [::1]:9090  timer:(timewait,888ms,0) ino:0 sk:54
            FIN-WAIT-2 0      0                    [::1]:40966              [::1]:9090  timer:(timewait,888ms,0) ino:0 sk:55
            FIN-WAIT-2 0      0                    [::1]:40974              [::1]:9090  timer:(timewait,888ms,0) ino:0 sk:56
            CLOSE-WAIT 6      0                    [::1]:9090               [::1]:40966 ino:54588 sk:58 cgroup:unreachable:1 -->
            SYN-SENT   0      1                    [::1]:35006              [::1]:9097  timer:(on,440ms,5) ino:53612 sk:60 cgroup:unreachable:1 <->
            SYN-SENT   0      1                    [::1]:35008              [::1]:9097  timer:(on,440ms,5) ino:53613 sk:61 cgroup:unreachable:1 <->
            """ + CAPTURED_TAIL;

    private static final String CAPTURED_PROC = CAPTURED_HEAD.formatted("proc", "no") + """
            LISTEN 1 0 127.0.0.1:9095 0.0.0.0:0 timer:(off,0ms,0) uid:0 ino:54889
            ESTAB 0 5000 127.0.0.1:46600 127.0.0.1:9095 timer:(persist,1820ms,0) uid:0 ino:55076
            FIN-WAIT-2 0 0 127.0.0.1:59944 127.0.0.1:9095 timer:(timewait,17990ms,0) uid:0 ino:0
            ESTAB 5000 0 127.0.0.1:9095 127.0.0.1:59946 timer:(off,0ms,0) uid:0 ino:54917
            CLOSE-WAIT 4 0 127.0.0.1:9095 127.0.0.1:59944 timer:(keepalive,75940ms,0) uid:0 ino:54915
            ESTAB 3 0 [0000000000000000FFFF00000100007F]:9091 [0000000000000000FFFF00000100007F]:58554 timer:(off,0ms,0) uid:0 ino:54595
            CLOSE-WAIT 6 0 [00000000000000000000000001000000]:9090 [00000000000000000000000001000000]:40964 timer:(off,0ms,0) uid:0 ino:54586
            CLOSE-WAIT 6 0 [00000000000000000000000001000000]:9090 [00000000000000000000000001000000]:40974 timer:(off,0ms,0) uid:0 ino:54590
            ESTAB 100 0 [00000000000000000000000001000000]:9090 [00000000000000000000000001000000]:40980 timer:(off,0ms,0) uid:0 ino:54592
            FIN-WAIT-2 0 0 [00000000000000000000000001000000]:40964 [00000000000000000000000001000000]:9090 timer:(timewait,840ms,0) uid:0 ino:0
            FIN-WAIT-2 0 0 [00000000000000000000000001000000]:40966 [00000000000000000000000001000000]:9090 timer:(timewait,840ms,0) uid:0 ino:0
            FIN-WAIT-2 0 0 [00000000000000000000000001000000]:40974 [00000000000000000000000001000000]:9090 timer:(timewait,840ms,0) uid:0 ino:0
            CLOSE-WAIT 6 0 [00000000000000000000000001000000]:9090 [00000000000000000000000001000000]:40966 timer:(off,0ms,0) uid:0 ino:54588
            SYN-SENT 0 1 [00000000000000000000000001000000]:35006 [00000000000000000000000001000000]:9097 timer:(on,390ms,5) uid:0 ino:53612
            SYN-SENT 0 1 [00000000000000000000000001000000]:35008 [00000000000000000000000001000000]:9097 timer:(on,390ms,5) uid:0 ino:53613
            """ + CAPTURED_TAIL;

    @Test
    void ssIpv6AndMappedAddressesAreKeptAsSsPrintsThem() {
        CollectorOutput out = CollectorOutputParser.parse(CAPTURED_SS);

        assertEquals(List.of(), out.problems());
        assertEquals(3, socketsOn(out, "CLOSE-WAIT", "[::1]:9090").size());
        NotableSocket mapped = out.sockets().stream().filter(s -> s.inode() == 54595).findFirst().orElseThrow();
        assertEquals("[::ffff:127.0.0.1]:9091", mapped.local());
        assertEquals("[::ffff:127.0.0.1]:58554", mapped.peer());
        assertEquals(3, mapped.recvQ());
    }

    @Test
    void procIpv6AddressesBecomeTheLiteralsSsPrints() {
        CollectorOutput ss = CollectorOutputParser.parse(CAPTURED_SS);
        CollectorOutput proc = CollectorOutputParser.parse(CAPTURED_PROC);

        assertEquals(List.of(), proc.problems());
        assertEquals(3, socketsOn(proc, "CLOSE-WAIT", "[::1]:9090").size());
        assertEquals("[::ffff:127.0.0.1]:9091",
                proc.sockets().stream().filter(s -> s.inode() == 54595).findFirst().orElseThrow().local());
        // ss prints port 0 as "*"; the /proc rewrite keeps "0", so only the LISTEN peer differs
        List<String> ssAddresses = ss.sockets().stream().map(s -> s.local() + " " + s.peer()).toList();
        List<String> procAddresses = proc.sockets().stream()
                .map(s -> s.local() + " " + s.peer().replace("0.0.0.0:0", "0.0.0.0:*")).toList();
        assertEquals(ssAddresses, procAddresses);
    }

    @Test
    void keepaliveRetransmitAndPersistTimersAreReadFromRealLines() {
        CollectorOutput out = CollectorOutputParser.parse(CAPTURED_SS);

        NotableSocket keepalive = socketsOn(out, "CLOSE-WAIT", "127.0.0.1:9095").get(0);
        assertEquals("keepalive", keepalive.timer());
        assertEquals(75_000L, keepalive.timerMillis()); // 1min15sec
        assertEquals(new Owner(26961, 26961, "python3", "S", 1), keepalive.owner());

        List<NotableSocket> synSent = socketsOn(out, "SYN-SENT", "[::1]:35006");
        assertEquals(1, synSent.size());
        assertEquals("on", synSent.get(0).timer());
        assertEquals(440L, synSent.get(0).timerMillis());
        assertEquals(5, synSent.get(0).retransmits());
        assertEquals(1, synSent.get(0).sendQ());

        NotableSocket stalled = out.sockets().stream().filter(s -> s.inode() == 55076).findFirst().orElseThrow();
        assertEquals("persist", stalled.timer());
        assertEquals(1_864L, stalled.timerMillis()); // 1.864ms = 1 s + 864 ms
        assertEquals(6, stalled.retransmits());

        NotableSocket listener = socketsOn(out, "LISTEN", "127.0.0.1:9095").get(0);
        assertEquals("0.0.0.0:*", listener.peer());
        assertEquals(1, listener.recvQ(), "LISTEN is notable when its accept queue is not empty");

        NotableSocket keepaliveViaProc = socketsOn(CollectorOutputParser.parse(CAPTURED_PROC), "CLOSE-WAIT",
                "127.0.0.1:9095").get(0);
        assertEquals(75_940L, keepaliveViaProc.timerMillis());
    }

    @ParameterizedTest
    @CsvSource({
        "00000000000000000000000000000001, ::1",
        "00000000000000000000000000000002, ::2",
        "00000000000000000000000000000000, ::",
        "00000000000000000000ffff01020304, ::ffff:1.2.3.4",
        "00000000000000000000000001020304, ::1.2.3.4",
        "0000000000000000000000000000ffff, ::ffff",
        "0000000000000000ffff000000000000, ::ffff:0:0:0",
        "fe800000000000000000000000000001, fe80::1",
        "20010db8000000010000000000000001, 2001:db8:0:1::1",
        "20010db8000000000001000000000001, 2001:db8::1:0:0:1",
        "00010000000000000000000000000000, 1::",
        "20010db8000100020003000400050006, 2001:db8:1:2:3:4:5:6",
        "20010db8000000010001000100010001, 2001:db8:0:1:1:1:1:1",
    })
    void procIpv6FormatsLikeGlibcInetNtop(String networkOrderHex, String expected) {
        // the expected literals are what glibc's inet_ntop (and so ss) prints for these addresses
        String line = "CLOSE-WAIT 1 0 [" + procForm(networkOrderHex) + "]:80 [" + procForm(networkOrderHex) + "]:443";
        NotableSocket socket = single(CollectorOutputParser.parse(complete().with("sockets", line).text()));

        assertEquals("[" + expected + "]:80", socket.local());
        assertEquals("[" + expected + "]:443", socket.peer());
    }

    // ---- timers ----

    @ParameterizedTest
    @CsvSource({
        "508ms, 508",
        "1.544ms, 1544",
        "59sec, 59000",
        "1min58sec, 118000",
        "12.050ms, 12050",
        "2min, 120000",
        "0ms, 0",
        "11610ms, 11610",
        "1.009ms, 1009",
        "71582min, 4294920000",
        "1min1.500ms, 61500",
    })
    void ssTimerTimesBecomeMilliseconds(String time, long millis) {
        NotableSocket socket = single(CollectorOutputParser.parse(
                complete().with("sockets", "FIN-WAIT-1 0 10 10.0.0.1:80 10.0.0.2:5000 timer:(on," + time + ",3)")
                        .text()));

        assertEquals("on", socket.timer());
        assertEquals(millis, socket.timerMillis());
        assertEquals(3, socket.retransmits());
    }

    @Test
    void anEmptyTimerTimeIsZeroBecauseSsPrintsNothingForZero() {
        NotableSocket socket = single(CollectorOutputParser.parse(
                complete().with("sockets", "SYN-SENT 0 1 10.0.0.1:5000 10.0.0.2:80 timer:(on,,2)").text()));

        assertEquals(0L, socket.timerMillis());
        assertEquals(2, socket.retransmits());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5ms", "abc", "5", "ms", "1min1min", "12sec5", "1.544", "-5ms", "1234567890123ms",
        "1.54ams", "sec"})
    void aMalformedTimerTimeIsAProblemButTheSocketIsKept(String time) {
        CollectorOutput out = CollectorOutputParser.parse(complete()
                .with("sockets", "FIN-WAIT-1 0 10 10.0.0.1:80 10.0.0.2:5000 timer:(persist," + time + ",0) ino:7")
                .text());

        NotableSocket socket = single(out);
        assertNull(socket.timer());
        assertNull(socket.timerMillis());
        assertEquals(7, socket.inode());
        assertEquals(1, out.problems().size(), out.problems().toString());
        assertTrue(out.problems().get(0).contains("timer time is not in ss format"), out.problems().get(0));
    }

    @Test
    void anUnknownTimerNameIsAProblemAndTheTimerIsDropped() {
        String line = "ESTAB 0 10 10.0.0.1:80 10.0.0.2:5000 timer:(unknown,3sec,0)";
        String text = complete().with("sockets", line).text();

        CollectorOutput out = CollectorOutputParser.parse(text);

        assertNull(single(out).timer());
        assertEquals(List.of("sockets line " + lineNumberOf(text, line) + ": unknown timer 'unknown'"), out.problems());
    }

    // ---- sections and lines ----

    @Test
    void socketDetailsMayComeInAnyOrderAndUnknownTokensAreIgnored() {
        NotableSocket socket = single(CollectorOutputParser.parse(complete().with("sockets",
                "ESTAB 5 0 10.0.0.1:80 10.0.0.2:5000 <-> ino:77 v6only:1 uid:1000 timer:(on,200ms,1) sk:1 cgroup:/a")
                .text()));

        assertEquals(1000, socket.uid());
        assertEquals(77, socket.inode());
        assertEquals("on", socket.timer());
        assertEquals(200L, socket.timerMillis());
        assertEquals(5, socket.recvQ());
    }

    @Test
    void aSocketWithoutDetailsHasNoTimerNoUidAndNoInode() {
        NotableSocket socket = single(CollectorOutputParser.parse(
                complete().with("sockets", "LAST-ACK 0 1 127.0.0.53%lo:53 *:*").text()));

        assertEquals(new NotableSocket("LAST-ACK", "127.0.0.53%lo:53", "*:*", 0, 1, null, null, null, null, 0, null),
                socket);
    }

    @Test
    void countsWithAnUnknownPortAreCountedUnderPortZero() {
        CollectorOutput out = CollectorOutputParser.parse(complete()
                .with("counts", "ESTAB * local 4", "CLOSE-WAIT ? remote 2", "LISTEN 22 local 1").text());

        assertEquals(List.of(new StateCount(0, false, "ESTAB", 4), new StateCount(0, true, "CLOSE-WAIT", 2),
                new StateCount(22, false, "LISTEN", 1)), out.states());
        assertEquals(List.of(), out.problems());
    }

    @Test
    void unknownStatesAreProblemsAndTheirLinesAreSkipped() {
        CollectorOutput out = CollectorOutputParser.parse(complete()
                .with("counts", "UNKNOWN 80 local 1", "CLOSE_WAIT 80 local 1", "ESTAB 80 local 1")
                .with("sockets", "NEW-SYN-RECV 0 0 1.1.1.1:1 2.2.2.2:2", "CLOSE-WAIT 1 0 1.1.1.1:1 2.2.2.2:2").text());

        assertEquals(List.of(new StateCount(80, false, "ESTAB", 1)), out.states());
        assertEquals(List.of("CLOSE-WAIT"), out.sockets().stream().map(NotableSocket::state).toList());
        assertEquals(3, out.problems().size(), out.problems().toString());
        assertTrue(out.problems().get(0).contains("unknown state 'UNKNOWN'"));
        assertTrue(out.problems().get(2).startsWith("sockets line "));
    }

    @Test
    void aProblemNamesTheSectionTheLineNumberInTheOutputAndTheBadValue() {
        String line = "CLOSE-WAIT x 0 10.0.0.1:80 10.0.0.2:5000";
        String text = complete().with("sockets", line).text();

        CollectorOutput out = CollectorOutputParser.parse(text);

        assertEquals(List.of("sockets line " + lineNumberOf(text, line) + ": recv-q is not a number: 'x'"),
                out.problems());
        assertEquals(List.of(), out.sockets());
    }

    @Test
    void aSocketLineCutShortIsAProblem() {
        CollectorOutput out = CollectorOutputParser.parse(complete().with("sockets", "CLOSE-WAIT 8 0 127.0.0.1:90").text());

        assertEquals(List.of(), out.sockets());
        assertTrue(out.problems().get(0).endsWith("the peer address is missing"), out.problems().toString());
    }

    @Test
    void aCommandKeepsItsSpacesAndAnOwnerWithoutAProcessLineHasOnlyIds() {
        CollectorOutput out = CollectorOutputParser.parse(complete()
                .with("sockets", "CLOSE-WAIT 1 0 10.0.0.1:80 10.0.0.2:5000 ino:11",
                        "CLOSE-WAIT 1 0 10.0.0.1:80 10.0.0.2:5001 ino:12")
                .with("owners", "11 4242 4242", "12 5151 5152")
                .with("processes", "4242 1 S 3 my server").text());

        assertEquals(List.of(), out.problems());
        assertEquals(new Owner(4242, 4242, "my server", "S", 1), out.sockets().get(0).owner());
        assertEquals(new Owner(5151, 5152, null, null, null), out.sockets().get(1).owner());
        assertEquals(List.of(new ProcessInfo(4242, 1, "S", 3, "my server")), out.processes());
    }

    @Test
    void theFirstOwnerLineOfAnInodeWinsAndInodeZeroNeverHasAnOwner() {
        CollectorOutput out = CollectorOutputParser.parse(complete()
                .with("sockets", "CLOSE-WAIT 1 0 10.0.0.1:80 10.0.0.2:5000 ino:11",
                        "FIN-WAIT-1 0 9 10.0.0.1:80 10.0.0.2:5001 ino:0")
                .with("owners", "11 300 300", "11 200 200", "0 400 400")
                .with("processes", "200 1 S 1 forked-child", "300 1 S 1 parent").text());

        assertEquals(300, out.sockets().get(0).owner().pid());
        assertNull(out.sockets().get(1).owner());
        assertEquals(1, out.problems().size(), out.problems().toString());
        assertTrue(out.problems().get(0).contains("inode must be greater than 0: '0'"), out.problems().get(0));
    }

    @Test
    void sysctlsKeepOrderSpacesAndAbsentKeysAndReportMalformedLines() {
        CollectorOutput out = CollectorOutputParser.parse(complete().with("sysctls",
                "net.ipv4.tcp_rmem = 4096\t131072 33554432",
                "net.ipv4.tcp_max_orphans ?",
                "net.ipv4.tcp_fin_timeout = 60",
                "net.ipv4.tcp_retries2 = -1",
                "just-a-key",
                "= 5").text());

        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("net.ipv4.tcp_rmem", "4096 131072 33554432"); // a tab becomes a space, as the script does
        expected.put("net.ipv4.tcp_max_orphans", null);
        expected.put("net.ipv4.tcp_fin_timeout", "60");
        expected.put("net.ipv4.tcp_retries2", "-1");
        assertEquals(expected, out.sysctls());
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(out.sysctls().keySet()));
        assertEquals(2, out.problems().size(), out.problems().toString());
    }

    @Test
    void aRepeatedSysctlKeepsNeitherValueAndIsAProblem() {
        CollectorOutput out = CollectorOutputParser.parse(complete().with("sysctls",
                "net.ipv4.tcp_max_orphans = 131072",
                "net.ipv4.tcp_fin_timeout = 60",
                "net.ipv4.tcp_max_orphans = 0",
                "net.ipv4.tcp_max_orphans = 131072").text());

        assertEquals(Map.of("net.ipv4.tcp_fin_timeout", "60"), out.sysctls(),
                "a forged second line must not decide the value, whichever comes first");
        assertEquals(2, out.problems().size(), out.problems().toString());
        assertTrue(out.problems().get(0).contains("'net.ipv4.tcp_max_orphans' appears more than once"),
                out.problems().toString());
        assertTrue(out.problems().get(0).startsWith("sysctls line 6: "), out.problems().toString());
        assertTrue(out.problems().get(1).contains("'net.ipv4.tcp_max_orphans' appears again"), out.problems().toString());
    }

    @Test
    void aSysctlValueThatIsNotNumbersIsAProblemNotAValue() {
        CollectorOutput out = CollectorOutputParser.parse(complete().with("sysctls",
                "net.ipv4.tcp_keepalive_time = 7200",
                "net.ipv4.tcp_fin_timeout = 60; reboot",
                "net.ipv4.tcp_max_orphans = <b>0</b>",
                "net.core.somaxconn = 4096x",
                "net.ipv4.tcp_retries2 = 1.5",
                "net.core.empty = ",
                "net.ipv4.tcp_rmem = 1 2 3 4 5 6 7 8 9").text());

        assertEquals(Map.of("net.ipv4.tcp_keepalive_time", "7200"), out.sysctls());
        assertEquals(6, out.problems().size(), out.problems().toString());
        assertTrue(out.problems().get(0).contains("'net.ipv4.tcp_fin_timeout' has a value that is not numbers: "
                + "'60; reboot'"), out.problems().toString());
        assertTrue(out.problems().stream().allMatch(p -> p.contains("not numbers")), out.problems().toString());
    }

    @Test
    void aRepeatedProcessLineKeepsNeitherCopyAndIsAProblem() {
        CollectorOutput out = CollectorOutputParser.parse(complete()
                .with("sockets", "CLOSE-WAIT 1 0 10.0.0.1:80 10.0.0.2:5000 ino:11")
                .with("owners", "11 300 300")
                .with("processes", "300 1 S 1 java", "301 1 S 1 nginx", "300 1 S 1 <!channel>", "300 1 S 1 sshd")
                .text());

        assertEquals(List.of(new ProcessInfo(301, 1, "S", 1, "nginx")), out.processes());
        assertEquals(new Owner(300, 300, null, null, null), out.sockets().get(0).owner(),
                "the owner's pid is known, its command is not");
        assertEquals(2, out.problems().size(), out.problems().toString());
        assertTrue(out.problems().get(0).contains("pid 300 appears more than once"), out.problems().toString());
        assertTrue(out.problems().get(1).contains("pid 300 appears again"), out.problems().toString());
    }

    @Test
    void sockstatIsNullWhenTheTcpLineIsMissingOrBroken() {
        assertNull(CollectorOutputParser.parse(complete().with("sockstat", "sockets: used 3", "UDP: inuse 0 mem 0")
                .text()).sockstat());

        CollectorOutput broken = CollectorOutputParser.parse(complete()
                .with("sockstat", "TCP: inuse 11 orphan x tw 2 alloc 14 mem 0").text());
        assertNull(broken.sockstat());
        assertTrue(broken.problems().get(0).contains("TCP orphan is not a number: 'x'"), broken.problems().toString());

        CollectorOutput lacking = CollectorOutputParser.parse(complete().with("sockstat", "TCP: inuse 11 mem 0").text());
        assertNull(lacking.sockstat());
        assertEquals(1, lacking.problems().size());
    }

    @Test
    void crlfLineEndingsAreAccepted() {
        CollectorOutput out = parseResourceWith("lab-namespace-ss.txt", text -> text.replace("\n", "\r\n"));

        assertTrue(out.complete());
        assertEquals(List.of(), out.problems());
        assertEquals(24, out.sockets().size());
        assertEquals("32768 60999", out.sysctls().get("net.ipv4.ip_local_port_range"));
    }

    @Test
    void anUnsupportedFormatIsReportedButStillRead() {
        CollectorOutput out = CollectorOutputParser.parse(complete().with("meta", "format 4", "hostname h").text());

        assertEquals(4, out.meta().format());
        assertEquals("h", out.meta().hostname());
        assertTrue(out.problems().get(0).contains("format 4 is not supported"), out.problems().toString());
    }

    @Test
    void aCompleteOutputMissingASectionSaysWhich() {
        String text = complete().text().replace("==linger:owners==\n", "");

        CollectorOutput out = CollectorOutputParser.parse(text);

        assertTrue(out.complete());
        assertEquals(List.of("section 'owners' is missing"), out.problems());
    }

    @Test
    void theResultCannotBeModified() {
        CollectorOutput out = parseResource("lab-namespace-ss.txt");

        assertThrows(UnsupportedOperationException.class, () -> out.sockets().clear());
        assertThrows(UnsupportedOperationException.class, () -> out.sysctls().put("x", "y"));
        assertThrows(UnsupportedOperationException.class, () -> out.problems().add("x"));
    }

    // ---- hostile and broken input: always a result, never an exception ----

    @Test
    void nullInputIsAProblemNotAnException() {
        CollectorOutput out = CollectorOutputParser.parse(null);

        assertFalse(out.complete());
        assertEquals(List.of("there is no output"), out.problems());
        assertNotNull(out.meta());
        assertEquals(List.of(), out.sockets());
        assertEquals(Map.of(), out.sysctls());
    }

    @Test
    void emptyInputIsAProblem() {
        assertEquals(List.of("the output is empty"), CollectorOutputParser.parse("").problems());
        assertEquals(List.of("the output is empty"), CollectorOutputParser.parse(" \n\n\t\n").problems());
    }

    @Test
    void randomBytesYieldCappedProblems() {
        Random random = new Random(42);
        for (int round = 0; round < 20; round++) {
            byte[] bytes = new byte[64 * 1024];
            random.nextBytes(bytes);
            String text = round % 2 == 0 ? new String(bytes, StandardCharsets.ISO_8859_1)
                    : new String(bytes, StandardCharsets.UTF_8);
            // half the rounds inside a section, so the section parsers see the garbage too
            CollectorOutput out = CollectorOutputParser.parse(round < 10 ? text : "==linger:sockets==\n" + text
                    + "\n==linger:processes==\n" + text);

            assertFalse(out.complete());
            assertFalse(out.problems().isEmpty());
            assertTrue(out.problems().size() <= CollectorOutputParser.MAX_PROBLEMS + 1);
        }
    }

    @Test
    void aTwentyMegabyteLineIsSkippedAndParsingGoesOn() {
        String text = complete().with("sockets", "CLOSE-WAIT " + "9".repeat(20 * 1024 * 1024),
                "CLOSE-WAIT 3 0 10.0.0.1:80 10.0.0.2:5000").text();

        CollectorOutput out = CollectorOutputParser.parse(text);

        assertTrue(out.complete());
        assertEquals(1, out.sockets().size());
        assertEquals(1, out.problems().size());
        assertTrue(out.problems().get(0).endsWith("line is longer than 8192 characters, skipped"),
                out.problems().get(0));
    }

    @Test
    void fiftyMegabytesOfGarbageLinesStillReturnAResult() {
        String garbage = "CLOSE-WAIT x y z\n<script>\n\u0000\u0001\n".repeat(50 * 1024 * 1024 / 30);

        CollectorOutput out = CollectorOutputParser.parse("==linger:sockets==\n" + garbage);

        assertFalse(out.complete());
        assertEquals(CollectorOutputParser.MAX_PROBLEMS + 1, out.problems().size());
        assertTrue(out.problems().get(CollectorOutputParser.MAX_PROBLEMS).matches("\\.\\.\\. and \\d+ more"));
    }

    @Test
    void aMissingEndMarkerMeansIncompleteYetKeepsWhatWasRead() {
        String text = complete().with("sockets", "CLOSE-WAIT 3 0 10.0.0.1:80 10.0.0.2:5000").text();
        String truncated = text.substring(0, text.indexOf("==linger:owners=="));

        CollectorOutput out = CollectorOutputParser.parse(truncated);

        assertFalse(out.complete());
        assertEquals(List.of("output is incomplete (truncated?)"), out.problems());
        assertEquals(1, out.sockets().size());
    }

    @Test
    void numbersThatOverflowLongAreProblems() {
        CollectorOutput out = CollectorOutputParser.parse(complete()
                .with("counts", "ESTAB 80 local 99999999999999999999")
                .with("sockets", "CLOSE-WAIT 99999999999999999999 0 10.0.0.1:80 10.0.0.2:5000",
                        "CLOSE-WAIT 1 0 10.0.0.1:80 10.0.0.2:5000 ino:99999999999999999999 uid:4294967294")
                .with("meta", "format 1", "now 99999999999999999999").text());

        assertEquals(List.of(), out.states());
        assertEquals(1, out.sockets().size());
        assertEquals(0, out.sockets().get(0).inode());
        assertNull(out.sockets().get(0).uid());
        assertNull(out.meta().now());
        assertEquals(5, out.problems().size(), out.problems().toString());
        assertTrue(out.problems().stream().allMatch(p -> p.contains("is too large")), out.problems().toString());
    }

    @Test
    void negativeCountsAndQueuesAreProblems() {
        CollectorOutput out = CollectorOutputParser.parse(complete()
                .with("counts", "CLOSE-WAIT 9080 local -5", "CLOSE-WAIT 9081 local 5")
                .with("sockets", "CLOSE-WAIT -1 0 10.0.0.1:80 10.0.0.2:5000")
                .with("processes", "-7 1 S 1 x").text());

        assertEquals(List.of(new StateCount(9081, false, "CLOSE-WAIT", 5)), out.states());
        assertEquals(List.of(), out.sockets());
        assertEquals(List.of(), out.processes());
        assertEquals(3, out.problems().size());
        assertTrue(out.problems().get(0).endsWith("count is negative: '-5'"), out.problems().get(0));
    }

    @Test
    void markupInACommandIsKeptAsInertTextWhileControlCharactersAreStripped() {
        String command = "<script>alert(1)</script>\u001b[31m\u202e\u0007x";
        CollectorOutput out = CollectorOutputParser.parse(complete()
                .with("meta", "format 1", "hostname evil\u001b]0;owned\u0007host")
                .with("processes", "66 1 S 1 " + command, "67 1 S 1 " + "a".repeat(5_000)).text());

        assertEquals(List.of(), out.problems());
        assertEquals("<script>alert(1)</script>[31mx", out.processes().get(0).command(),
                "escaping markup is the page's job; the parser keeps the text and drops only control characters");
        assertEquals("evil]0;ownedhost", out.meta().hostname());
        assertEquals(CollectorOutputParser.MAX_KEPT_CHARS, out.processes().get(1).command().length());
        assertEquals(2, out.processes().size());
    }

    @Test
    void aProcessWhoseStateIsNotALetterIsRejected() {
        CollectorOutput out = CollectorOutputParser.parse(complete().with("processes", "66 1 <b> 1 x").text());

        assertEquals(List.of(), out.processes());
        assertTrue(out.problems().get(0).contains("process state is not one letter: '<b>'"), out.problems().toString());
    }

    @Test
    void aRepeatedSectionIsIgnoredWithOneProblem() {
        String text = complete().with("sockets", "CLOSE-WAIT 3 0 10.0.0.1:80 10.0.0.2:5000").text()
                .replace("==linger:owners==", """
                        ==linger:sockets==
                        CLOSE-WAIT 3 0 10.0.0.1:80 10.0.0.2:5000
                        CLOSE-WAIT 3 0 10.0.0.1:80 10.0.0.2:5001
                        ==linger:owners==""");

        CollectorOutput out = CollectorOutputParser.parse(text);

        assertEquals(1, out.sockets().size());
        assertEquals(1, out.problems().size(), out.problems().toString());
        assertTrue(out.problems().get(0).contains("section 'sockets' appears again, ignored"));
    }

    @Test
    void linesBeforeAnySectionAreOneProblem() {
        CollectorOutput out = parseResourceWith("lab-namespace-ss.txt",
                text -> "Welcome to host7\nLast login: yesterday\n" + text);

        assertTrue(out.complete());
        assertEquals(24, out.sockets().size());
        assertEquals(List.of("2 line(s) before the first section ignored (line 1: 'Welcome to host7')"),
                out.problems());
    }

    @Test
    void anUnknownSectionIsOneProblemAndItsContentIsIgnored() {
        String text = complete().text().replace("==linger:end==",
                "==linger:extras==\nCLOSE-WAIT x\nwhatever\n==linger:end==");

        CollectorOutput out = CollectorOutputParser.parse(text);

        assertTrue(out.complete());
        assertEquals(1, out.problems().size(), out.problems().toString());
        assertTrue(out.problems().get(0).endsWith("unknown section 'extras' ignored"));
    }

    @Test
    void linesAfterTheEndMarkerAreReportedAndNotRead() {
        CollectorOutput out = CollectorOutputParser.parse(complete().text()
                + "CLOSE-WAIT 3 0 10.0.0.1:80 10.0.0.2:5000\n\n==linger:sockets==\n");

        assertTrue(out.complete());
        assertEquals(List.of(), out.sockets());
        assertEquals(List.of("2 line(s) after ==linger:end== ignored"), out.problems());
    }

    @Test
    void problemsAreCappedAtFiftyPlusACountOfTheRest() {
        String[] bad = new String[200];
        for (int i = 0; i < bad.length; i++) {
            bad[i] = "CLOSE-WAIT " + i + " local x";
        }
        CollectorOutput out = CollectorOutputParser.parse(complete().with("counts", bad).text());

        assertEquals(51, out.problems().size());
        assertEquals("... and 150 more", out.problems().get(50));
        assertTrue(out.problems().get(0).startsWith("counts line "));
    }

    @Test
    void atMostFiveHundredThousandSocketsAreKept() {
        String[] lines = new String[CollectorOutputParser.MAX_SOCKETS + 3];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = "CLOSE-WAIT 1 0 10.0.0.1:80 10.0.0.2:5000";
        }

        CollectorOutput out = CollectorOutputParser.parse(complete().with("sockets", lines).text());

        assertEquals(List.of("sockets: only the first 500000 entries kept, 3 more ignored"), out.problems());
        assertEquals(CollectorOutputParser.MAX_SOCKETS, out.notableCount(), "the kept ones are all counted");
        assertEquals(SocketGroups.SAMPLES_PER_GROUP, out.sockets().size(), "and only samples kept");
    }

    // ---- speed ----

    @Test
    void twentyFiveThousandRealisticSocketLinesParseWithoutAProblem() {
        StringBuilder sockets = new StringBuilder();
        StringBuilder owners = new StringBuilder();
        for (int i = 0; i < 25_000; i++) {
            int port = 32768 + i;
            // shaped like real `ss -Htanoe` lines, padded as ss pads them, about 160 characters each
            if (i % 3 == 0) {
                sockets.append("FIN-WAIT-1 0      1612801          10.20.30.40:9081          10.20.30.41:").append(port)
                        .append(" timer:(persist,1.360ms,0) ino:0 sk:").append(Integer.toHexString(i))
                        .append(" cgroup:/system.slice/app.service ---          \n");
            } else {
                sockets.append("CLOSE-WAIT 8      0                10.20.30.40:9080          10.20.30.41:").append(port)
                        .append(" ino:").append(100_000 + i).append(" sk:").append(Integer.toHexString(i))
                        .append(" cgroup:/system.slice/app.service uid:1000 -->                  \n");
                owners.append(100_000 + i).append(" 4242 4242\n");
            }
        }
        String text = complete().text()
                .replace("==linger:sockets==\n", "==linger:sockets==\n" + sockets)
                .replace("==linger:owners==\n", "==linger:owners==\n" + owners)
                .replace("==linger:processes==\n", "==linger:processes==\n4242 1 S 12 java\n");
        assertTrue(text.length() > 3_800_000, "about 4 MB: " + text.length());

        // correctness only: the parse time is measured by CollectionBenchmark (docs/benchmarks.md)
        CollectorOutput out = CollectorOutputParser.parse(text);
        assertEquals(List.of(), out.problems());
        assertEquals(25_000, out.notableCount());
        assertEquals(2, out.groups().size(), "FIN-WAIT-1 orphans on 9081, CLOSE-WAIT of pid 4242 on 9080");
        assertEquals(2 * SocketGroups.SAMPLES_PER_GROUP, out.sockets().size(), "samples of each group");
        assertEquals(new Owner(4242, 4242, "java", "S", 1), out.sockets().stream()
                .filter(s -> s.state().equals("CLOSE-WAIT")).findFirst().orElseThrow().owner());
    }

    // ---- helpers ----

    /** The collector's default: notable sockets copied raw from /proc/net/tcp and decoded by the parser. */
    @Test
    void rawProcSocketLinesAreDecodedIntoTheSameFactsSsWouldShow() {
        CollectorOutput out = parseResource("lab-namespace-proc-raw.txt");
        assertEquals(List.of(), out.problems());
        assertTrue(out.complete());
        List<NotableSocket> leak = out.sockets().stream()
                .filter(s -> s.state().equals("CLOSE-WAIT") && s.local().equals("127.0.0.1:9080")).toList();
        assertEquals(5, leak.size());
        for (NotableSocket s : leak) {
            assertEquals(8, s.recvQ());
            assertEquals(0, s.sendQ());
            assertNull(s.timer());
            assertEquals(0, s.uid());
            assertEquals(14907, s.owner().pid());
        }
        NotableSocket stuck = out.sockets().stream().filter(s -> s.state().equals("FIN-WAIT-1")).findFirst().orElseThrow();
        assertEquals("127.0.0.1:9081", stuck.local());
        assertEquals("127.0.0.1:44268", stuck.peer());
        assertEquals(0x189C01, stuck.sendQ());
        assertEquals("persist", stuck.timer());
        assertEquals(460L, stuck.timerMillis());
        assertEquals(0, stuck.inode());
        assertNull(stuck.owner());
        List<NotableSocket> held = out.sockets().stream().filter(s -> s.local().equals("127.0.0.1:9082")).toList();
        assertEquals(4, held.size());
        held.forEach(s -> {
            assertEquals(14911, s.owner().pid());
            assertEquals(14913, s.owner().tid());
            assertEquals("Z", s.owner().processState());
        });
    }

    @Test
    void brokenRawProcLinesAreReportedAndSkipped() {
        String base = "==linger:meta==\nformat 1\n==linger:sockets==\n";
        for (String line : new String[] {"/proc 08 0100007F:2378", "/proc 0C 0100007F:2378 0100007F:8448 0:0 00:0 0 0 1",
                "/proc 08 0100007G:2378 0100007F:8448 0:0 00:0 0 0 1", "/proc 08 0100007F:2378 0100007F:8448 0:0 00:0 0 -1 1",
                "/proc 08 0100007F:23780 0100007F:8448 0:0 00:0 0 0 1", "/proc zz <script> x y z w v u"}) {
            CollectorOutput out = CollectorOutputParser.parse(base + line + "\n==linger:end==\n");
            assertEquals(List.of(), out.sockets(), line);
            assertEquals(1, out.problems().stream().filter(p -> p.contains("sockets line 4")).count(), line + " " + out.problems());
        }
        CollectorOutput v6 = CollectorOutputParser.parse(base
                + "/proc 08 00000000000000000000000001000000:2378 00000000000000000000000001000000:D442 0:8 00:0 0 1000 9\n==linger:end==\n");
        assertEquals("[::1]:9080", v6.sockets().get(0).local());
        assertEquals(1000, v6.sockets().get(0).uid());
    }

    // ---- format 2: every network namespace of the host ----

    static final String CONTAINER_ID = "f5f4b577f1149061d2e677dcc80759c51ac75e0d3f9b29ebad131965d9f9fb0e";

    @Test
    void containerSampleNamesTheContainerByItsHostnameAndKeysItsSocketsByItsInode() {
        CollectorOutput out = parseResource("container-namespace-proc.txt");

        assertEquals(List.of(), out.problems());
        assertEquals(2, out.meta().format());
        assertEquals("7390eb3b-c770-4b95-b3e7-6274c1318b89", out.meta().bootId());
        assertEquals(4026531833L, out.meta().netnsInode());
        assertEquals(2, out.namespaces().size());
        NetNamespace host = out.namespaces().get(0);
        assertEquals(NetNamespace.Kind.HOST, host.kind());
        assertEquals(4026531833L, host.inode());
        assertEquals(0, host.key());
        NetNamespace container = out.namespaces().get(1);
        assertEquals(NetNamespace.Kind.CONTAINER, container.kind());
        assertEquals(4026566679L, container.key());
        assertEquals("checkout-7d9f", container.name());
        assertEquals("checkout-7d9f", container.hostname());
        assertEquals(CONTAINER_ID, container.containerId());
        assertEquals("f5f4b577f114", container.shortId());
        assertNull(container.pod());
        assertEquals(18213, container.pid());
        Map<String, String> sysctls = new LinkedHashMap<>();
        sysctls.put("net.ipv4.tcp_max_orphans", null); // global: not there inside a container's namespace
        sysctls.put("net.ipv4.tcp_keepalive_time", "7200");
        sysctls.put("net.ipv4.tcp_fin_timeout", "60");
        sysctls.put("net.core.somaxconn", "4096");
        assertEquals(sysctls, container.sysctls());

        List<NotableSocket> closeWait = socketsOn(out, "CLOSE-WAIT", "127.0.0.1:7091");
        assertEquals(12, closeWait.size());
        for (NotableSocket socket : closeWait) {
            assertEquals(4026566679L, socket.netns());
            assertEquals(8, socket.recvQ());
            assertEquals(new Owner(18215, 18215, "faults", "S", 18213), socket.owner(), "owners across namespaces");
        }
        assertTrue(out.states().contains(new StateCount(7091, false, "CLOSE-WAIT", 12, 4026566679L)));
        assertTrue(out.states().contains(new StateCount(5432, false, "LISTEN", 1, 0)), "the host's own counts key 0");
        assertEquals(0, out.states().stream().filter(c -> c.netns() == 4026531833L).count(), "no count keeps the host's inode");
    }

    @Test
    void theHostsOwnInodeOnALineBecomesKeyZero() {
        CollectorOutput out = CollectorOutputParser.parse(complete()
                .with("meta", "format 2", "netns 4026531833", "hostname h")
                .with("counts", "CLOSE-WAIT 9080 local 3 4026531833", "CLOSE-WAIT 9080 local 4 4026532001")
                .with("sockets", "/proc 08 0100007F:2378 0100007F:8448 00000000:00000008 00:00000000 00000000 0 77 4026531833")
                .with("namespaces", "4026532001\t99\t\t\t")
                .text());

        assertEquals(List.of(), out.problems());
        assertEquals(List.of(new StateCount(9080, false, "CLOSE-WAIT", 3, 0),
                new StateCount(9080, false, "CLOSE-WAIT", 4, 4026532001L)), out.states());
        assertEquals(0, single(out).netns());
        NetNamespace unnamed = out.namespaces().get(1);
        assertEquals(NetNamespace.Kind.NETNS, unnamed.kind());
        assertEquals("net:[4026532001]", unnamed.name(), "no cgroup, no ip-netns name, no hostname: shown by inode");
    }

    @Test
    void aFormatOneOutputHasNoNamespacesAndEverythingIsTheHostsOwn() {
        CollectorOutput out = parseResource("lab-namespace-proc.txt");

        assertEquals(List.of(), out.namespaces());
        assertTrue(out.states().stream().allMatch(c -> c.netns() == 0));
        assertTrue(out.sockets().stream().allMatch(s -> s.netns() == 0));
        assertNull(out.meta().bootId());
    }

    @Test
    void anIpNetnsNameAndAKubernetesCgroupAreRead() {
        CollectorOutput out = CollectorOutputParser.parse(complete()
                .with("meta", "format 2", "netns 1", "hostname node-1")
                .with("namespaces", "11\t5\tblue team\tnode-1",
                        "12\t6\tcni-1234\tcheckout-7d9f-x2l\t/kubepods.slice/kubepods-besteffort.slice/"
                                + "kubepods-besteffort-pod0f3c2a1e_5b6d_4e7f_8a9b_0c1d2e3f4a5b.slice/cri-containerd-"
                                + CONTAINER_ID + ".scope")
                .text());

        assertEquals(List.of(), out.problems());
        NetNamespace blue = out.namespaces().get(1);
        assertEquals(NetNamespace.Kind.NETNS, blue.kind());
        assertEquals("blue team", blue.name(), "the host's own hostname does not name a namespace");
        NetNamespace pod = out.namespaces().get(2);
        assertEquals(NetNamespace.Kind.POD, pod.kind());
        assertEquals("0f3c2a1e-5b6d-4e7f-8a9b-0c1d2e3f4a5b", pod.pod());
        assertEquals(CONTAINER_ID, pod.containerId());
        assertEquals("checkout-7d9f-x2l", pod.name());
    }

    @Test
    void aHostileHostnameIsKeptAsInertBoundedText() {
        String hostile = "<script>alert(1)</script> x\u001b[31m" + "y".repeat(5000);
        CollectorOutput out = CollectorOutputParser.parse(complete()
                .with("meta", "format 2", "netns 1", "hostname h")
                .with("namespaces", "7\t5\t\t" + hostile + "\t/system.slice/docker-" + CONTAINER_ID + ".scope")
                .text());

        NetNamespace ns = out.namespaces().get(1);
        assertTrue(ns.name().startsWith("<script>alert(1)</script> x[31myyy"), ns.name());
        assertFalse(ns.name().contains("\u001b"));
        assertEquals(CollectorOutputParser.MAX_KEPT_CHARS, ns.name().length());
        assertEquals(ns.name(), ns.hostname());
        assertEquals(NetNamespace.Kind.CONTAINER, ns.kind());
    }

    @Test
    void brokenNamespaceLinesAreProblemsAndChangeNothingElse() {
        CollectorOutput out = CollectorOutputParser.parse(complete()
                .with("meta", "format 2", "netns 1", "hostname h", "boot not-a-uuid")
                .with("namespaces", "x\t5", "0\t5", "7", "8\t-1\t\t", "9\t5", "9\t6", "1\t5")
                .with("netns-sysctls", "9 net.core.somaxconn = 128", "9 net.core.somaxconn = 4096", "x net.a = 1",
                        "9 net.ipv4.tcp_fin_timeout = <b>")
                .with("counts", "CLOSE-WAIT 9080 local 3 -5", "CLOSE-WAIT 9080 local 3 9 extra")
                .with("sockets", "/proc 08 0100007F:2378 0100007F:8448 00000000:00000008 00:00000000 00000000 0 77 x")
                .text());

        assertNull(out.meta().bootId());
        assertEquals(List.of(0L, 9L), out.namespaces().stream().map(NetNamespace::key).toList());
        assertEquals(5, out.namespaces().get(1).pid(), "the first line of an inode wins");
        assertEquals(Map.of(), out.namespaces().get(1).sysctls(), "a repeated or non-numeric sysctl is not kept");
        assertEquals(List.of(), out.states());
        assertEquals(List.of(), out.sockets());
        assertEquals(13, out.problems().size(), String.join("\n", out.problems()));
    }

    @Test
    void theCollectorsOwnProblemsArePassedOnBounded() {
        CollectorOutput out = CollectorOutputParser.parse(complete()
                .with("meta", "format 2", "netns 1")
                .with("problems", "hostname and sysctls of 3 namespace(s) with notable sockets not read: reading them"
                        + " needs nsenter as root")
                .text());

        assertEquals(List.of("collector: hostname and sysctls of 3 namespace(s) with notable sockets not read: "
                + "reading them needs nsenter as root"), out.problems());
    }

    @Test
    void atMostTwentyThousandNamespacesAreKept() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < CollectorOutputParser.MAX_NAMESPACES + 5; i++) {
            lines.add((100 + i) + "\t5");
        }
        CollectorOutput out = CollectorOutputParser.parse(complete().with("meta", "format 2", "netns 1")
                .with("namespaces", lines.toArray(String[]::new)).text());

        assertEquals(CollectorOutputParser.MAX_NAMESPACES + 1, out.namespaces().size());
        assertTrue(out.problems().contains("namespaces: only the first 20000 entries kept, 5 more ignored"),
                out.problems().toString());
    }

    @Test
    void socketsOfANamespaceTheSectionDidNotListAreShownByInode() {
        CollectorOutput out = CollectorOutputParser.parse(complete().with("meta", "format 2", "netns 1")
                .with("sockets", "/proc 08 0100007F:2378 0100007F:8448 00000000:00000008 00:00000000 00000000 0 77 42")
                .text());

        assertEquals(42, single(out).netns());
        assertEquals("net:[42]", out.namespaces().get(1).name());
        assertEquals(1, out.problems().size(), out.problems().toString());
    }

    // ---- format 3: groups made on the host, sockets are samples ----

    /** A format 3 output: 2,500 CLOSE-WAIT of pid 700 on 9080 (3 sampled), and a group in another namespace. */
    private static Builder formatThree() {
        return complete()
                .with("meta", "format 3", "netns 4026531833", "hostname h", "ephemeral 32768 60999")
                .with("counts", "CLOSE-WAIT 9080 local 2500", "FIN-WAIT-1 443 remote 7 4026532001")
                .with("sockets",
                        "/proc 08 0100007F:2378 0100007F:8448 00000000:00000010 00:00000000 00000000 0 501",
                        "/proc 08 0100007F:2378 0100007F:8449 00000000:00000009 00:00000000 00000000 0 502",
                        "/proc 08 0100007F:2378 0100007F:844A 00000000:00000008 00:00000000 00000000 0 503",
                        "/proc 04 0A000001:9C40 0A000002:01BB 00001000:00000000 03:00000100 00000002 0 0 4026532001")
                .with("groups",
                        "CLOSE-WAIT 9080 local 700 701 2500 20000 16 8 2500 0 0 0 none=2490,keepalive=10 0",
                        "FIN-WAIT-1 443 remote 0 0 7 0 0 0 0 28672 4096 7 persist=7 5 4026532001")
                .with("owners", "501 700 701", "502 700 701", "503 700 701")
                .with("processes", "700 1 S 12 java")
                .with("namespaces", "4026532001\t99\t\t\t");
    }

    @Test
    void formatThreeGroupsAreReadExactlyWithTheirOwnersJoinedAndNamespacesKeyed() {
        CollectorOutput out = CollectorOutputParser.parse(formatThree().text());

        assertEquals(List.of(), out.problems());
        assertEquals(3, out.meta().format());
        Owner java = new Owner(700, 701, "java", "S", 1);
        assertEquals(List.of(
                new SocketGroup(0, 9080, false, "CLOSE-WAIT", java, 2500, 20000, 16, 8, 2500, 0, 0, 0,
                        Map.of("keepalive", 10L, "none", 2490L), 0, null),
                new SocketGroup(4026532001L, 443, true, "FIN-WAIT-1", null, 7, 0, 0, 0, 0, 28672, 4096, 7,
                        Map.of("persist", 7L), 5, null)), out.groups());
        assertEquals(List.of("keepalive", "none"), List.copyOf(out.groups().get(0).timers().keySet()),
                "timers in the groups' fixed order, whatever order the host printed");
        assertEquals(2507, out.notableCount(), "the groups count every notable socket, not the 4 samples");
        assertEquals(4, out.sockets().size());
        assertTrue(out.sockets().stream().filter(s -> s.state().equals("CLOSE-WAIT"))
                .allMatch(s -> java.equals(s.owner())), "samples keep their owners");
        assertEquals(4026532001L, out.sockets().stream().filter(s -> s.state().equals("FIN-WAIT-1"))
                .findFirst().orElseThrow().netns());
    }

    /** Captured from the format 3 collector (branch i14-script): 30 CLOSE-WAIT sockets of one python3 on 19080. */
    @Test
    void aRealFormatThreeOutputGivesExactGroupsAndTwentySamplesEach() {
        CollectorOutput out = parseResource("local-format3-proc.txt");

        assertEquals(List.of(), out.problems());
        assertEquals(3, out.meta().format());
        SocketGroup leak = out.groups().get(0);
        assertEquals(new SocketGroup(0, 19080, false, "CLOSE-WAIT", new Owner(12561, 12561, "python3", "S", 12557),
                30, 495, 31, 2, 30, 0, 0, 0, Map.of("none", 30L), 0, null), leak, "Recv-Q 2 to 31, summed: 495");
        SocketGroup peers = out.groups().get(1);
        assertEquals(30, peers.count());
        assertTrue(peers.remote(), "the clients' ephemeral ports count under the server's port");
        assertEquals("FIN-WAIT-2", peers.state());
        assertEquals(60, out.notableCount());
        List<NotableSocket> samples = socketsOn(out, "CLOSE-WAIT", "127.0.0.1:19080");
        assertEquals(SocketGroups.SAMPLES_PER_GROUP, samples.size());
        assertEquals(31, samples.get(0).recvQ(), "the most unread bytes first");
        assertEquals(12, samples.get(19).recvQ());
        assertTrue(samples.stream().allMatch(s -> leak.owner().equals(s.owner())));
    }

    @Test
    void formatThreeWithoutItsGroupsSectionSaysSo() {
        Builder builder = formatThree();
        builder.sections.get("groups").clear();
        CollectorOutput out = CollectorOutputParser.parse(builder.text());

        assertTrue(out.problems().stream().anyMatch(p -> p.startsWith("section 'groups' is missing")),
                out.problems().toString());
        assertEquals(4, out.notableCount(), "only what the samples show");
    }

    @Test
    void formatsOneAndTwoStillGiveExactGroupsButKeepOnlySamples() {
        List<String> sockets = new ArrayList<>();
        List<String> owners = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            // Recv-Q i: the 20 kept must be the ones with the most unread bytes
            sockets.add("/proc 08 0100007F:2378 0100007F:" + Integer.toHexString(0x8000 + i).toUpperCase() + " 00000000:"
                    + String.format("%08X", i) + " 00:00000000 00000000 0 " + (1000 + i));
            owners.add((1000 + i) + " 42 42");
        }
        for (String format : List.of("format 1", "format 2")) {
            CollectorOutput out = CollectorOutputParser.parse(complete().with("meta", format, "hostname h")
                    .with("counts", "CLOSE-WAIT 9080 local 100")
                    .with("sockets", sockets.toArray(String[]::new))
                    .with("owners", owners.toArray(String[]::new))
                    .with("processes", "42 1 S 1 app")
                    .text());

            assertEquals(List.of(), out.problems(), format);
            SocketGroup group = out.groups().get(0);
            assertEquals(1, out.groups().size(), format);
            assertEquals(100, group.count(), format);
            assertEquals(99 * 100 / 2, group.recvQ(), format);
            assertEquals(99, group.recvQMax(), format);
            assertEquals(1, group.recvQMin(), format);
            assertEquals(99, group.withRecvQ(), format);
            assertEquals(new Owner(42, 42, "app", "S", 1), group.owner(), format);
            assertEquals(SocketGroups.SAMPLES_PER_GROUP, out.sockets().size(), format);
            assertEquals(99, out.sockets().get(0).recvQ(), format + ": most unread bytes first");
            assertEquals(80, out.sockets().get(19).recvQ(), format);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "CLOSE-WAIT 9080 local 700 701 -5 0 0 0 0 0 0 0 none=1 0|count is negative",
        "CLOSE-WAIT 9080 local 700 701 1000000001 0 0 0 0 0 0 0 none=1 0|count is too large",
        "CLOSE-WAIT 9080 local 700 701 99999999999999999999999 0 0 0 0 0 0 0 none=1 0|count is too large",
        "CLOSE-WAIT 9080 local 700 701 5 1099511627777 8 8 5 0 0 0 none=5 0|recv-q is too large",
        "CLOSE-WAIT 9080 local 700 701 5 40 -8 8 5 0 0 0 none=5 0|recv-q max is negative",
        "CLOSE-WAIT 9080 local 700 701 5 40 8 8 5 0 0 0 none=-5 0|timer none is negative",
        "CLOSE-WAIT 9080 local 700 701 5 40 8 8 5 0 0 0 none=5,bogus=1 0|timers are not",
        "CLOSE-WAIT 9080 local 700 701 5 40 8 8 6 0 0 0 none=5 0|do not add up",
        "CLOSE-WAIT 9080 local 700 701 0 0 0 0 0 0 0 0 - 0|do not add up",
        "CLOSE-WAIT 9080 local 700 0 5 40 8 8 5 0 0 0 none=5 0|pid and tid",
        "CLOSE-WAIT 9080 local 700 701 5 40 8 8 5 0 0 0 none=5 4000000000|retransmits max is too large",
        "CLOSE-WAIT 9080 local 700 701 5 40 8 8 5 0 0 0|the timers are missing",
        "CLOSE-WAIT 70000 local 700 701 5 40 8 8 5 0 0 0 none=5 0|port is out of range",
        "CLOSE-WAIT 9080 local 700 701 5 40 8 8 5 0 0 0 none=5 0 0|namespace inode must be greater than 0",
        "CLOSE-WAIT 9080 local 700 701 5 40 8 8 5 0 0 0 none=5 0 12 junk|unexpected text",
        "NOT-A-STATE 9080 local 700 701 5 40 8 8 5 0 0 0 none=5 0|unknown state",
    })
    void aGroupLineWithABadNumberIsAProblemAndDropped(String line, String problem) {
        CollectorOutput out = CollectorOutputParser.parse(complete().with("meta", "format 3", "hostname h")
                .with("groups", line, "CLOSE-WAIT 9081 local 0 0 3 0 0 0 0 0 0 0 none=3 0").text());

        assertEquals(1, out.problems().size(), out.problems().toString());
        assertTrue(out.problems().get(0).startsWith("groups line "), out.problems().get(0));
        assertTrue(out.problems().get(0).contains(problem), out.problems().get(0));
        assertEquals(1, out.groups().size(), "the bad line is dropped, the good one kept");
        assertEquals(3, out.notableCount());
    }

    @Test
    void aGroupPrintedTwiceCountsOnce() {
        CollectorOutput out = CollectorOutputParser.parse(complete().with("meta", "format 3", "hostname h")
                .with("groups", "CLOSE-WAIT 9081 local 0 0 3 0 0 0 0 0 0 0 none=3 0",
                        "CLOSE-WAIT 9081 local 0 0 3 0 0 0 0 0 0 0 none=3 0").text());

        assertEquals(3, out.notableCount());
        assertEquals(1, out.problems().size(), out.problems().toString());
        assertTrue(out.problems().get(0).contains("appears again"), out.problems().get(0));
    }

    @Test
    void ownerLinesForInodesNoSocketReportedAreCountedInOneProblemAndDropped() {
        Builder builder = formatThree();
        builder.sections.get("owners").addAll(List.of("9001 66 66", "9002 66 66", "9003 67 67"));
        CollectorOutput out = CollectorOutputParser.parse(builder.text());

        assertEquals(List.of("owners: 3 line(s) name an inode that no socket line reported, ignored"), out.problems());
        assertEquals(3, out.sockets().stream().filter(s -> s.owner() != null).count());
    }

    @Test
    void aMillionGroupLinesKeepTenThousandInBoundedTimeAndMemory() {
        CollectorOutputParser.Streaming parser = CollectorOutputParser.streaming();
        Builder head = complete().with("meta", "format 3", "hostname h");
        String text = head.text();
        int groupsAt = text.indexOf("==linger:owners==");
        for (String line : text.substring(0, groupsAt).split("\n")) {
            parser.acceptLine(line);
        }
        parser.acceptLine("==linger:groups==");
        Runtime runtime = Runtime.getRuntime();
        long start = System.nanoTime();
        for (int i = 0; i < 1_000_000; i++) {
            // every line a distinct group: ports, states, owners and namespaces vary
            parser.acceptLine("CLOSE-WAIT " + (1 + i % 65535) + " local " + (1 + i / 65535) + " " + (1 + i / 65535)
                    + " 7 56 8 8 7 0 0 0 none=7 0");
        }
        for (String line : text.substring(groupsAt).split("\n")) {
            parser.acceptLine(line);
        }
        CollectorOutput out = parser.finish();
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertEquals(CollectorOutputParser.MAX_GROUPS, out.groups().size());
        assertEquals(List.of("groups: only the first 10000 kept, 990000 more ignored"), out.problems());
        assertEquals(70_000, out.notableCount());
        assertTrue(millis < 10_000, "a million group lines took " + millis + " ms");
        assertTrue(runtime.totalMemory() - runtime.freeMemory() < runtime.maxMemory(), "still alive");
    }

    @Test
    void tooManyGroupLinesInAStringAreAlsoCappedAndCountedAsOneProblem() {
        String[] lines = new String[CollectorOutputParser.MAX_GROUPS + 5];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = "CLOSE-WAIT " + (1 + i) + " local 0 0 1 0 0 0 0 0 0 0 none=1 0";
        }
        CollectorOutput out = CollectorOutputParser.parse(complete().with("meta", "format 3", "hostname h")
                .with("groups", lines).text());

        assertEquals(CollectorOutputParser.MAX_GROUPS, out.groups().size());
        assertEquals(List.of("groups: only the first 10000 kept, 5 more ignored"), out.problems());
    }

    // ---- caps on the whole output: lines and bytes ----

    private static final String LINE_CAP_PROBLEM = "the output is longer than " + CollectorOutputParser.MAX_LINES
            + " lines; the rest was not read";

    @Test
    void linesPastTheCapAreNotReadAndAnOutputCutThereIsIncomplete() {
        String text = formatThree().text();
        int end = text.indexOf("==linger:end==");
        String padded = text.substring(0, end) + "\n".repeat(1000) + text.substring(end);
        assertTrue(CollectorOutputParser.parse(padded).complete(), "blank lines below the cap are harmless");

        String flood = text.substring(0, end) + "\n".repeat(CollectorOutputParser.MAX_LINES) + text.substring(end);
        CollectorOutput out = CollectorOutputParser.parse(flood);

        assertFalse(out.complete(), "the end marker lies past the cap: the output never ended");
        assertTrue(out.problems().contains(LINE_CAP_PROBLEM), out.problems().toString());
        assertEquals("h", out.meta().hostname(), "what came before the cap is still read");
    }

    @Test
    void linesPastTheCapAfterTheEndMarkerLeaveTheOutputComplete() {
        String text = formatThree().text() + "after\n".repeat(CollectorOutputParser.MAX_LINES);
        CollectorOutput out = CollectorOutputParser.parse(text);

        assertTrue(out.complete());
        assertTrue(out.problems().contains(LINE_CAP_PROBLEM), out.problems().toString());
        int outputLines = formatThree().text().split("\n").length;
        assertTrue(out.problems().contains((CollectorOutputParser.MAX_LINES - outputLines)
                + " line(s) after ==linger:end== ignored"), out.problems().toString());
    }

    @Test
    void aStreamPastTheByteCapIsCountedButNotReadAndIsIncomplete() {
        byte[] head = "==linger:meta==\nformat 3\nhostname h\n".getBytes(StandardCharsets.UTF_8);
        byte[] junk = new byte[1 << 20];
        java.util.Arrays.fill(junk, (byte) 'x');
        byte[] rest = formatThree().text().getBytes(StandardCharsets.UTF_8);
        CollectorOutputParser.Streaming streaming = CollectorOutputParser.streaming();
        streaming.write(head, 0, head.length);
        long written = head.length;
        while (written <= CollectorOutputParser.MAX_OUTPUT_BYTES) {
            streaming.write(junk, 0, junk.length);
            written += junk.length;
        }
        streaming.write(rest, 0, rest.length); // a whole output, end marker included, after the cap: not read
        written += rest.length;

        assertEquals(written, streaming.received(), "every byte is counted");
        CollectorOutput out = streaming.finish();
        assertFalse(out.complete());
        assertTrue(out.problems().contains("the output is longer than 1073741824 bytes; the rest was not read"),
                out.problems().toString());
        assertTrue(out.problems().contains("output is incomplete (truncated?)"), out.problems().toString());
        assertEquals("h", out.meta().hostname(), "the lines before the cap are read");
    }

    @Test
    void linesHandedOverPastTheByteCapAreNotRead() {
        String big = "x".repeat(1 << 20);
        CollectorOutputParser.Streaming streaming = CollectorOutputParser.streaming();
        streaming.acceptLine("==linger:meta==");
        streaming.acceptLine("hostname h");
        for (long sent = 0; sent <= CollectorOutputParser.MAX_OUTPUT_BYTES; sent += big.length() + 1) {
            streaming.acceptLine(big);
        }
        formatThree().text().lines().forEach(streaming::acceptLine);

        CollectorOutput out = streaming.finish();
        assertFalse(out.complete());
        assertTrue(out.problems().contains("the output is longer than 1073741824 bytes; the rest was not read"),
                out.problems().toString());
    }

    // ---- streaming: parse while the output arrives ----

    @Test
    void streamedInOddChunksTheOutputParsesAsTheWholeString() throws IOException {
        Builder builder = formatThree();
        // multi-byte characters a chunk can split: a 3-byte CJK one, a 4-byte emoji (a surrogate pair in Java)
        builder.sections.get("processes").add("701 700 S 1 服务器-\uD83D\uDE80 worker");
        builder.sections.get("problems").add("namespace net:[9] 读不到 \uD83D\uDE00");
        builder.sections.get("sockets").add("garbage line that is a problem é");
        String text = builder.text().replace("\n", "\r\n").replace("==linger:end==\r\n", "==linger:end==\r\nafter\n");
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        CollectorOutput whole = CollectorOutputParser.parse(text);
        assertTrue(whole.problems().size() >= 3, whole.problems().toString());

        for (int chunk : new int[] {1, 2, 3, 5, 7, 64, 4093, bytes.length}) {
            CollectorOutputParser.Streaming streaming = CollectorOutputParser.streaming();
            for (int at = 0; at < bytes.length; at += chunk) {
                streaming.write(bytes, at, Math.min(chunk, bytes.length - at));
            }
            assertEquals(whole, streaming.finish(), "chunks of " + chunk + " bytes");
        }
        Random random = new Random(14);
        for (int round = 0; round < 20; round++) {
            CollectorOutputParser.Streaming streaming = CollectorOutputParser.streaming();
            for (int at = 0; at < bytes.length; ) {
                int n = Math.min(1 + random.nextInt(40), bytes.length - at);
                streaming.write(bytes, at, n);
                at += n;
            }
            assertEquals(whole, streaming.finish(), "random chunks, round " + round);
        }
    }

    @Test
    void streamedRealOutputsMatchTheirStringParse() throws IOException {
        for (String name : List.of("lab-namespace-ss.txt", "lab-namespace-proc-raw.txt", "container-namespace-proc.txt",
                "initial-namespace-ss.txt", "local-format3-proc.txt")) {
            byte[] bytes;
            try (InputStream in = CollectorOutputParserTest.class.getResourceAsStream("/collect/" + name)) {
                bytes = in.readAllBytes();
            }
            CollectorOutputParser.Streaming streaming = CollectorOutputParser.streaming();
            for (int at = 0; at < bytes.length; at += 13) {
                streaming.write(bytes, at, Math.min(13, bytes.length - at));
            }
            assertEquals(CollectorOutputParser.parse(new String(bytes, StandardCharsets.UTF_8)), streaming.finish(), name);
        }
    }

    @Test
    void aStreamedLineLongerThanTheLimitIsCutCountedAndNeverKept() {
        String head = complete().with("meta", "format 2", "hostname h").text();
        int at = head.indexOf("==linger:owners==");
        CollectorOutputParser.Streaming streaming = CollectorOutputParser.streaming();
        byte[] first = head.substring(0, at).getBytes(StandardCharsets.UTF_8);
        streaming.write(first, 0, first.length);
        byte[] block = "x".repeat(64 * 1024).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 1600; i++) { // one line of 100 MB, never a newline
            streaming.write(block, 0, block.length);
        }
        byte[] rest = ("\n" + head.substring(at)).getBytes(StandardCharsets.UTF_8);
        streaming.write(rest, 0, rest.length);
        CollectorOutput out = streaming.finish();

        assertTrue(out.complete());
        assertEquals(1, out.problems().size(), out.problems().toString());
        assertTrue(out.problems().get(0).contains("line is longer than " + CollectorOutputParser.MAX_LINE_CHARS),
                out.problems().get(0));
        assertEquals(first.length + 1600L * block.length + rest.length, streaming.received());
    }

    @Test
    void aLineJustWithinTheLimitInMultiByteCharactersIsReadTheSameStreamedOrWhole() {
        // 8,192 characters of 3 bytes each: within the limit in characters although 24 KB in bytes
        String command = "服".repeat(CollectorOutputParser.MAX_LINE_CHARS - "700 1 S 1 ".length());
        String text = complete().with("meta", "format 2", "hostname h").with("processes", "700 1 S 1 " + command)
                .text();
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        CollectorOutputParser.Streaming streaming = CollectorOutputParser.streaming();
        for (int at = 0; at < bytes.length; at += 1000) {
            streaming.write(bytes, at, Math.min(1000, bytes.length - at));
        }
        CollectorOutput streamed = streaming.finish();

        assertEquals(CollectorOutputParser.parse(text), streamed);
        assertEquals(List.of(), streamed.problems());
        assertEquals(1, streamed.processes().size());
    }

    @Test
    void aStreamThatEndsMidwayIsIncompleteLikeACutString() {
        String text = formatThree().text();
        String cut = text.substring(0, text.indexOf("==linger:owners==") + 5);
        byte[] bytes = cut.getBytes(StandardCharsets.UTF_8);
        CollectorOutputParser.Streaming streaming = CollectorOutputParser.streaming();
        streaming.write(bytes, 0, bytes.length);
        CollectorOutput out = streaming.finish();

        assertFalse(out.complete());
        assertEquals(CollectorOutputParser.parse(cut), out);
        assertTrue(out.problems().contains("output is incomplete (truncated?)"), out.problems().toString());
        assertEquals(out, streaming.finish(), "finish twice gives the same");
    }

    @Test
    void anEmptyStreamIsAnEmptyOutput() {
        CollectorOutput out = CollectorOutputParser.streaming().finish();
        assertEquals(List.of("the output is empty"), out.problems());
        assertEquals(CollectorOutputParser.parse(""), out);
    }

    private static CollectorOutput parseResource(String name) {
        return parseResourceWith(name, text -> text);
    }

    private static CollectorOutput parseResourceWith(String name, java.util.function.UnaryOperator<String> change) {
        try (InputStream in = CollectorOutputParserTest.class.getResourceAsStream("/collect/" + name)) {
            assertNotNull(in, "test resource /collect/" + name);
            return CollectorOutputParser.parse(change.apply(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static List<NotableSocket> socketsOn(CollectorOutput out, String state, String local) {
        return out.sockets().stream().filter(s -> s.state().equals(state) && s.local().equals(local)).toList();
    }

    private static NotableSocket single(CollectorOutput out) {
        assertEquals(1, out.sockets().size(), "sockets: " + out.sockets() + ", problems: " + out.problems());
        return out.sockets().get(0);
    }

    /** What both sources report alike; only the precision of timer times differs between ss and /proc. */
    private static List<String> comparable(List<NotableSocket> sockets) {
        return sockets.stream().map(s -> String.join(" ", s.state(), s.local(), s.peer(), "" + s.recvQ(),
                "" + s.sendQ(), "" + s.timer(), "" + s.uid(), "" + s.inode(), "" + s.owner())).toList();
    }

    /** /proc/net/tcp6 prints an address as four 32-bit words in little-endian byte order. */
    private static String procForm(String networkOrderHex) {
        StringBuilder proc = new StringBuilder();
        for (int word = 0; word < 4; word++) {
            for (int b = 3; b >= 0; b--) {
                int at = word * 8 + b * 2;
                proc.append(networkOrderHex, at, at + 2);
            }
        }
        return proc.toString().toUpperCase();
    }

    /** The 1-based line number of a line in the output, as problems count them. */
    private static int lineNumberOf(String text, String line) {
        int index = List.of(text.split("\n")).indexOf(line);
        assertTrue(index >= 0, line);
        return index + 1;
    }

    private static Builder complete() {
        return new Builder();
    }

    /** A well-formed output in the script's section order, with chosen lines in chosen sections. */
    private static final class Builder {
        final Map<String, List<String>> sections = new LinkedHashMap<>();

        Builder() {
            for (String name : List.of("meta", "sysctls", "sockstat", "counts", "sockets", "groups", "owners",
                    "processes", "namespaces", "netns-sysctls", "problems")) {
                sections.put(name, new ArrayList<>());
            }
            sections.get("meta").add("format 1");
        }

        Builder with(String section, String... lines) {
            List<String> content = sections.get(section);
            if (section.equals("meta")) {
                content.clear();
            }
            content.addAll(List.of(lines));
            return this;
        }

        String text() {
            StringBuilder text = new StringBuilder();
            sections.forEach((name, lines) -> {
                if (lines.isEmpty() && List.of("namespaces", "netns-sysctls", "problems", "groups").contains(name)) {
                    return; // format 2 and 3 sections: absent unless a test fills them
                }
                text.append("==linger:").append(name).append("==\n");
                lines.forEach(line -> text.append(line).append('\n'));
            });
            return text.append("==linger:end==\n").toString();
        }
    }
}
