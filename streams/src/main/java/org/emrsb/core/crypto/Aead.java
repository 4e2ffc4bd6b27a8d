package org.emrsb.core.crypto;

import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** The JDK's AES-256-GCM and SHA-256 (both use CPU instructions), and strict UTF-8. */
final class Aead {

    static final int KEY_SIZE = 32;
    static final int NONCE_SIZE = 12;
    static final int TAG_SIZE = 16;

    private Aead() {
    }

    /** AES-256-GCM encryption: returns ciphertext || 16-byte tag. */
    static byte[] seal(byte[] key, byte[] nonce, byte[] aad, byte[] plaintext) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_SIZE * 8, nonce));
            cipher.updateAAD(aad);
            return cipher.doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is not available in this JDK", e);
        }
    }

    /**
     * AES-256-GCM decryption of ciphertext || tag.
     *
     * @throws DecryptionException {@code MALFORMED} if shorter than a tag, {@code AUTHENTICATION_FAILED}
     *                             if the tag does not verify
     */
    static byte[] open(byte[] key, byte[] nonce, byte[] aad, byte[] sealed, String what) {
        if (sealed.length < TAG_SIZE) {
            throw new DecryptionException(DecryptionException.Reason.MALFORMED,
                    what + ": " + sealed.length + " bytes is shorter than the " + TAG_SIZE + "-byte GCM tag");
        }
        Cipher cipher;
        try {
            cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_SIZE * 8, nonce));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is not available in this JDK", e);
        }
        cipher.updateAAD(aad);
        try {
            return cipher.doFinal(sealed);
        } catch (AEADBadTagException e) {
            throw new DecryptionException(DecryptionException.Reason.AUTHENTICATION_FAILED,
                    what + ": the AES-GCM tag does not verify (wrong key, or tampered data or associated data)", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM decryption failed unexpectedly", e);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JDK", e);
        }
    }

    /**
     * The UTF-8 bytes of {@code s}, refusing strings that are not valid Unicode (unpaired surrogates),
     * which {@link String#getBytes} would silently replace with '?'.
     */
    static byte[] utf8(String s, String what) {
        try {
            ByteBuffer buffer = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(s));
            byte[] out = new byte[buffer.remaining()];
            buffer.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(what + " is not valid Unicode (unpaired surrogate)", e);
        }
    }
}
