package dev.linger.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Containers on this machine (LOCAL) and inside a lab host are what Linger will meet on a Docker host or a
 * Kubernetes node: their own network and UTS namespaces, a runtime's cgroup path, sockets invisible from the host's
 * own table. And lab hosts are machines of their own: their /proc shows their processes only.
 */
class ContainerTest {

    private static final String TCP_CLOSE_WAIT = "08";

    private static LabHost lab;

    @BeforeAll
    static void startLab() {
        LabHost.unavailableReason().ifPresent(reason -> fail(reason));
        lab = LabHost.start("ctrtest");
    }

    @AfterAll
    static void closeLab() {
        if (lab != null) {
            lab.close();
        }
    }

    // ---- LOCAL

    @Test
    void aLocalContainerHasItsOwnNetworkNamespaceHostnameAndDockerCgroup() throws IOException {
        String machineHostname = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        try (Container c = Container.onLocal("checkout-7d9f", Container.Shape.docker())) {
            assertEquals(c.pid(), c.machinePid(), "on LOCAL the collector sees the machine's pids");
            assertNotEquals(Pids.namespaceInode(ProcessHandle.current().pid(), "net"), c.netnsInode());
            assertTrue(c.netnsInode() > 0);
            assertEquals("checkout-7d9f", c.exec("hostname").strip());
            assertEquals(machineHostname, Files.readString(Path.of("/proc/sys/kernel/hostname")).strip(),
                    "the machine keeps its hostname");
            assertTrue(c.containerId().matches("[0-9a-f]{64}"), c.containerId());
            String cgroup = Files.readString(Path.of("/proc", Long.toString(c.pid()), "cgroup"));
            String path = "/system.slice/docker-" + c.containerId() + ".scope";
            assertEquals(path, c.cgroupPath());
            assertTrue(cgroup.lines().anyMatch(line -> line.matches("\\d+:name=systemd:" + path)), cgroup);
            assertTrue(cgroup.lines().anyMatch(line -> line.equals("0::" + path)), cgroup);
            assertEquals("lo", c.exec("ip", "-o", "link", "show", "up").split(":")[1].strip(),
                    "only loopback, up (faults use 127.0.0.1)");
        }
    }

    @Test
    void aCloseWaitLeakInsideALocalContainerIsInItsTableNotTheHosts() throws IOException {
        try (Container c = Container.onLocal("leaky-" + suffix(), Container.Shape.docker())) {
            Fault leak = c.closeWait(7091, 12);
            assertEquals(12, closeWaitLines(Files.readString(Path.of("/proc", Long.toString(c.pid()), "net/tcp")),
                    7091).size());
            assertEquals(0, closeWaitLines(Files.readString(Path.of("/proc/net/tcp")), 7091).size(),
                    "the machine's own table does not show them (design.md fact 8)");
            String faultCgroup = Files.readString(Path.of("/proc", Long.toString(leak.machinePid()), "cgroup"));
            assertTrue(faultCgroup.contains("0::" + c.cgroupPath()), "the leaking process is in the container: "
                    + faultCgroup);
            assertEquals(c.netnsInode(), Pids.namespaceInode(leak.machinePid(), "net"));
            List<String> lines = closeWaitLines(Files.readString(Path.of("/proc", Long.toString(c.pid()),
                    "net/tcp")), 7091);
            // tx_queue:rx_queue is field 4; the bytes the server never read are 7 plus the FIN
            assertTrue(lines.stream().allMatch(line -> !line.split("\\s+")[4].endsWith(":00000000")), lines.toString());
        }
    }

    @Test
    void theSamePortCanLeakInTwoContainersAndSsKillInOneSparesTheOther() throws IOException {
        try (Container a = Container.onLocal("twin-a", Container.Shape.docker());
                Container b = Container.onLocal("twin-b", Container.Shape.docker())) {
            a.closeWait(7092, 3);
            b.closeWait(7092, 2);
            a.exec("ss", "-K", "state", "close-wait", "( sport = :7092 )");
            assertEquals(0, closeWaitLines(Files.readString(Path.of("/proc", Long.toString(a.pid()), "net/tcp")),
                    7092).size());
            assertEquals(2, closeWaitLines(Files.readString(Path.of("/proc", Long.toString(b.pid()), "net/tcp")),
                    7092).size(), "the other container's sockets on the same port stay");
        }
    }

