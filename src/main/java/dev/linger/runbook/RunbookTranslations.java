package dev.linger.runbook;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Named;
import jakarta.persistence.EntityManager;

import com.fasterxml.jackson.core.type.TypeReference;

import dev.linger.JsonText;
import dev.linger.Row;
import dev.linger.i18n.RequestLanguage;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;

/**
 * The texts of a runbook version in the reader's language (table runbook_translation, written only
 * by migrations, for the shipped runbooks), falling back to the stored text. Only what a person
 * reads changes: commands, parameters and steps stay those of the immutable version. Templates
 * reach it as {@code inject:runbookText}.
 */
@Named("runbookText")
@ApplicationScoped
public class RunbookTranslations {

    record Translation(String title, String description, Map<String, String> paramLabels,
            Map<String, String> stepTexts) {
    }

    private final EntityManager em;
    private final JsonText json;
    /**
     * Per language tag of the table ({@code zh}), "slug@version" → translation. Read once at start (after Flyway),
     * since only migrations write the table; so templates read memory, never the database, while rendering. The
     * languages are those the table has rows for: a shipped runbook's translation is data, not code.
     */
    private volatile Map<String, Map<String, Translation>> loaded = Map.of();

    RunbookTranslations(EntityManager em, JsonText json) {
        this.em = em;
        this.json = json;
    }

    void load(@Observes StartupEvent start) {
        Map<String, Map<String, Translation>> all = new HashMap<>();
        QuarkusTransaction.requiringNew().run(() -> {
            @SuppressWarnings("unchecked")
            List<String> languages = em.createNativeQuery("SELECT DISTINCT lang FROM runbook_translation")
                    .getResultList();
            for (String language : languages) {
                all.put(language, load(language));
            }
        });
        loaded = Map.copyOf(all);
    }

    public String title(String slug, int version, String stored) {
        Translation t = find(slug, version);
        return t == null ? stored : t.title();
    }

    public String description(String slug, int version, String stored) {
        Translation t = find(slug, version);
        return t == null || t.description().isBlank() ? stored : t.description();
    }

    public String paramLabel(String slug, int version, String param, String stored) {
        Translation t = find(slug, version);
        return t == null ? stored : t.paramLabels().getOrDefault(param, stored);
    }

    /** The text of step {@code n} (from 1): a NOTE's instruction. */
    public String stepText(String slug, int version, int n, String stored) {
        Translation t = find(slug, version);
        return t == null ? stored : t.stepTexts().getOrDefault(String.valueOf(n), stored);
    }

    /** The reader's translation: of their exact tag ({@code zh-CN}) if the table has one, else of their language. */
    private Translation find(String slug, int version) {
        java.util.Locale locale = RequestLanguage.currentLocale();
        if (slug == null) {
            return null;
        }
        Map<String, Translation> texts = loaded.get(locale.toLanguageTag());
        if (texts == null) {
            texts = loaded.getOrDefault(locale.getLanguage(), Map.of());
        }
        return texts.get(slug + "@" + version);
    }

    private Map<String, Translation> load(String language) {
        List<Row> rows = Row.list(Row.query(em, """
                SELECT r.slug, v.version, t.title, t.description, t.param_labels::text AS param_labels,
                       t.step_texts::text AS step_texts
                  FROM runbook_translation t JOIN runbook_version v ON v.id = t.runbook_version_id
                  JOIN runbook r ON r.id = v.runbook_id
                 WHERE t.lang = ?1
                """).setParameter(1, language));
        Map<String, Translation> out = new HashMap<>();
        TypeReference<Map<String, String>> texts = new TypeReference<>() {
        };
        for (Row row : rows) {
            out.put(row.string("slug") + "@" + row.intValue("version"), new Translation(row.string("title"),
                    row.string("description"), json.read(row.string("param_labels"), texts),
                    json.read(row.string("step_texts"), texts)));
        }
        return Map.copyOf(out);
    }
}
