package dev.linger.runbook;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one command line into words as sh would, expanding nothing: quotes group and are removed, a backslash
 * escapes the next character (inside double quotes too), {@code #} at a word's start ends the line, and the
 * operators {@code | & ; < >} (single or doubled) are tokens of their own. Knows no command; what the words mean
 * is {@link StepTyping}'s business.
 */
final class ShellWords {

    private ShellWords() {
    }

    /** A word, or an operator when {@code op}: {@code |}, {@code ||}, {@code &&}, {@code ;}, {@code >>}... */
    record Token(String text, boolean op) {
        boolean is(String s) {
            return !op && text.equals(s);
        }
    }

    /** Splits a command as sh would, expanding nothing; operators are tokens too; null when a quote stays open. */
    static List<Token> split(String s) {
        List<Token> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"') {
                int j = i + 1;
                for (; j < s.length() && s.charAt(j) != c; j++) {
                    j += c == '"' && s.charAt(j) == '\\' && j + 1 < s.length() ? 1 : 0;
                    cur.append(s.charAt(j));
                }
                if (j >= s.length()) {
                    return null;
                }
                inWord = true;
                i = j;
            } else if (c == '\\' && i + 1 < s.length()) {
                cur.append(s.charAt(++i));
                inWord = true;
            } else if (c == ' ' || c == '\t' || c == '\u00A0') {
                inWord = flush(out, cur, inWord);
            } else if (c == '#' && !inWord) {
                break;
            } else if ("|&;<>".indexOf(c) >= 0) {
                inWord = flush(out, cur, inWord);
                int len = i + 1 < s.length() && s.charAt(i + 1) == c ? 2 : 1;
                out.add(new Token(s.substring(i, i + len), true));
                i += len - 1;
            } else {
                cur.append(c);
                inWord = true;
            }
        }
        flush(out, cur, inWord);
        return out;
    }

    private static boolean flush(List<Token> out, StringBuilder cur, boolean inWord) {
        if (inWord) {
            out.add(new Token(cur.toString(), false));
            cur.setLength(0);
        }
        return false;
    }

    /** The commands of a pipeline, or null when the command uses any operator other than '|'. */
    static List<List<Token>> pipeline(List<Token> toks) {
        List<List<Token>> out = new ArrayList<>();
        List<Token> cur = new ArrayList<>();
        for (Token t : toks) {
            if (t.op() && !t.text().equals("|")) {
                return null;
            }
            if (t.op()) {
                out.add(cur);
                cur = new ArrayList<>();
            } else {
                cur.add(t);
            }
        }
        out.add(cur);
        return out.stream().anyMatch(List::isEmpty) ? null : out;
    }
}
