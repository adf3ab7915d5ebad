package dev.linger.i18n;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/**
 * The one place that decides which language this request's pages speak: the switch the person
 * chose (remembered in {@link #COOKIE}), else their browser's Accept-Language, else the default; always one of
 * {@link Languages#supported()}. Templates reach it as {@code inject:lang}; {@link TemplateLanguage} gives its locale
 * to every page.
 */
@Named("lang")
@RequestScoped
public class RequestLanguage {

    public static final String COOKIE = "linger_lang";

    private final CurrentVertxRequest request;
    private Locale locale;

    RequestLanguage(CurrentVertxRequest request) {
        this.request = request;
    }

    /** The locale this request's pages speak. */
    public Locale locale() {
        if (locale == null) {
            locale = decide(http());
        }
        return locale;
    }

    static Locale decide(HttpServerRequest http) {
        if (http == null) {
            return Languages.defaultLocale();
        }
        Cookie chosen = http.getCookie(COOKIE);
        Locale remembered = chosen == null ? null : Languages.ofTag(chosen.getValue());
        return remembered != null ? remembered : Languages.negotiate(http.getHeader("Accept-Language"));
    }

    /**
     * The language of an API answer: the caller's Accept-Language when Linger speaks it, else the default. The page
     * switch (the cookie) is not asked: scripts and webhooks read English unless they ask.
     */
    public Locale apiLocale() {
        HttpServerRequest http = http();
        return http == null ? Languages.defaultLocale() : Languages.negotiate(http.getHeader("Accept-Language"));
    }

    /** The request's locale where no request bean can be injected (error mappers); the default outside a request. */
    public static Locale currentLocale() {
        ArcContainer arc = Arc.container();
        if (arc == null || !arc.requestContext().isActive()) {
            return Languages.defaultLocale();
        }
        return arc.instance(RequestLanguage.class).get().locale();
    }

    /** One entry of the language switch: the tag it sets, the language's own name for itself, whether it is on. */
    public record Choice(String tag, String name, boolean current) {
    }

    /** The switch: every configured language, each named in itself ("English", "中文"). */
    public List<Choice> choices() {
        Locale now = locale();
        return Languages.supported().stream()
                .map(l -> new Choice(l.toLanguageTag(), Catalogue.render(Text.of("msg.languageName"), l), l.equals(now)))
                .toList();
    }

    /** This request's texts for Java code that writes sentences onto pages (flash messages, errors). */
    public UiMessages messages() {
        return bundle(UiMessages.class, locale());
    }

    /** This request's texts of another bundle ({@link HostMessages}, {@link JobMessages}, {@link RunbookMessages}). */
    public <T> T texts(Class<T> bundle) {
        return bundle(bundle, locale());
    }

    /** A text in this request's language. */
    public String say(Text text) {
        return Catalogue.render(text, locale());
    }

    /** Where the language switch brings the person back to: this page, when it can be asked for again. */
    public String here() {
        HttpServerRequest http = http();
        String back = "/";
        if (http != null && (http.method() == HttpMethod.GET || http.method() == HttpMethod.HEAD)) {
            String uri = http.uri();
            back = LanguagePage.localPath(uri) ? uri : "/";
        }
        return URLEncoder.encode(back, StandardCharsets.UTF_8);
    }

    public static UiMessages bundle(Locale locale) {
        return bundle(UiMessages.class, locale);
    }

    /** A bundle in a locale: its exact tag, else its language, else the default (see {@link Catalogue#bundle}). */
    public static <T> T bundle(Class<T> bundle, Locale locale) {
        return bundle.cast(Catalogue.bundle(bundle, locale));
    }

    /**
     * The texts of the current request, for code that is not a bean of its own (error mappers);
     * the default language outside a request.
     */
    public static UiMessages current() {
        return bundle(currentLocale());
    }

    private HttpServerRequest http() {
        return request.getCurrent() == null ? null : request.getCurrent().request();
    }
}
