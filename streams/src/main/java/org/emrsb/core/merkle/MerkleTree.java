package org.emrsb.core.merkle;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An in-memory, append-only Merkle tree over leaf hashes: roots of every prefix, inclusion and
 * consistency proofs for any past size. The storage side of the package: {@link TreeMath} says
 * which subtrees a proof needs, this class finds their hashes, {@link MerkleHasher} hashes.
 *
 * <p>Storage is the hash of every complete (perfect) subtree, level by level, as they complete on
 * append; about two hashes a leaf. The hash of any other subtree, which only occurs along the
 * right border of a tree, is recomputed from O(log n) stored ones. So a root or proof costs
 * O(log^2 n) hashes at worst, and every past tree size stays provable.
 *
 * <p>Leaf indexes are {@code long} to match the proofs, but the tree holds at most
 * {@link Integer#MAX_VALUE} leaves. Not thread-safe; confine an instance to one thread or guard it.
 */
public final class MerkleTree {

    private final MerkleHasher hasher = MerkleHasher.sha256();
    /** levels.get(h).get(i) is the hash of the perfect subtree [i * 2^h, (i + 1) * 2^h). */
    private final List<List<byte[]>> levels = new ArrayList<>();

    /** An empty tree. */
    public MerkleTree() {
        levels.add(new ArrayList<>());
    }

    /** A tree of the given leaf hashes, in order. */
    public static MerkleTree ofLeafHashes(List<byte[]> leafHashes) {
        Objects.requireNonNull(leafHashes, "leaf hashes must not be null");
        MerkleTree tree = new MerkleTree();
        leafHashes.forEach(tree::append);
        return tree;
    }

    /** A tree of the leaf hashes of the given leaf data, in order. */
    public static MerkleTree ofLeafData(List<byte[]> leafData) {
        Objects.requireNonNull(leafData, "leaf data must not be null");
        MerkleTree tree = new MerkleTree();
        leafData.forEach(tree::appendData);
        return tree;
    }

    /**
     * {@code MTH(D[0:n])} straight from RFC 9162 2.1.1's recursive definition: split at the
     * largest power of two below n. O(n) hashes and no storage; for one-off roots of a batch.
     */
    public static byte[] rootOfLeafHashes(List<byte[]> leafHashes) {
        Objects.requireNonNull(leafHashes, "leaf hashes must not be null");
        for (int i = 0; i < leafHashes.size(); i++) {
            MerkleHasher.checkHash(leafHashes.get(i), "leaf hash [" + i + "]");
        }
        if (leafHashes.isEmpty()) {
            return MerkleHasher.sha256().emptyRoot();
        }
        return recursiveRoot(MerkleHasher.sha256(), leafHashes, 0, leafHashes.size()).clone();
    }

    /** {@link #rootOfLeafHashes} of the leaf hashes of the given data. */
    public static byte[] rootOfLeafData(List<byte[]> leafData) {
        Objects.requireNonNull(leafData, "leaf data must not be null");
        MerkleHasher hasher = MerkleHasher.sha256();
        return rootOfLeafHashes(leafData.stream().map(hasher::hashLeaf).toList());
    }

    /**
     * Appends a leaf hash and returns its index.
     *
     * @throws IllegalArgumentException if it is not a 32-byte hash
     * @throws IllegalStateException    if the tree is full
     */
    public long append(byte[] leafHash) {
        MerkleHasher.checkHash(leafHash, "leaf hash");
        List<byte[]> leaves = levels.get(0);
        if (leaves.size() == Integer.MAX_VALUE) {
            throw new IllegalStateException("the in-memory tree is full");
        }
        leaves.add(leafHash.clone());
        completeSubtrees();
        return leaves.size() - 1L;
    }

    /** Appends the leaf hash of {@code data} and returns its index. */
    public long appendData(byte[] data) {
        return append(hasher.hashLeaf(data));
    }

    /** The number of leaves. */
    public long size() {
        return levels.get(0).size();
    }

    /** The hash of the leaf at {@code index}. */
    public byte[] leafHash(long index) {
        TreeMath.checkIndex(index, size());
        return levels.get(0).get((int) index).clone();
    }

    /** The root of the whole tree; the empty tree's root when there are no leaves. */
    public byte[] root() {
        return root(size());
    }

    /** The root of the tree of the first {@code treeSize} leaves, {@code 0 <= treeSize <= size()}. */
    public byte[] root(long treeSize) {
        checkTreeSize(treeSize);
        if (treeSize == 0) {
            return hasher.emptyRoot();
        }
        return subtreeHash(new Subtree(0, treeSize)).clone();
    }

    /** The inclusion proof of leaf {@code index} in the whole tree. */
    public InclusionProof inclusionProof(long index) {
        return inclusionProof(index, size());
    }

    /**
     * The inclusion proof of leaf {@code index} in the tree of the first {@code treeSize} leaves.
     *
     * @throws IllegalArgumentException unless {@code 0 <= index < treeSize <= size()}
     */
    public InclusionProof inclusionProof(long index, long treeSize) {
        checkTreeSize(treeSize);
        return new InclusionProof(index, treeSize, hashesOf(TreeMath.inclusionSubtrees(index, treeSize)));
    }

    /** The consistency proof from the tree of the first {@code firstSize} leaves to the whole tree. */
    public ConsistencyProof consistencyProof(long firstSize) {
        return consistencyProof(firstSize, size());
    }

    /**
     * The consistency proof from the first {@code firstSize} leaves to the first {@code secondSize}.
     *
     * @throws IllegalArgumentException unless {@code 0 <= firstSize <= secondSize <= size()}
     */
    public ConsistencyProof consistencyProof(long firstSize, long secondSize) {
        checkTreeSize(secondSize);
        List<Subtree> subtrees = TreeMath.consistencySubtrees(firstSize, secondSize);
        return new ConsistencyProof(firstSize, secondSize, hashesOf(subtrees));
    }

    /** Adds the parents of every subtree the last append completed, bottom up. */
    private void completeSubtrees() {
        for (int h = 0; levels.get(h).size() % 2 == 0; h++) {
            List<byte[]> level = levels.get(h);
            int n = level.size();
            byte[] parent = hasher.hashChildrenUnchecked(level.get(n - 2), level.get(n - 1));
            if (levels.size() == h + 1) {
                levels.add(new ArrayList<>());
            }
            levels.get(h + 1).add(parent);
        }
    }

    /** MTH of the leaves of {@code s}: stored when perfect and aligned, else recomputed. */
    private byte[] subtreeHash(Subtree s) {
        long size = s.size();
        if (s.isPerfect() && s.start() % size == 0) {
            int level = Long.numberOfTrailingZeros(size);
            return levels.get(level).get((int) (s.start() >>> level));
        }
        long mid = s.start() + TreeMath.splitPoint(size);
        return hasher.hashChildrenUnchecked(
                subtreeHash(new Subtree(s.start(), mid)), subtreeHash(new Subtree(mid, s.end())));
    }

    /** Hashes of the subtrees, handed to a proof record, which copies them. */
    private List<byte[]> hashesOf(List<Subtree> subtrees) {
        return subtrees.stream().map(this::subtreeHash).toList();
    }

    private void checkTreeSize(long treeSize) {
        if (treeSize < 0 || treeSize > size()) {
            throw new IllegalArgumentException(
                    "tree size " + treeSize + " is outside [0, " + size() + "]");
        }
    }

    private static byte[] recursiveRoot(MerkleHasher hasher, List<byte[]> leaves, int lo, int hi) {
        if (hi - lo == 1) {
            return leaves.get(lo);
        }
        int mid = lo + (int) TreeMath.splitPoint(hi - lo);
        return hasher.hashChildrenUnchecked(
                recursiveRoot(hasher, leaves, lo, mid), recursiveRoot(hasher, leaves, mid, hi));
    }
}
