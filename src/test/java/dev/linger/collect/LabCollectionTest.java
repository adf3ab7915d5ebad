package dev.linger.collect;

import static dev.linger.Api.admin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import dev.linger.Browser;
import dev.linger.Sql;
import dev.linger.TestUsers;
import dev.linger.Waits;
import dev.linger.lab.Fault;
import dev.linger.lab.LabHost;
import dev.linger.lab.LingerTestKey;
import dev.linger.transport.Transports;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Linger against a real host: a network namespace with its own sshd, reached over a veth pair,
 * whose kernel holds CLOSE-WAIT sockets with unread bytes, orphaned FIN-WAIT-1 sockets behind
 * peers that never read, and a defunct leader whose live thread holds sockets. Needs root (CI
 * runs as root); without it the lab fails to start and says why.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabCollectionTest {

    @Inject
    CollectDueHosts loop;
    @Inject
    Transports transports;

    private LabHost lab;
    private Fault closeWait;
    private Fault finWait1;
    private Fault defunct;
    private int hostId;


    @BeforeAll
    void startLab() {
        lab = LingerTestKey.labHost("col");
        closeWait = lab.closeWait(9080, 5);
        finWait1 = lab.finWait1(9081, 3);
        defunct = lab.defunct(9082, 4);
    }

    @AfterAll
    void stopLab() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    @Order(1)
    void anUnknownHostKeyIsRecordedAsPendingAndNothingIsCollected() {
        hostId = admin().body(Map.of("name", "lab-" + lab.namespace(), "address", lab.address(), "sshUser", lab.user(),
                "collectIntervalSeconds", 30))
                .post("/api/v1/hosts").then().statusCode(201).extract().path("id");
        admin().post("/api/v1/hosts/" + hostId + "/collect").then().statusCode(200).body("ok", equalTo(false))
                .body("error", containsString("not trusted yet"));
        admin().get("/api/v1/hosts/" + hostId).then().body("hostKey.status", equalTo("PENDING"))
                .body("hostKey.fingerprint", equalTo(lab.hostKeyFingerprint()));
        admin().get("/api/v1/hosts/" + hostId + "/snapshots/latest").then().statusCode(404);
        assertEquals(0, Sql.count("SELECT count(*) FROM snapshot WHERE host_id = ?", (long) hostId));
    }

    @Test
    @Order(2)
    void afterTheKeyIsTrustedTheScheduleCollectsWithinOneInterval() {
        admin().body(Map.of("fingerprint", "SHA256:" + "x".repeat(43))).post("/api/v1/hosts/" + hostId + "/host-key/trust")
                .then().statusCode(409).body("error", containsString(lab.hostKeyFingerprint()));
        admin().body(Map.of("fingerprint", lab.hostKeyFingerprint())).post("/api/v1/hosts/" + hostId + "/host-key/trust")
                .then().statusCode(200).body("hostKey.status", equalTo("TRUSTED"));
        Waits.upTo(Duration.ofSeconds(30), "a snapshot within one 30 s interval of trusting the key").until(() -> {
            loop.runOnce(); // the scheduler is off in tests: the test ticks the loop itself
            return Sql.count("SELECT count(*) FROM snapshot WHERE host_id = ?", (long) hostId) > 0;
        });
        admin().get("/api/v1/hosts/" + hostId).then().body("status", equalTo("UP"));
    }

    @Test
    @Order(3)
    void theSnapshotShowsEachStuckStateWithQueuesTimersAndOwners() {
        admin().post("/api/v1/hosts/" + hostId + "/collect").then().statusCode(200).body("ok", equalTo(true));
        JsonPath s = admin().get("/api/v1/hosts/" + hostId + "/snapshots/latest").then().statusCode(200).extract()
                .jsonPath();
        assertEquals(5, s.getInt("states.find { it.port == 9080 && it.state == 'CLOSE-WAIT' && !it.remote }.count"));
        assertEquals(3, s.getInt("states.find { it.port == 9081 && it.state == 'FIN-WAIT-1' }.count"));
        assertEquals(4, s.getInt("states.find { it.port == 9082 && it.state == 'CLOSE-WAIT' }.count"));

        List<Map<String, Object>> leak = s.getList("sockets.findAll { it.state == 'CLOSE-WAIT' && it.local.endsWith(':9080') }");
        assertEquals(5, leak.size());
        for (Map<String, Object> socket : leak) {
            assertTrue(((Number) socket.get("recvQ")).longValue() > 0, "the program stopped reading: " + socket);
            assertEquals(closeWait.pid(), ((Map<?, ?>) socket.get("owner")).get("pid"));
        }

        List<Map<String, Object>> stuck = s.getList("sockets.findAll { it.state == 'FIN-WAIT-1' }");
        assertEquals(3, stuck.size());
        for (Map<String, Object> socket : stuck) {
            assertEquals("persist", socket.get("timer"), "zero-window peer");
            assertTrue(((Number) socket.get("sendQ")).longValue() > 0);
            assertNull(socket.get("owner"), "closed by the program: an orphan");
        }

        List<Map<String, Object>> held = s.getList("sockets.findAll { it.state == 'CLOSE-WAIT' && it.local.endsWith(':9082') }");
        assertEquals(4, held.size());
        for (Map<String, Object> socket : held) {
            Map<?, ?> owner = (Map<?, ?>) socket.get("owner");
            assertNotNull(owner, "ss -p shows no owner here; Linger must");
            assertEquals(defunct.pid(), owner.get("pid"));
            assertNotEquals(defunct.pid(), owner.get("tid"), "found through a live thread's fd table");
            assertEquals("Z", owner.get("processState"));
        }
        assertEquals(2, s.getInt("processes.find { it.pid == " + defunct.pid() + " }.threads"));
        assertEquals("Z", s.getString("processes.find { it.pid == " + defunct.pid() + " }.state"));
        assertNull(s.get("sysctls.'net.ipv4.tcp_max_orphans'"), "global sysctl: absent in a namespace");
        assertEquals("60", s.getString("sysctls.'net.ipv4.tcp_fin_timeout'"));
        assertTrue(s.getInt("sockstat.orphans") >= 3);
        assertEquals(finWait1.port(), 9081);
    }

    @Test
    @Order(4)
    void theHostPageExplainsTheDefunctLeaderAndDrawsTheChart() {
        String html = Browser.signedIn("admin", TestUsers.ADMIN_PASSWORD).get("/hosts/" + hostId).then().statusCode(200)
                .extract().asString();
        assertTrue(html.contains("defunct leader: main thread exited, 1 live thread still holds 4 sockets"), html);
        assertTrue(html.contains("<svg"), "chart");
        assertTrue(html.contains(":9080 CLOSE-WAIT"));
        assertTrue(html.contains("orphaned (no process)"), "FIN-WAIT-1 orphans are labelled");
    }

    @Test
    @Order(5)
    void metricsShowWhatLingerSees() {
        String name = "lab-" + lab.namespace();
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("linger_host_port_sockets{host=\"" + name + "\",port=\"9080\",state=\"CLOSE-WAIT\"} 5.0"),
                metrics.lines().filter(l -> l.contains(name)).toList().toString());
        assertTrue(metrics.contains("linger_host_sockets{host=\"" + name + "\",state=\"FIN-WAIT-1\"} 3.0"));
        assertTrue(metrics.contains("linger_collection_seconds_count{host=\"" + name + "\",outcome=\"ok\"}"));
    }

    @Test
    @Order(6)
    void anUnreachableHostIsMarkedAndRetriedWithBackoff() {
        lab.stopSsh();
        try {
            admin().post("/api/v1/hosts/" + hostId + "/collect").then().statusCode(200).body("ok", equalTo(false));
            admin().get("/api/v1/hosts/" + hostId).then().body("status", equalTo("UNREACHABLE"))
                    .body("lastError", containsString("connection refused"));
            assertEquals(1, Sql.count("SELECT consecutive_failures FROM host WHERE id = ?", (long) hostId));
        } finally {
            lab.startSsh();
        }
        admin().post("/api/v1/hosts/" + hostId + "/collect").then().statusCode(200).body("ok", equalTo(true));
        admin().get("/api/v1/hosts/" + hostId).then().body("status", equalTo("UP"));
    }

    @Test
    @Order(7)
    void aStalledServerDoesNotHangACollectionPastItsTimeouts() {
        transports.forget(hostId); // a new connection meets the frozen sshd
        lab.freezeSsh();
        long start = System.nanoTime();
        try {
            admin().post("/api/v1/hosts/" + hostId + "/collect").then().statusCode(200).body("ok", equalTo(false));
        } finally {
            lab.thawSsh();
        }
        long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
        assertTrue(seconds < 30, "took " + seconds + " s; connect and command timeouts bound it");
        admin().get("/api/v1/hosts/" + hostId).then().body("status", equalTo("UNREACHABLE"));
    }

    @Test
    @Order(8)
    void aChangedHostKeyStopsEverythingAndRaisesTheAlarm() {
        String old = lab.hostKeyFingerprint();
        lab.replaceHostKey();
        admin().post("/api/v1/hosts/" + hostId + "/collect").then().statusCode(200).body("ok", equalTo(false))
                .body("error", containsString("HOST KEY CHANGED"));
        admin().get("/api/v1/hosts/" + hostId).then().body("hostKey.status", equalTo("CHANGED"))
                .body("hostKey.fingerprint", equalTo(lab.hostKeyFingerprint()))
                .body("hostKey.trustedFingerprint", equalTo(old));
        admin().post("/api/v1/hosts/" + hostId + "/collect").then().statusCode(409);
        Browser.signedIn("admin", TestUsers.ADMIN_PASSWORD).get("/").then().statusCode(200)
                .body(containsString("Host key changed on lab-" + lab.namespace()));
        long snapshots = Sql.count("SELECT count(*) FROM snapshot WHERE host_id = ?", (long) hostId);
        admin().body(Map.of("fingerprint", lab.hostKeyFingerprint())).post("/api/v1/hosts/" + hostId + "/host-key/trust")
                .then().statusCode(200).body("hostKey.status", equalTo("TRUSTED"));
        admin().post("/api/v1/hosts/" + hostId + "/collect").then().statusCode(200).body("ok", equalTo(true));
        assertEquals(snapshots + 1, Sql.count("SELECT count(*) FROM snapshot WHERE host_id = ?", (long) hostId));
        assertTrue(Sql.count("SELECT count(*) FROM audit_event WHERE action = 'host.collect_requested' AND subject_id = ?", String.valueOf(hostId)) >= 5);
        assertEquals(1, Sql.count("SELECT count(*) FROM audit_event WHERE action = 'host.key_trusted' AND subject_id = ?"
                + " AND details->>'replaces' = ?", String.valueOf(hostId), old));
    }

    @Test
    @Order(9)
    void theLocalHostIsCollectedOnThisMachine() {
        long local = Sql.count("SELECT id FROM host WHERE transport = 'LOCAL'");
        admin().post("/api/v1/hosts/" + local + "/collect").then().statusCode(200).body("ok", equalTo(true));
        admin().get("/api/v1/hosts/" + local + "/snapshots/latest").then().statusCode(200)
                .body("states.find { it.port == 5432 && it.state == 'LISTEN' }.count", org.hamcrest.Matchers.greaterThanOrEqualTo(1))
                .body("source", equalTo("proc"));
    }
}
