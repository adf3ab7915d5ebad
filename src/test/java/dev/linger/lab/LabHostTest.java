package dev.linger.lab;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.linger.Waits;

/**
 * Proves that the lab produces what the tests built on it rely on: a reachable sshd with key login, and real
 * kernel sockets in each state. Needs root; without it every test fails with the reason, so a CI image that
 * cannot run the lab shows red instead of skipping silently.
 */
class LabHostTest {

    /** The kernel may finish a state a moment after the generator reports ready (e.g. a window closing). */
    private static final Duration SETTLE = Duration.ofSeconds(10);

    private static LabHost host;

    @BeforeAll
    static void startHost() {
        LabHost.unavailableReason().ifPresent(reason -> fail(reason));
        if (Commands.findExecutable("ssh").isEmpty() || Commands.findExecutable("ssh-keyscan").isEmpty()) {
            fail("LabHostTest logs in with ssh and ssh-keyscan; install openssh-client");
        }
        host = LabHost.start("labtest");
    }

    @AfterAll
    static void closeHost() {
        if (host != null) {
            host.close();
        }
    }

    @Test
    void sshLogsInAsRootWithTheClientKey() {
        assertEquals("ok", ssh("echo ok").strip());
        assertEquals(22, host.sshPort());
        assertEquals("root", host.user());
        assertTrue(host.namespace().matches("lgr-labtest-[0-9a-f]{4}"), host.namespace());
    }

    @Test
    void sshSessionsSeeTheNamespaceNotTheMachine() {
        String addresses = ssh("ip -o -4 addr show");
        assertTrue(addresses.contains(host.address() + "/30"), addresses);
        for (String line : addresses.strip().split("\n")) {
            String device = line.split("\\s+")[1];
            assertTrue(device.equals("lo") || device.startsWith("lgr"),
                    "the session must see only the namespace's interfaces, not " + device + ": " + addresses);
        }
    }

    @Test
    void closeWaitLeavesUnreadDataInCloseWait() {
        try (Fault fault = host.closeWait(9080, 5)) {
            List<String> sockets = awaitLines("5 CLOSE-WAIT sockets on :9080 with unread bytes", () -> host.exec("ss",
                    "-Htn", "state", "close-wait", "sport", "=", ":9080"),
                    lines -> lines.size() == 5 && lines.stream().allMatch(line -> column(line, 0) > 0));
            assertEquals(5, sockets.size(), String.join("\n", sockets));
            assertTrue(fault.pid() > 0);
        }
    }

    @Test
    void finWait1LeavesOrphansWithUnsentDataAndAPersistTimer() {
        try (Fault fault = host.finWait1(9081, 3)) {
            // -p: an orphan has no owning process, so its line carries no users:(...) part.
            List<String> sockets = awaitLines("3 FIN-WAIT-1 sockets on :9081 on their persist timer",
                    () -> host.exec("ss", "-Htnpo", "state", "fin-wait-1", "sport", "=", ":9081"),
                    lines -> lines.size() == 3 && lines.stream().allMatch(line -> line.contains("timer:(persist,")));
            for (String line : sockets) {
                assertTrue(column(line, 1) > 0, "Send-Q should be > 0: " + line);
                assertFalse(line.contains("users:("), "should be orphaned while its creator " + fault.pid()
                        + " still runs: " + line);
            }
        }
    }

    @Test
    void defunctLeavesAZombieLeaderWhoseThreadHoldsTheSockets() {
        try (Fault fault = host.defunct(9082, 2)) {
            Path stat = Path.of("/proc", Long.toString(fault.machinePid()), "stat");
            List<String> fields = awaitLines("a zombie leader (Z) with 2 threads", () -> statFields(stat),
                    lines -> lines.get(0).equals("Z") && lines.get(17).equals("2"));
            assertEquals("Z", fields.get(0), "state of the leader");
            assertEquals("2", fields.get(17), "num_threads: the zombie leader and the holder thread");
            List<String> sockets = awaitLines("2 CLOSE-WAIT sockets on :9082", () -> host.exec("ss", "-Htn", "state",
                    "close-wait", "sport", "=", ":9082"), lines -> lines.size() == 2);
            assertEquals(2, sockets.size());
        }
    }

    @Test
    void establishedHoldsBothEndsOfEachConnection() {
        try (Fault fault = host.established(9083, 4)) {
            List<String> sockets = awaitLines("8 ESTABLISHED ends on :9083", () -> host.exec("ss", "-Htnp", "state",
                    "established", "( sport = :9083 or dport = :9083 )"), lines -> lines.size() == 8);
            assertEquals(8, sockets.size(), String.join("\n", sockets));
            for (String line : sockets) {
                assertTrue(line.contains("pid=" + fault.pid() + ","), "owned by the fault: " + line);
            }
        }
    }

    @Test
    void setSysctlChangesOnlyTheNamespace() throws IOException {
        String machineValue = Files.readString(Path.of("/proc/sys/net/ipv4/tcp_fin_timeout")).strip();
        String labValue = machineValue.equals("17") ? "18" : "17";
        host.setSysctl("net.ipv4.tcp_fin_timeout", labValue);
        assertEquals(labValue, host.exec("cat", "/proc/sys/net/ipv4/tcp_fin_timeout").strip());
        assertEquals(machineValue, Files.readString(Path.of("/proc/sys/net/ipv4/tcp_fin_timeout")).strip());
        assertThrows(IllegalArgumentException.class, () -> host.setSysctl("kernel.pid_max", "4194304"));
    }

