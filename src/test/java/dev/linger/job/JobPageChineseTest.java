package dev.linger.job;

import static dev.linger.Api.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import dev.linger.Browser;
import dev.linger.TestUsers;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/** A job's facts (outcome, step messages, plan) read in Chinese on a Chinese page and in English on an English page and in the API. */
@QuarkusTest
class JobPageChineseTest {

    @Inject
    TestUsers users;

    @Inject
    EntityManager em;

    @Test
    void theOutcomeAndTheReasonNotToDecideAreChineseOnAChinesePageOnly() {
        TestUsers.Person operator = users.create("operator");
        TestUsers.Person approver = users.create("approver");
        long id = Jobs.propose(operator, Jobs.readOnlyRunbook("LOW"), Jobs.localHost(), Map.of());
        Browser zh = Browser.signedIn(operator.name(), operator.password()).acceptLanguage("zh-CN,zh;q=0.9");
        Browser en = Browser.signedIn(operator.name(), operator.password()).acceptLanguage("en");
        String pending = zh.get("/jobs/" + id).then().statusCode(200).extract().asString();
        assertTrue(pending.contains("只有审批人可以对任务做决定。"), pending);
        assertFalse(pending.contains("Only approvers decide on jobs."), pending);
        en.get("/jobs/" + id).then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("Only approvers decide on jobs."));

        Jobs.decide(approver, id, "APPROVE", 200);
        Jobs.await(id, Duration.ofSeconds(15), "SUCCEEDED");
        assertEquals("1 step done", Jobs.job(id).getString("outcome"), "the API says the fact in English, one step");
        assertEquals("run.stepsDone", Jobs.job(id).getString("outcomeText.key"), "and gives the fact beside it");

        String done = zh.get("/jobs/" + id).then().statusCode(200).extract().asString();
        assertTrue(done.contains("<p class=\"explanation\">1 个步骤全部完成</p>"), done);
        assertTrue(done.contains("<p class=\"step-message\">net.ipv4.tcp_fin_timeout = "), done);
        assertTrue(done.contains("成功</span>"), "the status is Chinese: " + done);
        assertFalse(done.contains(">SUCCEEDED<"), done);
        assertTrue(done.contains("已批准"), "the decision reads naturally: " + done);
        assertFalse(done.contains("APPROVE</strong>"), done);
        assertTrue(zh.get("/jobs?status=SUCCEEDED").then().statusCode(200).extract().asString()
                .contains("1 个步骤全部完成"));
        String english = en.get("/jobs/" + id).then().statusCode(200).extract().asString();
        assertTrue(english.contains("<p class=\"explanation\">1 step done</p>"), english);
        assertTrue(english.contains(approver.name() + " approved"), english);
        assertFalse(english.contains("个步骤"), english);
    }

    @Test
    void aVerbatimOutcomeIsShownAsItWasWritten() {
        TestUsers.Person operator = users.create("operator");
        TestUsers.Person approver = users.create("approver");
        long id = Jobs.propose(operator, Jobs.readOnlyRunbook("LOW"), Jobs.localHost(), Map.of());
        Jobs.decide(approver, id, "REJECT", 200);
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("UPDATE job SET outcome = CAST(?1 AS jsonb) WHERE id = ?2")
                .setParameter(1, "{\"key\":\"run.verbatim\",\"args\":[\"A text an old version wrote.\"]}").setParameter(2, id).executeUpdate());
        Browser zh = Browser.signedIn(approver.name(), approver.password()).acceptLanguage("zh-CN");
        String page = zh.get("/jobs/" + id).then().statusCode(200).extract().asString();
        assertTrue(page.contains("<p class=\"explanation\">A text an old version wrote.</p>"), page);
    }

    @Test
    void thePlansChecksValuesAndBlastRadiusAreChinese() {
        TestUsers.Person operator = users.create("operator");
        String slug = "orph-" + UUID.randomUUID().toString().substring(0, 8);
        admin().body(Map.of("slug", slug, "title", "Orphans to zero", "risk", "HIGH", "checks",
                List.of("ORPHAN_LIMIT_PRESENT"), "steps", List.of(
                        Map.of("type", "READ_SYSCTL", "key", "net.ipv4.tcp_max_orphans"),
                        Map.of("type", "SET_SYSCTL", "key", "net.ipv4.tcp_max_orphans", "value", 0),
                        Map.of("type", "RESTORE_SYSCTL", "key", "net.ipv4.tcp_max_orphans"))))
                .post("/api/v1/runbooks").then().statusCode(201);
        long id = Jobs.propose(operator, slug, Jobs.localHost(), Map.of());
        String zh = Browser.signedIn(operator.name(), operator.password()).acceptLanguage("zh-CN").get("/jobs/" + id)
                .then().statusCode(200).extract().asString();
        assertTrue(zh.contains("net.ipv4.tcp_max_orphans=0 是全局设置"), zh);
        assertTrue(zh.contains("net.ipv4.tcp_max_orphans：→ 任务执行时记录的值（当前为 "), zh);
        assertTrue(zh.contains("设置内核参数"), "the step type is Chinese: " + zh);
        String en = Browser.signedIn(operator.name(), operator.password()).acceptLanguage("en").get("/jobs/" + id)
                .then().statusCode(200).extract().asString();
        assertTrue(en.contains("net.ipv4.tcp_max_orphans=0 is system-wide: every orphaned socket"), en);
        assertTrue(en.contains(" on this host.</li>"), en);
        assertTrue(en.contains("net.ipv4.tcp_max_orphans: → the value recorded when the job runs (now "), en);
        assertEquals("run.blastOrphans", Jobs.job(id).getString("plan.steps[1].blastRadiusText.key"),
                "the plan keeps the fact, not a sentence");
        assertTrue(Jobs.job(id).getString("plan.steps[1].blastRadius").contains("is system-wide"),
                "the API says it in English");
        String stored = QuarkusTransaction.requiringNew().call(() -> (String) em.createNativeQuery(
                "SELECT plan->'steps'->1->'blastRadius'->>'key' FROM job WHERE id = ?1").setParameter(1, id)
                .getSingleResult());
        assertEquals("run.blastOrphans", stored, "the database holds the fact");
    }
}
