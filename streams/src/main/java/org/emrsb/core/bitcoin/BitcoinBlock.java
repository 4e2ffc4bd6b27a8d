package org.emrsb.core.bitcoin;

import java.util.List;

/**
 * A Bitcoin block: its header and transactions (legacy serialisation). For building test chains and
 * fixtures: {@link #mine} fills in the Merkle root and loops the nonce until the proof of work holds,
 * which is instant at regtest's target and hopeless at mainnet's.
 */
public record BitcoinBlock(BitcoinHeader header, List<BitcoinTransaction> transactions) {

    public BitcoinBlock {
        transactions = List.copyOf(transactions);
        if (transactions.isEmpty()) {
            throw new IllegalArgumentException("a block has at least one transaction");
        }
    }

    /**
     * A block over {@code transactions} whose header has their Merkle root and the first nonce from 0
     * that meets {@code bits}.
     *
     * @throws IllegalStateException if no 32-bit nonce does
     */
    public static BitcoinBlock mine(int version, byte[] previousBlockHash, long time, long bits,
            List<BitcoinTransaction> transactions) {
        byte[] root = BitcoinMerkle.root(transactions.stream().map(BitcoinTransaction::txid).toList());
        BitcoinHeader header = new BitcoinHeader(version, previousBlockHash, root, time, bits, 0);
        BitcoinHeader.target(bits); // refuse an invalid target before looping
        for (long nonce = 0; nonce <= 0xffff_ffffL; nonce++) {
            BitcoinHeader candidate = header.withNonce(nonce);
            if (candidate.meetsTarget()) {
                return new BitcoinBlock(candidate, transactions);
            }
        }
        throw new IllegalStateException("no nonce meets the target; change the time or the transactions");
    }

    /** The txids in block order. */
    public List<byte[]> txids() {
        return transactions.stream().map(BitcoinTransaction::txid).toList();
    }

    /** The branch of the transaction at {@code index}. */
    public List<byte[]> branch(int index) {
        return BitcoinMerkle.branch(txids(), index);
    }

    /** Header, transaction count, transactions: the block's serialisation without witness data. */
    public byte[] toBytes() {
        BitcoinWriter w = new BitcoinWriter().bytes(header.toBytes()).varint(transactions.size());
        transactions.forEach(tx -> w.bytes(tx.toBytes()));
        return w.toByteArray();
    }
}
