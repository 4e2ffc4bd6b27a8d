package org.emrsb.core.merkle;

import static org.emrsb.core.merkle.MerkleProofException.Reason.SIZE_MISMATCH;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The O(log n) state of an append-only tree: the hashes of the perfect subtrees that tile the
 * leaves [0, size), largest (leftmost) first, one per set bit of {@code size}; like
 * transparency-dev/merkle's {@code compact.Range} starting at 0. Enough to append and to compute
 * the root, without keeping the leaves, which is what a Kafka state store should hold.
 *
 * <p>Byte layout of {@link #toBytes()} (all integers big-endian), version 1:
 * <pre>
 * offset  length   field
 * 0       1        format version, 0x01
 * 1       8        size: the number of leaves, unsigned, below 2^63
 * 9       1        count: the number of hashes, equal to Long.bitCount(size), so 0..63
 * 10      32*count the hashes, largest (leftmost) subtree first
 * </pre>
 * Nothing else, so the encoding is canonical: equal ranges give equal bytes.
 *
 * <p>Mutable and not thread-safe, like the state store entry it models.
 */
public final class CompactRange {

    /** The version byte {@link #toBytes()} writes and {@link #fromBytes} accepts. */
    public static final byte FORMAT_VERSION = 1;

    private static final int HEADER_LENGTH = 1 + Long.BYTES + 1;

    private final MerkleHasher hasher = MerkleHasher.sha256();
    private final List<byte[]> hashes;
    private long size;

    /** The range of the empty tree. */
    public CompactRange() {
        this(0, new ArrayList<>());
    }

    private CompactRange(long size, List<byte[]> hashes) {
        this.size = size;
        this.hashes = hashes;
    }

    /**
     * A range from its parts, e.g. as read from storage in another format.
     *
     * @param hashes the perfect subtree hashes, largest first; copied
     * @throws IllegalArgumentException unless {@code size >= 0}, there are
     *                                  {@code Long.bitCount(size)} hashes and each is 32 bytes
     */
    public static CompactRange of(long size, List<byte[]> hashes) {
        Objects.requireNonNull(hashes, "hashes must not be null");
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative, got " + size);
        }
        if (hashes.size() != Long.bitCount(size)) {
            throw new IllegalArgumentException("a range of size " + size + " has "
                    + Long.bitCount(size) + " hashes, got " + hashes.size());
        }
        List<byte[]> copy = new ArrayList<>(hashes.size());
        for (int i = 0; i < hashes.size(); i++) {
            MerkleHasher.checkHash(hashes.get(i), "range hash [" + i + "]");
            copy.add(hashes.get(i).clone());
        }
        return new CompactRange(size, copy);
    }

    /**
     * Decodes the layout described on the class.
     *
     * @throws IllegalArgumentException if the bytes are not exactly one valid version-1 encoding
     */
    public static CompactRange fromBytes(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes must not be null");
        if (bytes.length < HEADER_LENGTH) {
            throw new IllegalArgumentException("a compact range needs at least " + HEADER_LENGTH
                    + " bytes, got " + bytes.length);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte version = in.get();
        if (version != FORMAT_VERSION) {
            throw new IllegalArgumentException("unknown compact range format version " + version);
        }
        long size = in.getLong();
        int count = Byte.toUnsignedInt(in.get());
        checkEncodedShape(size, count, bytes.length);
        List<byte[]> hashes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] hash = new byte[MerkleHasher.HASH_LENGTH];
            in.get(hash);
            hashes.add(hash);
        }
        return new CompactRange(size, hashes);
    }

    /** The encoding described on the class. */
    public byte[] toBytes() {
        ByteBuffer out = ByteBuffer.allocate(HEADER_LENGTH + hashes.size() * MerkleHasher.HASH_LENGTH);
        out.put(FORMAT_VERSION).putLong(size).put((byte) hashes.size());
        hashes.forEach(out::put);
        return out.array();
    }

    /** The number of leaves appended so far. */
    public long size() {
        return size;
    }

    /** Copies of the perfect subtree hashes, largest first. */
    public List<byte[]> hashes() {
        return Hashes.copyOut(hashes);
    }

    /**
     * Appends a leaf hash and returns its index. Like a binary counter increment: each trailing
     * one bit of the old size is a perfect subtree that the new one completes and merges with.
     *
     * @throws IllegalArgumentException if it is not a 32-byte hash
     * @throws IllegalStateException    if the size would pass {@link Long#MAX_VALUE}
     */
    public long append(byte[] leafHash) {
        MerkleHasher.checkHash(leafHash, "leaf hash");
        if (size == Long.MAX_VALUE) {
            throw new IllegalStateException("the compact range is full");
        }
        byte[] merged = leafHash.clone();
        for (long s = size; (s & 1) == 1; s >>>= 1) {
            merged = hasher.hashChildrenUnchecked(hashes.remove(hashes.size() - 1), merged);
        }
        hashes.add(merged);
        return size++;
    }

    /** Appends the leaf hash of {@code data} and returns its index. */
    public long appendData(byte[] data) {
        return append(hasher.hashLeaf(data));
    }

    /**
     * The root of the tree of everything appended: the subtree hashes folded from the right,
     * which is what the RFC's split at the largest power of two yields.
     */
    public byte[] root() {
        if (hashes.isEmpty()) {
            return hasher.emptyRoot();
        }
        byte[] root = hashes.get(hashes.size() - 1);
        for (int i = hashes.size() - 2; i >= 0; i--) {
            root = hasher.hashChildrenUnchecked(hashes.get(i), root);
        }
        return root.clone();
    }

    /**
     * Verifies that {@code leafHash} is in the tree this range describes.
     *
     * @throws MerkleProofException with {@code SIZE_MISMATCH} if the proof is for another size,
     *                              else as {@link ProofVerifier#verifyInclusion}
     */
    public void verifyInclusion(byte[] leafHash, InclusionProof proof) throws MerkleProofException {
        Objects.requireNonNull(proof, "inclusion proof must not be null");
        requireSize(proof.treeSize(), "inclusion proof");
        ProofVerifier.verifyInclusion(leafHash, proof, root());
    }

    /**
     * Verifies that an older tree with root {@code olderRoot} is a prefix of this one.
     *
     * @throws MerkleProofException with {@code SIZE_MISMATCH} if the proof's second size is not
     *                              this range's size, else as {@link ProofVerifier#verifyConsistency}
     */
    public void verifyConsistency(byte[] olderRoot, ConsistencyProof proof) throws MerkleProofException {
        Objects.requireNonNull(proof, "consistency proof must not be null");
        requireSize(proof.secondSize(), "consistency proof");
        ProofVerifier.verifyConsistency(proof, olderRoot, root());
    }

    /** An independent copy. */
    public CompactRange copy() {
        return new CompactRange(size, new ArrayList<>(hashes)); // hash arrays are never mutated
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CompactRange r && r.size == size && Hashes.equal(r.hashes, hashes);
    }

    @Override
    public int hashCode() {
        return 31 * Long.hashCode(size) + Hashes.hashCode(hashes);
    }

    @Override
    public String toString() {
        return "CompactRange[size=" + size + ", hashes=" + Hashes.toString(hashes) + "]";
    }

    private void requireSize(long proofSize, String what) throws MerkleProofException {
        if (proofSize != size) {
            throw new MerkleProofException(SIZE_MISMATCH,
                    what + " is for tree size " + proofSize + ", the range has size " + size);
        }
    }

    private static void checkEncodedShape(long size, int count, int length) {
        if (size < 0) {
            throw new IllegalArgumentException("encoded size " + Long.toUnsignedString(size)
                    + " is not below 2^63");
        }
        if (count != Long.bitCount(size)) {
            throw new IllegalArgumentException("a range of size " + size + " has "
                    + Long.bitCount(size) + " hashes, the encoding says " + count);
        }
        int expected = HEADER_LENGTH + count * MerkleHasher.HASH_LENGTH;
        if (length != expected) {
            throw new IllegalArgumentException("a compact range of " + count + " hashes is "
                    + expected + " bytes, got " + length);
        }
    }
}
