package dev.linger.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.linger.Api;
import dev.linger.Browser;
import dev.linger.Sql;
import dev.linger.TestUsers;
import dev.linger.i18n.Catalogue;
import dev.linger.i18n.Text;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A refusal is a fact (a {@code refuse.…} key and its values) said at the edge: the API in English unless the caller's
 * Accept-Language asks for another language Linger speaks, always with the key beside the words; a page in the page's
 * language. Whatever the language, a refused request changes nothing.
 */
@QuarkusTest
class RefusalLanguagesTest {

    static final Locale ZH = Locale.forLanguageTag("zh");

    @Inject
    TestUsers users;

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void theApiSaysARefusalInEnglishUnlessAskedWithTheKeyBesideTheWords() {
        long hosts = Sql.count("SELECT count(*) FROM host");
        long audit = Sql.auditEvents();
        Map<String, Object> nameless = Map.of("name", "", "address", "192.0.2.10");
        // the page switch (the cookie) does not change what a script reads
        Api.admin().cookie("linger_lang", "zh").body(nameless).post("/api/v1/hosts").then().statusCode(400)
                .body("fields.name", equalTo("Enter a name.")).body("keys.name", equalTo("refuse.hostNameMissing"))
                .body("error", equalTo("Enter a name."));
        Api.admin().header("Accept-Language", "zh").body(nameless).post("/api/v1/hosts").then().statusCode(400)
                .body("fields.name", equalTo("请输入名称。")).body("keys.name", equalTo("refuse.hostNameMissing"))
                .body("error", equalTo("请输入名称。"));
        // a language Linger has no files for is answered in English
        Api.admin().header("Accept-Language", "sw").body(nameless).post("/api/v1/hosts").then().statusCode(400)
                .body("fields.name", equalTo("Enter a name."));
        assertEquals(hosts, Sql.count("SELECT count(*) FROM host"));
        assertEquals(audit, Sql.auditEvents());
    }

    @Test
    void aConflictKeepsItsStatusAndSaysItsValueInEachLanguage() {
        String name = unique("refused");
        Api.admin().body(Map.of("name", name, "address", "192.0.2.11")).post("/api/v1/hosts").then().statusCode(201);
        long hosts = Sql.count("SELECT count(*) FROM host");
        long audit = Sql.auditEvents();
        Map<String, Object> again = Map.of("name", name, "address", "192.0.2.12");
        Api.admin().body(again).post("/api/v1/hosts").then().statusCode(409)
                .body("fields.name", equalTo("A host named “" + name + "” already exists."))
                .body("keys.name", equalTo("refuse.hostNameTaken"));
        Api.admin().header("Accept-Language", "zh-CN,zh;q=0.9").body(again).post("/api/v1/hosts").then()
                .statusCode(409).body("fields.name", equalTo("已有名为“" + name + "”的主机。"))
                .body("keys.name", equalTo("refuse.hostNameTaken"));
        assertEquals(hosts, Sql.count("SELECT count(*) FROM host"));
        assertEquals(audit, Sql.auditEvents());
    }

    @Test
    void aPageSaysTheSameRefusalInThePagesLanguage() {
        long hosts = Sql.count("SELECT count(*) FROM host");
        Map<String, String> nameless = Map.of("name", "", "address", "192.0.2.10", "sshPort", "22");
        Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD).acceptLanguage("zh-CN,zh;q=0.9")
                .postForm("/hosts", nameless).then().statusCode(400)
                .body(containsString("请输入名称。"), not(containsString("Enter a name.")));
        Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD).acceptLanguage("en")
                .postForm("/hosts", nameless).then().statusCode(400)
                .body(containsString("Enter a name."), not(containsString("请输入名称。")));
        assertEquals(hosts, Sql.count("SELECT count(*) FROM host"));
    }

    @Test
    void aForgedBodyIsRefusedInTheCallersLanguageAndChangesNothing() {
        long users = Sql.count("SELECT count(*) FROM app_user");
        long audit = Sql.auditEvents();
        String forged = "{\"username\": true, \"password\": \"long-enough-password\", \"roles\": [\"viewer\"]}";
        Api.admin().body(forged).post("/api/v1/users").then().statusCode(400)
                .body("fields.username", equalTo(Catalogue.render(Text.of("msg.jsonExpectedText"), Locale.ENGLISH)))
                .body("keys.username", equalTo("msg.jsonExpectedText"));
        Api.admin().header("Accept-Language", "zh").body(forged).post("/api/v1/users").then().statusCode(400)
                .body("fields.username", equalTo(Catalogue.render(Text.of("msg.jsonExpectedText"), ZH)))
                .body("keys.username", equalTo("msg.jsonExpectedText"));
        assertEquals(users, Sql.count("SELECT count(*) FROM app_user"));
        assertEquals(audit, Sql.auditEvents());
    }

    @Test
    void aFormWithoutItsTokenIsRefusedInThePagesLanguageAndChangesNothing() {
        Browser zh = Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD).acceptLanguage("zh-CN,zh;q=0.9");
        long hosts = Sql.count("SELECT count(*) FROM host");
        long audit = Sql.auditEvents();
        zh.postForm("/hosts", Map.of("name", unique("forged"), "address", "192.0.2.14"), false).then()
                .statusCode(403).body(containsString(Catalogue.render(Text.of("msg.errorFormExpired"), ZH)));
        assertEquals(hosts, Sql.count("SELECT count(*) FROM host"));
        assertEquals(audit, Sql.auditEvents());
    }

    @Test
    void somethingMissingIsSaidInTheCallersLanguageWithItsKey() {
        Api.admin().get("/api/v1/jobs/999999").then().statusCode(404)
                .body("error", equalTo("There is no job 999999.")).body("key", equalTo("refuse.noJob"));
        Api.admin().header("Accept-Language", "zh").get("/api/v1/jobs/999999").then().statusCode(404)
                .body("error", equalTo("没有编号为 999999 的任务。")).body("key", equalTo("refuse.noJob"));
    }

    @Test
    void aRoleRefusalIsSaidInTheCallersLanguage() {
        TestUsers.Person viewer = users.create("viewer");
        given().auth().preemptive().basic(viewer.name(), viewer.password()).header("Accept-Language", "zh")
                .get("/api/v1/users").then().statusCode(403)
                .body("error", equalTo(Catalogue.render(Text.of("msg.errorRoleRefused"), ZH)))
                .body("key", equalTo("msg.errorRoleRefused"));
        given().auth().preemptive().basic(viewer.name(), viewer.password())
                .get("/api/v1/users").then().statusCode(403)
                .body("error", equalTo(Catalogue.render(Text.of("msg.errorRoleRefused"), Locale.ENGLISH)));
    }
}
