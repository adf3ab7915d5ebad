package dev.linger.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.linger.i18n.Text;
import dev.linger.collect.CollectorOutput;
import dev.linger.collect.NetNamespace;
import dev.linger.collect.SnapshotView;
import dev.linger.lab.Container;
import dev.linger.runbook.Bindings;
import dev.linger.runbook.Risk;
import dev.linger.runbook.RunbookDefinition;
import dev.linger.runbook.RunbookStep;
import dev.linger.runbook.Step;
import dev.linger.transport.CommandResult;
import dev.linger.transport.HostTarget;
import dev.linger.transport.Shell;

/**
 * Commands of a job inside a network namespace: the wrapper's shape, and against real namespaces of this machine
 * (lab containers: a process in its own network namespace, in a Docker-shaped cgroup) what it runs where, and how
 * a namespace that is gone, replaced or from another boot stops a job before its first change.
 */
class JobNamespaceTest {

    private static final String TIME = "net.ipv4.tcp_keepalive_time";
    private static final HostTarget LOCAL = new HostTarget(1, "local", "LOCAL", null, 22, null, false, null);
    private static final NamespaceTransport SH = NamespaceTransport.machine();
    static String boot() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The container's namespace as a plan pins it: probed once, like JobService does when it proposes. */
    static JobNamespace of(Container c) {
        JobNamespace ns = new JobNamespace(c.netnsInode(), boot(), NetNamespace.Kind.CONTAINER, c.hostname(),
                c.containerId(), null);
        JobNamespace.Probe p = probe(ns);
        assertEquals(JobNamespace.State.OK, p.state());
        return ns.since(p.ticks());
    }

