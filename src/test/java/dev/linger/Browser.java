package dev.linger;

import static io.restassured.RestAssured.given;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * A person at a browser: keeps the session cookies, reads the CSRF token from the pages it gets (as a form would
 * carry it) and puts it into every form it sends.
 */
public final class Browser {

    private static final Pattern TOKEN = Pattern.compile("name=\"csrf-token\" value=\"([^\"]*)\"");

    private final Map<String, String> cookies = new HashMap<>();
    private String acceptLanguage;
    private String csrfToken;

    public static Browser anonymous() {
        Browser b = new Browser();
        b.get("/login");
        return b;
    }

    /** Signs in through the login form; fails the test when that does not work. */
    public static Browser signedIn(String username, String password) {
        return signedIn(username, password, null);
    }

    /** The same with a code from the authenticator app, for an account that has codes on. */
    public static Browser signedIn(String username, String password, String code) {
        Browser b = anonymous();
        Map<String, String> form = new java.util.HashMap<>(Map.of("username", username, "password", password,
                "next", "/"));
        if (code != null) {
            form.put("code", code);
        }
        Response r = b.postForm("/login", form);
        if (r.statusCode() != 303) {
            throw new AssertionError("sign-in of " + username + " answered " + r.statusCode());
        }
        b.get("/logout"); // the sign-out page holds a form, so its token: the token changes at sign-in
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
        if (withToken && csrfToken != null) {
            spec.formParam("csrf-token", csrfToken);
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
        if (csrfToken != null) {
            spec.multiPart("csrf-token", csrfToken);
        }
        return keep(spec.post(path));
    }

    /** The CSRF token of the last page that had a form. */
    public String csrfToken() {
        return csrfToken;
    }

    /** The Cookie header this browser sends, for clients other than RestAssured. */
    public String cookieHeader() {
        return String.join("; ", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    }

    public String cookie(String name) {
        return cookies.get(name);
    }

    /** From now on this browser asks for pages in these languages, as its Accept-Language header. */
    public Browser acceptLanguage(String header) {
        this.acceptLanguage = header;
        return this;
    }

    /** A request carrying this browser's cookies and nothing else: for forging what a hostile page could send. */
    public RequestSpecification request() {
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
        String type = r.getContentType();
        if (type != null && type.startsWith("text/html")) {
            Matcher token = TOKEN.matcher(r.asString());
            if (token.find()) {
                csrfToken = token.group(1);
            }
        }
        return r;
    }
}