    @Test
    void aPodShapedContainerSitsUnderKubepodsWithItsUid() throws IOException {
        String uid = Container.Shape.randomPodUid();
        try (Container c = Container.onLocal("checkout-7d9f-x2l", Container.Shape.pod(uid))) {
            assertEquals(uid, c.podUid());
            String path = "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" + uid.replace('-', '_')
                    + ".slice/cri-containerd-" + c.containerId() + ".scope";
            String cgroup = Files.readString(Path.of("/proc", Long.toString(c.pid()), "cgroup"));
            assertTrue(cgroup.contains("name=systemd:" + path + "\n") && cgroup.contains("0::" + path + "\n"), cgroup);
        }
    }

    @Test
    void anUnknownContainerHasNoCgroupOfItsOwnAndAnyHostnameIsKept() throws IOException {
        String hostile = "<b>x</b>'\"&;$(id)";
        try (Container c = Container.onLocal(hostile, Container.Shape.none())) {
            assertEquals(null, c.containerId());
            assertEquals(hostile, c.exec("cat", "/proc/sys/kernel/hostname").strip());
            String own = Files.readString(Path.of("/proc/self/cgroup"));
            assertEquals(own, Files.readString(Path.of("/proc", Long.toString(c.pid()), "cgroup")));
        }
        assertThrows(IllegalArgumentException.class, () -> Container.onLocal("x".repeat(65), Container.Shape.none()));
        assertThrows(IllegalArgumentException.class, () -> Container.Shape.docker("not-hex"));
        assertThrows(IllegalArgumentException.class, () -> Container.Shape.cgroup("/a/../../etc", null));
    }

    @Test
    void aRestartedContainerKeepsItsIdAndHostnameButGetsANewNamespace() throws IOException {
        Container first = lab.container("restarts-" + suffix(), Container.Shape.docker());
        // An open nsfs file keeps the first namespace alive, so the kernel cannot hand its inode straight to the
        // second one (it does reuse a freed inode at once: seen here, and why jobs pin a namespace by boot and time).
        try (var keep = java.nio.channels.FileChannel.open(java.nio.file.Path.of("/proc/" + first.machinePid() + "/ns/net"));
                Container second = first.restarted()) {
            assertThrows(IllegalStateException.class, () -> first.exec("true"), "the first one is gone");
            assertEquals(first.containerId(), second.containerId());
            assertEquals(first.hostname(), second.exec("hostname").strip());
            assertNotEquals(first.netnsInode(), second.netnsInode());
            assertTrue(lab.exec("cat", "/proc/" + second.pid() + "/cgroup")
                    .contains("0::" + first.cgroupPath() + "\n"));
        }
    }

    @Test
    void closingALocalContainerLeavesNoProcessCgroupOrNamespace() {
        Container c = Container.onLocal("gone-" + suffix(), Container.Shape.pod(Container.Shape.randomPodUid()));
        Fault fault = c.finWait1(7093, 2);
        List<Path> dirs = Container.CGROUP_ROOTS.stream().map(root -> root.resolve(c.cgroupPath().substring(1)))
                .collect(Collectors.toList());
        assertTrue(dirs.stream().allMatch(Files::isDirectory), dirs.toString());

        c.close();

        assertFalse(ProcessHandle.of(c.machinePid()).isPresent(), "container process gone");
        assertFalse(ProcessHandle.of(fault.machinePid()).isPresent(), "fault gone");
        assertTrue(dirs.stream().noneMatch(Files::exists), "cgroups removed: " + dirs);
        for (Path dir : dirs) {
            assertFalse(Files.exists(dir.getParent()), "the pod's slice, empty now, goes too: " + dir.getParent());
        }
        assertTrue(processesIn(c.netnsInode()).isEmpty(), "nothing left in the namespace");
        c.close(); // idempotent
        assertThrows(IllegalStateException.class, () -> c.exec("true"));
    }

