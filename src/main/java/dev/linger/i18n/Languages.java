package dev.linger.i18n;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The languages Linger speaks: the locales of {@code quarkus.locales}, the default ({@code quarkus.default-locale})
 * first. A language is its message files ({@code messages/<bundle>_<tag>.properties}) plus its tag on that line;
 * no code names a language. The switch, the cookie and Accept-Language only ever choose one of these.
 */
public final class Languages {

    private static volatile List<Locale> supported;

    private Languages() {
    }

    /** Every configured locale, the default first, in the order of the configuration. */
    public static List<Locale> supported() {
        List<Locale> s = supported;
        if (s == null) {
            s = read(ConfigProvider.getConfig());
            supported = s;
        }
        return s;
    }

    static List<Locale> read(Config config) {
        Locale fallback = config.getOptionalValue("quarkus.default-locale", String.class)
                .map(Locale::forLanguageTag).orElse(Locale.ENGLISH);
        List<Locale> out = new ArrayList<>();
        out.add(fallback);
        for (String tag : config.getOptionalValues("quarkus.locales", String.class).orElse(List.of())) {
            Locale l = Locale.forLanguageTag(tag.strip());
            if (!l.getLanguage().isEmpty() && out.stream().noneMatch(o -> o.toLanguageTag().equalsIgnoreCase(l.toLanguageTag()))) {
                out.add(l);
            }
        }
        return List.copyOf(out);
    }

    /** The default language: pages say it when nothing else is known, the API, webhooks and logs always. */
    public static Locale defaultLocale() {
        return supported().get(0);
    }

    /** The configured locale with exactly this tag ({@code zh}, not {@code ZH} or {@code zh-CN}); null for any other. */
    public static Locale ofTag(String tag) {
        if (tag == null || tag.isEmpty() || tag.length() > 35) {
            return null;
        }
        for (Locale l : supported()) {
            if (l.toLanguageTag().equals(tag)) {
                return l;
            }
        }
        return null;
    }

    /**
     * The browser's preference (RFC 4647 lookup over the configured locales, by weight): {@code zh-TW},
     * {@code zh-Hans-CN} get {@code zh}, {@code en-US} gets {@code en}; the default when the header is missing,
     * malformed, or names no configured language.
     */
    public static Locale negotiate(String acceptLanguage) {
        if (acceptLanguage == null || acceptLanguage.isBlank() || acceptLanguage.length() > 500) {
            return defaultLocale();
        }
        try {
            List<Locale.LanguageRange> ranges = Locale.LanguageRange.parse(acceptLanguage);
            Locale best = Locale.lookup(ranges, supported());
            return best == null ? defaultLocale() : ofTag(best.toLanguageTag()) != null ? ofTag(best.toLanguageTag()) : best;
        } catch (IllegalArgumentException malformed) {
            return defaultLocale();
        }
    }
}
