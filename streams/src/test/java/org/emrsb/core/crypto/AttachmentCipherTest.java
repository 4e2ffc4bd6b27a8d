package org.emrsb.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Deterministic attachment encryption: the golden vector, determinism, round trips and tampering. */
class AttachmentCipherTest {

    // EMRSB's own golden vector. Computed independently of this code with pyca/cryptography 48 (OpenSSL
    // 3.0: HKDF, AESGCM, hashlib.sha256) from the documented layout; pins the layout against silent drift.
    static final String SECRET = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    static final String SUBMISSION_ID = "subm-2024-\u00e9-0001"; // the e-acute pins UTF-8 (c3 a9)
    static final String SUBMISSION_ID_UTF8 = "7375626d2d323032342dc3a92d30303031";
    static final String PLAINTEXT = "EMRSB attachment golden vector: chest X-ray report, 2 pages.\n";
    static final String PLAINTEXT_SHA256 = "e5b6d11cc4279c9dd1d710dd8101ed42418eaced3f90b83a8822bc21f0556a12";
    static final String INFO = "656d7273622d6174746163686d656e742f31007375626d2d323032342dc3a92d30303031";
    static final String KEY = "af5dfe4790b67a10a5dccddc591ea4d73694991bc56be61fc329f72097160f9f";
    static final String NONCE = "e670f20c88ada83f063f0043";
    static final String CIPHERTEXT = "74206e9d7e14d2d3fb676d88c40056bddad558769b4512ee55c16a7d6f0898ee"
            + "9c9f37ee2f619349d2566cbd569780d865c9678a7a7259f0563e974650a4c3f165e3a1008b126fe00ede7d90dd";
    static final String CIPHERTEXT_SHA256 = "dd1cb9d12929dce03fa26b91bc7a0119e6429d798c1d7509f4c10f5e0fca52ad";

    private static final SecureRandom RANDOM = new SecureRandom();

    private static AttachmentSecret secret() {
        return AttachmentSecret.of(Hex.decode(SECRET, "secret"));
    }

