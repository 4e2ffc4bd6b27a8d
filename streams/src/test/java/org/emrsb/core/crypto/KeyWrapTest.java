package org.emrsb.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Key wrapping for recipients: the golden vector, round trips, wrong recipients and tampering. */
class KeyWrapTest {

    // EMRSB's own golden vector, computed independently with pyca/cryptography 48 (OpenSSL 3.0: X25519,
    // HKDF, AESGCM) from the documented layout. It wraps the attachment golden vector's content key,
    // with the attachment golden vector's ciphertext SHA-256 as AAD.
    static final String RECIPIENT_PRIVATE = "404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f";
    static final String RECIPIENT_PUBLIC = "79a631eede1bf9c98f12032cdeadd0e7a079398fc786b88cc846ec89af85a51a";
    static final String EPHEMERAL_PRIVATE = "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f";
    static final String EPHEMERAL_PUBLIC = "493e82fc74464a59268817623d2053c5eb8e2cc4a988b4fee179ec6b010d531d";
    static final String SHARED = "dcd77236231add34de0561c47859a65d304f2a8550e8df98df053cf5dfabea0b";
    static final String WRAPPING_KEY_AND_NONCE = "fb8333ec46efd5545507f4e561816853e0a875f030edf8057834daf5cafd10d3"
            + "5ddf75818ac0990b4bd3f8a3";
    static final String WRAPPED = "91756c01cbd0b86039660331a3ed87c9981e30aec91965466c799bdfea1c2ed7"
            + "d83ed005fc966f15f7aa5705bbc14d14";

    private static final SecureRandom RANDOM = new SecureRandom();

    private static final EncryptionKeyPair RECIPIENT = EncryptionKeyPair.fromPrivate(Hex.decode(RECIPIENT_PRIVATE, "r"));
    private static final ContentKey KEY = ContentKey.of(Hex.decode(AttachmentCipherTest.KEY, "k"));
    private static final byte[] HASH = Hex.decode(AttachmentCipherTest.CIPHERTEXT_SHA256, "h");

    @Test
    void goldenVector() {
        EncryptionKeyPair ephemeral = EncryptionKeyPair.fromPrivate(Hex.decode(EPHEMERAL_PRIVATE, "e"));
        assertEquals("x25519:" + RECIPIENT_PUBLIC, RECIPIENT.publicKey().toString());
        assertEquals("x25519:" + EPHEMERAL_PUBLIC, ephemeral.publicKey().toString());
        assertEquals(SHARED, Hex.encode(ephemeral.agree(RECIPIENT.publicKey())));
        assertEquals(SHARED, Hex.encode(RECIPIENT.agree(ephemeral.publicKey())));
        assertEquals(WRAPPING_KEY_AND_NONCE, Hex.encode(KeyWrap.deriveWrappingKeyAndNonce(
                Hex.decode(SHARED, "s"), ephemeral.publicKey(), RECIPIENT.publicKey())));

        WrappedKey wrapped = KeyWrap.wrap(KEY, HASH, RECIPIENT.publicKey(), ephemeral);
        assertEquals(WRAPPED, Hex.encode(wrapped.wrapped()));
        assertEquals(RECIPIENT_PUBLIC + EPHEMERAL_PUBLIC + WRAPPED, Hex.encode(wrapped.toBytes()));
        assertEquals(KEY, KeyWrap.unwrap(wrapped, RECIPIENT, HASH));
    }

    @Test
    void goldenVectorUnwrapsFromItsEncodedForm() {
        WrappedKey wrapped = WrappedKey.fromBytes(Hex.decode(RECIPIENT_PUBLIC + EPHEMERAL_PUBLIC + WRAPPED, "w"));
        assertEquals(AttachmentCipherTest.KEY, Hex.encode(KeyWrap.unwrap(wrapped, RECIPIENT, HASH).bytes()));
    }

