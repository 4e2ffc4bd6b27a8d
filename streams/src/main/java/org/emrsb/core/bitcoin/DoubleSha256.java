package org.emrsb.core.bitcoin;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.util.Objects;

/**
 * Bitcoin's hash: {@code SHA-256(SHA-256(data))}, in internal byte order. The digest comes from the
 * JDK's "SUN" provider by name, so a registered BouncyCastle provider can never take over (as in
 * {@link org.emrsb.core.format.Sha256}).
 */
public final class DoubleSha256 {

    /** Length in bytes of a hash. */
    public static final int LENGTH = 32;

    private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256", "SUN");
        } catch (NoSuchAlgorithmException | NoSuchProviderException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    });

    private DoubleSha256() {
    }

    /** {@code SHA-256(SHA-256(data))}. */
    public static byte[] hash(byte[] data) {
        Objects.requireNonNull(data, "data");
        MessageDigest md = DIGEST.get();
        return md.digest(md.digest(data));
    }

    /** {@code SHA-256(SHA-256(left || right))}: an inner node of Bitcoin's Merkle tree. */
    public static byte[] hashPair(byte[] left, byte[] right) {
        Objects.requireNonNull(left, "left");
        Objects.requireNonNull(right, "right");
        MessageDigest md = DIGEST.get();
        md.update(left);
        md.update(right);
        return md.digest(md.digest());
    }

    /** A reversed copy: internal byte order to the display order of RPC and explorers, or back. */
    public static byte[] reverse(byte[] hash) {
        byte[] out = new byte[hash.length];
        for (int i = 0; i < hash.length; i++) {
            out[i] = hash[hash.length - 1 - i];
        }
        return out;
    }
}
