package org.emrsb.core.ledger;

import static org.emrsb.core.ledger.ChainVerificationException.Reason.BAD_BLOCK_SIGNATURE;
import static org.emrsb.core.ledger.ChainVerificationException.Reason.BAD_TRANSACTION_SIGNATURE;
import static org.emrsb.core.ledger.ChainVerificationException.Reason.BLOCK_RANGE;
import static org.emrsb.core.ledger.ChainVerificationException.Reason.EPOCH;
import static org.emrsb.core.ledger.ChainVerificationException.Reason.HEIGHT;
import static org.emrsb.core.ledger.ChainVerificationException.Reason.MALFORMED;
import static org.emrsb.core.ledger.ChainVerificationException.Reason.MERKLE_ROOT;
import static org.emrsb.core.ledger.ChainVerificationException.Reason.PREVIOUS_HASH;
import static org.emrsb.core.ledger.ChainVerificationException.Reason.SEQUENCE;
import static org.emrsb.core.ledger.ChainVerificationException.Reason.WRONG_CHAIN;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.emrsb.core.crypto.Signatures;
import org.emrsb.core.crypto.VerifyingKey;
import org.emrsb.core.crypto.VerifyingKeyCache;
import org.emrsb.core.format.BlockHeader;
import org.emrsb.core.format.FormatException;
import org.emrsb.core.format.Sha256;
import org.emrsb.core.format.Transaction;
import org.emrsb.core.merkle.MerkleTree;

/**
 * Checks one chain offline, from its start: its transactions in sequence order and its blocks in
 * height order, as bytes and signatures (the parsed structures in {@link SignedTransaction} and
 * {@link SealedBlock} are ignored; everything is re-derived from the bytes). It checks that
 * <ul>
 * <li>every transaction parses, is on this chain and is signed by its delegateKey;</li>
 * <li>sequences run 0, 1, 2, ... with no gap except the declared void sequences, no repeat and no
 *     transaction at a void sequence;</li>
 * <li>every block parses, its hash is H(its bytes), it is on this chain and signed by its delegateKey;
 *     heights run 0, 1, 2, ...; each previousBlockHash is the previous block's hash (zeros first);</li>
 * <li>the blocks cover consecutive runs of the transactions: each block's firstSequence, lastSequence
 *     and txCount match the transactions with sequences in its range, its merkleRoot is the RFC 6962
 *     root over their ids ({@link MerkleTree}) and its epoch is not below theirs.</li>
 * </ul>
 * Transactions after the last block are the open block and are checked as transactions only. Checks
 * run in chain order, so the exception names the first broken link.
 */
public final class ChainVerifier {

    private ChainVerifier() {
    }

    /** What a successful verification saw. */
    public record Summary(long transactions, long blocks, long nextSequence, byte[] lastBlockHash) {
    }

    /**
     * Verifies the chain.
     *
     * @param voids the sequences declared void (consumed without a transaction)
     * @throws ChainVerificationException naming the first broken link
     */
    public static Summary verify(long chain, List<SignedTransaction> transactions, List<SealedBlock> blocks,
            Set<Long> voids) throws ChainVerificationException {
        Objects.requireNonNull(transactions, "transactions");
        Objects.requireNonNull(blocks, "blocks");
        Objects.requireNonNull(voids, "voids");
        VerifyingKeyCache keys = new VerifyingKeyCache(64);
        Cursor cursor = new Cursor(chain, transactions, voids, keys);
        byte[] previousHash = new byte[32];
        long height = 0;
        for (SealedBlock block : blocks) {
            BlockHeader header = checkBlock(chain, height, previousHash, block, keys);
            List<Transaction> covered = new ArrayList<>();
            List<byte[]> ids = new ArrayList<>();
            while (cursor.hasNext() && cursor.peekSequence() <= header.lastSequence()) {
                Checked tx = cursor.next();
                covered.add(tx.tx());
                ids.add(tx.id());
            }
            checkCoverage(height, header, covered, ids);
            previousHash = block.hash();
            height++;
        }
        while (cursor.hasNext()) {
            cursor.next();
        }
        return new Summary(transactions.size(), height, cursor.expected, previousHash.clone());
    }

