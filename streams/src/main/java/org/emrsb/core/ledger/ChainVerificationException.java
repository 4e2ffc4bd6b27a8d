package org.emrsb.core.ledger;

import java.util.Objects;

/**
 * A chain did not verify. {@link #reason()} says which kind of link broke, {@link #sequence()} or
 * {@link #height()} where (the first broken link in chain order); the message says it for people.
 * Checked for the same reason as {@code MerkleProofException}: a broken chain is an expected,
 * security-relevant outcome the caller must act on.
 */
public final class ChainVerificationException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Which check failed. */
    public enum Reason {
        /** Transaction or block bytes do not parse, or a block's hash is not the hash of its bytes. */
        MALFORMED,
        /** A transaction or block names another chain. */
        WRONG_CHAIN,
        /** A transaction's delegate signature does not verify under its delegateKey. */
        BAD_TRANSACTION_SIGNATURE,
        /** A block's delegate signature does not verify under its delegateKey. */
        BAD_BLOCK_SIGNATURE,
        /** A transaction's sequence is not the next one (a gap not declared void, a repeat, a reordering). */
        SEQUENCE,
        /** A block's height is not the previous height + 1 (0 for the first). */
        HEIGHT,
        /** A block's previousBlockHash is not the previous block's hash (32 zero bytes for the first). */
        PREVIOUS_HASH,
        /** A block's txCount, firstSequence or lastSequence disagrees with the transactions it covers. */
        BLOCK_RANGE,
        /** A block's merkleRoot is not the root over its transactions' ids. */
        MERKLE_ROOT,
        /** A block's epoch is below the epoch of a transaction in it. */
        EPOCH
    }

    private final Reason reason;
    private final long sequence;
    private final long height;

    ChainVerificationException(Reason reason, long sequence, long height, String detail) {
        super(Objects.requireNonNull(reason, "reason") + ": " + detail);
        this.reason = reason;
        this.sequence = sequence;
        this.height = height;
    }

    public Reason reason() {
        return reason;
    }

    /** The sequence of the transaction at fault, or -1 if the fault is a block's. */
    public long sequence() {
        return sequence;
    }

    /** The height (position in the block list) of the block at fault or being checked, or -1 if none. */
    public long height() {
        return height;
    }
}
