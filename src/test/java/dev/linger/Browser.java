package dev.linger;

import static io.restassured.RestAssured.given;

import java.util.HashMap;
import java.util.Map;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** A person at a browser: keeps the session and CSRF cookies and puts the token into every form it sends. */
public final class Browser {

    private final Map<String, String> cookies = new HashMap<>();
    private String acceptLanguage;

    public static Browser anonymous() {
        Browser b = new Browser();
        b.get("/login");
        return b;
    }

    /** Signs in through the login form; fails the test when that does not work. */
    public static Browser signedIn(String username, String password) {
        Browser b = anonymous();
        Response r = b.postForm("/login", Map.of("username", username, "password", password, "next", "/"));
        if (r.statusCode() != 303) {
            throw new AssertionError("sign-in of " + username + " answered " + r.statusCode());
        }
        return b;
    }

    public Response get(String path) {
        return keep(request().get(path));
    }

    public Response postForm(String path, Map<String, ?> fields) {
        return postForm(path, fields, true);
    }

    /** Posts a form; without {@code withToken} it behaves like a forged cross-site form. */
    public Response postForm(String path, Map<String, ?> fields, boolean withToken) {
        RequestSpecification spec = request().contentType("application/x-www-form-urlencoded; charset=UTF-8");
        fields.forEach((name, value) -> {
            if (value instanceof java.util.Collection<?> many) {
                spec.formParam(name, many);
            } else {
                spec.formParam(name, value);
            }
        });
        if (withToken && cookies.containsKey("linger_csrf")) {
            spec.formParam("csrf-token", cookies.get("linger_csrf"));
        }
        return keep(spec.post(path));
    }

    /** Posts a multipart form (a file upload), with the CSRF token like any form. */
    public Response postMultipart(String path, Map<String, String> fields, String fileName, byte[] file) {
        RequestSpecification spec = request().contentType("multipart/form-data");
        fields.forEach((name, value) -> spec.multiPart(name, value));
        if (file != null) {
            spec.multiPart("file", fileName, file, "text/plain");
        }
        if (cookies.containsKey("linger_csrf")) {
            spec.multiPart("csrf-token", cookies.get("linger_csrf"));
        }
        return keep(spec.post(path));
    }

    public String cookie(String name) {
        return cookies.get(name);
    }

    /** From now on this browser asks for pages in these languages, as its Accept-Language header. */
    public Browser acceptLanguage(String header) {
        this.acceptLanguage = header;
        return this;
    }

    private RequestSpecification request() {
        RequestSpecification spec = given().redirects().follow(false).cookies(cookies);
        return acceptLanguage == null ? spec : spec.header("Accept-Language", acceptLanguage);
    }

    private Response keep(Response r) {
        r.getDetailedCookies().asList().forEach(c -> {
            if (c.getMaxAge() == 0 || c.getValue().isEmpty()) {
                cookies.remove(c.getName());
            } else {
                cookies.put(c.getName(), c.getValue());
            }
        });
        return r;
    }
}
