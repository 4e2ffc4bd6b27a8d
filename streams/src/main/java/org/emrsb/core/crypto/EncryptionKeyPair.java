package org.emrsb.core.crypto;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Objects;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * An X25519 key pair: the 32-byte private scalar (RFC 7748; clamped when used, stored as given) and its
 * public key. {@link #toString()} shows only the public key. Equality is by the private bytes
 * (compared in constant time).
 */
public final class EncryptionKeyPair {

    /** Private key size in bytes. */
    public static final int PRIVATE_SIZE = 32;

    private final byte[] privateKey;
    private final X25519PublicKey publicKey;

    private EncryptionKeyPair(byte[] privateKey) {
        this.privateKey = privateKey;
        byte[] pub = new byte[X25519PublicKey.SIZE];
        X25519.generatePublicKey(privateKey, 0, pub, 0);
        this.publicKey = X25519PublicKey.of(pub);
    }

    /**
     * The pair with this 32-byte private key (any 32 bytes; RFC 7748 clamping is applied when used).
     *
     * @throws IllegalArgumentException if it is not 32 bytes
     */
    public static EncryptionKeyPair fromPrivate(byte[] privateKey) {
        if (privateKey == null || privateKey.length != PRIVATE_SIZE) {
            throw new IllegalArgumentException("an X25519 private key is " + PRIVATE_SIZE + " bytes, got "
                    + (privateKey == null ? "null" : privateKey.length));
        }
        return new EncryptionKeyPair(privateKey.clone());
    }

    /** A fresh pair from {@code random}; the private key is stored already clamped. */
    public static EncryptionKeyPair generate(SecureRandom random) {
        byte[] k = new byte[PRIVATE_SIZE];
        X25519.generatePrivateKey(Objects.requireNonNull(random, "random"), k);
        return new EncryptionKeyPair(k);
    }

    /** The public key. */
    public X25519PublicKey publicKey() {
        return publicKey;
    }

    /** A copy of the 32-byte private key: secret, handle with care. */
    public byte[] privateKey() {
        return privateKey.clone();
    }

    /**
     * X25519(this private key, {@code peer}) into a fresh 32-byte array.
     *
     * @return the shared secret, or {@code null} if it is all zero (the peer key has low order)
     */
    byte[] agree(X25519PublicKey peer) {
        byte[] shared = new byte[X25519.POINT_SIZE];
        return X25519.calculateAgreement(privateKey, 0, peer.rawBytes(), 0, shared, 0) ? shared : null;
    }

    /** {@code EncryptionKeyPair[x25519:<public hex>]}; never the private key. */
    @Override
    public String toString() {
        return "EncryptionKeyPair[" + publicKey + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncryptionKeyPair && MessageDigest.isEqual(privateKey, ((EncryptionKeyPair) o).privateKey);
    }

    @Override
    public int hashCode() {
        return publicKey.hashCode();
    }
}
