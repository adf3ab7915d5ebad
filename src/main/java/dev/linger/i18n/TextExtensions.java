package dev.linger.i18n;

import java.util.Locale;

import io.quarkus.qute.TemplateExtension;
import io.quarkus.qute.TemplateExtension.TemplateAttribute;

/** Templates say a stored {@link Text} in the page's language: {@code {incident.explanation.say}}. */
@TemplateExtension
public class TextExtensions {

    static String say(Text text, @TemplateAttribute("locale") Object locale) {
        return Catalogue.render(text, locale instanceof Locale l ? l : Locale.ENGLISH);
    }
}
