package org.emrsb.core.bitcoin;

import java.util.List;
import java.util.Objects;
import org.emrsb.core.crypto.Hex;

/**
 * A signed anchor transaction as {@link AnchorTransactions#build} made it, with what it was made from,
 * so that it can be rebuilt at a higher fee rate ({@link AnchorTransactions#rebuild}) and its change
 * spent by the next anchor ({@link #change()}).
 *
 * @param transaction the signed transaction: output 0 the OP_RETURN, output 1 the change
 * @param inputs      the outputs it spends, in input order
 * @param anchorHash  the 32 bytes its OP_RETURN carries
 * @param feeRate     the rate it was built for; the real rate is at least this
 * @param fee         the fee it pays, in satoshi: inputs minus outputs
 */
public record AnchorTransaction(BitcoinTransaction transaction, List<SpendableOutput> inputs, byte[] anchorHash,
                                FeeRate feeRate, long fee) {

    /** The index of the OP_RETURN output. */
    public static final int ANCHOR_OUTPUT = 0;
    /** The index of the change output. */
    public static final int CHANGE_OUTPUT = 1;

    public AnchorTransaction {
        Objects.requireNonNull(transaction, "transaction");
        inputs = List.copyOf(inputs);
        anchorHash = Objects.requireNonNull(anchorHash, "anchorHash").clone();
        Objects.requireNonNull(feeRate, "feeRate");
    }

    @Override
    public byte[] anchorHash() {
        return anchorHash.clone();
    }

    /** The txid, internal byte order. */
    public byte[] txid() {
        return transaction.txid();
    }

    /** The txid in RPC display order. */
    public String displayTxid() {
        return transaction.displayTxid();
    }

    /** The serialised transaction's size in bytes, which is its virtual size (no witness). */
    public int size() {
        return transaction.toBytes().length;
    }

    /** The serialised transaction in lowercase hex, as {@code sendrawtransaction} takes it. */
    public String toHex() {
        return Hex.encode(transaction.toBytes());
    }

    /** The change output as an outpoint the next anchor can spend: (txid, 1, value). */
    public SpendableOutput change() {
        return new SpendableOutput(txid(), CHANGE_OUTPUT, transaction.outputs().get(CHANGE_OUTPUT).value());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AnchorTransaction a && transaction.equals(a.transaction) && inputs.equals(a.inputs)
                && java.util.Arrays.equals(anchorHash, a.anchorHash) && feeRate.equals(a.feeRate) && fee == a.fee;
    }

    @Override
    public int hashCode() {
        return transaction.hashCode();
    }

    @Override
    public String toString() {
        return "AnchorTransaction[" + displayTxid() + ", " + size() + " B, fee " + fee + " sat at " + feeRate + "]";
    }
}
