package dev.linger.browser;

import static dev.linger.Api.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
        pages.addAll(List.of("/", "/hosts", "/hosts/" + local, "/hosts/new", "/incidents", "/approvals", "/jobs",
                "/runbooks", "/runbooks/tcp-keepalive-runtime", "/runbooks/import", "/audit", "/users", "/account",
                "/hosts/" + local + "/edit", "/hosts/" + local + "/delete", "/no/such/page"));
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

    private void check(Chromium browser, String page) {
        axe.check(browser, (browser == phone ? "phone " : "desktop ") + page);
    }
}
