package org.emrsb.stream;

/** Every state store's name, written once, so changelog topic names never shift between releases. */
public final class Stores {

    /** Global store over governance.members: member key (ed25519:hex) to the signed certificate in force. */
    public static final String MEMBERS = "members-store";

    /**
     * The offload stage's parking store: records waiting for the IPFS node, keyed by
     * {@code <pseudonym>/<19-digit sequence>} so that a patient's records stay in order; masked data only.
     */
    public static final String OFFLOAD_PARKED = "offload-parked";

    /** The governance processor's election state (one value: the Election snapshot). */
    public static final String GOVERNANCE_ELECTION = "governance-election";

    /** Global store over governance.epochs: each epoch's canonical bytes by number, and the current number. */
    public static final String GOVERNANCE_EPOCHS = "epochs-store";

    /** The delegate stage's chain head: the chain number (decimal) to its {@code ChainHead} bytes. */
    public static final String LEDGER_CHAIN_HEAD = "ledger-chain-head";

    /** Transactions by id (lowercase hex) to their LedgerTransaction (single-object Avro). */
    public static final String LEDGER_TRANSACTIONS = "ledger-transactions";

    /**
     * {@code <chain:10>/<sequence:19>} to the transaction id's 32 bytes: what an inclusion proof is built
     * from. A sequence the monitors' quorum rejected (void) is removed, so a block's range holds its leaves.
     */
    public static final String LEDGER_SEQUENCES = "ledger-sequences";

    /** {@code <pseudonym>/<chain:10>/<sequence:19>} to the transaction id's 32 bytes: a patient's records. */
    public static final String LEDGER_PATIENTS = "ledger-patients";

    /** {@code <chain:10>/<height:19>} to the sealed LedgerBlock (single-object Avro). */
    public static final String LEDGER_BLOCKS = "ledger-blocks";

    /** {@code <chain:10>/<lastSequence:19>} to the block's height (8 bytes): which block holds a sequence. */
    public static final String LEDGER_BLOCK_ENDS = "ledger-block-ends";

    /**
     * Submission id to the id (32 bytes) of the transaction that holds it on this chain, so that a
     * submission re-emitted upstream (a second offload application, a stage re-run from earlier offsets)
     * is not signed twice: the submission id is the pipeline's idempotency key.
     */
    public static final String LEDGER_SUBMISSIONS = "ledger-submissions";

    /**
     * Offloaded records waiting for this chain's owner to be an ACTIVE delegate, in arrival order
     * ({@code <19-digit counter>}); they move with the task to the next owner. Masked data only.
     */
    public static final String LEDGER_PENDING = "ledger-pending";

    /**
     * A monitor's view of each chain: the chain number (decimal) to its {@code ChainWatch} bytes; and
     * {@code missed-reported/<chain>} to the key of the transaction last reported as missing its block.
     */
    public static final String MONITOR_CHAIN_WATCH = "monitor-chain-watch";

    /**
     * Ledger records a monitor cannot judge yet, in arrival order: {@code t/<19-digit counter>} for
     * transactions, {@code b/<counter>} for blocks, to the record's value as received.
     */
    public static final String MONITOR_WAITING = "monitor-waiting";

    /**
     * A monitor's accepted transactions not yet covered by an accepted block: {@code <chain:10>/<sequence:19>}
     * to the epoch, the time it was judged and the transaction as its delegate signed it (for a missed-block
     * report). Freed as blocks are accepted, so it holds at most about one block's transactions.
     */
    public static final String MONITOR_ACCEPTED = "monitor-accepted";

    /**
     * Transactions signed and awaiting the monitors' quorum, by id (hex): their sequence, epoch, the
     * original offloaded record (for re-signing if rejected) and the verdicts so far.
     */
    public static final String LEDGER_AWAITING = "ledger-awaiting";

    /** Valid block verdicts, {@code <block hash hex>/<monitor key hex>} to the signed verdict: for proofs. */
    public static final String LEDGER_VERDICTS = "ledger-verdicts";

    /**
     * The privacy monitor's counts: {@code <window start ms:19>/<policy id>/<class key>} to the number of
     * records of that equivalence class seen in that window (8 bytes). The class key is a SHA-256 of the
     * generalised quasi-identifiers only; entries are deleted once their window is reported, and the key
     * {@code #closed} holds the end of the last window reported.
     */
    public static final String PRIVACY_CLASSES = "privacy-classes";

    private Stores() {
    }

    /** The anchor stage's state: one value ({@code state}), the {@code AnchorState} bytes. */
    public static final String ANCHOR_STATE = "anchor-state";

    /** The open anchor window's blocks: {@code <chain:10>/<height:19>/<hash>} to the block hash; iterated in leaf order. */
    public static final String ANCHOR_WINDOW = "anchor-window";

    /** Anchors sealed without coins for their transaction: {@code <sequence:19>} to the AnchorRecord (single-object Avro). */
    public static final String ANCHOR_UNFUNDED = "anchor-unfunded";
}
