package dev.linger.incident;

import static dev.linger.Api.admin;
import static dev.linger.incident.IncidentEvidencePageTest.between;
import static dev.linger.incident.IncidentExplanationPageTest.CHINESE_BROWSER;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.linger.Browser;
import dev.linger.Sql;
import dev.linger.TestDatabase;
import dev.linger.TestUsers;
import dev.linger.collect.NetNamespace;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/** Incidents per (host, network namespace, kind, port) on the real database, through the API and the pages. */
@QuarkusTest
class NamespaceIncidentsTest {

    static final String ID_A = "3f2a1b9c0d1e" + "a".repeat(52);
    static final String ID_B = "9e8d7c6b5a40" + "b".repeat(52);

    @Inject
    IncidentService incidents;

    long host;
    String name;
    /** Unique per test: the API filters below must find this test's incidents only. */
    String suffix;
    NetNamespace checkout;
    NetNamespace payments;

    @BeforeEach
    void aHost() throws Exception {
        suffix = UUID.randomUUID().toString().substring(0, 8);
        name = "ns-" + suffix;
        try (var c = TestDatabase.superuser(); var s = c.createStatement()) {
            s.execute("INSERT INTO host (name, address, transport, next_due_at, created_at, created_by) VALUES ('" + name
                    + "', 'n.example.net', 'SSH', now() + interval '1 day', now(), 'test')");
        }
        host = Sql.count("SELECT id FROM host WHERE name = ?", name);
        // inodes unique per test too (incidents of other tests stay in the shared database)
        long base = 5_000_000_000L + Math.abs(UUID.randomUUID().getMostSignificantBits() % 1_000_000_000L) * 4;
        checkout = container(base, "checkout-" + suffix, ID_A);
        payments = container(base + 1, "payments-" + suffix, ID_B);
    }

    static NetNamespace container(long inode, String name, String id) {
        return new NetNamespace(inode, NetNamespace.Kind.CONTAINER, name, id, null, name, 4100, Map.of(), 0);
    }

    static Finding leak(NetNamespace ns, int count) {
        return Findings.closeWaitLeak(9080, Severity.WARNING, count, ns);
    }

    void collect(String bootId, Finding... findings) {
        QuarkusTransaction.requiringNew().run(() -> incidents.reconcile(host, name, bootId, List.of(findings)));
    }

    long active(NetNamespace ns) {
        return Sql.count("SELECT count(*) FROM incident WHERE host_id = ? AND netns = ? AND status <> 'RESOLVED'", host,
                ns.key());
    }

    @Test
    void theSamePortInTwoContainersAndOnTheHostIsThreeIncidentsEachKeptByItsNamespace() {
        NetNamespace own = NetNamespace.host(4026531840L);
        for (int i = 0; i < 3; i++) {
            collect("boot-1", leak(own, 20), leak(checkout, 12 + i), leak(payments, 11));
        }
        assertEquals(3, Sql.count("SELECT count(*) FROM incident WHERE host_id = ?", host),
                "one per (host, namespace, kind, port), not one per collection");
        assertEquals(1, active(checkout));
        assertEquals(1, active(payments));
        assertEquals(1, Sql.count("SELECT count(*) FROM incident WHERE host_id = ? AND netns = 0", host));
        assertEquals("boot-1", Sql.text("SELECT namespace->>'bootId' FROM incident WHERE host_id = ? AND netns = ?", host,
                checkout.key()));
        assertEquals(ID_A, Sql.text("SELECT namespace->>'containerId' FROM incident WHERE host_id = ? AND netns = ?",
                host, checkout.key()));
        IncidentView c = incidents.list(null, host, null, checkout.name(), 5).get(0);
        assertEquals("CONTAINER", c.namespace().kind());
        String english = Findings.english(c.explanation());
        assertTrue(english.contains("14 sockets on :9080 in container `" + checkout.name() + "` (3f2a1b9c0d1e)"),
                english);

        // the checkout container is gone: its incident clears like any condition, the others stay
        for (int i = 0; i < 3; i++) {
            collect("boot-1", leak(own, 20), leak(payments, 11));
        }
        assertEquals(0, active(checkout));
        assertEquals(1, active(payments));
        assertEquals(1, Sql.count("SELECT count(*) FROM incident WHERE host_id = ? AND netns = 0 AND status = 'OPEN'",
                host));
    }

