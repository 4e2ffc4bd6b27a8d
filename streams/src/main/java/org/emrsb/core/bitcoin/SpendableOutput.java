package org.emrsb.core.bitcoin;

import java.util.Arrays;
import java.util.Objects;
import org.emrsb.core.crypto.Hex;

/**
 * An unspent output the anchor key can spend: an outpoint (txid in internal byte order, output index)
 * and its value. The caller vouches that it is a P2PKH output of the key; a wrong claim only makes the
 * node refuse the transaction.
 *
 * @param txid  the transaction id, internal byte order (the reverse of what RPC prints)
 * @param vout  the output index
 * @param value the output's value in satoshi
 */
public record SpendableOutput(byte[] txid, long vout, long value) {

    public SpendableOutput {
        if (txid == null || txid.length != 32) {
            throw new IllegalArgumentException("a txid is 32 bytes");
        }
        BitcoinTransaction.checkU32(vout, "output index");
        if (value <= 0 || value > BitcoinTransaction.MAX_MONEY) {
            throw new IllegalArgumentException("a spendable output's value is 1.." + BitcoinTransaction.MAX_MONEY
                    + " satoshi, was " + value);
        }
        txid = txid.clone();
    }

    /** The output given with its txid in RPC display order (lowercase hex), as bitcoind prints it. */
    public static SpendableOutput ofDisplayTxid(String txidHex, long vout, long value) {
        return new SpendableOutput(DoubleSha256.reverse(Hex.decode(txidHex, 32, "txid")), vout, value);
    }

    @Override
    public byte[] txid() {
        return txid.clone();
    }

    /** The txid in RPC display order. */
    public String displayTxid() {
        return Hex.encode(DoubleSha256.reverse(txid));
    }

    /** Whether both name the same outpoint (txid and index), whatever the values. */
    public boolean sameOutpoint(SpendableOutput other) {
        return vout == other.vout && Arrays.equals(txid, other.txid);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpendableOutput s && Arrays.equals(txid, s.txid) && vout == s.vout && value == s.value;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(txid), vout, value);
    }

    @Override
    public String toString() {
        return displayTxid() + ":" + vout + " (" + value + " sat)";
    }
}
