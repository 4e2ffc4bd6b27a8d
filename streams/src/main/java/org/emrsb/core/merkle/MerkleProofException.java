package org.emrsb.core.merkle;

import java.util.Objects;

/**
 * A proof did not verify. The {@link Reason} says why in a form code can act on (a bad peer, a
 * stale tree head, a tampered ledger); the message says it for people, with the numbers.
 *
 * <p>Checked on purpose: a failed verification is an expected, security-relevant outcome that a
 * caller must decide about, not a bug to let escape. Caller bugs (nulls, negative sizes passed to
 * proof generation) remain unchecked {@link NullPointerException}s and
 * {@link IllegalArgumentException}s.
 */
public final class MerkleProofException extends Exception {

    private static final long serialVersionUID = 1L;

    /** Why a proof failed. */
    public enum Reason {
        /** The leaf index is negative or not below the tree size. */
        INDEX_OUT_OF_RANGE,
        /** A tree size is negative, or a consistency proof's first size exceeds its second. */
        INVALID_SIZE,
        /** The proof is for a different tree size than the tree it is checked against. */
        SIZE_MISMATCH,
        /** A leaf hash, root or path hash is not {@value MerkleHasher#HASH_LENGTH} bytes. */
        MALFORMED_HASH,
        /** The path has more or fewer hashes than the index and sizes call for. */
        WRONG_PATH_LENGTH,
        /** The root recomputed from the proof differs from the expected root. */
        ROOT_MISMATCH
    }

    private final Reason reason;

    public MerkleProofException(Reason reason, String detail) {
        super(Objects.requireNonNull(reason, "reason") + ": " + detail);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