    @Test
    void afterARebootTheSameInodeIsAnotherNamespaceAndGetsItsOwnIncident() {
        collect("boot-1", leak(checkout, 12));
        long before = Sql.count("SELECT id FROM incident WHERE host_id = ? AND netns = ?", host, checkout.key());
        collect("boot-2", leak(checkout, 12));
        assertEquals("RESOLVED", incidents.get(before).status(), "the namespace of the earlier boot is gone");
        IncidentView.Event last = incidents.timeline(before).get(incidents.timeline(before).size() - 1);
        assertEquals("fact.hostRestarted", last.message().key());
        assertEquals("The host restarted since: container `" + checkout.name() + "` (3f2a1b9c0d1e) is gone.",
                Findings.english(last.message()));
        assertEquals("主机此后重启过：容器 `" + checkout.name() + "`（3f2a1b9c0d1e）已不存在。",
                dev.linger.i18n.Catalogue.render(last.message(), java.util.Locale.CHINESE));
        long after = Sql.count("SELECT id FROM incident WHERE host_id = ? AND netns = ? AND status = 'OPEN'", host,
                checkout.key());
        assertTrue(after != before, "a new incident, not the old one reopened");
        assertEquals("boot-2", Sql.text("SELECT namespace->>'bootId' FROM incident WHERE id = ?", after));
    }

    @Inject
    IncidentOffers offers;

    @Inject
    dev.linger.collect.SnapshotStore snapshots;

    @Test
    void theOrphanDrainIsOfferedOnTheHostButNotInsideAContainerWhereTheLimitDoesNotExist() {
        // the host has tcp_max_orphans; the container's namespace reports its own sysctls, without it
        NetNamespace own = NetNamespace.host(4026531840L);
        NetNamespace inside = new NetNamespace(checkout.inode(), checkout.kind(), checkout.name(),
                checkout.containerId(), null, checkout.name(), 4100, Map.of("net.ipv4.tcp_fin_timeout", "60"), 0);
        var out = new dev.linger.collect.CollectorOutput(
                new dev.linger.collect.CollectorOutput.Meta(2, name, "6.1", 1L, 0, 32768, 60999, "proc", true,
                        "boot-1", own.inode()),
                List.of(), List.of(), Map.of("net.ipv4.tcp_max_orphans", "65536"), null, List.of(), List.of(), true,
                List.of(own, inside));
        QuarkusTransaction.requiringNew()
                .run(() -> snapshots.store(host, java.time.Instant.now(), java.time.Duration.ofMillis(5), out));
        Finding hostStuck = Findings.finWait1Stuck(9080, Severity.WARNING, 3, own);
        Finding containerStuck = Findings.finWait1Stuck(9080, Severity.WARNING, 3, inside);
        collect("boot-1", hostStuck, containerStuck);
        long onHost = Sql.count("SELECT id FROM incident WHERE host_id = ? AND netns = 0", host);
        long inContainer = Sql.count("SELECT id FROM incident WHERE host_id = ? AND netns = ?", host, inside.key());

        assertTrue(drain(onHost).applicable(), "on the host the orphan limit exists");
        IncidentOffers.Offer offer = drain(inContainer);
        assertFalse(offer.applicable(), "inside a container namespace tcp_max_orphans does not exist");
        assertTrue(offer.verdicts().stream().anyMatch(v -> Boolean.FALSE.equals(v.holds())), offer.toString());
    }

    IncidentOffers.Offer drain(long incident) {
        return offers.offers(incidents.get(incident), false).stream()
                .filter(o -> o.slug().equals("fin-wait1-drain-orphans")).findFirst().orElseThrow();
    }

    @Test
    void aJobInAnotherNamespaceCannotVerifyTheIncident() throws Exception {
        collect("boot-1", leak(checkout, 12));
        long id = Sql.count("SELECT id FROM incident WHERE host_id = ? AND netns = ?", host, checkout.key());
        long hostJob = job(id, 0, null);
        long containerJob = job(id, checkout.key(), "boot-1");
        collect("boot-1"); // the condition is gone in the collection after the job
        String why = incidents.verifiedByJob(id, hostJob);
        assertTrue(why != null && why.contains("another network namespace"), why);
        assertEquals("OPEN", incidents.get(id).status());
        assertNull(incidents.verifiedByJob(id, containerJob));
        assertEquals("RESOLVED", incidents.get(id).status());
        assertEquals("job " + containerJob, incidents.get(id).resolvedBy());
    }

