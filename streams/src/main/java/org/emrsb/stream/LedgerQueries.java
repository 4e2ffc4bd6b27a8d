package org.emrsb.stream;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.emrsb.avro.LedgerBlock;
import org.emrsb.avro.LedgerTransaction;
import org.emrsb.core.crypto.VerifyingKey;
import org.emrsb.core.format.BlockHeader;
import org.emrsb.core.merkle.InclusionProof;
import org.emrsb.core.merkle.MerkleTree;
import org.emrsb.core.proof.ProofBundle;

/**
 * Reads the ledger stores the delegate stage keeps (see {@link Stores}) of the chains one instance
 * holds: transactions by id, a patient's transactions, blocks, and a transaction's proof bundle as far
 * as it is final. Works on whatever store views it is given (an instance's local stores through
 * interactive queries, or a test driver's), and never writes.
 */
public final class LedgerQueries {

    /** The read-only views of the stores; {@code verdicts} may be null (no block verdicts in proofs). */
    public record Views(ReadOnlyKeyValueStore<String, byte[]> transactions,
            ReadOnlyKeyValueStore<String, byte[]> sequences, ReadOnlyKeyValueStore<String, byte[]> patients,
            ReadOnlyKeyValueStore<String, byte[]> blocks, ReadOnlyKeyValueStore<String, byte[]> blockEnds,
            ReadOnlyKeyValueStore<String, byte[]> verdicts) {

        /** Views without the block verdicts. */
        public Views(ReadOnlyKeyValueStore<String, byte[]> transactions, ReadOnlyKeyValueStore<String, byte[]> sequences,
                ReadOnlyKeyValueStore<String, byte[]> patients, ReadOnlyKeyValueStore<String, byte[]> blocks,
                ReadOnlyKeyValueStore<String, byte[]> blockEnds) {
            this(transactions, sequences, patients, blocks, blockEnds, null);
        }
    }

    /**
     * A transaction's proof bundle and its block, if sealed.
     *
     * @param block  the sealing block, empty while the transaction awaits the monitors or waits in the
     *               open block, and for a void transaction
     * @param voided whether the monitors' quorum rejected the transaction (its sequence is void; its
     *               record was signed again under a new number)
     */
    public record Proof(ProofBundle bundle, LedgerTransaction transaction, Optional<LedgerBlock> block, boolean voided) {

        /** The monitors' verdicts on the block so far (0 without a block). */
        public int blockVerdicts() {
            return bundle.block() == null ? 0 : bundle.block().verdicts().size();
        }
    }

    private static final Serde<LedgerTransaction> TX = org.emrsb.schemas.AvroSerdes.singleObject(LedgerTransaction.class);
    private static final Serde<LedgerBlock> BLOCK = org.emrsb.schemas.AvroSerdes.singleObject(LedgerBlock.class);

    private final Views views;

    public LedgerQueries(Views views) {
        this.views = Objects.requireNonNull(views, "views");
    }

    /** The transaction with this id (lowercase hex), if one of these chains holds it. */
    public Optional<LedgerTransaction> transaction(String id) {
        byte[] value = views.transactions().get(id);
        return value == null ? Optional.empty() : Optional.of(TX.deserializer().deserialize(Stores.LEDGER_TRANSACTIONS, value));
    }

