package org.emrsb.core.merkle;

import static org.emrsb.core.merkle.MerkleProofException.Reason.INDEX_OUT_OF_RANGE;
import static org.emrsb.core.merkle.MerkleProofException.Reason.INVALID_SIZE;
import static org.emrsb.core.merkle.MerkleProofException.Reason.MALFORMED_HASH;
import static org.emrsb.core.merkle.MerkleProofException.Reason.ROOT_MISMATCH;
import static org.emrsb.core.merkle.MerkleProofException.Reason.WRONG_PATH_LENGTH;

import java.security.MessageDigest;
import java.util.Objects;

/**
 * Verification of inclusion and consistency proofs, by the algorithms of RFC 9162 sections
 * 2.1.3.2 and 2.1.4.2, step for step.
 *
 * <p>Every argument apart from the proof object itself may come from an untrusted peer, so every
 * defect (index, sizes, hash lengths, path length, roots) is reported as a
 * {@link MerkleProofException} with its {@link MerkleProofException.Reason}; only nulls raise
 * {@link NullPointerException}. The checks run in a fixed order: index and sizes, hash lengths,
 * path length (against {@link TreeMath}, before any hashing), and last the roots. Stateless and
 * thread-safe.
 */
public final class ProofVerifier {

    private static final MerkleHasher HASHER = MerkleHasher.sha256();

    private ProofVerifier() {
    }

    /**
     * Verifies that {@code leafHash} is the leaf at {@code proof.leafIndex()} of the tree of
     * {@code proof.treeSize()} leaves whose root is {@code root}.
     *
     * @throws MerkleProofException if not, with the reason
     */
    public static void verifyInclusion(byte[] leafHash, InclusionProof proof, byte[] root)
            throws MerkleProofException {
        Objects.requireNonNull(proof, "inclusion proof must not be null");
        checkIndex(proof.leafIndex(), proof.treeSize());
        requireHash(root, "root");
        byte[] computed = rootFromInclusionProof(leafHash, proof);
        if (!MessageDigest.isEqual(computed, root)) {
            throw new MerkleProofException(ROOT_MISMATCH, "the proof for leaf " + proof.leafIndex()
                    + " of tree size " + proof.treeSize() + " leads to root " + Hashes.hex(computed)
                    + ", expected " + Hashes.hex(root));
        }
    }

    /**
     * The root that {@code proof} leads to from {@code leafHash} (RFC 9162 2.1.3.2 steps 1 to 4),
     * for callers that compare it themselves, e.g. against a signed tree head.
     *
     * @throws MerkleProofException if the proof is malformed for its index and size
     */
    public static byte[] rootFromInclusionProof(byte[] leafHash, InclusionProof proof)
            throws MerkleProofException {
        Objects.requireNonNull(proof, "inclusion proof must not be null");
        checkIndex(proof.leafIndex(), proof.treeSize());
        requireHash(leafHash, "leaf hash");
        for (int i = 0; i < proof.pathLength(); i++) {
            requireHash(proof.pathHash(i), "inclusion path[" + i + "]");
        }
        int expected = TreeMath.inclusionPathLength(proof.leafIndex(), proof.treeSize());
        requirePathLength(proof.pathLength(), expected, "inclusion proof for leaf "
                + proof.leafIndex() + " of tree size " + proof.treeSize());
        return walkInclusionPath(leafHash, proof);
    }

    /**
     * Verifies that the tree of {@code proof.firstSize()} leaves with root {@code firstRoot} is a
     * prefix of the tree of {@code proof.secondSize()} leaves with root {@code secondRoot}.
     *
     * <p>Beyond the RFC, which defines proofs only for {@code 0 < first < second}: equal sizes
     * need an empty proof and equal roots; a first size of 0 needs an empty proof and the empty
     * tree's root as {@code firstRoot} (the empty tree is a prefix of every tree).
     *
     * @throws MerkleProofException if not, with the reason
     */
    public static void verifyConsistency(ConsistencyProof proof, byte[] firstRoot, byte[] secondRoot)
            throws MerkleProofException {
        Objects.requireNonNull(proof, "consistency proof must not be null");
        long first = proof.firstSize();
        long second = proof.secondSize();
        checkSizes(first, second);
        requireHash(firstRoot, "first root");
        requireHash(secondRoot, "second root");
        for (int i = 0; i < proof.pathLength(); i++) {
            requireHash(proof.pathHash(i), "consistency path[" + i + "]");
        }
        requirePathLength(proof.pathLength(), TreeMath.consistencyPathLength(first, second),
                "consistency proof from size " + first + " to " + second);
        if (first == 0) {
            requireSameRoot(HASHER.emptyRoot(), firstRoot, "first (empty tree)");
        } else if (first == second) {
            requireSameRoot(firstRoot, secondRoot, "second (same size as the first)");
        } else {
            walkConsistencyPath(proof, firstRoot, secondRoot);
        }
    }

