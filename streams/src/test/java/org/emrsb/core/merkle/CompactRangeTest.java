package org.emrsb.core.merkle;

import static org.emrsb.core.merkle.MerkleProofException.Reason.ROOT_MISMATCH;
import static org.emrsb.core.merkle.MerkleProofException.Reason.SIZE_MISMATCH;
import static org.emrsb.core.merkle.Mutations.assertFails;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompactRangeTest {

    /** [TD-C] CompactTrees and RootHashes, for every size of the reference tree. */
    @Test
    void hashesAndRootsOfEveryPrefixMatchTheVectors() {
        CompactRange range = new CompactRange();
        assertEquals(0, range.size());
        assertArrayEquals(GoldenVectors.root(0), range.root());
        for (int i = 0; i < 8; i++) {
            assertEquals(i, range.appendData(GoldenVectors.LEAF_DATA.get(i)));
            assertEquals(i + 1, range.size());
            assertHashes(GoldenVectors.compactTree(i + 1), range.hashes());
            assertArrayEquals(GoldenVectors.root(i + 1), range.root(), "size " + (i + 1));
        }
    }

    private static void assertHashes(List<byte[]> expected, List<byte[]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "hash " + i);
        }
    }

    /** The layout, spelled out byte by byte for size 7 of the reference tree. */
    @Test
    void encodingFollowsTheDocumentedLayout() {
        CompactRange range = rangeOf(7);
        byte[] bytes = range.toBytes();
        assertEquals(1 + 8 + 1 + 3 * 32, bytes.length);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        assertEquals(1, in.get(), "version");
        assertEquals(7, in.getLong(), "size, big-endian");
        assertEquals(3, in.get(), "count");
        for (byte[] expected : GoldenVectors.compactTree(7)) {
            byte[] hash = new byte[32];
            in.get(hash);
            assertArrayEquals(expected, hash);
        }
    }

    @Test
    void emptyRangeEncodesAsTenBytes() {
        assertArrayEquals(new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 0}, new CompactRange().toBytes());
        assertEquals(new CompactRange(), CompactRange.fromBytes(new byte[] {1, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
        assertRejected(new byte[10], IllegalArgumentException.class); // version 0
    }

    @Test
    void roundTripKeepsEverythingAndAppendingGoesOn() {
        for (int size = 0; size <= 8; size++) {
            CompactRange range = rangeOf(size);
            CompactRange decoded = CompactRange.fromBytes(range.toBytes());
            assertEquals(range, decoded);
            assertEquals(range.hashCode(), decoded.hashCode());
            assertArrayEquals(range.toBytes(), decoded.toBytes());
            for (int i = size; i < 8; i++) {
                decoded.appendData(GoldenVectors.LEAF_DATA.get(i));
            }
            assertArrayEquals(GoldenVectors.root(8), decoded.root(), "resumed from size " + size);
        }
    }

    @Test
    void malformedEncodingsAreRejected() {
        byte[] good = rangeOf(7).toBytes();
        assertRejected(null, NullPointerException.class);
        assertRejected(new byte[0], IllegalArgumentException.class);
        assertRejected(Arrays.copyOf(good, 9), IllegalArgumentException.class);
        assertRejected(Arrays.copyOf(good, good.length - 1), IllegalArgumentException.class);
        assertRejected(Arrays.copyOf(good, good.length + 1), IllegalArgumentException.class);
        assertRejected(with(good, 0, (byte) 2), IllegalArgumentException.class); // version
        assertRejected(with(good, 9, (byte) 2), IllegalArgumentException.class); // count != bitCount(7)
        assertRejected(with(good, 1, (byte) 0x80), IllegalArgumentException.class); // size >= 2^63
        assertRejected(with(good, 8, (byte) 6), IllegalArgumentException.class); // size 6 needs 2 hashes
    }

    private static byte[] with(byte[] bytes, int at, byte value) {
        byte[] copy = bytes.clone();
        copy[at] = value;
        return copy;
    }

    private static void assertRejected(byte[] bytes, Class<? extends RuntimeException> type) {
        assertThrows(type, () -> CompactRange.fromBytes(bytes));
    }

    @Test
    void ofValidatesItsParts() {
        List<byte[]> three = GoldenVectors.compactTree(7);
        assertEquals(rangeOf(7), CompactRange.of(7, three));
        assertThrows(IllegalArgumentException.class, () -> CompactRange.of(6, three));
        assertThrows(IllegalArgumentException.class, () -> CompactRange.of(-1, List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> CompactRange.of(1, List.of(new byte[31])));
        assertThrows(NullPointerException.class, () -> CompactRange.of(1, null));
    }

    @Test
    void appendRejectsBadLeavesWithoutChangingState() {
        CompactRange range = rangeOf(3);
        assertThrows(NullPointerException.class, () -> range.append(null));
        assertThrows(IllegalArgumentException.class, () -> range.append(new byte[33]));
        assertEquals(rangeOf(3), range);
    }

    @Test
    void aFullRangeRefusesToGrow() {
        List<byte[]> hashes = Collections.nCopies(63, new byte[32]);
        CompactRange full = CompactRange.of(Long.MAX_VALUE, hashes);
        assertThrows(IllegalStateException.class, () -> full.append(new byte[32]));
        assertEquals(full, CompactRange.fromBytes(full.toBytes()));
    }

    @Test
    void verifiesInclusionProofsOfItsOwnSize() throws MerkleProofException {
        MerkleTree tree = MerkleTree.ofLeafData(GoldenVectors.LEAF_DATA);
        for (int size = 1; size <= 8; size++) {
            CompactRange range = rangeOf(size);
            for (int index = 0; index < size; index++) {
                range.verifyInclusion(GoldenVectors.leafHash(index), tree.inclusionProof(index, size));
            }
        }
        CompactRange five = rangeOf(5);
        InclusionProof ofSix = tree.inclusionProof(1, 6);
        MerkleProofException e = assertFails(SIZE_MISMATCH, "size 6 proof vs range of 5",
                () -> five.verifyInclusion(GoldenVectors.leafHash(1), ofSix));
        assertEquals("SIZE_MISMATCH: inclusion proof is for tree size 6, the range has size 5", e.getMessage());
        assertFails(ROOT_MISMATCH, "wrong leaf",
                () -> five.verifyInclusion(GoldenVectors.leafHash(2), tree.inclusionProof(1, 5)));
    }

    @Test
    void verifiesConsistencyWithOlderRoots() throws MerkleProofException {
        MerkleTree tree = MerkleTree.ofLeafData(GoldenVectors.LEAF_DATA);
        CompactRange eight = rangeOf(8);
        for (int first = 0; first <= 8; first++) {
            eight.verifyConsistency(GoldenVectors.root(first), tree.consistencyProof(first, 8));
        }
        assertFails(SIZE_MISMATCH, "proof to 7",
                () -> eight.verifyConsistency(GoldenVectors.root(3), tree.consistencyProof(3, 7)));
        assertFails(ROOT_MISMATCH, "wrong older root",
                () -> eight.verifyConsistency(GoldenVectors.root(4), tree.consistencyProof(3, 8)));
    }

    @Test
    void copiesAreIndependentAndEqualityIsByValue() {
        CompactRange range = rangeOf(5);
        CompactRange copy = range.copy();
        assertEquals(range, copy);
        copy.appendData(GoldenVectors.LEAF_DATA.get(5));
        assertNotEquals(range, copy);
        assertEquals(rangeOf(5), range);
        assertEquals(rangeOf(6), copy);
        range.hashes().get(0)[0] ^= 1;
        range.root()[0] ^= 1;
        assertEquals(rangeOf(5), range);
        assertTrue(range.toString().startsWith("CompactRange[size=5, hashes=[d37ee418"), range.toString());
    }

    private static CompactRange rangeOf(int size) {
        CompactRange range = new CompactRange();
        GoldenVectors.LEAF_DATA.subList(0, size).forEach(range::appendData);
        return range;
    }
}
