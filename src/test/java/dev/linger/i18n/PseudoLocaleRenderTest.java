package dev.linger.i18n;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** The pseudo-locale is a language like any other: files under test resources, and Quarkus speaks it. */
@QuarkusTest
class PseudoLocaleRenderTest {

    @Test
    void aLanguageMadeOfFilesAloneIsSpoken() {
        assertEquals("⟦ŕöļļƀåçķ öf #7⟧", Catalogue.render(Text.of("job.rollbackOf", 7), Locale.forLanguageTag(PseudoLocale.TAG)));
    }
}
