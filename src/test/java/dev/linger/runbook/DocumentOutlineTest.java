package dev.linger.runbook;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.linger.InvalidInput;
import dev.linger.i18n.Text;

/** A document's structure alone: lines, fences, comments, title, and the readers of one prose line. */
class DocumentOutlineTest {

    private static final int P = DocumentOutline.PROSE;
    private static final int D = DocumentOutline.DELIMITER;

    @Test
    void linesAreSplitOnLfCrlfAndCrAfterTheBomIsDropped() {
        DocumentOutline doc = DocumentOutline.of("\uFEFFa\r\nb\rc\n");
        assertArrayEquals(new String[] {"a", "b", "c", ""}, doc.original);
        assertEquals(4, doc.n);
    }

    @Test
    void whatIsNotATextDocumentIsRefusedOnTheTextField() {
        assertEquals(Text.of("refuse.documentEmpty"), refusal(" \n\t"));
        assertEquals(Text.of("refuse.documentEmpty"), refusal(null));
        assertEquals(Text.of("refuse.documentBinary"), refusal("abc\u0000def"));
        assertEquals(Text.of("refuse.documentBinary"), refusal("x\u0001".repeat(10)), "more than 1% controls");
        assertEquals(Text.of("refuse.documentLong", DocumentOutline.MAX_CHARS + 1, DocumentOutline.MAX_CHARS),
                refusal("x".repeat(DocumentOutline.MAX_CHARS + 1)));
        assertEquals("x\u0001" + "y".repeat(200), DocumentOutline.of("x\u0001" + "y".repeat(200)).original[0],
                "one control in a long text is kept");
    }

    @Test
    void fencesAreNumberedWithTheirLanguageAndTheProseLineThatIntroducesThem() {
        DocumentOutline doc = DocumentOutline.of(String.join("\n", "Run this:", "", "```Bash {.numberLines}",
                "sysctl -a", "```", "then", "~~~", "x = 1", "~~~"));
        assertArrayEquals(new int[] {P, P, D, 0, D, P, D, 1, D}, doc.fence);
        assertEquals(List.of("bash", ""), doc.fenceLang);
        assertEquals(List.of(0, 5), doc.fenceIntro, "the blank line does not introduce");
        assertEquals("", doc.text[2], "a delimiter holds no text");
        assertEquals("sysctl -a", doc.text[3]);
    }

    @Test
    void aFenceClosesOnlyOnItsOwnCharacterAtLeastAsLongAndAnUnclosedOneRunsToTheEnd() {
        DocumentOutline doc = DocumentOutline.of(String.join("\n", "````", "```", "~~~~", "````  ", "x", "```", "y"));
        assertArrayEquals(new int[] {D, 0, 0, D, P, D, 1}, doc.fence);
        assertEquals(List.of(-1, 4), doc.fenceIntro);
        assertEquals(0, DocumentOutline.fenceRun("```x```"), "a backtick later on the line makes it inline code");
        assertEquals(3, DocumentOutline.fenceRun("~~~x~"));
        assertEquals(0, DocumentOutline.fenceRun("x```"));
    }

    @Test
    void htmlCommentsAreBlankedInProseKeepingColumnsAndHideFences() {
        DocumentOutline doc = DocumentOutline.of(String.join("\n", "a <!-- b --> c", "<!--", "```", "sysctl -a",
                "--> d", "```", "<!-- x --> in fence"));
        assertEquals("a" + " ".repeat(12) + "c", doc.text[0]);
        assertEquals("a <!-- b --> c", doc.original[0], "the original is kept");
        assertArrayEquals(new int[] {P, P, P, P, P, D, 0}, doc.fence, "the ``` inside the comment opens nothing");
        assertTrue(doc.text[3].isBlank());
        assertEquals("    d", doc.text[4]);
        assertEquals("<!-- x --> in fence", doc.text[6], "a fence is code: nothing is blanked there");
    }

    @Test
    void theTitleIsTheGivenOneElseTheFirstHeadingOutsideFencesElseTheFirstProseLine() {
        assertEquals("Mine", DocumentOutline.of("# Theirs").title("  Mine \n"));
        assertEquals("Theirs", DocumentOutline.of("intro\n```\n# not a heading\n```\n## Theirs ##\n").title(null));
        assertEquals("intro", DocumentOutline.of("\n  intro  \n#nospace\n").title(""));
        assertEquals("Imported document", DocumentOutline.of("```\nsysctl -a\n```").title(null));
        assertEquals(DocumentOutline.MAX_TITLE, DocumentOutline.of("y".repeat(500)).title(null).length());
    }

