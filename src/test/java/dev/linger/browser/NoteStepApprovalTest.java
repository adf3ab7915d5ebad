package dev.linger.browser;

import static dev.linger.Api.admin;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import dev.linger.Sql;
import dev.linger.TestUsers;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A manual (NOTE) step in a real Chromium: the approver reads its full text in the plan before approving, and the
 * person who confirms it reads it again where the running job waits for them. The job runs on the LOCAL host and
 * only reads a sysctl, so it changes nothing on this machine.
 */
@QuarkusTest
class NoteStepApprovalTest {

    static final String NOTE = "Take web-1 out of the load balancer's pool (weight 0) and wait until it serves"
            + " nothing.\nThen confirm here.";

    @TestHTTPResource("/")
    URL root;

    @Inject
    TestUsers users;

    @Test
    void theApproverReadsTheNotesTextBeforeApprovingAndAgainWhereTheJobWaitsForIt() {
        TestUsers.Person operator = users.create("operator");
        TestUsers.Person approver = users.create("operator", "approver");
        String slug = "note-" + UUID.randomUUID().toString().substring(0, 8);
        admin().body(Map.of("slug", slug, "title", "Drain web-1 by hand", "risk", "LOW", "steps", List.of(
                Map.of("type", "READ_SYSCTL", "key", "net.ipv4.tcp_fin_timeout"), Map.of("type", "NOTE", "text",
                        NOTE)))).post("/api/v1/runbooks").then().statusCode(201);
        long host = Sql.count("SELECT id FROM host WHERE transport = 'LOCAL'");
        long id = ((Number) given().auth().preemptive().basic(operator.name(), operator.password())
                .contentType("application/json").body(Map.of("runbook", slug, "hostId", host, "reason",
                        "web-1 must stop serving before its sockets are killed"))
                .post("/api/v1/jobs").then().statusCode(201).extract().path("id")).longValue();
        assertEquals(NOTE, admin().get("/api/v1/jobs/" + id).then().statusCode(200).extract().path("plan.steps[1].note"),
                "the plan JSON carries the note's full text");

        try (Chromium approving = Chromium.desktop(root.toString())) {
            approving.signIn(approver.name(), approver.password());
            approving.open("/jobs/" + id);
            WebElement plan = approving.driver().findElement(By.xpath("//section[h2='Plan']"));
            WebElement note = plan.findElement(By.cssSelector("ol.steps > li:nth-child(2) blockquote.note"));
            assertTrue(note.isDisplayed(), "the note is on the page, not hidden");
            assertEquals(NOTE, note.getText(), "the approver reads the whole note, line break included");
            assertTrue(approving.findAll("button[name=decision][value=APPROVE]").size() == 1,
                    "and can approve right there");
            approving.screenshot("note-plan-before-approval");
            approving.find("button[name=decision][value=APPROVE]").click();
            approving.waiting().until(d -> approving.findAll(".flash").size() == 1);

            // the job runs its READ_SYSCTL and then waits for a person: the page says for what, in full
            approving.waiting(Duration.ofSeconds(30)).until(d -> {
                d.navigate().refresh();
                return !approving.findAll("#note-waiting").isEmpty();
            });
            assertEquals(NOTE, approving.text("#note-waiting"));
            assertTrue(approving.text("#job-live").contains("Step 2 waits until this is done by hand"),
                    approving.text("#job-live"));
            approving.screenshot("note-waiting-for-confirmation");
            approving.find("form[action='/jobs/" + id + "/steps/2/confirm'] button").click();
            approving.waiting(Duration.ofSeconds(30)).until(d -> {
                d.navigate().refresh();
                return "Succeeded".equals(approving.text("#job-live h2 .badge"));
            });
            assertEquals(NOTE, approving.text("#job-live ol.steps > li:nth-child(2) blockquote.note"),
                    "the step log keeps what was done by hand");
        }
    }
}
