package org.emrsb.core.crypto;

import java.util.Arrays;

/**
 * An X25519 public key (RFC 7748, the 32-byte little-endian u-coordinate), printed and parsed as
 * {@code x25519:<64 lowercase hex>}.
 *
 * <p>Only canonical encodings are accepted (most significant bit clear and u &lt; 2^255 - 19), so each
 * key has exactly one encoding and equality by bytes is equality of keys. Low-order points are not
 * rejected here (that needs a scalar multiplication); {@link KeyWrap} rejects them when an agreement
 * yields the all-zero shared secret.
 */
public final class X25519PublicKey {

    /** Encoded size in bytes. */
    public static final int SIZE = 32;
    /** The text prefix. */
    public static final String PREFIX = "x25519:";

    private final byte[] bytes;
    private final int hash;

    private X25519PublicKey(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    /**
     * The key with this 32-byte encoding.
     *
     * @throws IllegalArgumentException if it is not 32 bytes or not canonical
     */
    public static X25519PublicKey of(byte[] encoded) {
        if (encoded == null || encoded.length != SIZE) {
            throw new IllegalArgumentException("an X25519 public key is " + SIZE + " bytes, got "
                    + (encoded == null ? "null" : encoded.length));
        }
        byte[] copy = encoded.clone();
        if (!isCanonical(copy)) {
            throw new IllegalArgumentException("not a canonical X25519 public key: " + PREFIX + Hex.encode(copy)
                    + " (the top bit must be clear and u below 2^255 - 19)");
        }
        return new X25519PublicKey(copy);
    }

    /**
     * Parses {@code x25519:<64 lowercase hex>}.
     *
     * @throws IllegalArgumentException on a missing or wrong prefix, uppercase or non-hex characters, a
     *                                  wrong length, or a non-canonical key
     */
    public static X25519PublicKey parse(String text) {
        return of(KeyText.decode(text, PREFIX, "X25519 public key"));
    }

    /** u &lt; p = 2^255 - 19, little-endian; implies the top bit is clear. */
    private static boolean isCanonical(byte[] u) {
        if ((u[31] & 0x80) != 0) {
            return false;
        }
        // u >= p exactly when u = 0x7fff...ff(ed..ff): byte 31 is 0x7f, bytes 30..1 are 0xff, byte 0 >= 0xed.
        if ((u[31] & 0xff) != 0x7f) {
            return true;
        }
        for (int i = 30; i >= 1; i--) {
            if ((u[i] & 0xff) != 0xff) {
                return true;
            }
        }
        return (u[0] & 0xff) < 0xed;
    }

    /** A copy of the 32 encoded bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The 32 encoded bytes, not copied: package-internal callers must not modify them. */
    byte[] rawBytes() {
        return bytes;
    }

    /** {@code x25519:<64 lowercase hex>}. */
    @Override
    public String toString() {
        return PREFIX + Hex.encode(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof X25519PublicKey && Arrays.equals(bytes, ((X25519PublicKey) o).bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
