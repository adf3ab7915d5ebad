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
     * "slug@version" → translation, per language. Read once at start (after Flyway), since only
     * migrations write the table; so templates read memory, never the database, while rendering.
     */
    private volatile Map<String, Map<String, Translation>> loaded = Map.of();

    RunbookTranslations(EntityManager em, JsonText json) {
        this.em = em;
        this.json = json;
    }

    void load(@Observes StartupEvent start) {
        Map<String, Map<String, Translation>> all = new HashMap<>();
        QuarkusTransaction.requiringNew().run(() -> {
            for (java.util.Locale language : dev.linger.i18n.Languages.supported()) {
                if (!language.equals(dev.linger.i18n.Languages.defaultLocale())) {
                    all.put(language.toLanguageTag(), load(language.toLanguageTag()));
                }
            }
        });
        loaded = all;
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

    private Translation find(String slug, int version) {
        java.util.Locale language = RequestLanguage.currentLocale();
        Map<String, Translation> texts = loaded.get(language.toLanguageTag());
        if (texts == null) {
            texts = loaded.get(language.getLanguage());
        }
        return texts == null || slug == null ? null : texts.get(slug + "@" + version);
    }

    private Map<String, Translation> load(String language) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("""
                SELECT r.slug, v.version, t.title, t.description, t.param_labels::text, t.step_texts::text
                  FROM runbook_translation t JOIN runbook_version v ON v.id = t.runbook_version_id
                  JOIN runbook r ON r.id = v.runbook_id
                 WHERE t.lang = ?1
                """).setParameter(1, language).getResultList();
        Map<String, Translation> out = new HashMap<>();
        TypeReference<Map<String, String>> texts = new TypeReference<>() {
        };
        for (Object[] row : rows) {
            out.put(row[0] + "@" + ((Number) row[1]).intValue(), new Translation((String) row[2], (String) row[3],
                    json.read((String) row[4], texts), json.read((String) row[5], texts)));
        }
        return Map.copyOf(out);
    }
}