    @Test
    void wrapsForTheSubmitterAndTheCounterparty() {
        MemberKeys patient = MemberKeys.generate(Role.PATIENT, RANDOM);
        MemberKeys doctor = MemberKeys.generate(Role.DOCTOR, RANDOM);
        AttachmentSecret gatewaySecret = AttachmentSecret.generate(RANDOM);
        byte[] scan = "DICOM bytes...".repeat(1000).getBytes(StandardCharsets.US_ASCII);

        EncryptedAttachment a = AttachmentCipher.encrypt(gatewaySecret, "sub-77", scan);
        List<WrappedKey> wrapped = KeyWrap.wrap(a.contentKey(), a.ciphertextSha256(),
                List.of(patient.encryptionPublicKey(), doctor.encryptionPublicKey()), RANDOM);

        assertEquals(2, wrapped.size());
        assertEquals(patient.encryptionPublicKey(), wrapped.get(0).recipient());
        assertEquals(doctor.encryptionPublicKey(), wrapped.get(1).recipient());
        assertNotEquals(wrapped.get(0).ephemeral(), wrapped.get(1).ephemeral(), "a fresh ephemeral key per recipient");

        for (int i = 0; i < 2; i++) {
            MemberKeys member = i == 0 ? patient : doctor;
            WrappedKey w = WrappedKey.fromBytes(wrapped.get(i).toBytes());
            ContentKey key = KeyWrap.unwrap(w, member.encryptionKeys(), a.ciphertextSha256());
            assertArrayEquals(scan, AttachmentCipher.decrypt(key, a.nonce(), "sub-77", a.ciphertext()));
        }
    }

    @Test
    void wrappingIsRandomizedButAlwaysUnwraps() {
        WrappedKey first = KeyWrap.wrap(KEY, HASH, RECIPIENT.publicKey(), RANDOM);
        WrappedKey second = KeyWrap.wrap(KEY, HASH, RECIPIENT.publicKey(), RANDOM);
        assertNotEquals(first, second);
        assertEquals(KEY, KeyWrap.unwrap(first, RECIPIENT, HASH));
        assertEquals(KEY, KeyWrap.unwrap(second, RECIPIENT, HASH));
    }

    @Test
    void anotherRecipientIsRefused() {
        WrappedKey wrapped = KeyWrap.wrap(KEY, HASH, RECIPIENT.publicKey(), RANDOM);
        EncryptionKeyPair other = EncryptionKeyPair.generate(RANDOM);
        DecryptionException e = assertThrows(DecryptionException.class, () -> KeyWrap.unwrap(wrapped, other, HASH));
        assertEquals(DecryptionException.Reason.WRONG_RECIPIENT, e.reason());
        assertTrue(e.getMessage().contains(RECIPIENT.publicKey().toString()), e.getMessage());
    }

    @Test
    void relabellingTheRecipientDoesNotHelpAnotherKeyHolder() {
        WrappedKey wrapped = KeyWrap.wrap(KEY, HASH, RECIPIENT.publicKey(), RANDOM);
        EncryptionKeyPair thief = EncryptionKeyPair.generate(RANDOM);
        WrappedKey relabelled = new WrappedKey(thief.publicKey(), wrapped.ephemeral(), wrapped.wrapped());
        AttachmentCipherTest.assertAuthenticationFails(() -> KeyWrap.unwrap(relabelled, thief, HASH));
    }

    @Test
    void everySingleBitFlipOfTheWrappedBytesFails() {
        WrappedKey wrapped = KeyWrap.wrap(KEY, HASH, RECIPIENT.publicKey(), RANDOM);
        for (int bit = 0; bit < WrappedKey.WRAPPED_SIZE * 8; bit++) {
            WrappedKey tampered = new WrappedKey(wrapped.recipient(), wrapped.ephemeral(),
                    SignaturesTest.flip(wrapped.wrapped(), bit));
            AttachmentCipherTest.assertAuthenticationFails(() -> KeyWrap.unwrap(tampered, RECIPIENT, HASH));
        }
    }

