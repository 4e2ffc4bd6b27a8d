package org.emrsb.core.bitcoin;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Bitcoin's Base58Check: a version byte, the payload, and the first four bytes of
 * {@link DoubleSha256} of both, in Base58 with the alphabet of Bitcoin Core's {@code base58.cpp}
 * (no 0, O, I, l), each leading zero byte written as {@code 1}. Addresses and WIF keys use it.
 */
public final class Base58Check {

    private static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static final BigInteger BASE = BigInteger.valueOf(58);
    /** Longer text is never an address or key; bounds the work on hostile input. */
    private static final int MAX_TEXT = 128;

    private Base58Check() {
    }

    /** Base58Check of {@code version ‖ payload}. */
    public static String encode(int version, byte[] payload) {
        if (version < 0 || version > 0xff) {
            throw new IllegalArgumentException("a version byte is 0..255, was " + version);
        }
        byte[] data = new byte[1 + payload.length + 4];
        data[0] = (byte) version;
        System.arraycopy(payload, 0, data, 1, payload.length);
        byte[] check = DoubleSha256.hash(Arrays.copyOf(data, 1 + payload.length));
        System.arraycopy(check, 0, data, 1 + payload.length, 4);
        return base58(data);
    }

    /**
     * Decodes Base58Check text into {@code version ‖ payload} (the checksum verified and removed).
     *
     * @throws IllegalArgumentException on a character outside the alphabet, a wrong checksum, or text
     *                                  too short to hold a version byte and a checksum; {@code what}
     *                                  names the value in the message
     */
    public static byte[] decode(String text, String what) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException(what + ": empty");
        }
        if (text.length() > MAX_TEXT) {
            throw new IllegalArgumentException(what + ": " + text.length() + " characters is too long for Base58Check");
        }
        BigInteger value = BigInteger.ZERO;
        int leadingZeros = 0;
        boolean leading = true;
        for (int i = 0; i < text.length(); i++) {
            int digit = ALPHABET.indexOf(text.charAt(i));
            if (digit < 0) {
                throw new IllegalArgumentException(what + ": character '" + text.charAt(i) + "' at position " + i
                        + " is not Base58");
            }
            if (leading && digit == 0) {
                leadingZeros++;
            } else {
                leading = false;
            }
            value = value.multiply(BASE).add(BigInteger.valueOf(digit));
        }
        byte[] magnitude = value.signum() == 0 ? new byte[0] : value.toByteArray();
        int skip = magnitude.length > 0 && magnitude[0] == 0 ? 1 : 0;
        byte[] data = new byte[leadingZeros + magnitude.length - skip];
        System.arraycopy(magnitude, skip, data, leadingZeros, magnitude.length - skip);
        if (data.length < 5) {
            throw new IllegalArgumentException(what + ": too short for Base58Check (" + data.length + " bytes)");
        }
        byte[] body = Arrays.copyOf(data, data.length - 4);
        byte[] check = Arrays.copyOf(DoubleSha256.hash(body), 4);
        if (!MessageDigest.isEqual(check, Arrays.copyOfRange(data, data.length - 4, data.length))) {
            throw new IllegalArgumentException(what + ": wrong Base58Check checksum (a mistyped character?)");
        }
        return body;
    }

    private static String base58(byte[] data) {
        StringBuilder out = new StringBuilder();
        BigInteger value = new BigInteger(1, data);
        while (value.signum() > 0) {
            BigInteger[] qr = value.divideAndRemainder(BASE);
            out.append(ALPHABET.charAt(qr[1].intValue()));
            value = qr[0];
        }
        for (int i = 0; i < data.length && data[i] == 0; i++) {
            out.append('1');
        }
        return out.reverse().toString();
    }
}
