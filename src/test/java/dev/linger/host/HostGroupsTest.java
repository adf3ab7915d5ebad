package dev.linger.host;

import static dev.linger.Api.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.linger.Browser;
import dev.linger.TestUsers;
import dev.linger.collect.CollectorOutput;
import dev.linger.collect.CollectorOutput.NotableSocket;
import dev.linger.collect.CollectorOutput.StateCount;
import dev.linger.collect.SnapshotStore;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Issue 14 items 1 and 5: a snapshot keeps samples of its sockets and counts every one in groups; the API keeps
 * its shape and adds the groups, and the host page shows the groups worst first with their samples and a way to
 * every socket of their port.
 */
@QuarkusTest
class HostGroupsTest {

    /** A leak bigger than the samples kept of it: 25 sockets, 20 kept. */
    static final int BIG = 25;
    static final int BIG_PORT = 7070;
    static final int BIG_PID = 44;

    @Inject
    SnapshotStore snapshots;
    @Inject
    Clock clock;

    /** The namespaced node of issue 13 plus, on the host, 25 CLOSE-WAIT sockets of one process on :7070. */
    static CollectorOutput node() {
        CollectorOutput n = HostNamespacesTest.node();
        List<StateCount> states = new ArrayList<>(n.states());
        states.add(new StateCount(BIG_PORT, false, "CLOSE-WAIT", BIG, 0));
        List<NotableSocket> sockets = new ArrayList<>(n.sockets());
        sockets.addAll(HostNamespacesTest.closeWait(BIG, BIG_PORT, 0, BIG_PID));
        return new CollectorOutput(n.meta(), states, sockets, n.sysctls(), n.sockstat(), n.processes(), n.problems(),
                true, n.namespaces());
    }

    long stored() throws Exception {
        long host = HostNamespacesTest.host("groups");
        Instant at = clock.instant();
        QuarkusTransaction.requiringNew().run(() -> snapshots.store(host, at, Duration.ofMillis(7),
                snapshots.continued(host, at, node())));
        return host;
    }

    @Test
    void theLatestSnapshotKeepsItsShapeAndAddsTheGroups() throws Exception {
        long host = stored();
        JsonPath api = admin().get("/api/v1/hosts/" + host + "/snapshots/latest").then().statusCode(200).extract()
                .jsonPath();
        Map<String, Object> whole = api.getMap("$");
        assertEquals(new TreeSet<>(Set.of("takenAt", "durationMs", "source", "states", "sockets", "sysctls",
                "sockstat", "processes", "problems", "namespaces", "groups")), new TreeSet<>(whole.keySet()),
                "every field it had, and groups");
        // states still count every socket; sockets are the samples (at most 20 per group)
        assertEquals(BIG, api.getInt("states.find { it.port == " + BIG_PORT + " && it.state == 'CLOSE-WAIT' }.count"));
        assertEquals(20, api.getList("sockets.findAll { it.local.endsWith(':" + BIG_PORT + "') }").size());
        assertEquals(2 + 12 + 3 + 20, api.getList("sockets").size());
        Map<String, Object> socket = api.getMap("sockets[0]");
        assertEquals(new TreeSet<>(Set.of("state", "local", "peer", "recvQ", "sendQ", "timer", "timerMillis",
                "retransmits", "uid", "inode", "owner", "netns", "namespace")), new TreeSet<>(socket.keySet()));

        // the groups count every one
        assertEquals(4, api.getList("groups").size());
        Map<String, Object> big = api.getMap("groups.find { it.port == " + BIG_PORT + " }");
        assertEquals(new TreeSet<>(Set.of("netns", "namespace", "port", "remote", "state", "owner", "count", "recvQ",
                "recvQMax", "recvQMin", "withRecvQ", "sendQ", "sendQMax", "withSendQ", "timers", "retransmitsMax",
                "since")), new TreeSet<>(big.keySet()));
        assertEquals(BIG, big.get("count"));
        assertEquals(false, big.get("remote"));
        assertEquals("CLOSE-WAIT", big.get("state"));
        assertEquals(0, big.get("netns"));
        assertEquals(5 * BIG, big.get("recvQ"));
        assertEquals(5, big.get("recvQMax"));
        assertEquals(5, big.get("recvQMin"));
        assertEquals(BIG, big.get("withRecvQ"));
        assertEquals(0, big.get("sendQ"));
        assertEquals(Map.of("none", BIG), big.get("timers"));
        assertNotNull(big.get("since"), "first seen at this collection");
        Map<?, ?> owner = (Map<?, ?>) big.get("owner");
        assertEquals(BIG_PID, owner.get("pid"));
        assertEquals(BIG_PID, owner.get("tid"));
        assertEquals("server", owner.get("command"));
        assertEquals("HOST", ((Map<?, ?>) big.get("namespace")).get("kind"));
        // a container's group names its namespace as its sockets do, and its owner's command
        Map<String, Object> inContainer = api.getMap("groups.find { it.netns == " + HostNamespacesTest.CHECKOUT + "L }");
        assertEquals(12, inContainer.get("count"));
        assertEquals("checkout-7d9f", ((Map<?, ?>) inContainer.get("namespace")).get("name"));
        assertEquals("CONTAINER", ((Map<?, ?>) inContainer.get("namespace")).get("kind"));
        assertEquals(api.getMap("sockets.find { it.netns == " + HostNamespacesTest.CHECKOUT + "L }.namespace"),
                inContainer.get("namespace"));
        assertEquals("server", ((Map<?, ?>) inContainer.get("owner")).get("command"));
    }

