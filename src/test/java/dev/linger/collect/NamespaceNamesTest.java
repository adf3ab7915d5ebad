package dev.linger.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The classifier alone: cgroup paths as the runtimes write them, hostnames, ip-netns names, restarts. */
class NamespaceNamesTest {

    static final String ID = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    static final String OTHER_ID = "fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210";
    static final String UID = "0f3c2a1e-5b6d-4e7f-8a9b-0c1d2e3f4a5b";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "/system.slice/docker-" + ID + ".scope",
        "/docker/" + ID,
        "/docker/" + ID + "/init.scope",
        "/system.slice/cri-containerd-" + ID + ".scope",
        "/machine.slice/crio-" + ID + ".scope",
        "/machine.slice/libpod-" + ID + ".scope",
        "/libpod_parent/libpod-" + ID,
    })
    void eachRuntimesCgroupNamesAContainer(String path) {
        NetNamespace ns = NamespaceNames.classify(7, 5, null, null, List.of("/", path), "node", Map.of());

        assertEquals(NetNamespace.Kind.CONTAINER, ns.kind());
        assertEquals(ID, ns.containerId());
        assertEquals(ID.substring(0, 12), ns.name(), "without a hostname of its own: the short id");
        assertNull(ns.pod());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod0f3c2a1e_5b6d_4e7f_8a9b_0c1d2e3f4a5b.slice/cri-containerd-"
                + ID + ".scope|" + ID,
        "/kubepods.slice/kubepods-pod0f3c2a1e_5b6d_4e7f_8a9b_0c1d2e3f4a5b.slice/crio-" + ID + ".scope|" + ID,
        "/kubepods/burstable/pod0f3c2a1e-5b6d-4e7f-8a9b-0c1d2e3f4a5b/" + ID + "|" + ID,
        "/kubepods/besteffort/pod0f3c2a1e-5b6d-4e7f-8a9b-0c1d2e3f4a5b|",
    })
    void aKubepodsPathIsAPodWithItsUidAndTheInnerContainer(String path, String containerId) {
        NetNamespace ns = NamespaceNames.classify(7, 5, "cni-42", "checkout-7d9f-x2l", List.of(path), "node", Map.of());

        assertEquals(NetNamespace.Kind.POD, ns.kind());
        assertEquals(UID, ns.pod(), "systemd slices spell the uid with _");
        assertEquals(containerId, ns.containerId());
        assertEquals("checkout-7d9f-x2l", ns.name(), "a pod is named by its hostname");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "/system.slice/docker-0123.scope",
        "/system.slice/docker-" + ID + "0.scope",
        "/system.slice/mydocker-" + ID + ".scope",
        "/user.slice/user-0.slice/session-3.scope",
        "/kubepods.slice/kubepods-podnot-a-uid.slice",
        "/system.slice/docker-" + "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF.scope",
    })
    void anUnknownCgroupPathIsANamespaceShownByInode(String path) {
        NetNamespace ns = NamespaceNames.classify(4026532999L, 5, null, null, List.of(path), "node", Map.of());

        assertEquals(NetNamespace.Kind.NETNS, ns.kind());
        assertNull(ns.containerId());
        assertNull(ns.pod());
        assertEquals("net:[4026532999]", ns.name());
    }

    @Test
    void theHostnameNamesANamespaceOnlyWhenItDiffersFromTheHosts() {
        List<String> docker = List.of("/system.slice/docker-" + ID + ".scope");

        assertEquals("web-1", NamespaceNames.classify(7, 5, null, "web-1", docker, "node", Map.of()).name());
        assertEquals(ID.substring(0, 12), NamespaceNames.classify(7, 5, null, "node", docker, "node", Map.of()).name());
        assertEquals(ID.substring(0, 12), NamespaceNames.classify(7, 5, null, " ", docker, "node", Map.of()).name());
        assertEquals("blue", NamespaceNames.classify(7, 5, "blue", "node", List.of(), "node", Map.of()).name());
        assertEquals("node", NamespaceNames.classify(7, 5, "blue", "node", List.of(), "node", Map.of()).hostname(),
                "the hostname read is kept as read");
    }

    @Test
    void aPathLongerThanTheScriptPrintsIsNotLookedAt() {
        String path = "/x".repeat(600) + "/docker-" + ID + ".scope";

        assertNull(NamespaceNames.identify(List.of(path)).containerId());
    }

    @Test
    void aContainerWithANewInodeReplacedItsOldNamespace() {
        NetNamespace host = NetNamespace.host(1);
        NetNamespace before = ns(100, NetNamespace.Kind.CONTAINER, "web", ID, null);
        NetNamespace other = ns(101, NetNamespace.Kind.CONTAINER, "db", OTHER_ID, null);
        NetNamespace after = ns(200, NetNamespace.Kind.CONTAINER, "web", ID, null);

        List<NetNamespace> marked = NamespaceNames.markReplaced(List.of(host, after, other), List.of(host, before, other));

        assertEquals(100, marked.get(1).replaced());
        assertEquals(0, marked.get(2).replaced(), "same inode: not replaced");
        assertEquals(0, marked.get(0).replaced());

        // the next collection compares with the marked one: the restart is still said, for as long as it lives
        List<NetNamespace> next = NamespaceNames.markReplaced(List.of(host, after, other), marked);
        assertEquals(100, next.get(1).replaced());
        assertEquals(0, next.get(2).replaced());
    }

    @Test
    void aPodOrIpNetnsWithANewInodeReplacedItsOldOneButNotWhileTheOldOneStillExists() {
        NetNamespace podBefore = ns(100, NetNamespace.Kind.POD, "api", ID, UID);
        NetNamespace podAfter = ns(200, NetNamespace.Kind.POD, "api", OTHER_ID, UID);
        NetNamespace blueBefore = ns(300, NetNamespace.Kind.NETNS, "blue", null, null);
        NetNamespace blueAfter = ns(400, NetNamespace.Kind.NETNS, "blue", null, null);
        NetNamespace anonBefore = ns(500, NetNamespace.Kind.NETNS, null, null, null);
        NetNamespace anonAfter = ns(600, NetNamespace.Kind.NETNS, null, null, null);

        List<NetNamespace> marked = NamespaceNames.markReplaced(List.of(podAfter, blueAfter, anonAfter),
                List.of(podBefore, blueBefore, anonBefore));
        assertEquals(List.of(100L, 300L, 0L), marked.stream().map(NetNamespace::replaced).toList(),
                "an unnamed namespace has nothing to match it by");

        List<NetNamespace> both = NamespaceNames.markReplaced(List.of(podBefore, podAfter), List.of(podBefore));
        assertEquals(0, both.get(1).replaced(), "the old sandbox is still there");
    }

    @Test
    void withoutAPreviousSnapshotNothingIsReplaced() {
        List<NetNamespace> current = List.of(ns(200, NetNamespace.Kind.CONTAINER, "web", ID, null));

        assertSame(current, NamespaceNames.markReplaced(current, List.of()));
    }

    private static NetNamespace ns(long inode, NetNamespace.Kind kind, String name, String containerId, String pod) {
        return new NetNamespace(inode, kind, name, containerId, pod, null, 5, Map.of(), 0);
    }
}
