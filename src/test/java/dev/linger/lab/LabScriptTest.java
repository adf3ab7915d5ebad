package dev.linger.lab;

import static dev.linger.Api.admin;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import dev.linger.Sql;
import dev.linger.TestUsers;
import dev.linger.Waits;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The rehearsal lab ({@code src/main/lab/linger-lab}) run as a user runs it, against this Linger: {@code up}
 * builds a sandbox host with a real fault and registers it, Linger's collection sees the fault and opens the
 * incident, {@code down} removes the host from Linger and everything from the machine. Needs root on Linux (CI
 * runs as root); without it every test fails and says why.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabScriptTest {

    private static final Path SCRIPT = Path.of("src/main/lab/linger-lab");
    private static final Path RUN_DIR = Path.of("/run/llab");
    private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(180);

    @TestHTTPResource("/")
    URL linger;

    /** Random names, so that a lab someone runs by hand on the same machine is never touched. */
    private final String closeWaitLab = "c" + randomHex();
    private final String defunctLab = "d" + randomHex();
    private final String containerLab = "k" + randomHex();

    private long closeWaitHostId;
    private Map<String, String> closeWaitState;

    @BeforeAll
    void requireTheLab() {
        LabHost.unavailableReason().ifPresent(reason -> fail(reason));
        if (Commands.findExecutable("curl").isEmpty()) {
            fail("The lab script talks to Linger with curl; install curl");
        }
        LingerTestKey.publicKey(); // the key Linger logs in with in tests; the script authorizes it
    }

    @AfterAll
    void removeWhatATestLeftBehind() {
        for (String name : List.of(closeWaitLab, defunctLab, containerLab)) {
            if (Files.exists(RUN_DIR.resolve(name)) || namespaces().contains("llab-" + name)) {
                System.err.println("LabScriptTest: removing leftover lab " + name + ": "
                        + script("down", "--name", name).describe());
            }
        }
    }

    @Test
    @Order(0)
    void badInputIsRefusedWithAClearMessageAndCreatesNothing() {
        long hosts = Sql.count("SELECT count(*) FROM host");
        Path injected = Path.of("/tmp", "llab-injected-" + randomHex());
        record Case(List<String> args, String message) {
        }
        List<Case> cases = List.of(
                new Case(List.of("up", "--name", closeWaitLab),
                        "up needs --fault close-wait, fin-wait1 or defunct-leader"),
                new Case(List.of("up", "--fault", "close-wiat", "--name", closeWaitLab), "bad --fault 'close-wiat'"),
                new Case(List.of("up", "--fault", "close-wait", "--name", closeWaitLab, "--port", "65536"),
                        "bad --port '65536'"),
                new Case(List.of("up", "--fault", "close-wait", "--name", closeWaitLab, "--port",
                        "9080; touch " + injected),
                        "bad --port '9080; touch " + injected + "'"),
                new Case(List.of("up", "--fault", "close-wait", "--name", closeWaitLab, "--port", "22"),
                        "bad --port 22: the lab's sshd has it"),
                new Case(List.of("up", "--fault", "close-wait", "--name", "Lab_1"), "bad --name 'Lab_1'"),
                new Case(List.of("up", "--fault", "close-wait", "--name", "$(reboot)"), "bad --name '$(reboot)'"),
                new Case(List.of("up", "--fault", "close-wait", "--name", "abcdefghijk"), "bad --name 'abcdefghijk'"),
                new Case(List.of("up", "--fault", "close-wait", "--name", closeWaitLab, "--port"),
                        "--port needs a value"),
                new Case(List.of("down", "--name", "../etc"), "bad --name '../etc'"),
                new Case(List.of("up", "--fault", "close-wait", "--name", closeWaitLab, "--hostname", "web"),
                        "--hostname names the container: give it with --in-container"),
                new Case(List.of("up", "--fault", "close-wait", "--name", closeWaitLab, "--in-container",
                        "--hostname", "<b>x</b>"), "bad --hostname '<b>x</b>'"),
                new Case(List.of("launch"), "unknown command 'launch'"));
        for (Case c : cases) {
            Commands.Result result = script(c.args().toArray(String[]::new));
            assertEquals(2, result.exitCode(), c.args() + " must be refused as bad usage: " + result.describe());
            assertTrue(result.stderr().contains(c.message()), c.args() + " should say " + c.message() + ", said: "
                    + result.stderr());
        }
        assertNothingExists(closeWaitLab);
        assertFalse(Files.exists(injected), "the text after ';' must never run");
        assertEquals(hosts, Sql.count("SELECT count(*) FROM host"), "no host was added");
    }

    @Test
    @Order(1)
    void aWrongPasswordIsRefusedBeforeAnythingIsCreated() {
        Commands.Result result = scriptWithPassword("not the password", up(closeWaitLab, "close-wait", 9080));
        assertEquals(1, result.exitCode(), result.describe());
        assertTrue(result.stderr().contains("refused user admin and that password"), result.stderr());
        assertNothingExists(closeWaitLab);
    }

    @Test
    @Order(1)
    void downOnALabThatDoesNotExistSaysSoAndSucceeds() {
        Commands.Result result = script("down", "--name", closeWaitLab);
        assertEquals(0, result.exitCode(), result.describe());
        assertTrue(result.stdout().contains("No lab named " + closeWaitLab + " on this machine; nothing to remove."),
                result.stdout());
    }

    @Test
    @Order(2)
    void upRegistersTheLabAndLingerSeesItsCloseWaitLeak() {
        Commands.Result result = script(up(closeWaitLab, "close-wait", 9080));
        assertEquals(0, result.exitCode(), result.describe());
        assertTrue(result.stdout().contains("Lab " + closeWaitLab + " is up."), result.stdout());
        assertTrue(result.stdout().contains("CLOSE_WAIT_LEAK :9080 CRITICAL"), "up lists the incident it opened: "
                + result.stdout());
        closeWaitState = state(closeWaitLab);

        JsonPath host = hostNamed("llab-" + closeWaitLab);
        closeWaitHostId = host.getLong("id");
        assertEquals(closeWaitState.get("address"), host.getString("address"));
        assertTrue(host.getString("address").matches("198\\.18\\.\\d+\\.2"), host.getString("address"));
        assertEquals("TRUSTED", host.getString("hostKey.status"));
        assertEquals(closeWaitState.get("fingerprint"), host.getString("hostKey.fingerprint"),
                "Linger trusts the key the lab generated, no other");

        // A collection now, the way an on-call person presses "Collect now", sees the real sockets.
        admin().post("/api/v1/hosts/" + closeWaitHostId + "/collect").then().statusCode(200).body("ok", equalTo(true));
        JsonPath snapshot = admin().get("/api/v1/hosts/" + closeWaitHostId + "/snapshots/latest").then()
                .statusCode(200).extract().jsonPath();
        List<Map<String, Object>> stuck = snapshot.getList(
                "sockets.findAll { it.state == 'CLOSE-WAIT' && it.local == '127.0.0.1:9080' }");
        assertEquals(12, stuck.size(), "the lab's default count: " + stuck);
        assertTrue(stuck.stream().allMatch(s -> ((Number) s.get("recvQ")).longValue() > 0), "unread bytes: " + stuck);

        JsonPath incident = admin().get("/api/v1/incidents?hostId=" + closeWaitHostId + "&kind=CLOSE_WAIT_LEAK")
                .then().statusCode(200).extract().jsonPath().setRootPath("find { it.port == 9080 }");
        assertEquals("OPEN", incident.getString("status"));
        assertEquals("CRITICAL", incident.getString("severity"));
        assertTrue(incident.getString("explanation").contains("llab-faults (pid " + closeWaitState.get("fault_pid")
                + ")"), incident.getString("explanation"));
    }

    @Test
    @Order(3)
    void upTwiceSaysTheLabExistsAndChangesNothing() {
        long hosts = Sql.count("SELECT count(*) FROM host");
        Commands.Result result = script(up(closeWaitLab, "fin-wait1", 9081));
        assertEquals(1, result.exitCode(), result.describe());
        assertTrue(result.stderr().contains("lab " + closeWaitLab + " already exists"), result.stderr());
        assertEquals(hosts, Sql.count("SELECT count(*) FROM host"));
        assertEquals(closeWaitState, state(closeWaitLab), "the running lab is untouched");
        assertTrue(alive(closeWaitState.get("fault_machine_pid")), "its fault still runs");
    }

    @Test
    @Order(4)
    void statusShowsTheLabAndTheSocketsOnItsPort() {
        Commands.Result result = script("status", "--name", closeWaitLab);
        assertEquals(0, result.exitCode(), result.describe());
        assertTrue(result.stdout().contains("namespace llab-" + closeWaitLab + " present"), result.stdout());
        assertTrue(result.stdout().contains("CLOSE-WAIT 12"), result.stdout());
        assertTrue(result.stdout().contains("id " + closeWaitHostId), result.stdout());
    }

    @Test
    @Order(5)
    void downRemovesTheHostFromLingerAndEverythingFromTheMachine() {
        Commands.Result result = script("down", "--name", closeWaitLab);
        assertEquals(0, result.exitCode(), result.describe());
        assertTrue(result.stdout().contains("Removed host llab-" + closeWaitLab + " (id " + closeWaitHostId
                + ") from Linger."), result.stdout());

        // removed hosts are archived for their incidents' history (issue 12 item 14)
        admin().get("/api/v1/hosts/" + closeWaitHostId).then().statusCode(200)
                .body("archivedAt", org.hamcrest.Matchers.notNullValue());
        assertEquals(0, Sql.count("SELECT count(*) FROM incident WHERE host_id = ? AND status <> 'RESOLVED'",
                closeWaitHostId), "no incident stays open for a host that is gone");
        assertNothingExists(closeWaitLab);
        assertGone(closeWaitState.get("fault_machine_pid"), "the fault");
        assertGone(closeWaitState.get("sshd_machine_pid"), "the lab's sshd");
        assertGone(closeWaitState.get("init_machine_pid"), "the lab's init (its PID namespace)");
        assertKeeperEnded(closeWaitState.get("keeper_machine_pid"));

        Commands.Result again = script("down", "--name", closeWaitLab);
        assertEquals(0, again.exitCode(), again.describe());
        assertTrue(again.stdout().contains("nothing to remove"), again.stdout());
    }

    @Test
    @Order(6)
    void aDefunctLeaderLabOpensDefunctOwnerAndDownEndsTheWholeProcess() {
        Commands.Result result = script(up(defunctLab, "defunct-leader", 9082));
        assertEquals(0, result.exitCode(), result.describe());
        Map<String, String> lab = state(defunctLab);
        long hostId = hostNamed("llab-" + defunctLab).getLong("id");
        assertEquals("Z", processState(lab.get("fault_machine_pid")),
                "the leader is defunct while its thread holds sockets");

        JsonPath incident = admin().get("/api/v1/incidents?hostId=" + hostId + "&kind=DEFUNCT_OWNER").then()
                .statusCode(200).extract().jsonPath().setRootPath("find { it.port == 9082 }");
        assertEquals("OPEN", incident.getString("status"));
        assertEquals(lab.get("fault_pid"), incident.getString("evidence.pid"));
        assertEquals(lab.get("keeper_pid"), incident.getString("evidence.ppid"),
                "the lab's keeper is the parent, not PID 1: it reaps the fault once it ends");

        Commands.Result down = script("down", "--name", defunctLab);
        assertEquals(0, down.exitCode(), down.describe());
        admin().get("/api/v1/hosts/" + hostId).then().statusCode(200)
                .body("archivedAt", org.hamcrest.Matchers.notNullValue());
        assertNothingExists(defunctLab);
        assertGone(lab.get("fault_machine_pid"), "the defunct leader and its live thread");
        assertKeeperEnded(lab.get("keeper_machine_pid"));
    }

    @Test
    @Order(7)
    void inContainerRunsTheFaultInADockerShapedContainerInsideTheLab() throws IOException {
        List<String> args = new ArrayList<>(List.of(up(containerLab, "close-wait", 9083)));
        args.addAll(List.of("--in-container", "--hostname", "checkout-7d9f"));
        Commands.Result result = script(args.toArray(String[]::new));
        assertEquals(0, result.exitCode(), result.describe());
        Map<String, String> lab = state(containerLab);
        String id = lab.get("container_id");
        assertTrue(id != null && id.matches("[0-9a-f]{64}"), "a Docker-like id: " + lab);
        String cgroupPath = "/system.slice/docker-" + id + ".scope";
        assertEquals(cgroupPath, lab.get("cgroup"));
        assertTrue(result.stdout().contains("inside container " + id.substring(0, 12) + " (hostname checkout-7d9f)"),
                result.stdout());

        String fault = lab.get("fault_machine_pid");
        String cgroups = Files.readString(Path.of("/proc", fault, "cgroup"));
        assertTrue(cgroups.contains("name=systemd:" + cgroupPath + "\n") && cgroups.contains("0::" + cgroupPath + "\n"),
                cgroups);
        String labNetns = "net:[" + Files.getAttribute(Path.of("/run/netns/llab-" + containerLab), "unix:ino") + "]";
        String containerNetns = Files.readSymbolicLink(Path.of("/proc", fault, "ns/net")).toString();
        assertNotEquals(labNetns, containerNetns, "the container has a network namespace of its own");
        assertEquals(containerNetns, lab.get("container_netns"));
        assertEquals("checkout-7d9f", Commands.check(List.of("nsenter", "--uts=/proc/" + fault + "/ns/uts",
                "hostname")).strip());
        String status = Files.readString(Path.of("/proc", fault, "status"));
        assertTrue(status.lines().anyMatch(line -> line.matches("NSpid:\\s+" + fault + "\\s+" + lab.get("fault_pid"))),
                "the fault runs in the lab's PID namespace: " + status);

        assertEquals(12, closeWaitOn(Files.readString(Path.of("/proc", fault, "net/tcp")), 9083),
                "the container's table has the leak");
        assertEquals(0, closeWaitOn(Commands.check(List.of("ip", "netns", "exec", "llab-" + containerLab, "cat",
                "/proc/net/tcp")), 9083), "the lab's own table does not");
        Commands.Result shown = script("status", "--name", containerLab);
        assertTrue(shown.stdout().contains("in container " + id.substring(0, 12)) && shown.stdout()
                .contains("CLOSE-WAIT 12"), shown.stdout());

        Commands.Result down = script("down", "--name", containerLab);
        assertEquals(0, down.exitCode(), down.describe());
        assertNothingExists(containerLab);
        assertGone(fault, "the container's fault");
        assertGone(lab.get("init_machine_pid"), "the lab's init");
        for (String root : List.of("/sys/fs/cgroup/systemd", "/sys/fs/cgroup/unified")) {
            assertFalse(Files.exists(Path.of(root + cgroupPath)), root + cgroupPath + " remains");
        }
    }

    // ---- helpers

    /** CLOSE-WAIT (state 08) lines of a /proc/net/tcp table on the local port. */
    private static long closeWaitOn(String table, int port) {
        String local = String.format(":%04X", port);
        return table.lines().skip(1).map(line -> line.strip().split("\\s+"))
                .filter(f -> f.length > 3 && f[1].endsWith(local) && f[3].equals("08")).count();
    }

    private String[] up(String name, String fault, int port) {
        return new String[] {"up", "--fault", fault, "--name", name, "--port", Integer.toString(port), "--linger",
                linger.toString(), "--user", TestUsers.ADMIN, "--ssh-key", LingerTestKey.PRIVATE.toString()};
    }

    private static Commands.Result script(String... args) {
        return scriptWithPassword(TestUsers.ADMIN_PASSWORD, args);
    }

    private static Commands.Result scriptWithPassword(String password, String... args) {
        List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
        command.addAll(List.of(args));
        Map<String, String> environment = new HashMap<>();
        environment.put("LINGER_PASSWORD", password);
        return Commands.run(command, environment, SCRIPT_TIMEOUT);
    }

    private static JsonPath hostNamed(String name) {
        return admin().get("/api/v1/hosts").then().statusCode(200).extract().jsonPath()
                .setRootPath("find { it.name == '" + name + "' }");
    }

    /** The lab's own record, /run/llab/NAME/lab.env. */
    private static Map<String, String> state(String name) {
        Map<String, String> state = new HashMap<>();
        try {
            for (String line : Files.readAllLines(RUN_DIR.resolve(name).resolve("lab.env"))) {
                int equals = line.indexOf('=');
                if (equals > 0) {
                    state.put(line.substring(0, equals), line.substring(equals + 1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("The lab " + name + " has no state file", e);
        }
        for (String key : List.of("address", "fingerprint", "fault_pid", "sshd_pid", "keeper_pid", "host_id",
                "fault_machine_pid", "sshd_machine_pid", "keeper_machine_pid", "init_machine_pid")) {
            assertTrue(state.containsKey(key), key + " missing from the lab's state: " + state);
        }
        return state;
    }

    private static void assertNothingExists(String name) {
        String namespace = "llab-" + name;
        assertFalse(namespaces().contains(namespace), "namespace " + namespace + " exists");
        assertFalse(Commands.run(List.of("ip", "link", "show", "dev", namespace), Commands.DEFAULT_TIMEOUT)
                .succeeded(), "veth " + namespace + " exists");
        assertFalse(Files.exists(RUN_DIR.resolve(name)), RUN_DIR.resolve(name) + " exists");
        // a removed host stays archived for its history (issue 12 item 14): none is left that Linger collects
        assertEquals(0, Sql.count("SELECT count(*) FROM host WHERE name = ? AND archived_at IS NULL", namespace),
                "host " + namespace + " is still registered");
    }

    /** Gone for good: not merely killed but reaped, so no <defunct> entry is left behind. */
    private static void assertGone(String pid, String what) {
        assertEquals("gone", processState(pid), what + " (pid " + pid + ") is still there");
    }

    /**
     * The keeper exits once its children are gone. Its own parent is whatever adopted it (PID 1 here), and a PID 1
     * that does not reap leaves it as a zombie: that holds nothing, but it must not be running.
     */
    private static void assertKeeperEnded(String pid) {
        Waits.upTo(Duration.ofSeconds(5), "keeper " + pid + " gone or a zombie").until(() -> processState(pid),
                state -> List.of("gone", "Z").contains(state));
    }

    private static boolean alive(String pid) {
        String state = processState(pid);
        return !state.equals("gone") && !state.equals("Z");
    }

    /** The state letter from /proc/PID/stat, or "gone". */
    private static String processState(String pid) {
        try {
            String stat = Files.readString(Path.of("/proc", pid, "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
        } catch (IOException e) {
            return "gone";
        }
    }

    private static List<String> namespaces() {
        return Commands.check(List.of("ip", "netns", "list")).lines().map(String::strip).filter(l -> !l.isEmpty())
                .map(l -> l.split("\\s+")[0]).toList();
    }

    private static String randomHex() {
        return HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt(0x10000));
    }
}
