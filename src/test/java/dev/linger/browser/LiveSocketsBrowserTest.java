package dev.linger.browser;

import static dev.linger.Api.admin;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.linger.TestUsers;
import dev.linger.lab.Fault;
import dev.linger.lab.LabHost;
import dev.linger.lab.LingerTestKey;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Issue 14: on the host page of a real host (a lab namespace over SSH) a person sees a leak as one group with its
 * count, presses "Show all sockets" and reads every socket of the port from the host, with its owner; on a
 * desktop and a phone, checked by axe.
 */
@QuarkusTest
class LiveSocketsBrowserTest {

    static final int PORT = 9580;
    static final int STUCK = 130;

    @TestHTTPResource("/")
    URL root;

    @Test
    void aPersonSeesTheGroupAndReadsEverySocketOfItsPortFromTheHost() throws Exception {
        try (LabHost lab = LingerTestKey.labHost("lsb"); Fault leak = lab.closeWait(PORT, STUCK)) {
            long host = ((Number) admin().body(Map.of("name", "lsb-" + lab.namespace(), "address", lab.address(),
                    "sshUser", lab.user(), "collectIntervalSeconds", 3600)).post("/api/v1/hosts").then()
                    .statusCode(201).extract().path("id")).longValue();
            admin().post("/api/v1/hosts/" + host + "/collect").then().statusCode(200);
            admin().body(Map.of("fingerprint", lab.hostKeyFingerprint())).post("/api/v1/hosts/" + host
                    + "/host-key/trust").then().statusCode(200);
            admin().post("/api/v1/hosts/" + host + "/collect").then().statusCode(200).body("ok", equalTo(true));

            Accessibility axe = new Accessibility();
            try (Chromium desktop = Chromium.desktop(root.toString()); Chromium phone = Chromium.phone(root.toString())) {
                for (Chromium b : List.of(desktop, phone)) {
                    b.signIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);
                    b.open("/hosts/" + host);
                    String showAll = "#ns-host table.groups a.show-all[href*='port=" + PORT + "&state=CLOSE-WAIT']";
                    String row = (String) b.script("return document.querySelector(arguments[0]).closest('tr')"
                            + ".innerText", showAll);
                    assertTrue(row.contains(":" + PORT) && row.contains("CLOSE-WAIT") && row.contains(
                            String.valueOf(STUCK)) && row.contains("pid " + leak.pid()), row);
                    axe.check(b, "host page with socket groups");

                    if (b == desktop) {
                        b.screenshot("30-host-socket-groups");
                    }
                    b.find(showAll).click();
                    b.waiting().until(d -> b.path().startsWith("/hosts/" + host + "/sockets?"));
                    assertEquals("All sockets of :" + PORT + " CLOSE-WAIT", b.heading());
                    assertTrue(b.text("#live-counts-h").contains(STUCK + " socket(s) now."), b.text("main"));
                    assertEquals(100, b.findAll("table.sockets.live tbody tr").size(), "100 a page");
                    assertTrue(b.text("table.sockets.live tbody").contains("pid " + leak.pid()));
                    axe.check(b, "every socket of a port, read live");
                    b.find("nav.pager a[rel=next]").click();
                    b.waiting().until(d -> b.path().contains("page=2"));
                    assertEquals(STUCK - 100, b.findAll("table.sockets.live tbody tr").size(), "the rest on page 2");
                    if (b == phone) {
                        assertEquals(java.util.Optional.empty(), b.tooWideFor(Chromium.PHONE_WIDTH));
                        b.screenshot("31-phone-all-sockets");
                    } else {
                        b.open("/hosts/" + host + "/sockets?port=" + PORT + "&state=CLOSE-WAIT");
                        b.screenshot("32-all-sockets");
                    }
                }
            }
            assertEquals("", axe.report(), "WCAG 2 A/AA violations found by axe-core");
        }
    }
}
