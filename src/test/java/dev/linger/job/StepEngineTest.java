package dev.linger.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntConsumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.linger.Waits;
import dev.linger.i18n.Catalogue;
import dev.linger.i18n.Text;
import dev.linger.lab.Fault;
import dev.linger.lab.LabHost;
import dev.linger.runbook.Bindings;
import dev.linger.runbook.Risk;
import dev.linger.runbook.RunbookDefinition;
import dev.linger.runbook.RunbookStep;
import dev.linger.runbook.Step;
import dev.linger.runbook.StepType;
import dev.linger.runbook.TcpState;
import dev.linger.transport.HostTarget;

/**
 * The engine against a real kernel: a lab network namespace (its per-namespace sysctls and real CLOSE-WAIT
 * sockets), reached by {@link NamespaceTransport}. Only the recorder is a fake: it is bookkeeping.
 */
class StepEngineTest {

    private static final String TIME = "net.ipv4.tcp_keepalive_time";
    private static final String INTVL = "net.ipv4.tcp_keepalive_intvl";
    private static final String PROBES = "net.ipv4.tcp_keepalive_probes";

    private static LabHost lab;
    private static NamespaceTransport transport;
    private static HostTarget host;
    private static final List<StepEngine> ENGINES = new CopyOnWriteArrayList<>();
    /** Step messages and progress lines the engine wrote that are sentences, not facts of the catalogue. */
    private static final List<Text> NOT_FACTS = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startLab() {
        LabHost.unavailableReason().ifPresent(reason -> {
            throw new IllegalStateException(reason);
        });
        lab = LabHost.start("engine");
        transport = new NamespaceTransport(lab.namespace());
        host = new HostTarget(1, lab.namespace(), "SSH", lab.address(), lab.sshPort(), lab.user(), false, null);
    }

    @AfterAll
    static void everyTextTheEngineWroteIsAFactOfTheCatalogue() {
        assertTrue(NOT_FACTS.isEmpty(), "not facts of the catalogue: " + NOT_FACTS);
    }

    @AfterAll
    static void stopLab() throws IOException {
        if (lab != null) {
            lab.close(); // kills every process left in the namespace, guards included
        }
        for (StepEngine engine : ENGINES) {
            // a guard killed with the namespace never removed its pid file
            Files.deleteIfExists(Path.of("/run", engine.guardFile(TIME)));
        }
    }

    // ---- 1, 2: keepalive run, rollback, drift

    @Test
    void keepaliveRunChangesTheKernelRecordsFirstAndRollsBackExactly() {
        Map<String, String> original = values(TIME, INTVL, PROBES);
        Map<String, String> intended = Map.of(TIME, other(original.get(TIME), "601"), INTVL,
                other(original.get(INTVL), "31"), PROBES, other(original.get(PROBES), "4"));
        FakeRecorder recorder = new FakeRecorder(StepEngineTest::kernel);

        StepEngine.Result result = engine(Set.of()).run(keepalive(intended), Bindings.NONE, recorder, () -> null);

        assertTrue(result.ok(), String.valueOf(result.message()));
        assertEquals(intended, values(TIME, INTVL, PROBES));
        List<String> keys = List.of(TIME, INTVL, PROBES);
        for (int i = 0; i < 3; i++) {
            int n = i + 1;
            String key = keys.get(i);
            assertEquals(List.of("started " + n + " SET_SYSCTL sysctl -w " + key + "=" + intended.get(key),
                    "changing " + n + " " + key + " " + original.get(key) + " -> " + intended.get(key),
                    "confirmed " + n + " " + intended.get(key), "finished " + n + " true"),
                    recorder.eventsOf(n));
            FakeRecorder.Change c = recorder.changes.get(i);
            assertEquals(original.get(key), c.kernelWhenRecorded, "recorded before the kernel changed");
            assertEquals(original.get(key), c.before);
            assertEquals(intended.get(key), c.after);
        }

        FakeRecorder back = new FakeRecorder(StepEngineTest::kernel);
        StepEngine.Result rollback = engine(Set.of()).rollback(recorder.undos(), false, back);

        assertTrue(rollback.ok(), String.valueOf(rollback.message()));
        assertEquals(original, values(TIME, INTVL, PROBES));
        assertEquals(List.of(PROBES, INTVL, TIME), back.changes.stream().map(c -> c.key).toList(), "newest first");
    }