    @Test
    void replaceHostKeyChangesTheKeySshdServes() throws IOException {
        String before = host.hostKeyFingerprint();
        assertEquals(before, servedFingerprint());
        host.replaceHostKey();
        assertNotEquals(before, host.hostKeyFingerprint());
        assertTrue(host.hostKeyFingerprint().startsWith("SHA256:"), host.hostKeyFingerprint());
        assertEquals(host.hostKeyFingerprint(), servedFingerprint());
        assertEquals("ok", ssh("echo ok").strip());
    }

    @Test
    void stoppedSshRefusesConnectionsUntilStartedAgain() throws IOException {
        host.stopSsh();
        try {
            assertThrows(ConnectException.class, () -> connect().close());
        } finally {
            host.startSsh();
        }
        assertEquals("ok", ssh("echo ok").strip());
    }

    @Test
    void frozenSshAcceptsButNeverGreets() throws IOException {
        host.freezeSsh();
        try (Socket socket = connect()) {
            socket.setSoTimeout(1500);
            assertThrows(SocketTimeoutException.class, () -> socket.getInputStream().read());
        } finally {
            host.thawSsh();
        }
        try (Socket socket = connect()) {
            socket.setSoTimeout(5000);
            String banner = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            assertTrue(banner != null && banner.startsWith("SSH-2.0-"), "banner after thaw: " + banner);
        }
    }

    @Test
    void aCleanLoginShellStillLogsInToTheLabsOwnPidNamespace() {
        try (LabHost clean = LabHost.start("labclean")) {
            clean.useCleanLoginShell();
            String sessionPid = Commands.check(List.of("ssh", "-i", clean.clientKey().toString(),
                    "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
                    "-o", "IdentitiesOnly=yes", "-o", "ConnectTimeout=5", "-o", "LogLevel=ERROR",
                    clean.user() + "@" + clean.address(), "wc -c < /root/.bashrc; cat /proc/1/comm")).strip();
            assertEquals("0\nkeeper", sessionPid, "an empty ~/.bashrc, and PID 1 is the lab's init");
        }
    }

    @Test
    void closeRemovesEverythingTheHostCreated() {
        LabHost doomed = LabHost.start("labclose");
        String namespace = doomed.namespace();
        String link = "lgr" + namespace.substring(namespace.length() - 4) + "a";
        Path dir = doomed.clientKey().getParent();
        long faultPid = doomed.defunct(9084, 1).machinePid();
        assertTrue(namespaceNames().contains(namespace));
        assertTrue(Commands.check(List.of("ip", "-o", "link", "show")).contains(link + "@"));

        doomed.close();

        assertFalse(namespaceNames().contains(namespace), "namespace " + namespace + " still listed");
        assertFalse(Commands.check(List.of("ip", "-o", "link", "show")).contains(link + "@"), link + " remains");
        assertFalse(Files.exists(dir), dir + " remains");
        assertFalse(ProcessHandle.of(faultPid).map(ProcessHandle::isAlive).orElse(false), "fault still alive");
        assertDoesNotThrow(doomed::close, "close is idempotent");
        assertThrows(IllegalStateException.class, () -> doomed.exec("true"));
    }

    // ---- helpers

    private static String ssh(String remoteCommand) {
        return Commands.check(List.of("ssh", "-i", host.clientKey().toString(),
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
                "-o", "IdentitiesOnly=yes", "-o", "ConnectTimeout=5", "-o", "LogLevel=ERROR",
                "-p", Integer.toString(host.sshPort()), host.user() + "@" + host.address(), remoteCommand));
    }

    private static String servedFingerprint() throws IOException {
        String scanned = Commands.check(List.of("ssh-keyscan", "-t", "ed25519", "-T", "5", host.address()));
        Path keyFile = Files.createTempFile("linger-lab-scanned-", ".pub");
        try {
            Files.writeString(keyFile, scanned);
            return Commands.check(List.of("ssh-keygen", "-l", "-f", keyFile.toString())).strip().split("\\s+")[1];
        } finally {
            Files.deleteIfExists(keyFile);
        }
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(host.address(), host.sshPort()), 2000);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private static List<String> namespaceNames() {
        List<String> names = new ArrayList<>();
        for (String line : Commands.check(List.of("ip", "netns", "list")).split("\n")) {
            if (!line.isBlank()) {
                names.add(line.strip().split("\\s+")[0]);
            }
        }
        return names;
    }

    /** The fields of /proc/PID/stat after the command name, which may itself contain spaces: [0] is field 3. */
    private static String statFields(Path stat) {
        try {
            String text = Files.readString(stat);
            return String.join("\n", text.substring(text.lastIndexOf(')') + 2).strip().split(" "));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + stat, e);
        }
    }

    /** An ss column as a number: 0 is Recv-Q, 1 is Send-Q (with a state filter ss prints no State column). */
    private static long column(String line, int index) {
        return Long.parseLong(line.strip().split("\\s+")[index]);
    }

    /**
     * Polls a command's output lines until they satisfy the condition and returns them; fails naming {@code what}
     * (and the last lines seen) when they do not within {@link #SETTLE}.
     */
    private static List<String> awaitLines(String what, Supplier<String> output, Predicate<List<String>> condition) {
        return Waits.upTo(SETTLE, what).until(() -> output.get().lines().filter(line -> !line.isBlank()).toList(),
                condition);
    }
}
