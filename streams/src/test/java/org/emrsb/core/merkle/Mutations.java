package org.emrsb.core.merkle;

import static org.emrsb.core.merkle.MerkleProofException.Reason.INDEX_OUT_OF_RANGE;
import static org.emrsb.core.merkle.MerkleProofException.Reason.INVALID_SIZE;
import static org.emrsb.core.merkle.MerkleProofException.Reason.MALFORMED_HASH;
import static org.emrsb.core.merkle.MerkleProofException.Reason.ROOT_MISMATCH;
import static org.emrsb.core.merkle.MerkleProofException.Reason.WRONG_PATH_LENGTH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.emrsb.core.merkle.MerkleProofException.Reason;

/**
 * Systematic corruptions of valid proofs, each with the outcome the verifier owes: the typed
 * failure, or (null) acceptance. In the spirit of transparency-dev/merkle's corruptInclusionProof
 * and corruptConsistencyProof, extended with every path element's bytes and bits and sizes +/- 1.
 *
 * <p>Sizes +/- 1 need care: RFC 9162 proofs do not authenticate the tree size by themselves
 * (a signed tree head binds size and root). When the mutated sizes call for a path of the same
 * shape (same sides at every level, see {@link RfcReference#pathShape}) the verifier performs the
 * very same hashing and must accept; e.g. leaf 0's proof in a tree of 8 also "proves" it in a tree
 * of 7 against the same root. The expectation here is therefore computed from the RFC's own
 * recursion, independently of the code under test.
 */
final class Mutations {

    static final byte[] SOME_HASH = GoldenVectors.hex(GoldenVectors.SOME_HASH);
    static final byte[] EMPTY_ROOT = GoldenVectors.hex(GoldenVectors.EMPTY_ROOT);
    static final byte[] WRONG_LEAF = "WrongLeaf".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** One verification attempt and what it must yield; {@code expected == null} means success. */
    record InclusionCase(String desc, byte[] leafHash, InclusionProof proof, byte[] root, Reason expected) {
    }

    /** One consistency verification attempt and what it must yield. */
    record ConsistencyCase(String desc, ConsistencyProof proof, byte[] root1, byte[] root2, Reason expected) {
    }

    private Mutations() {
    }

    /**
     * Corruptions of a valid inclusion proof.
     *
     * @param otherLeafHash a valid hash of another leaf
     * @param everyBit      flip every bit of every path hash, else one bit per byte
     */
    static List<InclusionCase> ofInclusion(byte[] leafHash, InclusionProof valid, byte[] root,
            byte[] otherLeafHash, boolean everyBit) {
        long index = valid.leafIndex();
        long size = valid.treeSize();
        List<byte[]> path = valid.path();
        List<InclusionCase> cases = new ArrayList<>();
        cases.add(new InclusionCase("wrong leaf", otherLeafHash, valid, root, ROOT_MISMATCH));
        cases.add(new InclusionCase("9-byte leaf", WRONG_LEAF, valid, root, MALFORMED_HASH));
        cases.add(new InclusionCase("empty-tree root", leafHash, valid, EMPTY_ROOT, ROOT_MISMATCH));
        cases.add(new InclusionCase("random root", leafHash, valid, SOME_HASH, ROOT_MISMATCH));
        cases.add(new InclusionCase("31-byte root", leafHash, valid, Arrays.copyOf(root, 31), MALFORMED_HASH));
        for (long i : new long[] {index - 1, index + 1, index ^ 2}) {
            cases.add(inclusionWith("index " + i, leafHash, i, size, path, root, valid));
        }
        for (long n : new long[] {size - 1, size + 1, size * 2, size / 2}) {
            cases.add(inclusionWith("size " + n, leafHash, index, n, path, root, valid));
        }
        for (PathMutation m : pathMutations(path, root, everyBit)) {
            cases.add(new InclusionCase(m.desc, leafHash, new InclusionProof(index, size, m.path), root, m.expected));
        }
        return cases;
    }

