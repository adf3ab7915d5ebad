package dev.linger.login;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** RFC 6238's own test vectors (SHA-1), the window, replay, and the base32 that apps read. */
class TotpTest {

    private static final byte[] RFC_KEY = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    @Test
    void theRfcTestVectorsForSha1() {
        assertEquals("94287082", Totp.code(RFC_KEY, Totp.stepAt(Instant.ofEpochSecond(59)), 8));
        assertEquals("07081804", Totp.code(RFC_KEY, Totp.stepAt(Instant.ofEpochSecond(1111111109)), 8));
        assertEquals("14050471", Totp.code(RFC_KEY, Totp.stepAt(Instant.ofEpochSecond(1111111111)), 8));
        assertEquals("89005924", Totp.code(RFC_KEY, Totp.stepAt(Instant.ofEpochSecond(1234567890)), 8));
        assertEquals("69279037", Totp.code(RFC_KEY, Totp.stepAt(Instant.ofEpochSecond(2000000000)), 8));
        assertEquals("65353130", Totp.code(RFC_KEY, Totp.stepAt(Instant.ofEpochSecond(20000000000L)), 8));
    }

    @Test
    void aCodeIsGoodWithinOneStepAndOnlyOnce() {
        String secret = Totp.base32(RFC_KEY);
        assertEquals("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", secret);
        assertArrayEquals(RFC_KEY, Totp.fromBase32(secret));
        Instant now = Instant.ofEpochSecond(1234567890);
        long step = Totp.stepAt(now);
        String code = Totp.code(RFC_KEY, step, Totp.DIGITS);
        assertEquals("005924", code);
        assertEquals(step, Totp.verify(secret, code, now, 0));
        assertEquals(step, Totp.verify(secret, "005 924", now.plusSeconds(30), 0), "a step late still counts");
        assertEquals(-1, Totp.verify(secret, code, now.plusSeconds(90), 0), "three steps late does not");
        assertEquals(-1, Totp.verify(secret, code, now, step), "used once, it is spent");
        assertEquals(-1, Totp.verify(secret, "12345", now, 0));
        assertEquals(-1, Totp.verify(secret, "abcdef", now, 0));
        assertEquals(-1, Totp.verify(secret, null, now, 0));
    }

    @Test
    void newSecretsAreTwentyRandomBytesAndTheUriIsWhatAppsScan() {
        String a = Totp.newSecret();
        assertEquals(32, a.length());
        assertTrue(!a.equals(Totp.newSecret()));
        assertEquals("otpauth://totp/Linger:alice%20b?secret=ABC&issuer=Linger&algorithm=SHA1&digits=6&period=30",
                Totp.uri("Linger", "alice b", "ABC"));
    }
}
