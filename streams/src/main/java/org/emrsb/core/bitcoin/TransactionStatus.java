package org.emrsb.core.bitcoin;

import java.util.Objects;

/**
 * Where the node sees a transaction ({@link BitcoindClient#getTransactionStatus}).
 *
 * @param state         unknown to the node, waiting in its mempool, or in a block of its best chain
 * @param blockHash     the block holding it (display order), or {@code null} unless {@code CONFIRMED}
 * @param confirmations the block's depth (1 for the tip), 0 unless {@code CONFIRMED}
 */
public record TransactionStatus(State state, String blockHash, long confirmations) {

    public enum State { UNKNOWN, IN_MEMPOOL, CONFIRMED }

    public TransactionStatus {
        Objects.requireNonNull(state, "state");
        if ((state == State.CONFIRMED) != (blockHash != null && confirmations > 0)) {
            throw new IllegalArgumentException("a confirmed transaction, and only that, has a block and confirmations");
        }
    }

    public static TransactionStatus unknown() {
        return new TransactionStatus(State.UNKNOWN, null, 0);
    }

    public static TransactionStatus inMempool() {
        return new TransactionStatus(State.IN_MEMPOOL, null, 0);
    }

    public static TransactionStatus confirmed(String blockHash, long confirmations) {
        return new TransactionStatus(State.CONFIRMED, blockHash, confirmations);
    }
}
