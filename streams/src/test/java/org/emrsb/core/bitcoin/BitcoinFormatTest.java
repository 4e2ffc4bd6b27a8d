package org.emrsb.core.bitcoin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.emrsb.core.crypto.Hex;
import org.emrsb.core.format.FormatException;
import org.junit.jupiter.api.Test;

/** Double SHA-256, transactions, headers, targets and Merkle branches against Bitcoin's own data. */
class BitcoinFormatTest {

    /** The mainnet genesis block's header and its coinbase transaction. */
    static final String GENESIS_HEADER = "0100000000000000000000000000000000000000000000000000000000000000000000003ba3"
            + "edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c";
    static final String GENESIS_COINBASE = "01000000010000000000000000000000000000000000000000000000000000000000000000"
            + "ffffffff4d04ffff001d0104455468652054696d65732030332f4a616e2f32303039204368616e63656c6c6f72206f6e2062"
            + "72696e6b206f66207365636f6e64206261696c6f757420666f722062616e6b73ffffffff0100f2052a01000000434104678a"
            + "fdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e51ec112de5c384df"
            + "7ba0b8d578a4c702b6bf11d5fac00000000";

    private static byte[] display(String hex) {
        return DoubleSha256.reverse(Hex.decode(hex, "display hash"));
    }

    @Test
    void doubleSha256Vectors() {
        assertEquals("5df6e0e2761359d30a8275058e299fcc0381534545f55cf43e41983f5d4c9456",
                Hex.encode(DoubleSha256.hash(new byte[0])));
        assertEquals("9595c9df90075148eb06860365df33584b75bff782a510c6cd4883a419833d50",
                Hex.encode(DoubleSha256.hash("hello".getBytes(StandardCharsets.US_ASCII))));
        byte[] a = DoubleSha256.hash(new byte[] {1});
        byte[] b = DoubleSha256.hash(new byte[] {2});
        byte[] ab = new byte[64];
        System.arraycopy(a, 0, ab, 0, 32);
        System.arraycopy(b, 0, ab, 32, 32);
        assertArrayEquals(DoubleSha256.hash(ab), DoubleSha256.hashPair(a, b));
    }

    @Test
    void theGenesisBlockParsesHashesAndMeetsItsTarget() {
        byte[] bytes = Hex.decode(GENESIS_HEADER, "genesis");
        BitcoinHeader header = BitcoinHeader.parse(bytes);
        assertEquals(1, header.version());
        assertEquals(0x1d00ffffL, header.bits());
        assertEquals(1231006505L, header.time());
        assertEquals(2083236893L, header.nonce());
        assertArrayEquals(display("000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f"), header.hash());
        assertArrayEquals(bytes, header.toBytes());
        assertTrue(header.meetsTarget());
        assertEquals(BitcoinNetwork.MAINNET.powLimit(), header.target());
        assertArrayEquals(Arrays.copyOfRange(bytes, BitcoinHeader.MERKLE_ROOT_OFFSET, 68), header.merkleRoot());

        byte[] coinbaseBytes = Hex.decode(GENESIS_COINBASE, "coinbase");
        BitcoinTransaction coinbase = BitcoinTransaction.parse(coinbaseBytes);
        assertArrayEquals(coinbaseBytes, coinbase.toBytes());
        assertEquals(1, coinbase.inputs().size());
        assertEquals(50_0000_0000L, coinbase.outputs().get(0).value());
        assertArrayEquals(header.merkleRoot(), coinbase.txid());
        assertArrayEquals(header.merkleRoot(), BitcoinMerkle.root(List.of(coinbase.txid())));
        assertEquals(List.of(), BitcoinMerkle.branch(List.of(coinbase.txid()), 0));
    }

    @Test
    void headersOfAnotherLengthAreRefused() {
        byte[] bytes = Hex.decode(GENESIS_HEADER, "genesis");
        assertThrows(FormatException.class, () -> BitcoinHeader.parse(Arrays.copyOf(bytes, 79)));
        assertThrows(FormatException.class, () -> BitcoinHeader.parse(Arrays.copyOf(bytes, 81)));
    }

