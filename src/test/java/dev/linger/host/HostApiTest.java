package dev.linger.host;

import static dev.linger.Api.admin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.linger.Browser;
import dev.linger.Sql;
import dev.linger.TestUsers;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class HostApiTest {

    @Inject
    TestUsers users;
    @Inject
    MachineIdentity machine;


    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void theFirstStartRegisteredThisMachineAsALocalHost() {
        admin().get("/api/v1/hosts").then().statusCode(200)
                .body("findAll { it.transport == 'LOCAL' }.size()", equalTo(1))
                .body("find { it.transport == 'LOCAL' }.name", equalTo(LocalHostRegistration.sanitize(machine.hostname())))
                .body("find { it.transport == 'LOCAL' }.hostKey", nullValue());
        assertEquals(1, Sql.count("SELECT count(*) FROM audit_event WHERE action = 'host.created' AND actor = 'system'"));
    }

    @Test
    void anAdminAddsChangesAndRemovesAHostAndEveryStepIsAudited() {
        String name = unique("web");
        int id = admin().body(Map.of("name", name, "address", "192.0.2.10", "sshPort", 2222, "sshUser", "linger",
                "transport", "SSH", "sudo", true, "collectIntervalSeconds", 60))
                .post("/api/v1/hosts").then().statusCode(201).header("Location", containsString("/api/v1/hosts/"))
                .body("name", equalTo(name)).body("sshPort", equalTo(2222)).body("sudo", equalTo(true))
                .body("status", equalTo("UNKNOWN")).body("hostKey.status", equalTo("PENDING"))
                .extract().path("id");
        admin().get("/api/v1/hosts/" + id).then().statusCode(200).body("collectIntervalSeconds", equalTo(60));
        admin().body(Map.of("name", name, "address", "192.0.2.11", "sshUser", "linger", "transport", "SSH"))
                .put("/api/v1/hosts/" + id).then().statusCode(200).body("address", equalTo("192.0.2.11"))
                .body("sshPort", equalTo(22));
        admin().delete("/api/v1/hosts/" + id).then().statusCode(204);
        // removed hosts are archived for their history (issue 12 item 14): readable, but gone from the list
        admin().get("/api/v1/hosts/" + id).then().statusCode(200).body("archivedAt", org.hamcrest.Matchers.notNullValue())
                .body("archivedBy", equalTo("admin"));
        admin().get("/api/v1/hosts").then().statusCode(200).body("name", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(name)));
        admin().delete("/api/v1/hosts/" + id).then().statusCode(404);
        assertEquals(3, Sql.count("SELECT count(*) FROM audit_event WHERE subject_type = 'host' AND subject_id = ?"
                + " AND action IN ('host.created', 'host.updated', 'host.archived') AND actor = 'admin'", String.valueOf(id)));
    }

    @Test
    void labelsAreKeptSortedSurviveAnUpdateWithoutThemAndBadOnesAreRefused() {
        String name = unique("lab");
        int id = admin().body(Map.of("name", name, "address", "192.0.2.20", "labels", java.util.List.of("team=payments",
                "prod", "prod"))).post("/api/v1/hosts").then().statusCode(201)
                .body("labels", equalTo(java.util.List.of("prod", "team=payments"))).extract().path("id");
        // a client that knows nothing of labels does not wipe them
        admin().body(Map.of("name", name, "address", "192.0.2.21")).put("/api/v1/hosts/" + id).then().statusCode(200)
                .body("labels", equalTo(java.util.List.of("prod", "team=payments")));
        long audited = Sql.auditEvents();
        for (Object bad : java.util.List.of(java.util.List.of("has space"), java.util.List.of("-dash"),
                java.util.Collections.nCopies(21, "x").stream().map(x -> unique("l")).toList())) {
            admin().body(Map.of("name", name, "address", "192.0.2.21", "labels", bad)).put("/api/v1/hosts/" + id)
                    .then().statusCode(400).body("fields.labels", containsString("At most 20 labels"));
        }
        assertEquals(audited, Sql.auditEvents());
        admin().body(Map.of("name", name, "address", "192.0.2.21", "labels", java.util.List.of()))
                .put("/api/v1/hosts/" + id).then().statusCode(200).body("labels", equalTo(java.util.List.of()));
    }

    @Test
    void duplicateNamesAreRefusedWhateverTheirCase() {
        String name = unique("db");
        admin().body(Map.of("name", name, "address", "db.example.net")).post("/api/v1/hosts").then().statusCode(201);
        long hosts = Sql.count("SELECT count(*) FROM host");
        admin().body(Map.of("name", name.toUpperCase(), "address", "db2.example.net")).post("/api/v1/hosts")
                .then().statusCode(409).body("error", containsString("already exists"));
        assertEquals(hosts, Sql.count("SELECT count(*) FROM host"));
    }

    /** Each bad value, the key of its refusal and the refusal as an English caller reads it. */
    static Stream<Arguments> badFields() {
        String addressForm = "Enter a DNS name (like db-1.example.net) or an IP address (like 192.0.2.10 or 2001:db8::10).";
        return Stream.of(
                Arguments.of("address=-oProxyCommand=sh", "refuse.addressDash", "An address cannot start with '-'."),
                Arguments.of("address=db;reboot", "refuse.addressForm", addressForm),
                Arguments.of("address=$(id)", "refuse.addressForm", addressForm),
                Arguments.of("name=", "refuse.hostNameMissing", "Enter a name."),
                Arguments.of("name=a b", "refuse.hostNameForm",
                        "Use up to 63 letters, digits, dots, dashes or underscores, starting with a letter or digit."),
                Arguments.of("sshPort=0", "refuse.sshPort", "The SSH port is a number from 1 to 65535."),
                Arguments.of("sshPort=70000", "refuse.sshPort", "The SSH port is a number from 1 to 65535."),
                Arguments.of("sshUser=root;id", "refuse.sshUser",
                        "Use a plain Unix user name: lower-case letters, digits, '_', '-' or '.', up to 32."),
                Arguments.of("transport=TELNET", "refuse.transport", "Transport is SSH or LOCAL."),
                Arguments.of("collectIntervalSeconds=1", "refuse.interval", "Collect every 5 to 86400 seconds."),
                Arguments.of("address=x", null, null));
    }

    @ParameterizedTest
    @MethodSource("badFields")
    void badFieldsAreRefusedWithTheirReasonAndNothingIsStored(String change, String key, String message) {
        Map<String, Object> body = new HashMap<>(Map.of("name", unique("h"), "address", "h.example.net"));
        String[] kv = change.split("=", 2);
        body.put(kv[0], kv[0].equals("sshPort") || kv[0].equals("collectIntervalSeconds") ? Integer.valueOf(kv[1]) : kv[1]);
        long hosts = Sql.count("SELECT count(*) FROM host");
        long events = Sql.auditEvents();
        if (change.equals("address=x")) {
            // a one-letter DNS name is valid: the control case that proves the others fail for their value
            admin().body(body).post("/api/v1/hosts").then().statusCode(201);
            return;
        }
        // that field alone is at fault, with its own refusal
        admin().body(body).post("/api/v1/hosts").then().statusCode(400)
                .body("keys", equalTo(Map.of(kv[0], key)))
                .body("fields", equalTo(Map.of(kv[0], message)));
        assertEquals(hosts, Sql.count("SELECT count(*) FROM host"));
        assertEquals(events, Sql.auditEvents());
    }

    @Test
    void onlyAdminsChangeHostsAndOnlyOperatorsCollect() {
        TestUsers.Person viewer = users.create("viewer");
        TestUsers.Person operator = users.create("operator");
        given().auth().preemptive().basic(viewer.name(), viewer.password()).contentType("application/json")
                .body(Map.of("name", unique("v"), "address", "v.example.net")).post("/api/v1/hosts").then().statusCode(403);
        given().auth().preemptive().basic(operator.name(), operator.password()).contentType("application/json")
                .body(Map.of("name", unique("o"), "address", "o.example.net")).post("/api/v1/hosts").then().statusCode(403);
        given().auth().preemptive().basic(viewer.name(), viewer.password()).get("/api/v1/hosts").then().statusCode(200)
                .body("transport", hasItem("LOCAL"));
        long local = Sql.count("SELECT id FROM host WHERE transport = 'LOCAL'");
        given().auth().preemptive().basic(viewer.name(), viewer.password()).contentType("application/json")
                .post("/api/v1/hosts/" + local + "/collect").then().statusCode(403)
                .body("error", containsString("role does not allow"));
    }

    @Test
    void trustingAKeyNeedsTheFingerprintTheHostPresented() {
        int id = admin().body(Map.of("name", unique("k"), "address", "k.example.net")).post("/api/v1/hosts")
                .then().statusCode(201).extract().path("id");
        admin().body(Map.of("fingerprint", "not-a-fingerprint")).post("/api/v1/hosts/" + id + "/host-key/trust")
                .then().statusCode(400).body("error", containsString("SHA256:"));
        admin().body(Map.of("fingerprint", "SHA256:" + "A".repeat(43))).post("/api/v1/hosts/" + id + "/host-key/trust")
                .then().statusCode(409).body("error", containsString("has not seen this host's key"));
        admin().get("/api/v1/hosts/" + id).then().body("hostKey.status", equalTo("PENDING"));
    }

    @Test
    void thePagesListTheHostsAndAdminsGetTheForms() {
        String name = unique("page");
        Browser admin = Browser.signedIn("admin", TestUsers.ADMIN_PASSWORD);
        admin.get("/hosts/new").then().statusCode(200).body(containsString("Add a host"));
        admin.postForm("/hosts", Map.of("name", name, "address", "bad address", "sshPort", "22"))
                .then().statusCode(400).body(containsString("Enter a DNS name"), containsString("value=\"" + name + "\""));
        admin.postForm("/hosts", Map.of("name", name, "address", "page.example.net", "sshPort", "x"))
                .then().statusCode(400).body(containsString("Enter a whole number."));
        admin.postForm("/hosts", Map.of("name", name, "address", "page.example.net", "sshPort", "22"))
                .then().statusCode(303);
        admin.get("/hosts").then().statusCode(200).body(containsString(">" + name + "</a>"));
        long id = Sql.count("SELECT id FROM host WHERE name = ?", name);
        admin.get("/hosts/" + id).then().statusCode(200).body(containsString("<h1 translate=\"no\">" + name + "</h1>"),
                containsString("No snapshot yet."));
        TestUsers.Person viewer = users.create("viewer");
        Browser.signedIn(viewer.name(), viewer.password()).get("/hosts/new").then().statusCode(403);
    }
}
