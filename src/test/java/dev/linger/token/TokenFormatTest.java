package dev.linger.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class TokenFormatTest {

    @Test
    void aNewTokenHasThePrefixRandomPartAndChecksum() {
        String token = TokenFormat.generate();
        assertTrue(token.matches("lgr_[0-9A-Za-z]{38}"), token);
        assertEquals(42, token.length());
        assertTrue(TokenFormat.wellFormed(token));
        assertEquals(token.substring(0, 12), TokenFormat.shown(token));
        assertEquals(TokenFormat.checksum(token.substring(4, 36)), token.substring(36));
    }

    @Test
    void tokensDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertTrue(seen.add(TokenFormat.generate()));
        }
    }

    @Test
    void aTypoOrAWrongChecksumIsRefusedWithoutTheDatabase() {
        String token = TokenFormat.generate();
        char c = token.charAt(10);
        String typo = token.substring(0, 10) + (c == 'a' ? 'b' : 'a') + token.substring(11);
        assertFalse(TokenFormat.wellFormed(typo));
        String checksum = token.substring(0, 41) + (token.charAt(41) == '0' ? '1' : '0');
        assertFalse(TokenFormat.wellFormed(checksum));
        assertFalse(TokenFormat.wellFormed(token.substring(0, 41)));
        assertFalse(TokenFormat.wellFormed(token + "x"));
        assertFalse(TokenFormat.wellFormed("ghp_" + token.substring(4)));
        assertFalse(TokenFormat.wellFormed(token.substring(0, 20) + "-" + token.substring(21)));
        assertFalse(TokenFormat.wellFormed(null));
        assertFalse(TokenFormat.wellFormed(""));
    }

    @Test
    void theChecksumIsSixBase62DigitsOfTheCrc32() {
        // CRC32("123456789") = 0xCBF43926 = 3421780262 = 3*62^5 + 45*62^4 + 34*62^3 + 52*62^2 + 54*62 + 2... checked below
        long value = 0;
        String digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        for (char ch : TokenFormat.checksum("123456789").toCharArray()) {
            value = value * 62 + digits.indexOf(ch);
        }
        assertEquals(0xCBF43926L, value);
        assertNotEquals(TokenFormat.checksum("a"), TokenFormat.checksum("b"));
    }

    @Test
    void onlyTheFirstCharactersAreEverShownAndTheHashIsHex() {
        assertNull(TokenFormat.shown("Basic abc"));
        assertNull(TokenFormat.shown("lgr_ab"));
        assertNull(TokenFormat.shown("lgr_abc\ndefgh"));
        String token = TokenFormat.generate();
        assertTrue(TokenFormat.hash(token).matches("[0-9a-f]{64}"));
    }
}
