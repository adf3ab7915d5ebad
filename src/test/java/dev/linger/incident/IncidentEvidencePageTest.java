package dev.linger.incident;

import static dev.linger.incident.IncidentExplanationPageTest.CHINESE_BROWSER;
import static dev.linger.incident.IncidentExplanationPageTest.admin;
import static dev.linger.incident.IncidentExplanationPageTest.incident;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * Issue 12 item 16: the evidence reads as tables with the JSON behind a "raw" toggle, `code` in explanations is
 * code (and a hostile process name stays text), and states and kinds have one spelling per page.
 */
@QuarkusTest
class IncidentEvidencePageTest {

    /** FIN-WAIT-1 evidence as the detector stores it, with one owner named by a hostile host. */
    static Evidence.FinWait1Stuck finWait1Evidence(String ownerCommand, long orphaned) {
        return new Evidence.FinWait1Stuck("incoming", 3, 7_340_032, Map.of("persist", 3L), orphaned,
                List.of(new Evidence.Owner(4242, 4243L, ownerCommand, "S", 1L)), null, null, null, 1, 60, null, null,
                "ss -K state fin-wait-1 '( sport = :9080 )'",
                List.of(new Evidence.Sample("10.0.0.1:9080", "10.0.0.2:51512", 0, 2_446_677, "persist")), null);
    }

    @Test
    void evidenceIsTablesWithTheJsonBehindARawToggle() throws Exception {
        Evidence ev = finWait1Evidence("java", 2);
        long id = incident("FIN_WAIT1_STUCK", 9080, ev);
        String page = admin("en-US").get("/incidents/" + id).then().statusCode(200).extract().asString();

        String owners = between(page, "<table class=\"evidence-owners\">", "</table>");
        assertTrue(owners.contains("<td>4242</td><td>4243</td><td><code>java</code></td><td translate=\"no\">S</td><td>1</td>"), owners);
        String samples = between(page, "<table class=\"evidence-samples\">", "</table>");
        assertTrue(samples.contains("Recv-Q") && samples.contains("Send-Q"), samples);
        assertTrue(samples.contains("<td><code>10.0.0.1:9080</code></td><td><code>10.0.0.2:51512</code></td><td>0</td>"
                + "<td>2446677</td><td translate=\"no\">persist</td>"), samples);
        String timers = between(page, "<table class=\"evidence-timers legend\">", "</table>");
        assertTrue(timers.contains("<td translate=\"no\">persist</td><td>3</td>"), timers);
        String facts = between(page, "<table class=\"evidence-facts\">", "</table>");
        assertTrue(facts.contains("<th scope=\"row\"><code>sendQ</code></th><td translate=\"no\">7340032</td>"), facts);
        assertFalse(facts.contains("owners") || facts.contains("samples"), "tables are not repeated as facts");
        assertTrue(facts.contains("<th scope=\"row\"><code>direction</code></th><td>incoming</td>"), facts);
        assertFalse(facts.contains("<code>kind</code>"), "the kind is the page's title, not a fact");
        // the JSON is still there, folded: a <details> opens without script
        assertTrue(page.contains("<details class=\"raw\"><summary>Raw evidence (JSON)</summary><pre class=\"evidence\">{"),
                page);
        assertFalse(page.contains("<pre class=\"evidence\" tabindex=\"0\">"), "no raw JSON scroll box");

        String zh = admin(CHINESE_BROWSER).get("/incidents/" + id).then().statusCode(200).extract().asString();
        assertTrue(zh.contains("<h3>持有连接的进程</h3>") && zh.contains("<summary>原始证据（JSON）</summary>"), zh);
        assertTrue(between(zh, "<table class=\"evidence-facts\">", "</table>").contains("<td>入站</td>"), zh);
    }

    @Test
    void codeInAnExplanationIsCodeAndAHostileProcessNameStaysText() throws Exception {
        String hostile = "`<script>alert(1)</script>`<img src=x onerror=alert(2)>";
        Evidence ev = finWait1Evidence(hostile, 0);
        String english = IncidentExplanationPageTest.english(9080, ev);
        assertTrue(english.contains("`ss -K state fin-wait-1"), english);
        long id = incident("FIN_WAIT1_STUCK", 9080, ev);
        String page = admin("en-US").get("/incidents/" + id).then().statusCode(200).extract().asString();

        String explanation = between(page, "<p class=\"explanation\">", "</p>");
        assertTrue(explanation.contains("<code>ss -K state fin-wait-1 &#39;( sport = :9080 )&#39;</code> kills only"
                + " these."), explanation);
        assertTrue(explanation.contains("<code>&lt;script&gt;alert(1)&lt;/script&gt;</code>&lt;img src=x"
                + " onerror=alert(2)&gt;"), explanation);
        assertFalse(explanation.contains("`"), "no literal backticks: " + explanation);
        assertFalse(page.contains("<script>alert") || page.contains("<img src=x"), "nothing from the host is markup");
        assertTrue(page.contains("<code>ss -K state fin-wait-1") && !page.contains("<br>`"), page);
    }

    @Test
    void kindsAreNamesAndStatesAreSpelledAsSsWritesThemInBothLanguages() throws Exception {
        Evidence ev = finWait1Evidence("java", 2);
        long id = incident("FIN_WAIT1_STUCK", 9080, ev);
        long leak = incident("CLOSE_WAIT_LEAK", 7001, Findings.closeWait(5));
        for (String language : List.of("en-US", CHINESE_BROWSER)) {
            boolean zh = language.equals(CHINESE_BROWSER);
            String fin = admin(language).get("/incidents/" + id).then().statusCode(200).extract().asString();
            String heading = between(fin, "<h1>", "</h1>");
            assertTrue(heading.contains(zh ? "FIN-WAIT-1 卡住 :9080" : "FIN-WAIT-1 stuck :9080"), heading);
            assertTrue(between(fin, "<title>", "</title>").startsWith(zh ? "FIN-WAIT-1 卡住" : "FIN-WAIT-1 stuck"), fin);
            String close = admin(language).get("/incidents/" + leak).then().statusCode(200).extract().asString();
            assertTrue(between(close, "<h1>", "</h1>").contains(zh ? "CLOSE-WAIT 泄漏 :7001" : "CLOSE-WAIT leak :7001"),
                    close);
            String list = admin(language).get("/incidents").then().statusCode(200).extract().asString();
            assertTrue(list.contains(zh ? "CLOSE-WAIT 泄漏 :7001</a>" : "CLOSE-WAIT leak :7001</a>"), list);
            for (String page : List.of(fin, close)) {
                // runbook titles are written by people (other tests add some): the page's own words are checked
                String shown = page.replaceAll("(?s)<ul class=\"offers\">.*?</section>", "");
                for (String other : List.of("FIN_WAIT1", "FIN_WAIT_1", "CLOSE_WAIT", "FIN-WAIT1", "FIN WAIT", "CLOSE WAIT",
                        "fin_wait", "close_wait")) {
                    assertFalse(shown.contains(other), other + " on " + language + " page:\n" + shown);
                }
            }
        }
    }

    static String between(String page, String start, String end) {
        int from = page.indexOf(start);
        assertTrue(from >= 0, "no " + start + " in\n" + page);
        int to = page.indexOf(end, from + start.length());
        return page.substring(from + start.length(), to);
    }
}
