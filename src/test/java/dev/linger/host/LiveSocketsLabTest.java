package dev.linger.host;

import static dev.linger.Api.admin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.linger.Browser;
import dev.linger.TestUsers;
import dev.linger.lab.Container;
import dev.linger.lab.Fault;
import dev.linger.lab.LabHost;
import dev.linger.lab.LingerTestKey;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Issue 14 item 1: "show all sockets" reads every socket of a port on a real host (a lab namespace with its own
 * sshd, reached over SSH) at the moment it is asked, with owners, in the host's namespace or a container's; bad
 * input is refused before anything runs on the host.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveSocketsLabTest {

    static final int PORT = 9480;
    static final int STUCK = 37;

    @Inject
    LiveSockets live;
    @Inject
    TestUsers users;

    private LabHost lab;
    private Fault leak;
    private Container web;
    private Fault webLeak;
    private long hostId;

    @BeforeAll
    void start() {
        lab = LingerTestKey.labHost("live");
        leak = lab.closeWait(PORT, STUCK);
        web = lab.container("web-" + java.util.UUID.randomUUID().toString().substring(0, 6),
                Container.Shape.docker());
        webLeak = web.closeWait(PORT + 1, 6);
    }

    /**
     * Registered and collected once, on the first test: the API is not listening yet in {@code @BeforeAll}. The
     * collection records the namespaces a read may name and the owners it reads first.
     */
    @BeforeEach
    void register() {
        if (hostId != 0) {
            return;
        }
        hostId = ((Number) admin().body(Map.of("name", "live-" + lab.namespace(), "address", lab.address(),
                "sshUser", lab.user(), "collectIntervalSeconds", 3600)).post("/api/v1/hosts").then().statusCode(201)
                .extract().path("id")).longValue();
        admin().post("/api/v1/hosts/" + hostId + "/collect").then().statusCode(200); // records the presented key
        admin().body(Map.of("fingerprint", lab.hostKeyFingerprint())).post("/api/v1/hosts/" + hostId
                + "/host-key/trust").then().statusCode(200);
        admin().post("/api/v1/hosts/" + hostId + "/collect").then().statusCode(200).body("ok", equalTo(true));
    }

    @AfterAll
    void stop() {
        if (lab != null) {
            lab.close();
        }
    }

    /** What ss on the host counts for the same question. */
    private long ssCount(String state, int port) {
        return lab.exec("ss", "-Htan", "state", state, "( sport = :" + port + " )").lines()
                .filter(l -> !l.isBlank()).count();
    }

    @Test
    void everySocketOfThePortIsListedWithItsOwnerAsSsCountsThem() {
        long before = live.runs();
        JsonPath r = admin().get("/api/v1/hosts/" + hostId + "/sockets?port=" + PORT + "&state=close-wait").then()
                .statusCode(200).extract().jsonPath();
        assertEquals(before + 1, live.runs(), "read on the host");
        long ss = ssCount("close-wait", PORT);
        assertEquals(STUCK, ss, "the lab holds what the test asked for");
        assertEquals(ss, r.getLong("total"));
        assertEquals(ss, r.getList("sockets").size());
        assertFalse(r.getBoolean("cut"));
        assertEquals("CLOSE-WAIT", r.getString("state"));
        assertEquals(PORT, r.getInt("port"));
        assertEquals(0, r.getLong("netns"));
        assertEquals("HOST", r.getString("namespace.kind"));
        assertEquals(List.of(Map.of("port", PORT, "remote", false, "state", "CLOSE-WAIT", "count", STUCK, "netns", 0)),
                r.getList("counts"));
        List<Map<String, Object>> sockets = r.getList("sockets");
        for (Map<String, Object> s : sockets) {
            assertEquals("CLOSE-WAIT", s.get("state"));
            assertTrue(((String) s.get("local")).endsWith(":" + PORT), s.toString());
            assertTrue(((Number) s.get("recvQ")).longValue() > 0, "unread bytes: " + s);
            Map<?, ?> owner = (Map<?, ?>) s.get("owner");
            assertEquals(leak.pid(), owner.get("pid"), s.toString());
            assertTrue(owner.get("command") != null, "the owner's command: " + s);
        }
        assertEquals(STUCK, sockets.stream().map(s -> s.get("inode")).distinct().count(), "every socket once");

        // the pages of the same read come from it for a minute: nothing more runs on the host
        Browser b = Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);
        String page = b.get("/hosts/" + hostId + "/sockets?port=" + PORT + "&state=CLOSE-WAIT").then()
                .statusCode(200).extract().asString();
        assertEquals(before + 1, live.runs(), "the page used the read of a moment ago");
        assertEquals(STUCK, page.split("<td translate=\"no\">CLOSE-WAIT</td><td><code>", -1).length - 1, page);
        assertTrue(page.contains("pid " + leak.pid()), page);
        b.get("/hosts/" + hostId + "/sockets?port=" + PORT + "&state=CLOSE-WAIT&again=1").then().statusCode(200);
        assertEquals(before + 2, live.runs(), "read again when asked");
    }

    @Test
    void aLongListIsCutAndSaysSoWhileTheCountsCountEveryOne() {
        live.rowLimit(10);
        try {
            JsonPath r = admin().get("/api/v1/hosts/" + hostId + "/sockets?port=" + PORT + "&state=CLOSE-WAIT").then()
                    .statusCode(200).extract().jsonPath();
            assertEquals(STUCK, r.getLong("total"));
            assertEquals(10, r.getInt("listed"));
            assertEquals(10, r.getList("sockets").size());
            assertTrue(r.getBoolean("cut"));
            assertEquals(10, r.getInt("limit"));
            String page = Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD).get("/hosts/" + hostId
                    + "/sockets?port=" + PORT + "&state=CLOSE-WAIT&again=1").then().statusCode(200).extract().asString();
            assertTrue(page.contains("Only the first 10 of " + STUCK + " are listed"), page);
        } finally {
            live.rowLimit(LiveSockets.ROW_LIMIT);
            live.forget(hostId);
        }
    }

    @Test
    void withoutAStateBothEndsAndTheListenerAreListed() {
        JsonPath r = admin().get("/api/v1/hosts/" + hostId + "/sockets?port=" + PORT).then().statusCode(200).extract()
                .jsonPath();
        assertTrue(r.getLong("total") >= STUCK + 1, "the stuck ones and the listener: " + r.getLong("total"));
        assertEquals(1, r.getInt("counts.find { it.state == 'LISTEN' }.count"));
        assertEquals(STUCK, r.getInt("counts.find { it.state == 'CLOSE-WAIT' && !it.remote }.count"));
        assertEquals(r.getLong("total"), (long) r.getList("sockets").size());
    }

    @Test
    void aContainersNamespaceIsReadInsideIt() {
        long key = web.netnsInode();
        JsonPath r = admin().get("/api/v1/hosts/" + hostId + "/sockets?port=" + (PORT + 1) + "&state=CLOSE-WAIT&netns="
                + key).then().statusCode(200).extract().jsonPath();
        assertEquals(6, r.getLong("total"));
        assertEquals("CONTAINER", r.getString("namespace.kind"));
        for (Map<String, Object> s : r.<Map<String, Object>>getList("sockets")) {
            assertEquals(webLeak.pid(), ((Map<?, ?>) s.get("owner")).get("pid"));
            assertEquals(key, ((Number) s.get("netns")).longValue());
        }
        // the host's own namespace does not have them
        admin().get("/api/v1/hosts/" + hostId + "/sockets?port=" + (PORT + 1) + "&state=CLOSE-WAIT").then()
                .statusCode(200).body("total", equalTo(0));
    }

    /** Each bad query, the parameter at fault and the refusal an English caller reads. */
    static Stream<Arguments> badQueries() {
        String portMissing = "Give the port to list, a number from 1 to 65535 (port=9080).";
        String states = String.join(", ", LiveSockets.STATES);
        return Stream.of(
                Arguments.of("", "port", portMissing),
                Arguments.of("port=", "port", portMissing),
                Arguments.of("port=0", "port", "0 is not a port: give a number from 1 to 65535."),
                Arguments.of("port=70000", "port", "70000 is not a port: give a number from 1 to 65535."),
                Arguments.of("port=abc", "port", "abc is not a port: give a number from 1 to 65535."),
                Arguments.of("port=9080;id", "port", "9080;id is not a port: give a number from 1 to 65535."),
                Arguments.of("port=-1", "port", "-1 is not a port: give a number from 1 to 65535."),
                Arguments.of("port=9080&state=BOGUS", "state", "BOGUS is not a TCP state; use one of " + states + "."),
                Arguments.of("port=9080&state=CLOSE-WAIT';id'", "state",
                        "CLOSE-WAIT';id' is not a TCP state; use one of " + states + "."),
                Arguments.of("port=9080&netns=12345", "netns",
                        "The latest snapshot of this host knows no network namespace 12345."),
                Arguments.of("port=9080&netns=abc", "netns",
                        "abc is not a namespace key: give the netns number of the snapshot, 0 for the host itself."),
                Arguments.of("port=9080&netns=99999999999999999999", "netns", "99999999999999999999 is not a"
                        + " namespace key: give the netns number of the snapshot, 0 for the host itself."),
                Arguments.of("port=9080&netns=-1", "netns",
                        "-1 is not a namespace key: give the netns number of the snapshot, 0 for the host itself."));
    }

    @ParameterizedTest
    @MethodSource("badQueries")
    void badInputIsRefusedWithItsReasonAndNothingRuns(String query, String field, String message) {
        long before = live.runs();
        String path = "/hosts/" + hostId + "/sockets" + (query.isEmpty() ? "" : "?" + query);
        admin().get("/api/v1" + path).then().statusCode(400)
                .body("error", equalTo(message))
                .body("fields", equalTo(Map.of(field, message)));
        Browser b = Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);
        String page = b.get(path).then().statusCode(400).extract().asString();
        assertTrue(page.contains("<p class=\"alert\" role=\"alert\">"), page);
        assertEquals(before, live.runs(), "nothing ran on the host");
    }

    @Test
    void theMessagesSayWhatIsWrong() {
        admin().get("/api/v1/hosts/" + hostId + "/sockets").then().statusCode(400)
                .body("error", containsString("from 1 to 65535"));
        admin().get("/api/v1/hosts/" + hostId + "/sockets?port=70000").then().statusCode(400)
                .body("error", containsString("70000 is not a port"));
        admin().get("/api/v1/hosts/" + hostId + "/sockets?port=80&state=bogus").then().statusCode(400)
                .body("error", containsString("CLOSE-WAIT"));
        admin().get("/api/v1/hosts/" + hostId + "/sockets?port=80&netns=12345").then().statusCode(400)
                .body("error", containsString("knows no network namespace 12345"));
        // the page speaks the person's language; the API answers in English whatever the browser asks
        Browser zh = Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);
        zh.acceptLanguage("zh-CN,zh;q=0.9");
        assertTrue(zh.get("/hosts/" + hostId + "/sockets?port=70000").then().statusCode(400).extract().asString()
                .contains("70000 不是端口：请给出 1 到 65535 之间的数字。"));
        String page = zh.get("/hosts/" + hostId + "/sockets?port=" + PORT + "&state=CLOSE-WAIT").then().statusCode(200)
                .extract().asString();
        assertTrue(page.contains("当前共 " + STUCK + " 个连接。"), page);
        assertFalse(page.contains("socket(s) now") || page.contains("Read again"), "left in English");
    }

    @Test
    void oneReadPerHostAtATime() {
        assertTrue(live.claim(hostId));
        try {
            long before = live.runs();
            // a port no other test read: no kept read answers it
            admin().get("/api/v1/hosts/" + hostId + "/sockets?port=24").then().statusCode(429)
                    .body("error", containsString("already running"));
            String page = Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD)
                    .get("/hosts/" + hostId + "/sockets?port=22&again=1").then().statusCode(429).extract().asString();
            assertTrue(page.contains("already running"), page);
            assertEquals(before, live.runs());
        } finally {
            live.release(hostId);
        }
        admin().get("/api/v1/hosts/" + hostId + "/sockets?port=22").then().statusCode(200);
    }

    @Test
    void anySignedInUserMayReadAndNobodyElse() {
        TestUsers.Person viewer = users.create("viewer");
        given().auth().preemptive().basic(viewer.name(), viewer.password())
                .get("/api/v1/hosts/" + hostId + "/sockets?port=22").then().statusCode(200);
        given().get("/api/v1/hosts/" + hostId + "/sockets?port=22").then().statusCode(401);
    }
}
