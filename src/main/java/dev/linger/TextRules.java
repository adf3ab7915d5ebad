package dev.linger;

import dev.linger.i18n.Text;

/**
 * What free text people write (reasons, comments, titles, labels, notes) may not hold, whatever the form or
 * API it comes through: bidirectional controls, which make a reason read differently from what it says
 * (U+202A–U+202E, U+2066–U+2069), and lone surrogates, which are no character at all.
 */
public final class TextRules {

    /** The refusal of such text. */
    public static final Text HIDDEN_OR_BROKEN = Text.of("refuse.hiddenOrBroken");

    private TextRules() {
    }

    /** True when the text holds a bidirectional control or a lone surrogate; null is fine. */
    public static boolean hiddenOrBroken(String text) {
        if (text == null) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069')) {
                return true;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return true;
            }
            if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
