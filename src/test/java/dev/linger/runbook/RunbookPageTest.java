package dev.linger.runbook;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.linger.Browser;
import dev.linger.Sql;
import dev.linger.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** The runbook pages as a person uses them: read, import with a preview, edit the steps, save, edit again. */
@QuarkusTest
class RunbookPageTest {

    @Inject
    TestUsers users;

    static final String NOTES = """
            # Port 7070 stuck

            Home | Blog | About

            1. `sysctl -w net.ipv4.tcp_fin_timeout=20`
            2. `kill -9 31337`
            3. `sysctl -w net.ipv4.tcp_keepalive_time=900`
            """;

    @Test
    void theListAndADetailShowRiskStepsExactCommandsAndHistory() {
        TestUsers.Person viewer = users.create("viewer");
        Browser b = Browser.signedIn(viewer.name(), viewer.password());
        b.get("/runbooks").then().statusCode(200).body(containsString("Drain FIN-WAIT-1 orphans with the orphan limit"))
                .body(containsString("risk-HIGH")).body(not(containsString("Import from a document")));
        b.get("/runbooks/fin-wait1-drain-orphans?port=9080").then().statusCode(200)
                .body(containsString("sysctl -w net.ipv4.tcp_max_orphans=0"))
                .body(containsString("ss -Htn state fin-wait-1 &#39;( sport = :9080 )&#39;"))
                .body(containsString("System-wide"))
                .body(containsString("undo-AUTOMATIC"))
                .body(containsString("Version history"))
                .body(not(containsString("/edit")));
        b.get("/runbooks/fin-wait1-drain-orphans?port=99999").then().statusCode(200)
                .body(containsString("A port is a number from 1 to 65535."))
                .body(containsString("&#39;( sport = :{port} )&#39;"));
        b.get("/runbooks/no-such-thing").then().statusCode(404);
        b.get("/runbooks/import").then().statusCode(403);
    }

    @Test
    void anImportIsPreviewedEditedAndSavedWithItsSourceLines() {
        TestUsers.Person operator = users.create("operator");
        Browser b = Browser.signedIn(operator.name(), operator.password());
        long before = Sql.count("SELECT count(*) FROM runbook");
        Response preview = b.postMultipart("/runbooks/import", Map.of("title", "", "text", ""), "notes.md",
                NOTES.getBytes(StandardCharsets.UTF_8));
        preview.then().statusCode(200).body(containsString("Steps found in the document"))
                .body(containsString("Port 7070 stuck"))
                .body(containsString("sysctl -w net.ipv4.tcp_fin_timeout=20"))
                .body(containsString("flag-DANGEROUS"))
                // the flag and why, in words; the warning travels in the form as the fact, not as English
                .body(containsString("<span class=\"badge flag-DANGEROUS\">dangerous</span> A pid copied from a document"
                        + " is a guess"))
                .body(containsString("value=\"{&quot;key&quot;:&quot;step.importKill&quot;,&quot;args&quot;:[]}\""))
                .body(containsString("<textarea id=\"description\" name=\"description\" rows=\"5\" translate=\"no\">\n</textarea>"));
        assertEquals(before, Sql.count("SELECT count(*) FROM runbook"), "a preview saves nothing");

        // the form as the page rendered it: SET (line 5), the flagged kill (line 6, left out), SET (line 7)
        Map<String, Object> form = new HashMap<>();
        form.put("mode", "import");
        form.put("title", "Port 7070 stuck");
        form.put("risk", "LOW");
        form.put("description", "");
        form.put("sourceDocument", NOTES);
        form.put("paramCount", "0");
        form.put("stepCount", "3");
        step(form, 0, "SET_SYSCTL", 5, Map.of("key", "net.ipv4.tcp_fin_timeout", "value", "20"), true);
        step(form, 1, "NOTE", 6, Map.of("text", "kill -9 31337"), false);
        form.put("s1.flag", "DANGEROUS");
        form.put("s1.warning", "{\"key\":\"step.importKill\",\"args\":[]}");
        step(form, 2, "SET_SYSCTL", 7, Map.of("key", "net.ipv4.tcp_keepalive_time", "value", "900"), true);

        // move the last step above the left-out one: the page comes back in the new order, nothing saved
        form.put("action", "up:2");
        Response moved = b.postForm("/runbooks/editor", form);
        moved.then().statusCode(200);
        String steps = moved.asString().substring(moved.asString().indexOf("<h2>Steps</h2>"));
        assertTrue(steps.indexOf("net.ipv4.tcp_fin_timeout") < steps.indexOf("net.ipv4.tcp_keepalive_time")
                && steps.indexOf("net.ipv4.tcp_keepalive_time") < steps.indexOf("kill -9 31337"), steps);
        assertTrue(steps.contains("A pid copied from a document is a guess"), "the warning came back with its row");
        assertEquals(before, Sql.count("SELECT count(*) FROM runbook"));
        // a form from before warnings were facts shows its English as it was; in Chinese, a fact is Chinese
        form.put("s1.warning", "An old warning, in English.");
        b.postForm("/runbooks/editor", form).then().statusCode(200).body(containsString("An old warning, in English."));
        form.put("s1.warning", "{\"key\":\"step.importKill\",\"args\":[]}");
        b.acceptLanguage("zh-CN").postForm("/runbooks/editor", form).then().statusCode(200)
                .body(containsString("<span class=\"badge flag-DANGEROUS\">危险</span> 从文档里抄来的 PID 只是猜测"));
        b.acceptLanguage("en");

        // a bad value is shown next to its field, with what was typed kept
        form.put("s0.value", "20; reboot");
        form.put("action", "save");
        b.postForm("/runbooks/editor", form).then().statusCode(400)
                .body(containsString("Nothing was saved")).body(containsString("20; reboot"))
                .body(containsString("is not"));
        assertEquals(before, Sql.count("SELECT count(*) FROM runbook"));

        form.put("s0.value", "20");
        Response saved = b.postForm("/runbooks/editor", form);
        saved.then().statusCode(303);
        String location = saved.header("Location");
        assertTrue(location.contains("/runbooks/port-7070-stuck"), location);
        String slug = location.substring(location.lastIndexOf('/') + 1);
        b.get("/runbooks/" + slug).then().statusCode(200)
                .body(containsString("line 5"))
                .body(containsString("Source document"))
                .body(containsString("<p class=\"muted\">Imported from a document.</p>"))
                .body(not(containsString("31337</code>")));
        assertEquals(1, Sql.count("SELECT count(*) FROM runbook_version v JOIN runbook r ON r.id = v.runbook_id"
                + " WHERE r.slug = ? AND v.description = ''", slug), "no stock sentence is stored");
        assertEquals(2, Sql.count("SELECT jsonb_array_length(steps) FROM runbook_version v JOIN runbook r"
                + " ON r.id = v.runbook_id WHERE r.slug = ?", slug));
        assertEquals(1, Sql.count("SELECT count(*) FROM audit_event WHERE action = 'runbook.created' AND subject_id = ?",
                slug));

        // editing adds version 2 and keeps version 1
        b.get("/runbooks/" + slug + "/edit").then().statusCode(200).body(containsString("Save as a new version"));
        form.put("mode", "edit");
        form.put("slug", slug);
        form.put("baseVersion", "1");
        form.put("changeNote", "shorter");
        form.put("s2.value", "600");
        b.postForm("/runbooks/editor", form).then().statusCode(303);
        assertEquals(2, Sql.count("SELECT latest_version FROM runbook WHERE slug = ?", slug));
        b.get("/runbooks/" + slug + "?version=1").then().statusCode(200).body(containsString("version 1"))
                .body(containsString("net.ipv4.tcp_fin_timeout=20"));
    }

