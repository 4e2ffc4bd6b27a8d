package org.emrsb.core.bitcoin;

import java.util.Objects;

/**
 * What {@link BitcoindClient#sendRawTransaction} achieved. Every outcome means the transaction is, or
 * was, accepted: a broadcaster that re-sends after a crash sees {@code ALREADY_IN_MEMPOOL} or
 * {@code ALREADY_CONFIRMED} instead of an error. A refusal is a {@link BitcoindRpcException}.
 *
 * @param txid    the transaction's id, display order
 * @param outcome what the node said
 */
public record BroadcastResult(String txid, Outcome outcome) {

    public enum Outcome {
        /** Newly accepted into the mempool (or, by nodes that answer so, already there). */
        ACCEPTED,
        /** An older bitcoind's "txn-already-in-mempool". */
        ALREADY_IN_MEMPOOL,
        /** -27: its outputs are already in the UTXO set: it is confirmed. */
        ALREADY_CONFIRMED
    }

    public BroadcastResult {
        Objects.requireNonNull(txid, "txid");
        Objects.requireNonNull(outcome, "outcome");
    }
}
