package org.emrsb.core.format;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 from the JDK's SUN provider, named explicitly (CPU SHA instructions; BouncyCastle's digest is 7x slower). */
public final class Sha256 {

    private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256", "SUN");
        } catch (NoSuchAlgorithmException | java.security.NoSuchProviderException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    });

    private Sha256() {
    }

    public static byte[] hash(byte[] data) {
        return DIGEST.get().digest(data);
    }

    /** Lowercase hex of SHA-256(data): the form of transaction ids. */
    public static String hex(byte[] data) {
        return HexFormat.of().formatHex(hash(data));
    }
}
