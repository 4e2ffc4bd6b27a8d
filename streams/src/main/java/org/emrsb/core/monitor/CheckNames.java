package org.emrsb.core.monitor;

/**
 * The stable names of the monitor checks: what a rejecting verdict's {@code check} field and a
 * violation's {@code check} field hold. They are part of the ledger format (docs/monitoring.md); a
 * name is never reused for another rule. Checks on both transactions and blocks share a name.
 */
public final class CheckNames {

    /** The bytes parse strictly as the structure they claim (and match the structure they came with). */
    public static final String TRANSACTION_FORMAT = "transaction-format";
    /** The delegate's Ed25519 signature verifies over the canonical bytes with the key they name. */
    public static final String DELEGATE_SIGNATURE = "delegate-signature";
    /** The delegate key is ACTIVE at the governance epoch the transaction or block names. */
    public static final String DELEGATE_ACTIVE = "delegate-active";
    /** The masked record is dated at most Admission.MAX_CLOCK_SKEW_MS after the transaction's signedAt. */
    public static final String MASKED_AT = "masked-at";
    /** Gateway, submitter and counterparty enrolled in their roles at maskedAt (Admission). */
    public static final String ENROLMENT = "enrolment";
    /** The gateway's signature verifies over the masked record. */
    public static final String GATEWAY_SIGNATURE = "gateway-signature";
    /** No identifier and no undecryptable attachment in the masked record (MaskedContent). */
    public static final String MASKED_CONTENT = "masked-content";
    /** Every attachment CID is a well-formed CIDv1 bound to its ciphertext where it can be (AttachmentCids). */
    public static final String CIDS = "cids";
    /** The transaction or block is on the chain (partition) it was read from. */
    public static final String CHAIN = "chain";
    /** The transaction's sequence is the chain's next one: no repeat, no gap that was not declared void. */
    public static final String SEQUENCE = "sequence";

    /** The block header parses strictly (and matches the hash and structure it came with). */
    public static final String BLOCK_FORMAT = "block-format";
    /** The block's height is the chain's next height. */
    public static final String HEIGHT = "height";
    /** The block's previousBlockHash is the hash of the chain's last accepted block (zeros first). */
    public static final String PREVIOUS_HASH = "previous-hash";
    /** The block's first and last sequence are those of the accepted transactions since the last block. */
    public static final String BLOCK_RANGE = "block-range";
    /** The block's txCount is the number of those transactions. */
    public static final String BLOCK_COUNT = "block-count";
    /** The block's merkleRoot is the RFC 6962 root over those transactions' ids. */
    public static final String MERKLE_ROOT = "merkle-root";
    /** The block's epoch is not below any of those transactions' epochs. */
    public static final String BLOCK_EPOCH = "block-epoch";

    /**
     * Not a check of the signed bytes but an observation: a chain held an accepted transaction longer
     * than the monitor's limit without a block sealing it. Reported with the transaction the delegate
     * signed; evicting on it is a governance policy (governance.evict-on-missed-blocks), because nobody
     * else can verify an absence.
     */
    public static final String MISSED_BLOCK = "missed-block";

    private CheckNames() {
    }
}
