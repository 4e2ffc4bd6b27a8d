package org.emrsb.core.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** Ed25519 signing and verification: round trips, malformed input, and single-bit mutations. */
class SignaturesTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** The order of the Ed25519 base point, L = 2^252 + 27742317777372353535851937790883648493 (RFC 8032). */
    private static final BigInteger L = BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));

    private final SigningKey key = SigningKey.fromSeed(Hex.decode(KeyTypesTest.ED_SEED, "seed"));
    private final byte[] message = "{\"tx\":42,\"record\":\"masked EMR\",\"prev\":\"00ff\"}".repeat(4)
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void signThenVerify() {
        byte[] signature = Signatures.sign(key, message);
        assertEquals(Signatures.SIZE, signature.length);
        assertTrue(Signatures.verify(key.verifyingKey(), message, signature));
        assertArrayEquals(signature, Signatures.sign(key, message), "Ed25519 is deterministic");
    }

    @Test
    void generatedKeysSignAndVerify() {
        for (int i = 0; i < 20; i++) {
            SigningKey k = SigningKey.generate(RANDOM);
            byte[] m = new byte[RANDOM.nextInt(300)];
            RANDOM.nextBytes(m);
            byte[] signature = Signatures.sign(k, m);
            assertTrue(Signatures.verify(k.verifyingKey(), m, signature));
            assertFalse(Signatures.verify(SigningKey.generate(RANDOM).verifyingKey(), m, signature));
        }
    }

    @Test
    void malformedSignaturesAreFalseNotExceptions() {
        VerifyingKey pub = key.verifyingKey();
        byte[] good = Signatures.sign(key, message);
        assertFalse(Signatures.verify(pub, message, null));
        assertFalse(Signatures.verify(pub, message, new byte[0]));
        assertFalse(Signatures.verify(pub, message, new byte[63]));
        assertFalse(Signatures.verify(pub, message, new byte[64]));
        assertFalse(Signatures.verify(pub, message, new byte[65]));
        byte[] longer = new byte[65];
        System.arraycopy(good, 0, longer, 0, 64);
        assertFalse(Signatures.verify(pub, message, longer), "a valid signature with a trailing byte");
        byte[] shorter = new byte[63];
        System.arraycopy(good, 0, shorter, 0, 63);
        assertFalse(Signatures.verify(pub, message, shorter));
        byte[] ones = new byte[64];
        java.util.Arrays.fill(ones, (byte) 0xff);
        assertFalse(Signatures.verify(pub, message, ones));
    }

    /** S + L verifies in a lax implementation; RFC 8032 requires S &lt; L (no malleability). */
    @Test
    void nonCanonicalSIsRefused() {
        byte[] signature = Signatures.sign(key, message);
        byte[] sLittleEndian = java.util.Arrays.copyOfRange(signature, 32, 64);
        BigInteger s = new BigInteger(1, reverse(sLittleEndian));
        byte[] sPlusL = reverse(toFixed32(s.add(L)));
        byte[] malleated = signature.clone();
        System.arraycopy(sPlusL, 0, malleated, 32, 32);
        assertFalse(Signatures.verify(key.verifyingKey(), message, malleated));
    }

    @Test
    void everySingleBitFlipOfTheSignatureFails() {
        byte[] signature = Signatures.sign(key, message);
        for (int bit = 0; bit < signature.length * 8; bit++) {
            byte[] mutated = flip(signature, bit);
            assertFalse(Signatures.verify(key.verifyingKey(), message, mutated), "signature bit " + bit);
        }
    }

    @Test
    void everySingleBitFlipOfTheMessageFails() {
        byte[] signature = Signatures.sign(key, message);
        for (int bit = 0; bit < message.length * 8; bit++) {
            assertFalse(Signatures.verify(key.verifyingKey(), flip(message, bit), signature), "message bit " + bit);
        }
        assertFalse(Signatures.verify(key.verifyingKey(), java.util.Arrays.copyOf(message, message.length - 1), signature));
        assertFalse(Signatures.verify(key.verifyingKey(), java.util.Arrays.copyOf(message, message.length + 1), signature));
    }

    /**
     * Every bit flip of the public key either gives bytes that are not a valid public key (refused when
     * the {@link VerifyingKey} is made: about 1/2 of 32-byte strings do not decode to a curve point, and
     * 7/8 of the points are outside the prime-order subgroup) or a valid key under which the signature
     * does not verify.
     */
    @Test
    void everySingleBitFlipOfThePublicKeyFails() {
        byte[] signature = Signatures.sign(key, message);
        byte[] pub = key.verifyingKey().bytes();
        int refused = 0;
        int rejected = 0;
        for (int bit = 0; bit < pub.length * 8; bit++) {
            VerifyingKey mutated;
            try {
                mutated = VerifyingKey.of(flip(pub, bit));
            } catch (IllegalArgumentException e) {
                refused++;
                continue;
            }
            assertFalse(Signatures.verify(mutated, message, signature), "public key bit " + bit);
            rejected++;
        }
        assertEquals(256, refused + rejected);
        assertTrue(rejected > 0 && refused > 0, "both outcomes occur: refused " + refused + ", rejected " + rejected);
    }

    @Test
    void slicesAreChecked() {
        byte[] signature = Signatures.sign(key, message, 5, 10);
        assertTrue(Signatures.verify(key.verifyingKey(), message, 5, 10, signature));
        assertFalse(Signatures.verify(key.verifyingKey(), message, 5, 11, signature));
        assertFalse(Signatures.verify(key.verifyingKey(), message, 6, 10, signature));
        org.junit.jupiter.api.Assertions.assertThrows(IndexOutOfBoundsException.class,
                () -> Signatures.verify(key.verifyingKey(), message, message.length - 1, 2, signature));
    }

    static byte[] flip(byte[] data, int bit) {
        byte[] copy = data.clone();
        copy[bit / 8] ^= (byte) (1 << (bit % 8));
        return copy;
    }

    private static byte[] reverse(byte[] b) {
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = b[b.length - 1 - i];
        }
        return r;
    }

    private static byte[] toFixed32(BigInteger v) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[32];
        int n = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - n, out, 32 - n, n);
        return out;
    }
}
