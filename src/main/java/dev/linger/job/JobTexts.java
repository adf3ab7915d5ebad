package dev.linger.job;

import java.util.function.UnaryOperator;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import dev.linger.i18n.Language;
import dev.linger.i18n.RequestLanguage;

/**
 * The stored job texts (outcome, step message, progress) in the reader's language: on a Chinese page the Chinese of
 * {@link JobTextsZh}, else, and for any text it does not know, the stored English unchanged. Templates reach it as
 * {@code inject:jobText}; the {@code …English} methods say when a Chinese page shows stored English (lang="en").
 */
@Named("jobText")
@ApplicationScoped
public class JobTexts {

    public String outcome(String stored) {
        return shown(stored, JobTextsZh::outcome);
    }

    public boolean outcomeEnglish(String stored) {
        return english(stored, JobTextsZh::outcome);
    }

    public String message(String stored) {
        return shown(stored, JobTextsZh::stepMessage);
    }

    public boolean messageEnglish(String stored) {
        return english(stored, JobTextsZh::stepMessage);
    }

    public String progress(String stored) {
        return shown(stored, JobTextsZh::progress);
    }

    private static String shown(String stored, UnaryOperator<String> zh) {
        if (stored == null || !chinese()) {
            return stored;
        }
        String t = zh.apply(stored);
        return t == null ? stored : t;
    }

    private static boolean english(String stored, UnaryOperator<String> zh) {
        return stored != null && chinese() && zh.apply(stored) == null;
    }

    private static boolean chinese() {
        return RequestLanguage.currentLanguage() == Language.ZH;
    }
}
