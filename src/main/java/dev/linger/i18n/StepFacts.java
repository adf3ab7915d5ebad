package dev.linger.i18n;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * step descriptions,applicability,import flags, in English; {@code messages/step_zh.properties} has each in Simplified Chinese. Rendered from a
 * stored {@link Text} by {@link Catalogue#render} or in templates as {@code {step:key}}. Plain text, no markup.
 */
@MessageBundle(value = "step", locale = "en")
public interface StepFacts {

    // issue 15
}
