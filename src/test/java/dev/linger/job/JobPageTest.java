package dev.linger.job;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.linger.Browser;
import dev.linger.Sql;
import dev.linger.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** Jobs in the browser's terms: propose with the plan in view, decide from the inbox, follow the log. */
@QuarkusTest
class JobPageTest {

    @Inject
    TestUsers users;

    @Test
    void anOperatorProposesAnApproverDecidesFromTheInboxAndBothSeeTheLog() {
        TestUsers.Person operator = users.create("operator");
        TestUsers.Person approver = users.create("approver");
        String slug = Jobs.readOnlyRunbook("LOW");
        long host = Jobs.localHost();
        Browser op = Browser.signedIn(operator.name(), operator.password());
        op.get("/jobs/new?runbook=" + slug + "&hostId=" + host).then().statusCode(200)
                .body(containsString("Propose: show the plan"));
        Map<String, Object> form = new HashMap<>();
        form.put("runbook", slug);
        form.put("hostId", String.valueOf(host));
        form.put("reason", "");
        long before = Sql.count("SELECT count(*) FROM job");
        op.postForm("/jobs", form).then().statusCode(400).body(containsString("Say why"));
        op.postForm("/jobs", form, false).then().statusCode(403);
        assertEquals(before, Sql.count("SELECT count(*) FROM job"));

        form.put("reason", "checking the FIN timeout before tuning it");
        Response proposed = op.postForm("/jobs", form);
        proposed.then().statusCode(303);
        String location = proposed.header("Location");
        long id = Long.parseLong(location.substring(location.lastIndexOf('/') + 1));
        op.get("/jobs/" + id).then().statusCode(200).body(containsString("PENDING_APPROVAL"))
                .body(containsString("sysctl -n net.ipv4.tcp_fin_timeout"))
                .body(containsString("Only approvers decide on jobs."))
                .body(not(containsString("Approve this plan")));

        Browser ap = Browser.signedIn(approver.name(), approver.password());
        ap.get("/").then().statusCode(200).body(containsString("/jobs/" + id));
        ap.get("/approvals").then().statusCode(200).body(containsString("checking the FIN timeout"));
        ap.get("/jobs/" + id).then().statusCode(200).body(containsString("Approve this plan"));
        Map<String, Object> decision = new HashMap<>();
        decision.put("decision", "APPROVE");
        decision.put("comment", "fine");
        ap.postForm("/jobs/" + id + "/decision", decision).then().statusCode(303);
        Jobs.await(id, Duration.ofSeconds(15), "SUCCEEDED");
        String page = ap.get("/jobs/" + id).then().statusCode(200).extract().asString();
        assertTrue(page.contains("Step log") && page.contains("step-SUCCEEDED") && page.contains("<strong>"
                + approver.name() + " approved</strong>"), page);
        ap.get("/approvals").then().body(not(containsString("/jobs/" + id + "\"")));
        op.get("/jobs?status=SUCCEEDED").then().statusCode(200).body(containsString("#" + id));
        op.get("/jobs?status=bogus").then().statusCode(400);
    }

    @Test
    void viewersReadJobsButCannotProposeOrDecide() {
        TestUsers.Person viewer = users.create("viewer");
        Browser v = Browser.signedIn(viewer.name(), viewer.password());
        v.get("/jobs").then().statusCode(200);
        v.get("/approvals").then().statusCode(200).body(containsString("Only approvers decide"));
        v.get("/jobs/new?runbook=kill-close-wait-sockets").then().statusCode(403);
        Map<String, Object> form = new HashMap<>();
        form.put("decision", "APPROVE");
        v.postForm("/jobs/1/decision", form).then().statusCode(403);
    }
}
