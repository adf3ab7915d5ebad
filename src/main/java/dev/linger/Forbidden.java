package dev.linger;

import java.util.Locale;

import dev.linger.i18n.Catalogue;
import dev.linger.i18n.Text;

/** An action this person may not take, and why, said as a {@link Text} in the reader's language. */
public class Forbidden extends io.quarkus.security.ForbiddenException {

    private final transient Text text;

    public Forbidden(Text text) {
        this.text = text;
    }

    public Text text() {
        return text;
    }

    /** In words of this locale. */
    public String message(Locale locale) {
        return Catalogue.render(text, locale);
    }

    /** In English, for logs. */
    @Override
    public String getMessage() {
        return InvalidInput.english(text);
    }
}
