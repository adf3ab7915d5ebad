package dev.linger.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.linger.lab.Container;
import dev.linger.lab.Fault;
import dev.linger.lab.LabHost;
import dev.linger.lab.LingerTestKey;
import dev.linger.transport.Shell;

/**
 * The collector script itself (format 3) on a real kernel, its raw output read here without Linger's parser: the
 * groups it prints must count exactly what {@code ss} counts in the same namespace, with the queue sums of every
 * socket, the faults' own pids as owners, and at most 20 sample sockets per group. Once with perl, once with perl
 * hidden (the POSIX awk fallback), which must group the same way.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CollectorGroupsLabTest {

    private static final String SCRIPT = "LINGER_SYSCTLS=" + Shell.quote(String.join(" ", CollectorScript.WATCHED))
            + "\nexport LINGER_SYSCTLS\n" + CollectorScript.body();

    private LabHost lab;
    private Container container;
    private Fault readerA;
    private Fault readerB;
    private Fault orphans;
    private Fault inContainer;

    @BeforeAll
    void faults() {
        lab = LingerTestKey.labHost("grp");
        // two processes that stopped reading, on two ports; more sockets than the samples kept per group
        readerA = lab.closeWait(9080, 25);
        readerB = lab.closeWait(9081, 30);
        orphans = lab.finWait1(9082, 3);
        lab.established(9083, 6);
        container = lab.container("grp-" + Long.toHexString(System.nanoTime() & 0xffffff), Container.Shape.docker());
        inContainer = container.closeWait(9090, 22);
    }

    @AfterAll
    void stop() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void groupsCountWhatTheKernelHoldsWithTheFaultsAsOwners() {
        Output out = Output.of(lab.exec("sh", "-c", SCRIPT));
        assertTrue(out.section("meta").contains("format 3"), "meta: " + out.section("meta"));

        Group a = out.single("CLOSE-WAIT", 9080, "");
        assertEquals(readerA.pid(), a.pid, "the owner of :9080 is the process that stopped reading");
        assertEquals(readerA.pid(), a.tid);
        assertQueuesAsSs(lab.exec("ss", "-Htn", "state", "close-wait", "( sport = :9080 )"), a);
        assertEquals(25, a.count);

        Group b = out.single("CLOSE-WAIT", 9081, "");
        assertEquals(readerB.pid(), b.pid);
        assertQueuesAsSs(lab.exec("ss", "-Htn", "state", "close-wait", "( sport = :9081 )"), b);
        assertEquals(30, b.count);

        Group fin = out.single("FIN-WAIT-1", 9082, "");
        assertEquals(0, fin.pid, "orphans have no owner");
        assertQueuesAsSs(lab.exec("ss", "-Htn", "state", "fin-wait-1", "( sport = :9082 )"), fin);
        assertTrue(fin.sendQ > 0 && fin.withSendQ == fin.count, "every orphan has bytes the peer will not take");

        Group c = out.single("CLOSE-WAIT", 9090, Long.toString(container.netnsInode()));
        assertEquals(inContainer.pid(), c.pid, "the container's fault, seen from the host's PID namespace");
        assertQueuesAsSs(container.exec("ss", "-Htn", "state", "close-wait", "( sport = :9090 )"), c);
        assertEquals(22, c.count);

        // idle established connections are counted but not notable: no group, no samples
        assertTrue(out.groups.stream().noneMatch(g -> g.port == 9083), "idle connections are no group: " + out.groups);
        assertTrue(out.section("counts").contains("ESTAB 9083 local 6"), "the servers' side: " + out.section("counts"));
        assertTrue(out.section("counts").contains("ESTAB 9083 remote 6"), "the clients' side: " + out.section("counts"));

        // every group's count is the kernel's count of that state in that namespace
        for (String state : List.of("CLOSE-WAIT", "FIN-WAIT-1")) {
            assertEquals(ssCount(lab.exec("ss", "-Htan", "state", state.toLowerCase())), out.total(state, ""), state);
        }
        assertEquals(ssCount(container.exec("ss", "-Htan", "state", "close-wait")),
                out.total("CLOSE-WAIT", Long.toString(container.netnsInode())));

        assertSamplesBelongToGroups(out);
        Set<String> processes = out.section("processes").stream().map(l -> l.split(" ")[0]).collect(Collectors.toSet());
        for (Group g : out.groups) {
            assertTrue(g.pid == 0 || processes.contains(Long.toString(g.pid)), "owner " + g.pid + " is described");
        }
    }

    @Test
    void withoutPerlTheAwkFallbackGroupsTheSame() {
        Output withPerl = Output.of(lab.exec("sh", "-c", SCRIPT));
        // a private mount namespace where perl is not executable: nothing changes outside this one command
        Output without = Output.of(lab.exec("unshare", "-m", "sh", "-c",
                "mount --bind /dev/null \"$(command -v perl)\" && ! command -v perl >/dev/null && exec sh -c \"$1\"",
                "hide-perl", SCRIPT));
        assertTrue(without.section("meta").contains("format 3"));
        assertEquals(stable(withPerl), stable(without), "groups with and without perl");
        assertSamplesBelongToGroups(without);
        assertEquals(readerA.pid(), without.single("CLOSE-WAIT", 9080, "").pid);
        assertEquals(inContainer.pid(), without.single("CLOSE-WAIT", 9090, Long.toString(container.netnsInode())).pid);
    }

    /**
     * Group lines without timers and retransmissions, which the kernel's probes may change between two runs, and
     * without the clients' orphaned FIN-WAIT-2 halves, which end after tcp_fin_timeout. Only this test's ports: the
     * machine's other connections (a test's database pool, say) come and go between the two runs.
     */
    private static Set<String> stable(Output out) {
        Set<Integer> ours = Set.of(9080, 9081, 9082, 9083, 9090);
        return out.groups.stream().filter(g -> !g.state.equals("FIN-WAIT-2")).filter(g -> ours.contains(g.port)).map(g -> String.join(" ", g.fields.subList(0, 13)) + " " + g.netns)
                .collect(Collectors.toSet());
    }

    private static void assertQueuesAsSs(String ss, Group g) {
        List<long[]> sockets = ss.lines().filter(l -> !l.isBlank()).map(l -> l.trim().split("\\s+"))
                .map(f -> new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])}).toList();
        assertEquals(sockets.size(), g.count, "count as ss counts: " + g.line);
        assertEquals(sockets.stream().mapToLong(s -> s[0]).sum(), g.recvQ, "Recv-Q sum: " + g.line);
        assertEquals(sockets.stream().filter(s -> s[0] > 0).count(), g.withRecvQ, "with Recv-Q: " + g.line);
        assertEquals(sockets.stream().mapToLong(s -> s[0]).max().orElse(0), g.recvQMax, g.line);
        assertEquals(sockets.stream().mapToLong(s -> s[0]).filter(q -> q > 0).min().orElse(0), g.recvQMin, g.line);
        assertEquals(sockets.stream().mapToLong(s -> s[1]).sum(), g.sendQ, "Send-Q sum: " + g.line);
        assertEquals(sockets.stream().filter(s -> s[1] > 0).count(), g.withSendQ, g.line);
        assertEquals(sockets.stream().mapToLong(s -> s[1]).max().orElse(0), g.sendQMax, g.line);
        assertEquals(g.count, g.timers.values().stream().mapToLong(Long::longValue).sum(), "timers: " + g.line);
    }

    /** Every sample line is a socket of some group, owned as the group says; at most 20 per group, 20 when it has more. */
    private static void assertSamplesBelongToGroups(Output out) {
        Map<String, String> ownerOf = new HashMap<>();
        for (String l : out.section("owners")) {
            String[] f = l.split(" ");
            assertEquals(3, f.length, l);
            assertTrue(ownerOf.putIfAbsent(f[0], f[1] + " " + f[2]) == null, "one owner line per inode: " + l);
        }
        Map<Group, Integer> samples = new LinkedHashMap<>();
        Set<String> sampledInodes = new HashSet<>();
        for (String l : out.section("sockets")) {
            String[] f = l.split(" ");
            assertEquals("/proc", f[0], l);
            String state = Output.STATES[Integer.parseInt(f[1], 16) - 1];
            int local = Integer.parseInt(f[2].substring(f[2].indexOf(':') + 1), 16);
            int peer = Integer.parseInt(f[3].substring(f[3].indexOf(':') + 1), 16);
            String netns = f.length > 9 ? f[9] : "";
            String owner = ownerOf.getOrDefault(f[8], "0 0");
            sampledInodes.add(f[8]);
            Group g = out.find(state, local, "local", owner, netns);
            if (g == null) {
                g = out.find(state, peer, "remote", owner, netns);
            }
            assertNotNull(g, "the sample belongs to a group: " + l);
            samples.merge(g, 1, Integer::sum);
        }
        for (Group g : out.groups) {
            assertEquals(Math.min(20, g.count), (long) samples.getOrDefault(g, 0), "samples of " + g.line);
        }
        assertTrue(sampledInodes.containsAll(ownerOf.keySet()), "owners only for sampled inodes");
    }

    private static long ssCount(String ss) {
        return ss.lines().filter(l -> !l.isBlank()).count();
    }

    /** A group line: STATE PORT DIR PID TID COUNT RECVQ RECVQMAX RECVQMIN WITHRECVQ SENDQ SENDQMAX WITHSENDQ TIMERS RETRMAX [NETNS]. */
    private static final class Group {
        final String line;
        final List<String> fields;
        final String state;
        final int port;
        final String dir;
        final long pid;
        final long tid;
        final long count;
        final long recvQ;
        final long recvQMax;
        final long recvQMin;
        final long withRecvQ;
        final long sendQ;
        final long sendQMax;
        final long withSendQ;
        final Map<String, Long> timers = new LinkedHashMap<>();
        final String netns;

        Group(String line) {
            this.line = line;
            this.fields = List.of(line.split(" "));
            assertTrue(fields.size() == 15 || fields.size() == 16, "a group line has 15 or 16 fields: " + line);
            state = fields.get(0);
            port = Integer.parseInt(fields.get(1));
            dir = fields.get(2);
            assertTrue(dir.equals("local") || dir.equals("remote"), line);
            pid = Long.parseLong(fields.get(3));
            tid = Long.parseLong(fields.get(4));
            count = Long.parseLong(fields.get(5));
            recvQ = Long.parseLong(fields.get(6));
            recvQMax = Long.parseLong(fields.get(7));
            recvQMin = Long.parseLong(fields.get(8));
            withRecvQ = Long.parseLong(fields.get(9));
            sendQ = Long.parseLong(fields.get(10));
            sendQMax = Long.parseLong(fields.get(11));
            withSendQ = Long.parseLong(fields.get(12));
            for (String t : fields.get(13).split(",")) {
                String[] kv = t.split("=");
                assertTrue(Set.of("on", "keepalive", "timewait", "persist", "none").contains(kv[0]), line);
                timers.put(kv[0], Long.parseLong(kv[1]));
            }
            Long.parseLong(fields.get(14));
            netns = fields.size() == 16 ? fields.get(15) : "";
        }

        String owner() {
            return pid + " " + tid;
        }
    }

    private record Output(Map<String, List<String>> sections, List<Group> groups) {

        static final String[] STATES = {"ESTAB", "SYN-SENT", "SYN-RECV", "FIN-WAIT-1", "FIN-WAIT-2", "TIME-WAIT",
            "UNCONN", "CLOSE-WAIT", "LAST-ACK", "LISTEN", "CLOSING"};

        static Output of(String text) {
            Map<String, List<String>> sections = new LinkedHashMap<>();
            List<String> current = null;
            for (String l : text.split("\n")) {
                if (l.startsWith("==linger:") && l.endsWith("==")) {
                    current = new ArrayList<>();
                    sections.put(l.substring(9, l.length() - 2), current);
                } else if (current != null && !l.isEmpty()) {
                    current.add(l);
                }
            }
            assertTrue(sections.containsKey("end"), "the output is complete");
            assertTrue(sections.containsKey("groups"), "a groups section: " + sections.keySet());
            return new Output(sections, sections.get("groups").stream().map(Group::new).toList());
        }

        List<String> section(String name) {
            List<String> lines = sections.get(name);
            assertNotNull(lines, "section " + name);
            return lines;
        }

        Group single(String state, int port, String netns) {
            List<Group> found = groups.stream().filter(g -> g.state.equals(state) && g.port == port
                    && g.netns.equals(netns)).toList();
            assertEquals(1, found.size(), state + " :" + port + " netns '" + netns + "' in " + sections.get("groups"));
            assertFalse(found.get(0).dir.equals("remote"), "a listening port counts as local");
            return found.get(0);
        }

        Group find(String state, int port, String dir, String owner, String netns) {
            return groups.stream().filter(g -> g.state.equals(state) && g.port == port && g.dir.equals(dir)
                    && g.owner().equals(owner) && g.netns.equals(netns)).findFirst().orElse(null);
        }

        long total(String state, String netns) {
            return groups.stream().filter(g -> g.state.equals(state) && g.netns.equals(netns))
                    .mapToLong(g -> g.count).sum();
        }
    }
}
