package org.emrsb.core.masking;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.emrsb.core.crypto.Hex;

/**
 * Pseudonyms: lowercase hex of HMAC-SHA256(key, UTF-8 of the value), 64 characters. The same key and
 * value give the same pseudonym in every record, process and restart; without the key a pseudonym
 * cannot be linked to its value, even for values as guessable as resident IDs. The value is taken
 * exactly as written (no trimming or case folding).
 */
public final class Pseudonyms {

    private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA256", e);
        }
    });

    private Pseudonyms() {
    }

    /**
     * The pseudonym of {@code subjectValue} under {@code key}.
     *
     * @throws IllegalArgumentException if the key is null or empty
     */
    public static String of(byte[] key, String subjectValue) {
        return Hex.encode(hmac(key, subjectValue.getBytes(StandardCharsets.UTF_8)));
    }

    /** HMAC-SHA256(key, message). */
    static byte[] hmac(byte[] key, byte[] message) {
        if (key == null || key.length == 0) {
            throw new IllegalArgumentException("a pseudonym needs a key");
        }
        Objects.requireNonNull(message, "message");
        Mac mac = MAC.get();
        try {
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (java.security.InvalidKeyException e) {
            throw new IllegalArgumentException("unusable HMAC key", e);
        }
        return mac.doFinal(message);
    }
}
