package org.emrsb.core.crypto;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * The gateway's 32-byte attachment secret: the HKDF input keying material from which each attachment's
 * content key and nonce are derived (see {@link AttachmentCipher}). Never printed.
 */
public final class AttachmentSecret {

    /** Size in bytes. */
    public static final int SIZE = 32;

    private final byte[] bytes;

    private AttachmentSecret(byte[] bytes) {
        this.bytes = bytes;
    }

    /** @throws IllegalArgumentException if {@code secret} is not 32 bytes */
    public static AttachmentSecret of(byte[] secret) {
        if (secret == null || secret.length != SIZE) {
            throw new IllegalArgumentException("an attachment secret is " + SIZE + " bytes, got "
                    + (secret == null ? "null" : secret.length));
        }
        return new AttachmentSecret(secret.clone());
    }

    /** A fresh secret from {@code random}. */
    public static AttachmentSecret generate(SecureRandom random) {
        byte[] secret = new byte[SIZE];
        Objects.requireNonNull(random, "random").nextBytes(secret);
        return new AttachmentSecret(secret);
    }

    /** A copy of the secret. */
    public byte[] bytes() {
        return bytes.clone();
    }

    byte[] rawBytes() {
        return bytes;
    }

    @Override
    public String toString() {
        return "AttachmentSecret[redacted]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AttachmentSecret && MessageDigest.isEqual(bytes, ((AttachmentSecret) o).bytes);
    }

    @Override
    public int hashCode() {
        return 0x5ec7e7; // constant: a hash of secret bytes would leak bits of them
    }
}