    /** Corruptions of a valid, non-trivial ({@code 0 < first < second}) consistency proof. */
    static List<ConsistencyCase> ofConsistency(ConsistencyProof valid, byte[] root1, byte[] root2, boolean everyBit) {
        long m = valid.firstSize();
        long n = valid.secondSize();
        List<byte[]> path = valid.path();
        List<ConsistencyCase> cases = new ArrayList<>();
        cases.add(new ConsistencyCase("swapped roots", valid, root2, root1, ROOT_MISMATCH));
        cases.add(new ConsistencyCase("random root1", valid, SOME_HASH, root2, ROOT_MISMATCH));
        cases.add(new ConsistencyCase("random root2", valid, root1, SOME_HASH, ROOT_MISMATCH));
        cases.add(new ConsistencyCase("9-byte root1", valid, WRONG_LEAF, root2, MALFORMED_HASH));
        cases.add(new ConsistencyCase("9-byte root2", valid, root1, WRONG_LEAF, MALFORMED_HASH));
        cases.add(new ConsistencyCase("empty proof",
                new ConsistencyProof(m, n, List.of()), root1, root2, WRONG_PATH_LENGTH));
        for (long first : new long[] {m - 1, m + 1, m ^ 2}) {
            cases.add(consistencyWith("size1 " + first, first, n, path, root1, root2, valid));
        }
        for (long second : new long[] {n - 1, n + 1, n * 2, n / 2}) {
            cases.add(consistencyWith("size2 " + second, m, second, path, root1, root2, valid));
        }
        for (PathMutation pm : pathMutations(path, root2, everyBit)) {
            cases.add(new ConsistencyCase(pm.desc, new ConsistencyProof(m, n, pm.path), root1, root2, pm.expected));
        }
        cases.add(consistencyCase("preceding proof[0]", valid, prepend(path, path.get(0)), root1, root2));
        cases.add(consistencyCase("trailing root1", valid, append(path, root1), root1, root2));
        return cases;
    }

    static void assertInclusion(InclusionCase c) {
        if (c.expected == null) {
            try {
                ProofVerifier.verifyInclusion(c.leafHash, c.proof, c.root);
            } catch (MerkleProofException e) {
                fail(c.desc + ": the RFC cannot tell these sizes apart, yet: " + e.getMessage());
            }
            return;
        }
        assertFails(c.expected, c.desc, () -> ProofVerifier.verifyInclusion(c.leafHash, c.proof, c.root));
    }

    static void assertConsistency(ConsistencyCase c) {
        if (c.expected == null) {
            try {
                ProofVerifier.verifyConsistency(c.proof, c.root1, c.root2);
            } catch (MerkleProofException e) {
                fail(c.desc + ": the RFC cannot tell these sizes apart, yet: " + e.getMessage());
            }
            return;
        }
        assertFails(c.expected, c.desc, () -> ProofVerifier.verifyConsistency(c.proof, c.root1, c.root2));
    }

    /** A verification that must throw a MerkleProofException. */
    interface Verification {
        void run() throws MerkleProofException;
    }

    static MerkleProofException assertFails(Reason expected, String desc, Verification verification) {
        MerkleProofException e = assertThrows(MerkleProofException.class, verification::run, desc);
        assertEquals(expected, e.reason(), desc + ": " + e.getMessage());
        return e;
    }

    // ---- expectations from the RFC's recursion --------------------------------------------------

    private static InclusionCase inclusionWith(String desc, byte[] leafHash, long index, long size,
            List<byte[]> path, byte[] root, InclusionProof valid) {
        Reason expected;
        if (size < 0) {
            expected = INVALID_SIZE;
        } else if (index < 0 || index >= size) {
            expected = INDEX_OUT_OF_RANGE;
        } else if (RfcReference.pathLength(index, size) != path.size()) {
            expected = WRONG_PATH_LENGTH;
        } else if (RfcReference.pathShape(index, size)
                .equals(RfcReference.pathShape(valid.leafIndex(), valid.treeSize()))) {
            expected = null;
        } else {
            expected = ROOT_MISMATCH;
        }
        return new InclusionCase(desc, leafHash, new InclusionProof(index, size, path), root, expected);
    }

