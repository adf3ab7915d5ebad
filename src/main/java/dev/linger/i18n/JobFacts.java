package dev.linger.i18n;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * job outcomes,step messages,progress lines,plan texts,check verdicts, in English; {@code messages/run_zh.properties} has each in Simplified Chinese. Rendered from a
 * stored {@link Text} by {@link Catalogue#render} or in templates as {@code {run:key}}. Plain text, no markup.
 */
@MessageBundle(value = "run", locale = "en")
public interface JobFacts {

    // issue 15
}
