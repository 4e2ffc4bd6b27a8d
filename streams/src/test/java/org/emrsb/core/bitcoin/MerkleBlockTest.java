package org.emrsb.core.bitcoin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.emrsb.core.format.FormatException;
import org.junit.jupiter.api.Test;

/**
 * BIP 37 merkle blocks built here by the encoder of {@code CPartialMerkleTree} (Core's
 * {@code TraverseAndBuild}), for every tree size up to 9 and every single matched transaction; the
 * node's real answers are checked in {@link AnchorTransactionIT}.
 */
class MerkleBlockTest {

    @Test
    void everySingleMatchInTreesUpToNine() {
        for (int n = 1; n <= 9; n++) {
            List<byte[]> txids = txids(n);
            for (int match = 0; match < n; match++) {
                MerkleBlock block = MerkleBlock.parse(encode(txids, match));
                assertEquals(n, block.totalTransactions());
                assertEquals(1, block.matched().size());
                assertArrayEquals(txids.get(match), block.matched().get(0));
                assertTrue(block.proves(txids.get(match)));
                assertFalse(block.proves(txids.get((match + 1) % n)) && n > 1);
            }
        }
    }

    @Test
    void tamperingIsRefused() {
        List<byte[]> txids = txids(5);
        byte[] good = encode(txids, 2);
        for (int offset : new int[] {36, 80, 85, 84 + 1 + 32 + 5, good.length - 1}) {
            byte[] bad = good.clone();
            bad[offset] ^= 1;
            assertThrows(FormatException.class, () -> MerkleBlock.parse(bad), "offset " + offset);
        }
        byte[] longer = java.util.Arrays.copyOf(good, good.length + 1);
        assertThrows(FormatException.class, () -> MerkleBlock.parse(longer));
    }

    private static List<byte[]> txids(int n) {
        List<byte[]> txids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            txids.add(DoubleSha256.hash(new byte[] {(byte) i}));
        }
        return txids;
    }

    static byte[] encode(List<byte[]> txids, int match) {
        int height = 0;
        while (width(txids.size(), height) > 1) {
            height++;
        }
        List<byte[]> hashes = new ArrayList<>();
        List<Boolean> bits = new ArrayList<>();
        build(txids, match, height, 0, hashes, bits);
        byte[] flags = new byte[(bits.size() + 7) / 8];
        for (int i = 0; i < bits.size(); i++) {
            if (bits.get(i)) {
                flags[i / 8] |= (byte) (1 << (i % 8));
            }
        }
        BitcoinHeader header = new BitcoinHeader(0x20000000, new byte[32], BitcoinMerkle.root(txids), 1_700_000_000L,
                0x207fffffL, 0);
        BitcoinWriter w = new BitcoinWriter().bytes(header.toBytes()).u32(txids.size()).varint(hashes.size());
        hashes.forEach(w::bytes);
        return w.varBytes(flags).toByteArray();
    }

    private static long width(int total, int height) {
        return (total + (1L << height) - 1) >> height;
    }

    private static byte[] hash(List<byte[]> txids, int height, long pos) {
        if (height == 0) {
            return txids.get((int) pos);
        }
        byte[] left = hash(txids, height - 1, pos * 2);
        byte[] right = pos * 2 + 1 < width(txids.size(), height - 1) ? hash(txids, height - 1, pos * 2 + 1) : left;
        return DoubleSha256.hashPair(left, right);
    }

    private static void build(List<byte[]> txids, int match, int height, long pos, List<byte[]> hashes, List<Boolean> bits) {
        boolean parentOfMatch = (match >> height) == pos;
        bits.add(parentOfMatch);
        if (height == 0 || !parentOfMatch) {
            hashes.add(hash(txids, height, pos));
        } else {
            build(txids, match, height - 1, pos * 2, hashes, bits);
            if (pos * 2 + 1 < width(txids.size(), height - 1)) {
                build(txids, match, height - 1, pos * 2 + 1, hashes, bits);
            }
        }
    }
}
