package dev.linger.i18n;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.linger.Api;
import dev.linger.Browser;
import dev.linger.Sql;
import dev.linger.TestDatabase;
import dev.linger.TestUsers;
import dev.linger.incident.Finding;
import dev.linger.incident.IncidentKind;
import dev.linger.incident.IncidentService;
import dev.linger.incident.Severity;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/** Flash messages and form refusals speak the page's language; the English ones and the API stay as they were. */
@QuarkusTest
class ActionTextsTest {

    static final String CHINESE = LanguageTest.CHINESE_BROWSER;

    @Inject
    TestUsers users;
    @Inject
    IncidentService incidents;

    static String fresh(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }

    @Test
    void hostFlashesAndHostFormRefusalsAreChineseOnAChinesePage() {
        Browser zh = LanguageTest.admin(CHINESE);
        String name = fresh("zh-flash-");
        zh.postForm("/hosts", Map.of("name", name, "address", "192.0.2.10", "sshPort", "port")).then().statusCode(400)
                .body(containsString("请输入整数。"), not(containsString("Enter a whole number.")));
        String page = zh.postForm("/hosts", Map.of("name", "-bad", "address", "-x", "sshPort", "22",
                "collectIntervalSeconds", "1", "maintenanceWindow", "soon")).then().statusCode(400).extract().asString();
        for (String chinese : new String[] { "最多 63 个字符：字母、数字、点、短横线或下划线，以字母或数字开头。", "地址不能以 &#39;-&#39; 开头。",
                "采集间隔为 5 到 86400 秒。", "维护窗口按 UTC 写成 HH:MM-HH:MM" }) {
            assertTrue(page.contains(chinese), chinese + " in " + page);
        }
        assertFalse(page.contains("Collect every 5 to 86400 seconds."), page);
        String location = zh.postForm("/hosts", Map.of("name", name, "address", "192.0.2.10", "sshPort", "22"))
                .then().statusCode(303).extract().header("Location");
        zh.get(location).then().statusCode(200)
                .body(containsString("已添加 " + name + "。Linger 会在几秒内连接，并显示主机密钥等管理员确认。"));
        zh.postForm("/hosts", Map.of("name", name, "address", "192.0.2.11", "sshPort", "22")).then().statusCode(409)
                .body(containsString("已有名为“" + name + "”的主机。"), not(containsString("already exists")));
        long id = Sql.count("SELECT id FROM host WHERE name = ?", name);
        zh.postForm("/hosts/" + id + "/trust", Map.of("fingerprint", "nope")).then().statusCode(303);
        zh.get("/hosts/" + id).then().body(containsString("请按 OpenSSH 的格式填写指纹：SHA256:…（冒号后 43 个字符）。"));
        zh.postForm("/hosts/" + id + "/delete", Map.of("confirmName", name)).then().statusCode(303);
        zh.get("/hosts").then().body(containsString("已删除 " + name + " 及其快照。"));
    }

    @Test
    void englishPagesKeepTheirWordsAndTheApiStaysEnglish() {
        Browser en = LanguageTest.admin("en-US");
        String name = fresh("en-flash-");
        en.postForm("/hosts", Map.of("name", name, "address", "192.0.2.12", "sshPort", "port")).then().statusCode(400)
                .body(containsString("Enter a whole number."), not(containsString("请输入整数")));
        String location = en.postForm("/hosts", Map.of("name", name, "address", "192.0.2.12", "sshPort", "22"))
                .then().statusCode(303).extract().header("Location");
        en.get(location).then().body(containsString("Added " + name
                + ". Linger connects within a few seconds and shows the host key for an admin to confirm."));
        long id = Sql.count("SELECT id FROM host WHERE name = ?", name);
        en.postForm("/hosts/" + id + "/delete", Map.of("confirmName", name)).then().statusCode(303);
        en.get("/hosts").then().body(containsString("Removed " + name + " and its snapshots."));

        // the API speaks the caller's Accept-Language (English unless asked), not the page switch
        LanguageTest.admin(CHINESE).postForm("/users", Map.of("username", fresh("u"), "password", "short",
                "roles", "viewer")).then().statusCode(400).body(containsString("至少需要 10 个字符。"));
        Api.admin().header("Accept-Language", CHINESE).body(Map.of("name", "-bad", "address", "192.0.2.13"))
                .post("/api/v1/hosts").then().statusCode(400)
                .body(containsString("最多 63 个字符"), not(containsString("Use up to 63 letters")));
        Api.admin().body(Map.of("name", "-bad", "address", "192.0.2.13")).post("/api/v1/hosts").then().statusCode(400)
                .body(containsString("Use up to 63 letters"), not(containsString("最多 63 个字符")));
    }

