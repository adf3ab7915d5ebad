package dev.linger.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URL;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.linger.Sql;
import dev.linger.TestUsers;
import dev.linger.web.ForgeryTargets;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Issue 12 items 1, 2 and 5 in a real Chromium: a hostile page served from another port of the same loopback
 * address (the same site, so the browser sends Linger's Lax session cookie along) forges no-cors fetches and
 * text/plain form posts against the page routes and the API of a signed-in admin whose browser also holds the
 * API's Basic credentials. Nothing changes. Linger cannot be framed, and its own pages raise no CSP refusal.
 */
@QuarkusTest
class CrossSiteTest {

    @TestHTTPResource("/")
    URL root;

    @Inject
    TestUsers users;

    /** A hostile site on 127.0.0.1, another port: /fetches, /form?action=URL and /frame?src=URL. */
    private static HttpServer hostile(String fetchesPage) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getRawQuery();
            String target = query == null ? "" : URLDecoder.decode(query.substring(query.indexOf('=') + 1),
                    StandardCharsets.UTF_8).replace("\"", "");
            String html = switch (path) {
                case "/fetches" -> fetchesPage;
                // what <form enctype="text/plain"> sends is name=value: here {"comment":"=forged"}
                case "/form" -> "<!doctype html><title>form</title><form method=\"post\" enctype=\"text/plain\""
                        + " action=\"" + target + "\"><input name='{\"comment\":\"' value='forged\"}'></form>"
                        + "<script>document.forms[0].submit()</script>";
                case "/frame" -> "<!doctype html><title>frame</title><iframe src=\"" + target + "\"></iframe>";
                default -> "";
            };
            respond(exchange, html);
        });
        server.start();
        return server;
    }

    private static void respond(HttpExchange exchange, String html) throws IOException {
        byte[] body = html.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    @Test
    void aPageOnAnotherPortChangesNothingThroughASignedInBrowser() throws IOException {
        ForgeryTargets t = ForgeryTargets.create(users);
        String linger = "http://127.0.0.1:" + root.getPort();
        List<String> pageRoutes = List.of("/hosts/" + t.hostId() + "/delete", "/hosts/" + t.hostId() + "/collect",
                "/users/" + t.userId() + "/disable", "/users/" + t.userId() + "/roles",
                "/incidents/" + t.incidentId() + "/acknowledge", "/incidents/" + t.incidentId() + "/resolve",
                "/jobs/" + t.jobId() + "/cancel", "/logout");
        List<String> apiRoutes = List.of("/api/v1/incidents/" + t.incidentId() + "/resolve",
                "/api/v1/incidents/" + t.incidentId() + "/acknowledge", "/api/v1/jobs/" + t.jobId() + "/cancel",
                "/api/v1/hosts/" + t.hostId() + "/collect");
        List<String> all = new ArrayList<>(pageRoutes);
        all.addAll(apiRoutes);
        String urls = String.join(",", all.stream().map(p -> "'" + linger + p + "'").toList());
        String fetches = "<!doctype html><title>loading</title><script>\n"
                + "const urls = [" + urls + "];\n"
                + "const opts = {method: 'POST', mode: 'no-cors', credentials: 'include'};\n"
                + "Promise.allSettled(urls.flatMap(u => [fetch(u, opts),"
                + " fetch(u, Object.assign({body: '{\"comment\":\"forged\"}'}, opts))]))"
                + ".then(() => { document.title = 'done'; });\n</script>";
        HttpServer server = hostile(fetches);
        String hostileSite = "http://127.0.0.1:" + server.getAddress().getPort();
        try (Chromium b = Chromium.desktop(linger)) {
            b.signIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);
            // a browser that once answered a Basic challenge attaches the credentials to every request
            b.driver().executeCdpCommand("Network.enable", Map.of());
            b.driver().executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", Map.of("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString((TestUsers.ADMIN + ":" + TestUsers.ADMIN_PASSWORD)
                            .getBytes(StandardCharsets.UTF_8)))));
            String before = ForgeryTargets.fingerprint();

            b.driver().get(hostileSite + "/fetches");
            b.waiting().until(d -> "done".equals(d.getTitle()));
            for (String target : List.of(apiRoutes.get(0), pageRoutes.get(0), pageRoutes.get(2))) {
                b.driver().get(hostileSite + "/form?action=" + URLEncoder.encode(linger + target, StandardCharsets.UTF_8));
                b.waiting().until(d -> d.getCurrentUrl().startsWith(linger)
                        && "complete".equals(b.script("return document.readyState")));
            }
            assertEquals(before, ForgeryTargets.fingerprint(), "a forged request changed something");

            // the admin is still signed in, and Linger's own form on its own page does what the forgeries could not
            b.open("/incidents/" + t.incidentId());
            b.find("form[action$='/acknowledge'] button[type=submit]").click();
            b.waiting().until(d -> Sql.count("SELECT count(*) FROM incident WHERE id = ? AND status = 'ACKNOWLEDGED'",
                    t.incidentId()) == 1);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void theApiDoesNotMakeTheBrowserKeepItsPassword() {
        String linger = "http://127.0.0.1:" + root.getPort();
        try (Chromium b = Chromium.desktop(linger)) {
            // credentials in the address are used only after a challenge, and Linger sends none
            b.driver().get("http://" + TestUsers.ADMIN + ":" + TestUsers.ADMIN_PASSWORD + "@127.0.0.1:"
                    + root.getPort() + "/api/v1/me");
            String body = (String) b.script("return document.body.innerText");
            assertTrue(body.contains("\"status\":401"), body);
            b.open("/api/v1/me");
            body = (String) b.script("return document.body.innerText");
            assertTrue(body.contains("\"status\":401"), body);
        }
    }

    @Test
    void lingerCannotBeFramedAndItsPagesRaiseNoContentSecurityPolicyRefusal() throws IOException {
        String linger = "http://127.0.0.1:" + root.getPort();
        HttpServer server = hostile("");
        try (Chromium b = Chromium.desktop(linger)) {
            b.signIn(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD);
            b.console();
            long local = Sql.count("SELECT id FROM host WHERE transport = 'LOCAL'");
            for (String page : List.of("/", "/hosts", "/hosts/" + local, "/hosts/new", "/incidents", "/approvals",
                    "/jobs", "/jobs/new", "/runbooks", "/runbooks/tcp-keepalive-runtime", "/runbooks/import",
                    "/runbooks/new", "/audit", "/users", "/account", "/logout")) {
                b.open(page);
                assertEquals("object", b.script("return typeof htmx"), page + " runs htmx");
                List<String> refused = b.console().stream().filter(m -> m.contains("Content Security Policy")).toList();
                assertEquals(List.of(), refused, page);
            }
            b.driver().get("http://127.0.0.1:" + server.getAddress().getPort() + "/frame?src="
                    + URLEncoder.encode(linger + "/login", StandardCharsets.UTF_8));
            b.waiting().until(d -> b.console().stream().anyMatch(m -> m.contains("frame-ancestors")
                    || m.contains("X-Frame-Options")));
        } finally {
            server.stop(0);
        }
    }
}
