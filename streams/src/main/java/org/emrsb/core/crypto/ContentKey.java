package org.emrsb.core.crypto;

import java.security.MessageDigest;

/**
 * One attachment's 32-byte AES-256 content key: what {@link KeyWrap} wraps for each recipient. Never
 * printed.
 */
public final class ContentKey {

    /** Size in bytes. */
    public static final int SIZE = 32;

    private final byte[] bytes;

    private ContentKey(byte[] bytes) {
        this.bytes = bytes;
    }

    /** @throws IllegalArgumentException if {@code key} is not 32 bytes */
    public static ContentKey of(byte[] key) {
        if (key == null || key.length != SIZE) {
            throw new IllegalArgumentException("a content key is " + SIZE + " bytes, got "
                    + (key == null ? "null" : key.length));
        }
        return new ContentKey(key.clone());
    }

    /** Takes ownership of {@code key} (already a private copy of the right size). */
    static ContentKey wrapOwned(byte[] key) {
        return new ContentKey(key);
    }

    /** A copy of the key. */
    public byte[] bytes() {
        return bytes.clone();
    }

    byte[] rawBytes() {
        return bytes;
    }

    @Override
    public String toString() {
        return "ContentKey[redacted]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContentKey && MessageDigest.isEqual(bytes, ((ContentKey) o).bytes);
    }

    @Override
    public int hashCode() {
        return 0xc0a7e7; // constant: a hash of key bytes would leak bits of them
    }
}
