package org.emrsb.core.format;

/**
 * A ten-minute anchor's header. Its hash, SHA-256 of these bytes, is what the Bitcoin OP_RETURN
 * carries, so every field is bound by the Bitcoin transaction. {@code merkleRoot} is the RFC 6962 root
 * over the hashes of the blocks the anchor covers (all chains), in the order documented in
 * docs/ledger-format.md.
 *
 * @param sequence           0 for the first anchor
 * @param previousAnchorHash the previous anchor's hash; 32 zero bytes for the first
 */
public record AnchorHeader(long sequence, byte[] previousAnchorHash, long intervalStart, long intervalEnd,
        long blockCount, byte[] merkleRoot) {

    /** Offset of {@code merkleRoot} in the canonical bytes. */
    public static final int MERKLE_ROOT_OFFSET = 1 + Tags.ANCHOR_HEADER.length() + 8 + 32 + 8 + 8 + 8;

    public AnchorHeader {
        if (blockCount < 1) {
            throw new IllegalArgumentException("an anchor covers at least one block, blockCount was " + blockCount);
        }
        if (intervalEnd < intervalStart) {
            throw new IllegalArgumentException("interval ends before it starts");
        }
    }

    public byte[] toBytes() {
        return new CanonicalWriter(Tags.ANCHOR_HEADER, 128)
                .u64(sequence).fixed(previousAnchorHash, 32, "previousAnchorHash")
                .i64(intervalStart).i64(intervalEnd).u64(blockCount).fixed(merkleRoot, 32, "merkleRoot")
                .toByteArray();
    }

    public byte[] hash() {
        return Sha256.hash(toBytes());
    }

    public static AnchorHeader parse(byte[] bytes) {
        CanonicalReader r = new CanonicalReader(bytes, Tags.ANCHOR_HEADER, "anchor header");
        try {
            AnchorHeader header = new AnchorHeader(r.u64("sequence"), r.fixed(32, "previousAnchorHash"),
                    r.i64("intervalStart"), r.i64("intervalEnd"), r.u64("blockCount"), r.fixed(32, "merkleRoot"));
            r.finish();
            return header;
        } catch (IllegalArgumentException e) {
            throw new FormatException("anchor header: " + e.getMessage());
        }
    }
}