    @Test
    void pageFormsNeedTheirTokenAndTheRightRole() {
        TestUsers.Person operator = users.create("operator");
        Browser b = Browser.signedIn(operator.name(), operator.password());
        Map<String, Object> form = new HashMap<>();
        form.put("mode", "new");
        form.put("title", "Forged");
        form.put("stepCount", "1");
        step(form, 0, "NOTE", null, Map.of("text", "hi"), true);
        form.put("action", "save");
        long before = Sql.count("SELECT count(*) FROM runbook");
        b.postForm("/runbooks/editor", form, false).then().statusCode(403);
        assertEquals(before, Sql.count("SELECT count(*) FROM runbook"));

        form.put("risk", "CRITICAL");
        b.postForm("/runbooks/editor", form).then().statusCode(403).body(containsString("Only an admin"));
        assertEquals(before, Sql.count("SELECT count(*) FROM runbook"));

        TestUsers.Person viewer = users.create("viewer");
        Browser v = Browser.signedIn(viewer.name(), viewer.password());
        form.put("risk", "LOW");
        v.postForm("/runbooks/editor", form).then().statusCode(403);
        assertEquals(before, Sql.count("SELECT count(*) FROM runbook"));
    }

    @Test
    void aDocumentThatChangesTheWholeMachineIsProposedAsHighRisk() {
        TestUsers.Person operator = users.create("operator");
        Browser b = Browser.signedIn(operator.name(), operator.password());
        b.postMultipart("/runbooks/import", Map.of("title", "drain", "text",
                "```\nsysctl -w net.ipv4.tcp_max_orphans=0\n```\n"), "", null).then().statusCode(200)
                .body(containsString("<option value=\"HIGH\" selected>high</option>"));
        b.postMultipart("/runbooks/import", Map.of("title", "tune", "text",
                "```\nsysctl -w net.ipv4.tcp_fin_timeout=30\n```\n"), "", null).then().statusCode(200)
                .body(containsString("<option value=\"LOW\" selected>low</option>"));
    }

    @Test
    void aBinaryUploadIsRefusedWithAMessage() {
        TestUsers.Person operator = users.create("operator");
        Browser b = Browser.signedIn(operator.name(), operator.password());
        byte[] junk = new byte[4096];
        new java.util.Random(7).nextBytes(junk);
        b.postMultipart("/runbooks/import", Map.of("title", "junk"), "junk.bin", junk).then().statusCode(400)
                .body(containsString("not UTF-8 text"));
    }

    private static void step(Map<String, Object> form, int i, String type, Integer line, Map<String, String> fields,
            boolean keep) {
        form.put("s" + i + ".type", type);
        if (line != null) {
            form.put("s" + i + ".sourceLine", String.valueOf(line));
        }
        fields.forEach((k, v) -> form.put("s" + i + "." + k, v));
        if (keep) {
            form.put("s" + i + ".keep", "on");
        }
    }
}
