package dev.linger.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.zip.CRC32;

/**
 * What an API token looks like: {@code lgr_} + 32 random base62 characters (about 190 bits) + the CRC32 of those
 * 32, as 6 base62 characters. The fixed prefix lets secret scanners find leaked tokens; the checksum lets them (and
 * Linger) tell a real-looking token from a typo without a database read. Only the SHA-256 of the whole token is
 * stored.
 */
public final class TokenFormat {

    public static final String PREFIX = "lgr_";
    static final int RANDOM_LENGTH = 32;
    static final int CHECKSUM_LENGTH = 6;
    public static final int LENGTH = PREFIX.length() + RANDOM_LENGTH + CHECKSUM_LENGTH;
    /** The part of a token shown in lists: lgr_ and 8 random characters. */
    static final int SHOWN_LENGTH = PREFIX.length() + 8;
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();

    private TokenFormat() {
    }

    /** A new token, never seen before. */
    public static String generate() {
        StringBuilder random = new StringBuilder(RANDOM_LENGTH);
        for (int i = 0; i < RANDOM_LENGTH; i++) {
            random.append(BASE62.charAt(RANDOM.nextInt(BASE62.length())));
        }
        return PREFIX + random + checksum(random.toString());
    }

    /** Whether the text has the form of a token and its checksum fits. */
    public static boolean wellFormed(String token) {
        if (token == null || token.length() != LENGTH || !token.startsWith(PREFIX)) {
            return false;
        }
        for (int i = PREFIX.length(); i < LENGTH; i++) {
            if (BASE62.indexOf(token.charAt(i)) < 0) {
                return false;
            }
        }
        String random = token.substring(PREFIX.length(), PREFIX.length() + RANDOM_LENGTH);
        return token.endsWith(checksum(random));
    }

    /** The first characters, which lists and the audit log show; nothing for a text that is not a token. */
    public static String shown(String token) {
        if (token == null || token.length() < SHOWN_LENGTH || !token.startsWith(PREFIX)) {
            return null;
        }
        String shown = token.substring(0, SHOWN_LENGTH);
        for (int i = PREFIX.length(); i < SHOWN_LENGTH; i++) {
            if (BASE62.indexOf(shown.charAt(i)) < 0) {
                return null;
            }
        }
        return shown;
    }

    /** CRC32 of the random part, as 6 base62 digits (62^6 > 2^32), most significant first. */
    static String checksum(String random) {
        CRC32 crc = new CRC32();
        crc.update(random.getBytes(StandardCharsets.US_ASCII));
        long value = crc.getValue();
        char[] out = new char[CHECKSUM_LENGTH];
        for (int i = CHECKSUM_LENGTH - 1; i >= 0; i--) {
            out[i] = BASE62.charAt((int) (value % 62));
            value /= 62;
        }
        return new String(out);
    }

    /** SHA-256 of the whole token, in hex: what the database keeps. */
    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