    @Test
    void whatAJvmThatDiedLeftBehindIsRemovedByTheNext() throws Exception {
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        Process orphan = new ProcessBuilder("sleep", "60").start(); // stands for a container the dead JVM left
        String path = "/system.slice/docker-" + Container.Shape.randomId() + ".scope";
        List<Path> dirs = Container.CGROUP_ROOTS.stream().map(root -> root.resolve(path.substring(1)))
                .collect(Collectors.toList());
        Path record = Path.of("/run/linger-lab/containers", dead.pid() + "-" + orphan.pid());
        try {
            for (Path dir : dirs) {
                Files.createDirectories(dir);
                Files.writeString(dir.resolve("cgroup.procs"), Long.toString(orphan.pid()));
            }
            Files.createDirectories(record.getParent());
            String start = orphan.toHandle().info().startInstant().orElseThrow().toString();
            Files.writeString(record, "owner.pid=" + dead.pid() + "\nowner.start=gone\ncgroups="
                    + dirs.stream().map(Path::toString).collect(Collectors.joining(":")) + "\npids=" + orphan.pid()
                    + "@" + start + "\n");

            LabHost.underLabLock(() -> {
                Container.removeStaleLocked();
                return null;
            });

            assertTrue(orphan.waitFor(5, java.util.concurrent.TimeUnit.SECONDS), "the left-behind process is killed");
            assertTrue(dirs.stream().noneMatch(Files::exists), "its cgroups are removed: " + dirs);
            assertFalse(Files.exists(record), "and the record");
        } finally {
            orphan.destroyForcibly();
            orphan.waitFor();
            for (Path dir : dirs) {
                Files.deleteIfExists(dir);
            }
            Files.deleteIfExists(record);
        }
    }

    // ---- in a lab host

    @Test
    void aContainerInALabHostIsSeenByTheLabAndLeaksOnlyIntoItsOwnTable() {
        try (Container c = lab.container("shop-cart-" + suffix(), Container.Shape.docker())) {
            assertNotEquals(c.machinePid(), c.pid(), "the lab's pid, as the lab's collector sees it");
            assertEquals(c.pid(), Pids.innermost(c.machinePid()));
            String labNetns = lab.exec("readlink", "/proc/self/ns/net").strip();
            String containerNetns = lab.exec("readlink", "/proc/" + c.pid() + "/ns/net").strip();
            assertEquals("net:[" + c.netnsInode() + "]", containerNetns);
            assertNotEquals(labNetns, containerNetns);
            assertEquals(c.hostname(), c.exec("hostname").strip());
            assertTrue(lab.exec("cat", "/proc/" + c.pid() + "/cgroup").contains("0::" + c.cgroupPath() + "\n"));

            Fault leak = c.closeWait(9080, 12);
            assertEquals(12, closeWaitLines(lab.exec("cat", "/proc/" + c.pid() + "/net/tcp"), 9080).size());
            assertEquals(0, closeWaitLines(lab.exec("cat", "/proc/net/tcp"), 9080).size(),
                    "not in the lab host's own table");
            assertEquals(0, closeWaitLines(lab.exec("cat", "/proc/1/net/tcp"), 9080).size());
            // the leaking process as the lab sees it: in the container's namespace and cgroup, with a parent
            String status = lab.exec("cat", "/proc/" + leak.pid() + "/status");
            assertTrue(status.lines().anyMatch(line -> line.matches("PPid:\\s+[1-9]\\d*")), status);
            assertTrue(lab.exec("cat", "/proc/" + leak.pid() + "/cgroup").contains("0::" + c.cgroupPath() + "\n"));
            assertEquals(containerNetns, lab.exec("readlink", "/proc/" + leak.pid() + "/ns/net").strip());
        }
    }

    @Test
    void inALabHostTheSamePortLeaksInTwoContainersAndAPodShowsItsUid() {
        String uid = Container.Shape.randomPodUid();
        try (Container pod = lab.container("checkout-7d9f-x2l", Container.Shape.pod(uid));
                Container other = lab.container("legacy-" + suffix(), Container.Shape.docker())) {
            pod.closeWait(9090, 3);
            other.closeWait(9090, 2);
            lab.closeWait(9090, 1).close(); // the lab host's own :9090 is free too: three separate tables
            assertTrue(lab.exec("cat", "/proc/" + pod.pid() + "/cgroup").contains("kubepods-besteffort-pod"
                    + uid.replace('-', '_') + ".slice/cri-containerd-" + pod.containerId() + ".scope\n"));
            pod.exec("ss", "-K", "state", "close-wait", "( sport = :9090 )");
            assertEquals(0, closeWaitLines(lab.exec("cat", "/proc/" + pod.pid() + "/net/tcp"), 9090).size());
            assertEquals(2, closeWaitLines(lab.exec("cat", "/proc/" + other.pid() + "/net/tcp"), 9090).size(),
                    "ss -K inside one container spares the same port in another");
        }
    }

