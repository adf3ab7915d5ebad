package dev.linger.web;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.linger.Browser;
import dev.linger.TestUsers;
import io.quarkus.test.junit.QuarkusTest;

/** The live parts of pages depend on htmx from its webjar: a version bump in the pom alone must fail here. */
@QuarkusTest
class PageScriptsTest {

    private static final Pattern SCRIPT = Pattern.compile("<script src=\"([^\"]+)\"");

    @Test
    void everyScriptThePagesLoadIsServedWithoutSigningIn() {
        String page = Browser.signedIn("admin", TestUsers.ADMIN_PASSWORD).get("/incidents").then().statusCode(200)
                .extract().asString();
        List<String> scripts = new ArrayList<>();
        Matcher m = SCRIPT.matcher(page);
        while (m.find()) {
            scripts.add(m.group(1));
        }
        assertEquals(2, scripts.size(), "htmx and linger.js: " + scripts);
        for (String src : scripts) {
            given().get(src).then().statusCode(200).contentType(containsString("javascript"));
        }
    }

    @Test
    void aLivePartNamesItselfAsWhatToSwap() {
        Browser.signedIn("admin", TestUsers.ADMIN_PASSWORD).get("/incidents").then().statusCode(200)
                .body(containsString("id=\"incident-list\" hx-get=\"\" hx-trigger=\"every 15s\" "
                        + "hx-select=\"#incident-list\" hx-swap=\"outerHTML\""));
    }
}
