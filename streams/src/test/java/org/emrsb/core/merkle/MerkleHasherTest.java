package org.emrsb.core.merkle;

import static org.emrsb.core.merkle.GoldenVectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MerkleHasherTest {

    private final MerkleHasher hasher = MerkleHasher.sha256();

    @Test
    void emptyRootIsSha256OfTheEmptyString() {
        assertArrayEquals(hex(GoldenVectors.EMPTY_ROOT), hasher.emptyRoot());
    }

    @Test
    void emptyLeafHashIsNotTheEmptyRoot() {
        assertArrayEquals(hex(GoldenVectors.EMPTY_LEAF_HASH), hasher.hashLeaf(new byte[0]));
        assertFalse(Arrays.equals(hasher.emptyRoot(), hasher.hashLeaf(new byte[0])));
    }

    @Test
    void leafHashMatchesRfc6962Vector() {
        byte[] data = "L123456".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(hex(GoldenVectors.LEAF_L123456_HASH), hasher.hashLeaf(data));
    }

    @Test
    void nodeHashMatchesRfc6962Vector() {
        byte[] left = "N123".getBytes(StandardCharsets.US_ASCII);
        byte[] right = "N456".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(hex(GoldenVectors.NODE_N123_N456_HASH), hasher.hashChildrenUnchecked(left, right));
    }

    @Test
    void referenceTreeLeavesHashToTheirPublishedHashes() {
        for (int i = 0; i < GoldenVectors.LEAF_DATA.size(); i++) {
            assertArrayEquals(GoldenVectors.leafHash(i), hasher.hashLeaf(GoldenVectors.LEAF_DATA.get(i)), "leaf " + i);
        }
    }

    @Test
    void referenceTreeNodesHashFromTheirPublishedChildren() {
        List<List<byte[]>> nodes = GoldenVectors.NODE_HASHES;
        for (int level = 1; level < nodes.size(); level++) {
            for (int i = 0; i < nodes.get(level).size(); i++) {
                byte[] left = nodes.get(level - 1).get(2 * i);
                byte[] right = nodes.get(level - 1).get(2 * i + 1);
                assertArrayEquals(nodes.get(level).get(i), hasher.hashChildren(left, right), "node " + level + "/" + i);
            }
        }
    }

    @Test
    void leafAndNodeHashesAreDomainSeparatedAndOrdered() {
        byte[] a = hasher.hashLeaf("Hello".getBytes(StandardCharsets.US_ASCII));
        byte[] b = hasher.hashLeaf("World".getBytes(StandardCharsets.US_ASCII));
        byte[] node = hasher.hashChildren(a, b);
        byte[] concatenated = new byte[64];
        System.arraycopy(a, 0, concatenated, 0, 32);
        System.arraycopy(b, 0, concatenated, 32, 32);
        assertFalse(Arrays.equals(node, hasher.hashLeaf(concatenated)), "a node must not pass for a leaf");
        assertFalse(Arrays.equals(node, hasher.hashChildren(b, a)), "children order must matter");
    }

    @Test
    void returnedHashesAreFreshCopies() {
        byte[] root = hasher.emptyRoot();
        root[0] ^= 1;
        assertArrayEquals(hex(GoldenVectors.EMPTY_ROOT), hasher.emptyRoot());
    }

    @Test
    void nullsAreRejectedWithTheirName() {
        byte[] h = new byte[32];
        assertTrue(assertThrows(NullPointerException.class, () -> hasher.hashLeaf(null))
                .getMessage().contains("leaf data"));
        assertTrue(assertThrows(NullPointerException.class, () -> hasher.hashChildren(null, h))
                .getMessage().contains("left child hash"));
        assertTrue(assertThrows(NullPointerException.class, () -> hasher.hashChildren(h, null))
                .getMessage().contains("right child hash"));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 31, 33, 64})
    void childrenOfTheWrongLengthAreRejected(int length) {
        byte[] good = new byte[32];
        byte[] bad = new byte[length];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> hasher.hashChildren(bad, good));
        assertEquals("left child hash must be 32 bytes, got " + length, e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> hasher.hashChildren(good, bad));
    }

    @Test
    void concurrentUseGivesTheSameHashesAsSequentialUse() throws Exception {
        List<byte[]> data = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            data.add(("entry-" + i).getBytes(StandardCharsets.US_ASCII));
        }
        List<byte[]> expected = data.stream().map(hasher::hashLeaf).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<byte[]>>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> data.stream().map(hasher::hashLeaf).toList()));
            }
            for (Future<List<byte[]>> result : results) {
                List<byte[]> got = result.get();
                for (int i = 0; i < expected.size(); i++) {
                    assertArrayEquals(expected.get(i), got.get(i));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