    @Test
    void theSourceTextIsTheOriginalLinesCleanedAndCapped() {
        DocumentOutline doc = DocumentOutline.of("a\u0007 <!-- c -->\nb\n" + "z".repeat(5000));
        assertEquals("a? <!-- c -->\nb", doc.sourceText(0, 1));
        String capped = doc.sourceText(2, 2);
        assertEquals(DocumentOutline.MAX_SOURCE_TEXT, capped.length());
        assertTrue(capped.endsWith("…"));
    }

    @Test
    void contentStartsAfterQuotesListMarkersOrdinalsAndPrompts() {
        assertEquals(7, DocumentOutline.contentStart("  1. $ sysctl -a"));
        assertEquals(4, DocumentOutline.contentStart("> - x"));
        assertEquals(4, DocumentOutline.contentStart("第一步：ss -tn"));
        assertEquals(3, DocumentOutline.contentStart("二、 ss"));
        assertEquals(4, DocumentOutline.contentStart("(1) ss"));
        assertEquals(0, DocumentOutline.contentStart("1234. ss"), "four digits are no ordinal");
        assertEquals(0, DocumentOutline.contentStart("sysctl -a"));
    }

    @Test
    void inlineCodeSpansOfOneToThreeBackticksButNotCommandSubstitution() {
        assertEquals(List.of(List.of(4, 5, 11, 12)), spans("run `ss -tn` now"));
        assertEquals(List.of(List.of(0, 2, 5, 7)), spans("``a`b``"), "a span may hold a shorter run");
        assertEquals(List.of(), spans("x=`cmd` and `abc"));
        assertEquals(List.of(), spans("````a````"), "four backticks open no span");
        assertEquals(List.of(List.of(0, 1, 2, 3), List.of(4, 5, 6, 7)), spans("`a` `b`"));
    }

    @Test
    void theLastTcpStateNamedOnlyCountsNamesThatLookLikeStates() {
        String t = "FIN_WAIT1 first, then close-wait";
        assertEquals(TcpState.CLOSE_WAIT, DocumentOutline.lastState(t, 0, t.length()));
        assertEquals(TcpState.FIN_WAIT1, DocumentOutline.lastState(t, 0, t.indexOf("then")), "only before `to`");
        assertNull(state("the socket is listen or closed"));
        assertEquals(TcpState.TIME_WAIT, state("状态TIME-WAIT很多"));
    }

    @Test
    void aLineAsksToLookAgainInEnglishOrChinese() {
        assertTrue(DocumentOutline.repeatWord("run it again"));
        assertTrue(DocumentOutline.repeatWord("Watching the count"));
        assertTrue(DocumentOutline.repeatWord("poll until zero"));
        assertTrue(DocumentOutline.repeatWord("反复执行"));
        assertFalse(DocumentOutline.repeatWord("run it once"));
        assertFalse(DocumentOutline.repeatWord("swatch"), "only at a word's start");
    }

    @Test
    void cleaningReplacesControlsAndCapsWithAnEllipsis() {
        assertEquals("a?b\tc\nd", DocumentOutline.clean("a\u0007b\tc\nd", 100));
        assertEquals("abc…", DocumentOutline.clean("abcdef", 4));
        assertEquals("ab…", DocumentOutline.clean("ab\uD83D\uDE00xyz", 4), "a surrogate pair is not cut in half");
        assertEquals("ab", DocumentOutline.oneLine(" a\nb\u0007 "));
    }

    private static Text refusal(String text) {
        InvalidInput e = assertThrows(InvalidInput.class, () -> DocumentOutline.of(text));
        assertEquals(List.of("text"), List.copyOf(e.fields().keySet()));
        return e.fields().get("text");
    }

    private static TcpState state(String t) {
        return DocumentOutline.lastState(t, 0, t.length());
    }

    private static List<List<Integer>> spans(String t) {
        return DocumentOutline.codeSpans(t).stream().map(a -> List.of(a[0], a[1], a[2], a[3])).toList();
    }
}
