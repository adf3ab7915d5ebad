package dev.linger.i18n;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/** Every English text has its Chinese one, with the same values in it, and markup never lets a value through unescaped. */
class MessageBundlesTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("(?<!\\\\)\\{(\\w+)(\\.html)?\\}");
    /** A value a message only tests, for a plural or a variant: {@code {#if count == 1}}, {@code {#when kind}}. */
    private static final Pattern TESTED = Pattern.compile("\\{#(?:if|else if|when|switch)\\s+!?([a-zA-Z]\\w*)");
    private static final Pattern NEEDS_RAW = Pattern.compile("[<>&'\"]");
    /** A Qute section tag of a message ({#if flag}, {#when kind}, {#is 'X'}): its values count as shown. */
    /** The expression of a branching section: {#if a == 1}, {#else if a lt b}, {#when kind}, {#is 'X'}. */
    private static final Pattern SECTION = Pattern.compile("\\{#(?:if|else if|when|switch|is|case)\\s+([^}]*)\\}");
    /**
     * The bundles of facts ({@link dev.linger.i18n.Text}) are plain text, always escaped by the page and never printed
     * raw, so an apostrophe in them needs no {@code .html}; markup is not allowed in them at all.
     */
    private static final java.util.Set<String> PLAIN = java.util.Set.of("LabelMessages", "IncidentFacts", "JobFacts",
            "StepFacts", "RefusalMessages");

    record Text(String english, String chinese, Method method) {
    }

    static Map<String, Text> texts(Class<?> bundle) throws IOException {
        String name = bundle.getAnnotation(MessageBundle.class).value();
        Map<String, String> chinese = properties("messages/" + name + "_zh.properties");
        Map<String, Text> texts = new LinkedHashMap<>();
        for (Method m : bundle.getDeclaredMethods()) {
            Message message = m.getAnnotation(Message.class);
            assertNotNull(message, m + " has its English text");
            texts.put(m.getName(), new Text(message.value(), chinese.get(m.getName()), m));
        }
        return texts;
    }

    /** key=value lines as Quarkus reads a localized file: UTF-8, # comments, no escapes needed. */
    static Map<String, String> properties(String resource) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (InputStream in = MessageBundlesTest.class.getClassLoader().getResourceAsStream(resource)) {
            assertNotNull(in, resource);
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int eq = line.indexOf('=');
                assertTrue(eq > 0, resource + ": " + line);
                String previous = out.put(line.substring(0, eq), line.substring(eq + 1));
                assertEquals(null, previous, resource + " repeats " + line.substring(0, eq));
            }
        }
        return out;
    }

    /** Every bundle of the catalogue, so a new one is checked without being listed here. */
    static Stream<String> bundles() {
        return Catalogue.BUNDLES.stream().map(Class::getSimpleName);
    }

    static Class<?> bundle(String simpleName) throws ClassNotFoundException {
        return Class.forName("dev.linger.i18n." + simpleName);
    }

    @ParameterizedTest
    @MethodSource("bundles")
    void everyTextHasAChineseTranslationAndThereAreNoOthers(String simpleName) throws Exception {
        Class<?> bundle = bundle(simpleName);
        String name = bundle.getAnnotation(MessageBundle.class).value();
        Map<String, String> chinese = properties("messages/" + name + "_zh.properties");
        TreeSet<String> english = new TreeSet<>();
        for (Method m : bundle.getDeclaredMethods()) {
            english.add(m.getName());
        }
        TreeSet<String> missing = new TreeSet<>(english);
        missing.removeAll(chinese.keySet());
        TreeSet<String> extra = new TreeSet<>(chinese.keySet());
        extra.removeAll(english);
        assertTrue(missing.isEmpty(), name + "_zh.properties lacks " + missing);
        assertTrue(extra.isEmpty(), name + "_zh.properties has texts no page uses: " + extra);
        chinese.forEach((key, text) -> assertTrue(!text.isBlank(), name + ": " + key + " is empty"));
    }

    @ParameterizedTest
    @MethodSource("bundles")
    void bothLanguagesShowTheSameValues(String simpleName) throws Exception {
        for (Text t : texts(bundle(simpleName)).values()) {
            List<String> params = new ArrayList<>();
            for (Parameter p : t.method().getParameters()) {
                params.add(p.getName());
            }
            assertEquals(new TreeSet<>(params), used(t.english()), t.method() + " (English) shows each value");
            // a number English only tests for its plural ({#if count == 1}role{#else}roles{/if}) Chinese may leave out
            TreeSet<String> pluralOnly = new TreeSet<>(tested(t.english()));
            pluralOnly.removeAll(shown(t.english()));
            TreeSet<String> chinese = used(t.chinese());
            for (Parameter p : t.method().getParameters()) {
                if (pluralOnly.contains(p.getName()) && p.getType().isPrimitive()) {
                    chinese.add(p.getName());
                }
            }
            assertEquals(new TreeSet<>(params), chinese, t.method() + " (Chinese) shows each value");
        }
    }

    /**
     * A text with markup or quotes is printed raw, so each text value in it must escape itself
     * ({@code {name.html}}); values that are numbers cannot carry markup. A text without them is
     * escaped by the page, and must not escape twice.
     */
    @ParameterizedTest
    @MethodSource("bundles")
    void rawTextsEscapeTheirValues(String simpleName) throws Exception {
        for (Text t : texts(bundle(simpleName)).values()) {
            // templates print a text raw exactly when its English needs it; Chinese markup needs the same
            // the quotes of a section tag ({#is 'CONTAINER'}) are Qute's, not the text's
            boolean raw = !PLAIN.contains(simpleName)
                    && NEEDS_RAW.matcher(SECTION.matcher(t.english()).replaceAll("")).find();
            assertTrue(!PLAIN.contains(simpleName) || !t.english().contains("<") && !t.chinese().contains("<"),
                    t.method() + ": a fact is plain text, no markup");
            assertTrue(raw || !t.chinese().contains("<"), t.method() + ": Chinese markup in a text printed escaped");
            for (Parameter p : t.method().getParameters()) {
                boolean number = p.getType().isPrimitive() || Number.class.isAssignableFrom(p.getType());
                for (String text : List.of(t.english(), t.chinese())) {
                    Matcher m = PLACEHOLDER.matcher(text);
                    while (m.find()) {
                        if (!m.group(1).equals(p.getName())) {
                            continue;
                        }
                        boolean escaped = m.group(2) != null;
                        if (raw && !number) {
                            assertTrue(escaped, t.method() + ": {" + p.getName() + "} must be {" + p.getName()
                                    + ".html} in " + text);
                        } else {
                            assertTrue(!escaped, t.method() + ": {" + p.getName() + ".html} would be escaped twice");
                        }
                    }
                }
            }
        }
    }

    /**
     * Chinese sentences take full-width punctuation (docs/glossary.md): no half-width comma, colon, semicolon or
     * bracket against a Chinese character. Commands, values and markup inside a text are not sentences.
     */
    @ParameterizedTest
    @MethodSource("bundles")
    void chineseUsesFullWidthPunctuation(String simpleName) throws Exception {
        Pattern halfWidth = Pattern.compile("\\p{IsHan}[,:;!?(]|[,;!?)]\\p{IsHan}");
        for (Text t : texts(bundle(simpleName)).values()) {
            String words = t.chinese().replaceAll("\\{[^}]*\\}", "").replaceAll("<[^>]*>", "");
            assertTrue(!halfWidth.matcher(words).find(), t.method().getName() + ": " + t.chinese());
        }
    }

    /** The values a message prints. */
    private static TreeSet<String> shown(String text) {
        TreeSet<String> names = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(text == null ? "" : text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The values a message prints or branches on. */
    private static TreeSet<String> used(String text) {
        TreeSet<String> names = shown(text);
        // a value a section decides on ({#if counted}, {#when kind}) is shown by what the section says
        Matcher section = SECTION.matcher(text == null ? "" : text);
        while (section.find()) {
            Matcher word = WORD.matcher(section.group(1).replaceAll("'[^']*'", " "));
            while (word.find()) {
                if (!OPERATORS.contains(word.group())) {
                    names.add(word.group());
                }
            }
        }
        return names;
    }

    private static final Pattern WORD = Pattern.compile("\\b[A-Za-z_]\\w*\\b");
    private static final java.util.Set<String> OPERATORS = java.util.Set.of("gt", "ge", "lt", "le", "eq", "ne", "is",
            "or", "and", "not", "in", "ni", "true", "false", "null");

    private static TreeSet<String> tested(String text) {
        TreeSet<String> names = new TreeSet<>();
        Matcher m = TESTED.matcher(text == null ? "" : text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

}
