package dev.linger.i18n;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.linger.Browser;
import dev.linger.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
class LanguageTest {

    @Inject
    TestUsers users;

    static final String CHINESE_BROWSER = "zh-CN,zh;q=0.9,en;q=0.8";
    /** The words of the English header; none may be left on a Chinese page's header. */
    static final List<String> ENGLISH_NAVIGATION = List.of("Overview", "Hosts", "Incidents", "Approvals", "Jobs",
            "Runbooks", "Audit", "Users", "Sign out", "Skip to content", "\"Main\"", "\"Language\"");

    static Browser admin(String acceptLanguage) {
        return Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD).acceptLanguage(acceptLanguage);
    }

    static String header(String page) {
        int start = page.indexOf("<header");
        int end = page.indexOf("</header>");
        assertTrue(start >= 0 && end > start, "the page has a header");
        return page.substring(start, end);
    }

    @Test
    void aChineseBrowserGetsTheSignInPageInChinese() {
        Browser b = Browser.anonymous().acceptLanguage(CHINESE_BROWSER);
        b.get("/login").then().statusCode(200)
                .body(containsString("<html lang=\"zh-CN\">"), containsString("<h1>登录 Linger</h1>"),
                        containsString(">用户名</label>"), not(containsString("Sign in to Linger")));
    }

    @Test
    void anyChineseTagCountsAndOtherLanguagesGetEnglish() {
        for (String chinese : List.of("zh", "zh-Hans-CN", "zh-TW", "fr;q=0.9, zh-CN;q=0.95")) {
            Browser.anonymous().acceptLanguage(chinese).get("/login").then()
                    .body(containsString("<html lang=\"zh-CN\">"));
        }
        for (String other : List.of("en-US", "fr-FR, de;q=0.5", "en;q=1, zh;q=0.5", "*")) {
            Browser.anonymous().acceptLanguage(other).get("/login").then()
                    .body(containsString("<html lang=\"en\">"), containsString("<h1>Sign in to Linger</h1>"));
        }
        // no header at all: English, as the whole existing suite expects
        Browser.anonymous().get("/login").then().body(containsString("<html lang=\"en\">"));
    }

    @Test
    void signedInTheNavigationIsChinese() {
        String page = admin(CHINESE_BROWSER).get("/").then().statusCode(200).extract().asString();
        assertTrue(page.contains("<html lang=\"zh-CN\">"), page);
        String header = header(page);
        for (String word : List.of(">概览</a>", ">主机</a>", ">事件</a>", ">审批</a>", ">任务</a>", ">运维手册</a>", ">审计</a>",
                ">用户</a>", ">退出登录</a>")) {
            assertTrue(header.contains(word), word + " in " + header);
        }
    }

    @Test
    void theSwitchIsRememberedAndOverridesTheBrowserBothWays() {
        Browser b = admin(CHINESE_BROWSER);
        Response r = b.get("/language?to=en&back=/hosts");
        assertEquals(303, r.statusCode());
        assertEquals("/hosts", r.header("Location").replaceFirst("^https?://[^/]+", ""));
        String cookie = r.getDetailedCookie(RequestLanguage.COOKIE).toString();
        assertTrue(cookie.contains("linger_lang=en"), cookie);
        assertTrue(cookie.contains("SameSite=Lax"), cookie);
        assertTrue(r.getDetailedCookie(RequestLanguage.COOKIE).getMaxAge() > 30 * 24 * 3600, cookie);
        b.get("/hosts").then().statusCode(200).body(containsString("<html lang=\"en\">"),
                containsString("<h1>Hosts</h1>"));

        Browser english = admin("en-GB,en;q=0.9");
        english.get("/hosts").then().body(containsString("<h1>Hosts</h1>"),
                containsString("href=\"/language?to=zh&amp;back=%2Fhosts\""));
        english.get("/language?to=zh&back=/hosts").then().statusCode(303);
        english.get("/hosts").then().statusCode(200).body(containsString("<html lang=\"zh-CN\">"),
                containsString("<h1>主机</h1>"), containsString("href=\"/language?to=en&amp;back=%2Fhosts\""));
    }

    @Test
    void theSwitchWorksBeforeSigningIn() {
        Browser b = Browser.anonymous();
        b.get("/login").then().body(containsString("href=\"/language?to=zh&amp;back=%2Flogin\""));
        b.get("/language?to=zh&back=/login").then().statusCode(303);
        b.get("/login").then().statusCode(200).body(containsString("<h1>登录 Linger</h1>"));
    }

    @Test
    void unknownLanguagesAreRefusedWith400AndNoCookie() {
        for (String to : List.of("fr", "", "ZH", "zh-CN", "en\r\nSet-Cookie: x=1")) {
            Response r = given().redirects().follow(false).queryParam("to", to).queryParam("back", "/")
                    .get("/language");
            assertEquals(400, r.statusCode(), to);
            assertTrue(r.asString().contains("Linger speaks English (en), 中文 (zh)"), to);
            assertNull(r.getDetailedCookie(RequestLanguage.COOKIE), to);
            assertNull(r.getHeader("Location"), to);
        }
        given().redirects().follow(false).get("/language").then().statusCode(400);
        // in Chinese when the browser asks for it
        admin(CHINESE_BROWSER).get("/language?to=de").then().statusCode(400)
                .body(containsString("Linger 支持以下语言：English（en）、中文（zh）"));
    }

    @Test
    void theSwitchSendsNobodyToAnotherSite() {
        for (String back : List.of("https://evil.example/", "//evil.example/x", "/\\evil.example", "evil.example",
                "http:/evil.example", "/\r\nLocation: https://evil.example", "javascript:alert(1)")) {
            Response r = given().redirects().follow(false).queryParam("to", "zh").queryParam("back", back)
                    .get("/language");
            assertEquals(400, r.statusCode(), back);
            assertNull(r.getHeader("Location"), back);
            assertNull(r.getDetailedCookie(RequestLanguage.COOKIE), back);
            assertTrue(r.asString().contains("must be a path on this site"), back);
        }
        // a path with its query is kept
        Response ok = given().redirects().follow(false).queryParam("to", "zh").queryParam("back", "/jobs?status=QUEUED")
                .get("/language");
        assertEquals(303, ok.statusCode());
        assertTrue(ok.header("Location").endsWith("/jobs?status=QUEUED"), ok.header("Location"));
    }

    @Test
    void aCookieWithAnUnknownValueFallsBackToTheBrowser() {
        given().cookie(RequestLanguage.COOKIE, "klingon").header("Accept-Language", "zh").get("/login").then()
                .statusCode(200).body(containsString("<html lang=\"zh-CN\">"));
    }

    @Test
    void everyPageOfTheNavigationSpeaksChinese() {
        Browser b = admin(CHINESE_BROWSER);
        Map<String, String> headings = Map.of("/", "<h1>概览</h1>", "/hosts", "<h1>主机</h1>", "/incidents",
                "<h1>事件</h1>", "/approvals", "<h1>审批</h1>", "/jobs", "<h1>任务</h1>", "/runbooks", "<h1>运维手册</h1>",
                "/audit", "<h1>审计日志</h1>", "/users", "<h1>用户</h1>", "/account", "<h1>你的账户</h1>");
        headings.forEach((path, heading) -> {
            String page = b.get(path).then().statusCode(200).extract().asString();
            assertTrue(page.contains("<html lang=\"zh-CN\">"), path);
            assertTrue(page.contains(heading), path + " shows " + heading);
            String header = header(page);
            for (String word : ENGLISH_NAVIGATION) {
                assertFalse(header.contains(word), path + " header still says " + word);
            }
        });
    }

    @Test
    void errorPagesFollowTheLanguageAndTheApiFollowsAcceptLanguage() {
        admin(CHINESE_BROWSER).get("/no/such/page").then().statusCode(404)
                .body(containsString("<html lang=\"zh-CN\">"), containsString("<h1>未找到 "),
                        containsString(">返回概览</a>"));
        TestUsers.Person viewer = users.create("viewer");
        given().auth().preemptive().basic(viewer.name(), viewer.password())
                .header("Accept-Language", CHINESE_BROWSER).get("/api/v1/users").then().statusCode(403)
                .body("error", containsString("你的角色不允许此操作。"));
        // the API answers in English unless the caller asks (Accept-Language), whatever the page switch says
        given().auth().preemptive().basic(viewer.name(), viewer.password()).cookie(RequestLanguage.COOKIE, "zh")
                .get("/api/v1/users").then().statusCode(403)
                .body("error", equalTo("Your role does not allow this. Ask an admin if you need it."));
        Browser.signedIn(viewer.name(), viewer.password()).acceptLanguage(CHINESE_BROWSER).get("/users").then()
                .statusCode(403).body(containsString("你的角色不允许此操作。"));
    }

    @Test
    void aShippedRunbookReadsInChineseAndKeepsItsCommands() {
        String page = admin(CHINESE_BROWSER).get("/runbooks/close-wait-owner-triage").then().statusCode(200)
                .extract().asString();
        assertTrue(page.contains("<h1><span class=\"badge risk-HIGH\">高</span> <span translate=\"no\">排查 CLOSE-WAIT 或已失效属主背后的进程</span></h1>"),
                page);
        assertTrue(page.contains("CLOSE-WAIT 表示对端已经关闭而我们的程序没有关闭"), "description");
        assertTrue(page.contains("<p class=\"note\" translate=\"no\">阅读事件的证据："), "first NOTE step");
        assertTrue(page.contains("<p class=\"note\" translate=\"no\">判断这是什么进程。"), "second NOTE step");
        assertTrue(page.contains(">属主进程</span> <code>{pid}</code></label>"), "parameter label");
        assertTrue(page.contains("<h2>步骤</h2>"), "the page around it is Chinese");
        assertTrue(page.contains("kill -s TERM"), "commands stay commands");
        assertFalse(page.contains("Read the incident's evidence"), "no English step left");

        admin(CHINESE_BROWSER).get("/runbooks").then().statusCode(200)
                .body(containsString(">用孤儿连接上限清理 FIN-WAIT-1 孤儿连接</a>"),
                        containsString(">缩短 TCP keepalive（运行时）</a>"));
        // English readers keep the stored text
        admin("en").get("/runbooks/close-wait-owner-triage").then().statusCode(200)
                .body(containsString("Triage the process behind CLOSE-WAIT or a defunct owner</span></h1>"),
                        containsString("<p class=\"note\" translate=\"no\">Read the incident&#39;s evidence:"));
    }
}
