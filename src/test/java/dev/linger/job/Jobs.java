package dev.linger.job;

import static dev.linger.Api.admin;
import static io.restassured.RestAssured.given;

import java.time.Duration;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.linger.Sql;
import dev.linger.Waits;
import dev.linger.TestUsers;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/** Test helpers for jobs: people with roles, small runbooks, and waiting for a job to reach a state. */
public final class Jobs {

    private Jobs() {
    }

    public static RequestSpecification as(TestUsers.Person p) {
        return given().auth().preemptive().basic(p.name(), p.password()).contentType("application/json");
    }

    public static long localHost() {
        return Sql.count("SELECT id FROM host WHERE transport = 'LOCAL'");
    }

    /** A runbook that only reads a sysctl: safe to run on the machine the tests run on. */
    public static String readOnlyRunbook(String risk) {
        String slug = "read-" + UUID.randomUUID().toString().substring(0, 8);
        admin().body(Map.of("slug", slug, "title", "Read the FIN timeout (" + risk + ")", "risk", risk, "steps",
                List.of(Map.of("type", "READ_SYSCTL", "key", "net.ipv4.tcp_fin_timeout"))))
                .post("/api/v1/runbooks").then().statusCode(201);
        return slug;
    }

    static long propose(TestUsers.Person operator, String runbook, long hostId, Map<String, String> params) {
        return ((Number) as(operator).body(Map.of("runbook", runbook, "hostId", hostId, "params", params, "reason",
                "test: " + runbook)).post("/api/v1/jobs").then().statusCode(201).extract().path("id")).longValue();
    }

    static JsonPath decide(TestUsers.Person approver, long job, String decision, int status) {
        return as(approver).body(Map.of("decision", decision, "comment", "ok")).post("/api/v1/jobs/" + job + "/approvals")
                .then().statusCode(status).extract().jsonPath();
    }

    static JsonPath job(long id) {
        return admin().get("/api/v1/jobs/" + id).then().statusCode(200).extract().jsonPath();
    }

    /** Waits until the job is in one of the given states; fails with its last state after the timeout. */
    static JsonPath await(long id, Duration timeout, String... states) {
        try {
            Waits.upTo(timeout, "job " + id + " " + List.of(states))
                    .until(() -> List.of(states).contains(job(id).getString("status")));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            JsonPath j = job(id);
            throw new AssertionError("job " + id + " is " + j.getString("status") + " (" + j.getString("outcome")
                    + "), not " + List.of(states) + " after " + timeout + "; steps: " + j.getList("steps"), e);
        }
        return job(id);
    }
}
