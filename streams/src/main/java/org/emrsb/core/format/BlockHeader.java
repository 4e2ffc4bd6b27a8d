package org.emrsb.core.format;

/**
 * A block's header as its delegate signs it. The block's hash, SHA-256 of these bytes, is the leaf
 * data of the anchor tree. {@code merkleRoot} is the RFC 6962 root over the ids (32 bytes each) of the
 * block's transactions in sequence order; a block holds at least one transaction.
 *
 * @param chain             the partition of ledger.tx this block seals
 * @param height            0 for a chain's first block
 * @param previousBlockHash the previous block's hash on this chain; 32 zero bytes at height 0
 * @param intervalStart     start of the sealing interval, ms since the epoch (inclusive)
 * @param intervalEnd       end of the sealing interval, ms since the epoch (exclusive)
 * @param firstSequence     chain sequence of the first transaction (inclusive)
 * @param lastSequence      chain sequence of the last transaction (inclusive); void sequences in
 *                          between are not leaves, so txCount may be less than the range
 */
public record BlockHeader(long chain, long height, byte[] previousBlockHash, long intervalStart, long intervalEnd,
        long txCount, long firstSequence, long lastSequence, byte[] merkleRoot, long epoch, byte[] delegateKey) {

    /** Offset of {@code merkleRoot} in the canonical bytes (OpenTimestamps splits the header around it). */
    public static final int MERKLE_ROOT_OFFSET = 1 + Tags.BLOCK_HEADER.length() + 4 + 8 + 32 + 8 + 8 + 8 + 8 + 8;

    public BlockHeader {
        if (txCount < 1) {
            throw new IllegalArgumentException("a block holds at least one transaction, txCount was " + txCount);
        }
        if (lastSequence < firstSequence || txCount > lastSequence - firstSequence + 1) {
            throw new IllegalArgumentException("sequence range " + firstSequence + ".." + lastSequence
                    + " cannot hold " + txCount + " transactions");
        }
        if (intervalEnd < intervalStart) {
            throw new IllegalArgumentException("interval ends before it starts");
        }
    }

    public byte[] toBytes() {
        return new CanonicalWriter(Tags.BLOCK_HEADER, 160)
                .u32(chain).u64(height).fixed(previousBlockHash, 32, "previousBlockHash")
                .i64(intervalStart).i64(intervalEnd)
                .u64(txCount).u64(firstSequence).u64(lastSequence)
                .fixed(merkleRoot, 32, "merkleRoot").u64(epoch).fixed(delegateKey, 32, "delegateKey")
                .toByteArray();
    }

    public byte[] hash() {
        return Sha256.hash(toBytes());
    }

    public static BlockHeader parse(byte[] bytes) {
        CanonicalReader r = new CanonicalReader(bytes, Tags.BLOCK_HEADER, "block header");
        try {
            BlockHeader header = new BlockHeader(r.u32("chain"), r.u64("height"), r.fixed(32, "previousBlockHash"),
                    r.i64("intervalStart"), r.i64("intervalEnd"), r.u64("txCount"), r.u64("firstSequence"),
                    r.u64("lastSequence"), r.fixed(32, "merkleRoot"), r.u64("epoch"), r.fixed(32, "delegateKey"));
            r.finish();
            return header;
        } catch (IllegalArgumentException e) {
            throw new FormatException("block header: " + e.getMessage());
        }
    }
}
