package dev.linger.i18n;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Named;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import io.quarkus.qute.i18n.Localized;
import io.quarkus.qute.i18n.MessageBundles;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

/**
 * The one place that decides which language this request's pages speak: the switch the person
 * chose (remembered in {@link #COOKIE}), else their browser's Accept-Language, else English.
 * Templates reach it as {@code inject:lang}; {@link TemplateLanguage} gives its locale to every page.
 */
@Named("lang")
@RequestScoped
public class RequestLanguage {

    public static final String COOKIE = "linger_lang";

    private final CurrentVertxRequest request;
    private Language language;

    RequestLanguage(CurrentVertxRequest request) {
        this.request = request;
    }

    public Language language() {
        if (language == null) {
            language = decide(http());
        }
        return language;
    }

    static Language decide(HttpServerRequest http) {
        if (http == null) {
            return Language.EN;
        }
        Cookie chosen = http.getCookie(COOKIE);
        Language remembered = chosen == null ? null : Language.ofCode(chosen.getValue());
        return remembered != null ? remembered : Language.fromAcceptLanguage(http.getHeader("Accept-Language"));
    }

    public Locale locale() {
        return language().locale();
    }

    /**
     * The language of an API answer: the caller's Accept-Language when Linger speaks it, else English. The page switch
     * (the cookie) is not asked: scripts and webhooks read English unless they ask.
     */
    public Locale apiLocale() {
        HttpServerRequest http = http();
        return http == null ? Language.EN.locale() : Language.fromAcceptLanguage(http.getHeader("Accept-Language")).locale();
    }

    /** The request's locale where no request bean can be injected (error mappers); English outside a request. */
    public static Locale currentLocale() {
        return currentLanguage().locale();
    }

    public boolean chinese() {
        return language() == Language.ZH;
    }

    /** This request's texts for Java code that writes sentences onto pages (flash messages, errors). */
    public UiMessages messages() {
        return bundle(language());
    }

    /** This request's texts of another bundle ({@link HostMessages}, {@link JobMessages}, {@link RunbookMessages}). */
    public <T> T texts(Class<T> bundle) {
        return bundle(bundle, language());
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

    public static UiMessages bundle(Language language) {
        return bundle(UiMessages.class, language);
    }

    public static <T> T bundle(Class<T> bundle, Language language) {
        return language == Language.EN ? MessageBundles.get(bundle)
                : MessageBundles.get(bundle, Localized.Literal.of(language.code()));
    }

    /**
     * The texts of the current request, for code that is not a bean of its own (error mappers);
     * English outside a request.
     */
    public static UiMessages current() {
        return bundle(currentLanguage());
    }

    public static Language currentLanguage() {
        ArcContainer arc = Arc.container();
        if (arc == null || !arc.requestContext().isActive()) {
            return Language.EN;
        }
        return arc.instance(RequestLanguage.class).get().language();
    }

    private HttpServerRequest http() {
        return request.getCurrent() == null ? null : request.getCurrent().request();
    }
}
