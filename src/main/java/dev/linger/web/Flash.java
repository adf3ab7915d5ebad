package dev.linger.web;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.http.Cookie;

/**
 * A one-time message carried across the redirect of Post/Redirect/Get in a short-lived cookie
 * (shown by the layout as {@code inject:flash.message}, then cleared by {@link FlashClearing}).
 */
@Named("flash")
@RequestScoped
public class Flash {

    static final String COOKIE = "linger_flash";
    private static final int MAX_LENGTH = 300;

    private final CurrentVertxRequest request;

    Flash(CurrentVertxRequest request) {
        this.request = request;
    }

    public String message() {
        Cookie cookie = request.getCurrent() == null ? null : request.getCurrent().request().getCookie(COOKIE);
        if (cookie == null || cookie.getValue().isEmpty()) {
            return null;
        }
        String text = URLDecoder.decode(cookie.getValue(), StandardCharsets.UTF_8);
        return text.length() > MAX_LENGTH ? text.substring(0, MAX_LENGTH) : text;
    }

    /** 303 See Other to {@code location}, with {@code message} shown on the next page. */
    public static Response redirect(String location, String message) {
        String value = URLEncoder.encode(message.length() > MAX_LENGTH ? message.substring(0, MAX_LENGTH) : message,
                StandardCharsets.UTF_8);
        return Response.seeOther(URI.create(location))
                .cookie(new NewCookie.Builder(COOKIE).value(value).path("/").maxAge(60).httpOnly(true)
                        .sameSite(NewCookie.SameSite.LAX).build())
                .build();
    }

    static NewCookie cleared() {
        return new NewCookie.Builder(COOKIE).value("").path("/").maxAge(0).httpOnly(true)
                .sameSite(NewCookie.SameSite.LAX).build();
    }
}