    private static ConsistencyCase consistencyWith(String desc, long first, long second,
            List<byte[]> path, byte[] root1, byte[] root2, ConsistencyProof valid) {
        Reason expected;
        if (first < 0 || second < 0 || first > second) {
            expected = INVALID_SIZE;
        } else if (RfcReference.proofLength(first, second) != path.size()) {
            expected = WRONG_PATH_LENGTH;
        } else if (RfcReference.proofShape(first, second)
                .equals(RfcReference.proofShape(valid.firstSize(), valid.secondSize()))) {
            expected = null;
        } else {
            expected = ROOT_MISMATCH;
        }
        return new ConsistencyCase(desc, new ConsistencyProof(first, second, path), root1, root2, expected);
    }

    private static ConsistencyCase consistencyCase(String desc, ConsistencyProof valid, List<byte[]> path,
            byte[] root1, byte[] root2) {
        ConsistencyProof proof = new ConsistencyProof(valid.firstSize(), valid.secondSize(), path);
        return new ConsistencyCase(desc, proof, root1, root2, WRONG_PATH_LENGTH);
    }

    // ---- path corruptions, common to both proof kinds ----------------------------------------

    private record PathMutation(String desc, List<byte[]> path, Reason expected) {
    }

    private static List<PathMutation> pathMutations(List<byte[]> path, byte[] root, boolean everyBit) {
        List<PathMutation> out = new ArrayList<>();
        for (int i = 0; i < path.size(); i++) {
            for (int b = 0; b < MerkleHasher.HASH_LENGTH; b++) {
                for (int bit = 0; bit < 8; bit++) {
                    if (everyBit || bit == b % 8) {
                        out.add(new PathMutation("path[" + i + "] byte " + b + " bit " + bit,
                                flip(path, i, b, bit), ROOT_MISMATCH));
                    }
                }
            }
            out.add(new PathMutation("path[" + i + "] = empty-tree root", replace(path, i, EMPTY_ROOT), ROOT_MISMATCH));
            out.add(new PathMutation("path[" + i + "] truncated to 31 bytes",
                    replace(path, i, Arrays.copyOf(path.get(i), 31)), MALFORMED_HASH));
            out.add(new PathMutation("path without [" + i + "]", remove(path, i), WRONG_PATH_LENGTH));
        }
        for (int i = 0; i + 1 < path.size(); i++) {
            if (!Arrays.equals(path.get(i), path.get(i + 1))) {
                out.add(new PathMutation("path[" + i + "] and [" + (i + 1) + "] swapped", swap(path, i), ROOT_MISMATCH));
            }
        }
        out.add(new PathMutation("trailing root", append(path, root), WRONG_PATH_LENGTH));
        out.add(new PathMutation("trailing random hash", append(path, SOME_HASH), WRONG_PATH_LENGTH));
        out.add(new PathMutation("preceding root", prepend(path, root), WRONG_PATH_LENGTH));
        out.add(new PathMutation("inserted random hash", insert(path, path.size() / 2, SOME_HASH), WRONG_PATH_LENGTH));
        out.add(new PathMutation("trailing empty hash", append(path, new byte[0]), MALFORMED_HASH));
        out.add(new PathMutation("preceding empty hash", prepend(path, new byte[0]), MALFORMED_HASH));
        return out;
    }

    private static List<byte[]> flip(List<byte[]> path, int i, int b, int bit) {
        byte[] hash = path.get(i).clone();
        hash[b] ^= (byte) (1 << bit);
        return replace(path, i, hash);
    }

    private static List<byte[]> replace(List<byte[]> path, int i, byte[] hash) {
        List<byte[]> out = new ArrayList<>(path);
        out.set(i, hash);
        return out;
    }

    private static List<byte[]> remove(List<byte[]> path, int i) {
        List<byte[]> out = new ArrayList<>(path);
        out.remove(i);
        return out;
    }

    private static List<byte[]> swap(List<byte[]> path, int i) {
        List<byte[]> out = new ArrayList<>(path);
        Collections.swap(out, i, i + 1);
        return out;
    }

    private static List<byte[]> insert(List<byte[]> path, int i, byte[] hash) {
        List<byte[]> out = new ArrayList<>(path);
        out.add(i, hash);
        return out;
    }

    static List<byte[]> append(List<byte[]> path, byte[] hash) {
        return insert(path, path.size(), hash);
    }

    static List<byte[]> prepend(List<byte[]> path, byte[] hash) {
        return insert(path, 0, hash);
    }
}
