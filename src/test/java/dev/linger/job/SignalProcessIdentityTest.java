package dev.linger.job;

import static dev.linger.Api.admin;
import static dev.linger.job.Jobs.as;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.linger.i18n.Text;
import dev.linger.Browser;
import dev.linger.TestUsers;
import dev.linger.runbook.Bindings;
import dev.linger.runbook.Risk;
import dev.linger.runbook.RunbookDefinition;
import dev.linger.runbook.RunbookStep;
import dev.linger.runbook.Step;
import dev.linger.runbook.StepType;
import dev.linger.transport.HostTarget;
import dev.linger.transport.Transports;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * SIGNAL_PROCESS with real processes on the LOCAL host: the plan names the process behind the pid (its command and
 * start time), and the step signals it only while the pid still belongs to that process. Pid reuse is shown with a
 * real process whose planned identity differs from its own in one field (start or command): the same check, on the
 * host, in the command that signals.
 */
@QuarkusTest
class SignalProcessIdentityTest {

    @Inject
    TestUsers users;
    @Inject
    Transports transports;

    private Process sleeper;

    @AfterEach
    void stopTheSleeper() {
        if (sleeper != null) {
            sleeper.destroyForcibly();
        }
    }

    private Process sleep() throws Exception {
        sleeper = new ProcessBuilder("sleep", "600").start();
        return sleeper;
    }

    /** Field 22 of /proc/PID/stat, counted after the command's closing parenthesis. */
    private static long startTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(") ") + 2).split(" ")[19]);
    }

    @Test
    void thePlanNamesTheProcessAndTheJobSignalsItWhileItIsStillThatProcess() throws Exception {
        TestUsers.Person operator = users.create("operator");
        TestUsers.Person approver = users.create("approver");
        TestUsers.Person approver2 = users.create("approver");
        String slug = "term-" + UUID.randomUUID().toString().substring(0, 8);
        admin().body(Map.of("slug", slug, "title", "End one process", "risk", "HIGH",
                "params", List.of(Map.of("name", "pid", "type", "PID", "label", "Process")),
                "steps", List.of(Map.of("type", "SIGNAL_PROCESS", "pid", "{pid}", "signal", "TERM"))))
                .post("/api/v1/runbooks").then().statusCode(201);
        Process p = sleep();
        long id = Jobs.propose(operator, slug, Jobs.localHost(), Map.of("pid", String.valueOf(p.pid())));
        JsonPath job = Jobs.job(id);
        assertEquals("sleep", job.getString("plan.steps[0].process.command"));
        assertEquals(startTicks(p.pid()), job.getLong("plan.steps[0].process.startTicks"));
        Instant started = Instant.parse(job.getString("plan.steps[0].process.startedAt"));
        Instant real = p.info().startInstant().orElseThrow();
        assertTrue(Duration.between(real, started).abs().toSeconds() <= 2, started + " vs " + real);
        String blast = job.getString("plan.steps[0].blastRadius");
        assertTrue(blast.startsWith("Process " + p.pid() + " (sleep, started ") && blast.contains("refuses"), blast);
        Browser.signedIn(approver.name(), approver.password()).get("/jobs/" + id).then().statusCode(200)
                .body(containsString("Process " + p.pid() + " (sleep, started "));
        Browser.signedIn(approver.name(), approver.password()).acceptLanguage("zh-CN").get("/jobs/" + id).then()
                .statusCode(200).body(containsString("进程 " + p.pid() + "（sleep，启动于 "));

        Jobs.decide(approver, id, "APPROVE", 200);
        Jobs.decide(approver2, id, "APPROVE", 200);
        JsonPath done = Jobs.await(id, Duration.ofSeconds(30), "SUCCEEDED", "FAILED");
        assertEquals("SUCCEEDED", done.getString("status"), done.getString("outcome"));
        assertTrue(done.getString("steps[0].command").contains("/proc/"), "the check runs in the signalling command: "
                + done.getString("steps[0].command"));
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "SIGTERM ended it");
        assertEquals(128 + 15, p.exitValue(), "ended by SIGTERM");

        // a pid that no longer exists is said before anyone approves
        as(operator).body(Map.of("runbook", slug, "hostId", Jobs.localHost(), "reason", "gone already", "params",
                Map.of("pid", String.valueOf(p.pid())))).post("/api/v1/jobs").then().statusCode(201)
                .body("plan.steps[0].blastRadius", containsString("does not exist on the host now"));
    }

    @Test
    void aPidThatNowBelongsToAnotherStartOrCommandIsNotSignalled() throws Exception {
        HostTarget local = new HostTarget(Jobs.localHost(), "local", "LOCAL", null, 22, null, false, null);
        StepEngine engine = new StepEngine(transports.forHost(local), local, new StepEngine.Settings(
                Duration.ofSeconds(10), Duration.ofSeconds(5), 4000, Duration.ofMillis(50), 1, java.util.Set.of()));
        RunbookDefinition term = new RunbookDefinition("term", "", Risk.HIGH, List.of(), List.of(),
                List.of(RunbookStep.of(new Step.SignalProcess("{pid}", "TERM"))), java.util.Set.of());
        Process p = sleep();
        String pid = String.valueOf(p.pid());
        Bindings bindings = new Bindings(Map.of("pid", pid), Map.of());
        long ticks = startTicks(p.pid());

        Recorder planned = new Recorder();
        // the plan saw an earlier process with this pid: same command, started one tick earlier
        StepEngine.Result reused = engine.run(term, bindings, planned, () -> null,
                Map.of(1, new ProcessIdentity(pid, ticks - 1, "sleep", null)));
        assertFalse(reused.ok());
        assertEquals(Text.of("run.pidReused", pid, "sleep", String.valueOf(ticks), "sleep", String.valueOf(ticks - 1)),
                planned.message);
        assertTrue(p.isAlive(), "no signal was sent");

        Recorder other = new Recorder();
        StepEngine.Result otherCommand = engine.run(term, bindings, other, () -> null,
                Map.of(1, new ProcessIdentity(pid, ticks, "nginx", null)));
        assertFalse(otherCommand.ok());
        assertEquals("nginx", other.message.args().get(3), String.valueOf(other.message));
        assertTrue(p.isAlive(), "no signal was sent");

        Recorder same = new Recorder();
        assertTrue(engine.run(term, bindings, same, () -> null, Map.of(1, new ProcessIdentity(pid, ticks, "sleep",
                null))).ok(), String.valueOf(same.message));
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "the process it was planned for got SIGTERM");
    }

    /** Bookkeeping only: the last step message. */
    static final class Recorder implements JobProgress {
        volatile Text message;

        public void stepStarted(int n, StepType type, String command) {
        }

        public void stepProgress(int n, Text progress) {
        }

        public void stepFinished(int n, boolean ok, Integer exitCode, String stdout, String stderr, Text message) {
            this.message = message;
        }

        public long sysctlChanging(int n, String key, String before, String intended, boolean persistent, String file,
                String previousFile) {
            throw new AssertionError("no sysctl here");
        }

        public void sysctlConfirmed(long changeId, String after) {
        }

        public boolean noteConfirmed(int n) {
            return true;
        }

        public boolean stopRequested() {
            return false;
        }
    }
}
