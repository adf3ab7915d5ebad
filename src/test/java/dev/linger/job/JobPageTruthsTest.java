package dev.linger.job;

import static dev.linger.Api.admin;
import static dev.linger.job.Jobs.as;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.linger.Browser;
import dev.linger.Sql;
import dev.linger.TestDatabase;
import dev.linger.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** What job and incident pages say must be true: a plan that would touch nothing says so; one resolver, everywhere. */
@QuarkusTest
class JobPageTruthsTest {

    @Inject
    TestUsers users;

    @Test
    void aPlanWhoseKillOrWaitMatchesNoSocketSaysSoBeforeAnyoneApproves() throws Exception {
        TestUsers.Person operator = users.create("operator");
        int port;
        // a port nobody uses: bound once and released, so no socket of any state is on it now
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String slug = "kill-" + UUID.randomUUID().toString().substring(0, 8);
        admin().body(Map.of("slug", slug, "title", "Kill then wait", "risk", "HIGH", "steps", List.of(
                Map.of("type", "KILL_SOCKETS", "state", "CLOSE_WAIT", "port", String.valueOf(port)),
                Map.of("type", "WAIT_SOCKETS", "state", "CLOSE_WAIT", "port", String.valueOf(port), "atMost", 0,
                        "pollSeconds", 1, "timeoutSeconds", 5)))).post("/api/v1/runbooks").then().statusCode(201);
        long id = Jobs.propose(operator, slug, Jobs.localHost(), Map.of());
        JsonPath job = Jobs.job(id);
        assertEquals("No CLOSE_WAIT socket on :" + port + " matches now: this step destroys nothing.",
                job.getString("plan.steps[0].blastRadius"));
        assertEquals(0, job.getInt("plan.steps[0].matching"));
        assertEquals("No CLOSE_WAIT socket on :" + port + " matches now: this wait ends at once.",
                job.getString("plan.steps[1].blastRadius"));
        Browser page = Browser.signedIn(operator.name(), operator.password());
        assertTrue(page.get("/jobs/" + id).then().statusCode(200).extract().asString()
                .contains("this step destroys nothing"));
        assertTrue(page.acceptLanguage("zh-CN").get("/jobs/" + id).then().statusCode(200).extract().asString()
                .contains("端口 :" + port + " 上现在没有 CLOSE_WAIT 连接：这一步不会关闭任何连接。"));
        as(operator).post("/api/v1/jobs/" + id + "/cancel").then().statusCode(200);
    }

    @Test
    void theIncidentListAndTheIncidentPageNameTheSameResolver() throws Exception {
        TestUsers.Person viewer = users.create("viewer");
        long host = NoopHosts.hosts(1).get(0);
        try (Connection c = TestDatabase.superuser(); Statement s = c.createStatement()) {
            // acknowledged by a person, then resolved by the job that verified its fix
            s.executeUpdate("""
                    INSERT INTO incident (host_id, kind, port, severity, status, opened_at, updated_at, acknowledged_at,
                                          acknowledged_by, resolved_at, resolved_by)
                    VALUES (%d, 'CLOSE_WAIT_LEAK', 9080, 'CRITICAL', 'RESOLVED', now() - interval '1 hour', now(),
                            now() - interval '50 minutes', 'oncall-ack', now(), 'job 42')
                    """.formatted(host));
        }
        long incident = Sql.count("SELECT id FROM incident WHERE host_id = ?", host);
        Browser b = Browser.signedIn(viewer.name(), viewer.password());
        String list = b.get("/incidents?status=RESOLVED&hostId=" + host).then().statusCode(200).extract().asString();
        String row = list.substring(list.indexOf("/incidents/" + incident + "\""));
        row = row.substring(0, row.indexOf("</tr>"));
        assertTrue(row.contains("by job 42"), row);
        assertFalse(row.contains("oncall-ack"), "the list names who resolved it, as the page does: " + row);
        String detail = b.get("/incidents/" + incident).then().statusCode(200).extract().asString();
        assertTrue(detail.contains("by job 42"), detail);
    }
}
