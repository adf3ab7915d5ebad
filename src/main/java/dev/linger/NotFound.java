package dev.linger;

import java.util.Locale;

import dev.linger.i18n.Catalogue;
import dev.linger.i18n.Text;

/** Something a person asked for does not exist, said as a {@link Text}: pages say it in their language, the API in the caller's. */
public class NotFound extends jakarta.ws.rs.NotFoundException {

    private final transient Text text;

    public NotFound(Text text) {
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
