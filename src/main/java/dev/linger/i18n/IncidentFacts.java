package dev.linger.i18n;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * incident explanations (facts),timeline entries,evidence words, in English; {@code messages/fact_zh.properties} has each in Simplified Chinese. Rendered from a
 * stored {@link Text} by {@link Catalogue#render} or in templates as {@code {fact:key}}. Plain text, no markup.
 */
@MessageBundle(value = "fact", locale = "en")
public interface IncidentFacts {

    // issue 15
}
