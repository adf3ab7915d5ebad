package dev.linger.runbook;


/**
 * What a page says about a step, in one language: its type's title, its fields' labels, what it changes and how it
 * is undone. {@link #ENGLISH} is the steps' own English (also in the API and stored plans); {@link StepTextsZh}
 * says the same in Chinese from the same step and bindings.
 */
public interface StepTexts {

    String title(StepType type);

    String label(StepType.Field field);

    String changes(Step step, Bindings bindings);

    String undoHow(Step step);

    /** The undo kind as a badge reads it. */
    String undoKind(Step.Undo.Kind kind);

    StepTexts ENGLISH = new StepTexts() {
        public String title(StepType type) {
            return type.title();
        }

        public String label(StepType.Field field) {
            return field.label();
        }

        public String changes(Step step, Bindings bindings) {
            return step.changes(bindings);
        }

        public String undoHow(Step step) {
            return step.undo().how();
        }

        public String undoKind(Step.Undo.Kind kind) {
            return kind.name().toLowerCase(java.util.Locale.ROOT);
        }
    };

    static StepTexts of(java.util.Locale locale) {
        return "zh".equals(locale.getLanguage()) ? StepTextsZh.TEXTS : ENGLISH;
    }

    /** For code that is not a bean (the editor): the current request's language, English outside a request. */
    static StepTexts current() {
        return of(dev.linger.i18n.RequestLanguage.currentLocale());
    }
}
