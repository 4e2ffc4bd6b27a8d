package org.emrsb.core.merkle;

/**
 * The leaves {@code [start, end)} of a tree, whose hash is the RFC 9162 {@code MTH(D[start:end])}.
 * Proof arithmetic ({@link TreeMath}) speaks in subtrees; storage ({@link MerkleTree}) turns them
 * into hashes. Every subtree the RFC's proofs use starts at a multiple of the largest power of
 * two not exceeding its size, so a "perfect" one (size a power of two) is a stored node.
 *
 * @param start first leaf index, inclusive, {@code >= 0}
 * @param end   last leaf index, exclusive, {@code > start}
 */
public record Subtree(long start, long end) {

    public Subtree {
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException(
                    "subtree needs 0 <= start < end, got [" + start + ", " + end + ")");
        }
    }

    /** The number of leaves. */
    public long size() {
        return end - start;
    }

    /** True if the size is a power of two, i.e. the subtree is a complete binary tree. */
    public boolean isPerfect() {
        return Long.bitCount(size()) == 1;
    }

    @Override
    public String toString() {
        return "[" + start + ", " + end + ")";
    }
}
