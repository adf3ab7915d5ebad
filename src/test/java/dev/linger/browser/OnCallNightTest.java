package dev.linger.browser;

import static dev.linger.Api.admin;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.LinkedHashMap;
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
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

import dev.linger.TestUsers;
import dev.linger.lab.Fault;
import dev.linger.lab.LabHost;
import dev.linger.lab.LingerTestKey;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The on-call night in a real Chromium, as people see it: an operator finds a CLOSE-WAIT leak on a lab host (a
 * network namespace reached over real SSH), reads the explanation and proposes the keepalive runbook; an approver
 * approves it by keyboard from the inbox while the operator's job page fills in by itself; the approver rolls it
 * back and a second approver lets the rollback run. Every page is checked with axe and saved under
 * target/screenshots/ for the README. Needs root (the lab) and Debian's chromium and chromium-driver.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OnCallNightTest {

    static final String RUNBOOK = "Shorten TCP keepalive (runtime)";
    static final List<String> KEEPALIVE = List.of("net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_keepalive_intvl",
            "net.ipv4.tcp_keepalive_probes");
    static final Map<String, String> NEW_VALUES = Map.of("net.ipv4.tcp_keepalive_time", "300",
            "net.ipv4.tcp_keepalive_intvl", "10", "net.ipv4.tcp_keepalive_probes", "4");
    static final Duration JOB_RUN = Duration.ofSeconds(60);
    static final String LIVE_STATUS = "#job-live h2 .badge";
    static final String OVERRIDE = "Rehearsal: the owner is being found; keepalive alone will not close these.";

    @TestHTTPResource("/")
    URL root;

    @Inject
    TestUsers users;

    private LabHost lab;
    private Fault leak;
    private String hostName;
    private long incidentId;
    private Map<String, String> original;
    private TestUsers.Person operator;
    private TestUsers.Person approver;
    private TestUsers.Person secondApprover;
    /** The operator's browser, later the second approver's. */
    private Chromium first;
    /** The approver's browser. */
    private Chromium second;
    private final Accessibility axe = new Accessibility();
    private long jobId;
    private long rollbackId;

    @BeforeAll
    void startTheLab() {
        lab = LingerTestKey.labHost("web");
        lab.useCleanLoginShell();
    }

    @Test
    @Order(0)
    void aLabHostWithACloseWaitLeakAndThreePeople() {
        operator = users.create("operator");
        // the approver is also an operator, so that the approver can propose the rollback
        approver = users.create("operator", "approver");
        secondApprover = users.create("approver");
        hostName = "web-" + lab.namespace();
        long hostId = ((Number) admin().body(Map.of("name", hostName, "address", lab.address(), "sshUser", lab.user()))
                .post("/api/v1/hosts").then().statusCode(201).extract().path("id")).longValue();
        admin().post("/api/v1/hosts/" + hostId + "/collect"); // records the key the host presents
        admin().body(Map.of("fingerprint", lab.hostKeyFingerprint())).post("/api/v1/hosts/" + hostId
                + "/host-key/trust").then().statusCode(200);
        original = namespaceValues();
        leak = lab.closeWait(9080, 12);
        admin().post("/api/v1/hosts/" + hostId + "/collect").then().statusCode(200).body("ok", equalTo(true));
        incidentId = ((Number) admin().get("/api/v1/incidents?status=ACTIVE&hostId=" + hostId
                + "&kind=CLOSE_WAIT_LEAK").then().statusCode(200).extract().path("find { it.port == 9080 }.id"))
                .longValue();
        first = Chromium.desktop(root.toString());
        second = Chromium.desktop(root.toString());
    }

    @AfterAll
    void tearDown() {
        for (AutoCloseable c : new AutoCloseable[] { first, second, lab }) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                System.err.println("browser story cleanup: " + e);
            }
        }
    }

    Map<String, String> namespaceValues() {
        Map<String, String> v = new LinkedHashMap<>();
        KEEPALIVE.forEach(k -> v.put(k, lab.exec("sysctl", "-n", k).strip()));
        return v;
    }

    @Test
    @Order(1)
    void theOperatorSeesTheIncidentOnTheOverviewAndReadsItsExplanation() {
        first.signIn(operator.name(), operator.password());
        assertEquals("/", first.path());
        assertEquals("Overview", first.heading());
        assertEquals(operator.name(), first.text(".who a[href='/account']"), "the header says who is signed in");
        WebElement item = first.driver().findElement(By.xpath("//section[@id='overview-incidents']//li[contains(.,'"
                + hostName + "')]"));
        assertTrue(item.getText().startsWith("CRITICAL CLOSE-WAIT leak :9080 on " + hostName), item.getText());
        first.screenshot("01-overview");
        axe.check(first, "overview");

        item.findElement(By.linkText("CLOSE-WAIT leak :9080")).click();
        first.waiting().until(d -> first.path().equals("/incidents/" + incidentId));
        assertEquals("CRITICAL CLOSE-WAIT leak :9080 on " + hostName, first.heading());
        String explanation = first.text(".explanation");
        assertTrue(explanation.contains("pid " + leak.pid()) && explanation.contains("faults"),
                "the explanation names the process that holds the sockets: " + explanation);
        WebElement offer = first.driver().findElement(By.xpath("//ul[@class='offers']/li[a[normalize-space()='"
                + RUNBOOK + "']]"));
        assertTrue(offer.getText().contains("None of the 12 CLOSE-WAIT sockets on port 9080 has a keepalive timer"),
                "the page says plainly what keepalive can and cannot do here: " + offer.getText());
        first.screenshot("02-incident");
        axe.check(first, "incident");
    }

    @Test
    @Order(2)
    void theOperatorProposesTheKeepaliveRunbookAndSeesThePlan() {
        // its sockets have no keepalive timer, so the incident page offers no Remediate button for it (issue 12
        // item 10): the operator opens the job form for it directly
        assertTrue(first.findAll("ul.offers a.button[href*='runbook=tcp-keepalive-runtime']").isEmpty());
        first.open("/jobs/new?runbook=tcp-keepalive-runtime&incidentId=" + incidentId);
        first.waiting().until(d -> "Propose a job".equals(first.heading()));
        assertEquals(RUNBOOK + " (low risk)", new org.openqa.selenium.support.ui.Select(first.find("#pick-runbook"))
                .getFirstSelectedOption().getText());
        assertEquals("9080", first.driver().findElement(By.id("p.port")).getDomProperty("value"),
                "the port comes from the incident");
        Map<String, String> fields = Map.of("p.idle_seconds", "300", "p.interval_seconds", "10", "p.probes", "4");
        fields.forEach((id, value) -> {
            WebElement input = first.driver().findElement(By.id(id));
            input.clear();
            input.sendKeys(value);
        });
        first.find("#reason").sendKeys("CLOSE-WAIT piling up on :9080; shorter keepalive while the owner is found");
        first.find("#override").sendKeys(OVERRIDE);
        first.screenshot("03-propose");
        axe.check(first, "propose");

        first.find("form[action='/jobs'] button[type=submit]").click();
        first.waiting().until(d -> first.path().matches("/jobs/\\d+"));
        jobId = Long.parseLong(first.path().substring("/jobs/".length()));
        assertEquals("Job " + jobId + " proposed: it waits for 2 approver(s).", first.text(".flash"),
                "LOW, and one more approver for the override");
        assertEquals("Job #" + jobId + ": " + RUNBOOK + " on " + hostName, first.heading());
        assertEquals("Pending approval", first.text(LIVE_STATUS));
        List<String> commands = first.findAll("section.card ol.steps pre.command").stream().map(WebElement::getText)
                .toList();
        assertEquals(List.of("sysctl -w net.ipv4.tcp_keepalive_time=300", "sysctl -w net.ipv4.tcp_keepalive_intvl=10",
                "sysctl -w net.ipv4.tcp_keepalive_probes=4"), commands, "the plan shows every command");
        String plan = planText(first);
        for (String key : KEEPALIVE) {
            assertTrue(plan.contains(key + ": " + original.get(key) + " → " + NEW_VALUES.get(key)),
                    "the plan shows " + key + " as it is now and as it will be: " + plan);
        }
        assertTrue(plan.contains("cannot close them"), "the plan warns that keepalive cannot close these: " + plan);
        assertTrue(first.text("#plan-override").contains(OVERRIDE), "the override is in the plan, in red: "
                + first.text("#plan-override"));
        assertTrue(first.text("body").contains("Only approvers decide on jobs."));
        first.screenshot("04-plan");
        axe.check(first, "job pending");
    }

    @Test
    @Order(3)
    void anApproverApprovesFromTheInboxByKeyboardWhileTheOperatorsPageFillsInLive() {
        // the operator stays on the job page: what follows must reach it without a reload
        watchLive(first);

        second.signIn(approver.name(), approver.password());
        second.find("nav a[href='/approvals']").click();
        second.waiting().until(d -> "Approvals".equals(second.heading()));
        WebElement waiting = second.driver().findElement(By.xpath("//ul[@class='inbox']/li[a[@href='/jobs/" + jobId
                + "']]"));
        String line = waiting.getText();
        assertTrue(line.startsWith("#" + jobId + " " + RUNBOOK + " on " + hostName + " Low risk") && line.contains(
                "asked by " + operator.name() + ": “CLOSE-WAIT piling up on :9080") && line.contains(
                        "0 of 2 approvals"), line);
        second.screenshot("05-approvals");
        axe.check(second, "approvals");

        waiting.findElement(By.linkText("#" + jobId + " " + RUNBOOK)).click();
        second.waiting().until(d -> second.path().equals("/jobs/" + jobId));
        axe.check(second, "job to decide");
        // by keyboard only: the skip link comes first, then the comment field and the approve button
        WebElement skip = second.find("a.skip");
        assertEquals(1, Accessibility.tabTo(second, skip, 1), "the first Tab reaches the skip link");
        Accessibility.tabTo(second, second.find("#comment"), 60);
        new Actions(second.driver()).sendKeys("Read the plan: keepalive settings only, runtime").perform();
        Accessibility.tabTo(second, second.find("button[name=decision][value=APPROVE]"), 3);
        new Actions(second.driver()).sendKeys(Keys.ENTER).perform();
        second.waiting().until(d -> second.findAll(".flash").size() == 1);
        assertEquals("Approved: 1 of 2 approvals.", second.text(".flash"));
        // the override asked for a second approver
        io.restassured.RestAssured.given().auth().preemptive().basic(secondApprover.name(), secondApprover.password())
                .contentType("application/json").body(Map.of("decision", "APPROVE", "comment", "override read"))
                .post("/api/v1/jobs/" + jobId + "/approvals").then().statusCode(200);

        // meanwhile, on the operator's page
        first.waiting(JOB_RUN).until(d -> List.of("Succeeded", "Failed").contains(first.text(LIVE_STATUS)));
        assertEquals("Succeeded", first.text(LIVE_STATUS), first.text("#job-live"));
        assertStillTheSamePage(first, "Pending approval");
        // the parts of the page that change with the job came along: the decision and the Roll back form
        String decisions = first.text("#job-approvals");
        assertTrue(decisions.contains(approver.name() + " approved")
                && decisions.contains("Read the plan: keepalive settings only, runtime"), decisions);
        assertEquals(1, first.findAll("#job-rollback form[action='/jobs/" + jobId + "/rollback']").size(),
                "the Roll back form arrived without a reload: " + first.text("#job-rollback"));
        List<WebElement> steps = first.findAll("#job-live ol.steps > li");
        assertEquals(3, steps.size(), "the step log arrived: " + first.text("#job-live"));
        for (int i = 0; i < 3; i++) {
            String key = KEEPALIVE.get(i);
            String step = steps.get(i).getText();
            assertTrue(step.startsWith((i + 1) + ". Set a sysctl SET_SYSCTL Done") && step.contains("sysctl -w " + key + "="
                    + NEW_VALUES.get(key)), step);
        }
        assertEquals(expectedTable(original, NEW_VALUES), beforeAfterTable(first));
        assertEquals(NEW_VALUES, Map.copyOf(namespaceValues()), "the namespace has the new values");
        first.screenshot("06-job-finished");
        axe.check(first, "job finished");
    }

    @Test
    @Order(4)
    void theApproverRollsItBackAndEveryValueIsAsBefore() {
        second.open("/jobs/" + jobId);
        second.find("#rollback-reason").sendKeys("The owner is fixed: back to the values we had");
        second.find("form[action='/jobs/" + jobId + "/rollback'] button[type=submit]").click();
        second.waiting().until(d -> second.path().matches("/jobs/\\d+") && !second.path().equals("/jobs/" + jobId));
        rollbackId = Long.parseLong(second.path().substring("/jobs/".length()));
        assertEquals("Rollback of job " + jobId + " proposed as job " + rollbackId + ": it needs its own approval.",
                second.text(".flash"));
        assertTrue(second.text("main > p.muted").startsWith("Rollback of job #" + jobId));
        assertEquals("Pending approval", second.text(LIVE_STATUS));
        String plan = planText(second);
        for (String key : KEEPALIVE) {
            assertTrue(plan.contains(key + ": " + NEW_VALUES.get(key) + " → " + original.get(key)), plan);
        }
        assertTrue(second.text("body").contains("You proposed this job: another approver decides on it."),
                "nobody approves their own job");
        second.screenshot("07-rollback-proposed");
        axe.check(second, "rollback pending");
        watchLive(second);

        first.signOut();
        first.signIn(secondApprover.name(), secondApprover.password());
        first.open("/approvals");
        WebElement waiting = first.driver().findElement(By.xpath("//ul[@class='inbox']/li[a[@href='/jobs/"
                + rollbackId + "']]"));
        assertTrue(waiting.getText().contains("rollback of #" + jobId), waiting.getText());
        waiting.findElement(By.tagName("a")).click();
        first.waiting().until(d -> first.path().equals("/jobs/" + rollbackId));
        first.find("button[name=decision][value=APPROVE]").click();
        first.waiting().until(d -> first.findAll(".flash").size() == 1);

        second.waiting(JOB_RUN).until(d -> List.of("Succeeded", "Failed").contains(second.text(LIVE_STATUS)));
        assertEquals("Succeeded", second.text(LIVE_STATUS), second.text("#job-live"));
        assertStillTheSamePage(second, "Pending approval");
        List<String> steps = second.findAll("#job-live ol.steps > li h3").stream().map(WebElement::getText).toList();
        assertEquals(List.of("1. Restore a sysctl RESTORE_SYSCTL Done", "2. Restore a sysctl RESTORE_SYSCTL Done",
                "3. Restore a sysctl RESTORE_SYSCTL Done"), steps);
        Map<String, List<String>> restored = beforeAfterTable(second);
        for (String key : KEEPALIVE) {
            assertEquals(List.of(NEW_VALUES.get(key), original.get(key), original.get(key)), restored.get(key),
                    "before, intended and after of " + key + " in the rollback");
        }
        second.screenshot("08-rollback-finished");
        axe.check(second, "rollback finished");

        assertEquals(original, namespaceValues(), "every value on the host is exactly as it was");
        second.open("/jobs/" + jobId);
        List<String> rolledBack = second.findAll("#job-live tbody tr td:last-child").stream()
                .map(WebElement::getText).toList();
        assertEquals(3, rolledBack.size());
        rolledBack.forEach(cell -> assertTrue(cell.endsWith("by #" + rollbackId), cell));
        second.screenshot("09-job-rolled-back");
    }

    @Test
    @Order(5)
    void theIncidentAndJobPagesFitAPhone() {
        List<String> tooWide = new java.util.ArrayList<>();
        try (Chromium phone = Chromium.phone(root.toString())) {
            phone.signIn(approver.name(), approver.password());
            for (String page : List.of("/incidents/" + incidentId, "/jobs/" + jobId, "/jobs/" + rollbackId)) {
                phone.open(page);
                phone.tooWideFor(Chromium.PHONE_WIDTH).ifPresent(tooWide::add);
                axe.check(phone, "phone");
            }
            phone.open("/jobs/" + jobId);
            phone.screenshot("10-phone-job");
        }
        assertEquals(List.of(), tooWide, "readable on a phone without sideways scrolling");
    }

    @Test
    @Order(6)
    void everyPageOfTheStoryPassesAxe() {
        assertEquals(12, axe.pagesChecked(), "the story checked every page it visited");
        assertEquals("", axe.report(), "WCAG 2 A/AA violations found by axe-core");
    }

    /** Marks the page and records every status its live part shows, so a reload would be noticed. */
    static void watchLive(Chromium browser) {
        browser.script("""
                window.lingerMarker = 'never reloaded';
                window.lingerStatuses = [document.querySelector(arguments[0]).textContent];
                new MutationObserver(() => {
                  const badge = document.querySelector(arguments[0]);
                  const seen = window.lingerStatuses;
                  if (badge && seen[seen.length - 1] !== badge.textContent) { seen.push(badge.textContent); }
                }).observe(document.body, { childList: true, subtree: true });
                """, LIVE_STATUS);
    }

    @SuppressWarnings("unchecked")
    static void assertStillTheSamePage(Chromium browser, String firstStatus) {
        assertEquals("never reloaded", browser.script("return window.lingerMarker"),
                "the page changed in place, without a reload");
        List<String> statuses = (List<String>) browser.script("return window.lingerStatuses");
        assertEquals(firstStatus, statuses.get(0), "statuses seen: " + statuses);
        assertEquals("Succeeded", statuses.get(statuses.size() - 1), "statuses seen: " + statuses);
    }

    static String planText(Chromium browser) {
        return browser.driver().findElement(By.xpath("//section[h2='Plan']")).getText();
    }

    /** Key → [before, intended, after] as the page's before/after table shows them. */
    static Map<String, List<String>> beforeAfterTable(Chromium browser) {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (WebElement row : browser.findAll("#job-live table tbody tr")) {
            List<WebElement> cells = row.findElements(By.cssSelector("td, th"));
            rows.put(cells.get(1).getText(), List.of(cells.get(2).getText(), cells.get(3).getText(),
                    cells.get(4).getText()));
        }
        return rows;
    }

    static Map<String, List<String>> expectedTable(Map<String, String> before, Map<String, String> after) {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        KEEPALIVE.forEach(k -> rows.put(k, List.of(before.get(k), after.get(k), after.get(k))));
        return rows;
    }
}