    @Test
    void aJobsVerifySaysInWhichNamespaceTheConditionIsStillFound() throws Exception {
        collect("boot-1", leak(checkout, 12));
        long id = Sql.count("SELECT id FROM incident WHERE host_id = ? AND netns = ?", host, checkout.key());
        long job = job(id, checkout.key(), "boot-1");
        collect("boot-1", leak(checkout, 12));
        String why = incidents.verifiedByJob(id, job);
        assertEquals("the collection after the job still finds CLOSE-WAIT leak on :9080 in container `"
                + checkout.name() + "` (3f2a1b9c0d1e).", why);
        dev.linger.i18n.Text fact = incidents.verificationByJob(id, job);
        assertEquals("任务之后的采集仍然发现容器 `" + checkout.name() + "`（3f2a1b9c0d1e）里端口 :9080 上有CLOSE-WAIT 泄漏。",
                dev.linger.i18n.Catalogue.render(fact, java.util.Locale.CHINESE));
    }

    private long job(long incident, long netns, String boot) throws Exception {
        try (var c = TestDatabase.superuser(); var s = c.prepareStatement("""
                INSERT INTO job (runbook_version_id, runbook_id, host_id, host_name, incident_id, risk, reason,
                                 requested_by, plan, plan_hash, status, created_at, expires_at, netns, netns_boot)
                SELECT v.id, r.id, ?, ?, ?, v.risk, 'verify', 'test', '{}', 'test', 'PENDING_APPROVAL', now(),
                       now() + interval '1 hour', ?, ?
                  FROM runbook r JOIN runbook_version v ON v.runbook_id = r.id ORDER BY v.id LIMIT 1
                RETURNING id
                """)) {
            s.setLong(1, host);
            s.setString(2, name);
            s.setLong(3, incident);
            s.setLong(4, netns);
            s.setString(5, boot);
            try (var rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void theApiShowsTheNamespaceAndFiltersByNameContainerIdPrefixOrInode() {
        NetNamespace pod = new NetNamespace(checkout.inode() + 2, NetNamespace.Kind.POD, "web-" + suffix, ID_B,
                "6e1f0a2b-3c4d-5e6f-7a8b-" + suffix + "2f3a", "web-" + suffix, 1, Map.of(), 0);
        long hostInode = checkout.inode() + 9;
        collect("boot-1", leak(NetNamespace.host(hostInode), 20), leak(checkout, 12), leak(pod, 11));
        String base = "/api/v1/incidents?hostId=" + host;
        admin().get(base + "&namespace=" + checkout.name()).then().statusCode(200).body("size()", equalTo(1))
                .body("[0].namespace.kind", equalTo("CONTAINER"))
                .body("[0].namespace.name", equalTo(checkout.name()))
                .body("[0].namespace.containerId", equalTo(ID_A))
                .body("[0].namespace.inode", equalTo(checkout.inode()))
                .body("[0].namespace.pod", nullValue())
                .body("[0].namespace", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("bootId")));
        admin().get(base + "&namespace=3f2a1b9c0d1e").then().statusCode(200).body("size()", equalTo(1))
                .body("[0].namespace.name", equalTo(checkout.name()));
        admin().get(base + "&namespace=" + checkout.inode()).then().statusCode(200).body("size()", equalTo(1))
                .body("[0].namespace.containerId", equalTo(ID_A));
        admin().get(base + "&namespace=web-" + suffix).then().statusCode(200).body("size()", equalTo(1))
                .body("[0].namespace.kind", equalTo("POD"))
                .body("[0].namespace.pod", equalTo("6e1f0a2b-3c4d-5e6f-7a8b-" + suffix + "2f3a"));
        admin().get(base + "&namespace=6e1f0a2b").then().statusCode(200).body("size()", equalTo(1))
                .body("[0].namespace.kind", equalTo("POD"));
        admin().get(base + "&namespace=host").then().statusCode(200).body("size()", equalTo(1))
                .body("[0].namespace.kind", equalTo("HOST")).body("[0].namespace.name", equalTo("host"));
        admin().get(base + "&namespace=" + hostInode).then().statusCode(200).body("size()", equalTo(1))
                .body("[0].namespace.kind", equalTo("HOST")).body("[0].namespace.inode", equalTo(hostInode));
        admin().get(base + "&namespace=nothing-" + suffix).then().statusCode(200).body("size()", equalTo(0));
        admin().get(base).then().statusCode(200).body("size()", equalTo(3))
                .body("namespace.kind", hasItems("HOST", "CONTAINER", "POD"));
    }

    @Test
    void aBadNamespaceFilterIsAClear400() {
        String base = "/api/v1/incidents?hostId=" + host + "&namespace=";
        for (String bad : List.of("x".repeat(254), "a%01b", "1234567890123456789012")) {
            admin().urlEncodingEnabled(!bad.contains("%")).get(base + bad).then().statusCode(400)
                    .body("error", containsString("namespace is a container, pod or namespace name"));
        }
        Browser b = Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);
        b.get("/incidents?namespace=" + "x".repeat(254)).then().statusCode(400);
    }

    @Test
    void theIncidentPagesShowTheContainerAndFilterByIt() {
        collect("boot-1", leak(checkout, 12), leak(payments, 11));
        Browser b = Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);
        String list = b.get("/incidents?hostId=" + host + "&namespace=" + checkout.name()).then().statusCode(200)
                .extract().asString();
        String table = between(list, "<tbody>", "</tbody>");
        assertTrue(table.contains("<td class=\"namespace\">container <code class=\"ns-name\">" + checkout.name()
                + "</code> · <code>3f2a1b9c0d1e</code></td>"), table);
        assertFalse(table.contains(payments.name()), "filtered by container");
        assertTrue(list.contains("value=\"" + checkout.name() + "\""), "the filter keeps its value");

        long id = Sql.count("SELECT id FROM incident WHERE host_id = ? AND netns = ?", host, checkout.key());
        String page = b.get("/incidents/" + id).then().statusCode(200).extract().asString();
        assertTrue(between(page, "<h1>", "</h1>").contains("· container <code class=\"ns-name\">" + checkout.name()
                + "</code> · <code>3f2a1b9c0d1e</code>"), page);
        String zh = Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD).acceptLanguage(CHINESE_BROWSER)
                .get("/incidents/" + id).then().statusCode(200).extract().asString();
        assertTrue(between(zh, "<p class=\"explanation\">", "</p>").startsWith("容器 <code>" + checkout.name()
                + "</code>（3f2a1b9c0d1e）里 :9080 上有 12 个连接"), zh);
        assertTrue(between(zh, "<h1>", "</h1>").contains("· 容器 <code class=\"ns-name\">"), zh);
    }

    @Test
    void theOverviewNamesTheContainerOfAnIncident() {
        collect("boot-1", leak(checkout, 12));
        Browser b = Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);
        // the Overview lists the 8 newest active incidents: this one was just opened
        String overview = b.get("/").then().statusCode(200).extract().asString();
        String incidentsCard = between(overview, "id=\"overview-incidents\"", "</section>");
        assertTrue(incidentsCard.contains("<span class=\"namespace\">· container <code class=\"ns-name\">"
                + checkout.name() + "</code>"), incidentsCard);
    }

    @Test
    void aHostileContainerHostnameIsTextOnEveryPage() {
        String hostile = "<script>alert(1)</script>" + "x".repeat(300) + suffix;
        NetNamespace evil = new NetNamespace(checkout.inode() + 3, NetNamespace.Kind.CONTAINER, hostile, ID_A, null,
                hostile, 1, Map.of(), 0);
        collect("boot-1", leak(evil, 12));
        long id = Sql.count("SELECT id FROM incident WHERE host_id = ? AND netns = ?", host, evil.key());
        Browser b = Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);
        for (String path : List.of("/incidents/" + id, "/incidents?hostId=" + host, "/")) {
            String page = b.get(path).then().statusCode(200).extract().asString();
            assertFalse(page.contains("<script>alert(1)"), path + " prints the name as markup");
            assertTrue(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), path + " shows it escaped");
        }
        String zh = Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD).acceptLanguage(CHINESE_BROWSER)
                .get("/incidents/" + id).then().statusCode(200).extract().asString();
        assertFalse(zh.contains("<script>alert(1)"));
        assertTrue(zh.contains("容器 <code>&lt;script&gt;alert(1)&lt;/script&gt;xxx"), zh);
        // the API gives the name as data, whole; the explanation has it cleaned and bounded
        admin().get("/api/v1/incidents/" + id).then().statusCode(200).body("namespace.name", equalTo(hostile))
                .body("explanation.length()", org.hamcrest.Matchers.lessThanOrEqualTo(600));
    }
}
