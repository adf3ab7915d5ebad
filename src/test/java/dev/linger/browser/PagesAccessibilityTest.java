package dev.linger.browser;

import static dev.linger.Api.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

import dev.linger.Sql;
import dev.linger.TestUsers;
import dev.linger.job.Jobs;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Linger's main pages in a real Chromium: each passes axe-core's WCAG 2 A/AA rules on a desktop and on a phone,
 * fits a phone's width without sideways scrolling, and starts with a skip link that works from the keyboard.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PagesAccessibilityTest {

    @TestHTTPResource("/")
    URL root;

    private Chromium desktop;
    /** An incident with evidence tables, and a job with a before/after table: made by the first test. */
    private long incident;
    private long job;
    private Chromium phone;
    private final Accessibility axe = new Accessibility();
    /** Pages (path) of the admin's tour, filled by the first test. */
    private final List<String> pages = new ArrayList<>();

    @AfterAll
    void closeBrowsers() {
        if (desktop != null) {
            desktop.close();
        }
        if (phone != null) {
            phone.close();
        }
    }

    @Test
    @Order(0)
    void theSignInPageAndTheAdminsPagesPassAxe() throws IOException {
        long local = Jobs.localHost();
        admin().post("/api/v1/hosts/" + local + "/collect").then().statusCode(200); // sockets, sysctls, a chart
        desktop = Chromium.desktop(root.toString());
        phone = Chromium.phone(root.toString());
        for (Chromium b : List.of(desktop, phone)) {
            b.open("/login");
            assertEquals("Sign in to Linger", b.heading());
            check(b, "sign-in");
            b.signIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);
        }
        desktop.screenshot("20-sign-in-done-overview");
        incident = incidentWithEvidence(local);
        job = jobWithSysctlChanges(local);
        pages.addAll(List.of("/", "/hosts", "/hosts/" + local, "/hosts/new", "/incidents", "/approvals", "/jobs",
                "/runbooks", "/runbooks/tcp-keepalive-runtime", "/runbooks/import", "/audit", "/users", "/account",
                "/silences", "/channels", "/policies", "/search?q=port:9080",
                "/hosts/" + local + "/edit", "/hosts/" + local + "/delete", "/no/such/page",
                "/incidents/" + incident, "/jobs/" + job));
        for (String page : pages) {
            for (Chromium b : List.of(desktop, phone)) {
                b.open(page);
                check(b, page);
            }
        }
        phone.open("/");
        phone.screenshot("21-phone-overview");
        phone.open("/hosts/" + local);
        phone.screenshot("23-phone-host");

        // a document in Chinese, imported through the form: the preview shows it beside the steps found
        String notes = new String(getClass().getResourceAsStream("/runbook/import/chinese-notes.md").readAllBytes(),
                StandardCharsets.UTF_8);
        desktop.open("/runbooks/import");
        desktop.script("arguments[0].value = arguments[1]", desktop.find("#text"), notes);
        desktop.find("form[action='/runbooks/import'] button[type=submit]").click();
        desktop.waiting().until(d -> desktop.findAll("ol.document").size() == 1);
        assertTrue(desktop.text("ol.document").contains("端口 7001 被 CLOSE_WAIT 占住的处理记录"));
        desktop.screenshot("22-import-preview");
        check(desktop, "import preview");

        assertEquals(2 * (pages.size() + 1) + 1, axe.pagesChecked());
        assertEquals("", axe.report(), "WCAG 2 A/AA violations found by axe-core");
    }

    @Test
    @Order(1)
    void everyPageFitsAPhoneWithoutSidewaysScrolling() {
        List<String> tooWide = new ArrayList<>();
        for (String page : pages) {
            phone.open(page);
            phone.tooWideFor(Chromium.PHONE_WIDTH).ifPresent(tooWide::add);
        }
        assertEquals(List.of(), tooWide);
    }

    @Test
    @Order(2)
    void theFirstTabReachesTheSkipLinkAndItLeadsIntoTheContent() {
        for (String page : List.of("/", "/hosts", "/runbooks")) {
            desktop.open(page);
            WebElement skip = desktop.find("a.skip");
            assertEquals(1, Accessibility.tabTo(desktop, skip, 1), "on " + page);
            assertTrue(skip.isDisplayed() && skip.getRect().getX() >= 0, "the focused skip link is on screen");
            new Actions(desktop.driver()).sendKeys(Keys.ENTER).sendKeys(Keys.TAB).perform();
            WebElement focused = desktop.driver().switchTo().activeElement();
            assertTrue((Boolean) desktop.script("return document.querySelector('main').contains(arguments[0])",
                    focused), "after the skip link, Tab goes into the page's content on " + page + ", not to "
                            + Accessibility.describe(focused));
        }
    }

    // ---- issue 12 item 18: phones, and detail pages that refresh by themselves ----

    @Test
    @Order(3)
    void onAPhoneTheNavigationIsOneLineAMenuThatOpensWithoutScript() {
        for (String page : pages) {
            phone.open(page);
            // every part of the header (brand, menu, language) sits on the same line
            @SuppressWarnings("unchecked")
            List<Number> tops = (List<Number>) phone.script("""
                    return [...document.querySelectorAll('header.top > *')]
                      .filter(e => getComputedStyle(e).display !== 'none' && !e.classList.contains('skip'))
                      .map(e => e.getBoundingClientRect().top + e.getBoundingClientRect().height / 2);""");
            double first = tops.get(0).doubleValue();
            assertTrue(tops.stream().allMatch(t -> Math.abs(t.doubleValue() - first) < 12),
                    "the header is one line on " + page + ": centres at " + tops);
            long header = ((Number) phone.script("return document.querySelector('header.top').getBoundingClientRect()"
                    + ".height")).longValue();
            assertTrue(header <= 60, "the header is " + header + " px high on " + page);
            assertFalse(phone.find("nav.wide").isDisplayed(), "the wide navigation is folded on " + page);
        }
        phone.open("/hosts");
        assertFalse(phone.find(".menu nav a[href='/jobs']").isDisplayed(), "the menu starts closed");
        phone.find(".menu > summary").click();
        phone.find(".menu nav a[href='/jobs']").click();
        phone.waiting().until(d -> phone.path().equals("/jobs"));
        check(phone, "/jobs with the menu");
        assertEquals("", axe.report(), "WCAG 2 A/AA violations found by axe-core");
        // a desktop shows the links themselves, no menu
        desktop.open("/hosts");
        assertTrue(desktop.find("nav.wide a[href='/jobs']").isDisplayed());
        assertFalse(desktop.find(".menu").isDisplayed());
    }

    @Test
    @Order(4)
    void onAPhoneTheJobsBeforeAfterTableFitsWithoutSidewaysScrolling() {
        phone.open("/jobs/" + job);
        assertEquals(java.util.Optional.empty(), phone.tooWideFor(Chromium.PHONE_WIDTH));
        Number table = (Number) phone.script("return document.querySelector('table.changes').scrollWidth");
        Number room = (Number) phone.script("return document.querySelector('table.changes').parentElement.clientWidth");
        assertTrue(table.doubleValue() <= room.doubleValue(), "the before/after table is " + table
                + " px wide in " + room + " px: it scrolls sideways");
        assertTrue(phone.text("table.changes tbody").contains("/etc/sysctl.d/"), "the values are all there");
        phone.screenshot("24-phone-job-changes");
    }

    @Test
    @Order(5)
    void onAPhoneTheHostChartsLabelsAreReadable() throws IOException {
        long local = Jobs.localHost();
        // a real CLOSE-WAIT socket on loopback: the peer closed, this side never does, so the chart has a line
        try (java.net.ServerSocket server = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress());
                java.net.Socket client = new java.net.Socket(server.getInetAddress(), server.getLocalPort());
                java.net.Socket accepted = server.accept()) {
            client.close();
            admin().post("/api/v1/hosts/" + local + "/collect").then().statusCode(200);
            phone.open("/hosts/" + local + "?hours=1");
            @SuppressWarnings("unchecked")
            List<Number> sizes = (List<Number>) phone.script("""
                    const svg = document.querySelector('svg.chart');
                    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
                    return [...svg.querySelectorAll('text.axis')]
                      .map(t => parseFloat(getComputedStyle(t).fontSize) * scale);""");
            assertFalse(sizes.isEmpty(), "the chart has labels");
            assertTrue(sizes.stream().allMatch(px -> px.doubleValue() >= 11), "chart labels on a phone: " + sizes
                    + " px");
            assertEquals(java.util.Optional.empty(), phone.tooWideFor(Chromium.PHONE_WIDTH));
            phone.screenshot("25-phone-host-chart");
        }
    }

    @Test
    @Order(6)
    void hostAndIncidentPagesRefreshThemselvesWithoutAReload() {
        desktop.open("/incidents/" + incident);
        assertTrue(desktop.text("#incident-live p.muted").startsWith("OPEN"), desktop.text("#incident-live p.muted"));
        desktop.script("window.lingerNotReloaded = true");
        admin().post("/api/v1/incidents/" + incident + "/acknowledge").then().statusCode(200);
        // the page asks again every 15 s: a deadline a little beyond that
        desktop.waiting(java.time.Duration.ofSeconds(40))
                .until(d -> desktop.text("#incident-live p.muted").startsWith("ACKNOWLEDGED"));
        assertEquals(Boolean.TRUE, desktop.script("return window.lingerNotReloaded === true"), "updated in place");

        long local = Jobs.localHost();
        desktop.open("/hosts/" + local);
        String before = desktop.text("#host-live p.muted");
        desktop.script("window.lingerNotReloaded = true");
        admin().post("/api/v1/hosts/" + local + "/collect").then().statusCode(200);
        desktop.waiting(java.time.Duration.ofSeconds(40)).until(d -> !desktop.text("#host-live p.muted").equals(before));
        assertEquals(Boolean.TRUE, desktop.script("return window.lingerNotReloaded === true"), "updated in place");
    }

    /** A FIN-WAIT-1 incident with owners, samples and timers, as the detector stores it. */
    private static long incidentWithEvidence(long hostId) {
        String evidence = """
                {"direction": "incoming", "count": 3, "sendQ": 7340032, "timers": {"persist": 3}, "orphaned": 2,
                 "killCommand": "ss -K state fin-wait-1 '( sport = :9080 )'",
                 "owners": [{"pid": 4242, "tid": 4243, "command": "java", "processState": "S", "ppid": 1}],
                 "samples": [{"local": "[2001:db8:ffff:ffff:ffff:ffff:ffff:1]:9080",
                              "peer": "[2001:db8:ffff:ffff:ffff:ffff:ffff:2]:51512", "recvQ": 0, "sendQ": 2446677,
                              "timer": "persist"}]}""";
        return Sql.count("INSERT INTO incident (host_id, kind, port, severity, status, opened_at, updated_at,"
                + " evidence) VALUES (?, 'FIN_WAIT1_STUCK', 9080, 'WARNING', 'OPEN', now(), now(),"
                + " CAST(? AS jsonb)) RETURNING id", hostId, evidence);
    }

    /** A job with a runtime and a persistent sysctl change recorded, for the before/after table. */
    private static long jobWithSysctlChanges(long hostId) {
        String runbook = Jobs.readOnlyRunbook("LOW");
        long job = ((Number) admin().body(java.util.Map.of("runbook", runbook, "hostId", hostId, "params",
                java.util.Map.of(), "reason", "phone layout")).post("/api/v1/jobs").then().statusCode(201).extract()
                .path("id")).longValue();
        Sql.count("INSERT INTO sysctl_change (job_id, step_n, host_id, key, before, intended, after, persistent, file,"
                + " recorded_at, confirmed_at) VALUES (?, 1, ?, 'net.ipv4.tcp_keepalive_intvl', '75', '15', '15', false,"
                + " NULL, now(), now()), (?, 2, ?, 'net.ipv4.tcp_keepalive_time', '7200', '600', '600', true,"
                + " '/etc/sysctl.d/90-linger-net.ipv4.tcp_keepalive_time.conf', now(), now()) RETURNING id", job,
                hostId, job, hostId);
        return job;
    }

    private void check(Chromium browser, String page) {
        axe.check(browser, (browser == phone ? "phone " : "desktop ") + page);
    }
}
