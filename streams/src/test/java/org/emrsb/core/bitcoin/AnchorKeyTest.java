package org.emrsb.core.bitcoin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.InputStream;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import org.emrsb.core.crypto.Hex;
import org.junit.jupiter.api.Test;

/** WIF, addresses and Base58Check against Bitcoin Core's key_io vectors (see SOURCES.md next to the data). */
class AnchorKeyTest {

    private static JsonNode vectors() throws Exception {
        try (InputStream in = AnchorKeyTest.class.getResourceAsStream("key_io_valid-p2pkh.json")) {
            return JsonMapper.builder().build().readTree(in);
        }
    }

    private static BitcoinNetwork network(String chain) {
        return switch (chain) {
            case "main" -> BitcoinNetwork.MAINNET;
            case "regtest" -> BitcoinNetwork.REGTEST;
            default -> BitcoinNetwork.TESTNET; // testnet4, signet: the same version bytes
        };
    }

    @Test
    void coreKeyIoVectors() throws Exception {
        int keys = 0;
        int addresses = 0;
        for (JsonNode v : vectors()) {
            String text = v.get(0).textValue();
            byte[] bytes = Hex.decode(v.get(1).textValue(), "vector");
            BitcoinNetwork network = network(v.get(2).get("chain").textValue());
            if (v.get(2).get("isPrivkey").booleanValue()) {
                if (v.get(2).get("isCompressed").booleanValue()) {
                    AnchorKey key = AnchorKey.fromWif(text, network);
                    assertArrayEquals(bytes, key.privateKeyBytes(), text);
                    assertEquals(text, AnchorKey.fromBytes(bytes).toWif(network), text);
                    keys++;
                } else {
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                            () -> AnchorKey.fromWif(text, network));
                    assertTrue(e.getMessage().contains("uncompressed"), e.getMessage());
                }
            } else {
                byte[] hash160 = Arrays.copyOfRange(bytes, 3, 23);
                assertArrayEquals(bytes, AnchorKey.p2pkhScript(hash160), text);
                assertEquals(text, Base58Check.encode(AnchorKey.addressVersion(network), hash160), text);
                byte[] decoded = Base58Check.decode(text, "address");
                assertEquals(AnchorKey.addressVersion(network), decoded[0] & 0xff);
                assertArrayEquals(hash160, Arrays.copyOfRange(decoded, 1, 21));
                addresses++;
            }
        }
        assertEquals(8, keys);
        assertEquals(8, addresses);
    }

    /** Private key 1: G itself. Well known: compressed G, its HASH160 and the mainnet address 1BgGZ9…. */
    @Test
    void privateKeyOne() {
        AnchorKey one = AnchorKey.fromBytes(BigIntegerBytes.of(BigInteger.ONE));
        assertEquals("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798", Hex.encode(one.publicKey()));
        assertEquals("751e76e8199196d454941c45d1b3a323f1433bd6", Hex.encode(one.hash160()));
        assertEquals("1BgGZ9tcN4rm9KBzDn7KprQz87SZ26SAMH", one.address(BitcoinNetwork.MAINNET));
        assertEquals("76a914751e76e8199196d454941c45d1b3a323f1433bd688ac", Hex.encode(one.p2pkhScript()));
        assertTrue(one.address(BitcoinNetwork.REGTEST).startsWith("m") || one.address(BitcoinNetwork.REGTEST).startsWith("n"));
        assertEquals(one.address(BitcoinNetwork.REGTEST), one.address(BitcoinNetwork.TESTNET));
    }

    @Test
    void wifIsCheckedForNetworkChecksumAndRange() {
        AnchorKey key = AnchorKey.generate(new SecureRandom());
        String regtest = key.toWif(BitcoinNetwork.REGTEST);
        assertTrue(regtest.startsWith("c"), regtest);
        assertTrue(key.toWif(BitcoinNetwork.MAINNET).matches("[KL].*"));
        assertEquals(key, AnchorKey.fromWif(regtest, BitcoinNetwork.TESTNET));
        IllegalArgumentException wrongNet = assertThrows(IllegalArgumentException.class,
                () -> AnchorKey.fromWif(regtest, BitcoinNetwork.MAINNET));
        assertTrue(wrongNet.getMessage().contains("mainnet"), wrongNet.getMessage());
        assertFalse(wrongNet.getMessage().contains(regtest), "the message never holds the key");

        char last = regtest.charAt(regtest.length() - 1);
        String typo = regtest.substring(0, regtest.length() - 1) + (last == 'a' ? 'b' : 'a');
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AnchorKey.fromWif(typo, BitcoinNetwork.REGTEST))
                .getMessage().contains("checksum"));
        assertThrows(IllegalArgumentException.class, () -> AnchorKey.fromWif("c0OIl", BitcoinNetwork.REGTEST));

        assertThrows(IllegalArgumentException.class, () -> AnchorKey.fromBytes(new byte[32]));
        assertThrows(IllegalArgumentException.class, () -> AnchorKey.fromBytes(BigIntegerBytes.of(Secp256k1.N)));
        AnchorKey max = AnchorKey.fromBytes(BigIntegerBytes.of(Secp256k1.N.subtract(BigInteger.ONE)));
        assertEquals(max, AnchorKey.fromWif(max.toWif(BitcoinNetwork.MAINNET), BitcoinNetwork.MAINNET));
    }

    @Test
    void base58KeepsLeadingZeroBytes() {
        byte[] payload = new byte[20];
        String text = Base58Check.encode(0, payload);
        assertEquals("1111111111111111111114oLvT2", text);
        assertArrayEquals(new byte[21], Base58Check.decode(text, "address"));
    }

    @Test
    void toStringShowsOnlyThePublicKey() {
        AnchorKey key = AnchorKey.generate(new SecureRandom());
        assertEquals("AnchorKey[secp256k1:" + Hex.encode(key.publicKey()) + "]", key.toString());
        assertFalse(key.toString().contains(Hex.encode(key.privateKeyBytes())));
        assertNotEquals(key, AnchorKey.generate(new SecureRandom()));
        assertEquals(key, AnchorKey.fromBytes(key.privateKeyBytes()));
        assertEquals(key.hashCode(), AnchorKey.fromBytes(key.privateKeyBytes()).hashCode());
    }

    /** Unsigned 32-byte big-endian encoding, for tests. */
    static final class BigIntegerBytes {
        static byte[] of(BigInteger value) {
            byte[] raw = value.toByteArray();
            byte[] out = new byte[32];
            int n = Math.min(raw.length, 32);
            System.arraycopy(raw, raw.length - n, out, 32 - n, n);
            return out;
        }
    }
}