    @Test
    void block100000MerkleRootAndEveryBranch() {
        List<byte[]> txids = List.of(display("8c14f0db3df150123e6f3dbbf30f8b955a8249b62ac1d1ff16284aefa3d06d87"),
                display("fff2525b8931402dd09222c50775608f75787bd2b87e56995a7bdd30f79702c4"),
                display("6359f0868171b1d194cbee1af2f16ea598ae8fad666d9b012c8ed2b79a236ec4"),
                display("e9a66845e05d5abc0ad04ec80f774a7e585c6e8db975962d069a522137b80c1d"));
        byte[] root = display("f3e94742aca4b5ef85488dc37c06c3282295ffec960994b2c0d5ac2a25a95766");
        assertArrayEquals(root, BitcoinMerkle.root(txids));
        for (int i = 0; i < txids.size(); i++) {
            List<byte[]> branch = BitcoinMerkle.branch(txids, i);
            assertEquals(2, branch.size());
            assertArrayEquals(root, BitcoinMerkle.rootFromBranch(txids.get(i), i, branch));
            assertFalse(Arrays.equals(root, BitcoinMerkle.rootFromBranch(txids.get(i), i ^ 1, branch)));
        }
    }

    @Test
    void oddLevelsPairTheLastHashWithItself() {
        for (int n = 1; n <= 9; n++) {
            List<byte[]> txids = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                txids.add(DoubleSha256.hash(new byte[] {(byte) i}));
            }
            byte[] root = BitcoinMerkle.root(txids);
            for (int i = 0; i < n; i++) {
                List<byte[]> branch = BitcoinMerkle.branch(txids, i);
                assertEquals(32 - Integer.numberOfLeadingZeros(n - 1), branch.size());
                assertArrayEquals(root, BitcoinMerkle.rootFromBranch(txids.get(i), i, branch), n + "/" + i);
            }
        }
        byte[] a = DoubleSha256.hash(new byte[] {0});
        byte[] b = DoubleSha256.hash(new byte[] {1});
        byte[] c = DoubleSha256.hash(new byte[] {2});
        assertArrayEquals(DoubleSha256.hashPair(DoubleSha256.hashPair(a, b), DoubleSha256.hashPair(c, c)),
                BitcoinMerkle.root(List.of(a, b, c)));
        assertArrayEquals(c, BitcoinMerkle.branch(List.of(a, b, c), 2).get(0));
    }

    @Test
    void compactTargets() {
        assertEquals(BigInteger.valueOf(0xffff).shiftLeft(208), BitcoinHeader.target(0x1d00ffffL));
        assertEquals(BigInteger.valueOf(0x7fffff).shiftLeft(232), BitcoinHeader.target(0x207fffffL));
        assertEquals(BigInteger.valueOf(0x12), BitcoinHeader.target(0x01120000L));
        assertEquals(BigInteger.valueOf(0x1234), BitcoinHeader.target(0x02123400L));
        assertThrows(IllegalArgumentException.class, () -> BitcoinHeader.target(0x04923456L), "negative");
        assertThrows(IllegalArgumentException.class, () -> BitcoinHeader.target(0x00000000L), "zero");
        assertThrows(IllegalArgumentException.class, () -> BitcoinHeader.target(0x01003456L), "zero after the shift");
        assertThrows(IllegalArgumentException.class, () -> BitcoinHeader.target(0xff123456L), "overflow");
        assertThrows(IllegalArgumentException.class, () -> BitcoinHeader.target(0x22000100L), "overflow");
        assertEquals(BitcoinNetwork.TESTNET.powLimit(), BitcoinNetwork.MAINNET.powLimit());
        assertEquals(BitcoinNetwork.REGTEST, BitcoinNetwork.fromId("regtest"));
        assertThrows(IllegalArgumentException.class, () -> BitcoinNetwork.fromId("Regtest"));
        assertThrows(IllegalArgumentException.class, () -> BitcoinNetwork.fromId("signet"));
    }

    @Test
    void hashesAreLittleEndianNumbers() {
        byte[] hash = new byte[32];
        hash[0] = 1;
        assertEquals(BigInteger.ONE, BitcoinHeader.hashValue(hash));
        hash[31] = (byte) 0x80;
        assertEquals(BigInteger.ONE.shiftLeft(255).add(BigInteger.ONE), BitcoinHeader.hashValue(hash));
    }

    @Test
    void writtenTransactionsAndMinedBlocksRoundTrip() {
        byte[] payload = DoubleSha256.hash(new byte[] {42});
        BitcoinTransaction tx = new BitcoinTransaction(2,
                List.of(new BitcoinTransaction.Input(DoubleSha256.hash(new byte[] {1}), 3, new byte[300], 0xfffffffdL)),
                List.of(BitcoinTransaction.Output.opReturn(payload), new BitcoinTransaction.Output(12345, new byte[] {0x51})),
                7);
        byte[] bytes = tx.toBytes();
        assertEquals((byte) 0xfd, bytes[4 + 1 + 32 + 4], "a 300-byte script takes a 3-byte varint");
        assertEquals(tx, BitcoinTransaction.parse(bytes));
        assertTrue(tx.hasOpReturnOf(payload));
        assertFalse(tx.hasOpReturnOf(DoubleSha256.hash(new byte[] {43})));
        assertArrayEquals(DoubleSha256.hash(bytes), tx.txid());

        BitcoinTransaction coinbase = new BitcoinTransaction(1,
                List.of(BitcoinTransaction.Input.coinbase(new byte[] {0x01, 0x65})),
                List.of(new BitcoinTransaction.Output(50_0000_0000L, new byte[] {0x51})), 0);
        BitcoinBlock block = BitcoinBlock.mine(0x20000000, new byte[32], 1_700_000_000L, 0x207fffffL, List.of(coinbase, tx));
        assertTrue(block.header().meetsTarget());
        assertArrayEquals(BitcoinMerkle.root(block.txids()), block.header().merkleRoot());
        assertArrayEquals(block.header().merkleRoot(),
                BitcoinMerkle.rootFromBranch(tx.txid(), 1, block.branch(1)));
        byte[] serialised = block.toBytes();
        assertEquals(80 + 1 + coinbase.toBytes().length + bytes.length, serialised.length);
        assertEquals(block.header(), BitcoinHeader.parse(Arrays.copyOf(serialised, 80)));
    }

    @Test
    void theOpReturnMustBeExactlyA32BytePush() {
        byte[] payload = DoubleSha256.hash(new byte[] {42});
        byte[] script = BitcoinTransaction.opReturnScript(payload);
        assertEquals(34, script.length);
        assertEquals(0x6a, script[0] & 0xff);
        assertEquals(0x20, script[1] & 0xff);
        byte[] pushdata1 = new byte[35];
        pushdata1[0] = 0x6a;
        pushdata1[1] = 0x4c;
        pushdata1[2] = 0x20;
        System.arraycopy(payload, 0, pushdata1, 3, 32);
        assertFalse(new BitcoinTransaction.Output(0, pushdata1).isOpReturnOf(payload), "OP_PUSHDATA1 form");
        byte[] longer = Arrays.copyOf(script, 35);
        assertFalse(new BitcoinTransaction.Output(0, longer).isOpReturnOf(payload), "trailing byte");
    }

    @Test
    void theParserIsStrict() {
        byte[] good = Hex.decode(GENESIS_COINBASE, "coinbase");
        assertThrows(FormatException.class, () -> BitcoinTransaction.parse(Arrays.copyOf(good, good.length + 1)),
                "trailing byte");
        assertThrows(FormatException.class, () -> BitcoinTransaction.parse(Arrays.copyOf(good, good.length - 1)),
                "truncated");
        FormatException segwit = assertThrows(FormatException.class,
                () -> BitcoinTransaction.parse(Hex.decode("020000000001" + GENESIS_COINBASE.substring(10), "x")));
        assertTrue(segwit.getMessage().contains("segwit"), segwit.getMessage());
        assertThrows(FormatException.class,
                () -> BitcoinTransaction.parse(Hex.decode("0200000000" + "00000000", "no inputs")));

        // input count 1 written as a 3-byte varint: the same transaction, non-canonically
        String nonCanonical = GENESIS_COINBASE.substring(0, 8) + "fd0100" + GENESIS_COINBASE.substring(10);
        FormatException varint = assertThrows(FormatException.class,
                () -> BitcoinTransaction.parse(Hex.decode(nonCanonical, "x")));
        assertTrue(varint.getMessage().contains("non-canonical"), varint.getMessage());

        // an amount above 21 million BTC
        BitcoinTransaction tx = BitcoinTransaction.parse(good);
        byte[] rich = good.clone();
        int valueAt = good.length - 4 - 1 - 0x43 - 8;
        assertEquals(50_0000_0000L, tx.outputs().get(0).value());
        Arrays.fill(rich, valueAt, valueAt + 8, (byte) 0xff);
        rich[valueAt + 7] = 0x7f;
        assertThrows(FormatException.class, () -> BitcoinTransaction.parse(rich));
        // a script length claiming more than remains
        byte[] claims = good.clone();
        claims[valueAt + 8] = (byte) 0xfc;
        assertThrows(FormatException.class, () -> BitcoinTransaction.parse(claims));
    }
}
