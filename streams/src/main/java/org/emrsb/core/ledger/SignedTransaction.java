package org.emrsb.core.ledger;

import java.util.Objects;
import org.emrsb.core.format.Sha256;
import org.emrsb.core.format.Transaction;

/**
 * A transaction as its delegate sequenced it: the structure, its canonical bytes (what is signed and
 * hashed; authoritative when the two are ever compared) and the delegate's 64-byte Ed25519 signature
 * over those bytes. The arrays are not copied; treat them as read-only.
 */
public record SignedTransaction(Transaction tx, byte[] bytes, byte[] signature) {

    public SignedTransaction {
        Objects.requireNonNull(tx, "tx");
        Objects.requireNonNull(bytes, "bytes");
        Objects.requireNonNull(signature, "signature");
    }

    /** SHA-256 of {@link #bytes()}: the transaction id's 32 bytes, the leaf data of the block tree. */
    public byte[] idBytes() {
        return Sha256.hash(bytes);
    }

    /** The transaction id, lowercase hex. */
    public String id() {
        return Sha256.hex(bytes);
    }
}
