package org.emrsb.core.merkle;

import static org.emrsb.core.merkle.MerkleProofException.Reason.INDEX_OUT_OF_RANGE;
import static org.emrsb.core.merkle.MerkleProofException.Reason.INVALID_SIZE;
import static org.emrsb.core.merkle.MerkleProofException.Reason.MALFORMED_HASH;
import static org.emrsb.core.merkle.MerkleProofException.Reason.ROOT_MISMATCH;
import static org.emrsb.core.merkle.MerkleProofException.Reason.WRONG_PATH_LENGTH;
import static org.emrsb.core.merkle.Mutations.EMPTY_ROOT;
import static org.emrsb.core.merkle.Mutations.SOME_HASH;
import static org.emrsb.core.merkle.Mutations.assertFails;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.emrsb.core.merkle.MerkleProofException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProofVerifierTest {

    static Stream<InclusionProof> goldenInclusionProofs() {
        return GoldenVectors.INCLUSION_PROOFS.stream();
    }

    static Stream<ConsistencyProof> goldenConsistencyProofs() {
        return GoldenVectors.CONSISTENCY_PROOFS.stream();
    }

    static Stream<ConsistencyProof> nonTrivialGoldenConsistencyProofs() {
        return goldenConsistencyProofs().filter(p -> p.pathLength() > 0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenInclusionProofs")
    void goldenInclusionProofsVerify(InclusionProof proof) throws MerkleProofException {
        byte[] leaf = GoldenVectors.leafHash(proof.leafIndex());
        byte[] root = GoldenVectors.root(proof.treeSize());
        assertArrayEquals(root, ProofVerifier.rootFromInclusionProof(leaf, proof));
        ProofVerifier.verifyInclusion(leaf, proof, root);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenConsistencyProofs")
    void goldenConsistencyProofsVerify(ConsistencyProof proof) throws MerkleProofException {
        ProofVerifier.verifyConsistency(proof,
                GoldenVectors.root(proof.firstSize()), GoldenVectors.root(proof.secondSize()));
    }

    /** Every bit of every path hash, plus the index, size, leaf, root and path corruptions. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("goldenInclusionProofs")
    void everyCorruptionOfAGoldenInclusionProofFailsWithItsReason(InclusionProof proof) {
        long index = proof.leafIndex();
        byte[] other = GoldenVectors.leafHash((index + 1) % 8);
        List<Mutations.InclusionCase> cases = Mutations.ofInclusion(GoldenVectors.leafHash(index), proof,
                GoldenVectors.root(proof.treeSize()), other, true);
        cases.forEach(Mutations::assertInclusion);
        assertTrue(cases.size() >= 13 + 256 * proof.pathLength());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nonTrivialGoldenConsistencyProofs")
    void everyCorruptionOfAGoldenConsistencyProofFailsWithItsReason(ConsistencyProof proof) {
        List<Mutations.ConsistencyCase> cases = Mutations.ofConsistency(proof,
                GoldenVectors.root(proof.firstSize()), GoldenVectors.root(proof.secondSize()), true);
        cases.forEach(Mutations::assertConsistency);
        assertTrue(cases.size() >= 14 + 256 * proof.pathLength());
    }

    /** Every proof of the reference tree, corrupted one bit a byte, for every index and size. */
    @Test
    void corruptionsOfEveryReferenceTreeProofFailWithTheirReason() {
        MerkleTree tree = MerkleTree.ofLeafData(GoldenVectors.LEAF_DATA);
        for (long size = 1; size <= 8; size++) {
            for (long index = 0; index < size; index++) {
                byte[] other = GoldenVectors.leafHash((index + 3) % 8);
                Mutations.ofInclusion(GoldenVectors.leafHash(index), tree.inclusionProof(index, size),
                        GoldenVectors.root(size), other, false).forEach(Mutations::assertInclusion);
            }
            for (long first = 1; first < size; first++) {
                Mutations.ofConsistency(tree.consistencyProof(first, size),
                        GoldenVectors.root(first), GoldenVectors.root(size), false).forEach(Mutations::assertConsistency);
            }
        }
    }

    /** The RFC binds the size only through the signed tree head; these two must be told apart by it. */
    @Test
    void aProofDoesNotByItselfAuthenticateTheTreeSize() throws MerkleProofException {
        InclusionProof leaf0Of8 = GoldenVectors.INCLUSION_PROOFS.get(1);
        InclusionProof claimedOf7 = new InclusionProof(0, 7, leaf0Of8.path());
        ProofVerifier.verifyInclusion(GoldenVectors.leafHash(0), claimedOf7, GoldenVectors.root(8));
        assertEquals(RfcReference.pathShape(0, 8), RfcReference.pathShape(0, 7));
    }

    // ---- edge cases of transparency-dev's TestVerifyInclusion* and CT's VerifyPath -----------

    @Test
    void singleLeafTreeHasAnEmptyPathAndItsLeafAsRoot() throws MerkleProofException {
        byte[] hash = MerkleHasher.sha256().hashLeaf("data".getBytes(StandardCharsets.US_ASCII));
        InclusionProof proof = new InclusionProof(0, 1, List.of());
        ProofVerifier.verifyInclusion(hash, proof, hash);
        assertFails(MALFORMED_HASH, "empty leaf", () -> ProofVerifier.verifyInclusion(new byte[0], proof, hash));
        assertFails(MALFORMED_HASH, "empty root", () -> ProofVerifier.verifyInclusion(hash, proof, new byte[0]));
        assertFails(ROOT_MISMATCH, "other root", () -> ProofVerifier.verifyInclusion(hash, proof, SOME_HASH));
    }

    static Stream<Arguments> impossibleInclusions() {
        return Stream.of(
                Arguments.of(0, 0, INDEX_OUT_OF_RANGE),
                Arguments.of(1, 0, INDEX_OUT_OF_RANGE),
                Arguments.of(2, 1, INDEX_OUT_OF_RANGE),
                Arguments.of(-1, 4, INDEX_OUT_OF_RANGE),
                Arguments.of(Long.MIN_VALUE, 4, INDEX_OUT_OF_RANGE),
                Arguments.of(0, -1, INVALID_SIZE),
                Arguments.of(0, 1, ROOT_MISMATCH));
    }

    @ParameterizedTest(name = "index {0} of size {1}: {2}")
    @MethodSource("impossibleInclusions")
    void inclusionOutsideTheTreeFailsTyped(long index, long size, Reason reason) {
        InclusionProof proof = new InclusionProof(index, size, List.of());
        assertFails(reason, "root", () -> ProofVerifier.verifyInclusion(SOME_HASH, proof, EMPTY_ROOT));
    }

    @Test
    void wrongPathLengthIsReportedWithBothCounts() {
        InclusionProof golden = GoldenVectors.INCLUSION_PROOFS.get(1);
        InclusionProof shortened = new InclusionProof(0, 8, golden.path().subList(0, 2));
        MerkleProofException e = assertFails(WRONG_PATH_LENGTH, "shortened",
                () -> ProofVerifier.verifyInclusion(GoldenVectors.leafHash(0), shortened, GoldenVectors.root(8)));
        assertEquals("WRONG_PATH_LENGTH: inclusion proof for leaf 0 of tree size 8 has 2 hashes, expected 3",
                e.getMessage());
    }

    @Test
    void rootMismatchNamesBothRoots() {
        InclusionProof golden = GoldenVectors.INCLUSION_PROOFS.get(1);
        MerkleProofException e = assertFails(ROOT_MISMATCH, "other root",
                () -> ProofVerifier.verifyInclusion(GoldenVectors.leafHash(0), golden, SOME_HASH));
        assertTrue(e.getMessage().contains(Hashes.hex(GoldenVectors.root(8))), e.getMessage());
        assertTrue(e.getMessage().contains(GoldenVectors.SOME_HASH), e.getMessage());
    }

    // ---- edge cases of transparency-dev's TestVerifyConsistency --------------------------------

    static Stream<Arguments> consistencyEdgeCases() {
        byte[] r1 = GoldenVectors.root(1);
        byte[] r2 = GoldenVectors.root(2);
        List<byte[]> none = List.of();
        List<byte[]> one = List.of(EMPTY_ROOT);
        return Stream.of(
                // Sizes that are always consistent; from 0, the first root must be the empty root.
                Arguments.of(0, 0, EMPTY_ROOT, EMPTY_ROOT, none, null),
                Arguments.of(0, 1, EMPTY_ROOT, r2, none, null),
                Arguments.of(1, 1, r2, r2, none, null),
                // Equal sizes with different roots, or a non-empty root for size 0.
                Arguments.of(0, 0, r1, r2, none, ROOT_MISMATCH),
                Arguments.of(1, 1, r1, r2, none, ROOT_MISMATCH),
                Arguments.of(0, 3, r1, r2, none, ROOT_MISMATCH),
                // Time travel to the past, negative sizes.
                Arguments.of(1, 0, r1, r2, none, INVALID_SIZE),
                Arguments.of(2, 1, r1, r2, none, INVALID_SIZE),
                Arguments.of(-1, 1, r1, r2, none, INVALID_SIZE),
                Arguments.of(1, -1, r1, r2, none, INVALID_SIZE),
                // An empty proof where one is needed.
                Arguments.of(1, 2, r1, r2, none, WRONG_PATH_LENGTH),
                // Roots match but the proof is not empty.
                Arguments.of(0, 0, EMPTY_ROOT, EMPTY_ROOT, one, WRONG_PATH_LENGTH),
                Arguments.of(0, 1, EMPTY_ROOT, EMPTY_ROOT, one, WRONG_PATH_LENGTH),
                Arguments.of(1, 1, EMPTY_ROOT, EMPTY_ROOT, one, WRONG_PATH_LENGTH),
                // Malformed roots.
                Arguments.of(1, 1, new byte[0], r1, none, MALFORMED_HASH),
                Arguments.of(1, 1, r1, new byte[33], none, MALFORMED_HASH));
    }

    @ParameterizedTest(name = "{0} -> {1}: {5}")
    @MethodSource("consistencyEdgeCases")
    void consistencyEdgeCasesFollowTheRfcAndOurExtensions(long first, long second, byte[] root1, byte[] root2,
            List<byte[]> path, Reason expected) {
        ConsistencyProof proof = new ConsistencyProof(first, second, path);
        if (expected == null) {
            assertDoesNotThrow(() -> ProofVerifier.verifyConsistency(proof, root1, root2));
        } else {
            assertFails(expected, first + "->" + second, () -> ProofVerifier.verifyConsistency(proof, root1, root2));
        }
    }

    @Test
    void consistencyFailuresSayWhichRootDiffers() {
        ConsistencyProof golden = GoldenVectors.CONSISTENCY_PROOFS.get(2); // 6 -> 8
        MerkleProofException first = assertFails(ROOT_MISMATCH, "root1",
                () -> ProofVerifier.verifyConsistency(golden, SOME_HASH, GoldenVectors.root(8)));
        assertTrue(first.getMessage().contains("first root"), first.getMessage());
        MerkleProofException second = assertFails(ROOT_MISMATCH, "root2",
                () -> ProofVerifier.verifyConsistency(golden, GoldenVectors.root(6), SOME_HASH));
        assertTrue(second.getMessage().contains("second root"), second.getMessage());
    }

    @Test
    void nullsAreProgrammingErrors() {
        InclusionProof inclusion = GoldenVectors.INCLUSION_PROOFS.get(0);
        byte[] h = GoldenVectors.leafHash(0);
        assertThrows(NullPointerException.class, () -> ProofVerifier.verifyInclusion(null, inclusion, h));
        assertThrows(NullPointerException.class, () -> ProofVerifier.verifyInclusion(h, null, h));
        assertThrows(NullPointerException.class, () -> ProofVerifier.verifyInclusion(h, inclusion, null));
        ConsistencyProof consistency = GoldenVectors.CONSISTENCY_PROOFS.get(0);
        assertThrows(NullPointerException.class, () -> ProofVerifier.verifyConsistency(null, h, h));
        assertThrows(NullPointerException.class, () -> ProofVerifier.verifyConsistency(consistency, null, h));
        assertThrows(NullPointerException.class, () -> ProofVerifier.verifyConsistency(consistency, h, null));
        List<byte[]> withNull = new ArrayList<>();
        withNull.add(null);
        assertThrows(NullPointerException.class, () -> new InclusionProof(0, 2, withNull));
        assertThrows(NullPointerException.class, () -> new ConsistencyProof(1, 2, null));
    }
}
