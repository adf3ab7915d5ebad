package dev.linger.i18n;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.linger.Browser;
import dev.linger.TestUsers;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The languages are configuration: the test profile adds {@code en-XA} with nothing but its tag in
 * {@code %test.quarkus.locales} and one file, {@code src/test/resources/messages/msg_en-XA.properties}; the switch
 * offers it, the cookie and Accept-Language choose it, and pages speak it.
 */
@QuarkusTest
class ConfiguredLanguagesTest {

    static final Locale XA = Locale.forLanguageTag("en-XA");

    static String say(String key, Locale locale) {
        return Catalogue.render(Text.of(key), locale);
    }

    @Test
    void theLanguagesAreTheConfiguredLocalesDefaultFirst() {
        assertEquals(List.of(Locale.ENGLISH, Locale.forLanguageTag("zh"), XA), Languages.supported());
        assertEquals(Locale.ENGLISH, Languages.defaultLocale());
        assertEquals(XA, Languages.ofTag("en-XA"));
        for (String notOne : new String[] { "fr", "zh-CN", "ZH", "", "en-xa ", null }) {
            assertNull(Languages.ofTag(notOne), String.valueOf(notOne));
        }
    }

    @Test
    void acceptLanguagePicksTheBestConfiguredLocale() {
        Map<String, String> best = Map.ofEntries(
                Map.entry("zh-TW", "zh"), Map.entry("zh-Hans-CN", "zh"), Map.entry("zh-Hant-HK;q=0.8, fr", "zh"),
                Map.entry("fr-FR, de;q=0.5", "en"), Map.entry("en-US", "en"), Map.entry("en-XA", "en-XA"),
                Map.entry("de-CH, en-XA;q=0.1", "en-XA"), Map.entry("en;q=0.2, zh-CN;q=0.9", "zh"),
                Map.entry("en-XA;q=0, zh;q=0.1", "zh"), Map.entry("*", "en"), Map.entry("", "en"),
                Map.entry("a;q=x;;", "en"), Map.entry("x".repeat(600), "en"));
        best.forEach((header, tag) -> assertEquals(tag, Languages.negotiate(header).toLanguageTag(), header));
        assertEquals("en", Languages.negotiate(null).toLanguageTag());
    }

    @Test
    void theSwitchOffersEveryConfiguredLanguageByItsOwnName() {
        String xaName = say("msg.languageName", XA);
        assertNotEquals("English", xaName, "en-XA names itself from its own file");
        String page = Browser.anonymous().get("/login").then().statusCode(200).extract().asString();
        String lang = page.substring(page.indexOf("<p class=\"lang\""), page.indexOf("</p>", page.indexOf("<p class=\"lang\"")));
        assertTrue(lang.contains("<strong lang=\"en\" translate=\"no\" aria-current=\"true\">English</strong>"), lang);
        assertTrue(lang.contains("href=\"/language?to=zh&amp;back=%2Flogin\" lang=\"zh\" hreflang=\"zh\" translate=\"no\">中文</a>"), lang);
        assertTrue(lang.contains("href=\"/language?to=en-XA&amp;back=%2Flogin\" lang=\"en-XA\" hreflang=\"en-XA\" translate=\"no\">"
                + xaName + "</a>"), lang);
    }

    @Test
    void aLanguageAddedByFilesOnlyIsChosenRememberedAndSpoken() {
        Browser b = Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);
        Response r = b.get("/language?to=en-XA&back=/hosts");
        assertEquals(303, r.statusCode());
        assertTrue(r.getDetailedCookie(RequestLanguage.COOKIE).toString().contains("linger_lang=en-XA"));
        String page = b.get("/hosts").then().statusCode(200).extract().asString();
        assertTrue(page.contains("<html lang=\"en-XA\">"), page);
        String hosts = say("msg.navHosts", XA);
        assertNotEquals("Hosts", hosts);
        assertTrue(page.contains("<h1>" + hosts + "</h1>"), page);
        assertTrue(page.contains(">" + say("msg.navSignOut", XA) + "</a>"), "the header speaks it");
        assertTrue(page.contains("<strong lang=\"en-XA\" translate=\"no\" aria-current=\"true\">" + say("msg.languageName", XA)
                + "</strong>"), "the switch marks it as the current one");
        assertFalse(page.contains(">Hosts</a>"), "no English navigation left");

        // a browser that asks for it gets it without the switch
        Browser.anonymous().acceptLanguage("de, en-XA;q=0.5").get("/login").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("<html lang=\"en-XA\">"));
    }

    @Test
    void aTagThatIsNotConfiguredIsRefusedAndChangesNothing() {
        for (String to : List.of("fr", "xx-YY", "en-XB", "zh-CN")) {
            Response r = given().redirects().follow(false).queryParam("to", to).queryParam("back", "/")
                    .get("/language");
            assertEquals(400, r.statusCode(), to);
            assertTrue(r.asString().contains("Linger speaks English (en), 中文 (zh), " + say("msg.languageName", XA)
                    + " (en-XA); choose one of them."), r.asString());
            assertNull(r.getDetailedCookie(RequestLanguage.COOKIE), to);
        }
        given().redirects().follow(false).header("Accept-Language", "zh").queryParam("to", "fr").get("/language").then()
                .statusCode(400).body(org.hamcrest.Matchers.containsString("Linger 支持以下语言：English（en）、中文（zh）"));
        // a remembered tag that is no longer configured falls back to the browser
        given().cookie(RequestLanguage.COOKIE, "fr").header("Accept-Language", "en-XA").get("/login").then()
                .statusCode(200).body(org.hamcrest.Matchers.containsString("<html lang=\"en-XA\">"));
    }
}