    @Test
    void rollbackStopsOnDriftUnlessOverridden() {
        Map<String, String> original = values(TIME, INTVL, PROBES);
        String intendedTime = other(original.get(TIME), "602");
        FakeRecorder recorder = new FakeRecorder(null);
        assertTrue(engine(Set.of()).run(keepalive(Map.of(TIME, intendedTime, INTVL, other(original.get(INTVL), "32"),
                PROBES, other(original.get(PROBES), "5"))), Bindings.NONE, recorder, () -> null).ok());
        String byHand = other(intendedTime, "777");
        lab.setSysctl(TIME, byHand);

        FakeRecorder refused = new FakeRecorder(null);
        StepEngine.Result denied = engine(Set.of()).rollback(recorder.undos(), false, refused);

        assertFalse(denied.ok());
        assertEquals(3, denied.failedStep(), "time was changed first, so it is undone last");
        assertEquals(Text.of("run.stepFailed", 3, Text.of("run.drift", TIME, byHand, intendedTime)), denied.message());
        assertEquals(byHand, kernel(TIME), "nothing changed for the drifted key");
        assertTrue(refused.changes.stream().noneMatch(c -> c.key.equals(TIME)));

        StepEngine.Result overridden = engine(Set.of()).rollback(recorder.undos(), true, new FakeRecorder(null));

        assertTrue(overridden.ok(), String.valueOf(overridden.message()));
        assertEquals(original, values(TIME, INTVL, PROBES));
    }

    // ---- 3: sockets

