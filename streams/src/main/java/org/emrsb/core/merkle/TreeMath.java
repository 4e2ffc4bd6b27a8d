package org.emrsb.core.merkle;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Proof index arithmetic of RFC 9162 section 2.1, kept apart from hashing and storage: which
 * subtrees a proof consists of and how long a valid proof is. Nothing here hashes, so a store
 * other than {@link MerkleTree} (a Kafka state store, say) can plan the same proofs.
 *
 * <p>Sizes and indexes are {@code long}s that must be non-negative (the RFC's are unsigned 64-bit;
 * a ledger will not reach 2^63 entries). Arguments outside the documented ranges are caller
 * errors and raise {@link IllegalArgumentException}.
 */
public final class TreeMath {

    private TreeMath() {
    }

    /**
     * The RFC's split point k of an n-leaf tree: the largest power of two strictly less than n.
     * The left subtree holds leaves [0, k), the right one [k, n).
     *
     * @throws IllegalArgumentException if {@code n < 2} (a tree of one leaf has no split)
     */
    public static long splitPoint(long n) {
        if (n < 2) {
            throw new IllegalArgumentException("a tree of size " + n + " has no split point");
        }
        return Long.highestOneBit(n - 1);
    }

    /**
     * The subtrees whose hashes form the inclusion proof {@code PATH(index, D[0:size])} of RFC 9162
     * 2.1.3.1, ordered from the leaf up (the sibling of the leaf first, the top-level subtree last).
     *
     * @throws IllegalArgumentException unless {@code 0 <= index < size}
     */
    public static List<Subtree> inclusionSubtrees(long index, long size) {
        checkIndex(index, size);
        List<Subtree> topDown = new ArrayList<>();
        long lo = 0;
        long hi = size;
        while (hi - lo > 1) {
            long mid = lo + splitPoint(hi - lo);
            if (index < mid) {
                topDown.add(new Subtree(mid, hi));
                hi = mid;
            } else {
                topDown.add(new Subtree(lo, mid));
                lo = mid;
            }
        }
        return leafUp(topDown);
    }

    /**
     * The subtrees whose hashes form the consistency proof {@code PROOF(first, D[0:second])} of
     * RFC 9162 2.1.4.1, ordered from the bottom up as the RFC's recursion emits them. Empty when
     * {@code first == 0} (the empty tree is a prefix of every tree) or {@code first == second}.
     *
     * @throws IllegalArgumentException unless {@code 0 <= first <= second}
     */
    public static List<Subtree> consistencySubtrees(long first, long second) {
        checkSizes(first, second);
        if (first == 0 || first == second) {
            return List.of();
        }
        List<Subtree> topDown = new ArrayList<>();
        long lo = 0;
        long hi = second;
        boolean startsAtOldRoot = true; // the RFC's flag b: still on the path of the old root
        while (first != hi) { // invariant: lo < first <= hi
            long mid = lo + splitPoint(hi - lo);
            if (first <= mid) {
                topDown.add(new Subtree(mid, hi));
                hi = mid;
            } else {
                topDown.add(new Subtree(lo, mid));
                lo = mid;
                startsAtOldRoot = false;
            }
        }
        if (!startsAtOldRoot) {
            topDown.add(new Subtree(lo, hi)); // the seed: the verifier cannot know it otherwise
        }
        return leafUp(topDown);
    }

    /**
     * The number of hashes in a valid inclusion proof for {@code index} in a tree of {@code size}:
     * the levels where the leaf's path and the last leaf's path differ (each has a full sibling),
     * plus the levels above them where the leaf's ancestor is a right child.
     *
     * @throws IllegalArgumentException unless {@code 0 <= index < size}
     */
    public static int inclusionPathLength(long index, long size) {
        checkIndex(index, size);
        int inner = 64 - Long.numberOfLeadingZeros(index ^ (size - 1));
        int border = Long.bitCount(index >>> inner);
        return inner + border;
    }

    /**
     * The number of hashes in a valid consistency proof from {@code first} to {@code second}: the
     * inclusion path, at the level of the old tree's rightmost perfect subtree, of that subtree,
     * plus that subtree's own hash unless it is the whole old tree (first a power of two).
     *
     * @throws IllegalArgumentException unless {@code 0 <= first <= second}
     */
    public static int consistencyPathLength(long first, long second) {
        checkSizes(first, second);
        if (first == 0 || first == second) {
            return 0;
        }
        int level = Long.numberOfTrailingZeros(first);
        long node = (first - 1) >>> level;
        long width = ((second - 1) >>> level) + 1;
        int seed = node == 0 ? 0 : 1;
        return seed + inclusionPathLength(node, width);
    }

    /** Throws unless {@code 0 <= index < size}. */
    static void checkIndex(long index, long size) {
        if (size <= 0) {
            throw new IllegalArgumentException("tree size must be positive, got " + size);
        }
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException(
                    "leaf index " + index + " is outside the tree of size " + size);
        }
    }

    /** Throws unless {@code 0 <= first <= second}. */
    static void checkSizes(long first, long second) {
        if (first < 0 || second < 0) {
            throw new IllegalArgumentException(
                    "tree sizes must not be negative, got " + first + " and " + second);
        }
        if (first > second) {
            throw new IllegalArgumentException(
                    "first size " + first + " exceeds second size " + second);
        }
    }

    private static List<Subtree> leafUp(List<Subtree> topDown) {
        Collections.reverse(topDown);
        return Collections.unmodifiableList(topDown);
    }
}
