package org.emrsb.core.monitor;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import org.emrsb.core.format.BlockHeader;
import org.emrsb.core.format.Sha256;
import org.emrsb.core.format.Transaction;
import org.emrsb.core.ledger.SealedBlock;
import org.emrsb.core.ledger.SignedTransaction;
import org.emrsb.core.merkle.CompactRange;

/**
 * What one monitor keeps about one chain (a partition of {@code ledger.tx}) to judge its next
 * transaction and its next block: the next sequence to judge, the next block height, the last accepted
 * block's hash and where it ended, and the open block, a {@link CompactRange} over the ids of the
 * accepted transactions since that block with their first and last sequence and largest epoch. Its
 * size is O(log n) in the open block's size: it is meant to be the value of a changelogged state store,
 * and {@link #toBytes()}/{@link #fromBytes} are that value's encoding (docs/monitoring.md, "Chain watch").
 *
 * <p><b>Two cursors.</b> {@link #nextSequence()} moves when a sequence is dealt with: a transaction
 * judged, or a number declared void. The open block grows when an accepted transaction's id is
 * appended. In order (one monitor, transactions and blocks seen in chain order)
 * {@link #recordAccepted} does both at once. When blocks can be read before or after the transactions
 * they follow (ledger.tx and ledger.blocks are separate topics), or when only quorum-counted
 * transactions enter blocks, a caller judges with {@link #recordJudged} and appends later with
 * {@link #appendAccepted}, up to a block's last sequence just before checking that block.
 *
 * <p><b>Voids.</b> A sequence in no block is void: declared so by the chain, or the number of a
 * transaction that was rejected (the chain voids a rejected transaction's number and the delegate
 * goes on numbering after it). Either way {@link #recordVoid} passes it; a gap in the sequences that
 * was not passed this way is a {@code sequence} failure.
 *
 * <p>Every method either completes or leaves the watch untouched. Mutable and not thread-safe, like the
 * state store entry it models.
 *
 * <p>Byte layout of {@link #toBytes()} (big-endian), version 1:
 * <pre>
 * offset  length  field
 * 0       1       format version, 0x01
 * 1       4       chain (u32)
 * 5       8       nextSequence (u64): the sequence the next transaction must have
 * 13      8       nextHeight (u64): the number of accepted blocks, so the next block's height
 * 21      32      lastBlockHash: hash of block nextHeight-1; 32 zero bytes while nextHeight is 0
 * 53      8       unsealedFrom (u64): the last accepted block's lastSequence + 1; 0 before the first
 * 61      8       openFirstSequence (u64)  \
 * 69      8       openLastSequence (u64)    | the open block; all three 0 while it is empty
 * 77      8       openMaxEpoch (u64)       /
 * 85      10+32k  the open block's compact range (its own version-1 encoding, k = popcount(size))
 * </pre>
 * Total 95 + 32 × popcount(openCount) bytes, at most 2111. Parsing is strict: another version, a wrong
 * length, a non-zero hash or unsealedFrom before the first block, unsealedFrom past nextSequence, and
 * open-block fields that are non-zero while it is empty or do not fit
 * ({@code unsealedFrom ≤ first ≤ last < nextSequence}, {@code count ≤ last − first + 1}) are refused.
 */
public final class ChainWatch {

    /** The version byte {@link #toBytes()} writes and {@link #fromBytes} accepts. */
    public static final byte FORMAT_VERSION = 1;

    /** Length of the fixed part, before the compact range. */
    static final int FIXED_LENGTH = 1 + 4 + 8 + 8 + 32 + 8 + 8 + 8 + 8;

    private static final byte[] ZERO_HASH = new byte[32];

    private final long chain;
    private long nextSequence;
    private long nextHeight;
    private byte[] lastBlockHash;
    private long unsealedFrom;
    private CompactRange open;
    private long openFirstSequence;
    private long openLastSequence;
    private long openMaxEpoch;

    private ChainWatch(long chain, long nextSequence, long nextHeight, byte[] lastBlockHash, long unsealedFrom,
            CompactRange open, long openFirstSequence, long openLastSequence, long openMaxEpoch) {
        this.chain = chain;
        this.nextSequence = nextSequence;
        this.nextHeight = nextHeight;
        this.lastBlockHash = lastBlockHash;
        this.unsealedFrom = unsealedFrom;
        this.open = open;
        this.openFirstSequence = openFirstSequence;
        this.openLastSequence = openLastSequence;
        this.openMaxEpoch = openMaxEpoch;
    }

    /** The watch over a chain the monitor has seen nothing of. */
    public static ChainWatch genesis(long chain) {
        if (chain < 0 || chain > 0xffff_ffffL) {
            throw new IllegalArgumentException("a chain number is a u32, got " + chain);
        }
        return new ChainWatch(chain, 0, 0, ZERO_HASH.clone(), 0, new CompactRange(), 0, 0, 0);
    }

