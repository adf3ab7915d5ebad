package dev.linger.i18n;

import java.util.List;
import java.util.Locale;

/**
 * The languages Linger's pages speak. English is the default bundle; Chinese is Simplified Chinese,
 * the bundle {@code messages/msg_zh.properties}.
 */
public enum Language {
    EN("en", "en"),
    ZH("zh", "zh-CN");

    private final String code;
    private final Locale locale;

    Language(String code, String tag) {
        this.code = code;
        this.locale = Locale.forLanguageTag(tag);
    }

    /** The value of the switch ({@code /language?to=zh}) and of the remembered cookie. */
    public String code() {
        return code;
    }

    public Locale locale() {
        return locale;
    }

    /** {@code en} or {@code zh}, exactly; anything else is not a language Linger speaks (null). */
    public static Language ofCode(String code) {
        for (Language l : values()) {
            if (l.code.equals(code)) {
                return l;
            }
        }
        return null;
    }

    /**
     * The browser's preference: the first range in its Accept-Language order (by weight) that is
     * English or any Chinese (zh, zh-CN, zh-Hans-CN, zh-TW: Simplified reads better than English for
     * all of them); English when the header is missing, malformed, or names neither.
     */
    public static Language fromAcceptLanguage(String header) {
        if (header == null || header.isBlank() || header.length() > 500) {
            return EN;
        }
        try {
            List<Locale.LanguageRange> ranges = Locale.LanguageRange.parse(header);
            for (Locale.LanguageRange range : ranges) {
                if (range.getWeight() <= 0) {
                    continue;
                }
                String primary = range.getRange().split("-", 2)[0];
                if (primary.equals("zh")) {
                    return ZH;
                }
                if (primary.equals("en")) {
                    return EN;
                }
            }
        } catch (IllegalArgumentException malformed) {
            return EN;
        }
        return EN;
    }
}