    @Test
    void aLabHostSeesOnlyItsOwnProcessesOverSsh() {
        try (Container c = lab.container("web-" + suffix(), Container.Shape.none())) {
            Set<Long> pids = Arrays.stream(ssh("ls /proc").split("\\s+"))
                    .filter(name -> name.matches("\\d+")).map(Long::parseLong).collect(Collectors.toSet());
            assertTrue(pids.contains(1L) && pids.contains(c.pid()), pids.toString());
            assertEquals("keeper", ssh("cat /proc/1/comm").strip(), "the lab's init");
            long machineProcesses;
            try (var stream = Files.list(Path.of("/proc"))) {
                machineProcesses = stream.filter(p -> p.getFileName().toString().matches("\\d+")).count();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            assertTrue(pids.size() < 30 && pids.size() < machineProcesses, pids + " vs " + machineProcesses);
            String commands = ssh("cat /proc/[0-9]*/comm 2>/dev/null || true");
            assertFalse(commands.contains("java"), "the test JVM is not in the lab: " + commands);
        }
    }

    @Test
    void closingALabHostKillsItsPidNamespaceAndRemovesItsContainers() {
        LabHost doomed = LabHost.start("ctrclose");
        Container c = doomed.container("doomed-" + suffix(), Container.Shape.docker());
        Fault fault = c.closeWait(9085, 2);
        LabHost.Crowd crowd = doomed.crowd(5);
        assertEquals(5, crowd.namespaces().size());
        long init = doomed.initPid();
        List<Path> dirs = Container.CGROUP_ROOTS.stream().map(root -> root.resolve(c.cgroupPath().substring(1)))
                .collect(Collectors.toList());

        doomed.close();

        assertFalse(ProcessHandle.of(init).isPresent(), "the lab's init is gone");
        assertFalse(ProcessHandle.of(c.machinePid()).isPresent());
        assertFalse(ProcessHandle.of(fault.machinePid()).isPresent());
        assertTrue(dirs.stream().noneMatch(Files::exists), "cgroups removed: " + dirs);
        assertTrue(processesIn(c.netnsInode()).isEmpty());
    }

    @Test
    void aCrowdMakesManyEmptyNamespacesInALabHostAndTakesThemAway() {
        try (LabHost.Crowd crowd = lab.crowd(50)) {
            Set<Long> namespaces = crowd.namespaces();
            assertEquals(50, namespaces.size());
            // a process may end between the glob and its readlink
            String links = lab.exec("sh", "-c", "readlink /proc/[0-9]*/ns/net 2>/dev/null || true");
            Set<String> seenByLab = Arrays.stream(links.split("\n"))
                    .map(String::strip).collect(Collectors.toSet());
            assertTrue(seenByLab.containsAll(namespaces.stream().map(i -> "net:[" + i + "]").toList()));
            crowd.close();
            assertTrue(crowd.namespaces().isEmpty());
            assertTrue(namespaces.stream().allMatch(inode -> processesIn(inode).isEmpty()));
        }
    }

    // ---- helpers

    /** Lines of a /proc/net/tcp table in CLOSE-WAIT on the local port. */
    private static List<String> closeWaitLines(String table, int port) {
        String localPort = String.format(":%04X", port);
        return table.lines().skip(1).map(String::strip)
                .filter(line -> {
                    String[] fields = line.split("\\s+");
                    return fields.length > 3 && fields[1].endsWith(localPort) && fields[3].equals(TCP_CLOSE_WAIT);
                })
                .collect(Collectors.toList());
    }

    private static List<Long> processesIn(long netnsInode) {
        String want = "net:[" + netnsInode + "]";
        try (var stream = Files.list(Path.of("/proc"))) {
            return stream.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .filter(p -> {
                        try {
                            return Files.readSymbolicLink(p.resolve("ns/net")).toString().equals(want);
                        } catch (IOException gone) {
                            return false;
                        }
                    })
                    .map(p -> Long.parseLong(p.getFileName().toString()))
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String suffix() {
        return Long.toHexString(System.nanoTime() & 0xffff);
    }

    private static String ssh(String remoteCommand) {
        return Commands.check(List.of("ssh", "-i", lab.clientKey().toString(),
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes",
                "-o", "IdentitiesOnly=yes", "-o", "ConnectTimeout=5", "-o", "LogLevel=ERROR",
                "-p", Integer.toString(lab.sshPort()), lab.user() + "@" + lab.address(), remoteCommand));
    }
}
