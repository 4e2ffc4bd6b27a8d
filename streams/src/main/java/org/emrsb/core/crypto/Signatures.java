package org.emrsb.core.crypto;

import java.util.Objects;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Ed25519 signatures (RFC 8032 section 5.1, pure Ed25519: no context, no prehash), 64 bytes
 * {@code R || S}.
 *
 * <p>Verification is the dominant per-record cost of the ledger, so it goes straight to BouncyCastle's
 * low-level {@link Ed25519} with the public point decoded once per {@link VerifyingKey} (no message
 * copy, no re-decoding of the key). It is strict: S must be below the group order, R must be a
 * canonical point encoding, and keys outside the prime-order subgroup were refused when the
 * {@link VerifyingKey} was made.
 */
public final class Signatures {

    /** Signature size in bytes. */
    public static final int SIZE = 64;

    private Signatures() {
    }

    /**
     * The encoding every signed structure uses on the wire and in stores: its canonical bytes
     * immediately followed by the 64-byte signature over them.
     */
    public static byte[] appended(byte[] body, byte[] signature) {
        Objects.requireNonNull(body, "body");
        if (signature == null || signature.length != SIZE) {
            throw new IllegalArgumentException("a signature is " + SIZE + " bytes");
        }
        byte[] out = java.util.Arrays.copyOf(body, body.length + SIZE);
        System.arraycopy(signature, 0, out, body.length, SIZE);
        return out;
    }

    /** Signs all of {@code message}; returns the 64-byte signature. Deterministic (RFC 8032). */
    public static byte[] sign(SigningKey key, byte[] message) {
        Objects.requireNonNull(message, "message");
        return sign(key, message, 0, message.length);
    }

    /** Signs {@code message[offset, offset + length)}; returns the 64-byte signature. */
    public static byte[] sign(SigningKey key, byte[] message, int offset, int length) {
        Objects.requireNonNull(key, "key");
        Objects.checkFromIndexSize(offset, length, message.length);
        byte[] signature = new byte[SIZE];
        Ed25519.sign(key.rawSeed(), 0, key.verifyingKey().rawBytes(), 0, message, offset, length, signature, 0);
        return signature;
    }

    /**
     * Whether {@code signature} is a valid signature of all of {@code message} by {@code key}. Never
     * throws for a malformed signature: null, a wrong length or a non-canonical encoding is simply
     * {@code false}.
     */
    public static boolean verify(VerifyingKey key, byte[] message, byte[] signature) {
        Objects.requireNonNull(message, "message");
        return verify(key, message, 0, message.length, signature);
    }

    /** As {@link #verify(VerifyingKey, byte[], byte[])} for {@code message[offset, offset + length)}. */
    public static boolean verify(VerifyingKey key, byte[] message, int offset, int length, byte[] signature) {
        Objects.requireNonNull(key, "key");
        Objects.checkFromIndexSize(offset, length, message.length);
        if (signature == null || signature.length != SIZE) {
            return false;
        }
        return Ed25519.verify(signature, 0, key.point, message, offset, length);
    }
}
