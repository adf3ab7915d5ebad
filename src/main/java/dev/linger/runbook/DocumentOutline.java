package dev.linger.runbook;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.linger.InvalidInput;
import dev.linger.i18n.Text;

/**
 * The structure of a troubleshooting document, before any command is looked at: its lines (BOM dropped, CRLF
 * and CR made LF), which of them are fenced code blocks and in which language, the prose line that introduces
 * each fence, HTML comments blanked out of prose, and its title. Also the line-level readers the importer
 * needs on prose: list markers and prompts, inline code spans, words, and the TCP state or "look again" a
 * sentence names.
 */
final class DocumentOutline {

    static final int MAX_CHARS = 1_000_000;
    static final int MAX_SOURCE_TEXT = 2000;
    static final int MAX_TITLE = 200;

    static final Set<String> REPEAT_WORDS = Set.of("again", "until", "till");
    static final List<String> REPEAT_CJK = List.of("反复", "直到", "等待", "再次", "多次", "重复");

    /** {@link #fence} of a prose line. */
    static final int PROSE = -1;
    /** {@link #fence} of a line that opens or closes a fence. */
    static final int DELIMITER = -2;

    /** List markers and ordinals: 1. 1) 1、 (1) - * + 一、 第一步 步骤一 (anchored, no nested quantifiers). */
    static final Pattern MARKER = Pattern.compile("[-*+•][ \\t]|\\d{1,3}[.)、:：]|[(（]\\d{1,3}[)）]"
            + "|[一二三四五六七八九十]{1,3}[、.．:：]|第[一二三四五六七八九十0-9]{1,3}[步条点项][、.．:：,，]?"
            + "|步骤[ ]?[一二三四五六七八九十0-9]{1,3}[、.．:：,，]?");

    /** The document's lines as it had them, and the same with HTML comments in prose blanked (columns kept). */
    final String[] original;
    final String[] text;
    /** Per line: the index of the fence it is inside, or {@link #PROSE} or {@link #DELIMITER}. */
    final int[] fence;
    final int n;
    /** Per fence: its language (lower case, "" when none) and the last prose line before it (-1 when none). */
    final List<String> fenceLang = new ArrayList<>();
    final List<Integer> fenceIntro = new ArrayList<>();

    private DocumentOutline(String[] lines) {
        original = lines;
        n = lines.length;
        text = new String[n];
        fence = new int[n];
        structure();
    }

    /** @throws InvalidInput on field "text" when the document is empty, too large or binary */
    static DocumentOutline of(String document) {
        return new DocumentOutline(normalize(document).split("\n", -1));
    }

    /** Marks fences and blanks HTML comments out of prose (keeping columns), so they hold no commands. */
    private void structure() {
        boolean inComment = false;
        int open = -1;
        String closing = null;
        int lastProse = -1;
        for (int i = 0; i < n; i++) {
            String s = original[i].stripLeading();
            if (open >= 0) {
                int run = fenceRun(s);
                boolean closes = run >= closing.length() && s.charAt(0) == closing.charAt(0)
                        && s.substring(run).isBlank();
                fence[i] = closes ? DELIMITER : open;
                text[i] = original[i];
                open = closes ? -1 : open;
                continue;
            }
            int run = fenceRun(s);
            if (!inComment && run >= 3) {
                open = fenceLang.size();
                closing = s.substring(0, run);
                String info = s.substring(run).strip();
                fenceLang.add(info.split("[\\s{]", 2)[0].toLowerCase(Locale.ROOT));
                fenceIntro.add(lastProse);
                fence[i] = DELIMITER;
                text[i] = "";
                continue;
            }
            fence[i] = PROSE;
            StringBuilder b = new StringBuilder(original[i]);
            inComment = blankComments(b, inComment);
            text[i] = b.toString();
            lastProse = text[i].isBlank() ? lastProse : i;
        }
    }

