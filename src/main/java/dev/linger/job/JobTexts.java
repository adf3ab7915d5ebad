package dev.linger.job;

import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;

import dev.linger.i18n.JobMessages;
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
        return shown(stored, JobTexts::outcomeZh);
    }

    public boolean outcomeEnglish(String stored) {
        return english(stored, JobTexts::outcomeZh);
    }

    public String message(String stored) {
        return shown(stored, JobTexts::messageZh);
    }

    public boolean messageEnglish(String stored) {
        return english(stored, JobTexts::messageZh);
    }

    /** A namespace as {@link JobView#namespaceShown()} names it, in the reader's language. */
    public String where(String english) {
        return english == null || !chinese() ? english : whereZh(english);
    }

    // ---- issue 13: the sentences a job's network namespace stops it with, said again from their message keys

    private static String outcomeZh(String stored) {
        String ns = NamespaceTexts.zh(stored);
        if (ns != null) {
            return ns;
        }
        Matcher m = STEP_FAILED.matcher(stored);
        if (m.matches() && (ns = NamespaceTexts.zh(m.group(2))) != null) {
            return "第 " + m.group(1) + " 步失败：" + ns;
        }
        return JobTextsZh.outcome(stored);
    }

    private static String messageZh(String stored) {
        String ns = NamespaceTexts.zh(stored);
        return ns != null ? ns : JobTextsZh.stepMessage(stored);
    }

    private static final Pattern STEP_FAILED = Pattern.compile("step (\\d+) failed: (.*)", Pattern.DOTALL);

    static String whereZh(String english) {
        if (english.startsWith("container ")) {
            return "容器 " + english.substring("container ".length());
        }
        if (english.startsWith("pod ")) {
            return "Pod " + english.substring("pod ".length());
        }
        return english;
    }

    /**
     * Each namespace sentence of {@link JobMessages}, rendered in English with marker arguments, becomes a pattern; a
     * stored text it matches is rendered again from the same key in Chinese with the arguments it held.
     */
    static final class NamespaceTexts {
        private static final String W = "\u0001where\u0001";
        private static final long I = 9_000_000_001L;
        private static final long N = 9_000_000_002L;
        private static final int C = 900_000_003;

        private record Form(Pattern pattern, Function<Matcher, String> zh) {
        }

        private static volatile List<Form> forms;

        static String zh(String stored) {
            if (stored == null) {
                return null;
            }
            for (Form f : forms()) {
                Matcher m = f.pattern().matcher(stored);
                if (m.matches()) {
                    return f.zh().apply(m);
                }
            }
            return null;
        }

        private static List<Form> forms() {
            List<Form> f = forms;
            if (f == null) {
                JobMessages en = RequestLanguage.bundle(JobMessages.class, java.util.Locale.ENGLISH);
                JobMessages zh = RequestLanguage.bundle(JobMessages.class, java.util.Locale.forLanguageTag("zh"));
                f = List.of(
                        form(en.netnsGone(W, I), m -> zh.netnsGone(whereZh(m.group("w")), num(m, "i"))),
                        form(en.netnsReplaced(W, I, N), m -> zh.netnsReplaced(whereZh(m.group("w")), num(m, "i"),
                                num(m, "n"))),
                        form(en.netnsRebooted(W, I), m -> zh.netnsRebooted(whereZh(m.group("w")), num(m, "i"))),
                        form(en.netnsUnknown(W, I, C), m -> zh.netnsUnknown(whereZh(m.group("w")), num(m, "i"),
                                (int) num(m, "c"))),
                        form(en.netnsLost(W, I), m -> zh.netnsLost(whereZh(m.group("w")), num(m, "i"))),
                        form(en.netnsPersistRefused(W), m -> zh.netnsPersistRefused(whereZh(m.group("w")))));
                forms = f;
            }
            return f;
        }

        private static long num(Matcher m, String group) {
            return Long.parseLong(m.group(group));
        }

        /** The rendered English with each marker made a named group, everything else literal. */
        private static Form form(String rendered, Function<Matcher, String> zh) {
            StringBuilder regex = new StringBuilder();
            Matcher markers = Pattern.compile(Pattern.quote(W) + "|" + I + "|" + N + "|" + C).matcher(rendered);
            int last = 0;
            while (markers.find()) {
                regex.append(Pattern.quote(rendered.substring(last, markers.start())));
                String g = markers.group();
                regex.append(g.equals(W) ? "(?<w>.*)" : g.equals(String.valueOf(I)) ? "(?<i>\\d+)"
                        : g.equals(String.valueOf(N)) ? "(?<n>\\d+)" : "(?<c>-?\\d+)");
                last = markers.end();
            }
            regex.append(Pattern.quote(rendered.substring(last)));
            return new Form(Pattern.compile(regex.toString(), Pattern.DOTALL), zh);
        }
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
        return "zh".equals(RequestLanguage.currentLocale().getLanguage());
    }
}
