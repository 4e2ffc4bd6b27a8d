package org.emrsb.core.crypto;

import java.util.Objects;

/**
 * The result of {@link AttachmentCipher#encrypt}: the ciphertext (AES-GCM output, ciphertext || 16-byte
 * tag; what goes to IPFS or inline), its SHA-256, the 12-byte nonce, the plaintext size, and the content
 * key.
 *
 * <p>Public: {@link #ciphertext()}, {@link #ciphertextSha256()}, {@link #nonce()} and
 * {@link #plaintextSize()} travel with the record (the nonce is needed to decrypt and reveals nothing:
 * it is an HKDF output under the gateway's secret). Secret: {@link #contentKey()}, which only travels
 * wrapped ({@link KeyWrap}).
 */
public final class EncryptedAttachment {

    private final byte[] ciphertext;
    private final byte[] ciphertextSha256;
    private final byte[] nonce;
    private final long plaintextSize;
    private final ContentKey contentKey;

    EncryptedAttachment(byte[] ciphertext, byte[] ciphertextSha256, byte[] nonce, long plaintextSize,
            ContentKey contentKey) {
        this.ciphertext = ciphertext;
        this.ciphertextSha256 = ciphertextSha256;
        this.nonce = nonce;
        this.plaintextSize = plaintextSize;
        this.contentKey = Objects.requireNonNull(contentKey);
    }

    /** A copy of the ciphertext: AES-GCM output, {@code plaintextSize + 16} bytes. */
    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    /** The ciphertext's length in bytes, without copying it. */
    public int ciphertextSize() {
        return ciphertext.length;
    }

    /** A copy of SHA-256(ciphertext), 32 bytes: the AAD of every wrapped key for this attachment. */
    public byte[] ciphertextSha256() {
        return ciphertextSha256.clone();
    }

    /** A copy of the 12-byte AES-GCM nonce (public; needed to decrypt). */
    public byte[] nonce() {
        return nonce.clone();
    }

    /** The plaintext's size in bytes. */
    public long plaintextSize() {
        return plaintextSize;
    }

    /** The content key (secret: only ever published wrapped). */
    public ContentKey contentKey() {
        return contentKey;
    }

    /** Sizes and the ciphertext hash; never the key. */
    @Override
    public String toString() {
        return "EncryptedAttachment[plaintextSize=" + plaintextSize + ", ciphertextSize=" + ciphertext.length
                + ", ciphertextSha256=" + Hex.encode(ciphertextSha256) + ", nonce=" + Hex.encode(nonce) + "]";
    }
}