    String title(String given) {
        String t = given == null ? "" : oneLine(given);
        if (!t.isEmpty()) {
            return t;
        }
        String firstProse = null;
        for (int i = 0; i < n; i++) {
            String s = fence[i] == PROSE ? text[i].strip() : "";
            int hashes = 0;
            while (hashes < s.length() && s.charAt(hashes) == '#') {
                hashes++;
            }
            if (hashes >= 1 && hashes <= 6 && hashes < s.length() && s.charAt(hashes) == ' ') {
                String h = oneLine(s.substring(hashes).replaceAll("[ \\t]#+$", ""));
                if (!h.isEmpty()) {
                    return h;
                }
            }
            firstProse = firstProse == null && !s.isEmpty() ? s : firstProse;
        }
        return firstProse == null ? "Imported document" : oneLine(firstProse);
    }

    /** The lines as the document had them, built from capped pieces: a huge line costs no more than a short one. */
    String sourceText(int from, int to) {
        StringBuilder b = new StringBuilder();
        for (int k = from; k <= to && b.length() <= MAX_SOURCE_TEXT; k++) {
            int upTo = Math.min(original[k].length(), MAX_SOURCE_TEXT + 1);
            b.append(k == from ? "" : "\n").append(original[k], 0, upTo);
        }
        return clean(b.toString(), MAX_SOURCE_TEXT);
    }

