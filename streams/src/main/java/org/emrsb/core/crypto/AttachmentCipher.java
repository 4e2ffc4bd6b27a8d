package org.emrsb.core.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Deterministic attachment encryption: AES-256-GCM under a content key and nonce derived from the
 * gateway's secret, the plaintext and the submission id, so a retried submission produces identical
 * ciphertext (and so the same IPFS CID), while the plaintext's hash is never published.
 *
 * <pre>
 * id    = UTF-8(submissionId)                       (non-empty, valid Unicode)
 * salt  = SHA-256(plaintext)                        (32 bytes)
 * info  = ASCII("emrsb-attachment/1") || 0x00 || id
 * okm   = HKDF-SHA256(IKM = attachment secret (32 bytes), salt, info, L = 44)
 * key   = okm[0..32)      nonce = okm[32..44)
 * ciphertext = AES-256-GCM-Encrypt(key, nonce, AAD = id, plaintext)   = C || tag(16)
 * </pre>
 *
 * The same (secret, submission id, plaintext) always gives the same key, nonce and ciphertext; a
 * different plaintext under the same submission id gives a different key and nonce, so no
 * (key, nonce) pair ever encrypts two different plaintexts.
 */
public final class AttachmentCipher {

    /** The HKDF info label (followed by a 0x00 byte and the UTF-8 submission id). */
    public static final String INFO_LABEL = "emrsb-attachment/1";
    /** AES-GCM nonce size in bytes. */
    public static final int NONCE_SIZE = Aead.NONCE_SIZE;
    /** AES-GCM tag size in bytes (ciphertext = plaintext size + this). */
    public static final int TAG_SIZE = Aead.TAG_SIZE;

    private static final byte[] LABEL = INFO_LABEL.getBytes(StandardCharsets.US_ASCII);

    private AttachmentCipher() {
    }

    /**
     * Encrypts {@code plaintext} for submission {@code submissionId}.
     *
     * @throws IllegalArgumentException if the submission id is empty or not valid Unicode
     */
    public static EncryptedAttachment encrypt(AttachmentSecret secret, String submissionId, byte[] plaintext) {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(plaintext, "plaintext");
        byte[] id = submissionIdBytes(submissionId);
        byte[] okm = deriveKeyAndNonce(secret, Aead.sha256(plaintext), id);
        byte[] key = Arrays.copyOfRange(okm, 0, Aead.KEY_SIZE);
        byte[] nonce = Arrays.copyOfRange(okm, Aead.KEY_SIZE, Aead.KEY_SIZE + NONCE_SIZE);
        Arrays.fill(okm, (byte) 0);
        byte[] ciphertext = Aead.seal(key, nonce, id, plaintext);
        return new EncryptedAttachment(ciphertext, Aead.sha256(ciphertext), nonce, plaintext.length,
                ContentKey.wrapOwned(key));
    }

    /**
     * Decrypts an attachment's ciphertext (C || tag) with its content key and nonce.
     *
     * @throws DecryptionException      {@code MALFORMED} if the nonce is not 12 bytes or the ciphertext
     *                                  is shorter than a tag; {@code AUTHENTICATION_FAILED} if the tag does
     *                                  not verify (wrong key, nonce or submission id, or tampered data)
     * @throws IllegalArgumentException if the submission id is empty or not valid Unicode
     */
    public static byte[] decrypt(ContentKey key, byte[] nonce, String submissionId, byte[] ciphertext) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(ciphertext, "ciphertext");
        byte[] id = submissionIdBytes(submissionId);
        if (nonce == null || nonce.length != NONCE_SIZE) {
            throw new DecryptionException(DecryptionException.Reason.MALFORMED, "attachment nonce must be "
                    + NONCE_SIZE + " bytes, got " + (nonce == null ? "null" : nonce.length));
        }
        return Aead.open(key.rawBytes(), nonce, id, ciphertext, "attachment of submission " + submissionId);
    }

    /** HKDF-SHA256(secret, salt = plaintextSha256, info = label || 0x00 || id) -> 44 bytes: key || nonce. */
    static byte[] deriveKeyAndNonce(AttachmentSecret secret, byte[] plaintextSha256, byte[] submissionIdUtf8) {
        return Hkdf.sha256(secret.rawBytes(), plaintextSha256, info(submissionIdUtf8), Aead.KEY_SIZE + NONCE_SIZE);
    }

    static byte[] info(byte[] submissionIdUtf8) {
        byte[] info = new byte[LABEL.length + 1 + submissionIdUtf8.length];
        System.arraycopy(LABEL, 0, info, 0, LABEL.length);
        info[LABEL.length] = 0x00;
        System.arraycopy(submissionIdUtf8, 0, info, LABEL.length + 1, submissionIdUtf8.length);
        return info;
    }

    static byte[] submissionIdBytes(String submissionId) {
        if (submissionId == null || submissionId.isEmpty()) {
            throw new IllegalArgumentException("submission id must be non-empty");
        }
        return Aead.utf8(submissionId, "submission id");
    }
}
