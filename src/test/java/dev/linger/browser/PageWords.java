package dev.linger.browser;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The words a page shows to people, as a test reads them: every text node and every text people meet in an attribute
 * (title, placeholder, aria-label, alt, a button's value), including folded parts and the chart. Not the
 * document's title: it repeats the page's heading with names in it, and markup cannot mark names there. Values that are not words are left out where the template marks them: {@code translate="no"},
 * {@code <code>}, {@code <pre>}, {@code <kbd>}, {@code <samp>}, {@code <time>}.
 */
final class PageWords {

    /** Replaces each left-out value, so that words on either side of it do not run together. */
    static final String VALUE = "\u241F";

    private static final String READ = """
            const skip = 'script,style,noscript,template,code,pre,kbd,samp,time,[translate="no"]';
            const block = /^(ADDRESS|ARTICLE|ASIDE|BLOCKQUOTE|BR|BUTTON|CAPTION|DD|DETAILS|DIALOG|DIV|DL|DT|FIELDSET|FIGCAPTION|FIGURE|FOOTER|FORM|H[1-6]|HEADER|HR|LABEL|LEGEND|LI|MAIN|NAV|OL|OPTION|P|SECTION|SELECT|SUMMARY|TABLE|TD|TH|TR|UL|text|title|tspan)$/;
            const out = [];
            const attrs = e => {
              for (const a of ['title', 'placeholder', 'aria-label', 'alt']) {
                if (e.hasAttribute(a) && e.getAttribute(a).trim()) out.push('\\n', e.getAttribute(a), '\\n');
              }
              if (e.tagName === 'INPUT' && ['submit', 'button', 'reset'].includes(e.type) && e.value) out.push('\\n', e.value, '\\n');
            };
            const walk = n => {
              for (const c of n.childNodes) {
                if (c.nodeType === 3) { out.push(c.textContent); continue; }
                if (c.nodeType !== 1) continue;
                if (c.matches(skip)) { out.push(' \\u241F '); continue; }
                attrs(c);
                const b = block.test(c.tagName);
                if (b) out.push('\\n');
                walk(c);
                if (b) out.push('\\n');
              }
            };
            walk(document.body);
            return out.join('');""";

    private static final Pattern PSEUDO = Pattern.compile("⟦[^⟦⟧]*⟧");
    /** Digits, punctuation, symbols and spaces: what every language writes the same way. */
    private static final Pattern NOT_A_WORD = Pattern.compile("[\\s\\p{N}\\p{P}\\p{S}\u241F]*");
    /** Unit symbols are international (SI and the like), written the same in every language. */
    private static final Pattern UNIT = Pattern.compile("\\b(ms|s|min|h|d|B|KB|MB|GB|KiB|MiB|GiB|UTC)\\b");
    /** A word of two letters or more; a lone letter is a flag or a process state (-K, S), not English. */
    private static final Pattern LATIN_WORD = Pattern.compile("[A-Za-z][A-Za-z0-9_.:-]*[A-Za-z0-9]");
    /**
     * What commands and the kernel write inside sentences, the same in every language: sysctl names, paths, parameter
     * placeholders, socket options and signals, and the time format HH:MM.
     */
    private static final Pattern COMMAND_WORDS = Pattern.compile(
            "\\bnet\\.[a-z0-9_.]+|(?:/[\\w.-]+)+|\\{\\w+\\}|\\bSO_[A-Z_]+|\\bSIG[A-Z]+|\\bss -K\\b|HH:MM");

    private PageWords() {
    }

    static String read(Chromium browser) {
        return (String) browser.script(READ);
    }

    /**
     * The lines of a page shown in the pseudo-locale that hold a word not inside ⟦…⟧: text that did not come from
     * the catalogue. Messages inside messages nest, so the innermost are taken out first.
     */
    static List<String> outsideTheCatalogue(String words) {
        String rest = words;
        for (String before = null; !rest.equals(before);) {
            before = rest;
            rest = PSEUDO.matcher(rest).replaceAll(" ");
        }
        List<String> lines = new ArrayList<>();
        for (String line : rest.split("\n")) {
            String stripped = UNIT.matcher(line).replaceAll(" ");
            if (!NOT_A_WORD.matcher(stripped).matches()) {
                lines.add(line.strip().replaceAll("\\s+", " "));
            }
        }
        return lines;
    }

    /** The Latin words of a page shown in Chinese, less those allowed (kernel state names, units, …). */
    static List<String> latinWords(String words, Set<String> allowed) {
        List<String> found = new ArrayList<>();
        for (String line : words.split("\n")) {
            Matcher m = LATIN_WORD.matcher(UNIT.matcher(COMMAND_WORDS.matcher(line).replaceAll(" ")).replaceAll(" "));
            while (m.find()) {
                if (!allowed.contains(m.group())) {
                    found.add(m.group() + "  in: " + line.strip().replaceAll("\\s+", " "));
                }
            }
        }
        return found;
    }
}
