package dev.linger.runbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.linger.runbook.ShellWords.Token;

/** The shell word splitter alone: quoting, escapes, operators and what it refuses. */
class ShellWordsTest {

    @Test
    void wordsSplitOnBlanksTabsAndNoBreakSpaces() {
        assertEquals(words("sysctl", "-w", "net.ipv4.tcp_fin_timeout=30"),
                ShellWords.split("  sysctl\t-w\u00A0net.ipv4.tcp_fin_timeout=30  "));
        assertEquals(List.of(), ShellWords.split("   "));
    }

    @Test
    void quotesGroupAndAreRemovedAndAdjacentPartsJoin() {
        assertEquals(words("grep", "a b", "c  d"), ShellWords.split("grep 'a b' \"c  d\""));
        assertEquals(words("xabc"), ShellWords.split("x'a'\"b\"c"));
        assertEquals(words("echo", ""), ShellWords.split("echo ''"));
        assertEquals(words("echo", "a|b;c"), ShellWords.split("echo 'a|b;c'"), "operators inside quotes are text");
    }

    @Test
    void aBackslashEscapesOutsideQuotesAndInDoubleQuotesButNotInSingleQuotes() {
        assertEquals(words("echo", "a b"), ShellWords.split("echo a\\ b"));
        assertEquals(words("echo", "a\"b"), ShellWords.split("echo \"a\\\"b\""));
        assertEquals(words("echo", "a\\b"), ShellWords.split("echo 'a\\b'"));
        // unlike sh, a backslash in double quotes escapes any character: "a\b" is ab
        assertEquals(words("echo", "ab"), ShellWords.split("echo \"a\\b\""));
        assertEquals(words("echo", "a\\"), ShellWords.split("echo a\\"), "a trailing backslash stays");
        assertEquals(words("echo", "|"), ShellWords.split("echo \\|"), "an escaped pipe is a word");
    }

    @Test
    void anOpenQuoteIsRefused() {
        assertNull(ShellWords.split("echo 'abc"));
        assertNull(ShellWords.split("echo \"abc"));
        assertNull(ShellWords.split("echo \"abc\\\""), "the escaped quote does not close");
    }

    @Test
    void operatorsAreTokensOfTheirOwnSingleOrDoubled() {
        assertEquals(List.of(w("sysctl"), w("-a"), op("|"), w("grep"), w("tcp")), ShellWords.split("sysctl -a|grep tcp"));
        assertEquals(List.of(w("a"), op("||"), w("b"), op("&&"), w("c"), op(";"), w("d")),
                ShellWords.split("a || b&&c; d"));
        assertEquals(List.of(w("echo"), w("1"), op(">"), w("/proc/sys/x")), ShellWords.split("echo 1 > /proc/sys/x"));
        assertEquals(List.of(w("echo"), w("1"), op(">>"), w("f")), ShellWords.split("echo 1 >>f"));
        assertEquals(List.of(w("a"), op("&"), w("b")), ShellWords.split("a & b"));
    }

    @Test
    void aHeredocIsAnOperatorAndItsWordNotItsBody() {
        assertEquals(List.of(w("cat"), op("<<"), w("EOF")), ShellWords.split("cat <<EOF"));
        assertEquals(List.of(w("cat"), op("<<"), w("EOF"), op(">"), w("/etc/sysctl.d/x.conf")),
                ShellWords.split("cat << 'EOF' > /etc/sysctl.d/x.conf"));
    }

    @Test
    void aHashStartingAWordEndsTheLineButNotInsideAWord() {
        assertEquals(words("ss", "-tn"), ShellWords.split("ss -tn # look at the sockets"));
        assertEquals(words("echo", "a#b"), ShellWords.split("echo a#b"));
        assertEquals(words("echo", "#"), ShellWords.split("echo '#'"));
    }

    @Test
    void aPipelineIsItsCommandsAndAnyOtherOperatorIsNone() {
        List<List<Token>> pipe = ShellWords.pipeline(ShellWords.split("netstat -np | grep 9080 | grep FIN_WAIT1"));
        assertEquals(List.of(words("netstat", "-np"), words("grep", "9080"), words("grep", "FIN_WAIT1")), pipe);
        assertEquals(List.of(words("ss", "-tn")), ShellWords.pipeline(ShellWords.split("ss -tn")));
        assertNull(ShellWords.pipeline(ShellWords.split("ss -tn && reboot")));
        assertNull(ShellWords.pipeline(ShellWords.split("ss -tn > out")));
        assertNull(ShellWords.pipeline(ShellWords.split("ss -tn |")), "an empty command is no pipeline");
        assertNull(ShellWords.pipeline(ShellWords.split("| grep x")));
        assertNull(ShellWords.pipeline(ShellWords.split("a || b")), "|| is an or, not a pipe");
    }

    private static Token w(String text) {
        return new Token(text, false);
    }

    private static Token op(String text) {
        return new Token(text, true);
    }

    private static List<Token> words(String... texts) {
        return java.util.Arrays.stream(texts).map(ShellWordsTest::w).toList();
    }
}
