package dev.linger.i18n;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * refusals of input (InvalidInput), in English; {@code messages/refuse_zh.properties} has each in Simplified Chinese. Rendered from a
 * stored {@link Text} by {@link Catalogue#render} or in templates as {@code {refuse:key}}. Plain text, no markup.
 */
@MessageBundle(value = "refuse", locale = "en")
public interface RefusalMessages {

    // issue 15
}
