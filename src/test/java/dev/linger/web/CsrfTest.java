package dev.linger.web;

import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.linger.Browser;
import dev.linger.Sql;
import dev.linger.TestUsers;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class CsrfTest {

    @Test
    void aFormWithoutTheTokenIsRefusedWith403AndChangesNothing() {
        Browser admin = Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);
        long users = Sql.users();
        long events = Sql.auditEvents();
        admin.postForm("/users", Map.of("username", "forged", "password", "forged-password-1", "roles", "admin"),
                false)
                .then().statusCode(403).contentType(containsString("text/html"))
                .body(containsString("came from another site"));
        assertEquals(users, Sql.users());
        assertEquals(events, Sql.auditEvents());
    }

    @Test
    void aFormWithSomeoneElsesTokenIsRefusedToo() {
        Browser admin = Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);
        long users = Sql.users();
        admin.postForm("/users", Map.of("username", "forged2", "password", "forged-password-1", "roles", "admin",
                "csrf-token", Browser.anonymous().cookie("linger_csrf")), false)
                .then().statusCode(403);
        assertEquals(users, Sql.users());
    }

    @Test
    void theLoginFormNeedsItsTokenToo() {
        long events = Sql.auditEvents();
        Browser.anonymous().postForm("/login", Map.of("username", "admin", "password", TestUsers.ADMIN_PASSWORD),
                false).then().statusCode(403);
        assertEquals(events, Sql.auditEvents());
    }

    @Test
    void everyFormOnEveryPageCarriesTheToken() {
        Browser admin = Browser.signedIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);
        for (String page : new String[] {"/users", "/account", "/logout"}) {
            String html = admin.get(page).then().statusCode(200).extract().asString();
            int forms = html.split("<form method=\"post\"", -1).length - 1;
            int tokens = html.split("name=\"csrf-token\"", -1).length - 1;
            assertEquals(true, forms > 0, page);
            assertEquals(forms, tokens, page + " has a POST form without a CSRF token");
        }
    }
}
