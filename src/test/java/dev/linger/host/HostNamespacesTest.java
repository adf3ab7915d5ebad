package dev.linger.host;

import static dev.linger.Api.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.linger.Browser;
import dev.linger.Sql;
import dev.linger.TestDatabase;
import dev.linger.TestUsers;
import dev.linger.collect.CollectorOutput;
import dev.linger.collect.CollectorOutput.NotableSocket;
import dev.linger.collect.CollectorOutput.Owner;
import dev.linger.collect.CollectorOutput.StateCount;
import dev.linger.collect.NetNamespace;
import dev.linger.collect.NetNamespace.Kind;
import dev.linger.collect.SnapshotStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.path.json.JsonPath;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Issue 13 items 2, 3 and 5: the host page and the snapshot API per network namespace, from snapshots stored as a
 * collection stores them (real PostgreSQL, real pages).
 */
@QuarkusTest
public class HostNamespacesTest {

    static final long HOST_INODE = 4026531840L;
    public static final long CHECKOUT = 4026532101L;
    static final long POD = 4026532202L;
    static final long BLUE = 4026532303L;
    static final long UNKNOWN = 4026532404L;
    static final long OLD_CHECKOUT = 4026532001L;
    static final String CHECKOUT_ID = "abcdef0123456789" + "0".repeat(48);
    static final String POD_UID = "3f2a9c1e-5b7d-4e1f-9a0b-123456789abc";
    public static final String HOSTILE = "<script>alert(1)</script>\u0007\u001b[31m\u202e" + "x".repeat(300);

    @Inject
    SnapshotStore snapshots;
    @Inject
    Clock clock;

    public static long host(String prefix) throws Exception {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        try (var c = TestDatabase.superuser(); var s = c.createStatement()) {
            // far from due: no collection overwrites the snapshots the test stores
            s.execute("INSERT INTO host (name, address, transport, next_due_at, created_at, created_by)"
                    + " VALUES ('" + name + "', 'ns.example.net', 'SSH', now() + interval '1 day', now(), 'test')");
        }
        return Sql.count("SELECT id FROM host WHERE name = ?", name);
    }