    private static BlockHeader checkBlock(long chain, long height, byte[] previousHash, SealedBlock block,
            VerifyingKeyCache keys) throws ChainVerificationException {
        BlockHeader header;
        try {
            header = BlockHeader.parse(block.bytes());
        } catch (FormatException e) {
            throw fail(MALFORMED, -1, height, "block " + height + ": " + e.getMessage());
        }
        if (!Arrays.equals(block.hash(), Sha256.hash(block.bytes()))) {
            throw fail(MALFORMED, -1, height, "block " + height + ": the hash is not H(header bytes)");
        }
        if (!verifies(keys, header.delegateKey(), block.bytes(), block.signature())) {
            throw fail(BAD_BLOCK_SIGNATURE, -1, height, "block " + height + " is not signed by its delegate "
                    + hex(header.delegateKey()));
        }
        if (header.chain() != chain) {
            throw fail(WRONG_CHAIN, -1, height, "block " + height + " is on chain " + header.chain()
                    + ", expected " + chain);
        }
        if (header.height() != height) {
            throw fail(HEIGHT, -1, height, "block " + height + " claims height " + header.height());
        }
        if (!Arrays.equals(header.previousBlockHash(), previousHash)) {
            throw fail(PREVIOUS_HASH, -1, height, "block " + height + " links to " + hex(header.previousBlockHash())
                    + ", the previous block's hash is " + hex(previousHash));
        }
        return header;
    }

    private static void checkCoverage(long height, BlockHeader header, List<Transaction> covered, List<byte[]> ids)
            throws ChainVerificationException {
        String at = "block " + height + " (sequences " + header.firstSequence() + ".." + header.lastSequence() + ")";
        if (covered.isEmpty()) {
            throw fail(BLOCK_RANGE, -1, height, at + " covers none of the given transactions");
        }
        long first = covered.get(0).sequence();
        long last = covered.get(covered.size() - 1).sequence();
        if (first != header.firstSequence() || last != header.lastSequence() || covered.size() != header.txCount()) {
            throw fail(BLOCK_RANGE, -1, height, at + " claims " + header.txCount() + " transactions, the chain has "
                    + covered.size() + " in " + first + ".." + last + " since the previous block");
        }
        byte[] root = MerkleTree.rootOfLeafData(ids);
        if (!Arrays.equals(root, header.merkleRoot())) {
            throw fail(MERKLE_ROOT, -1, height, at + " has root " + hex(header.merkleRoot())
                    + ", its transactions' ids give " + hex(root));
        }
        for (Transaction tx : covered) {
            if (tx.epoch() > header.epoch()) {
                throw fail(EPOCH, tx.sequence(), height, at + " has epoch " + header.epoch() + " below transaction "
                        + tx.sequence() + "'s epoch " + tx.epoch());
            }
        }
    }

    /** A transaction that passed its own checks, with its id. */
    private record Checked(Transaction tx, byte[] id) {
    }

    /** Walks the transactions in order, checking each and the sequence continuity. */
    private static final class Cursor {
        private final long chain;
        private final List<SignedTransaction> transactions;
        private final Set<Long> voids;
        private final VerifyingKeyCache keys;
        private int index;
        private long expected;
        private Checked peeked;

        Cursor(long chain, List<SignedTransaction> transactions, Set<Long> voids, VerifyingKeyCache keys) {
            this.chain = chain;
            this.keys = keys;
            this.transactions = transactions;
            this.voids = voids;
        }

        boolean hasNext() {
            return peeked != null || index < transactions.size();
        }

        long peekSequence() throws ChainVerificationException {
            if (peeked == null) {
                peeked = check(transactions.get(index++));
            }
            return peeked.tx().sequence();
        }

        Checked next() throws ChainVerificationException {
            peekSequence();
            Checked tx = peeked;
            peeked = null;
            return tx;
        }

        private Checked check(SignedTransaction signed) throws ChainVerificationException {
            int position = index - 1;
            Transaction tx;
            try {
                tx = Transaction.parse(signed.bytes());
            } catch (FormatException e) {
                throw fail(MALFORMED, -1, -1, "transaction at position " + position + ": " + e.getMessage());
            }
            long sequence = tx.sequence();
            if (!verifies(keys, tx.delegateKey(), signed.bytes(), signed.signature())) {
                throw fail(BAD_TRANSACTION_SIGNATURE, sequence, -1, "transaction " + sequence
                        + " is not signed by its delegate " + hex(tx.delegateKey()));
            }
            if (tx.chain() != chain) {
                throw fail(WRONG_CHAIN, sequence, -1, "transaction " + sequence + " is on chain " + tx.chain()
                        + ", expected " + chain);
            }
            while (voids.contains(expected)) {
                expected++;
            }
            if (sequence != expected) {
                throw fail(SEQUENCE, sequence, -1, "transaction at position " + position + " has sequence " + sequence
                        + ", expected " + expected + (voids.contains(sequence) ? " (and " + sequence
                                + " is declared void)" : ""));
            }
            expected++;
            return new Checked(tx, Sha256.hash(signed.bytes()));
        }
    }

    private static boolean verifies(VerifyingKeyCache keys, byte[] key, byte[] message, byte[] signature) {
        VerifyingKey verifying;
        try {
            verifying = keys.get(key);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return Signatures.verify(verifying, message, signature);
    }

    private static ChainVerificationException fail(ChainVerificationException.Reason reason, long sequence,
            long height, String detail) {
        return new ChainVerificationException(reason, sequence, height, detail);
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
