package dev.linger.i18n;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import dev.linger.InvalidInput;

/**
 * The language switch in the page header. A link, not a form: it only changes a preference of this
 * browser (nothing on the server, nothing audited), so it needs no CSRF token and works on the sign-in
 * page too. The choice is remembered for a year; {@code to} is a tag of {@link Languages#supported()} ({@code en},
 * {@code zh}, any other configured one), {@code back} must be a path on this site.
 */
@Path("/language")
public class LanguagePage {

    static final int REMEMBER_SECONDS = 365 * 24 * 3600;

    @GET
    public Response choose(@QueryParam("to") String to, @QueryParam("back") String back) {
        Locale language = Languages.ofTag(to);
        if (language == null) {
            throw InvalidInput.of("to", unknown());
        }
        String target = back == null || back.isEmpty() ? "/" : back;
        if (!localPath(target)) {
            throw InvalidInput.of("back", Text.of("msg.languageBackNotLocal"));
        }
        return Response.seeOther(URI.create(target))
                .cookie(new NewCookie.Builder(RequestLanguage.COOKIE).value(language.toLanguageTag()).path("/")
                        .maxAge(REMEMBER_SECONDS).sameSite(NewCookie.SameSite.LAX).build())
                .build();
    }

    /** "Linger speaks English (en), 中文 (zh); …": each language named in itself, the sentence in the reader's. */
    static Text unknown() {
        List<Text> languages = Languages.supported().stream().map(l -> Text.of("label.languageWithTag",
                Catalogue.render(Text.of("msg.languageName"), l), l.toLanguageTag())).toList();
        return Text.of("label.languageUnknown", languages);
    }

    /** A path on this site and nothing else: no scheme, no other host ("//", "/\"), no control characters. */
    static boolean localPath(String path) {
        if (path == null || !path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\")
                || path.length() > 2000 || path.chars().anyMatch(c -> c < 0x21 || c == 0x7f || c == '\\')) {
            return false;
        }
        try {
            URI uri = URI.create(path);
            return uri.getScheme() == null && uri.getHost() == null && uri.getRawAuthority() == null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