    static Map<String, String> sysctls(String keepalive, String orphans) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("net.ipv4.tcp_keepalive_time", keepalive);
        m.put("net.ipv4.tcp_max_orphans", orphans);
        return m;
    }

    static List<NotableSocket> closeWait(int count, int port, long netns, int pid) {
        List<NotableSocket> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add(new NotableSocket("CLOSE-WAIT", "10.0.0.5:" + port, "10.0.0.9:" + (40000 + i), 5, 0, null, null,
                    null, 0, 7000 + pid * 100L + i, new Owner(pid, pid, "server", "S", 1), netns));
        }
        return list;
    }

    /** The host with 2 notable sockets, a container with 12, a pod with 3, an ip netns and an unknown one quiet. */
    public static CollectorOutput node() {
        List<NetNamespace> namespaces = List.of(
                new NetNamespace(HOST_INODE, Kind.HOST, "host", null, null, null, 1, Map.of(), 0),
                new NetNamespace(UNKNOWN, Kind.NETNS, null, null, null, null, 90, Map.of(), 0),
                new NetNamespace(BLUE, Kind.NETNS, "blue", null, null, null, 80, Map.of(), 0),
                new NetNamespace(POD, Kind.POD, "shop-checkout-x2l", "feedbeef" + "1".repeat(56), POD_UID,
                        "shop-checkout-x2l", 70, sysctls("600", null), 0),
                new NetNamespace(CHECKOUT, Kind.CONTAINER, "checkout-7d9f", CHECKOUT_ID, null, "checkout-7d9f", 60,
                        sysctls("1234", null), OLD_CHECKOUT));
        List<StateCount> states = List.of(new StateCount(22, false, "LISTEN", 1, 0),
                new StateCount(9080, false, "CLOSE-WAIT", 2, 0), new StateCount(9080, false, "CLOSE-WAIT", 12, CHECKOUT),
                new StateCount(9080, false, "LISTEN", 1, CHECKOUT), new StateCount(8080, false, "CLOSE-WAIT", 3, POD),
                new StateCount(53, false, "ESTAB", 4, BLUE), new StateCount(53, false, "LISTEN", 1, BLUE),
                new StateCount(7000, false, "LISTEN", 1, UNKNOWN));
        List<NotableSocket> sockets = new ArrayList<>(closeWait(2, 9080, 0, 11));
        sockets.addAll(closeWait(12, 9080, CHECKOUT, 22));
        sockets.addAll(closeWait(3, 8080, POD, 33));
        return new CollectorOutput(meta(), states, sockets, sysctls("7200", "65536"),
                new CollectorOutput.Sockstat(40, 1, 0, 40), List.of(new CollectorOutput.ProcessInfo(22, 1, "S", 2,
                        "checkout-srv"), new CollectorOutput.ProcessInfo(11, 1, "S", 1, "host-srv")), List.of(), true,
                namespaces);
    }

    static CollectorOutput.Meta meta() {
        return new CollectorOutput.Meta(1, "node", "6.1", 0L, 0, 32768, 60999, "ss", true, "boot-1", HOST_INODE);
    }

    long stored(CollectorOutput out) throws Exception {
        long host = host("ns");
        QuarkusTransaction.requiringNew().run(() -> snapshots.store(host, clock.instant(), Duration.ofMillis(7), out));
        return host;
    }

    static String page(long host, String language) {
        Browser b = Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);
        if (language != null) {
            b.acceptLanguage(language);
        }
        return b.get("/hosts/" + host).then().statusCode(200).extract().asString();
    }

    /** The HTML of the section with this id, up to its end. */
    static String section(String html, String id) {
        int start = html.indexOf("<section class=\"card ns\" id=\"" + id + "\"");
        assertTrue(start >= 0, "a section " + id);
        return html.substring(start, html.indexOf("</section>", start));
    }

    @Test
    void theHostComesFirstThenTheBusiestAndQuietNamespacesTakeOneLineEach() throws Exception {
        long host = stored(node());
        String html = page(host, null);
        int own = html.indexOf("id=\"ns-host\""), checkout = html.indexOf("id=\"ns-" + CHECKOUT + "\""),
                pod = html.indexOf("id=\"ns-" + POD + "\"");
        assertTrue(own > 0 && own < checkout && checkout < pod, "host, then the container (12), then the pod (3)");
        assertTrue(section(html, "ns-host").contains("<h2 id=\"ns-host-h\">host"));
        assertTrue(section(html, "ns-" + CHECKOUT).contains(">container checkout-7d9f (abcdef012345) <span"),
                section(html, "ns-" + CHECKOUT));
        assertTrue(section(html, "ns-" + POD).contains(">pod shop-checkout-x2l (uid 3f2a9c1e…) <span"));
        assertTrue(section(html, "ns-" + CHECKOUT).contains("12 notable of 13 socket(s)"));
        // each section has its own chart, table and counts: the container's 12 are not the host's 2
        assertTrue(section(html, "ns-host").contains("(2)</span></h3>"));
        assertTrue(section(html, "ns-" + CHECKOUT).contains("(12)</span></h3>"));
        assertTrue(section(html, "ns-" + CHECKOUT).contains("aria-labelledby=\"chart-title-" + CHECKOUT + "\""));
        assertTrue(section(html, "ns-host").contains("aria-labelledby=\"chart-title\""));

        // the quiet ones: no section, one row each in one folded list
        assertFalse(html.contains("id=\"ns-" + BLUE + "\""));
        int quiet = html.indexOf("<details class=\"card quiet\"");
        assertTrue(quiet > 0);
        String list = html.substring(quiet, html.indexOf("</details>", quiet));
        assertTrue(list.contains("2 network namespace(s) with nothing notable"), list);
        assertTrue(list.contains("<tr><td><a href=\"?ns=" + BLUE + "#ns-" + BLUE + "\">ip netns blue</a></td><td>ip netns"
                + "</td><td>5</td></tr>"), list);
        assertTrue(list.contains(">net:[" + UNKNOWN + "]</a></td><td>ip netns</td><td>1</td></tr>"), list);
        assertEquals(2, list.split("<tr><td>", -1).length - 1, "one line each");
        // a process that holds sockets in a container says which
        assertTrue(html.contains("<strong translate=\"no\">checkout-srv</strong> <span class=\"muted\">pid 22 · ppid 1 · state S · 2"
                + " thread(s) · container checkout-7d9f (abcdef012345)</span>"), html);
        assertTrue(html.contains("<strong translate=\"no\">host-srv</strong> <span class=\"muted\">pid 11 · ppid 1 · state S · 1"
                + " thread(s)</span>"));
        assertTrue(html.contains("5 network namespace(s): the host&#39;s own first, then the busiest."), "escaped apostrophe");
    }

    @Test
    void aContainerThatRestartedSaysItHasANewNamespace() throws Exception {
        String checkout = section(page(stored(node()), null), "ns-" + CHECKOUT);
        assertTrue(checkout.contains("This container restarted: it has a new network namespace (net:[" + OLD_CHECKOUT
                + "] → net:[" + CHECKOUT + "])."), checkout);
    }

    @Test
    void eachNamespaceShowsItsOwnSysctlsAndOnlyTheHostItsOrphanLimit() throws Exception {
        String html = page(stored(node()), null);
        String own = section(html, "ns-host"), checkout = section(html, "ns-" + CHECKOUT);
        String orphanRow = "<th scope=\"row\"><code>net.ipv4.tcp_max_orphans</code></th>";
        assertTrue(own.contains("<code>net.ipv4.tcp_keepalive_time</code></th><td><code>7200</code></td>"), own);
        assertTrue(own.contains(orphanRow + "<td><code>65536</code></td>"));
        assertTrue(checkout.contains("<code>net.ipv4.tcp_keepalive_time</code></th><td><code>1234</code></td>"), checkout);
        assertFalse(checkout.contains(orphanRow), "the key does not exist in a container");
        assertTrue(checkout.contains("is machine-wide: it exists only in the host&#39;s own namespace")
                || checkout.contains("is machine-wide: it exists only in the host's own namespace"), checkout);
        assertTrue(section(html, "ns-" + POD).contains("</th><td><code>600</code></td>"));
    }

    @Test
    void aNamespaceWithSocketsButNoSysctlsReadSaysSo() throws Exception {
        CollectorOutput n = node();
        List<NetNamespace> namespaces = new ArrayList<>(n.namespaces());
        namespaces.set(4, new NetNamespace(CHECKOUT, Kind.CONTAINER, "checkout-7d9f", CHECKOUT_ID, null, null, 60,
                Map.of(), 0));
        String checkout = section(page(stored(new CollectorOutput(n.meta(), n.states(), n.sockets(), n.sysctls(),
                n.sockstat(), n.processes(), n.problems(), true, namespaces)), null), "ns-" + CHECKOUT);
        assertTrue(checkout.contains("Not read: Linger reads a namespace"), checkout);
        assertFalse(checkout.contains("restarted"), "replaced = 0: nothing restarted");
    }

    @Test
    void aHostileContainerHostnameIsEscapedAndBoundedOnThePageAndInTheApi() throws Exception {
        CollectorOutput n = node();
        List<NetNamespace> namespaces = new ArrayList<>(n.namespaces());
        namespaces.set(4, new NetNamespace(CHECKOUT, Kind.CONTAINER, HOSTILE, CHECKOUT_ID, null, HOSTILE, 60,
                Map.of(), 0));
        // a quiet one too: the one-line list is escaped as well
        namespaces.set(2, new NetNamespace(BLUE, Kind.CONTAINER, HOSTILE, "0".repeat(64), null, HOSTILE, 80,
                Map.of(), 0));
        long host = stored(new CollectorOutput(n.meta(), n.states(), n.sockets(), n.sysctls(), n.sockstat(),
                n.processes(), n.problems(), true, namespaces));
        String html = page(host, null);
        assertFalse(html.contains("<script>alert(1)"), "never raw");
        assertFalse(html.contains("\u0007") || html.contains("\u001b") || html.contains("\u202e"), "no control characters");
        assertFalse(html.contains("x".repeat(100)), "bounded");
        String shown = "&lt;script&gt;alert(1)&lt;/script&gt;\uFFFD\uFFFD[31m\uFFFD" + "x".repeat(64 - 32) + "…";
        assertTrue(section(html, "ns-" + CHECKOUT).contains(">container " + shown + " (abcdef012345) <span"),
                section(html, "ns-" + CHECKOUT));
        assertTrue(html.contains(">container " + shown + " (000000000000)</a>"), "the quiet list");

        JsonPath api = admin().get("/api/v1/hosts/" + host + "/snapshots/latest").then().statusCode(200).extract()
                .jsonPath();
        String name = api.getString("namespaces.find { it.inode == " + CHECKOUT + "L }.name");
        assertEquals(65, name.length());
        assertTrue(name.startsWith("<script>alert(1)</script>\uFFFD\uFFFD[31m\uFFFD"), name);
        assertEquals(name, api.getString("sockets.find { it.netns == " + CHECKOUT + "L }.namespace.name"));
        assertEquals(65, api.getString("namespaces.find { it.inode == " + CHECKOUT + "L }.hostname").length());
    }

    @Test
    void theApiNamesTheNamespaceOfEachSocketAndListsTheSnapshotsNamespaces() throws Exception {
        long host = stored(node());
        JsonPath api = admin().get("/api/v1/hosts/" + host + "/snapshots/latest").then().statusCode(200).extract()
                .jsonPath();
        // the fields every socket always had are still there
        Map<String, Object> inContainer = api.getMap("sockets.find { it.netns == " + CHECKOUT + "L }");
        assertEquals("CLOSE-WAIT", inContainer.get("state"));
        assertEquals("10.0.0.5:9080", inContainer.get("local"));
        assertEquals(5, inContainer.get("recvQ"));
        assertEquals(22, ((Map<?, ?>) inContainer.get("owner")).get("pid"));
        assertEquals(Map.of("inode", CHECKOUT, "kind", "CONTAINER", "name", "checkout-7d9f", "containerId",
                CHECKOUT_ID), withoutNulls(inContainer.get("namespace")));
        assertTrue(((Map<?, ?>) inContainer.get("namespace")).containsKey("pod"), "pod is there, null");
        Map<String, Object> inPod = api.getMap("sockets.find { it.netns == " + POD + "L }.namespace");
        assertEquals("POD", inPod.get("kind"));
        assertEquals(POD_UID, inPod.get("pod"));
        Map<String, Object> onHost = api.getMap("sockets.find { it.netns == 0 }.namespace");
        assertEquals("HOST", onHost.get("kind"));
        assertEquals("host", onHost.get("name"));
        assertEquals(HOST_INODE, ((Number) onHost.get("inode")).longValue());
        assertEquals(17, api.getList("sockets").size());

        // the snapshot's namespaces, the host's own first; keys are what netns refers to
        assertEquals(List.of(0L, UNKNOWN, BLUE, POD, CHECKOUT), api.getList("namespaces.key", Long.class));
        assertEquals(List.of("HOST", "NETNS", "NETNS", "POD", "CONTAINER"), api.getList("namespaces.kind"));
        assertEquals(OLD_CHECKOUT, api.getLong("namespaces[4].replaced"));
        assertEquals("1234", api.getString("namespaces[4].sysctls.'net.ipv4.tcp_keepalive_time'"));
        assertEquals("65536", api.getString("namespaces[0].sysctls.'net.ipv4.tcp_max_orphans'"));
        assertEquals("net:[" + UNKNOWN + "]", api.getString("namespaces[1].name"));
        assertEquals(12, api.getInt("states.find { it.netns == " + CHECKOUT + "L && it.state == 'CLOSE-WAIT' }.count"));
    }

    private static Map<Object, Object> withoutNulls(Object map) {
        Map<Object, Object> m = new LinkedHashMap<>();
        ((Map<?, ?>) map).forEach((k, v) -> {
            if (v != null) {
                m.put(k, v instanceof Number num && !(v instanceof Long) && k.equals("inode") ? num.longValue() : v);
            }
        });
        return m;
    }

    @Test
    void aSnapshotFromBeforeNamespacesIsAllTheHostsOwn() throws Exception {
        CollectorOutput n = node();
        long host = stored(new CollectorOutput(n.meta(), List.of(new StateCount(9080, false, "CLOSE-WAIT", 2)),
                closeWait(2, 9080, 0, 11), n.sysctls(), n.sockstat(), List.of(), List.of(), true));
        String html = page(host, null);
        assertTrue(section(html, "ns-host").contains("(2)</span></h3>"));
        assertFalse(html.contains("<details class=\"card quiet\""));
        JsonPath api = admin().get("/api/v1/hosts/" + host + "/snapshots/latest").then().statusCode(200).extract()
                .jsonPath();
        assertEquals(List.of(0L), api.getList("namespaces.key", Long.class));
        assertEquals("HOST", api.getString("sockets[0].namespace.kind"));
    }

    @Test
    void theNamespacePagesInChinese() throws Exception {
        String html = page(stored(node()), "zh-CN,zh;q=0.9");
        assertTrue(html.contains(">容器 checkout-7d9f（abcdef012345） <span"), html);
        assertTrue(html.contains(">Pod shop-checkout-x2l（uid 3f2a9c1e…） <span"));
        assertTrue(html.contains("共 13 个连接，其中 12 个值得关注"));
        assertTrue(html.contains("这个容器重启过：它换了新的网络命名空间（net:[" + OLD_CHECKOUT + "] → net:[" + CHECKOUT + "]）"));
        assertTrue(html.contains("2 个网络命名空间没有值得关注的连接"));
        assertTrue(html.contains(">网络命名空间 blue（ip netns）</a>"));
        assertTrue(html.contains("共 5 个网络命名空间：主机自己的排在最前，其余按繁忙程度排序。"));
        for (String english : List.of("notable of", "restarted", "with nothing notable", "container checkout",
                "is machine-wide", "Network namespace<")) {
            assertFalse(html.contains(english), english + " left in English");
        }
    }

    @Test
    void aPersonOpensAQuietOrALessBusyNamespaceAndSortsItsTable() throws Exception {
        long host = stored(node());
        Browser b = Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);
        String blue = b.get("/hosts/" + host + "?ns=" + BLUE).then().statusCode(200).extract().asString();
        assertTrue(section(blue, "ns-" + BLUE).contains(">ip netns blue <span"));
        assertTrue(blue.contains("1 network namespace(s) with nothing notable"), "it left the quiet list");
        String sorted = b.get("/hosts/" + host + "?ns=" + CHECKOUT + "&sort=peer&dir=asc").then().statusCode(200)
                .extract().asString();
        String checkout = section(sorted, "ns-" + CHECKOUT);
        assertTrue(checkout.contains("aria-sort=\"ascending\"><a href=\"?ns=" + CHECKOUT + "&amp;sort=peer&amp;dir=desc#sockets-"
                + CHECKOUT + "\">"), checkout);
        assertFalse(section(sorted, "ns-host").contains("aria-sort=\"ascending\""), "the host's table keeps its order");
        assertTrue(blue.contains("<a href=\"?ns=" + BLUE + "&amp;hours=24\""), "the window links keep the namespace");
        for (String bad : List.of("abc", "-1", "99999999999999999999", "1;drop")) {
            assertTrue(b.get("/hosts/" + host + "?ns=" + bad).then().statusCode(200).extract().asString()
                    .contains("id=\"ns-host\""));
        }
    }

    @Test
    void onlyTheBusiestAreDrawnInFullTheOthersAreListedBusiestFirst() throws Exception {
        CollectorOutput n = node();
        List<NetNamespace> namespaces = new ArrayList<>(List.of(n.namespaces().get(0)));
        List<NotableSocket> sockets = new ArrayList<>();
        List<StateCount> states = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            long inode = 4026533000L + i;
            namespaces.add(new NetNamespace(inode, Kind.CONTAINER, "busy-" + i, String.format("%064x", i), null, null,
                    i, Map.of(), 0));
            sockets.addAll(closeWait(i, 9000 + i, inode, 100 + i));
            states.add(new StateCount(9000 + i, false, "CLOSE-WAIT", i, inode));
        }
        String html = page(stored(new CollectorOutput(n.meta(), states, sockets, n.sysctls(), n.sockstat(), List.of(),
                List.of(), true, namespaces)), null);
        List<Integer> drawn = new ArrayList<>();
        for (int i = 8; i >= 1; i--) {
            if (html.contains("<section class=\"card ns\" id=\"ns-" + (4026533000L + i) + "\"")) {
                drawn.add(i);
            }
        }
        assertEquals(List.of(8, 7, 6, 5, 4), drawn, "the host and the five busiest");
        int more = html.indexOf("More network namespaces with notable sockets");
        assertTrue(more > 0);
        int three = html.indexOf(">container busy-3 (", more), two = html.indexOf(">container busy-2 (", more),
                one = html.indexOf(">container busy-1 (", more);
        assertTrue(three > more && three < two && two < one, "busiest first");
        assertTrue(html.contains("<td>container</td><td>3</td><td>3</td>"), "kind, notable, sockets");
        assertFalse(html.contains("<details class=\"card quiet\""), "nothing quiet");
    }

    /** V14 keeps each snapshot's notable counts apart for the chart; snapshots written before it still chart. */
    @Test
    void theChartReadsTheNotableCountsKeptApartAndOlderSnapshotsStillDraw() throws Exception {
        CollectorOutput n = node();
        // a minute earlier the container had 20 in CLOSE-WAIT: the peak the chart shows only if it reads that point
        List<StateCount> before = n.states().stream().map(c -> c.netns() == CHECKOUT && c.state().equals("CLOSE-WAIT")
                ? new StateCount(c.port(), c.remote(), c.state(), 20, c.netns()) : c).toList();
        CollectorOutput earlier = new CollectorOutput(n.meta(), before, n.sockets(), n.sysctls(), n.sockstat(),
                n.processes(), n.problems(), true, n.namespaces());
        long host = host("chart");
        Instant now = clock.instant();
        QuarkusTransaction.requiringNew().run(() -> {
            snapshots.store(host, now.minusSeconds(60), Duration.ofMillis(7), earlier);
            snapshots.store(host, now, Duration.ofMillis(7), n);
        });
        String kept = Sql.text("SELECT chart_states::text FROM snapshot WHERE host_id = ? ORDER BY taken_at DESC LIMIT 1",
                host);
        assertTrue(kept.contains("CLOSE-WAIT") && !kept.contains("LISTEN") && !kept.contains("ESTAB"), kept);
        Sql.count("WITH old AS (UPDATE snapshot SET chart_states = NULL WHERE host_id = ? AND taken_at < ?"
                + " RETURNING 1) SELECT count(*) FROM old", host, java.sql.Timestamp.from(now));
        assertEquals(1, Sql.count("SELECT count(*) FROM snapshot WHERE host_id = ? AND chart_states IS NULL", host));
        String checkout = section(page(host, null), "ns-" + CHECKOUT);
        assertTrue(checkout.contains(":9080 CLOSE-WAIT</span></td><td>12</td><td>20</td>"), checkout);
        assertEquals(2, Sql.count("SELECT count(*) FROM snapshot WHERE host_id = ?", host));
    }

    /** Item 1: 500 quiet containers (a busy Kubernetes node) over the default 6 h window of 30 s collections. */
    @Test
    void fiveHundredQuietNamespacesKeepThePageShortAndFast() throws Exception {
        CollectorOutput n = node();
        List<NetNamespace> namespaces = new ArrayList<>(n.namespaces());
        List<StateCount> states = new ArrayList<>(n.states());
        for (int i = 0; i < 500; i++) {
            long inode = 4026540000L + i;
            String id = String.format("%064x", 0xc0ffee00L + i);
            namespaces.add(new NetNamespace(inode, Kind.CONTAINER, "svc-" + i, id, null, null, 1000 + i, Map.of(), 0));
            states.add(new StateCount(8000 + i % 50, false, "LISTEN", 1, inode));
            states.add(new StateCount(8000 + i % 50, false, "ESTAB", 3 + i % 5, inode));
            states.add(new StateCount(8000 + i % 50, false, "TIME-WAIT", 2, inode));
        }
        long host = stored(new CollectorOutput(n.meta(), states, n.sockets(), n.sysctls(), n.sockstat(),
                n.processes(), n.problems(), true, namespaces));
        // 719 earlier collections with the same counts, every 30 s: what 6 h of this node leave
        try (var c = TestDatabase.superuser(); var s = c.createStatement()) {
            s.execute("INSERT INTO snapshot (host_id, taken_at, duration_ms, states, sysctls, socket_count, detail,"
                    + " namespaces) SELECT host_id, taken_at - n * interval '30 seconds', duration_ms, states, sysctls,"
                    + " 0, false, namespaces FROM snapshot, generate_series(1, 719) n WHERE host_id = " + host);
        }
        assertEquals(720, Sql.count("SELECT count(*) FROM snapshot WHERE host_id = ?", host));
        Browser b = Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);
        b.get("/hosts/" + host).then().statusCode(200);
        long[] millis = new long[5];
        String html = null;
        for (int i = 0; i < millis.length; i++) {
            long start = System.nanoTime();
            html = b.get("/hosts/" + host).then().statusCode(200).extract().asString();
            millis[i] = (System.nanoTime() - start) / 1_000_000;
        }
        Arrays.sort(millis);
        System.out.println("host page with 505 namespaces and 720 points: median " + millis[2] + " ms, "
                + html.length() / 1024 + " KiB");
        assertTrue(millis[2] < 1500, "median " + millis[2] + " ms");
        assertEquals(3, html.split("<section class=\"card ns\"", -1).length - 1, "host, container, pod drawn");
        assertTrue(html.contains("502 network namespace(s) with nothing notable"));
        assertTrue(html.length() < 400_000, html.length() + " characters");
        int quiet = html.indexOf("<details class=\"card quiet\"");
        assertTrue(html.indexOf(">container svc-499 (") > quiet, "in the folded list");
    }
}