    @Test
    void userAndAccountPagesSpeakChinese() {
        Browser zh = LanguageTest.admin(CHINESE);
        String name = fresh("u");
        zh.postForm("/users", Map.of("username", "", "password", "short", "roles", "viewer")).then().statusCode(400)
                .body(containsString("请输入用户名。"), containsString("至少需要 10 个字符。"),
                        not(containsString("Use at least 10 characters.")));
        zh.postForm("/users", Map.of("username", name, "password", "long-enough-pw", "roles", "viewer"))
                .then().statusCode(303);
        zh.get("/users").then().body(containsString("已添加 " + name + "（只读用户）。"));
        zh.postForm("/users", Map.of("username", name, "password", "long-enough-pw", "roles", "viewer"))
                .then().statusCode(409).body(containsString("已有名为“" + name + "”的用户。"));
        long id = Sql.count("SELECT id FROM app_user WHERE username = ?", name);
        zh.postForm("/users/" + id + "/roles", Map.of("roles", "operator")).then().statusCode(303);
        zh.get("/users").then().body(containsString(name + " 现在的角色：操作员。"));
        zh.postForm("/users/" + id + "/disable", Map.of()).then().statusCode(303);
        zh.get("/users").then().body(containsString("已停用 " + name + "，并在所有地方退出登录。"));
        zh.postForm("/users/" + id + "/enable", Map.of()).then().statusCode(303);
        zh.get("/users").then().body(containsString(name + " 可以重新登录了。"));
        long self = Sql.count("SELECT id FROM app_user WHERE username = ?", TestUsers.ADMIN);
        zh.postForm("/users/" + self + "/disable", Map.of()).then().statusCode(400)
                .body(containsString("不能停用你自己的账户。"));

        TestUsers.Person p = users.create("viewer");
        Browser me = Browser.signedIn(p.name(), p.password()).acceptLanguage(CHINESE);
        me.postForm("/account/password", Map.of("current", "wrong", "next", "a-new-password", "confirm", "other"))
                .then().statusCode(400).body(containsString("两次输入的新密码不一致。"));
        me.postForm("/account/password", Map.of("current", "wrong", "next", "a-new-password", "confirm",
                "a-new-password")).then().statusCode(400).body(containsString("当前密码不正确。"));
        me.postForm("/account/password", Map.of("current", p.password(), "next", "a-new-password", "confirm",
                "a-new-password")).then().statusCode(303);
        me.get("/account").then().body(containsString("你的密码已修改，你的其他会话都已退出登录。"),
                not(containsString("Your password is changed.")));
    }

    @Test
    void incidentFlashesAreChinese() throws Exception {
        String name = fresh("zh-inc-");
        try (var c = TestDatabase.superuser(); var st = c.createStatement()) {
            st.execute("INSERT INTO host (name, address, transport, next_due_at, created_at, created_by) VALUES ('" + name
                    + "', 'i.example.net', 'SSH', now() + interval '1 day', now(), 'test')");
        }
        long host = Sql.count("SELECT id FROM host WHERE name = ?", name);
        QuarkusTransaction.requiringNew().run(() -> incidents.reconcile(host, name, List.of(dev.linger.incident.Findings.closeWaitLeak(
                9080, Severity.CRITICAL, 30))));
        long id = Sql.count("SELECT id FROM incident WHERE host_id = ? AND kind = 'CLOSE_WAIT_LEAK'", host);
        TestUsers.Person operator = users.create("operator");
        Browser zh = Browser.signedIn(operator.name(), operator.password()).acceptLanguage(CHINESE);
        zh.postForm("/incidents/" + id + "/acknowledge", Map.of()).then().statusCode(303);
        zh.get("/incidents/" + id).then().body(containsString("已确认：团队能看到你在处理。"));
        zh.postForm("/incidents/" + id + "/acknowledge", Map.of()).then().statusCode(303);
        zh.get("/incidents/" + id).then().body(containsString("只有未处理的事件才能确认；这个事件已经确认过了。"),
                not(containsString("Only an open incident")));
        zh.postForm("/incidents/" + id + "/resolve", Map.of()).then().statusCode(303);
        zh.get("/incidents/" + id).then().body(containsString("已解决。如果情况很快再次出现，事件会重新打开。"));
        Browser en = Browser.signedIn(operator.name(), operator.password());
        en.postForm("/incidents/" + id + "/resolve", Map.of()).then().statusCode(303);
        en.get("/incidents/" + id).then().body(containsString("This incident is already resolved."));
    }

    @Test
    void everyRefusalHasItsOwnChinese() {
        java.util.Locale zh = java.util.Locale.forLanguageTag("zh");
        String fp = "SHA256:" + "a".repeat(43);
        String other = "SHA256:" + "b".repeat(43);
        for (Text refusal : List.of(Text.of("refuse.hostNameMissing"), Text.of("refuse.sshPort"),
                Text.of("refuse.hostNameTaken", "web-1"), Text.of("refuse.userNameTaken", "bob"),
                Text.of("refuse.passwordShort", 10), Text.of("refuse.passwordLong", 72),
                Text.of("refuse.incidentNotOpen"), Text.of("refuse.incidentResolved"),
                Text.of("refuse.cancelStarted", 7, Refusals.jobStatus("RUNNING")))) {
            String english = Catalogue.render(refusal, java.util.Locale.ENGLISH);
            String chinese = Catalogue.render(refusal, zh);
            assertFalse(chinese.equals(english), english);
            assertTrue(chinese.codePoints().anyMatch(c -> Character.UnicodeScript.of(c) == Character.UnicodeScript.HAN),
                    chinese);
        }
        assertEquals("至少需要 12 个字符。", Catalogue.render(Text.of("refuse.passwordShort", 12), zh));
        assertEquals("已有名为“web-1”的主机。", Catalogue.render(Text.of("refuse.hostNameTaken", "web-1"), zh));
        assertTrue(Catalogue.render(Text.of("refuse.keyMismatch", fp, other), zh).startsWith("主机出示的是 " + fp));
        assertEquals("Job 7 is running: only a job that has not started can be cancelled.",
                Catalogue.render(Text.of("refuse.cancelStarted", 7, Refusals.jobStatus("RUNNING")), java.util.Locale.ENGLISH));
        assertEquals("任务 7 正在运行：只有尚未开始的任务才能取消。",
                Catalogue.render(Text.of("refuse.cancelStarted", 7, Refusals.jobStatus("RUNNING")), zh));
    }
}