    @Test
    void killSocketsDestroysOnlyThePortsCloseWaitAndWaitSeesThemGone() {
        try (Fault target = lab.closeWait(9301, 3); Fault bystander = lab.closeWait(9302, 2)) {
            assertEquals(3, closeWaitOn(9301));
            RunbookDefinition runbook = runbook(new Step.KillSockets(TcpState.CLOSE_WAIT, "{port}"),
                    new Step.WaitSockets(TcpState.CLOSE_WAIT, "{port}", 0, 1, 5));
            FakeRecorder recorder = new FakeRecorder(null);

            StepEngine.Result result = engine(Set.of()).run(runbook, port(9301), recorder, () -> null);

            assertTrue(result.ok(), String.valueOf(result.message()));
            assertEquals(Text.of("run.socketsDestroyed", 3), recorder.finished.get(1).message);
            assertEquals(Text.of("run.socketsRemain", 0, 0), recorder.finished.get(2).message);
            assertEquals(List.of(Text.of("run.progressRemain", 0, "CLOSE_WAIT", "9301")), recorder.progress);
            assertEquals(0, closeWaitOn(9301));
            assertEquals(2, closeWaitOn(9302), "sockets on another port stay");

            FakeRecorder waiting = new FakeRecorder(null);
            long start = System.nanoTime();
            StepEngine.Result timedOut = engine(Set.of()).run(
                    runbook(new Step.WaitSockets(TcpState.CLOSE_WAIT, "9302", 0, 1, 2)), Bindings.NONE, waiting,
                    () -> null);

            assertFalse(timedOut.ok());
            assertEquals(Text.of("run.stepFailed", 1, Text.of("run.stillRemain", 2, "CLOSE_WAIT", "9302", 2)),
                    timedOut.message());
            assertTrue(waiting.progress.size() >= 2, "it polled: " + waiting.progress);
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 5000);
        }
    }

    // ---- 4: the host-side guard

    @Test
    void guardRestoresTheRecordedValueWhenLingerNeverComesBack() throws Exception {
        String original = kernel(TIME);
        String intended = other(original, "123");
        StepEngine engine = engine(Set.of(TIME));
        RunbookDefinition runbook = runbook(new Step.ReadSysctl(TIME), new Step.SetSysctl(TIME, intended));

        StepEngine.Result result = engine.run(runbook, Bindings.NONE, new FakeRecorder(null), () -> null);
        long ended = System.nanoTime();

        assertTrue(result.ok(), String.valueOf(result.message()));
        assertEquals(intended, kernel(TIME), "the job's value holds while the guard waits");
        Path pidFile = Path.of("/run", engine.guardFile(TIME));
        assertTrue(Files.exists(pidFile), "armed: " + pidFile);
        // the guard's own `sleep` on the host decides when (the bound, 2 s here): the test can only watch for it
        Waits.upTo(Duration.ofSeconds(6), "the guard put it back").until(() -> original.equals(kernel(TIME)));
        assertTrue(Duration.ofNanos(System.nanoTime() - ended).toMillis() < 4500, "within the bound plus a little");
        Waits.upTo(Duration.ofSeconds(2), "the guard removed its pid file").until(() -> !Files.exists(pidFile));
    }

    @Test
    void guardNeverOverwritesSomeoneElsesChange() throws Exception {
        String original = kernel(TIME);
        String intended = other(original, "124");
        StepEngine engine = engine(Set.of(TIME));

        assertTrue(engine.run(runbook(new Step.SetSysctl(TIME, intended)), Bindings.NONE, new FakeRecorder(null),
                () -> null).ok());
        String byHand = other(original, "555");
        lab.setSysctl(TIME, byHand);

        Path pidFile = Path.of("/run", engine.guardFile(TIME));
        Waits.upTo(Duration.ofSeconds(6), "the guard ran out").until(() -> !Files.exists(pidFile));
        assertEquals(byHand, kernel(TIME));
        lab.setSysctl(TIME, original);
    }

    @Test
    void restoringTheValueDisarmsTheGuard() throws Exception {
        String original = kernel(TIME);
        String intended = other(original, "125");
        StepEngine engine = engine(Set.of(TIME));
        Path pidFile = Path.of("/run", engine.guardFile(TIME));
        List<Long> guardPids = new CopyOnWriteArrayList<>();
        FakeRecorder recorder = new FakeRecorder(null);
        recorder.onStart = n -> {
            if (n == 3) {
                guardPids.add(Long.parseLong(read(pidFile).strip()));
            }
        };
        RunbookDefinition runbook = runbook(new Step.SetSysctl(TIME, intended),
                new Step.WaitSockets(TcpState.CLOSE_WAIT, "9399", 0, 1, 2), new Step.RestoreSysctl(TIME));

        StepEngine.Result result = engine.run(runbook, Bindings.NONE, recorder, () -> null);

        assertTrue(result.ok(), String.valueOf(result.message()));
        assertEquals(original, kernel(TIME));
        assertEquals(1, guardPids.size(), "the guard was armed while the job ran");
        assertFalse(Files.exists(pidFile), "pid file removed");
        long guard = guardPids.get(0);
        Waits.upTo(Duration.ofSeconds(2), "neither the guard nor its sleep is left in session " + guard)
                .until(() -> liveProcessesInSession(guard).isEmpty());
    }

    // ---- 5: failures stop the run

    @Test
    void restoreWithoutARecordedValueFails() {
        FakeRecorder recorder = new FakeRecorder(null);

        StepEngine.Result result = engine(Set.of()).run(runbook(new Step.RestoreSysctl(TIME)), Bindings.NONE,
                recorder, () -> null);

        assertFalse(result.ok());
        assertEquals(1, result.failedStep());
        assertEquals(Text.of("run.stepFailed", 1, Text.of("run.noRecordedValue", TIME)), result.message());
        assertEquals(List.of("started 1 RESTORE_SYSCTL sysctl -w " + TIME + "=<recorded value>", "finished 1 false"),
                recorder.events);
    }

    @Test
    void aMissingKeyFailsTheStepAndTheRunStopsThere() {
        String before = kernel(TIME);
        FakeRecorder recorder = new FakeRecorder(null);
        RunbookDefinition runbook = runbook(new Step.ReadSysctl("net.ipv4.tcp_max_orphans"),
                new Step.SetSysctl(TIME, other(before, "126")));

        StepEngine.Result result = engine(Set.of()).run(runbook, Bindings.NONE, recorder, () -> null);

        assertFalse(result.ok());
        assertEquals(1, result.failedStep());
        assertEquals(Text.of("run.stepFailed", 1, Text.of("run.keyMissing", "net.ipv4.tcp_max_orphans")),
                result.message());
        assertTrue(recorder.finished.get(1).stderr.contains("tcp_max_orphans"), "the kernel's words are kept");
        assertTrue(recorder.eventsOf(2).isEmpty(), "step 2 never started: " + recorder.events);
        assertEquals(before, kernel(TIME));
    }

    // ---- 6: NOTE and stop

    @Test
    void noteWaitsForAPersonToConfirm() {
        FakeRecorder recorder = new FakeRecorder(null);
        recorder.confirmOnAsk = 3; // the person confirms while the engine waits: it was told "no" twice before

        StepEngine.Result result = engine(Set.of()).run(runbook(new Step.Note("Tell the app team.")),
                Bindings.NONE, recorder, () -> null);

        assertTrue(result.ok(), String.valueOf(result.message()));
        assertEquals(3, recorder.noteAsks.get(), "it kept asking until the confirmation, and stopped asking then");
        assertEquals(List.of("started 1 NOTE null", "finished 1 true"), recorder.events);
        assertEquals(Text.of("run.confirmed"), recorder.finished.get(1).message);
    }

    @Test
    void stopRequestStopsAWaitAndTheStepsAfterIt() {
        try (Fault stuck = lab.closeWait(9311, 1)) {
            FakeRecorder recorder = new FakeRecorder(null);
            long start = System.nanoTime();
            recorder.onProgress = n -> recorder.stop = true; // requested once the wait has seen the socket remain
            RunbookDefinition runbook = runbook(new Step.WaitSockets(TcpState.CLOSE_WAIT, "9311", 0, 1, 60),
                    new Step.Note("never reached"));

            StepEngine.Result result = engine(Set.of()).run(runbook, Bindings.NONE, recorder, () -> null);

            assertFalse(result.ok());
            assertEquals(1, result.failedStep());
            assertEquals(Text.of("run.stepFailed", 1, Text.of("run.stopped")), result.message());
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 3000);
            assertTrue(recorder.eventsOf(2).isEmpty());
        }
    }

    @Test
    void verifyReportsWhyTheIncidentHasNotCleared() {
        FakeRecorder recorder = new FakeRecorder(null);

        StepEngine.Result result = engine(Set.of()).run(runbook(new Step.Verify(0)), Bindings.NONE, recorder,
                () -> Text.of("run.verbatim", "the collection after the job still finds FIN_WAIT1_STUCK :9080."));

        assertFalse(result.ok());
        assertEquals(Text.of("run.verbatim", "the collection after the job still finds FIN_WAIT1_STUCK :9080."),
                recorder.finished.get(1).message, "the verifier's fact is the step's message as it is");
    }

    @Test
    void signalChecksTheProcessFirst() throws Exception {
        Fault victim = lab.closeWait(9331, 1);
        RunbookDefinition runbook = runbook(new Step.SignalProcess("{pid}", "KILL"));
        // NamespaceTransport runs in the machine's PID namespace, not the lab's: the machine pid is the one it knows.
        Bindings pid = Bindings.of(Map.of("pid", String.valueOf(victim.machinePid())));

        StepEngine.Result killed = engine(Set.of()).run(runbook, pid, new FakeRecorder(null), () -> null);

        assertTrue(killed.ok(), String.valueOf(killed.message()));
        Waits.upTo(Duration.ofSeconds(5), "the process and its sockets are gone").until(() -> closeWaitOn(9331) == 0);
        victim.close();
        FakeRecorder again = new FakeRecorder(null);
        StepEngine.Result gone = engine(Set.of()).run(runbook, pid, again, () -> null);
        assertFalse(gone.ok());
        assertEquals(Text.of("run.processGone", String.valueOf(victim.machinePid())), again.finished.get(1).message);
    }

    @Test
    void shellStepsReportTheirExitCodeAndCappedOutput() {
        FakeRecorder recorder = new FakeRecorder(null);
        RunbookDefinition runbook = runbook(new Step.FreeShell("head -c 5000 /dev/zero | tr '\\0' x; echo oops >&2"),
                new Step.FreeShell("exit 3"));

        StepEngine.Result result = engine(Set.of()).run(runbook, Bindings.NONE, recorder, () -> null);

        assertEquals(2, result.failedStep());
        FakeRecorder.Finished big = recorder.finished.get(1);
        assertTrue(big.ok);
        assertEquals(4000, big.stdout.length(), "capped at outputCap");
        assertEquals("oops\n", big.stderr);
        assertEquals(3, recorder.finished.get(2).exitCode);
        assertEquals(Text.of("run.commandFailed", 3), recorder.finished.get(2).message);
    }

    // ---- 7: persist

    @Test
    void persistWritesTheFileAppliesItAndRollbackRemovesIt() throws Exception {
        Path file = Path.of(Step.SYSCTL_D, "99-linger-test-" + random() + ".conf");
        String original = kernel(INTVL);
        String intended = other(original, "33");
        try {
            FakeRecorder recorder = new FakeRecorder(null);
            StepEngine.Result result = engine(Set.of()).run(
                    runbook(new Step.PersistSysctl(file.getFileName().toString(), Map.of(INTVL, intended))),
                    Bindings.NONE, recorder, () -> null);

            assertTrue(result.ok(), String.valueOf(result.message()));
            assertEquals(INTVL + " = " + intended + "\n", read(file));
            assertEquals(intended, kernel(INTVL));
            FakeRecorder.Change change = recorder.changes.get(0);
            assertTrue(change.persistent);
            assertNull(change.previousFileContent, "the file did not exist");

            StepEngine.Result rollback = engine(Set.of()).rollback(recorder.undos(), false, new FakeRecorder(null));

            assertTrue(rollback.ok(), String.valueOf(rollback.message()));
            assertFalse(Files.exists(file), "the file is gone again");
            assertEquals(original, kernel(INTVL));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void persistOverAnExistingFileRollsBackToItsExactContent() throws Exception {
        Path file = Path.of(Step.SYSCTL_D, "99-linger-test-" + random() + ".conf");
        String before = "# kept by StepEngineTest\n# 'quotes' and $dollars stay as they were, no final newline";
        String original = kernel(PROBES);
        try {
            Files.writeString(file, before);
            FakeRecorder recorder = new FakeRecorder(null);
            assertTrue(engine(Set.of()).run(
                    runbook(new Step.PersistSysctl(file.getFileName().toString(),
                            Map.of(PROBES, other(original, "6")))), Bindings.NONE, recorder, () -> null).ok());
            assertEquals(before, recorder.changes.get(0).previousFileContent);

            assertTrue(engine(Set.of()).rollback(recorder.undos(), false, new FakeRecorder(null)).ok());

            assertEquals(before, read(file));
            assertEquals(original, kernel(PROBES));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Issue 12 item 3: a link in /etc/sysctl.d would make the step write, and replace, a file elsewhere. */
    @Test
    void persistRefusesASymlinkedTargetAndChangesNothing() throws Exception {
        Path file = Path.of(Step.SYSCTL_D, "99-linger-test-" + random() + ".conf");
        Path elsewhere = Files.createTempFile("linger-symlink-target", ".conf");
        String kept = "# someone else's file\n";
        String original = kernel(INTVL);
        try {
            Files.writeString(elsewhere, kept);
            Files.createSymbolicLink(file, elsewhere);
            FakeRecorder recorder = new FakeRecorder(null);

            StepEngine.Result result = engine(Set.of()).run(
                    runbook(new Step.PersistSysctl(file.getFileName().toString(), Map.of(INTVL, other(original, "34")))),
                    Bindings.NONE, recorder, () -> null);

            assertFalse(result.ok());
            assertEquals(Text.of("run.symlinkRefused", file.toString()), recorder.finished.get(1).message);
            assertTrue(recorder.changes.isEmpty(), "nothing recorded");
            assertTrue(Files.isSymbolicLink(file), "the link is still a link");
            assertEquals(kept, Files.readString(elsewhere));
            assertEquals(original, kernel(INTVL));
            assertFalse(Files.exists(Path.of(file + ".linger-tmp")));
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(elsewhere);
        }
    }

    /** The command refuses on the host by itself too, for a link made between the engine's look and the write. */
    @Test
    void thePersistCommandItselfRefusesALinkOnTheHost() throws Exception {
        Path file = Path.of(Step.SYSCTL_D, "99-linger-test-" + random() + ".conf");
        Path elsewhere = Files.createTempFile("linger-symlink-target", ".conf");
        String original = kernel(INTVL);
        try {
            Files.writeString(elsewhere, "kept\n");
            Files.createSymbolicLink(file, elsewhere);
            String command = new Step.PersistSysctl(file.getFileName().toString(), Map.of(INTVL, other(original, "35")))
                    .command(Bindings.NONE);

            dev.linger.transport.CommandResult r = transport.run(host, command, Duration.ofSeconds(10));

            assertEquals(3, r.exitCode());
            assertEquals(file + " is a symbolic link; Linger does not write through it or replace it\n", r.stderr());
            assertTrue(Files.isSymbolicLink(file));
            assertEquals("kept\n", Files.readString(elsewhere));
            assertEquals(original, kernel(INTVL));

            // a link at the temporary name is refused as well: writing to it would write through it
            Files.delete(file);
            Path tmp = Path.of(file + ".linger-tmp");
            Files.createSymbolicLink(tmp, elsewhere);
            try {
                r = transport.run(host, command, Duration.ofSeconds(10));
                assertEquals(3, r.exitCode());
                assertEquals("kept\n", Files.readString(elsewhere));
                assertFalse(Files.exists(file));
            } finally {
                Files.deleteIfExists(tmp);
            }
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(elsewhere);
        }
    }

    // ---- 8: already drained

    @Test
    void alreadyDrainedLooksAtTheFirstWait() {
        try (Fault busy = lab.closeWait(9321, 2)) {
            StepEngine engine = engine(Set.of());
            RunbookDefinition runbook = runbook(new Step.Note("first"),
                    new Step.WaitSockets(TcpState.CLOSE_WAIT, "{port}", 0, 1, 10),
                    new Step.WaitSockets(TcpState.CLOSE_WAIT, "{port}", 5, 1, 10));

            Optional<Text> drained = engine.alreadyDrained(runbook, port(9322));
            assertEquals(Optional.of(Text.of("run.alreadyDrained", "9322", 0, "CLOSE_WAIT", 0)), drained);
            assertEquals(Optional.empty(), engine.alreadyDrained(runbook, port(9321)));
            assertEquals(Optional.empty(), engine.alreadyDrained(runbook(new Step.Note("no wait")), port(9321)));
        }
    }

    // ---- helpers

    private static StepEngine engine(Set<String> guarded) {
        StepEngine engine = new StepEngine(transport, host, new StepEngine.Settings(Duration.ofSeconds(10),
                Duration.ofSeconds(2), 4000, Duration.ofMillis(50),
                ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE), guarded));
        ENGINES.add(engine);
        return engine;
    }

    private static RunbookDefinition runbook(Step... steps) {
        return new RunbookDefinition("test", "", Risk.LOW, List.of(), List.of(),
                Arrays.stream(steps).map(RunbookStep::of).toList(), Set.of());
    }

    private static RunbookDefinition keepalive(Map<String, String> values) {
        return runbook(new Step.SetSysctl(TIME, values.get(TIME)), new Step.SetSysctl(INTVL, values.get(INTVL)),
                new Step.SetSysctl(PROBES, values.get(PROBES)));
    }

    private static Bindings port(int port) {
        return Bindings.of(Map.of("port", String.valueOf(port)));
    }

    /** The namespace's value, read directly and not through the engine. */
    private static String kernel(String key) {
        return lab.exec("sysctl", "-n", key).strip();
    }

    private static Map<String, String> values(String... keys) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : keys) {
            values.put(key, kernel(key));
        }
        return values;
    }

    /** {@code wanted} unless that is the current value: a test must always really change something. */
    private static String other(String current, String wanted) {
        return wanted.equals(current) ? String.valueOf(Long.parseLong(wanted) + 1) : wanted;
    }

    private static long closeWaitOn(int port) {
        return lab.exec("ss", "-Htn", "state", "close-wait", "( sport = :" + port + " )").lines()
                .filter(l -> !l.isBlank()).count();
    }

    /** Processes (not zombies) whose session is {@code sid}: a guard and its sleep. */
    private static List<String> liveProcessesInSession(long sid) {
        List<String> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.filter(p -> p.getFileName().toString().matches("\\d+")).forEach(p -> {
                try {
                    String stat = Files.readString(p.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    if (!f[0].equals("Z") && Long.parseLong(f[3]) == sid) {
                        found.add(p.getFileName() + " " + stat.substring(0, stat.lastIndexOf(')') + 1));
                    }
                } catch (IOException | RuntimeException gone) {
                    // exited while we looked
                }
            });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return found;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String random() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 44));
    }

    /**
     * Keeps every call in order. {@link #undos()} collapses the changes per key, newest first, as the job service
     * does for a rollback job.
     */
    static final class FakeRecorder implements JobProgress {

        static final class Change {
            final long id;
            final int n;
            final String key;
            final String before;
            final String intended;
            final boolean persistent;
            final String file;
            final String previousFileContent;
            final String kernelWhenRecorded;
            volatile String after;

            Change(long id, int n, String key, String before, String intended, boolean persistent, String file,
                    String previousFileContent, String kernelWhenRecorded) {
                this.id = id;
                this.n = n;
                this.key = key;
                this.before = before;
                this.intended = intended;
                this.persistent = persistent;
                this.file = file;
                this.previousFileContent = previousFileContent;
                this.kernelWhenRecorded = kernelWhenRecorded;
            }
        }

        record Finished(boolean ok, Integer exitCode, String stdout, String stderr, Text message) {
        }

        /** Reads the kernel when a change is recorded, to prove it was recorded first; may be null. */
        private final UnaryOperator<String> kernel;
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<Change> changes = new CopyOnWriteArrayList<>();
        final List<Text> progress = new CopyOnWriteArrayList<>();
        final Map<Integer, Finished> finished = new java.util.concurrent.ConcurrentHashMap<>();
        final Set<Integer> confirmedNotes = java.util.concurrent.ConcurrentHashMap.newKeySet();
        volatile boolean stop;
        volatile IntConsumer onStart = n -> {
        };
        /** Called with the step's number after each progress line. */
        volatile IntConsumer onProgress = n -> {
        };
        /** Times {@link #noteConfirmed} was asked. */
        final java.util.concurrent.atomic.AtomicInteger noteAsks = new java.util.concurrent.atomic.AtomicInteger();
        /** When positive, the ask with this number finds the note confirmed (a person confirmed meanwhile). */
        volatile int confirmOnAsk;

        FakeRecorder(UnaryOperator<String> kernel) {
            this.kernel = kernel;
        }

        List<String> eventsOf(int n) {
            return events.stream().filter(e -> e.split(" ")[1].equals(String.valueOf(n))).toList();
        }

        List<StepEngine.Undo> undos() {
            Map<String, List<Change>> byKey = new LinkedHashMap<>();
            changes.forEach(c -> byKey.computeIfAbsent(c.key, k -> new ArrayList<>()).add(c));
            List<StepEngine.Undo> undos = new ArrayList<>();
            byKey.values().forEach(list -> {
                Change first = list.get(0);
                Change last = list.get(list.size() - 1);
                Optional<Change> persisted = list.stream().filter(c -> c.persistent).findFirst();
                undos.add(0, new StepEngine.Undo(first.key, last.after, first.before, persisted.isPresent(),
                        persisted.map(c -> c.file).orElse(null),
                        persisted.map(c -> c.previousFileContent).orElse(null)));
            });
            return undos;
        }

        @Override
        public void stepStarted(int n, StepType type, String command) {
            events.add("started " + n + " " + type + " " + command);
            onStart.accept(n);
        }

        @Override
        public void stepProgress(int n, Text line) {
            progress.add(line);
            onProgress.accept(n);
            if (!Catalogue.has(line.key()) || line.key().equals("run.verbatim")) {
                NOT_FACTS.add(line);
            }
        }

        @Override
        public void stepFinished(int n, boolean ok, Integer exitCode, String stdout, String stderr, Text message) {
            events.add("finished " + n + " " + ok);
            finished.put(n, new Finished(ok, exitCode, stdout, stderr, message));
            if (message == null || !Catalogue.has(message.key())) {
                NOT_FACTS.add(message);
            }
        }

        @Override
        public long sysctlChanging(int n, String key, String before, String intended, boolean persistent,
                String file, String previousFileContent) {
            long id = changes.size() + 1;
            changes.add(new Change(id, n, key, before, intended, persistent, file, previousFileContent,
                    kernel == null ? null : kernel.apply(key)));
            events.add("changing " + n + " " + key + " " + before + " -> " + intended);
            return id;
        }

        @Override
        public void sysctlConfirmed(long changeId, String after) {
            Change c = changes.get((int) changeId - 1);
            c.after = after;
            events.add("confirmed " + c.n + " " + after);
        }

        @Override
        public boolean noteConfirmed(int n) {
            if (noteAsks.incrementAndGet() == confirmOnAsk) {
                confirmedNotes.add(n);
            }
            return confirmedNotes.contains(n);
        }

        @Override
        public boolean stopRequested() {
            return stop;
        }
    }
}
