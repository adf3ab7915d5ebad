package dev.linger;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.linger.i18n.Catalogue;
import dev.linger.i18n.Text;
import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * Input a person can correct: each field's problem as a {@link Text} (a {@code refuse.…} message key and its typed
 * values), never as words. Thrown before anything is stored; pages re-render the form with each problem said in the
 * page's language ({@link #fields(Locale)}), the API answers 400 or 409 in the caller's.
 */
public class InvalidInput extends RuntimeException {

    private final Map<String, Text> fields;
    private final boolean conflict;

    private InvalidInput(Map<String, Text> fields, boolean conflict) {
        super();
        this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        this.conflict = conflict;
    }

    public static InvalidInput of(Map<String, Text> fields) {
        return new InvalidInput(fields, false);
    }

    /** One field's problem. */
    public static InvalidInput of(String field, Text problem) {
        return new InvalidInput(Map.of(field, problem), false);
    }

    /** The input is valid on its own but clashes with what is stored (e.g. a taken user name). */
    public static InvalidInput conflict(String field, Text problem) {
        return new InvalidInput(Map.of(field, problem), true);
    }

    /** Each field's problem, as a fact to be said. */
    public Map<String, Text> fields() {
        return fields;
    }

    /** Each field's problem in words of this locale, in the order the fields were checked. */
    public Map<String, String> fields(Locale locale) {
        Map<String, String> out = new LinkedHashMap<>();
        fields.forEach((field, problem) -> out.put(field, Catalogue.render(problem, locale)));
        return out;
    }

    /** Each field's message key ({@code refuse.hostNameMissing}), for scripts that match on it. */
    public Map<String, String> keys() {
        Map<String, String> out = new LinkedHashMap<>();
        fields.forEach((field, problem) -> out.put(field, problem.key()));
        return out;
    }

    /** The whole refusal as one text (a flash message): every field's problem, one after the other. */
    public Text text() {
        Text whole = null;
        for (Text problem : fields.values()) {
            whole = whole == null ? problem : new Text("refuse.both", List.of(whole, problem));
        }
        return whole;
    }

    /** The whole refusal in words of this locale. */
    public String message(Locale locale) {
        return Catalogue.render(text(), locale);
    }

    public boolean isConflict() {
        return conflict;
    }

    /** In English, for logs. */
    @Override
    public String getMessage() {
        return english(text());
    }

    /**
     * A text in English: through the catalogue, or, where none runs (a plain unit test, a log line at start-up), from
     * the {@code @Message} English itself with each {@code {value}} filled in.
     */
    public static String english(Text text) {
        try {
            return Catalogue.render(text, Locale.ENGLISH);
        } catch (RuntimeException noCatalogue) {
            return annotated(text);
        }
    }

    private static String annotated(Object value) {
        if (value instanceof List<?> list) {
            return String.join(", ", list.stream().map(InvalidInput::annotated).toList());
        }
        if (!(value instanceof Text text)) {
            return String.valueOf(value);
        }
        int dot = text.key().indexOf('.');
        for (Class<?> bundle : Catalogue.BUNDLES) {
            if (!bundle.getAnnotation(MessageBundle.class).value().equals(text.key().substring(0, Math.max(dot, 0)))) {
                continue;
            }
            for (Method m : bundle.getDeclaredMethods()) {
                Message english = m.getAnnotation(Message.class);
                if (m.getName().equals(text.key().substring(dot + 1)) && english != null
                        && m.getParameterCount() == text.args().size()) {
                    String out = english.value();
                    Parameter[] names = m.getParameters();
                    for (int i = 0; i < names.length; i++) {
                        out = out.replace("{" + names[i].getName() + "}", annotated(text.args().get(i)));
                    }
                    return out;
                }
            }
        }
        return text.toString();
    }
}
