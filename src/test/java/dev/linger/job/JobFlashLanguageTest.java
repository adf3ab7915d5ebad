package dev.linger.job;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.linger.Browser;
import dev.linger.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** The job page's flash messages in the page's language. */
@QuarkusTest
class JobFlashLanguageTest {

    static final String CHINESE = "zh-CN,zh;q=0.9,en;q=0.8";

    @Inject
    TestUsers users;

    @Test
    void proposeApproveAndRollBackSayItInChinese() {
        TestUsers.Person operator = users.create("operator");
        TestUsers.Person approver = users.create("approver");
        String slug = Jobs.readOnlyRunbook("LOW");
        long host = Jobs.localHost();
        Browser op = Browser.signedIn(operator.name(), operator.password()).acceptLanguage(CHINESE);
        Response proposed = op.postForm("/jobs", Map.of("runbook", slug, "hostId", String.valueOf(host), "reason",
                "checking the FIN timeout"));
        proposed.then().statusCode(303);
        String location = proposed.header("Location");
        long id = Long.parseLong(location.substring(location.lastIndexOf('/') + 1));
        op.get(location).then().body(containsString("任务 " + id + " 已发起：等待 1 位审批人审批。"),
                not(containsString("proposed: it waits for")));

        Browser ap = Browser.signedIn(approver.name(), approver.password()).acceptLanguage(CHINESE);
        ap.postForm("/jobs/" + id + "/decision", Map.of("decision", "APPROVE", "comment", "fine")).then()
                .statusCode(303);
        ap.get(location).then().body(containsString("已批准：任务已进入队列，主机空闲后即开始。"));
        Jobs.await(id, Duration.ofSeconds(15), "SUCCEEDED");

        Browser en = Browser.signedIn(operator.name(), operator.password());
        Response again = en.postForm("/jobs", Map.of("runbook", slug, "hostId", String.valueOf(host), "reason",
                "and once more"));
        String second = again.header("Location");
        en.get(second).then().body(containsString(" proposed: it waits for 1 approver(s)."));
        long secondId = Long.parseLong(second.substring(second.lastIndexOf('/') + 1));
        op.postForm("/jobs/" + secondId + "/cancel", Map.of()).then().statusCode(303);
        op.get(second).then().body(containsString("已取消。"));
    }
}
