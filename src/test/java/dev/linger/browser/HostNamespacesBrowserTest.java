package dev.linger.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.linger.TestUsers;
import dev.linger.collect.CollectorOutput;
import dev.linger.collect.CollectorOutput.StateCount;
import dev.linger.collect.NetNamespace;
import dev.linger.collect.SnapshotStore;
import dev.linger.host.HostNamespacesTest;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Issue 13: the host page of a container host in a real Chromium — namespaces grouped, 60 quiet ones folded, a
 * hostile container hostname shown as text — passes axe on a desktop and a phone and fits the phone.
 */
@QuarkusTest
class HostNamespacesBrowserTest {

    @TestHTTPResource("/")
    URL root;
    @Inject
    SnapshotStore snapshots;
    @Inject
    Clock clock;

    @Test
    void theNamespacesOfAContainerHostReadWellOnADesktopAndAPhone() throws Exception {
        CollectorOutput n = HostNamespacesTest.node();
        List<NetNamespace> namespaces = new ArrayList<>(n.namespaces());
        List<StateCount> states = new ArrayList<>(n.states());
        namespaces.set(4, new NetNamespace(HostNamespacesTest.CHECKOUT, NetNamespace.Kind.CONTAINER,
                HostNamespacesTest.HOSTILE, "abcdef0123456789" + "0".repeat(48), null, null, 60, Map.of(), 7));
        for (int i = 0; i < 60; i++) {
            long inode = 4026550000L + i;
            namespaces.add(new NetNamespace(inode, NetNamespace.Kind.CONTAINER, "svc-" + i,
                    String.format("%064x", 0xbeef00L + i), null, null, 2000 + i, Map.of(), 0));
            states.add(new StateCount(8000 + i, false, "LISTEN", 1, inode));
        }
        long host = HostNamespacesTest.host("browser-ns");
        QuarkusTransaction.requiringNew().run(() -> snapshots.store(host, clock.instant(), Duration.ofMillis(7),
                new CollectorOutput(n.meta(), states, n.sockets(), n.sysctls(), n.sockstat(), n.processes(),
                        n.problems(), true, namespaces)));
        Accessibility axe = new Accessibility();
        try (Chromium desktop = Chromium.desktop(root.toString()); Chromium phone = Chromium.phone(root.toString())) {
            for (Chromium b : List.of(desktop, phone)) {
                b.signIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);
                b.open("/hosts/" + host);
                assertEquals(3, b.findAll("section.ns").size(), "host, container, pod drawn in full");
                assertFalse(b.find("details.quiet table").isDisplayed(), "the quiet ones start folded");
                axe.check(b, "host with namespaces");
                b.find("details.quiet > summary").click();
                b.waiting().until(d -> b.find("details.quiet table").isDisplayed());
                assertEquals(62, b.findAll("details.quiet tbody tr").size());
                axe.check(b, "host with namespaces, quiet ones open");
                // the hostile hostname is text in the heading, never a script
                String heading = b.text("#ns-" + HostNamespacesTest.CHECKOUT + "-h");
                assertTrue(heading.startsWith("container <script>alert(1)</script>"), heading);
                assertEquals(Boolean.FALSE, b.script("return [...document.scripts].some(s => s.textContent"
                        + ".includes('alert(1)'))"));
            }
            assertEquals(java.util.Optional.empty(), phone.tooWideFor(Chromium.PHONE_WIDTH));
            phone.screenshot("26-phone-host-namespaces");
            desktop.screenshot("27-host-namespaces");
        }
        assertEquals("", axe.report(), "WCAG 2 A/AA violations found by axe-core");
    }
}
