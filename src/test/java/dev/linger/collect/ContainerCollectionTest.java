package dev.linger.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import dev.linger.Sql;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Containers on the LOCAL host, as real as they get without a runtime: a process in its own network and UTS
 * namespace (with a hostname), placed in a cgroup named exactly as Docker or Kubernetes name theirs, holding 12
 * CLOSE-WAIT sockets with unread bytes on :7091. Linger collects the machine it runs on and must see them in the
 * container's namespace, named, with owners and the namespace's own sysctls. Needs root (CI runs as root).
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerCollectionTest {

    @Inject
    CollectionService collections;
    @Inject
    SnapshotStore snapshots;

    private final List<FakeContainer> started = new ArrayList<>();
    private long localHost;
    private FakeContainer docker;
    private FakeContainer pod;
    private long dockerInode;

    @BeforeAll
    void start() {
        localHost = Sql.count("SELECT id FROM host WHERE transport = 'LOCAL'");
        String suffix = Long.toString(ProcessHandle.current().pid(), 36);
        docker = track(FakeContainer.start("checkout-" + suffix, 7091, 12,
                "system.slice/docker-" + FakeContainer.randomId() + ".scope"));
        String uid = java.util.UUID.randomUUID().toString();
        pod = track(FakeContainer.start("shop-api-" + suffix, 7092, 3,
                "kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" + uid.replace('-', '_')
                        + ".slice/cri-containerd-" + FakeContainer.randomId() + ".scope"));
        pod.podUid = uid;
    }

    @AfterAll
    void stop() {
        started.forEach(FakeContainer::close);
    }

    @Test
    @Order(1)
    void aContainersStuckSocketsAreInTheStoredSnapshotWithItsNamespace() {
        SnapshotView snapshot = collect();

        NetNamespace ns = namespaceOf(snapshot, docker);
        assertEquals(NetNamespace.Kind.CONTAINER, ns.kind());
        assertEquals(docker.hostname, ns.name(), "named by its hostname");
        assertEquals(docker.hostname, ns.hostname());
        assertEquals(docker.containerId(), ns.containerId());
        assertEquals(docker.containerId().substring(0, 12), ns.shortId());
        assertNull(ns.pod());
        assertTrue(ns.sysctls().containsKey("net.ipv4.tcp_max_orphans"), ns.sysctls().toString());
        assertNull(ns.sysctls().get("net.ipv4.tcp_max_orphans"), "global: absent inside a container's namespace");
        assertEquals("7200", ns.sysctls().get("net.ipv4.tcp_keepalive_time"));
        assertEquals("33", ns.sysctls().get("net.ipv4.tcp_fin_timeout"), "read inside the namespace, not the host's");
        assertNotEquals("33", snapshot.sysctls().get("net.ipv4.tcp_fin_timeout"));
        dockerInode = ns.inode();

        List<CollectorOutput.NotableSocket> stuck = snapshot.sockets().stream()
                .filter(s -> s.netns() == ns.key() && s.state().equals("CLOSE-WAIT") && s.local().equals("127.0.0.1:7091"))
                .toList();
        assertEquals(12, stuck.size());
        for (CollectorOutput.NotableSocket s : stuck) {
            assertEquals(8, s.recvQ(), "7 unread bytes and the FIN");
            assertNotNull(s.owner(), "owners are found across namespaces");
            assertEquals(docker.pid, s.owner().pid());
        }
        assertEquals(12, snapshot.states().stream()
                .filter(c -> c.netns() == ns.key() && c.port() == 7091 && c.state().equals("CLOSE-WAIT"))
                .mapToLong(CollectorOutput.StateCount::count).sum());
        assertEquals(0, snapshot.sockets().stream().filter(s -> s.netns() == 0 && s.local().equals("127.0.0.1:7091"))
                .count(), "the host's own table does not have them");
        assertEquals(NetNamespace.Kind.HOST, snapshot.namespaces().get(0).kind());
        assertEquals(List.of(), snapshot.problems());
    }

    @Test
    @Order(2)
    void aKubernetesShapedCgroupIsAPodWithItsUid() {
        NetNamespace ns = namespaceOf(collect(), pod);

        assertEquals(NetNamespace.Kind.POD, ns.kind());
        assertEquals(pod.podUid, ns.pod());
        assertEquals(pod.containerId(), ns.containerId());
        assertEquals(pod.hostname, ns.name());
    }

    @Test
    @Order(3)
    void ownerHintsFromTheLastSnapshotStillFindOwnersInContainers() {
        List<Integer> hints = QuarkusTransaction.requiringNew().call(() -> snapshots.lastOwnerPids(localHost));
        assertTrue(hints.contains(docker.pid), "the container's process is a hint: " + hints);

        SnapshotView snapshot = collect();

        NetNamespace ns = namespaceOf(snapshot, docker);
        assertEquals(12, snapshot.sockets().stream().filter(s -> s.netns() == ns.key() && s.owner() != null
                && s.owner().pid() == docker.pid).count());
    }

    @Test
    @Order(4)
    void namespacesThatVanishWhileCollectingAreNoError() throws Exception {
        // Short-lived namespaces (unshare'd processes living 0 to 60 ms) churn while Linger collects: some are
        // enumerated and gone before their table or cgroup is read.
        AtomicBoolean churning = new AtomicBoolean(true);
        List<Thread> churners = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread churner = new Thread(() -> {
                int i = 0;
                while (churning.get()) {
                    try {
                        new ProcessBuilder("unshare", "--net", "--uts", "sleep", "0.0" + (i++ % 7))
                                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                                .redirectError(ProcessBuilder.Redirect.DISCARD).start().waitFor();
                    } catch (IOException | InterruptedException e) {
                        return;
                    }
                }
            });
            churner.start();
            churners.add(churner);
        }
        try {
            for (int i = 0; i < 8; i++) {
                SnapshotView snapshot = collect();
                assertEquals(List.of(), snapshot.problems());
                assertEquals(12, snapshot.states().stream().filter(c -> c.netns() == dockerInode && c.port() == 7091
                        && c.state().equals("CLOSE-WAIT")).mapToLong(CollectorOutput.StateCount::count).sum());
            }
        } finally {
            churning.set(false);
            for (Thread churner : churners) {
                churner.join(5000);
            }
        }
    }

    @Test
    @Order(5)
    void aContainerThatRestartedGetsANewNamespaceAndSaysWhichItReplaced() {
        FakeContainer restarted = track(docker.restart());
        docker.close();

        NetNamespace ns = namespaceOf(collect(), restarted);

        assertEquals(docker.containerId(), ns.containerId());
        assertNotEquals(dockerInode, ns.inode());
        assertEquals(dockerInode, ns.replaced());
    }

    // ---- helpers ----

    private FakeContainer track(FakeContainer container) {
        started.add(container);
        return container;
    }

    private SnapshotView collect() {
        var outcome = collections.collectNow(localHost);
        assertTrue(outcome.isPresent() && outcome.get().ok(), "collection failed: " + outcome);
        return QuarkusTransaction.requiringNew().call(() -> snapshots.latest(localHost)).orElseThrow();
    }

    private static NetNamespace namespaceOf(SnapshotView snapshot, FakeContainer container) {
        long inode = container.netnsInode();
        return snapshot.namespaces().stream().filter(ns -> ns.inode() == inode).findFirst()
                .orElseThrow(() -> new AssertionError("namespace " + inode + " of " + container.hostname
                        + " not in the snapshot: " + snapshot.namespaces().stream().map(NetNamespace::name).toList()));
    }

    /**
     * A process in its own network and UTS namespace, in a cgroup with a container runtime's name in both the
     * name=systemd v1 hierarchy and the v2 one, holding N CLOSE-WAIT server sockets with 7 unread bytes each.
     */
    static final class FakeContainer implements AutoCloseable {
        private static final List<Path> HIERARCHIES = List.of(Path.of("/sys/fs/cgroup/systemd"),
                Path.of("/sys/fs/cgroup/unified"));
        private static final String SERVER = """
                use IO::Socket::INET;
                my ($port, $n) = @ARGV;
                my $l = IO::Socket::INET->new(LocalAddr => "127.0.0.1", LocalPort => $port, Listen => 128, ReuseAddr => 1) or die "listen: $!";
                my @held;
                for (1 .. $n) {
                  my $c = IO::Socket::INET->new(PeerAddr => "127.0.0.1", PeerPort => $port) or die "connect: $!";
                  push @held, scalar $l->accept;
                  print $c "1234567"; close $c;
                }
                $| = 1; print "ready $$\\n";
                sleep 3600;
                """;

        final String hostname;
        final int port;
        final int count;
        final String cgroup;
        final Process process;
        final int pid;
        String podUid;
        private final List<Path> dirs = new ArrayList<>();

        private FakeContainer(String hostname, int port, int count, String cgroup) {
            this.hostname = hostname;
            this.port = port;
            this.count = count;
            this.cgroup = cgroup;
            try {
                // the fin timeout is set so a test can tell the namespace's own sysctls from the host's
                process = new ProcessBuilder("unshare", "--net", "--uts", "sh", "-c",
                        "ip link set lo up && hostname \"$1\" && sysctl -q -w net.ipv4.tcp_fin_timeout=33"
                                + " && exec perl -e \"$2\" \"$3\" \"$4\"",
                        "container", hostname, SERVER, Integer.toString(port), Integer.toString(count))
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8));
                String ready = out.readLine();
                if (ready == null || !ready.startsWith("ready ")) {
                    process.destroyForcibly();
                    throw new IllegalStateException("the container process did not start: " + ready);
                }
                pid = Integer.parseInt(ready.substring(6).strip());
                for (Path hierarchy : HIERARCHIES) {
                    Path dir = hierarchy.resolve(cgroup);
                    Path created = dir;
                    while (!Files.exists(created.getParent())) {
                        created = created.getParent();
                    }
                    Files.createDirectories(dir);
                    for (Path d = dir; d.startsWith(created); d = d.getParent()) {
                        dirs.add(d); // deepest first, for removal
                    }
                    Files.writeString(dir.resolve("cgroup.procs"), Integer.toString(pid));
                }
            } catch (IOException e) {
                close();
                throw new UncheckedIOException(e);
            }
        }

        static FakeContainer start(String hostname, int port, int count, String cgroup) {
            return new FakeContainer(hostname, port, count, cgroup);
        }

        /** The same container (hostname, cgroup) in a new network namespace, as a runtime restarts it. */
        FakeContainer restart() {
            FakeContainer next = new FakeContainer(hostname, port, count, cgroup);
            next.podUid = podUid;
            next.dirs.clear();
            next.dirs.addAll(dirs); // the cgroup outlives the first process: the last one out removes it
            return next;
        }

        static String randomId() {
            byte[] bytes = new byte[32];
            new SecureRandom().nextBytes(bytes);
            return HexFormat.of().formatHex(bytes);
        }

        String containerId() {
            String scope = cgroup.substring(cgroup.lastIndexOf('-') + 1);
            return scope.substring(0, 64);
        }

        long netnsInode() {
            try {
                String link = Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/net")).toString();
                return Long.parseLong(link.replaceAll("[^0-9]", ""));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            for (Path dir : dirs) {
                try {
                    Files.deleteIfExists(dir); // rmdir; a cgroup another test still uses stays
                } catch (IOException e) {
                    // busy (another container in a shared parent): left for its owner
                }
            }
            dirs.clear();
        }
    }
}
