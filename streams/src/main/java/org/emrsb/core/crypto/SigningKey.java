package org.emrsb.core.crypto;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Objects;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 private key: the 32-byte seed of RFC 8032 section 5.1.5, with its public key derived once.
 * {@link #toString()} shows only the public key. Equality is by the seed (compared in constant time).
 */
public final class SigningKey {

    /** Seed size in bytes. */
    public static final int SEED_SIZE = 32;

    private final byte[] seed;
    private final VerifyingKey verifyingKey;

    private SigningKey(byte[] seed) {
        this.seed = seed;
        byte[] pub = new byte[VerifyingKey.SIZE];
        Ed25519.generatePublicKey(seed, 0, pub, 0);
        this.verifyingKey = VerifyingKey.of(pub);
    }

    /**
     * The key with this 32-byte seed (any 32 bytes are a valid seed).
     *
     * @throws IllegalArgumentException if the seed is not 32 bytes
     */
    public static SigningKey fromSeed(byte[] seed) {
        if (seed == null || seed.length != SEED_SIZE) {
            throw new IllegalArgumentException("an Ed25519 seed is " + SEED_SIZE + " bytes, got "
                    + (seed == null ? "null" : seed.length));
        }
        return new SigningKey(seed.clone());
    }

    /** A fresh key from {@code random}. */
    public static SigningKey generate(SecureRandom random) {
        byte[] seed = new byte[SEED_SIZE];
        Objects.requireNonNull(random, "random").nextBytes(seed);
        return new SigningKey(seed);
    }

    /** The public key. */
    public VerifyingKey verifyingKey() {
        return verifyingKey;
    }

    /** A copy of the 32-byte seed: secret, handle with care. */
    public byte[] seed() {
        return seed.clone();
    }

    /** The seed, not copied: package-internal callers must not modify it. */
    byte[] rawSeed() {
        return seed;
    }

    /** {@code SigningKey[ed25519:<public hex>]}; never the seed. */
    @Override
    public String toString() {
        return "SigningKey[" + verifyingKey + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SigningKey && MessageDigest.isEqual(seed, ((SigningKey) o).seed);
    }

    @Override
    public int hashCode() {
        return verifyingKey.hashCode();
    }
}
