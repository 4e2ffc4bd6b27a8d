package org.emrsb.core.crypto;

import java.util.Arrays;
import java.util.Objects;

/**
 * A content key wrapped for one recipient (see {@link KeyWrap}): the recipient's X25519 public key
 * (32 bytes), the ephemeral X25519 public key (32 bytes) and the wrapped key (48 bytes: the 32-byte
 * content key encrypted with AES-256-GCM, then the 16-byte tag).
 *
 * <p>Binary form ({@link #toBytes()}, 112 bytes): {@code recipient(32) || ephemeral(32) || wrapped(48)}.
 * Equality is by those bytes.
 */
public record WrappedKey(X25519PublicKey recipient, X25519PublicKey ephemeral, byte[] wrapped) {

    /** Size of {@link #wrapped()}: a 32-byte key plus a 16-byte GCM tag. */
    public static final int WRAPPED_SIZE = ContentKey.SIZE + Aead.TAG_SIZE;
    /** Size of {@link #toBytes()}. */
    public static final int ENCODED_SIZE = 2 * X25519PublicKey.SIZE + WRAPPED_SIZE;

    /** @throws IllegalArgumentException if {@code wrapped} is not 48 bytes */
    public WrappedKey {
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(ephemeral, "ephemeral");
        if (wrapped == null || wrapped.length != WRAPPED_SIZE) {
            throw new IllegalArgumentException("a wrapped key is " + WRAPPED_SIZE + " bytes, got "
                    + (wrapped == null ? "null" : wrapped.length));
        }
        wrapped = wrapped.clone();
    }

    /** A copy of the 48 wrapped bytes. */
    @Override
    public byte[] wrapped() {
        return wrapped.clone();
    }

    byte[] rawWrapped() {
        return wrapped;
    }

    /** {@code recipient(32) || ephemeral(32) || wrapped(48)}, 112 bytes. */
    public byte[] toBytes() {
        byte[] out = new byte[ENCODED_SIZE];
        System.arraycopy(recipient.rawBytes(), 0, out, 0, 32);
        System.arraycopy(ephemeral.rawBytes(), 0, out, 32, 32);
        System.arraycopy(wrapped, 0, out, 64, WRAPPED_SIZE);
        return out;
    }

    /**
     * Parses the 112-byte form of {@link #toBytes()}.
     *
     * @throws IllegalArgumentException if it is not 112 bytes or a public key is not canonical
     */
    public static WrappedKey fromBytes(byte[] encoded) {
        if (encoded == null || encoded.length != ENCODED_SIZE) {
            throw new IllegalArgumentException("an encoded wrapped key is " + ENCODED_SIZE + " bytes, got "
                    + (encoded == null ? "null" : encoded.length));
        }
        return new WrappedKey(
                X25519PublicKey.of(Arrays.copyOfRange(encoded, 0, 32)),
                X25519PublicKey.of(Arrays.copyOfRange(encoded, 32, 64)),
                Arrays.copyOfRange(encoded, 64, ENCODED_SIZE));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WrappedKey other && recipient.equals(other.recipient)
                && ephemeral.equals(other.ephemeral) && Arrays.equals(wrapped, other.wrapped);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * recipient.hashCode() + ephemeral.hashCode()) + Arrays.hashCode(wrapped);
    }

    @Override
    public String toString() {
        return "WrappedKey[recipient=" + recipient + ", ephemeral=" + ephemeral + ", wrapped=" + Hex.encode(wrapped) + "]";
    }
}
