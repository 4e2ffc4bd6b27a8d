package org.emrsb.core.crypto;

/**
 * Decrypting an attachment or unwrapping a content key failed. Unchecked (stages handle it as a
 * rejection of the record, not as a bug), with a {@link Reason} to act on.
 */
public final class DecryptionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why decryption failed. */
    public enum Reason {
        /** The input cannot be what the format says (for example shorter than a GCM tag). */
        MALFORMED,
        /** The key was wrapped for another recipient key than the one given. */
        WRONG_RECIPIENT,
        /** The key agreement gave the all-zero shared secret: the peer's X25519 key has low order. */
        LOW_ORDER_KEY,
        /** The AES-GCM tag did not verify: wrong key, or tampered ciphertext, tag, nonce or associated data. */
        AUTHENTICATION_FAILED
    }

    private final Reason reason;

    DecryptionException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    DecryptionException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    /** Why decryption failed. */
    public Reason reason() {
        return reason;
    }
}
