package dev.linger.browser;

import static dev.linger.Api.admin;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.Cookie;

import dev.linger.TestUsers;
import dev.linger.i18n.PseudoLocale;
import dev.linger.i18n.RequestLanguage;
import dev.linger.lab.Fault;
import dev.linger.lab.LabHost;
import dev.linger.lab.LingerTestKey;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/**
 * Every page, walked in a real Chromium in two languages after an on-call night has happened on a lab host (a
 * CLOSE-WAIT leak and FIN-WAIT-1 orphans, an incident, a keepalive job approved and run, its rollback proposed):
 * <ul>
 * <li>in the test-only pseudo-locale {@code en-XA}, which is made of properties files alone, no page shows a word
 * that did not come from the message catalogue;</li>
 * <li>in Chinese, no page of the night shows English beyond commands, kernel state names, names and numbers.</li>
 * </ul>
 * Needs root (the lab host is a network namespace reached over real SSH) and Debian's chromium and chromium-driver.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LanguageWalkTest {

    /** The keepalive runbook's parameters (the port comes from the incident). */
    static final String OVERRIDE = "Rehearsal: the owner is being found; keepalive alone will not close these.";
    static final Map<String, String> NEW_VALUES = Map.of("port", "9080", "idle_seconds", "300", "interval_seconds", "10",
            "probes", "4");

    /** Latin words a Chinese on-call page may show outside code: kernel and protocol names people search for. */
    static final Set<String> LATIN_IN_CHINESE = Set.of("CLOSE-WAIT", "FIN-WAIT-1", "FIN-WAIT-2", "TIME-WAIT",
            "ESTABLISHED", "ESTAB", "LISTEN", "SYN-SENT", "SYN-RECV", "LAST-ACK", "CLOSING", "CLOSE", "TCP", "UDP",
            "SSH", "PID", "TID", "IPv4", "IPv6", "Recv-Q", "Send-Q", "Linger", "Pod", "Docker", "Kubernetes",
            "Webhook", "API", "JSON", "JSONL", "SHA256", "Markdown", "sysctl", "keepalive", "CSV", "pid", "ppid", "tid",
            "DNS", "IP", "ID", "URL", "inode", "root", "sudo", "shell", "systemd", "UTF-8", "RST",
            // the word a person types in the incident filter for the host's own namespace
            "host");

    @TestHTTPResource("/")
    URL root;

    @Inject
    TestUsers users;

    private LabHost lab;
    private Chromium browser;
    /**
     * Names and what people typed, which no catalogue translates: this walk's host, users and process, Linger's own
     * actors, and the reasons and comments given. Taken out of a page's words before they are checked.
     */
    private final List<String> namesAndInput = new ArrayList<>(List.of(TestUsers.ADMIN, "linger", "system",
            "test-setup", "faults", "night walk", "read the plan", "owner fixed", OVERRIDE));
    private final List<String> pages = new ArrayList<>();
    /** The incident and the job of the night, saved as screenshots (the README shows the Chinese incident). */
    private List<String> shots;

    @BeforeAll
    void startTheLab() {
        lab = LingerTestKey.labHost("words");
        lab.useCleanLoginShell();
    }

    /** RestAssured knows Linger's port once the first test runs, not in {@code @BeforeAll}. */
    @Test
    @Order(0)
    void anOnCallNightHappened() {
        TestUsers.Person operator = users.create("operator");
        TestUsers.Person approver = users.create("operator", "approver");
        TestUsers.Person secondApprover = users.create("approver");
        namesAndInput.addAll(List.of("words-" + lab.namespace(), operator.name(), approver.name(),
                secondApprover.name()));
        long host = ((Number) admin().body(Map.of("name", "words-" + lab.namespace(), "address", lab.address(),
                "sshUser", lab.user())).post("/api/v1/hosts").then().statusCode(201).extract().path("id")).longValue();
        admin().post("/api/v1/hosts/" + host + "/collect");
        admin().body(Map.of("fingerprint", lab.hostKeyFingerprint())).post("/api/v1/hosts/" + host + "/host-key/trust")
                .then().statusCode(200);
        Fault leak = lab.closeWait(9080, 12);
        // FIN-WAIT-1 orphans for the host page (their incident waits for the sockets to age, which this walk does not)
        Fault orphans = lab.finWait1(9082, 3);
        admin().post("/api/v1/hosts/" + host + "/collect").then().statusCode(200);
        long closeWait = incident(host, "CLOSE_WAIT_LEAK", 9080);

        long job = ((Number) as(operator).body(Map.of("runbook", "tcp-keepalive-runtime", "hostId", host, "incidentId",
                closeWait, "params", NEW_VALUES, "reason", "night walk", "override",
                OVERRIDE))
                .post("/api/v1/jobs").then().statusCode(201).extract().path("id")).longValue();
        for (TestUsers.Person p : List.of(approver, secondApprover)) {
            as(p).body(Map.of("decision", "APPROVE", "comment", "read the plan")).post("/api/v1/jobs/" + job
                    + "/approvals").then().statusCode(200);
        }
        browser = Chromium.desktop(root.toString());
        awaitFinished(job);
        long rollback = ((Number) as(approver).body(Map.of("reason", "owner fixed")).post("/api/v1/jobs/" + job
                + "/rollback").then().statusCode(201).extract().path("id")).longValue();

        pages.addAll(List.of("/", "/hosts", "/hosts/" + host, "/hosts/" + host + "/sockets?port=9080",
                "/hosts/new", "/hosts/" + host + "/edit", "/hosts/" + host + "/delete", "/incidents",
                "/incidents/" + closeWait,
                "/jobs/new?runbook=tcp-keepalive-runtime&incidentId=" + closeWait, "/approvals", "/jobs",
                "/jobs/" + job, "/jobs/" + rollback, "/runbooks", "/runbooks/new", "/runbooks/import", "/audit",
                "/users", "/account", "/silences", "/channels", "/policies", "/search?q=port:9080", "/no/such/page"));
        shots = List.of("/incidents/" + closeWait, "/jobs/" + job);
        List<String> runbooks = admin().get("/api/v1/runbooks").then().statusCode(200).extract().path("slug");
        runbooks.forEach(slug -> pages.add("/runbooks/" + slug));
        assertTrue(leak.pid() > 0 && orphans.machinePid() > 0);
    }

    @AfterAll
    void tearDown() {
        if (browser != null) {
            browser.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    @Order(1)
    void inThePseudoLocaleEveryWordOnEveryPageComesFromTheCatalogue() {
        Map<String, List<String>> outside = walk(PseudoLocale.TAG, words -> PageWords.outsideTheCatalogue(
                withoutNames(words)));
        assertEquals(Map.of(), outside, "words on pages that are not in the message catalogue (mark values"
                + " translate=\"no\" or <code>)");
    }

    @Test
    @Order(2)
    void inChineseTheNightShowsNoEnglishBeyondCommandsStateNamesNamesAndNumbers() {
        Map<String, List<String>> english = walk("zh", words -> PageWords.latinWords(withoutNames(words),
                LATIN_IN_CHINESE));
        assertEquals(Map.of(), english, "English words on Chinese pages");
    }

    /** Each page (signed out: the sign-in page; signed in as admin: the rest), in one language. */
    private Map<String, List<String>> walk(String language, java.util.function.Function<String, List<String>> check) {
        // other tests of the suite leave hosts, users and jobs behind: their names and reasons are values too
        namesAndInput.addAll(dev.linger.Sql.names());
        List<String> reasons = admin().get("/api/v1/jobs").then().statusCode(200).extract().path("reason");
        reasons.stream().filter(r -> r != null && !r.isBlank()).forEach(namesAndInput::add);
        return walkPages(language, check);
    }

    private Map<String, List<String>> walkPages(String language, java.util.function.Function<String, List<String>> check) {
        Map<String, List<String>> found = new LinkedHashMap<>();
        browser.open("/login");
        browser.driver().manage().deleteAllCookies();
        browser.driver().manage().addCookie(new Cookie(RequestLanguage.COOKIE, language, "/"));
        browser.open("/login");
        record(found, "/login", check.apply(PageWords.read(browser)));
        browser.signIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);
        for (String page : pages) {
            browser.open(page);
            record(found, page, check.apply(PageWords.read(browser)));
            if (page.equals(shots.get(0)) || page.equals(shots.get(1))) {
                browser.screenshot("3" + (1 + shots.indexOf(page)) + "-walk-" + language + page.replace('/', '-'));
            }
        }
        // a refusal on a form, and a flash message after an action
        browser.open("/hosts/new");
        browser.find("#name").sendKeys("not a host name!");
        browser.find("#address").sendKeys("-oProxyCommand=x");
        browser.find("form[action='/hosts'] button[type=submit]").click();
        browser.waiting().until(d -> !browser.findAll("p.error").isEmpty());
        record(found, "/hosts/new refused", check.apply(PageWords.read(browser)));
        browser.screenshot("30-walk-" + language + "-refusal");
        browser.signOut();
        record(found, "/login after sign-out", check.apply(PageWords.read(browser)));
        return found;
    }

    /** Longest first, so a name that contains another goes whole. */
    private String withoutNames(String words) {
        String out = words;
        for (String name : namesAndInput.stream().sorted((a, b) -> b.length() - a.length()).toList()) {
            // whole names only: "linger" the actor, not the "linger" in /etc/sysctl.d/90-linger-keepalive.conf
            out = out.replaceAll("(?<![\\w/.-])" + java.util.regex.Pattern.quote(name) + "(?![\\w/.-])",
                    " " + PageWords.VALUE + " ");
        }
        return out;
    }

    private static void record(Map<String, List<String>> found, String page, List<String> lines) {
        if (!lines.isEmpty()) {
            found.put(page, lines);
        }
    }

    private static long incident(long host, String kind, int port) {
        return ((Number) admin().get("/api/v1/incidents?status=ACTIVE&hostId=" + host + "&kind=" + kind).then()
                .statusCode(200).extract().path("find { it.port == " + port + " }.id")).longValue();
    }

    private static RequestSpecification as(TestUsers.Person p) {
        return given().auth().preemptive().basic(p.name(), p.password()).contentType("application/json");
    }

    /** The job runs on Linger's worker over real SSH: asked again until it ends, failing after 90 s. */
    private void awaitFinished(long job) {
        String status = browser.waiting(Duration.ofSeconds(90)).until(d -> {
            String now = admin().get("/api/v1/jobs/" + job).then().statusCode(200).extract().path("status");
            return List.of("SUCCEEDED", "FAILED").contains(now) ? now : null;
        });
        assertEquals("SUCCEEDED", status);
    }
}
