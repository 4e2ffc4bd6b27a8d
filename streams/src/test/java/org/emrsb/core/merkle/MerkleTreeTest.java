package org.emrsb.core.merkle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class MerkleTreeTest {

    private final MerkleTree reference = MerkleTree.ofLeafData(GoldenVectors.LEAF_DATA);

    @Test
    void emptyTreeHasTheEmptyRoot() {
        MerkleTree tree = new MerkleTree();
        assertEquals(0, tree.size());
        assertArrayEquals(GoldenVectors.root(0), tree.root());
        assertArrayEquals(GoldenVectors.root(0), MerkleTree.rootOfLeafHashes(List.of()));
        assertArrayEquals(GoldenVectors.root(0), MerkleTree.rootOfLeafData(List.of()));
    }

    /** As CT's RootTestVectors "first tree": after each append, every past root is right. */
    @Test
    void rootsOfEveryPrefixWhenBuiltOneLeafAtATime() {
        MerkleTree tree = new MerkleTree();
        for (int i = 0; i < 8; i++) {
            assertEquals(i, tree.appendData(GoldenVectors.LEAF_DATA.get(i)));
            assertEquals(i + 1, tree.size());
            assertArrayEquals(GoldenVectors.root(i + 1), tree.root(), "size " + (i + 1));
            for (int past = 0; past <= i + 1; past++) {
                assertArrayEquals(GoldenVectors.root(past), tree.root(past), "root(" + past + ") at " + (i + 1));
            }
        }
    }

    /** As CT's "third tree": three leaves, then the other five. */
    @Test
    void rootWhenBuiltInTwoChunks() {
        MerkleTree tree = MerkleTree.ofLeafData(GoldenVectors.LEAF_DATA.subList(0, 3));
        assertArrayEquals(GoldenVectors.root(3), tree.root());
        GoldenVectors.LEAF_DATA.subList(3, 8).forEach(tree::appendData);
        assertArrayEquals(GoldenVectors.root(8), tree.root());
    }

    @Test
    void recursiveRootOfEveryPrefixMatchesTheVectors() {
        for (int size = 0; size <= 8; size++) {
            List<byte[]> data = GoldenVectors.LEAF_DATA.subList(0, size);
            assertArrayEquals(GoldenVectors.root(size), MerkleTree.rootOfLeafData(data), "size " + size);
            List<byte[]> hashes = GoldenVectors.NODE_HASHES.get(0).subList(0, size);
            assertArrayEquals(GoldenVectors.root(size), MerkleTree.rootOfLeafHashes(hashes), "size " + size);
        }
    }

    @Test
    void leafHashesAreThePublishedOnes() {
        for (int i = 0; i < 8; i++) {
            assertArrayEquals(GoldenVectors.leafHash(i), reference.leafHash(i));
        }
        MerkleTree byHash = MerkleTree.ofLeafHashes(GoldenVectors.NODE_HASHES.get(0));
        assertArrayEquals(GoldenVectors.root(8), byHash.root());
    }

    static Stream<InclusionProof> goldenInclusionProofs() {
        return GoldenVectors.INCLUSION_PROOFS.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenInclusionProofs")
    void generatesTheGoldenInclusionProofs(InclusionProof expected) {
        assertEquals(expected, reference.inclusionProof(expected.leafIndex(), expected.treeSize()));
    }

    static Stream<ConsistencyProof> goldenConsistencyProofs() {
        return GoldenVectors.CONSISTENCY_PROOFS.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenConsistencyProofs")
    void generatesTheGoldenConsistencyProofs(ConsistencyProof expected) {
        assertEquals(expected, reference.consistencyProof(expected.firstSize(), expected.secondSize()));
    }

    /**
     * Every inclusion and consistency proof of the reference tree: equal to the RFC's recursive
     * definition, and each hash of a perfect subtree equal to the published node hash [TD-C].
     */
    @Test
    void everyReferenceTreeProofIsTheRfcsAndUsesThePublishedNodes() {
        List<byte[]> leaves = GoldenVectors.NODE_HASHES.get(0);
        for (int size = 1; size <= 8; size++) {
            for (int index = 0; index < size; index++) {
                InclusionProof proof = reference.inclusionProof(index, size);
                assertEquals(new InclusionProof(index, size, RfcReference.path(index, leaves.subList(0, size))), proof);
                assertPublishedNodes(TreeMath.inclusionSubtrees(index, size), proof.path());
            }
            for (int first = 0; first <= size; first++) {
                ConsistencyProof proof = reference.consistencyProof(first, size);
                List<byte[]> expected = first == 0 ? List.of() : RfcReference.proof(first, leaves.subList(0, size));
                assertEquals(new ConsistencyProof(first, size, expected), proof);
                assertPublishedNodes(TreeMath.consistencySubtrees(first, size), proof.path());
            }
        }
    }

    private static void assertPublishedNodes(List<Subtree> subtrees, List<byte[]> hashes) {
        for (int i = 0; i < subtrees.size(); i++) {
            Subtree s = subtrees.get(i);
            if (s.isPerfect()) {
                int level = Long.numberOfTrailingZeros(s.size());
                byte[] published = GoldenVectors.NODE_HASHES.get(level).get((int) (s.start() >> level));
                assertArrayEquals(published, hashes.get(i), "subtree " + s);
            } else if (s.start() == 0) {
                assertArrayEquals(GoldenVectors.root(s.end()), hashes.get(i), "subtree " + s);
            }
        }
    }

    @Test
    void proofsForTheWholeTreeDefaultToItsSize() {
        assertEquals(reference.inclusionProof(5, 8), reference.inclusionProof(5));
        assertEquals(reference.consistencyProof(3, 8), reference.consistencyProof(3));
    }

    @ParameterizedTest(name = "inclusionProof({0}, {1})")
    @CsvSource({"8, 8", "0, 9", "-1, 8", "0, 0", "3, -1"})
    void inclusionProofOutsideTheTreeIsRejected(long index, long size) {
        assertThrows(IllegalArgumentException.class, () -> reference.inclusionProof(index, size));
    }

    @ParameterizedTest(name = "consistencyProof({0}, {1})")
    @CsvSource({"5, 3", "3, 9", "-1, 3", "0, -1"})
    void consistencyProofOutsideTheTreeIsRejected(long first, long second) {
        assertThrows(IllegalArgumentException.class, () -> reference.consistencyProof(first, second));
    }

    @Test
    void badArgumentsAreRejectedWithClearErrors() {
        MerkleTree tree = new MerkleTree();
        assertThrows(NullPointerException.class, () -> tree.append(null));
        assertThrows(NullPointerException.class, () -> tree.appendData(null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tree.append(new byte[31]));
        assertEquals("leaf hash must be 32 bytes, got 31", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> reference.root(9));
        assertThrows(IllegalArgumentException.class, () -> reference.root(-1));
        assertThrows(IllegalArgumentException.class, () -> reference.leafHash(8));
        assertThrows(IllegalArgumentException.class,
                () -> MerkleTree.ofLeafHashes(List.of(new byte[32], new byte[3])));
        assertThrows(IllegalArgumentException.class,
                () -> MerkleTree.rootOfLeafHashes(List.of(new byte[32], new byte[3])));
        assertThrows(NullPointerException.class, () -> MerkleTree.rootOfLeafHashes(null));
        assertEquals(0, tree.size(), "a rejected append must not change the tree");
    }

    @Test
    void callersCannotChangeTheTreeThroughArrays() {
        byte[] leaf = GoldenVectors.leafHash(0).clone();
        MerkleTree tree = new MerkleTree();
        tree.append(leaf);
        leaf[0] ^= 1;
        tree.root()[0] ^= 1;
        tree.leafHash(0)[0] ^= 1;
        assertArrayEquals(GoldenVectors.root(1), tree.root());

        InclusionProof proof = reference.inclusionProof(0);
        proof.path().get(0)[0] ^= 1;
        List<byte[]> path = new ArrayList<>(proof.path());
        assertEquals(proof, new InclusionProof(0, 8, path));
    }
}
