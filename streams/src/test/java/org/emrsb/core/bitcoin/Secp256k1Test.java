package org.emrsb.core.bitcoin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Random;
import org.emrsb.core.crypto.Hex;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * ECDSA over secp256k1: RFC 6979 nonces, low S, strict DER.
 *
 * <p>The deterministic-signature vectors are the well-known secp256k1 / HMAC-SHA256 RFC 6979 set first
 * posted on bitcointalk (https://bitcointalk.org/index.php?topic=285142.msg3150733, 2013): private key,
 * message (hashed once with SHA-256), the nonce k and the signature. They are reproduced in many
 * libraries' test suites, which the public-repository search used for this work found, e.g. a Ruby spec
 * table "Vectors from Trezor/CoreBitcoin, canonical for secp256k1" (trezor-crypto, CoreBitcoin) with the
 * low-S DER signatures below, a Java test table with the same keys, messages, k and signatures, and an
 * Elixir table citing the bitcointalk post with the nonces k and the signatures before low-S
 * normalisation (for key 1 / "Satoshi Nakamoto" its s is {@code dbbd3162...}, which is n minus the
 * {@code 2442ce9d...} here). The test checks the nonce too: r is the x coordinate of k·G.
 */
class Secp256k1Test {

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "0000000000000000000000000000000000000000000000000000000000000001|Satoshi Nakamoto|"
            + "8f8a276c19f4149656b280621e358cce24f5f52542772691ee69063b74f15d15|"
            + "3045022100934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d802202442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5",
        "0000000000000000000000000000000000000000000000000000000000000001|All those moments will be lost in time, like tears in rain. Time to die...|"
            + "38aa22d72376b4dbc472e06c3ba403ee0a394da63fc58d88686c611aba98d6b3|"
            + "30450221008600dbd41e348fe5c9465ab92d23e3db8b98b873beecd930736488696438cb6b0220547fe64427496db33bf66019dacbf0039c04199abb0122918601db38a72cfc21",
        "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140|Satoshi Nakamoto|"
            + "33a19b60e25fb6f4435af53a3d42d493644827367e6453928554f43e49aa6f90|"
            + "3045022100fd567d121db66e382991534ada77a6bd3106f0a1098c231e47993447cd6af2d002206b39cd0eb1bc8603e159ef5c20a5c8ad685a45b06ce9bebed3f153d10d93bed5",
        "f8b8af8ce3c7cca5e300d33939540c10d45ce001b8f252bfbc57ba0342904181|Alan Turing|"
            + "525a82b70e67874398067543fd84c83d30c175fdc45fdeee082fe13b1d7cfdf1|"
            + "304402207063ae83e7f62bbb171798131b4a0564b956930092b33b07b395615d9ec7e15c022058dfcc1e00a35e1572f366ffe34ba0fc47db1e7189759b9fb233c5b05ab388ea",
    })
    void rfc6979Vectors(String privateKey, String message, String nonce, String expectedDer) throws Exception {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(message.getBytes(StandardCharsets.UTF_8));
        AnchorKey key = AnchorKey.fromBytes(Hex.decode(privateKey, 32, "key"));
        BigInteger[] rs = key.sign(hash);
        assertEquals(expectedDer, Hex.encode(Secp256k1.der(rs[0], rs[1])));
        BigInteger k = new BigInteger(nonce, 16);
        assertEquals(Secp256k1.CURVE.getG().multiply(k).normalize().getAffineXCoord().toBigInteger().mod(Secp256k1.N), rs[0],
                "r is x(k·G) for the published RFC 6979 nonce");
        assertTrue(Secp256k1.verify(key.publicKey(), hash, rs[0], rs[1]));
        hash[0] ^= 1;
        assertFalse(Secp256k1.verify(key.publicKey(), hash, rs[0], rs[1]));
    }

    /** 200 signatures over pseudo-random keys and hashes: low S, strict DER of at most 71 bytes, valid, repeatable. */
    @Test
    void lowSStrictDerAndDeterministic() {
        Random random = new Random(6979);
        int shortR = 0;
        for (int i = 0; i < 200; i++) {
            byte[] secret = new byte[32];
            byte[] hash = new byte[32];
            random.nextBytes(secret);
            random.nextBytes(hash);
            AnchorKey key = AnchorKey.fromBytes(secret);
            BigInteger[] rs = key.sign(hash);
            assertTrue(rs[1].compareTo(Secp256k1.HALF_N) <= 0, "low S");
            byte[] der = Secp256k1.der(rs[0], rs[1]);
            assertTrue(der.length <= Secp256k1.MAX_DER_LENGTH, "at most 71 bytes");
            byte[] withType = java.util.Arrays.copyOf(der, der.length + 1);
            withType[der.length] = 1;
            assertTrue(Secp256k1.isStrictDerWithHashType(withType), Hex.encode(der));
            BigInteger[] parsed = Secp256k1.parseDer(der);
            assertEquals(rs[0], parsed[0]);
            assertEquals(rs[1], parsed[1]);
            assertTrue(Secp256k1.verify(key.publicKey(), hash, rs[0], rs[1]));
            assertArrayEquals(der, Secp256k1.der(key.sign(hash)[0], key.sign(hash)[1]), "RFC 6979: the same bytes again");
            if (der.length < 70) {
                shortR++;
            }
        }
        assertTrue(shortR > 0, "some signatures are shorter than 70 bytes (r or s below 2^248 or without sign byte)");
    }

    @Test
    void strictDerRejectsWhatBip66Rejects() {
        byte[] good = Hex.decode("3045022100934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d8"
                + "02202442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e501", "sig");
        assertTrue(Secp256k1.isStrictDerWithHashType(good));
        byte[] wrongLength = good.clone();
        wrongLength[1]++;
        assertFalse(Secp256k1.isStrictDerWithHashType(wrongLength));
        byte[] notSequence = good.clone();
        notSequence[0] = 0x31;
        assertFalse(Secp256k1.isStrictDerWithHashType(notSequence));
        // r = 00 00 93... : a superfluous zero byte.
        byte[] padded = Hex.decode("304602220000934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d8"
                + "02202442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e501", "sig");
        assertFalse(Secp256k1.isStrictDerWithHashType(padded));
        // r = 93... without its sign byte: negative.
        byte[] negative = Hex.decode("30440220934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d8"
                + "02202442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e501", "sig");
        assertFalse(Secp256k1.isStrictDerWithHashType(negative));
    }
}
