package org.emrsb.core.merkle;

import java.util.List;

/**
 * An RFC 9162 inclusion proof: the audit path for the leaf at {@code leafIndex} in the tree of
 * {@code treeSize} leaves, ordered from the leaf up (first the leaf's sibling, last the subtree
 * just below the root). A tree of one leaf has an empty path.
 *
 * <p>A plain carrier: it rejects only nulls and keeps private copies of the hashes. Whether the
 * index, size and hashes make sense is for {@link ProofVerifier} to judge, since a proof may come
 * from an untrusted peer and deserves a typed {@link MerkleProofException}, not a crash.
 *
 * @param leafIndex zero-based index of the proven leaf
 * @param treeSize  number of leaves of the tree whose root the proof leads to
 * @param path      sibling hashes, leaf up; {@link #path()} returns a fresh copy
 */
public record InclusionProof(long leafIndex, long treeSize, List<byte[]> path) {

    public InclusionProof {
        path = Hashes.deepCopy(path, "inclusion path");
    }

    /** A copy of the path; use {@link #pathLength()} to only count it. */
    @Override
    public List<byte[]> path() {
        return Hashes.copyOut(path);
    }

    public int pathLength() {
        return path.size();
    }

    /** The i-th path hash without copying, for the verifier in this package. */
    byte[] pathHash(int i) {
        return path.get(i);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InclusionProof p
                && p.leafIndex == leafIndex
                && p.treeSize == treeSize
                && Hashes.equal(p.path, path);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Long.hashCode(leafIndex) + Long.hashCode(treeSize)) + Hashes.hashCode(path);
    }

    @Override
    public String toString() {
        return "InclusionProof[leafIndex=" + leafIndex + ", treeSize=" + treeSize
                + ", path=" + Hashes.toString(path) + "]";
    }
}