    private static CommandResult sh(String script) {
        try {
            return SH.run(LOCAL, script, Duration.ofSeconds(20));
        } catch (dev.linger.transport.TransportFailure e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- the wrapper's shape (no namespace needed)

    @Test
    void theScriptIsQuotedWholeAndTheNamespaceIsNamedOnlyByNumbersAndCheckedIds() {
        String id = Container.Shape.randomId();
        String hostile = "x'; rm -rf / #$(reboot)`id`";
        JobNamespace ns = new JobNamespace(4026532999L, "0b9c1f5e-1d2a-4a43-9a55-64c1c5a1b2c3",
                NetNamespace.Kind.CONTAINER, hostile, id, null);
        String script = "sysctl -w 'net.ipv4.tcp_keepalive_time=300' && echo \"it's $HOME\"";
        String wrapped = ns.wrap(script);

        assertTrue(wrapped.endsWith("exec nsenter --net=\"/proc/$pid/ns/net\" sh -c " + Shell.quote(script)),
                wrapped);
        assertTrue(wrapped.contains("-lname 'net:\\[4026532999\\]'"), "brackets escaped for find's pattern");
        assertTrue(wrapped.contains("[ \"$b\" != '0b9c1f5e-1d2a-4a43-9a55-64c1c5a1b2c3' ]"), wrapped);
        assertTrue(wrapped.contains("grep -qF -e '" + id + "' /proc/$p/cgroup"), wrapped);
        assertFalse(wrapped.contains("rm -rf") || wrapped.contains("$(reboot)"), "the name never reaches the shell");
        // the wrapped script is one sh word: sh reads the script back byte for byte
        assertEquals(script + "\n", sh("printf '%s\\n' " + Shell.quote(script)).stdout());
    }

    @Test
    void idsOfAnotherShapeAndBadBootIdsAreNotTaken() {
        JobNamespace ns = new JobNamespace(7, "0b9c1f5e-1d2a-4a43-9a55-64c1c5a1b2c3", NetNamespace.Kind.POD, "p",
                "not-hex'; reboot", "also bad");
        assertNull(ns.containerId());
        assertNull(ns.pod());
        assertThrows(IllegalArgumentException.class, () -> new JobNamespace(7, "x'; reboot", null, null, null, null));
        assertThrows(IllegalArgumentException.class, () -> new JobNamespace(0, boot(), null, null, null, null),
                "0 is the host's own: no wrapper");
    }

    @Test
    void thePlanHashCoversTheNamespaceAndItsBoot() {
        List<Map<String, Object>> steps = List.of(Map.of("n", 1, "type", "KILL_SOCKETS", "command", "ss -K"));
        JobNamespace a = new JobNamespace(11, "0b9c1f5e-1d2a-4a43-9a55-64c1c5a1b2c3", null, null, null, null);
        JobNamespace b = new JobNamespace(12, "0b9c1f5e-1d2a-4a43-9a55-64c1c5a1b2c3", null, null, null, null);
        JobNamespace aLater = new JobNamespace(11, "1b9c1f5e-1d2a-4a43-9a55-64c1c5a1b2c3", null, null, null, null);
        String host = JobPlanner.hash(1, 7, Map.of(), steps, null, null);
        assertEquals(JobPlanner.hash(1, 7, Map.of(), steps), host, "the host's own keeps the hash it always had");
        assertEquals(4, new java.util.HashSet<>(List.of(host, JobPlanner.hash(1, 7, Map.of(), steps, null, a),
                JobPlanner.hash(1, 7, Map.of(), steps, null, b), JobPlanner.hash(1, 7, Map.of(), steps, null, aLater)))
                .size(), "another namespace, or the same inode on another boot, is another plan");
    }

    // ---- the planner's view of one namespace

    @Test
    void checksSeeOnlyTheNamespaceAndOrphansAreCountedPerNamedNamespace() {
        long a = 4026532101L;
        long b = 4026532102L;
        NetNamespace host = NetNamespace.host(4026531840L);
        NetNamespace web = new NetNamespace(a, NetNamespace.Kind.CONTAINER, "web-1", "ab".repeat(32), null, "web-1",
                10, Map.of(TIME, "7200"), 0);
        NetNamespace pod = new NetNamespace(b, NetNamespace.Kind.POD, "shop/checkout-x2l", null,
                "0b9c1f5e-1d2a-4a43-9a55-64c1c5a1b2c3", null, 11, Map.of(), 0);
        List<CollectorOutput.NotableSocket> sockets = List.of(
                socket("CLOSE-WAIT", 9080, 1, 0), socket("CLOSE-WAIT", 9080, 2, a), socket("CLOSE-WAIT", 9080, 3, b),
                socket("FIN-WAIT-1", 9081, 0, 0), socket("FIN-WAIT-1", 9081, 0, a), socket("FIN-WAIT-1", 9081, 0, a),
                socket("LAST-ACK", 9081, 0, b), socket("TIME-WAIT", 9081, 0, b));
        SnapshotView v = new SnapshotView(1, 1, Instant.EPOCH, 1, "ss", List.of(
                new CollectorOutput.StateCount(9080, false, "CLOSE-WAIT", 5, 0),
                new CollectorOutput.StateCount(9080, false, "CLOSE-WAIT", 12, a),
                new CollectorOutput.StateCount(9080, false, "CLOSE-WAIT", 7, b)), sockets, 8,
                Map.of(JobPlanner.ORPHANS, "4096", TIME, "7200"), null, List.of(), List.of(), true,
                List.of(host, web, pod));

        SnapshotView inWeb = JobPlanner.scoped(v, a);
        assertEquals(List.of(12L), inWeb.states().stream().map(CollectorOutput.StateCount::count).toList());
        assertEquals(3, inWeb.sockets().size());
        assertTrue(inWeb.sysctls().containsKey(JobPlanner.ORPHANS) && inWeb.sysctls().get(JobPlanner.ORPHANS) == null,
                "inside a container the orphan limit does not exist");
        assertEquals("4096", JobPlanner.scoped(v, 0).sysctls().get(JobPlanner.ORPHANS));
        assertEquals(List.of(5L), JobPlanner.scoped(v, 0).states().stream().map(CollectorOutput.StateCount::count)
                .toList());

        assertEquals(Map.of(Text.of("run.hostNamespace"), 1L, Text.of("run.where", "CONTAINER", "web-1", "ab".repeat(6)),
                2L, Text.of("run.where", "POD", "shop/checkout-x2l", ""), 1L), JobPlanner.orphansByNamespace(v));
        assertEquals(Text.of("run.hostNamespace"), JobPlanner.orphansByNamespace(v).keySet().iterator().next(),
                "the host's own first");

        // issue 14: 20 sampled lines stand for 5,000 orphans; the groups count them all, owned ones are no orphans
        List<dev.linger.collect.SocketGroup> groups = List.of(
                new dev.linger.collect.SocketGroup(0, 9081, false, "FIN-WAIT-1", null, 5000, 0, 0, 0, 0, 0, 0, 0,
                        Map.of("persist", 5000L), 0, null),
                new dev.linger.collect.SocketGroup(a, 9081, false, "LAST-ACK", null, 70, 0, 0, 0, 0, 0, 0, 0,
                        Map.of("on", 70L), 0, null),
                new dev.linger.collect.SocketGroup(a, 9081, false, "FIN-WAIT-2", new CollectorOutput.Owner(9, 9,
                        "client", "S", 1), 900, 0, 0, 0, 0, 0, 0, 0, Map.of("none", 900L), 0, null),
                new dev.linger.collect.SocketGroup(b, 9080, false, "CLOSE-WAIT", null, 400, 0, 0, 0, 0, 0, 0, 0,
                        Map.of("none", 400L), 0, null));
        SnapshotView sampled = new SnapshotView(1, 1, Instant.EPOCH, 1, "proc", List.of(), java.util.Collections
                .nCopies(20, socket("FIN-WAIT-1", 9081, 0, 0)), 6370, Map.of(), null, List.of(), List.of(), true,
                List.of(host, web, pod), groups);
        assertEquals(Map.of(Text.of("run.hostNamespace"), 5000L, Text.of("run.where", "CONTAINER", "web-1",
                "ab".repeat(6)), 70L),
                JobPlanner.orphansByNamespace(sampled), "the pod's CLOSE-WAIT are no orphans");
    }

    private static CollectorOutput.NotableSocket socket(String state, int port, long inode, long netns) {
        return new CollectorOutput.NotableSocket(state, "127.0.0.1:" + port, "127.0.0.1:40000", 0, 0, null, null,
                null, null, inode, null, netns);
    }

    // ---- real namespaces

    @Test
    void aWrappedScriptRunsInsideTheContainersNamespaceOnly() {
        try (Container c = Container.onLocal("ns-run-" + ProcessHandle.current().pid(), Container.Shape.docker())) {
            CommandResult r = sh(of(c).wrap("readlink /proc/self/ns/net; echo \"it's\""));
            assertEquals(0, r.exitCode(), r.stderr());
            assertEquals("net:[" + c.netnsInode() + "]\nit's\n", r.stdout());
            assertEquals(JobNamespace.State.OK, probe(of(c)).state());

            // the same inode in another container's cgroup (an inode a dead namespace left) is not this one
            JobNamespace impostor = new JobNamespace(c.netnsInode(), boot(), NetNamespace.Kind.CONTAINER, "x",
                    Container.Shape.randomId(), null);
            CommandResult refused = sh(impostor.wrap("echo ran"));
            assertEquals(JobNamespace.GONE, refused.exitCode());
            assertFalse(refused.stdout().contains("ran"));
            assertEquals(JobNamespace.State.GONE, probe(impostor).state());

            JobNamespace otherBoot = new JobNamespace(c.netnsInode(), "00000000-0000-0000-0000-000000000000",
                    NetNamespace.Kind.CONTAINER, "x", c.containerId(), null);
            CommandResult rebooted = sh(otherBoot.wrap("echo ran"));
            assertEquals(JobNamespace.REBOOTED, rebooted.exitCode());
            assertFalse(rebooted.stdout().contains("ran"));
            assertEquals(JobNamespace.State.REBOOTED, probe(otherBoot).state());
        }
    }

    @Test
    void aRestartedContainerIsReportedAsReplacedWithItsNewNamespace() {
        String id = Container.Shape.randomId();
        JobNamespace old;
        try (Container c = Container.onLocal("ns-old-" + ProcessHandle.current().pid(), Container.Shape.docker(id))) {
            old = of(c);
        }
        assertEquals(JobNamespace.State.GONE, probe(old).state());
        try (Container again = Container.onLocal("ns-new-" + ProcessHandle.current().pid(),
                Container.Shape.docker(id))) {
            // the kernel hands the freed inode to the next namespace at once: only the age of its processes tells
            assertEquals(new JobNamespace.Probe(JobNamespace.State.REPLACED, again.netnsInode()), probe(old));
            if (again.netnsInode() == old.inode()) {
                assertEquals(JobNamespace.State.OK, probe(new JobNamespace(old.inode(), old.bootId(), old.kind(),
                        old.name(), old.containerId(), old.pod())).state(), "unpinned it would pass for the old one");
            }
            CommandResult r = sh(old.wrap("echo ran"));
            assertEquals(JobNamespace.GONE, r.exitCode(), "never the new namespace: approvals were for the old one");
        }
    }

    @Test
    void aKeepaliveChangeIsMadeAndRolledBackInsideTheContainerOnly() {
        String hostBefore = sh("sysctl -n " + TIME).stdout().strip();
        try (Container a = Container.onLocal("ns-a-" + ProcessHandle.current().pid(), Container.Shape.docker());
                Container b = Container.onLocal("ns-b-" + ProcessHandle.current().pid(), Container.Shape.docker())) {
            String aBefore = a.exec("sysctl", "-n", TIME).strip();
            String bBefore = b.exec("sysctl", "-n", TIME).strip();
            String intended = aBefore.equals("321") ? "322" : "321";
            StepEngineTest.FakeRecorder recorder = recorder();
            StepEngine.Result r = engine(of(a)).run(runbook(new Step.SetSysctl(TIME, intended)), Bindings.NONE,
                    recorder, () -> null);
            assertTrue(r.ok(), String.valueOf(r.message()));
            assertEquals(intended, a.exec("sysctl", "-n", TIME).strip());
            assertEquals(bBefore, b.exec("sysctl", "-n", TIME).strip(), "container B keeps its value");
            assertEquals(hostBefore, sh("sysctl -n " + TIME).stdout().strip(), "the host keeps its value");
            assertEquals(aBefore, recorder.changes.get(0).before, "the before value is A's, read inside A");

            StepEngine.Result back = engine(of(a)).rollback(recorder.undos(), false,
                    recorder());
            assertTrue(back.ok(), String.valueOf(back.message()));
            assertEquals(aBefore, a.exec("sysctl", "-n", TIME).strip());
            assertEquals(hostBefore, sh("sysctl -n " + TIME).stdout().strip());
        }
    }

    @Test
    void aJobWhoseNamespaceIsGoneFailsBeforeItsFirstChangeAndSoDoesItsRollback() {
        String hostBefore = sh("sysctl -n " + TIME).stdout().strip();
        JobNamespace gone;
        try (Container c = Container.onLocal("ns-gone-" + ProcessHandle.current().pid(), Container.Shape.docker())) {
            gone = of(c);
        }
        StepEngineTest.FakeRecorder recorder = recorder();
        StepEngine.Result r = engine(gone).run(runbook(new Step.SetSysctl(TIME, "333")), Bindings.NONE, recorder,
                () -> null);
        assertFalse(r.ok());
        assertEquals(1, r.failedStep());
        assertEquals(Text.of("job.netnsGone", gone.whereText(), gone.inode()), r.message());
        assertTrue(recorder.changes.isEmpty(), "nothing recorded as changing");
        assertEquals(List.of("started 1 SET_SYSCTL sysctl -w " + TIME + "=333", "finished 1 false"),
                recorder.eventsOf(1));
        assertEquals(r.message(), recorder.finished.get(1).message());
        assertEquals(hostBefore, sh("sysctl -n " + TIME).stdout().strip(), "never run on the host instead");

        StepEngineTest.FakeRecorder back = recorder();
        StepEngine.Result rollback = engine(gone).rollback(List.of(new StepEngine.Undo(TIME, "333", "7200", false,
                null, null)), false, back);
        assertFalse(rollback.ok());
        assertTrue(back.changes.isEmpty());
        assertEquals(Text.of("job.netnsGone", gone.whereText(), gone.inode()), rollback.message());
    }

    @Test
    void persistIsRefusedInsideANamespaceBeforeAnythingIsReadOrWritten() {
        try (Container c = Container.onLocal("ns-persist-" + ProcessHandle.current().pid(),
                Container.Shape.docker())) {
            StepEngineTest.FakeRecorder recorder = recorder();
            StepEngine.Result r = engine(of(c)).run(runbook(new Step.PersistSysctl("90-linger-ns-test.conf",
                    Map.of(TIME, "300"))), Bindings.NONE, recorder, () -> null);
            assertFalse(r.ok());
            assertEquals(Text.of("run.stepFailed", 1, Text.of("job.netnsPersistRefused", of(c).whereText())),
                    r.message());
            assertTrue(recorder.changes.isEmpty());
            assertFalse(Files.exists(Path.of("/etc/sysctl.d/90-linger-ns-test.conf")));
        }
    }

    /** The engine test's recorder. */
    private static StepEngineTest.FakeRecorder recorder() {
        return new StepEngineTest.FakeRecorder(null);
    }

    private static JobNamespace.Probe probe(JobNamespace ns) {
        CommandResult r = sh(ns.probeScript());
        return JobNamespace.parseProbe(r.exitCode(), r.stdout(), r.stderr());
    }

    private static StepEngine engine(JobNamespace ns) {
        return new StepEngine(SH, LOCAL, new StepEngine.Settings(Duration.ofSeconds(20), Duration.ofSeconds(2), 4000,
                Duration.ofMillis(50), 1, Set.of()), ns);
    }

    private static RunbookDefinition runbook(Step... steps) {
        return new RunbookDefinition("test", "", Risk.LOW, List.of(), List.of(),
                java.util.Arrays.stream(steps).map(RunbookStep::of).toList(), Set.of());
    }
}
