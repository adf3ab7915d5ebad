package dev.linger.incident;

import static dev.linger.Api.admin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import dev.linger.MovableClock;
import dev.linger.Sql;
import dev.linger.TestUsers;
import dev.linger.lab.Fault;
import dev.linger.lab.LabHost;
import dev.linger.lab.LingerTestKey;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Incidents from real kernel states on a lab host reached over real SSH (root needed; CI runs as root). */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IncidentLabTest {

    private LabHost lab;
    private Fault leak;
    private Fault defunct;
    private long hostId;
    /** Snapshots are dated by the injected clock, so a socket ages when the test moves it. */
    private final MovableClock clock = new MovableClock();

    @BeforeAll
    void startLab() {
        QuarkusMock.installMockForType(clock, Clock.class); // in @BeforeAll: for every test of the class
        lab = LingerTestKey.labHost("inc");
    }

    @AfterAll
    void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }

    static void collectOk(long hostId) {
        admin().post("/api/v1/hosts/" + hostId + "/collect").then().statusCode(200).body("ok", equalTo(true));
    }

    void collect() {
        collectOk(hostId);
    }

    JsonPath incident(String kind, int port) {
        return admin().get("/api/v1/incidents?hostId=" + hostId + "&kind=" + kind).then().statusCode(200).extract()
                .jsonPath().setRootPath("find { it.port == " + port + " }");
    }

    @Test
    @Order(0)
    void theLabHostIsAddedTrustedAndCollectedClean() {
        int id = admin().body(Map.of("name", "inc-" + lab.namespace(), "address", lab.address(), "sshUser", lab.user()))
                .post("/api/v1/hosts").then().statusCode(201).extract().path("id");
        hostId = id;
        admin().post("/api/v1/hosts/" + hostId + "/collect"); // records the presented key
        admin().body(Map.of("fingerprint", lab.hostKeyFingerprint())).post("/api/v1/hosts/" + hostId + "/host-key/trust")
                .then().statusCode(200);
        collect(); // a clean baseline: nothing stuck yet
        assertEquals(0, Sql.count("SELECT count(*) FROM incident WHERE host_id = ?", hostId));
    }

    @Test
    @Order(1)
    void aCloseWaitLeakOpensAtTheNextCollectionAndNamesItsOwner() {
        leak = lab.closeWait(9080, 12);
        defunct = lab.defunct(9082, 4);
        lab.finWait1(9081, 3);
        collect(); // the first collection after the leak appeared
        JsonPath i = incident("CLOSE_WAIT_LEAK", 9080);
        assertEquals("OPEN", i.getString("status"));
        assertEquals("CRITICAL", i.getString("severity"), "the program stopped reading: bytes are unread");
        assertTrue(i.getString("explanation").contains("pid " + leak.pid()), i.getString("explanation"));
        assertTrue(i.getString("explanation").contains("faults"), i.getString("explanation"));
    }

    @Test
    @Order(2)
    void theDefunctLeaderOpensDefunctOwnerNamingItsParent() {
        JsonPath i = incident("DEFUNCT_OWNER", 9082);
        assertEquals("CRITICAL", i.getString("severity"));
        long ppid = defunct.ppid(); // as the lab host sees it (it has a PID namespace of its own)
        assertTrue(ppid > 0, "the lab knows the parent");
        assertEquals(defunct.pid(), i.getInt("evidence.pid"));
        assertEquals(ppid, i.getLong("evidence.ppid"));
        assertTrue(i.getString("explanation").contains(String.valueOf(ppid)), i.getString("explanation"));
    }

    @Test
    @Order(3)
    void finWait1OrphansOpenFinWait1StuckWithTheirTimerKind() {
        clock.advance(Duration.ofMillis(2_500)); // the test threshold is 2 s (60 s in production)
        collect();
        JsonPath i = incident("FIN_WAIT1_STUCK", 9081);
        assertEquals("OPEN", i.getString("status"));
        assertEquals(3, i.getInt("evidence.count"));
        assertEquals(3, i.getInt("evidence.timers.persist"), "zero-window peers: persist timer");
        assertTrue(i.getString("explanation").toLowerCase().contains("window"), i.getString("explanation"));

        // the lab host is a network namespace: the orphan-limit drain cannot run there, the targeted kill can
        String page = dev.linger.Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD)
                .get("/incidents/" + i.getLong("id")).then().statusCode(200).extract().asString();
        assertTrue(page.contains("net.ipv4.tcp_max_orphans does not exist on this host"), page);
        assertTrue(page.contains("ss -K works on this host."), page);
        assertTrue(page.indexOf("/runbooks/kill-fin-wait1-sockets?port=9081") < page.indexOf(
                "/runbooks/fin-wait1-drain-orphans?port=9081"), "the runbook that applies comes first");
    }

    @Test
    @Order(3)
    void keepaliveTuningIsShownAsUselessForALeakWithoutKeepalive() {
        long id = incident("CLOSE_WAIT_LEAK", 9080).getLong("id");
        String page = dev.linger.Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD).get("/incidents/" + id)
                .then().statusCode(200).extract().asString();
        assertTrue(page.contains("None of the 12 CLOSE-WAIT sockets on port 9080 has a keepalive timer"), page);
    }

    @Test
    @Order(4)
    void anUnreachableHostOpensOneIncidentNotAStorm() {
        long before = Sql.count("SELECT count(*) FROM incident WHERE host_id = ?", hostId);
        lab.stopSsh();
        try {
            for (int i = 0; i < 3; i++) {
                admin().post("/api/v1/hosts/" + hostId + "/collect").then().statusCode(200).body("ok", equalTo(false));
            }
            assertEquals(before + 1, Sql.count("SELECT count(*) FROM incident WHERE host_id = ?", hostId));
            assertEquals(1, Sql.count("SELECT count(*) FROM incident WHERE host_id = ? AND kind = 'HOST_UNREACHABLE'"
                    + " AND status = 'OPEN'", hostId));
        } finally {
            lab.startSsh();
        }
        collect();
        assertEquals("RESOLVED", incident("HOST_UNREACHABLE", 0).getString("status"));
    }

    @Test
    @Order(5)
    void theLeakResolvesAfterItsProcessIsGone() {
        leak.close();
        for (int i = 0; i < 3; i++) {
            collect();
        }
        JsonPath i = incident("CLOSE_WAIT_LEAK", 9080);
        assertEquals("RESOLVED", i.getString("status"));
        assertEquals("OPEN", incident("DEFUNCT_OWNER", 9082).getString("status"), "the other conditions remain");
        List<String> timeline = admin().get("/api/v1/incidents/" + i.getLong("id") + "/timeline").then().statusCode(200)
                .extract().jsonPath().getList("type");
        assertEquals("OPENED", timeline.get(0));
        assertEquals("RESOLVED", timeline.get(timeline.size() - 1));
    }
}
