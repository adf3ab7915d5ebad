package dev.linger.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

import dev.linger.login.LingerAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;

/**
 * The token every page form carries ({@code inject:csrf} in the {@code csrf} tag), checked by {@link RequestGuard}.
 * <p>It is bound to the session: a hash of the session cookie, so it changes at every sign-in, a token of one
 * session is worthless in another, and every Linger instance computes the same one without sharing a key. The
 * hash is one-way, so the token on a page reveals nothing of the (HttpOnly) session cookie. Before sign-in it is
 * bound the same way to a random pre-session cookie, {@link #PRE_SESSION_COOKIE}, which {@link SecurityHeaders}
 * hands out with the first page.
 */
@Named("csrf")
@RequestScoped
public class CsrfToken {

    public static final String FIELD = "csrf-token";
    public static final String PRE_SESSION_COOKIE = "linger_csrf";
    /** A pre-session cookie made during this request, not yet sent back by the browser. */
    static final String NEW_PRE_SESSION = "linger.csrf.new-pre-session";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final CurrentVertxRequest request;

    CsrfToken(CurrentVertxRequest request) {
        this.request = request;
    }

    public String parameterName() {
        return FIELD;
    }

    public String token() {
        String token = expected(request.getCurrent());
        return token == null ? "" : token;
    }

    /** The token a form sent with this request must carry; null when the request has nothing to bind one to. */
    public static String expected(RoutingContext http) {
        if (http == null) {
            return null;
        }
        Cookie session = http.request().getCookie(LingerAuthenticationMechanism.SESSION_COOKIE);
        if (session != null && !session.getValue().isEmpty()) {
            return derive("session", session.getValue());
        }
        Cookie pre = http.request().getCookie(PRE_SESSION_COOKIE);
        String binding = pre != null && !pre.getValue().isEmpty() ? pre.getValue() : http.get(NEW_PRE_SESSION);
        return binding == null ? null : derive("pre-session", binding);
    }

    /** Constant-time comparison of a sent token with the expected one. */
    public static boolean matches(String sent, String expected) {
        return sent != null && expected != null && MessageDigest.isEqual(
                sent.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    static String newPreSessionValue() {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    private static String derive(String kind, String cookie) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("linger-csrf/" + kind + "/" + cookie).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
