package org.emrsb.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Text forms, strict parsing, equality and redaction of the key types. */
class KeyTypesTest {

    /** RFC 8032 TEST 1 and RFC 7748 section 6.1 (Alice): see the vector tests for the sources. */
    static final String ED_SEED = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    static final String ED_PUBLIC = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    static final String X_PRIVATE = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
    static final String X_PUBLIC = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";

    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void verifyingKeyPrintsAndParses() {
        VerifyingKey key = VerifyingKey.parse("ed25519:" + ED_PUBLIC);
        assertEquals("ed25519:" + ED_PUBLIC, key.toString());
        assertEquals(key, VerifyingKey.parse(key.toString()));
        assertEquals(key, VerifyingKey.of(Hex.decode(ED_PUBLIC, "k")));
        assertEquals(key.hashCode(), VerifyingKey.of(Hex.decode(ED_PUBLIC, "k")).hashCode());
        assertArrayEquals(Hex.decode(ED_PUBLIC, "k"), key.bytes());
    }

    @Test
    void x25519PublicKeyPrintsAndParses() {
        X25519PublicKey key = X25519PublicKey.parse("x25519:" + X_PUBLIC);
        assertEquals("x25519:" + X_PUBLIC, key.toString());
        assertEquals(key, X25519PublicKey.parse(key.toString()));
        assertEquals(key, X25519PublicKey.of(Hex.decode(X_PUBLIC, "k")));
        assertEquals(key.hashCode(), X25519PublicKey.of(Hex.decode(X_PUBLIC, "k")).hashCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",                                    // empty
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", // no prefix
        "x25519:d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", // the other prefix
        "ED25519:d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", // uppercase prefix
        "ed25519 d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", // no colon
        " ed25519:d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", // leading space
        "ed25519:d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a ", // trailing space
        "ed25519:D75A980182B10AB7D54BFED3C964073A0EE172F3DAA62325AF021A68F707511A", // uppercase hex
        "ed25519:d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511A", // one uppercase digit
        "ed25519:d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511",  // 63 characters
        "ed25519:d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a0", // 65 characters
        "ed25519:d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a00", // 33 bytes
        "ed25519:d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f70751",  // 31 bytes
        "ed25519:d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511g", // not hex
        "ed25519:0100000000000000000000000000000000000000000000000000000000000000", // the neutral point (small order)
        "ed25519:ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // y = p - 1: small order
        "ed25519:edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // y = p: non-canonical
    })
    void verifyingKeyParsingIsStrict(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VerifyingKey.parse(text));
        assertTrue(e.getMessage().contains("Ed25519"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
        "ed25519:8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
        "X25519:8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
        "x25519:8520F0098930A754748B7DDCB43EF75A0DBF3A0D26381AF4EBA4A98EAA9B4E6A",
        "x25519:8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6",
        "x25519:8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a00",
        "x25519:8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6z",
        "x25519:8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4eea", // top bit set
        "x25519:edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // u = p
        "x25519:ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", // u = 2^255 - 1
    })
    void x25519KeyParsingIsStrict(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> X25519PublicKey.parse(text));
        assertTrue(e.getMessage().contains("X25519"), e.getMessage());
    }

    @Test
    void parsingErrorsSayWhatIsWrong() {
        assertTrue(message(() -> VerifyingKey.parse("x25519:" + ED_PUBLIC)).contains("prefix \"x25519:\""));
        assertTrue(message(() -> VerifyingKey.parse(ED_PUBLIC)).contains("no prefix"));
        assertTrue(message(() -> VerifyingKey.parse("ed25519:" + ED_PUBLIC.toUpperCase())).contains("uppercase"));
        assertTrue(message(() -> VerifyingKey.parse("ed25519:" + ED_PUBLIC + "00")).contains("expected 64"));
        assertTrue(message(() -> X25519PublicKey.parse(null)).contains("missing"));
    }

    @Test
    void largestCanonicalX25519KeyIsAccepted() {
        // u = p - 1 is canonical (it is a low-order point, refused only when an agreement gives zero).
        X25519PublicKey.parse("x25519:ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
    }

    @Test
    void bytesAreCopiedInAndOut() {
        byte[] seed = Hex.decode(ED_SEED, "seed");
        SigningKey key = SigningKey.fromSeed(seed);
        seed[0] ^= 1;
        assertEquals("ed25519:" + ED_PUBLIC, key.verifyingKey().toString());
        key.seed()[0] ^= 1;
        key.verifyingKey().bytes()[0] ^= 1;
        assertEquals(ED_SEED, Hex.encode(key.seed()));
        assertEquals("ed25519:" + ED_PUBLIC, key.verifyingKey().toString());

        byte[] priv = Hex.decode(X_PRIVATE, "x");
        EncryptionKeyPair pair = EncryptionKeyPair.fromPrivate(priv);
        priv[0] ^= 1;
        pair.privateKey()[0] ^= 1;
        assertEquals(X_PRIVATE, Hex.encode(pair.privateKey()));
        assertEquals("x25519:" + X_PUBLIC, pair.publicKey().toString());
    }

    @Test
    void equalityIsByBytes() {
        assertEquals(SigningKey.fromSeed(Hex.decode(ED_SEED, "s")), SigningKey.fromSeed(Hex.decode(ED_SEED, "s")));
        assertEquals(SigningKey.fromSeed(Hex.decode(ED_SEED, "s")).hashCode(),
                SigningKey.fromSeed(Hex.decode(ED_SEED, "s")).hashCode());
        assertNotEquals(SigningKey.generate(RANDOM), SigningKey.generate(RANDOM));
        assertEquals(EncryptionKeyPair.fromPrivate(Hex.decode(X_PRIVATE, "x")),
                EncryptionKeyPair.fromPrivate(Hex.decode(X_PRIVATE, "x")));
        assertNotEquals(EncryptionKeyPair.generate(RANDOM), EncryptionKeyPair.generate(RANDOM));
        assertEquals(ContentKey.of(new byte[32]), ContentKey.of(new byte[32]));
        assertNotEquals(ContentKey.of(new byte[32]), ContentKey.of(Hex.decode(ED_SEED, "k")));
        assertNotEquals(VerifyingKey.parse("ed25519:" + ED_PUBLIC), SigningKey.generate(RANDOM).verifyingKey());
        assertNotEquals((Object) VerifyingKey.parse("ed25519:" + ED_PUBLIC), (Object) X25519PublicKey.parse("x25519:" + X_PUBLIC));
    }

    @Test
    void privateMaterialNeverAppearsInToString() {
        SigningKey signing = SigningKey.fromSeed(Hex.decode(ED_SEED, "s"));
        EncryptionKeyPair pair = EncryptionKeyPair.fromPrivate(Hex.decode(X_PRIVATE, "x"));
        MemberKeys member = new MemberKeys(Role.DOCTOR, signing, pair);
        AttachmentSecret secret = AttachmentSecret.of(Hex.decode(ED_SEED, "s"));
        ContentKey content = ContentKey.of(Hex.decode(X_PRIVATE, "x"));

        for (Object o : new Object[] {signing, pair, member, secret, content}) {
            String text = o.toString();
            assertFalse(text.contains(ED_SEED), text);
            assertFalse(text.contains(X_PRIVATE), text);
            assertFalse(text.contains(ED_SEED.substring(0, 16)), text);
            assertFalse(text.contains(X_PRIVATE.substring(0, 16)), text);
        }
        assertEquals("SigningKey[ed25519:" + ED_PUBLIC + "]", signing.toString());
        assertEquals("EncryptionKeyPair[x25519:" + X_PUBLIC + "]", pair.toString());
        assertEquals("MemberKeys[role=doctor, ed25519:" + ED_PUBLIC + ", x25519:" + X_PUBLIC + "]", member.toString());
    }

    @Test
    void wrongSizesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> SigningKey.fromSeed(new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> SigningKey.fromSeed(null));
        assertThrows(IllegalArgumentException.class, () -> VerifyingKey.of(new byte[33]));
        assertThrows(IllegalArgumentException.class, () -> EncryptionKeyPair.fromPrivate(new byte[16]));
        assertThrows(IllegalArgumentException.class, () -> X25519PublicKey.of(new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> AttachmentSecret.of(new byte[64]));
        assertThrows(IllegalArgumentException.class, () -> ContentKey.of(new byte[44]));
    }

    @Test
    void generatedKeysAreUsable() {
        SigningKey key = SigningKey.generate(RANDOM);
        assertEquals(key.verifyingKey(), VerifyingKey.parse(key.verifyingKey().toString()));
        assertEquals(key, SigningKey.fromSeed(key.seed()));
        EncryptionKeyPair pair = EncryptionKeyPair.generate(RANDOM);
        assertEquals(pair, EncryptionKeyPair.fromPrivate(pair.privateKey()));
        assertEquals(pair.publicKey(), X25519PublicKey.parse(pair.publicKey().toString()));
        // RFC 7748 clamping: generated private keys are stored clamped.
        byte[] k = pair.privateKey();
        assertEquals(0, k[0] & 7);
        assertEquals(0x40, k[31] & 0xc0);
    }

    @Test
    void rolesHaveLowercaseIds() {
        assertEquals("patient", Role.PATIENT.id());
        assertEquals("authority", Role.AUTHORITY.toString());
        for (Role role : Role.values()) {
            assertEquals(role, Role.fromId(role.id()));
        }
        assertThrows(IllegalArgumentException.class, () -> Role.fromId("Doctor"));
        assertThrows(IllegalArgumentException.class, () -> Role.fromId("DOCTOR"));
        assertThrows(IllegalArgumentException.class, () -> Role.fromId("nurse"));
        assertThrows(IllegalArgumentException.class, () -> Role.fromId(null));
    }

    @Test
    void hexIsStrictLowercase() {
        assertEquals("00ff10ab", Hex.encode(new byte[] {0, (byte) 0xff, 0x10, (byte) 0xab}));
        assertArrayEquals(new byte[] {0, (byte) 0xff, 0x10, (byte) 0xab}, Hex.decode("00ff10ab", "h"));
        assertArrayEquals(new byte[0], Hex.decode("", "h"));
        assertThrows(IllegalArgumentException.class, () -> Hex.decode("00FF", "h"));
        assertThrows(IllegalArgumentException.class, () -> Hex.decode("0", "h"));
        assertThrows(IllegalArgumentException.class, () -> Hex.decode("0x", "h"));
        assertThrows(IllegalArgumentException.class, () -> Hex.decode("٠٠", "h")); // Arabic-Indic zeros
        assertThrows(IllegalArgumentException.class, () -> Hex.decode("0011", 1, "h"));
    }

    private static String message(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }
}