    public long chain() {
        return chain;
    }

    /** The sequence the chain's next transaction must have: every lower one was judged or is void. */
    public long nextSequence() {
        return nextSequence;
    }

    /** The number of accepted blocks: the height the next block must have. */
    public long nextHeight() {
        return nextHeight;
    }

    /** A copy of the last accepted block's hash; 32 zero bytes before the first block. */
    public byte[] lastBlockHash() {
        return lastBlockHash.clone();
    }

    /** The lowest sequence the next block may hold: the last accepted block's lastSequence + 1. */
    public long unsealedFrom() {
        return unsealedFrom;
    }

    /** The number of accepted transactions in the open block. */
    public long openCount() {
        return open.size();
    }

    /** Sequence of the open block's first transaction; 0 while it is empty. */
    public long openFirstSequence() {
        return openFirstSequence;
    }

    /** Sequence of the open block's last transaction; 0 while it is empty. */
    public long openLastSequence() {
        return openLastSequence;
    }

    /** The largest epoch among the open block's transactions; 0 while it is empty. */
    public long openMaxEpoch() {
        return openMaxEpoch;
    }

    /** The RFC 6962 root over the open block's transaction ids (the empty-tree root while empty). */
    public byte[] openRoot() {
        return open.root();
    }

    /**
     * In order: the transaction at {@link #nextSequence()} was accepted and enters the open block.
     * {@code signed.tx()} must be the parse of {@code signed.bytes()} (TransactionChecks' first check
     * makes sure of it).
     *
     * @throws IllegalArgumentException if it is on another chain or not at the next sequence
     */
    public void recordAccepted(SignedTransaction signed) {
        Transaction tx = signed.tx();
        if (tx.chain() != chain) {
            throw new IllegalArgumentException("a transaction of chain " + tx.chain() + " on the watch of chain " + chain);
        }
        requireNext(tx.sequence());
        if (tx.epoch() < 0) {
            throw new IllegalArgumentException("an epoch is a u64 below 2^63, got " + tx.epoch());
        }
        nextSequence++; // the append below cannot fail now: the sequence lies after the open block
        appendAccepted(tx.sequence(), signed.idBytes(), tx.epoch());
    }

    /**
     * The sequence at {@link #nextSequence()} is in no block: declared void by the chain, or its
     * transaction was rejected. Later transactions may follow it.
     *
     * @throws IllegalArgumentException if it is not the next sequence
     */
    public void recordVoid(long sequence) {
        requireNext(sequence);
        nextSequence++;
    }

    /**
     * Deferred mode: the transaction at {@link #nextSequence()} was judged; if it counts, the caller
     * appends its id with {@link #appendAccepted} before checking the block that holds it.
     *
     * @throws IllegalArgumentException if it is not the next sequence
     */
    public void recordJudged(long sequence) {
        requireNext(sequence);
        nextSequence++;
    }

    /**
     * Appends an accepted (or quorum-counted) transaction's id to the open block. Sequences must
     * increase, lie at or after {@link #unsealedFrom()} and have been judged (below
     * {@link #nextSequence()}).
     *
     * @param transactionId the transaction id's 32 bytes (the leaf data)
     * @throws IllegalArgumentException if the sequence or the id does not fit
     */
    public void appendAccepted(long sequence, byte[] transactionId, long epoch) {
        if (transactionId == null || transactionId.length != 32) {
            throw new IllegalArgumentException("a transaction id is 32 bytes");
        }
        if (epoch < 0) {
            throw new IllegalArgumentException("an epoch is a u64 below 2^63, got " + epoch);
        }
        long lowest = open.size() == 0 ? unsealedFrom : openLastSequence + 1;
        if (sequence < lowest || sequence >= nextSequence) {
            throw new IllegalArgumentException("chain " + chain + ": cannot append sequence " + sequence
                    + " to the open block; it takes " + lowest + ".." + (nextSequence - 1));
        }
        if (open.size() == 0) {
            openFirstSequence = sequence;
            openMaxEpoch = epoch;
        } else {
            openMaxEpoch = Math.max(openMaxEpoch, epoch);
        }
        open.appendData(transactionId);
        openLastSequence = sequence;
    }

