package dev.linger.i18n;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * labels,statuses,badges,enum names,chart,forms, in English; {@code messages/label_zh.properties} has each in Simplified Chinese. Rendered from a
 * stored {@link Text} by {@link Catalogue#render} or in templates as {@code {label:key}}. Plain text, no markup.
 */
@MessageBundle(value = "label", locale = "en")
public interface LabelMessages {

    // issue 15
}