    private static byte[] plaintext() {
        return PLAINTEXT.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void goldenVector() {
        EncryptedAttachment a = AttachmentCipher.encrypt(secret(), SUBMISSION_ID, plaintext());

        assertEquals(CIPHERTEXT, Hex.encode(a.ciphertext()));
        assertEquals(CIPHERTEXT_SHA256, Hex.encode(a.ciphertextSha256()));
        assertEquals(NONCE, Hex.encode(a.nonce()));
        assertEquals(KEY, Hex.encode(a.contentKey().bytes()));
        assertEquals(61, a.plaintextSize());
        assertEquals(61 + 16, a.ciphertextSize());
        assertEquals(PLAINTEXT, new String(AttachmentCipher.decrypt(a.contentKey(), a.nonce(), SUBMISSION_ID,
                a.ciphertext()), StandardCharsets.US_ASCII));
    }

    @Test
    void goldenVectorIntermediates() throws Exception {
        byte[] id = AttachmentCipher.submissionIdBytes(SUBMISSION_ID);
        assertEquals(SUBMISSION_ID_UTF8, Hex.encode(id));
        assertEquals(INFO, Hex.encode(AttachmentCipher.info(id)));
        assertEquals(PLAINTEXT_SHA256, Hex.encode(MessageDigest.getInstance("SHA-256").digest(plaintext())));
        assertEquals(KEY + NONCE, Hex.encode(AttachmentCipher.deriveKeyAndNonce(secret(),
                Hex.decode(PLAINTEXT_SHA256, "h"), id)));
        // and by the independent reference HKDF on the JDK's HMAC
        assertEquals(KEY + NONCE, Hex.encode(HkdfTest.referenceHkdf(Hex.decode(SECRET, "s"),
                Hex.decode(PLAINTEXT_SHA256, "h"), Hex.decode(INFO, "i"), 44)));
    }

    @Test
    void sameInputsGiveTheSameCiphertext() {
        byte[] plaintext = new byte[10_000];
        RANDOM.nextBytes(plaintext);
        AttachmentSecret secret = AttachmentSecret.generate(RANDOM);
        EncryptedAttachment first = AttachmentCipher.encrypt(secret, "s-1", plaintext);
        EncryptedAttachment retry = AttachmentCipher.encrypt(AttachmentSecret.of(secret.bytes()), "s-1", plaintext.clone());
        assertArrayEquals(first.ciphertext(), retry.ciphertext());
        assertArrayEquals(first.ciphertextSha256(), retry.ciphertextSha256());
        assertArrayEquals(first.nonce(), retry.nonce());
        assertEquals(first.contentKey(), retry.contentKey());
    }

    @Test
    void anotherSubmissionIdSecretOrPlaintextGivesAnotherKeyNonceAndCiphertext() {
        byte[] plaintext = plaintext();
        EncryptedAttachment base = AttachmentCipher.encrypt(secret(), SUBMISSION_ID, plaintext);
        EncryptedAttachment otherId = AttachmentCipher.encrypt(secret(), SUBMISSION_ID + "x", plaintext);
        EncryptedAttachment otherSecret = AttachmentCipher.encrypt(AttachmentSecret.generate(RANDOM), SUBMISSION_ID, plaintext);
        byte[] changed = plaintext.clone();
        changed[0] ^= 1;
        EncryptedAttachment otherPlaintext = AttachmentCipher.encrypt(secret(), SUBMISSION_ID, changed);

        for (EncryptedAttachment other : new EncryptedAttachment[] {otherId, otherSecret, otherPlaintext}) {
            assertFalse(Arrays.equals(base.ciphertext(), other.ciphertext()));
            assertFalse(Arrays.equals(base.ciphertextSha256(), other.ciphertextSha256()));
            assertFalse(Arrays.equals(base.nonce(), other.nonce()));
            assertFalse(base.contentKey().equals(other.contentKey()));
        }
    }

    @Test
    void theIdIsNotConfusedWithTheLabel() {
        // info = label || 0x00 || id: an id that starts with a NUL does not collide with another split
        EncryptedAttachment a = AttachmentCipher.encrypt(secret(), "\u0000a", plaintext());
        EncryptedAttachment b = AttachmentCipher.encrypt(secret(), "a", plaintext());
        assertFalse(Arrays.equals(a.ciphertext(), b.ciphertext()));
    }

    @Test
    void roundTripsEmptySmallAndLargePlaintexts() {
        AttachmentSecret secret = AttachmentSecret.generate(RANDOM);
        for (int size : new int[] {0, 1, 15, 16, 17, 4096, 1 << 20}) {
            byte[] plaintext = new byte[size];
            RANDOM.nextBytes(plaintext);
            EncryptedAttachment a = AttachmentCipher.encrypt(secret, "submission-" + size, plaintext);
            assertEquals(size, a.plaintextSize());
            assertEquals(size + AttachmentCipher.TAG_SIZE, a.ciphertextSize());
            assertArrayEquals(plaintext, AttachmentCipher.decrypt(a.contentKey(), a.nonce(), "submission-" + size,
                    a.ciphertext()));
        }
    }

    @Test
    void everySingleBitFlipOfTheCiphertextOrTagFails() {
        EncryptedAttachment a = AttachmentCipher.encrypt(secret(), SUBMISSION_ID, plaintext());
        byte[] ciphertext = a.ciphertext();
        for (int bit = 0; bit < ciphertext.length * 8; bit++) {
            byte[] tampered = SignaturesTest.flip(ciphertext, bit);
            assertAuthenticationFails(() -> AttachmentCipher.decrypt(a.contentKey(), a.nonce(), SUBMISSION_ID, tampered));
        }
    }

    @Test
    void truncatedOrExtendedCiphertextFails() {
        EncryptedAttachment a = AttachmentCipher.encrypt(secret(), SUBMISSION_ID, plaintext());
        byte[] ciphertext = a.ciphertext();
        assertAuthenticationFails(() -> AttachmentCipher.decrypt(a.contentKey(), a.nonce(), SUBMISSION_ID,
                Arrays.copyOf(ciphertext, ciphertext.length - 1)));
        assertAuthenticationFails(() -> AttachmentCipher.decrypt(a.contentKey(), a.nonce(), SUBMISSION_ID,
                Arrays.copyOf(ciphertext, ciphertext.length + 1)));
        assertAuthenticationFails(() -> AttachmentCipher.decrypt(a.contentKey(), a.nonce(), SUBMISSION_ID,
                Arrays.copyOfRange(ciphertext, ciphertext.length - 16, ciphertext.length)));
        DecryptionException e = assertThrows(DecryptionException.class, () -> AttachmentCipher.decrypt(a.contentKey(),
                a.nonce(), SUBMISSION_ID, Arrays.copyOf(ciphertext, 15)));
        assertEquals(DecryptionException.Reason.MALFORMED, e.reason());
    }

    @Test
    void wrongSubmissionIdThatIsWrongAadFails() {
        EncryptedAttachment a = AttachmentCipher.encrypt(secret(), SUBMISSION_ID, plaintext());
        assertAuthenticationFails(() -> AttachmentCipher.decrypt(a.contentKey(), a.nonce(), "subm-2024-e-0001", a.ciphertext()));
        assertAuthenticationFails(() -> AttachmentCipher.decrypt(a.contentKey(), a.nonce(), SUBMISSION_ID + " ", a.ciphertext()));
    }

    @Test
    void wrongKeyOrNonceFails() {
        EncryptedAttachment a = AttachmentCipher.encrypt(secret(), SUBMISSION_ID, plaintext());
        for (int bit = 0; bit < 256; bit += 7) {
            ContentKey wrong = ContentKey.of(SignaturesTest.flip(a.contentKey().bytes(), bit));
            assertAuthenticationFails(() -> AttachmentCipher.decrypt(wrong, a.nonce(), SUBMISSION_ID, a.ciphertext()));
        }
        for (int bit = 0; bit < 96; bit++) {
            byte[] wrongNonce = SignaturesTest.flip(a.nonce(), bit);
            assertAuthenticationFails(() -> AttachmentCipher.decrypt(a.contentKey(), wrongNonce, SUBMISSION_ID, a.ciphertext()));
        }
        DecryptionException e = assertThrows(DecryptionException.class, () -> AttachmentCipher.decrypt(a.contentKey(),
                Arrays.copyOf(a.nonce(), 16), SUBMISSION_ID, a.ciphertext()));
        assertEquals(DecryptionException.Reason.MALFORMED, e.reason());
    }

    @Test
    void submissionIdsMustBeNonEmptyValidUnicode() {
        assertThrows(IllegalArgumentException.class, () -> AttachmentCipher.encrypt(secret(), "", plaintext()));
        assertThrows(IllegalArgumentException.class, () -> AttachmentCipher.encrypt(secret(), null, plaintext()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AttachmentCipher.encrypt(secret(), "a\ud800b", plaintext()));
        assertTrue(e.getMessage().contains("surrogate"), e.getMessage());
    }

    @Test
    void toStringShowsNoKey() {
        EncryptedAttachment a = AttachmentCipher.encrypt(secret(), SUBMISSION_ID, plaintext());
        assertFalse(a.toString().contains(KEY));
        assertTrue(a.toString().contains(CIPHERTEXT_SHA256));
        assertEquals("ContentKey[redacted]", a.contentKey().toString());
    }

    @Test
    void returnedArraysAreCopies() {
        EncryptedAttachment a = AttachmentCipher.encrypt(secret(), SUBMISSION_ID, plaintext());
        a.ciphertext()[0] ^= 1;
        a.nonce()[0] ^= 1;
        a.ciphertextSha256()[0] ^= 1;
        a.contentKey().bytes()[0] ^= 1;
        assertEquals(CIPHERTEXT, Hex.encode(a.ciphertext()));
        assertEquals(NONCE, Hex.encode(a.nonce()));
        assertEquals(CIPHERTEXT_SHA256, Hex.encode(a.ciphertextSha256()));
        assertEquals(KEY, Hex.encode(a.contentKey().bytes()));
    }

    static void assertAuthenticationFails(Runnable decryption) {
        DecryptionException e = assertThrows(DecryptionException.class, decryption::run);
        assertEquals(DecryptionException.Reason.AUTHENTICATION_FAILED, e.reason(), e.getMessage());
    }
}
