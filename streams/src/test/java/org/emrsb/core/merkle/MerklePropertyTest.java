package org.emrsb.core.merkle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Properties over trees of 1 to 2000 random leaves, with a fixed seed so any failure replays.
 * Sizes are sampled (all of 1..64, every power of two up to 1024 with its neighbours, 1999,
 * 2000, and 40 random ones) to keep the run to a few seconds; at each sampled size every proof is
 * checked.
 */
class MerklePropertyTest {

    private static final long SEED = 0x6962_9162L;
    private static final int MAX_SIZE = 2000;

    private static final List<byte[]> leafHashes = new ArrayList<>();
    private static MerkleTree tree;
    /** compactRoots[n]: the root after n appends to a CompactRange, a second implementation. */
    private static byte[][] compactRoots;

    @BeforeAll
    static void buildTrees() {
        Random random = new Random(SEED);
        MerkleHasher hasher = MerkleHasher.sha256();
        tree = new MerkleTree();
        CompactRange range = new CompactRange();
        compactRoots = new byte[MAX_SIZE + 1][];
        compactRoots[0] = range.root();
        for (int i = 0; i < MAX_SIZE; i++) {
            byte[] data = new byte[4 + random.nextInt(60)];
            random.nextBytes(data);
            data[0] = (byte) i; // with the random rest, leaves are distinct
            leafHashes.add(hasher.hashLeaf(data));
            tree.append(leafHashes.get(i));
            range.append(leafHashes.get(i));
            compactRoots[i + 1] = range.root();
        }
    }

    static List<Integer> sampledSizes() {
        TreeSet<Integer> sizes = new TreeSet<>();
        for (int n = 1; n <= 64; n++) {
            sizes.add(n);
        }
        for (int p = 128; p <= 1024; p *= 2) {
            sizes.addAll(List.of(p - 1, p, p + 1));
        }
        sizes.addAll(List.of(MAX_SIZE - 1, MAX_SIZE));
        Random random = new Random(SEED + 1);
        while (sizes.size() < 64 + 3 * 4 + 2 + 40) {
            sizes.add(65 + random.nextInt(MAX_SIZE - 64));
        }
        return new ArrayList<>(sizes);
    }

    @Test
    void everyInclusionProofVerifiesAtEverySampledSize() throws MerkleProofException {
        long checked = 0;
        for (int size : sampledSizes()) {
            byte[] root = compactRoots[size];
            for (int index = 0; index < size; index++) {
                InclusionProof proof = tree.inclusionProof(index, size);
                ProofVerifier.verifyInclusion(leafHashes.get(index), proof, root);
                checked++;
            }
        }
        assertEquals(sampledSizes().stream().mapToLong(Integer::longValue).sum(), checked);
    }

    @Test
    void everyConsistencyProofVerifiesAtEverySampledSize() throws MerkleProofException {
        for (int second : sampledSizes()) {
            for (int first = 0; first <= second; first++) {
                ConsistencyProof proof = tree.consistencyProof(first, second);
                ProofVerifier.verifyConsistency(proof, compactRoots[first], compactRoots[second]);
            }
        }
    }

    /** Generation against the RFC's recursive definitions, exhaustively on small trees. */
    @Test
    void proofsAreExactlyTheRfcsUpTo100Leaves() {
        for (int size = 1; size <= 100; size++) {
            List<byte[]> leaves = leafHashes.subList(0, size);
            for (int index = 0; index < size; index++) {
                InclusionProof expected = new InclusionProof(index, size, RfcReference.path(index, leaves));
                assertEquals(expected, tree.inclusionProof(index, size));
            }
            for (int first = 1; first <= size; first++) {
                ConsistencyProof expected = new ConsistencyProof(first, size, RfcReference.proof(first, leaves));
                assertEquals(expected, tree.consistencyProof(first, size));
            }
        }
    }

    @Test
    void compactRangeEqualsTheTreeRootForEveryPrefixAndSurvivesSerialisation() {
        CompactRange range = new CompactRange();
        for (int size = 1; size <= MAX_SIZE; size++) {
            range.append(leafHashes.get(size - 1));
            CompactRange restored = CompactRange.fromBytes(range.toBytes());
            assertEquals(range, restored, "size " + size);
            assertArrayEquals(tree.root(size), restored.root(), "size " + size);
            assertEquals(Long.bitCount(size), restored.hashes().size());
            range = restored; // go on appending to the decoded copy
        }
    }

    @Test
    void rootsAgreeWithTheRecursiveDefinitionAtSampledSizes() {
        for (int size : sampledSizes()) {
            List<byte[]> leaves = leafHashes.subList(0, size);
            assertArrayEquals(RfcReference.mth(leaves), compactRoots[size], "size " + size);
            assertArrayEquals(MerkleTree.rootOfLeafHashes(leaves), compactRoots[size], "size " + size);
        }
    }

    @Test
    void restoredCompactRangesVerifyProofsAtSampledSizes() throws MerkleProofException {
        Random random = new Random(SEED + 2);
        CompactRange range = new CompactRange();
        int appended = 0;
        for (int size : sampledSizes()) {
            while (appended < size) {
                range.append(leafHashes.get(appended++));
            }
            CompactRange restored = CompactRange.fromBytes(range.toBytes());
            int index = random.nextInt(size);
            restored.verifyInclusion(leafHashes.get(index), tree.inclusionProof(index, size));
            int first = random.nextInt(size + 1);
            restored.verifyConsistency(compactRoots[first], tree.consistencyProof(first, size));
        }
    }

    /** Systematic corruptions (one bit a byte) of 150 random proofs of each kind. */
    @Test
    void corruptionsOfRandomProofsFailWithTheirReason() {
        Random random = new Random(SEED + 3);
        for (int i = 0; i < 150; i++) {
            int size = 2 + random.nextInt(MAX_SIZE - 1);
            int index = random.nextInt(size);
            byte[] other = leafHashes.get((index + 1 + random.nextInt(size - 1)) % size);
            Mutations.ofInclusion(leafHashes.get(index), tree.inclusionProof(index, size), compactRoots[size],
                    other, false).forEach(Mutations::assertInclusion);
            int first = 1 + random.nextInt(size - 1);
            Mutations.ofConsistency(tree.consistencyProof(first, size), compactRoots[first], compactRoots[size],
                    false).forEach(Mutations::assertConsistency);
        }
    }
}