    /** The ids of a patient's transactions (by pseudonym), per chain in sequence order. */
    public List<String> patientTransactions(String pseudonym) {
        List<String> ids = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> found = views.patients().prefixScan(LedgerKeys.patientPrefix(pseudonym),
                Serdes.String().serializer())) {
            while (found.hasNext()) {
                ids.add(org.emrsb.core.crypto.Hex.encode(found.next().value));
            }
        }
        return ids;
    }

    /** The block at a height of a chain, if sealed and held here. */
    public Optional<LedgerBlock> block(long chain, long height) {
        byte[] value = views.blocks().get(LedgerKeys.onChain(chain, height));
        return value == null ? Optional.empty() : Optional.of(BLOCK.deserializer().deserialize(Stores.LEDGER_BLOCKS, value));
    }

    /** The sealed block holding a sequence of a chain: the first block whose last sequence is not below it. */
    public Optional<LedgerBlock> blockHolding(long chain, long sequence) {
        try (KeyValueIterator<String, byte[]> ends = views.blockEnds().range(LedgerKeys.onChain(chain, sequence),
                LedgerKeys.onChain(chain, Long.MAX_VALUE))) {
            if (!ends.hasNext()) {
                return Optional.empty();
            }
            return block(chain, ByteBuffer.wrap(ends.next().value).getLong());
        }
    }

    /**
     * The proof bundle of a transaction as far as it is final here: the transaction, and its block with
     * the inclusion proof and the delegate's certificate once sealed. Empty if no chain here holds it.
     *
     * @param authority the enrolment authority the bundle names
     * @throws IllegalStateException if the stores disagree (a block whose leaves are not all indexed)
     */
    public Optional<Proof> proof(String id, VerifyingKey authority) {
        Optional<LedgerTransaction> found = transaction(id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        LedgerTransaction tx = found.get();
        ProofBundle.Builder builder = ProofBundle.builder(authority).transaction(AvroMapping.bytes(tx.getCanonical()));
        Optional<LedgerBlock> block = blockHolding(tx.getChain(), tx.getSequence());
        if (block.isPresent()) {
            LedgerBlock b = block.get();
            BlockHeader header = BlockHeader.parse(AvroMapping.bytes(b.getHeader()));
            Optional<InclusionProof> inclusion = inclusion(header, org.emrsb.core.crypto.Hex.decode(id, 32, "transaction id"));
            if (inclusion.isEmpty()) {
                return Optional.of(new Proof(builder.build(), tx, Optional.empty(), true));
            }
            byte[] certificate = b.getDelegateCertificate() == null ? new byte[0]
                    : AvroMapping.bytes(b.getDelegateCertificate());
            builder.block(header, inclusion.get(), AvroMapping.bytes(b.getSignature()), certificate);
            addVerdicts(builder, b.getHash());
        }
        return Optional.of(new Proof(builder.build(), tx, block, false));
    }

    private void addVerdicts(ProofBundle.Builder builder, String blockHash) {
        if (views.verdicts() == null) {
            return;
        }
        try (KeyValueIterator<String, byte[]> found = views.verdicts().prefixScan(blockHash + "/",
                Serdes.String().serializer())) {
            while (found.hasNext()) {
                StoredVerdict stored = StoredVerdict.decode(found.next().value);
                builder.verdict(stored.verdict().verdict(), stored.verdict().signature(), stored.certificate());
            }
        }
    }

    /**
     * The inclusion proof of a transaction id in a block, from the chain's sequence index; empty when
     * the id is not among the block's leaves (its sequence is void).
     */
    private Optional<InclusionProof> inclusion(BlockHeader header, byte[] id) {
        List<byte[]> leaves = new ArrayList<>();
        long index = -1;
        try (KeyValueIterator<String, byte[]> range = views.sequences().range(
                LedgerKeys.onChain(header.chain(), header.firstSequence()),
                LedgerKeys.onChain(header.chain(), header.lastSequence()))) {
            while (range.hasNext()) {
                KeyValue<String, byte[]> leaf = range.next();
                if (Arrays.equals(leaf.value, id)) {
                    index = leaves.size();
                }
                leaves.add(leaf.value);
            }
        }
        if (index < 0) {
            return Optional.empty();
        }
        if (leaves.size() != header.txCount()) {
            throw new IllegalStateException("chain " + header.chain() + " block " + header.height() + ": "
                    + leaves.size() + " indexed leaves for " + header.txCount() + " transactions");
        }
        MerkleTree tree = MerkleTree.ofLeafData(leaves);
        if (!Arrays.equals(tree.root(), header.merkleRoot())) {
            throw new IllegalStateException("chain " + header.chain() + " block " + header.height()
                    + ": the indexed leaves do not give the header's Merkle root");
        }
        return Optional.of(tree.inclusionProof(index));
    }
}
