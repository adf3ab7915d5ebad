package dev.linger.job;

import static dev.linger.Api.admin;
import static dev.linger.job.Jobs.as;
import static dev.linger.job.Jobs.await;
import static dev.linger.job.Jobs.decide;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.linger.Browser;
import dev.linger.Sql;
import dev.linger.TestUsers;
import dev.linger.lab.Container;
import dev.linger.lab.Fault;
import io.restassured.path.json.JsonPath;

/**
 * Jobs inside a container's network namespace, end to end with real parts: Linger's own LOCAL host, two lab
 * containers on it (processes in network namespaces of their own, in Docker-shaped cgroups) and the host's own
 * namespace, each with real CLOSE-WAIT sockets on the same port; real approvals, real workers, real ss -K and sysctl
 * inside the namespace. The incident (or the collection that lists the namespace) is written here directly, so the
 * test does not depend on the collector finding containers.
 */
@io.quarkus.test.junit.QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobNamespaceLabTest {

    private static final int PORT = 9471;
    private static final String TIME = "net.ipv4.tcp_keepalive_time";
    private static final Duration RUN = Duration.ofSeconds(60);

    @Inject
    TestUsers users;

    private long local;
    private String boot;
    private Container a;
    private Container b;
    private Fault onHost;
    private final List<Long> snapshots = new ArrayList<>();
    private final List<Long> incidents = new ArrayList<>();
    private TestUsers.Person operator;
    private TestUsers.Person approver;
    private TestUsers.Person approver2;

    @BeforeAll
    void containers() {
        local = Jobs.localHost();
        boot = JobNamespaceTest.boot();
        String tag = Long.toString(ProcessHandle.current().pid());
        a = Container.onLocal("shop-a-" + tag, Container.Shape.docker());
        b = Container.onLocal("shop-b-" + tag, Container.Shape.docker());
        a.closeWait(PORT, 5);
        b.closeWait(PORT, 4);
        onHost = Fault.onThisMachine("close-wait", PORT, 3);
        operator = users.create("operator");
        approver = users.create("approver");
        approver2 = users.create("approver");
        // the collection that lists the namespaces (what the collector stores for a container host); dated ahead so
        // it is the latest whatever other tests collected, and removed afterwards
        snapshots.add(Sql.count("""
                INSERT INTO snapshot (host_id, taken_at, duration_ms, states, socket_count, namespaces, boot_id)
                VALUES (?, now() + interval '1 day', 1, '[]'::jsonb, 0, CAST(? AS jsonb), ?) RETURNING id
                """, local, "[{\"inode\": 1, \"kind\": \"HOST\", \"name\": \"host\", \"pid\": 1, \"replaced\": 0}, " + ns(a) + ", " + ns(b) + "]",
                boot));
    }

    @AfterAll
    void cleanUp() {
        snapshots.forEach(id -> Sql.count("WITH d AS (DELETE FROM snapshot WHERE id = ? RETURNING 1) SELECT count(*)"
                + " FROM d", id));
        incidents.forEach(id -> Sql.count("WITH u AS (UPDATE incident SET status = 'RESOLVED', resolved_at = now()"
                + " WHERE id = ? RETURNING 1) SELECT count(*) FROM u", id));
        for (AutoCloseable c : new AutoCloseable[] {onHost, a, b}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                System.err.println("cleaning up: " + e);
            }
        }
    }

    private static String ns(Container c) {
        return "{\"inode\": " + c.netnsInode() + ", \"kind\": \"CONTAINER\", \"name\": \"" + c.hostname()
                + "\", \"containerId\": \"" + c.containerId() + "\", \"pid\": " + c.pid() + ", \"replaced\": 0}";
    }

    /** An open CLOSE_WAIT_LEAK incident in container {@code c}, as the incidents helper stores one. */
    private long incidentIn(Container c) {
        long id = Sql.count("""
                INSERT INTO incident (host_id, kind, port, severity, status, opened_at, updated_at,
                                      evidence, netns, namespace)
                VALUES (?, 'CLOSE_WAIT_LEAK', ?, 'WARNING', 'OPEN', now(), now(),
                        '{}'::jsonb, ?, CAST(? AS jsonb)) RETURNING id
                """, local, PORT, c.netnsInode(), "{\"inode\": " + c.netnsInode() + ", \"kind\": \"CONTAINER\","
                + " \"name\": \"" + c.hostname() + "\", \"containerId\": \"" + c.containerId() + "\", \"bootId\": \""
                + boot + "\"}");
        incidents.add(id);
        return id;
    }

    /** Runs a command with sh in the test's own namespace (the LOCAL host's) and returns its stdout. */
    private static String host(String script) {
        try {
            var r = NamespaceTransport.machine().run(null, script, Duration.ofSeconds(20));
            assertEquals(0, r.exitCode(), r.stderr());
            return r.stdout();
        } catch (dev.linger.transport.TransportFailure e) {
            throw new IllegalStateException(e);
        }
    }

    /** CLOSE-WAIT sockets on the port in the host's own namespace. */
    private static int closeWaitOnHost() {
        return (int) host("ss -Htn state close-wait '( sport = :" + PORT + " )'").lines()
                .filter(l -> !l.isBlank()).count();
    }

    private static int closeWaitIn(Container c) {
        return (int) c.exec("ss", "-Htn", "state", "close-wait", "( sport = :" + PORT + " )").lines()
                .filter(l -> !l.isBlank()).count();
    }

    @Test
    void aTargetedKillForAnIncidentInContainerAKillsOnlyAsSocketsOnThePort() {
        assertEquals(5, closeWaitIn(a));
        assertEquals(4, closeWaitIn(b));
        assertEquals(3, closeWaitOnHost());
        String slug = "ns-kill-" + UUID.randomUUID().toString().substring(0, 8);
        admin().body(Map.of("slug", slug, "title", "Kill CLOSE-WAIT on the incident's port", "risk", "HIGH",
                "fits", List.of("CLOSE_WAIT_LEAK"),
                "params", List.of(Map.of("name", "port", "type", "PORT", "label", "Port", "from", "INCIDENT_PORT")),
                "steps", List.of(Map.of("type", "KILL_SOCKETS", "state", "CLOSE_WAIT", "port", "{port}"),
                        Map.of("type", "WAIT_SOCKETS", "state", "CLOSE_WAIT", "port", "{port}", "atMost", 0,
                                "pollSeconds", 1, "timeoutSeconds", 10))))
                .post("/api/v1/runbooks").then().statusCode(201);
        long incident = incidentIn(a);

        JsonPath proposed = as(operator).body(Map.of("runbook", slug, "hostId", local, "incidentId", incident,
                "reason", "CLOSE-WAIT in shop-a")).post("/api/v1/jobs").then().statusCode(201).extract().jsonPath();
        long id = proposed.getLong("id");
        assertEquals(a.netnsInode(), proposed.getLong("netns"));
        assertEquals(a.netnsInode(), proposed.getLong("plan.namespace.inode"));
        assertEquals(boot, proposed.getString("plan.namespace.bootId"));
        assertEquals(a.containerId().substring(0, 12), proposed.getString("namespace.shortId"));
        assertEquals(String.valueOf(PORT), proposed.getString("params.port"), "the port came from the incident");
        assertEquals(5, proposed.getInt("plan.steps[0].matching"), "matched inside A only: " + proposed.prettify());
        String blast = proposed.getString("plan.steps[0].blastRadius");
        assertTrue(blast.startsWith("5 CLOSE_WAIT sockets on :" + PORT + " in container " + a.hostname()), blast);
        assertTrue(blast.contains("are spared"), blast);
        assertEquals(1, Sql.count("SELECT count(*) FROM audit_event WHERE action = 'job.proposed' AND subject_id = ?"
                + " AND details->>'netns' = ?", String.valueOf(id), String.valueOf(a.netnsInode())));

        String page = Browser.signedIn(operator.name(), operator.password()).get("/jobs/" + id).then().statusCode(200)
                .extract().asString();
        assertTrue(page.contains("id=\"plan-netns\"") && page.contains("container " + a.hostname())
                && page.contains("net:[" + a.netnsInode() + "]"), page);
        // approvers see where it would run before opening it, on the inbox and on the job list
        for (String list : List.of("/approvals", "/jobs")) {
            String html = Browser.signedIn(approver.name(), approver.password()).get(list).then().statusCode(200)
                    .extract().asString();
            assertTrue(html.contains("container " + a.hostname() + " (" + a.containerId().substring(0, 12) + ")"),
                    list + " names the container");
        }

        decide(approver, id, "APPROVE", 200);
        decide(approver2, id, "APPROVE", 200);
        JsonPath done = await(id, RUN, "SUCCEEDED", "FAILED");
        assertEquals("SUCCEEDED", done.getString("status"), done.getString("outcome") + " " + done.getList("steps"));
        assertEquals(0, closeWaitIn(a), "A's CLOSE-WAIT sockets on the port are gone");
        assertEquals(4, closeWaitIn(b), "B's on the same port are spared");
        assertEquals(3, closeWaitOnHost(), "and so are the host's own");
    }

    @Test
    void aKeepaliveJobChangesTheValueInsideContainerAOnlyAndItsRollbackRestoresItThere() {
        String hostBefore = host("sysctl -n " + TIME).strip();
        String aBefore = a.exec("sysctl", "-n", TIME).strip();
        String bBefore = b.exec("sysctl", "-n", TIME).strip();
        String intended = aBefore.equals("333") ? "334" : "333";

        // a namespace the latest collection does not list is refused, and nothing is stored
        long jobs = Sql.count("SELECT count(*) FROM job");
        Map<String, Object> proposal = new HashMap<>(Map.of("runbook", "tcp-keepalive-runtime", "hostId", local,
                "reason", "keepalive in shop-a", "params", Map.of("port", String.valueOf(PORT), "idle_seconds",
                        intended, "interval_seconds", "10", "probes", "4"), "netns", 4026530000L));
        as(operator).body(proposal).post("/api/v1/jobs").then().statusCode(400)
                .body("fields.netns", containsString("shows no network namespace net:[4026530000]"));
        proposal.put("netns", -1);
        as(operator).body(proposal).post("/api/v1/jobs").then().statusCode(400);
        // persisting is refused inside a container: the file would change the host's namespace at boot
        Map<String, Object> persist = new HashMap<>(proposal);
        persist.put("runbook", "tcp-keepalive-persistent");
        persist.put("netns", a.netnsInode());
        as(operator).body(persist).post("/api/v1/jobs").then().statusCode(409)
                .body("error", containsString("/etc/sysctl.d")).body("error", containsString("host’s own network"));
        // the orphan-limit drain does not exist inside a container
        as(operator).body(Map.of("runbook", "fin-wait1-drain-orphans", "hostId", local, "reason", "drain",
                "params", Map.of("port", String.valueOf(PORT)), "netns", a.netnsInode())).post("/api/v1/jobs").then()
                .statusCode(409).body("error", containsString("exists only in the host’s own network namespace"));
        assertEquals(jobs, Sql.count("SELECT count(*) FROM job"), "refused: nothing stored");

        proposal.put("netns", a.netnsInode());
        JsonPath proposed = as(operator).body(proposal).post("/api/v1/jobs").then().statusCode(201).extract()
                .jsonPath();
        long id = proposed.getLong("id");
        assertTrue(proposed.getString("plan.steps[0].values.'" + TIME + "'").startsWith(aBefore + " → " + intended),
                "the value now is A's, read inside A: " + proposed.prettify());
        assertTrue(proposed.getString("plan.steps[0].blastRadius").contains("the host and other containers keep"));
        decide(approver, id, "APPROVE", 200);
        JsonPath done = await(id, RUN, "SUCCEEDED", "FAILED");
        assertEquals("SUCCEEDED", done.getString("status"), done.getString("outcome") + " " + done.getList("steps"));
        assertEquals(intended, a.exec("sysctl", "-n", TIME).strip());
        assertEquals(bBefore, b.exec("sysctl", "-n", TIME).strip(), "B keeps its value");
        assertEquals(hostBefore, host("sysctl -n " + TIME).strip(), "the host keeps its value");
        assertEquals(aBefore, done.getString("sysctlChanges.find { it.key == '" + TIME + "' }.before"));

        JsonPath rollback = as(operator).body(Map.of("reason", "undo in shop-a")).post("/api/v1/jobs/" + id
                + "/rollback").then().statusCode(201).extract().jsonPath();
        long rid = rollback.getLong("id");
        assertEquals(a.netnsInode(), rollback.getLong("netns"), "the rollback acts in the same namespace");
        assertEquals(a.netnsInode(), rollback.getLong("plan.namespace.inode"));
        decide(approver, rid, "APPROVE", 200);
        JsonPath undone = await(rid, RUN, "SUCCEEDED", "FAILED");
        assertEquals("SUCCEEDED", undone.getString("status"), undone.getString("outcome"));
        assertEquals(aBefore, a.exec("sysctl", "-n", TIME).strip());
        assertEquals(hostBefore, host("sysctl -n " + TIME).strip());
    }

    @Test
    void aJobWhoseContainerWasKilledAfterItWasProposedFailsBeforeItsFirstChange() {
        String hostBefore = host("sysctl -n " + TIME).strip();
        Container c = Container.onLocal("shop-c-" + ProcessHandle.current().pid(), Container.Shape.docker());
        long incident;
        long id;
        String where = "container " + c.hostname() + " (" + c.containerId().substring(0, 12) + ")";
        try {
            incident = incidentIn(c);
            id = as(operator).body(Map.of("runbook", "tcp-keepalive-runtime", "hostId", local, "incidentId", incident,
                    "reason", "keepalive in shop-c", "params", Map.of("idle_seconds", "345", "interval_seconds", "10",
                            "probes", "4"))).post("/api/v1/jobs").then().statusCode(201).extract().jsonPath()
                    .getLong("id");
        } finally {
            c.close(); // the container is killed while the job waits for its approval
        }
        decide(approver, id, "APPROVE", 200);
        JsonPath done = await(id, RUN, "SUCCEEDED", "FAILED");
        assertEquals("FAILED", done.getString("status"));
        String why = "The job’s network namespace, " + where + " (net:[" + c.netnsInode() + "]), is gone: no process"
                + " is left in it (the container stopped or was removed). Nothing was changed.";
        assertEquals(why, done.getString("outcome"));
        assertEquals("FAILED", done.getString("steps[0].status"));
        assertEquals(why, done.getString("steps[0].message"));
        assertTrue(done.getList("sysctlChanges").isEmpty(), "nothing was recorded as changing");
        assertEquals(hostBefore, host("sysctl -n " + TIME).strip(), "never run on the host");

        String zh = Browser.signedIn(operator.name(), operator.password()).acceptLanguage("zh-CN").get("/jobs/" + id)
                .then().statusCode(200).extract().asString();
        assertTrue(zh.contains("任务的网络命名空间 容器 " + c.hostname()) && zh.contains("已不存在")
                && zh.contains("没有做任何改动"), zh);

        // proposing again for the dead namespace is refused before anything is stored
        long jobs = Sql.count("SELECT count(*) FROM job");
        as(operator).body(Map.of("runbook", "tcp-keepalive-runtime", "hostId", local, "incidentId", incident,
                "reason", "again")).post("/api/v1/jobs").then().statusCode(409)
                .body("fields.netns", containsString("is gone"));
        assertEquals(jobs, Sql.count("SELECT count(*) FROM job"));
    }
}
