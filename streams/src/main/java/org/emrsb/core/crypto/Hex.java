package org.emrsb.core.crypto;

/**
 * Lowercase hexadecimal, the only text form of bytes in the ledger formats. Decoding is strict: only
 * {@code 0-9a-f}, an even number of characters, and (where given) exactly the expected length.
 */
public final class Hex {

    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex() {
    }

    /** The lowercase hex of {@code bytes}, two characters per byte. */
    public static String encode(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            out[2 * i] = DIGITS[b >>> 4];
            out[2 * i + 1] = DIGITS[b & 0x0f];
        }
        return new String(out);
    }

    /**
     * Decodes lowercase hex of any even length.
     *
     * @throws IllegalArgumentException on an odd length or any character outside {@code 0-9a-f}
     *                                  (uppercase included), naming {@code what}
     */
    public static byte[] decode(String hex, String what) {
        if (hex == null) {
            throw new IllegalArgumentException(what + ": missing (null)");
        }
        if ((hex.length() & 1) != 0) {
            throw new IllegalArgumentException(what + ": odd number of hex characters (" + hex.length() + ")");
        }
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = digit(hex, 2 * i, what);
            int lo = digit(hex, 2 * i + 1, what);
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }

    /**
     * Decodes exactly {@code length} bytes of lowercase hex ({@code 2 * length} characters).
     *
     * @throws IllegalArgumentException on a wrong length or a character outside {@code 0-9a-f}, naming
     *                                  {@code what}
     */
    public static byte[] decode(String hex, int length, String what) {
        if (hex == null) {
            throw new IllegalArgumentException(what + ": missing (null)");
        }
        if (hex.length() != 2 * length) {
            throw new IllegalArgumentException(what + ": expected " + (2 * length)
                    + " lowercase hex characters (" + length + " bytes), got " + hex.length() + " characters");
        }
        return decode(hex, what);
    }

    private static int digit(String hex, int index, String what) {
        char c = hex.charAt(index);
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            throw new IllegalArgumentException(what + ": uppercase hex character at index " + index
                    + " (only lowercase hex is accepted)");
        }
        throw new IllegalArgumentException(what + ": not a hex character at index " + index
                + (c >= 0x20 && c < 0x7f ? " ('" + c + "')" : String.format(" (U+%04X)", (int) c)));
    }
}
