package org.emrsb.core.anchor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.emrsb.core.format.AnchorHeader;
import org.emrsb.core.merkle.CompactRange;
import org.emrsb.core.merkle.InclusionProof;
import org.emrsb.core.merkle.MerkleTree;

/**
 * Anchor windows and the anchor header over them. Windows are aligned to the wall clock: the window of a
 * time {@code t} is {@code [t - t mod interval, that + interval)}, so with the default ten minutes anchors
 * close at :00, :10, :20 and so on. A window holds the blocks the stage read while it was open; the
 * anchor tree's leaves are their hashes in ascending (chain, height) order, which a reader can recompute
 * from the list the anchor record carries.
 */
public final class AnchorWindow {

    /** One block the anchor covers. */
    public record Block(long chain, long height, byte[] hash) {
        public Block {
            if (hash == null || hash.length != 32) {
                throw new IllegalArgumentException("a block hash is 32 bytes");
            }
            hash = hash.clone();
        }

        @Override
        public byte[] hash() {
            return hash.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Block b && chain == b.chain && height == b.height && Arrays.equals(hash, b.hash);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(chain) * 31 + Long.hashCode(height);
        }
    }

    /** The leaf order: ascending chain, then height. */
    public static final Comparator<Block> LEAF_ORDER = Comparator.comparingLong(Block::chain)
            .thenComparingLong(Block::height);

    private AnchorWindow() {
    }

    /** The start of the aligned window holding {@code time}. */
    public static long start(long time, Duration interval) {
        long length = interval.toMillis();
        if (length <= 0) {
            throw new IllegalArgumentException("the anchor interval must be positive, was " + interval);
        }
        return Math.floorDiv(time, length) * length;
    }

    /**
     * The header of anchor {@code sequence} over {@code blocks}, which must be in {@link #LEAF_ORDER}.
     *
     * @throws IllegalArgumentException when there are no blocks or they are out of order
     */
    public static AnchorHeader header(long sequence, byte[] previousAnchorHash, long intervalStart, long intervalEnd,
            List<Block> blocks) {
        CompactRange range = new CompactRange();
        Block previous = null;
        for (Block block : blocks) {
            if (previous != null && LEAF_ORDER.compare(previous, block) >= 0) {
                throw new IllegalArgumentException("blocks out of leaf order: chain " + previous.chain() + " height "
                        + previous.height() + " before chain " + block.chain() + " height " + block.height());
            }
            range.appendData(block.hash());
            previous = block;
        }
        return new AnchorHeader(sequence, previousAnchorHash, intervalStart, intervalEnd, blocks.size(), range.root());
    }

    /** The inclusion proof of {@code blocks.get(index)} in the anchor tree. */
    public static InclusionProof inclusion(List<Block> blocks, int index) {
        List<byte[]> leaves = new ArrayList<>(blocks.size());
        for (Block block : blocks) {
            leaves.add(block.hash());
        }
        return MerkleTree.ofLeafData(leaves).inclusionProof(index);
    }
}