    @Test
    void everySingleBitFlipOfTheEphemeralKeyFails() {
        WrappedKey wrapped = KeyWrap.wrap(KEY, HASH, RECIPIENT.publicKey(), RANDOM);
        byte[] ephemeral = wrapped.ephemeral().bytes();
        for (int bit = 0; bit < 255; bit++) { // bit 255 set is not a canonical key: refused when parsed
            X25519PublicKey tamperedKey;
            try {
                tamperedKey = X25519PublicKey.of(SignaturesTest.flip(ephemeral, bit));
            } catch (IllegalArgumentException e) {
                continue; // a flip that lands at or above p
            }
            WrappedKey tampered = new WrappedKey(wrapped.recipient(), tamperedKey, wrapped.wrapped());
            DecryptionException e = assertThrows(DecryptionException.class, () -> KeyWrap.unwrap(tampered, RECIPIENT, HASH));
            assertTrue(e.reason() == DecryptionException.Reason.AUTHENTICATION_FAILED
                    || e.reason() == DecryptionException.Reason.LOW_ORDER_KEY, "bit " + bit + ": " + e.reason());
        }
        assertThrows(IllegalArgumentException.class, () -> X25519PublicKey.of(SignaturesTest.flip(ephemeral, 255)));
    }

    @Test
    void anotherAttachmentsHashFails() {
        WrappedKey wrapped = KeyWrap.wrap(KEY, HASH, RECIPIENT.publicKey(), RANDOM);
        for (int bit = 0; bit < 256; bit++) {
            byte[] otherHash = SignaturesTest.flip(HASH, bit);
            AttachmentCipherTest.assertAuthenticationFails(() -> KeyWrap.unwrap(wrapped, RECIPIENT, otherHash));
        }
        assertThrows(IllegalArgumentException.class, () -> KeyWrap.unwrap(wrapped, RECIPIENT, new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> KeyWrap.wrap(KEY, new byte[33], RECIPIENT.publicKey(), RANDOM));
    }

    /** u = 0 and u = 1 are points of order dividing 8: every agreement with them is all zero. */
    @Test
    void lowOrderKeysAreRefused() {
        byte[] one = new byte[32];
        one[0] = 1;
        for (byte[] lowOrder : new byte[][] {new byte[32], one,
                Hex.decode("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", "p-1")}) {
            X25519PublicKey weak = X25519PublicKey.of(lowOrder);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> KeyWrap.wrap(KEY, HASH, weak, RANDOM));
            assertTrue(e.getMessage().contains("low order"), e.getMessage());

            WrappedKey forged = new WrappedKey(RECIPIENT.publicKey(), weak, new byte[48]);
            DecryptionException d = assertThrows(DecryptionException.class, () -> KeyWrap.unwrap(forged, RECIPIENT, HASH));
            assertEquals(DecryptionException.Reason.LOW_ORDER_KEY, d.reason());
        }
    }

    @Test
    void encodedFormIsStrict() {
        WrappedKey wrapped = KeyWrap.wrap(KEY, HASH, RECIPIENT.publicKey(), RANDOM);
        byte[] encoded = wrapped.toBytes();
        assertEquals(112, encoded.length);
        assertEquals(wrapped, WrappedKey.fromBytes(encoded));
        assertEquals(wrapped.hashCode(), WrappedKey.fromBytes(encoded).hashCode());
        assertThrows(IllegalArgumentException.class, () -> WrappedKey.fromBytes(java.util.Arrays.copyOf(encoded, 111)));
        assertThrows(IllegalArgumentException.class, () -> WrappedKey.fromBytes(java.util.Arrays.copyOf(encoded, 113)));
        assertThrows(IllegalArgumentException.class,
                () -> new WrappedKey(wrapped.recipient(), wrapped.ephemeral(), new byte[47]));
        byte[] nonCanonical = encoded.clone();
        nonCanonical[31] |= (byte) 0x80;
        assertThrows(IllegalArgumentException.class, () -> WrappedKey.fromBytes(nonCanonical));

        byte[] inner = wrapped.wrapped();
        inner[0] ^= 1;
        assertEquals(wrapped, WrappedKey.fromBytes(encoded), "the record's bytes are copies");
    }
}
