package org.emrsb.core.ledger;

import java.util.Objects;
import org.emrsb.core.format.BlockHeader;

/**
 * A block as its delegate sealed it: the header, its canonical bytes, their SHA-256 (the block hash,
 * which the next block's {@code previousBlockHash} and the anchor tree commit to) and the delegate's
 * 64-byte Ed25519 signature over the bytes. The arrays are not copied; treat them as read-only.
 */
public record SealedBlock(BlockHeader header, byte[] bytes, byte[] hash, byte[] signature) {

    public SealedBlock {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(signature, "signature");
    }
}