    /** RFC 9162 2.1.3.2 step 4 and the size half of step 5. */
    private static byte[] walkInclusionPath(byte[] leafHash, InclusionProof proof)
            throws MerkleProofException {
        long fn = proof.leafIndex();
        long sn = proof.treeSize() - 1;
        byte[] r = leafHash;
        for (int i = 0; i < proof.pathLength(); i++) {
            byte[] p = proof.pathHash(i);
            requireNotAtRoot(sn);
            if ((fn & 1) == 1 || fn == sn) {
                r = HASHER.hashChildrenUnchecked(p, r);
                while ((fn & 1) == 0 && fn != 0) { // climb the right border, where no sibling is
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = HASHER.hashChildrenUnchecked(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        requireAtRoot(sn);
        return r;
    }

    /** RFC 9162 2.1.4.2 steps 2 to 7. */
    private static void walkConsistencyPath(ConsistencyProof proof, byte[] firstRoot, byte[] secondRoot)
            throws MerkleProofException {
        long first = proof.firstSize();
        int next = 0;
        // Step 2: when the old tree is perfect its root is the seed and the proof omits it.
        byte[] seed = Long.bitCount(first) == 1 ? firstRoot : proof.pathHash(next++);
        long fn = first - 1;
        long sn = proof.secondSize() - 1;
        while ((fn & 1) == 1) { // step 4: climb to the seed's level
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = seed;
        byte[] sr = seed;
        for (; next < proof.pathLength(); next++) {
            byte[] c = proof.pathHash(next);
            requireNotAtRoot(sn);
            if ((fn & 1) == 1 || fn == sn) {
                fr = HASHER.hashChildrenUnchecked(c, fr);
                sr = HASHER.hashChildrenUnchecked(c, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                sr = HASHER.hashChildrenUnchecked(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        requireAtRoot(sn);
        requireSameRoot(fr, firstRoot, "first");
        requireSameRoot(sr, secondRoot, "second");
    }

    private static void checkIndex(long index, long size) throws MerkleProofException {
        if (size < 0) {
            throw new MerkleProofException(INVALID_SIZE, "tree size " + size + " is negative");
        }
        if (index < 0 || index >= size) {
            throw new MerkleProofException(INDEX_OUT_OF_RANGE,
                    "leaf index " + index + " is outside the tree of size " + size);
        }
    }

    private static void checkSizes(long first, long second) throws MerkleProofException {
        if (first < 0 || second < 0) {
            throw new MerkleProofException(INVALID_SIZE,
                    "tree sizes " + first + " and " + second + " must not be negative");
        }
        if (first > second) {
            throw new MerkleProofException(INVALID_SIZE,
                    "first size " + first + " exceeds second size " + second + "; trees only grow");
        }
    }

    private static void requireHash(byte[] hash, String what) throws MerkleProofException {
        Objects.requireNonNull(hash, () -> what + " must not be null");
        if (hash.length != MerkleHasher.HASH_LENGTH) {
            throw new MerkleProofException(MALFORMED_HASH,
                    what + " is " + hash.length + " bytes, expected " + MerkleHasher.HASH_LENGTH);
        }
    }

    private static void requirePathLength(int actual, int expected, String what)
            throws MerkleProofException {
        if (actual != expected) {
            throw new MerkleProofException(WRONG_PATH_LENGTH,
                    what + " has " + actual + " hashes, expected " + expected);
        }
    }

    /** RFC step "if sn is 0, stop and fail": the path goes on above the root. */
    private static void requireNotAtRoot(long sn) throws MerkleProofException {
        if (sn == 0) {
            throw new MerkleProofException(WRONG_PATH_LENGTH, "the path continues above the root");
        }
    }

    /** RFC final "and sn is 0": the path stopped below the root. */
    private static void requireAtRoot(long sn) throws MerkleProofException {
        if (sn != 0) {
            throw new MerkleProofException(WRONG_PATH_LENGTH, "the path ends below the root");
        }
    }

    private static void requireSameRoot(byte[] computed, byte[] expected, String which)
            throws MerkleProofException {
        if (!MessageDigest.isEqual(computed, expected)) {
            throw new MerkleProofException(ROOT_MISMATCH, "the proof leads to " + which + " root "
                    + Hashes.hex(computed) + ", expected " + Hashes.hex(expected));
        }
    }
}