    @Test
    void theHostPageShowsTheGroupsWorstFirstWithTheirSamplesAndEverySocketLive() throws Exception {
        long host = stored();
        Browser b = Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);
        String html = b.get("/hosts/" + host).then().statusCode(200).extract().asString();
        String own = HostNamespacesTest.section(html, "ns-host");
        assertTrue(own.contains("Notable sockets <span class=\"muted\">(27)</span></h3>"), own);
        assertTrue(own.contains("27 notable socket(s) in 2 group(s)"), own);
        String groups = own.substring(own.indexOf("<table class=\"groups\">"), own.indexOf("</table>",
                own.indexOf("<table class=\"groups\">")));
        int big = groups.indexOf("<td><span translate=\"no\">:" + BIG_PORT + "</span></td><td translate=\"no\">CLOSE-WAIT</td>");
        int small = groups.indexOf("<td><span translate=\"no\">:9080</span></td><td translate=\"no\">CLOSE-WAIT</td>");
        assertTrue(big > 0 && small > big, "the 25 before the 2: " + groups);
        String row = groups.substring(big, groups.indexOf("</tr>", big));
        assertTrue(row.contains("<td class=\"count\"><strong>25</strong></td>"), row);
        assertTrue(row.contains("server <span class=\"muted\">pid 44 · S</span>"), row);
        assertTrue(row.contains("<td>125 <span class=\"muted small\">max 5 · in 25 socket(s)</span></td>"), row);
        assertTrue(row.contains("<td>no timer 25</td>"), row);
        assertTrue(row.contains("href=\"/hosts/" + host + "/sockets?port=" + BIG_PORT + "&amp;state=CLOSE-WAIT\""),
                row);
        assertTrue(own.contains("Samples <span class=\"muted\">(22)</span></h3>"), "20 + 2 samples: " + own);
        String checkout = HostNamespacesTest.section(html, "ns-" + HostNamespacesTest.CHECKOUT);
        assertTrue(checkout.contains("href=\"/hosts/" + host + "/sockets?port=9080&amp;state=CLOSE-WAIT&amp;netns="
                + HostNamespacesTest.CHECKOUT + "\""), checkout);

        // one group's samples alone, and back to every group's
        String id = BIG_PORT + ".l.CLOSE-WAIT." + BIG_PID + "." + BIG_PID;
        assertTrue(row.contains("href=\"?group=" + id + "#sockets\""), row);
        String one = HostNamespacesTest.section(b.get("/hosts/" + host + "?group=" + id).then().statusCode(200)
                .extract().asString(), "ns-host");
        assertTrue(one.contains("Samples of :7070 CLOSE-WAIT, server pid 44 <span class=\"muted\">(20)</span></h3>"),
                one);
        assertFalse(one.contains("<code>10.0.0.5:9080</code>"), "the other group's samples are left out");
        assertTrue(one.contains("<tr aria-current=\"true\"><td><span translate=\"no\">:7070</span></td>"), one);
        assertTrue(one.contains("group=" + id + "&amp;sort=peer&amp;dir=asc#sockets"), "sorting keeps the group");
        for (String bad : List.of("nope", "1.l.LISTEN.0.0", "<script>")) {
            String all = HostNamespacesTest.section(b.get("/hosts/" + host + "?group=" + bad).then().statusCode(200)
                    .extract().asString(), "ns-host");
            assertTrue(all.contains("Samples <span class=\"muted\">(22)</span></h3>"), bad);
        }
    }

    @Test
    void theGroupsInChinese() throws Exception {
        long host = stored();
        Browser b = Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);
        b.acceptLanguage("zh-CN,zh;q=0.9");
        String html = b.get("/hosts/" + host).then().statusCode(200).extract().asString();
        assertTrue(html.contains("显示全部连接"), html);
        assertTrue(html.contains("共 27 个值得关注的连接，按端口、状态和所属进程分为 2 组"), html);
        for (String english : List.of("Show all sockets", "Unread bytes", "Samples", "notable socket(s) in")) {
            assertFalse(html.contains(english), english + " left in English");
        }
    }
}
