package org.emrsb.core.crypto;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/** HKDF with HMAC-SHA256 (RFC 5869): extract with {@code salt}, then expand with {@code info}. */
public final class Hkdf {

    /** The most output HKDF-SHA256 can produce: 255 blocks of 32 bytes. */
    public static final int MAX_LENGTH = 255 * 32;

    private Hkdf() {
    }

    /**
     * {@code HKDF-Expand(HKDF-Extract(salt, ikm), info, length)}. An empty salt means 32 zero bytes, as
     * in RFC 5869; an empty info is the empty string.
     *
     * @throws IllegalArgumentException if {@code length} is not in 1..8160
     */
    public static byte[] sha256(byte[] ikm, byte[] salt, byte[] info, int length) {
        if (length < 1 || length > MAX_LENGTH) {
            throw new IllegalArgumentException("HKDF-SHA256 output length must be 1.." + MAX_LENGTH + ", got " + length);
        }
        HKDFBytesGenerator generator = new HKDFBytesGenerator(new SHA256Digest());
        generator.init(new HKDFParameters(ikm, salt, info));
        byte[] okm = new byte[length];
        generator.generateBytes(okm, 0, length);
        return okm;
    }
}
