package org.emrsb.core.crypto;

import java.util.Arrays;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 public key (RFC 8032, 32 bytes), printed and parsed as {@code ed25519:<64 lowercase hex>}.
 *
 * <p>Construction fully validates the encoding (RFC 8032 section 5.1.3 decoding, canonical y, a point
 * on the curve, and in the prime-order subgroup: so no small-order or mixed-order keys, which honest key
 * generation never produces) and keeps the decoded point, so that {@link Signatures#verify} does not
 * decode it again for every record. That validation costs about one scalar multiplication: build a
 * {@code VerifyingKey} once per member and keep it, do not re-parse it per record. Equality is by the
 * 32 encoded bytes.
 */
public final class VerifyingKey {

    /** Encoded size in bytes. */
    public static final int SIZE = 32;
    /** The text prefix. */
    public static final String PREFIX = "ed25519:";

    private final byte[] bytes;
    final Ed25519.PublicPoint point;
    private final int hash;

    private VerifyingKey(byte[] bytes, Ed25519.PublicPoint point) {
        this.bytes = bytes;
        this.point = point;
        this.hash = Arrays.hashCode(bytes);
    }

    /**
     * The key with this 32-byte encoding.
     *
     * @throws IllegalArgumentException if it is not 32 bytes, or not a valid Ed25519 public key
     *                                  (non-canonical, not on the curve, or not in the prime-order subgroup)
     */
    public static VerifyingKey of(byte[] encoded) {
        if (encoded == null || encoded.length != SIZE) {
            throw new IllegalArgumentException("an Ed25519 public key is " + SIZE + " bytes, got "
                    + (encoded == null ? "null" : encoded.length));
        }
        byte[] copy = encoded.clone();
        Ed25519.PublicPoint point = Ed25519.validatePublicKeyFullExport(copy, 0);
        if (point == null) {
            throw new IllegalArgumentException("not a valid Ed25519 public key: " + PREFIX + Hex.encode(copy)
                    + " (non-canonical encoding, not on the curve, or not in the prime-order subgroup)");
        }
        return new VerifyingKey(copy, point);
    }

    /**
     * Parses {@code ed25519:<64 lowercase hex>}.
     *
     * @throws IllegalArgumentException on a missing or wrong prefix, uppercase or non-hex characters, a
     *                                  wrong length, or an invalid key
     */
    public static VerifyingKey parse(String text) {
        return of(KeyText.decode(text, PREFIX, "Ed25519 public key"));
    }

    /** A copy of the 32 encoded bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The 32 encoded bytes, not copied: package-internal callers must not modify them. */
    byte[] rawBytes() {
        return bytes;
    }

    /** {@code ed25519:<64 lowercase hex>}. */
    @Override
    public String toString() {
        return PREFIX + Hex.encode(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VerifyingKey && Arrays.equals(bytes, ((VerifyingKey) o).bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
