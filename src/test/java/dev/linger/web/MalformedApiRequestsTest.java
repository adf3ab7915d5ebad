package dev.linger.web;

import static dev.linger.Api.admin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.linger.Sql;
import dev.linger.job.Jobs;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * Sends every row of {@code api/malformed-requests.tsv} (unparsable bodies, wrong shapes, each field of each
 * POST/PUT route with values of the wrong type) and checks each answer: 4xx, a JSON refusal with a non-empty
 * "error" and "fields" naming the field, and nothing stored.
 */
@QuarkusTest
class MalformedApiRequestsTest {

    private static final List<String> TABLES = List.of("app_user", "host", "job", "job_approval", "job_step",
            "runbook", "runbook_version", "sysctl_change", "audit_event");

    record Row(int line, String method, String path, String field, String body) {
    }

    @Test
    void everyMalformedRequestIsRefusedWithAJsonRefusalNamingTheFieldAndChangesNothing() {
        long host = Jobs.localHost();
        String runbook = Jobs.readOnlyRunbook("LOW");
        long job = ((Number) admin().body(Map.of("runbook", runbook, "hostId", host, "params", Map.of(), "reason",
                "a job to send malformed decisions to")).post("/api/v1/jobs").then().statusCode(201).extract()
                .path("id")).longValue();
        Map<String, Long> before = counts();

        List<String> failures = new ArrayList<>();
        List<Row> rows = rows();
        for (Row row : rows) {
            String path = fill(row.path(), host, job, runbook);
            String body = fill(row.body().replace("\"{host}\"", Long.toString(host)), host, job, runbook);
            Response r = admin().body(body).request(row.method(), path);
            String problem = problem(row, r);
            if (problem != null) {
                failures.add("line " + row.line() + " " + row.method() + " " + path + " " + body + ": " + problem);
            }
        }

        assertTrue(rows.size() > 400, "the table has " + rows.size() + " rows");
        assertEquals(List.of(), failures, failures.size() + " of " + rows.size() + " requests were not refused well");
        assertEquals(before, counts(), "a malformed request changed something");
    }

    @Test
    void aBooleanIsNotAUserNameAndAFractionIsNotAHostId() {
        long usersBefore = Sql.users();
        admin().body("{\"username\": true, \"password\": \"long-enough-password\", \"roles\": [\"viewer\"]}")
                .post("/api/v1/users").then().statusCode(400)
                .body("fields.username", org.hamcrest.Matchers.containsString("expected text"));
        assertEquals(usersBefore, Sql.users());
        assertEquals(0, Sql.count("SELECT count(*) FROM app_user WHERE username = 'true'"));

        long jobsBefore = Sql.count("SELECT count(*) FROM job");
        admin().body("{\"runbook\": \"" + Jobs.readOnlyRunbook("LOW") + "\", \"hostId\": " + Jobs.localHost()
                + ".9, \"params\": {}, \"reason\": \"fraction\"}").post("/api/v1/jobs").then().statusCode(400)
                .body("fields.hostId", org.hamcrest.Matchers.containsString("whole number"));
        assertEquals(jobsBefore, Sql.count("SELECT count(*) FROM job"));
    }

    @Test
    void confirmingAStepOfAJobThatDoesNotExistIsNotFound() {
        long events = Sql.auditEvents();
        admin().post("/api/v1/jobs/99999/steps/1/confirm").then().statusCode(404)
                .body("error", org.hamcrest.Matchers.equalTo("There is no job 99999."));
        assertEquals(events, Sql.auditEvents());
    }

    @Test
    void theProposeFormRefusesAReasonWithADirectionOverride() {
        String runbook = Jobs.readOnlyRunbook("LOW");
        dev.linger.Browser browser = dev.linger.Browser.signedIn(dev.linger.TestUsers.ADMIN,
                dev.linger.TestUsers.ADMIN_PASSWORD);
        long jobs = Sql.count("SELECT count(*) FROM job");
        long events = Sql.auditEvents();
        // no lone surrogate here: UTF-8 form encoding cannot carry one (it arrives as '?'); the API rows test it
        for (String reason : new String[] {"restart the \u202egnp.exe", "\u2066isolated\u2069", "x\u202ay"}) {
            browser.postForm("/jobs", Map.of("runbook", runbook, "hostId", String.valueOf(Jobs.localHost()),
                    "reason", reason)).then().statusCode(400)
                    .body(org.hamcrest.Matchers.containsString("invisible direction marks"));
        }
        assertEquals(jobs, Sql.count("SELECT count(*) FROM job"));
        assertEquals(events, Sql.auditEvents());
    }

    /** Null when the answer is a good refusal; otherwise what is wrong with it. */
    private static String problem(Row row, Response r) {
        int status = r.statusCode();
        if (status < 400 || status >= 500) {
            return "status " + status + " " + r.asString();
        }
        String type = r.contentType();
        if (type == null || !type.startsWith("application/json")) {
            return "status " + status + ", content type " + type + ", body '" + r.asString() + "'";
        }
        Object error = r.path("error");
        if (!(error instanceof String text) || text.isBlank()) {
            return "no error text: " + r.asString();
        }
        Object fields = r.path("fields");
        if (!(fields instanceof Map<?, ?> named)) {
            return "no fields: " + r.asString();
        }
        if (!named.containsKey(row.field())) {
            return "fields do not name " + row.field() + ": " + r.asString();
        }
        return null;
    }

    private static String fill(String text, long host, long job, String runbook) {
        return text.replace("{host}", Long.toString(host)).replace("{job}", Long.toString(job))
                .replace("{runbook}", runbook);
    }

    private static Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : TABLES) {
            counts.put(table, Sql.count("SELECT count(*) FROM " + table));
        }
        return counts;
    }

    private static List<Row> rows() {
        try (InputStream in = MalformedApiRequestsTest.class.getResourceAsStream("/api/malformed-requests.tsv")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].isBlank() || lines[i].startsWith("#")) {
                    continue;
                }
                String[] columns = lines[i].split("\t", 4);
                assertEquals(4, columns.length, "line " + (i + 1));
                assertFalse(columns[3].isEmpty(), "line " + (i + 1));
                rows.add(new Row(i + 1, columns[0], columns[1], columns[2], columns[3]));
            }
            return rows;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
