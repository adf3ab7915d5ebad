package dev.linger.incident;

import static dev.linger.Api.admin;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import dev.linger.Sql;
import dev.linger.lab.Container;
import dev.linger.lab.LabHost;
import dev.linger.lab.LingerTestKey;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Issue 13, done when: a CLOSE-WAIT leak inside a container namespace on the LOCAL host and on a lab host opens
 * CLOSE_WAIT_LEAK naming the container. Real namespaces, real cgroups named as Docker and Kubernetes name theirs,
 * real kernel sockets, real SSH to the lab host (root needed; CI runs as root).
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerIncidentLabTest {

    /** Ports no other test of this JVM uses on the LOCAL host. */
    static final int LOCAL_PORT = 7391;
    static final int LAB_PORT = 9080;

    private final String suffix = java.util.UUID.randomUUID().toString().substring(0, 6);
    private long local;
    private Container checkout;
    private Container shop;
    private LabHost lab;
    private Container web;
    private long labHost;

    @BeforeAll
    void start() {
        local = Sql.count("SELECT id FROM host WHERE transport = 'LOCAL'");
        // two containers on this machine with a leak on the same port: two namespaces, two incidents
        checkout = Container.onLocal("checkout-" + suffix, Container.Shape.docker());
        shop = Container.onLocal("shop-" + suffix, Container.Shape.pod(Container.Shape.randomPodUid()));
        lab = LingerTestKey.labHost("cinc");
        web = lab.container("web-" + suffix, Container.Shape.docker());
    }

    @AfterAll
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] { checkout, shop, lab }) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // the others must still go
            }
        }
    }

    static void collect(long hostId) {
        admin().post("/api/v1/hosts/" + hostId + "/collect").then().statusCode(200).body("ok", equalTo(true));
    }

    /** The incidents of the host in the container, by its name (the API's namespace filter). */
    static List<Map<String, Object>> incidents(long hostId, String kind, Container c) {
        return admin().get("/api/v1/incidents?hostId=" + hostId + "&kind=" + kind + "&namespace=" + c.hostname())
                .then().statusCode(200).extract().jsonPath().getList("$");
    }

    static JsonPath only(long hostId, String kind, Container c) {
        List<Map<String, Object>> found = incidents(hostId, kind, c);
        assertEquals(1, found.size(), () -> kind + " in " + c + ": " + found);
        return new JsonPath(admin().get("/api/v1/incidents/" + found.get(0).get("id")).then().statusCode(200).extract()
                .asString());
    }

    @Test
    @Order(1)
    void aLeakInAContainerOfTheLocalHostOpensCloseWaitLeakNamingTheContainer() {
        var leak = checkout.closeWait(LOCAL_PORT, 12);
        shop.closeWait(LOCAL_PORT, 11);
        collect(local);

        JsonPath i = only(local, "CLOSE_WAIT_LEAK", checkout);
        assertEquals(LOCAL_PORT, i.getInt("port"));
        assertEquals("OPEN", i.getString("status"));
        assertEquals("CRITICAL", i.getString("severity"), "the program stopped reading: bytes are unread");
        assertEquals("CONTAINER", i.getString("namespace.kind"));
        assertEquals(checkout.hostname(), i.getString("namespace.name"));
        assertEquals(checkout.containerId(), i.getString("namespace.containerId"));
        assertEquals(checkout.netnsInode(), i.getLong("namespace.inode"));
        assertEquals(12, i.getInt("evidence.count"));
        String explanation = i.getString("explanation");
        assertTrue(explanation.startsWith("12 sockets on :" + LOCAL_PORT + " in container `" + checkout.hostname()
                + "` (" + checkout.containerId().substring(0, 12) + ")"), explanation);
        assertTrue(explanation.contains("pid " + leak.pid()), explanation);
        assertEquals(checkout.netnsInode(), Sql.count("SELECT netns FROM incident WHERE id = ?", i.getLong("id")));
        assertTrue(Sql.text("SELECT namespace->>'bootId' FROM incident WHERE id = ?", i.getLong("id")) != null,
                "the boot the inode belongs to is kept");

        // the same port in the pod's namespace is another incident, named as a pod
        JsonPath p = only(local, "CLOSE_WAIT_LEAK", shop);
        assertNotEquals(i.getLong("id"), p.getLong("id"));
        assertEquals("POD", p.getString("namespace.kind"));
        assertEquals(shop.podUid(), p.getString("namespace.pod"));
        assertTrue(p.getString("explanation").startsWith("11 sockets on :" + LOCAL_PORT + " in pod `" + shop.hostname()
                + "` (container " + shop.containerId().substring(0, 12) + ", uid " + shop.podUid() + ")"),
                p.getString("explanation"));
        // and the host's own namespace has no such incident: its table does not have these sockets
        assertEquals(0, Sql.count("SELECT count(*) FROM incident WHERE host_id = ? AND netns = 0 AND port = ?"
                + " AND status <> 'RESOLVED'", local, LOCAL_PORT));
    }

    @Test
    @Order(2)
    void whenTheContainerIsGoneItsIncidentClearsAndTheOtherStays() {
        checkout.close();
        for (int n = 0; n < 3; n++) {
            collect(local);
        }
        assertEquals("RESOLVED", only(local, "CLOSE_WAIT_LEAK", checkout).getString("status"));
        assertEquals("OPEN", only(local, "CLOSE_WAIT_LEAK", shop).getString("status"));
    }

    @Test
    @Order(3)
    void aLeakInAContainerOfALabHostOpensCloseWaitLeakNamingTheContainer() {
        int id = admin().body(Map.of("name", "cinc-" + lab.namespace(), "address", lab.address(), "sshUser", lab.user()))
                .post("/api/v1/hosts").then().statusCode(201).extract().path("id");
        labHost = id;
        admin().post("/api/v1/hosts/" + labHost + "/collect"); // records the presented key
        admin().body(Map.of("fingerprint", lab.hostKeyFingerprint())).post("/api/v1/hosts/" + labHost
                + "/host-key/trust").then().statusCode(200);
        collect(labHost);
        assertEquals(0, Sql.count("SELECT count(*) FROM incident WHERE host_id = ?", labHost), "clean before the leak");

        var leak = web.closeWait(LAB_PORT, 12);
        collect(labHost);

        JsonPath i = only(labHost, "CLOSE_WAIT_LEAK", web);
        assertEquals(LAB_PORT, i.getInt("port"));
        assertEquals("CONTAINER", i.getString("namespace.kind"));
        assertEquals(web.containerId(), i.getString("namespace.containerId"));
        String explanation = i.getString("explanation");
        assertTrue(explanation.startsWith("12 sockets on :" + LAB_PORT + " in container `" + web.hostname() + "` ("
                + web.containerId().substring(0, 12) + ")"), explanation);
        assertTrue(explanation.contains("pid " + leak.pid()), "the pid as the lab host sees it: " + explanation);
        assertEquals(1, Sql.count("SELECT count(*) FROM incident WHERE host_id = ?", labHost),
                "one incident: the lab host's own namespace has nothing on :" + LAB_PORT);
    }
}
