package org.emrsb.core.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Wraps an attachment's content key for each recipient (the submitter and the counterparty) with
 * ephemeral-static X25519, HKDF-SHA256 and AES-256-GCM:
 *
 * <pre>
 * (e, E)   = a fresh X25519 key pair per recipient            (E = X25519(e, 9))
 * shared   = X25519(e, R)                                      (R = recipient public key; all-zero is refused)
 * okm      = HKDF-SHA256(IKM = shared, salt = E || R, info = ASCII("emrsb-wrap/1"), L = 44)
 * wkey     = okm[0..32)      wnonce = okm[32..44)
 * wrapped  = AES-256-GCM-Encrypt(wkey, wnonce, AAD = SHA-256(attachment ciphertext), content key)  (48 bytes)
 * </pre>
 *
 * The AAD binds a wrapped key to one attachment: it cannot be moved to another attachment's record.
 * The recipient recomputes {@code shared = X25519(r, E)} with its private key {@code r}.
 */
public final class KeyWrap {

    /** The HKDF info. */
    public static final String INFO = "emrsb-wrap/1";

    private static final byte[] INFO_BYTES = INFO.getBytes(StandardCharsets.US_ASCII);

    private KeyWrap() {
    }

    /**
     * Wraps {@code key} for {@code recipient} with a fresh ephemeral key from {@code random}.
     *
     * @param ciphertextSha256 SHA-256 of the attachment's ciphertext, 32 bytes
     * @throws IllegalArgumentException if {@code ciphertextSha256} is not 32 bytes or the recipient key
     *                                  has low order
     */
    public static WrappedKey wrap(ContentKey key, byte[] ciphertextSha256, X25519PublicKey recipient,
            SecureRandom random) {
        Objects.requireNonNull(random, "random");
        return wrap(key, ciphertextSha256, recipient, EncryptionKeyPair.generate(random));
    }

    /** {@link #wrap(ContentKey, byte[], X25519PublicKey, SecureRandom)} for each recipient, in order. */
    public static List<WrappedKey> wrap(ContentKey key, byte[] ciphertextSha256, List<X25519PublicKey> recipients,
            SecureRandom random) {
        List<WrappedKey> out = new ArrayList<>(recipients.size());
        for (X25519PublicKey recipient : recipients) {
            out.add(wrap(key, ciphertextSha256, recipient, random));
        }
        return List.copyOf(out);
    }

    /** Wraps with a given ephemeral key pair; only for golden vectors (a real ephemeral key is never reused). */
    static WrappedKey wrap(ContentKey key, byte[] ciphertextSha256, X25519PublicKey recipient,
            EncryptionKeyPair ephemeral) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(recipient, "recipient");
        checkHash(ciphertextSha256);
        byte[] shared = ephemeral.agree(recipient);
        if (shared == null) {
            throw new IllegalArgumentException("recipient key " + recipient
                    + " has low order (the X25519 shared secret is all zero)");
        }
        byte[] okm = deriveWrappingKeyAndNonce(shared, ephemeral.publicKey(), recipient);
        byte[] wrapped = Aead.seal(Arrays.copyOfRange(okm, 0, 32), Arrays.copyOfRange(okm, 32, 44),
                ciphertextSha256, key.rawBytes());
        Arrays.fill(shared, (byte) 0);
        Arrays.fill(okm, (byte) 0);
        return new WrappedKey(recipient, ephemeral.publicKey(), wrapped);
    }

    /**
     * Unwraps a content key with the recipient's key pair.
     *
     * @param ciphertextSha256 SHA-256 of the attachment's ciphertext, 32 bytes
     * @throws DecryptionException      {@code WRONG_RECIPIENT} if it was wrapped for another key,
     *                                  {@code LOW_ORDER_KEY} if the ephemeral key has low order,
     *                                  {@code AUTHENTICATION_FAILED} if the tag does not verify (tampered
     *                                  wrapped bytes or ephemeral key, or another attachment's hash)
     * @throws IllegalArgumentException if {@code ciphertextSha256} is not 32 bytes
     */
    public static ContentKey unwrap(WrappedKey wrappedKey, EncryptionKeyPair recipient, byte[] ciphertextSha256) {
        Objects.requireNonNull(wrappedKey, "wrappedKey");
        Objects.requireNonNull(recipient, "recipient");
        checkHash(ciphertextSha256);
        if (!MessageDigest.isEqual(wrappedKey.recipient().rawBytes(), recipient.publicKey().rawBytes())) {
            throw new DecryptionException(DecryptionException.Reason.WRONG_RECIPIENT, "the key is wrapped for "
                    + wrappedKey.recipient() + ", not for " + recipient.publicKey());
        }
        byte[] shared = recipient.agree(wrappedKey.ephemeral());
        if (shared == null) {
            throw new DecryptionException(DecryptionException.Reason.LOW_ORDER_KEY, "ephemeral key "
                    + wrappedKey.ephemeral() + " has low order (the X25519 shared secret is all zero)");
        }
        byte[] okm = deriveWrappingKeyAndNonce(shared, wrappedKey.ephemeral(), wrappedKey.recipient());
        try {
            byte[] key = Aead.open(Arrays.copyOfRange(okm, 0, 32), Arrays.copyOfRange(okm, 32, 44),
                    ciphertextSha256, wrappedKey.rawWrapped(), "wrapped key for " + wrappedKey.recipient());
            return ContentKey.wrapOwned(key);
        } finally {
            Arrays.fill(shared, (byte) 0);
            Arrays.fill(okm, (byte) 0);
        }
    }

    /** HKDF-SHA256(IKM = shared, salt = ephemeral || recipient, info = "emrsb-wrap/1") -> 44 bytes. */
    static byte[] deriveWrappingKeyAndNonce(byte[] shared, X25519PublicKey ephemeral, X25519PublicKey recipient) {
        byte[] salt = new byte[64];
        System.arraycopy(ephemeral.rawBytes(), 0, salt, 0, 32);
        System.arraycopy(recipient.rawBytes(), 0, salt, 32, 32);
        return Hkdf.sha256(shared, salt, INFO_BYTES, 44);
    }

    private static void checkHash(byte[] ciphertextSha256) {
        if (ciphertextSha256 == null || ciphertextSha256.length != 32) {
            throw new IllegalArgumentException("the ciphertext's SHA-256 is 32 bytes, got "
                    + (ciphertextSha256 == null ? "null" : ciphertextSha256.length));
        }
    }
}
