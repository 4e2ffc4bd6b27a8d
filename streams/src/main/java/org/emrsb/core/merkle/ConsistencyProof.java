package org.emrsb.core.merkle;

import java.util.List;

/**
 * An RFC 9162 consistency proof that the tree of {@code firstSize} leaves is a prefix of the tree
 * of {@code secondSize} leaves, as {@code PROOF(firstSize, D[0:secondSize])} emits it (from the
 * bottom up). Empty when the sizes are equal or the first tree is empty.
 *
 * <p>A plain carrier like {@link InclusionProof}: nulls are rejected, everything else is judged
 * by {@link ProofVerifier}.
 *
 * @param firstSize  size of the older tree
 * @param secondSize size of the newer tree
 * @param path       the proof's hashes; {@link #path()} returns a fresh copy
 */
public record ConsistencyProof(long firstSize, long secondSize, List<byte[]> path) {

    public ConsistencyProof {
        path = Hashes.deepCopy(path, "consistency path");
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
        return o instanceof ConsistencyProof p
                && p.firstSize == firstSize
                && p.secondSize == secondSize
                && Hashes.equal(p.path, path);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Long.hashCode(firstSize) + Long.hashCode(secondSize)) + Hashes.hashCode(path);
    }

    @Override
    public String toString() {
        return "ConsistencyProof[firstSize=" + firstSize + ", secondSize=" + secondSize
                + ", path=" + Hashes.toString(path) + "]";
    }
}
