package dev.linger.job;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import dev.linger.i18n.Catalogue;
import dev.linger.i18n.Text;

/**
 * What the audit log keeps of a job's texts: the English words (the audit log and its export read English) and the
 * message key beside them, so a reader in another language can say the same fact again.
 */
final class JobAudit {

    private JobAudit() {
    }

    /** {"outcome": words, "outcomeKey": key}, or nothing for no outcome. */
    static Map<String, Object> outcome(Text outcome) {
        return said("outcome", outcome);
    }

    static Map<String, Object> said(String name, Text text) {
        Map<String, Object> d = new LinkedHashMap<>();
        if (text != null) {
            d.put(name, english(text));
            d.put(name + "Key", text.key());
        }
        return d;
    }

    static String english(Text text) {
        return text == null ? "" : Catalogue.render(text, Locale.ENGLISH);
    }
}