    /**
     * Advances past a block that {@link BlockChecks} accepted against this watch: the height and last
     * hash move to it and the open block starts empty after its last sequence.
     *
     * @throws IllegalArgumentException if the block is not exactly this watch's next block
     */
    public void recordBlock(SealedBlock block) {
        BlockHeader header = block.header();
        if (header.chain() != chain || header.height() != nextHeight
                || !Arrays.equals(header.previousBlockHash(), lastBlockHash) || !closes(header)) {
            throw new IllegalArgumentException("chain " + chain + ": block " + header.height()
                    + " is not the next block over the open block; check it with BlockChecks first");
        }
        nextHeight++;
        lastBlockHash = Sha256.hash(block.bytes());
        unsealedFrom = header.lastSequence() + 1;
        open = new CompactRange();
        openFirstSequence = 0;
        openLastSequence = 0;
        openMaxEpoch = 0;
    }

    /** Whether the header's range, count and root are exactly the open block's. */
    boolean closes(BlockHeader header) {
        return open.size() > 0 && header.firstSequence() == openFirstSequence
                && header.lastSequence() == openLastSequence && header.txCount() == open.size()
                && Arrays.equals(header.merkleRoot(), open.root());
    }

    /** The encoding described on the class. */
    public byte[] toBytes() {
        byte[] range = open.toBytes();
        return ByteBuffer.allocate(FIXED_LENGTH + range.length).put(FORMAT_VERSION).putInt((int) chain)
                .putLong(nextSequence).putLong(nextHeight).put(lastBlockHash).putLong(unsealedFrom)
                .putLong(openFirstSequence).putLong(openLastSequence).putLong(openMaxEpoch).put(range).array();
    }

    /**
     * Decodes the layout described on the class.
     *
     * @throws IllegalArgumentException if the bytes are not exactly one valid version-1 encoding
     */
    public static ChainWatch fromBytes(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length < FIXED_LENGTH) {
            throw new IllegalArgumentException("a chain watch needs at least " + FIXED_LENGTH + " bytes, got "
                    + bytes.length);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte version = in.get();
        if (version != FORMAT_VERSION) {
            throw new IllegalArgumentException("unknown chain watch format version " + version);
        }
        long chain = Integer.toUnsignedLong(in.getInt());
        long nextSequence = nonNegative(in.getLong(), "nextSequence");
        long nextHeight = nonNegative(in.getLong(), "nextHeight");
        byte[] lastBlockHash = new byte[32];
        in.get(lastBlockHash);
        long unsealedFrom = nonNegative(in.getLong(), "unsealedFrom");
        long first = nonNegative(in.getLong(), "openFirstSequence");
        long last = nonNegative(in.getLong(), "openLastSequence");
        long maxEpoch = nonNegative(in.getLong(), "openMaxEpoch");
        CompactRange open = CompactRange.fromBytes(Arrays.copyOfRange(bytes, FIXED_LENGTH, bytes.length));
        ChainWatch watch = new ChainWatch(chain, nextSequence, nextHeight, lastBlockHash, unsealedFrom, open, first,
                last, maxEpoch);
        watch.requireConsistent();
        return watch;
    }

    private void requireConsistent() {
        if (nextHeight == 0 && (!Arrays.equals(lastBlockHash, ZERO_HASH) || unsealedFrom != 0)) {
            throw new IllegalArgumentException("chain watch: a last block before the first block");
        }
        if (unsealedFrom > nextSequence) {
            throw new IllegalArgumentException("chain watch: unsealedFrom " + unsealedFrom + " is past nextSequence "
                    + nextSequence);
        }
        long count = open.size();
        if (count == 0) {
            if (openFirstSequence != 0 || openLastSequence != 0 || openMaxEpoch != 0) {
                throw new IllegalArgumentException("chain watch: an empty open block with non-zero fields");
            }
        } else if (openFirstSequence < unsealedFrom || openFirstSequence > openLastSequence
                || openLastSequence >= nextSequence || count > openLastSequence - openFirstSequence + 1) {
            throw new IllegalArgumentException("chain watch: open block " + openFirstSequence + ".." + openLastSequence
                    + " of " + count + " transactions does not fit in " + unsealedFrom + ".." + (nextSequence - 1));
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChainWatch w && Arrays.equals(w.toBytes(), toBytes());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(toBytes());
    }

    @Override
    public String toString() {
        return "ChainWatch[chain=" + chain + ", nextSequence=" + nextSequence + ", nextHeight=" + nextHeight
                + ", open=" + open.size() + " tx " + openFirstSequence + ".." + openLastSequence + "]";
    }

    private void requireNext(long sequence) {
        if (sequence != nextSequence) {
            throw new IllegalArgumentException("chain " + chain + ": sequence " + sequence + " is not the next one, "
                    + nextSequence);
        }
        if (nextSequence == Long.MAX_VALUE) {
            throw new IllegalStateException("chain " + chain + " has used every sequence number");
        }
    }

    private static long nonNegative(long value, String field) {
        if (value < 0) {
            throw new IllegalArgumentException("chain watch: " + field + " exceeds 2^63-1");
        }
        return value;
    }
}
