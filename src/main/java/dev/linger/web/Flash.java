package dev.linger.web;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import dev.linger.i18n.Catalogue;
import dev.linger.i18n.RequestLanguage;
import dev.linger.i18n.Text;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.http.Cookie;

/**
 * A one-time message carried across the redirect of Post/Redirect/Get in a short-lived cookie
 * (shown by the layout as {@code inject:flash.message}, then cleared by {@link FlashClearing}). The message is a
 * {@link Text} (its key and values, as JSON), said in the language of the page that shows it.
 */
@Named("flash")
@RequestScoped
public class Flash {

    static final String COOKIE = "linger_flash";
    private static final int MAX_LENGTH = 300;
    /** A text as JSON; its values (names, errors) are short, and a cookie holds 4 KB. */
    private static final int MAX_TEXT_LENGTH = 1500;
    private static final String TEXT_MARK = "t:";

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
        if (text.startsWith(TEXT_MARK)) {
            try {
                text = Catalogue.render(Text.fromJson(text.substring(TEXT_MARK.length())), RequestLanguage.currentLocale());
            } catch (RuntimeException notAText) {
                return null;
            }
        }
        return text.length() > MAX_LENGTH ? text.substring(0, MAX_LENGTH) : text;
    }

    /** 303 See Other to {@code location}, with {@code message} said on the next page in that page's language. */
    public static Response redirect(String location, Text message) {
        String json = message.toJson();
        if (json.length() > MAX_TEXT_LENGTH) {
            return redirect(location, Catalogue.render(message, RequestLanguage.currentLocale()));
        }
        return redirectWith(location, TEXT_MARK + json);
    }

    /** 303 See Other to {@code location}, with {@code message} (already in words) shown on the next page. */
    public static Response redirect(String location, String message) {
        String plain = message.startsWith(TEXT_MARK) ? " " + message : message;
        return redirectWith(location, plain.length() > MAX_LENGTH ? plain.substring(0, MAX_LENGTH) : plain);
    }

    private static Response redirectWith(String location, String message) {
        String value = URLEncoder.encode(message, StandardCharsets.UTF_8);
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
