package dev.linger.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
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
import dev.linger.lab.Container;
import dev.linger.lab.Fault;
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

    private final List<Container> started = new ArrayList<>();
    private long localHost;
    private Container docker;
    private Container pod;
    /** The process in the Docker-shaped container that holds its 12 stuck sockets. */
    private Fault leak;
    private long dockerInode;

    @BeforeAll
    void start() {
        localHost = Sql.count("SELECT id FROM host WHERE transport = 'LOCAL'");
        String suffix = Long.toString(ProcessHandle.current().pid(), 36);
        docker = track(Container.onLocal("checkout-" + suffix, Container.Shape.docker()));
        // per namespace: the collector must read it inside the container, not the host's
        docker.setSysctl("net.ipv4.tcp_fin_timeout", "33");
        leak = docker.closeWait(7091, 12);
        pod = track(Container.onLocal("shop-api-" + suffix, Container.Shape.pod(Container.Shape.randomPodUid())));
        pod.closeWait(7092, 3);
    }

    @AfterAll
    void stop() {
        started.forEach(Container::close);
    }

    @Test
    @Order(1)
    void aContainersStuckSocketsAreInTheStoredSnapshotWithItsNamespace() {
        SnapshotView snapshot = collect();

        NetNamespace ns = namespaceOf(snapshot, docker);
        assertEquals(NetNamespace.Kind.CONTAINER, ns.kind());
        assertEquals(docker.hostname(), ns.name(), "named by its hostname");
        assertEquals(docker.hostname(), ns.hostname());
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
            assertEquals(leak.pid(), s.owner().pid());
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
        assertEquals(pod.podUid(), ns.pod());
        assertEquals(pod.containerId(), ns.containerId());
        assertEquals(pod.hostname(), ns.name());
    }

    @Test
    @Order(3)
    void ownerHintsFromTheLastSnapshotStillFindOwnersInContainers() {
        List<Integer> hints = QuarkusTransaction.requiringNew().call(() -> snapshots.lastOwnerPids(localHost));
        assertTrue(hints.contains(leak.pid()), "the container's process is a hint: " + hints);

        SnapshotView snapshot = collect();

        NetNamespace ns = namespaceOf(snapshot, docker);
        assertEquals(12, snapshot.sockets().stream().filter(s -> s.netns() == ns.key() && s.owner() != null
                && s.owner().pid() == leak.pid()).count());
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
        Container restarted = track(docker.restarted());

        NetNamespace ns = namespaceOf(collect(), restarted);

        assertEquals(docker.containerId(), ns.containerId());
        assertNotEquals(dockerInode, ns.inode());
        assertEquals(dockerInode, ns.replaced());
    }

    // ---- helpers ----

    private Container track(Container container) {
        started.add(container);
        return container;
    }

    private SnapshotView collect() {
        var outcome = collections.collectNow(localHost);
        assertTrue(outcome.isPresent() && outcome.get().ok(), "collection failed: " + outcome);
        return QuarkusTransaction.requiringNew().call(() -> snapshots.latest(localHost)).orElseThrow();
    }

    private static NetNamespace namespaceOf(SnapshotView snapshot, Container container) {
        long inode = container.netnsInode();
        return snapshot.namespaces().stream().filter(ns -> ns.inode() == inode).findFirst()
                .orElseThrow(() -> new AssertionError("namespace " + inode + " of " + container.hostname()
                        + " not in the snapshot: " + snapshot.namespaces().stream().map(NetNamespace::name).toList()));
    }

}
