package dev.linger.i18n;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The pseudo-locale's files follow the English catalogue: a message added or changed in English without
 * regenerating them fails here, with the command that regenerates them.
 */
class PseudoLocaleFilesTest {

    private static final Path RESOURCES = Path.of("src", "test", "resources");

    @Test
    void everyBundleHasItsPseudoFileAndItIsCurrent() throws IOException {
        if (Boolean.getBoolean("linger.pseudo.write")) {
            System.out.println("pseudo-locale files written: " + PseudoLocale.write(RESOURCES));
        }
        List<String> stale = new ArrayList<>();
        for (Class<?> bundle : Catalogue.BUNDLES) {
            Path p = PseudoLocale.path(RESOURCES, bundle);
            if (!Files.exists(p) || !Files.readString(p, StandardCharsets.UTF_8).equals(PseudoLocale.file(bundle))) {
                stale.add(p.toString());
            }
        }
        assertEquals(List.of(), stale, "regenerate with ./mvnw -o -q test -Dtest=PseudoLocaleFilesTest"
                + " -Dlinger.pseudo.write=true");
    }

    @Test
    void keepsExpressionsSectionsAndMarkupAndAccentsTheWords() {
        assertEquals("⟦Ŕéçéîvé {count} {#if count == 1}šöçķéţ{#else}šöçķéţš{/if} öñ <a href=\"/x\">{port}</a>⟧",
                PseudoLocale.of("Receive {count} {#if count == 1}socket{#else}sockets{/if} on <a href=\"/x\">{port}</a>"));
        assertEquals("⟦{#when kind}{#is 'A B'}ÅƀÇ{/when} &amp; \\{ţ⟧",
                PseudoLocale.of("{#when kind}{#is 'A B'}AbC{/when} &amp; \\{t"));
        assertEquals("", PseudoLocale.of(""));
    }
}