    /** Refuses what is not a text document; drops a BOM and turns CRLF and CR into LF. */
    static String normalize(String text) {
        if (text == null || text.isBlank()) {
            throw refuse(Text.of("refuse.documentEmpty"));
        }
        if (text.length() > MAX_CHARS) {
            throw refuse(Text.of("refuse.documentLong", text.length(), MAX_CHARS));
        }
        long controls = 0;
        long replacements = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                throw refuse(Text.of("refuse.documentBinary"));
            } else if (c == '\uFFFD') {
                replacements++;
            } else if (Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t' && c != '\f') {
                controls++;
            }
        }
        if (controls * 100 > text.length() || replacements * 100 > text.length()) {
            throw refuse(Text.of("refuse.documentBinary"));
        }
        String t = text.startsWith("\uFEFF") ? text.substring(1) : text;
        return t.replace("\r\n", "\n").replace('\r', '\n');
    }

    private static InvalidInput refuse(Text message) {
        return InvalidInput.of("text", message);
    }

    // ---- reading one line ----

    /** Where the text of a line starts after blockquotes, list markers, ordinals and prompts. */
    static int contentStart(String t) {
        int p = 0;
        Matcher m = MARKER.matcher(t);
        for (int round = 0; round < 6; round++) {
            while (p < t.length() && isSpace(t.charAt(p))) {
                p++;
            }
            if (p < t.length() && t.charAt(p) == '>') {
                p++;
            } else if (m.region(p, t.length()).lookingAt()) {
                p = m.end();
            } else if (t.startsWith("$ ", p) || t.startsWith("# ", p)) {
                p += 2;
            } else {
                break;
            }
        }
        return p;
    }

    /** Inline code spans of one to three backticks: {open, content start, content end, after close}. */
    static List<int[]> codeSpans(String t) {
        List<int[]> out = new ArrayList<>();
        int p = 0;
        while (p < t.length()) {
            int o = t.indexOf('`', p);
            if (o < 0) {
                break;
            }
            int run = 1;
            while (o + run < t.length() && t.charAt(o + run) == '`') {
                run++;
            }
            // x=`cmd` is command substitution, not a code span: it stays in the command text
            boolean opens = run <= 3 && (o == 0 || !(wordChar(t.charAt(o - 1)) || t.charAt(o - 1) == '='));
            int close = opens ? closingRun(t, o + run, run) : -1;
            if (close < 0) {
                p = o + run;
                continue;
            }
            out.add(new int[] {o, o + run, close, close + run});
            p = close + run;
        }
        return out;
    }

    private static int closingRun(String t, int from, int run) {
        int q = from;
        while ((q = t.indexOf('`', q)) >= 0) {
            int r = 1;
            while (q + r < t.length() && t.charAt(q + r) == '`') {
                r++;
            }
            if (r == run) {
                return q;
            }
            q += r;
        }
        return -1;
    }

    /** Blanks {@code <!-- ... -->} in place; returns whether a comment is still open at the end of the line. */
    static boolean blankComments(StringBuilder b, boolean inComment) {
        int p = 0;
        while (p < b.length()) {
            if (inComment) {
                int end = b.indexOf("-->", p);
                int stop = end < 0 ? b.length() : end + 3;
                for (int k = p; k < stop; k++) {
                    b.setCharAt(k, ' ');
                }
                if (end < 0) {
                    return true;
                }
                inComment = false;
                p = stop;
            } else {
                int open = b.indexOf("<!--", p);
                if (open < 0) {
                    return false;
                }
                inComment = true;
                p = open;
            }
        }
        return inComment;
    }

    static int fenceRun(String s) {
        if (s.isEmpty() || s.charAt(0) != '`' && s.charAt(0) != '~') {
            return 0;
        }
        int run = 0;
        while (run < s.length() && s.charAt(run) == s.charAt(0)) {
            run++;
        }
        // a ``` with another backtick on the line is inline code, not a fence
        return s.charAt(0) == '`' && s.indexOf('`', run) >= 0 ? 0 : run;
    }

    /** The last TCP state named in t[from, to): FIN_WAIT1, CLOSE-WAIT, close-wait; not the words listen or closed. */
    static TcpState lastState(String t, int from, int to) {
        TcpState found = null;
        for (String w : words(t, from, to)) {
            boolean named = w.indexOf('_') > 0 || w.indexOf('-') > 0
                    || w.length() >= 4 && w.equals(w.toUpperCase(Locale.ROOT));
            found = named && w.length() <= 12 ? TcpState.parse(w).orElse(found) : found;
        }
        return found;
    }

    static boolean repeatWord(String t) {
        return REPEAT_CJK.stream().anyMatch(t::contains) || words(t, 0, t.length()).stream()
                .map(w -> w.toLowerCase(Locale.ROOT)).anyMatch(w -> REPEAT_WORDS.contains(w) || w.startsWith("repeat")
                        || w.startsWith("wait") || w.startsWith("watch") || w.startsWith("poll"));
    }

    /** The ASCII words in t[from, to) that start at a word boundary: a letter, then letters, digits, '_' or '-'. */
    static List<String> words(String t, int from, int to) {
        List<String> out = new ArrayList<>();
        int p = from;
        while (p < to) {
            if (!isAsciiLetter(t.charAt(p)) || p > 0 && wordChar(t.charAt(p - 1))) {
                p++;
                continue;
            }
            int end = p;
            while (end < to && wordChar(t.charAt(end)) && t.charAt(end) != '.' && t.charAt(end) != '/') {
                end++;
            }
            out.add(t.substring(p, end));
            p = end;
        }
        return out;
    }

    static int wordEnd(String t, int pos, int limit) {
        int p = pos;
        while (p < limit && wordChar(t.charAt(p))) {
            p++;
        }
        return p;
    }

    static boolean wordChar(char c) {
        return c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '/' || c == '-');
    }

    static boolean isAsciiLetter(char c) {
        return c < 128 && Character.isLetter(c);
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\u00A0' || c == '\u3000' || c == '\f';
    }

    static String trimTail(String s) {
        int end = s.length();
        while (end > 0 && " \t(,.:".indexOf(s.charAt(end - 1)) >= 0) {
            end--;
        }
        return s.substring(0, end);
    }

    /** Control characters (but newlines and tabs) become '?'; at most {@code max} characters. */
    static String clean(String s, int max) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), max));
        for (int i = 0; i < s.length() && b.length() < max; i++) {
            char c = s.charAt(i);
            b.append(c != '\n' && c != '\t' && Character.isISOControl(c) ? '?' : c);
        }
        if (s.length() > max) {
            b.setLength(Character.isHighSurrogate(b.charAt(max - 2)) ? max - 2 : max - 1);
            b.append('…');
        }
        return b.toString();
    }

    /** One line of at most MAX_TITLE characters, control characters removed. */
    static String oneLine(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().filter(cp -> !Character.isISOControl(cp)).forEach(b::appendCodePoint);
        String t = b.toString().strip();
        return t.length() <= MAX_TITLE ? t : clean(t, MAX_TITLE);
    }
}
