package org.emrsb.core.ledger;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.emrsb.core.crypto.Signatures;
import org.emrsb.core.crypto.SigningKey;
import org.emrsb.core.format.BlockHeader;
import org.emrsb.core.format.Transaction;
import org.emrsb.core.merkle.CompactRange;

/**
 * The state of one chain (one partition of {@code ledger.tx}) that the delegate and block stages share:
 * the next sequence number, the sealed chain's height and last block hash, and the open block, which is
 * a {@link CompactRange} over the ids of the transactions sequenced since the last seal plus their
 * first and last sequence, the time the first of them was sequenced and the largest epoch among them.
 * Its size is O(log n) in the open block's transaction count, never a list of transactions: it is meant
 * to be the value of a changelogged state store that moves with its Kafka task, and
 * {@link #toBytes()}/{@link #fromBytes} are that value's encoding.
 *
 * <p>Every operation either completes or leaves the head untouched (inputs are checked and signatures
 * made before anything changes), so a failed call never consumes a sequence number.
 *
 * <p>Signing and acceptance are separate steps when monitors judge the chain: {@link #sign} numbers and
 * signs a transaction, which then awaits the monitors' quorum; {@link #accept} and {@link #reject}
 * decide the awaiting sequences strictly in order (only accepted transactions enter the open block; a
 * rejected sequence is void). {@link #sequence} does both at once, for a ledger run without monitors.
 *
 * <p>Byte layout of {@link #toBytes()} (big-endian, docs/ledger-format.md "Chain head"), version 2:
 * <pre>
 * offset  length  field
 * 0       1       format version, 0x02
 * 1       4       chain (u32)
 * 5       8       nextSequence (u64): the sequence the next transaction or void gets
 * 13      8       nextHeight (u64): the number of sealed blocks, so the next block's height
 * 21      32      lastBlockHash: hash of block nextHeight-1; 32 zero bytes while nextHeight is 0
 * 53      8       openFirstSequence (u64)  \
 * 61      8       openLastSequence (u64)    | the open block; all four 0 while it is empty
 * 69      8       openIntervalStart (i64)   |
 * 77      8       openMaxEpoch (u64)       /
 * 85      8       nextDecided (u64): every sequence below it is accepted or void; those from it to
 *                 nextSequence - 1 await the monitors
 * 93      10+32k  the open block's compact range (its own version-1 encoding, k = popcount(size));
 *                 its size is the open block's transaction count
 * </pre>
 * Total 103 + 32 × popcount(openCount) bytes, at most 2119. Version 1 (without nextDecided, from
 * before the monitors, when every sequence was decided at once) is still read, as nextDecided =
 * nextSequence. Parsing is strict: an unknown version, a wrong length, inconsistent open-block fields,
 * a nextDecided past nextSequence or a non-zero hash before the first block are refused.
 *
 * <p>Mutable and not thread-safe, like the state store entry it models.
 */
public final class ChainHead {

    /** The version byte {@link #toBytes()} writes and {@link #fromBytes} accepts. */
    public static final byte FORMAT_VERSION = 2;

    /** Length of the fixed part of version 1 (no nextDecided), before the compact range. */
    static final int FIXED_LENGTH_V1 = 1 + 4 + 8 + 8 + 32 + 8 + 8 + 8 + 8;

    /** Length of the fixed part, before the compact range. */
    static final int FIXED_LENGTH = FIXED_LENGTH_V1 + 8;

    private static final byte[] ZERO_HASH = new byte[32];

    private final long chain;
    private long nextSequence;
    private long nextDecided;
    private long nextHeight;
    private byte[] lastBlockHash;
    private CompactRange open;
    private long openFirstSequence;
    private long openLastSequence;
    private long openIntervalStart;
    private long openMaxEpoch;

    private ChainHead(long chain, long nextSequence, long nextDecided, long nextHeight, byte[] lastBlockHash,
            CompactRange open, long openFirstSequence, long openLastSequence, long openIntervalStart, long openMaxEpoch) {
        this.chain = chain;
        this.nextSequence = nextSequence;
        this.nextDecided = nextDecided;
        this.nextHeight = nextHeight;
        this.lastBlockHash = lastBlockHash;
        this.open = open;
        this.openFirstSequence = openFirstSequence;
        this.openLastSequence = openLastSequence;
        this.openIntervalStart = openIntervalStart;
        this.openMaxEpoch = openMaxEpoch;
    }

    /** The head of a chain with nothing in it yet. */
    public static ChainHead genesis(long chain) {
        if (chain < 0 || chain > 0xffff_ffffL) {
            throw new IllegalArgumentException("a chain number is a u32, got " + chain);
        }
        return new ChainHead(chain, 0, 0, 0, ZERO_HASH.clone(), new CompactRange(), 0, 0, 0, 0);
    }

    public long chain() {
        return chain;
    }

    /** The sequence the next transaction (or void) gets. */
    public long nextSequence() {
        return nextSequence;
    }

    /** The lowest sequence not yet accepted or void; equal to {@link #nextSequence()} when none awaits. */
    public long nextDecided() {
        return nextDecided;
    }

    /** The number of sealed blocks: the height the next block gets. */
    public long nextHeight() {
        return nextHeight;
    }

    /** A copy of the last sealed block's hash; 32 zero bytes before the first block. */
    public byte[] lastBlockHash() {
        return lastBlockHash.clone();
    }

    /** The number of transactions in the open block. */
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

    /** When the open block's first transaction was sequenced; 0 while it is empty. */
    public long openIntervalStart() {
        return openIntervalStart;
    }

    /** The largest epoch among the open block's transactions; 0 while it is empty. */
    public long openMaxEpoch() {
        return openMaxEpoch;
    }

    /** The Merkle root over the open block's transaction ids so far. */
    public byte[] openRoot() {
        return open.root();
    }

    /**
     * Sequences a transaction and accepts it at once (a ledger without monitors): {@link #sign} then
     * {@link #accept}. Only while no earlier sequence awaits a decision.
     *
     * @throws IllegalStateException if sequences await the monitors
     * @see #sign
     */
    public SignedTransaction sequence(byte[] maskedRecordBytes, byte[] gatewaySignature, List<byte[]> cids,
            long epoch, SigningKey delegate, long now) {
        requireNothingAwaiting();
        SignedTransaction signed = sign(maskedRecordBytes, gatewaySignature, cids, epoch, delegate, now);
        accept(signed.tx().sequence(), signed.idBytes(), epoch, now);
        return signed;
    }

    /**
     * Numbers and signs a transaction: builds it with the next sequence number and signs its canonical
     * bytes with the delegate's key. It then awaits a decision ({@link #accept} or {@link #reject}).
     *
     * @param maskedRecordBytes the gateway-signed masked record's canonical bytes
     * @param gatewaySignature  the gateway's 64-byte signature over them (checked by the caller)
     * @param cids              one binary CID per attachment, in order
     * @param epoch             the governance epoch the delegate signs under
     * @param now               the signing time, ms since the epoch
     * @throws IllegalArgumentException  if the fields do not make a canonical transaction
     * @throws org.emrsb.core.format.FormatException if the masked record does not parse or the CIDs do
     *                                   not match its attachments
     */
    public SignedTransaction sign(byte[] maskedRecordBytes, byte[] gatewaySignature, List<byte[]> cids,
            long epoch, SigningKey delegate, long now) {
        Objects.requireNonNull(delegate, "delegate");
        requireRoom();
        requireEpoch(epoch);
        Transaction tx = new Transaction(maskedRecordBytes, gatewaySignature, cids, chain, nextSequence, epoch,
                delegate.verifyingKey().bytes(), now);
        byte[] bytes = tx.toBytes();
        tx.masked(); // the record parses and has one CID per attachment
        byte[] signature = Signatures.sign(delegate, bytes);
        nextSequence++;
        return new SignedTransaction(tx, bytes, signature);
    }

    /**
     * Accepts the next awaiting sequence: its transaction id enters the open block. The open block's
     * interval starts at {@code now} if it is the first transaction in it.
     *
     * @throws IllegalStateException if {@code sequence} is not {@link #nextDecided()} or not yet signed
     */
    public void accept(long sequence, byte[] transactionId, long epoch, long now) {
        requireNextAwaiting(sequence);
        requireEpoch(epoch);
        if (transactionId == null || transactionId.length != 32) {
            throw new IllegalArgumentException("a transaction id is 32 bytes");
        }
        if (open.size() == 0) {
            openFirstSequence = sequence;
            openIntervalStart = now;
            openMaxEpoch = epoch;
        } else {
            openMaxEpoch = Math.max(openMaxEpoch, epoch);
        }
        open.appendData(transactionId);
        openLastSequence = sequence;
        nextDecided++;
    }

    /**
     * Rejects the next awaiting sequence: it is void, in no block.
     *
     * @throws IllegalStateException if {@code sequence} is not {@link #nextDecided()} or not yet signed
     */
    public void reject(long sequence) {
        requireNextAwaiting(sequence);
        nextDecided++;
    }

    /**
     * Consumes the next sequence number without a transaction (a rejected record that was already
     * numbered, or any other declared gap): the number is in no block. Returns it.
     */
    public long voidSequence() {
        requireRoom();
        requireNothingAwaiting();
        nextDecided++;
        return nextSequence++;
    }

    /**
     * Whether the open block should be sealed: it holds a transaction and either has
     * {@code maxTransactions} of them or was opened at least {@code interval} before {@code now}.
     */
    public boolean due(long now, Duration interval, int maxTransactions) {
        Objects.requireNonNull(interval, "interval");
        if (maxTransactions < 1) {
            throw new IllegalArgumentException("a block holds at least one transaction, max was " + maxTransactions);
        }
        if (open.size() == 0) {
            return false;
        }
        return open.size() >= maxTransactions || now - openIntervalStart >= interval.toMillis();
    }

    /**
     * Seals the open block: nothing if it is empty; otherwise its header (height {@link #nextHeight()},
     * previous hash {@link #lastBlockHash()}, interval from the first transaction's time to
     * {@code now}, count, first and last sequence, the compact range's root, the larger of
     * {@code epoch} and the transactions' epochs, the delegate's key), signed by the delegate. The
     * open block is then empty and the head points at the new block. A {@code now} before the interval
     * start (a clock that went back, e.g. after the task moved) is taken as the interval start.
     */
    public Optional<SealedBlock> seal(long now, long epoch, SigningKey delegate) {
        Objects.requireNonNull(delegate, "delegate");
        if (epoch < 0) {
            throw new IllegalArgumentException("an epoch is a u64 below 2^63, got " + epoch);
        }
        if (open.size() == 0) {
            return Optional.empty();
        }
        BlockHeader header = new BlockHeader(chain, nextHeight, lastBlockHash.clone(), openIntervalStart,
                Math.max(now, openIntervalStart), open.size(), openFirstSequence, openLastSequence, open.root(),
                Math.max(epoch, openMaxEpoch), delegate.verifyingKey().bytes());
        byte[] bytes = header.toBytes();
        byte[] hash = header.hash();
        byte[] signature = Signatures.sign(delegate, bytes);

        nextHeight++;
        lastBlockHash = hash.clone();
        open = new CompactRange();
        openFirstSequence = 0;
        openLastSequence = 0;
        openIntervalStart = 0;
        openMaxEpoch = 0;
        return Optional.of(new SealedBlock(header, bytes, hash, signature));
    }

    /** The encoding described on the class. */
    public byte[] toBytes() {
        byte[] range = open.toBytes();
        return ByteBuffer.allocate(FIXED_LENGTH + range.length).put(FORMAT_VERSION).putInt((int) chain)
                .putLong(nextSequence).putLong(nextHeight).put(lastBlockHash).putLong(openFirstSequence)
                .putLong(openLastSequence).putLong(openIntervalStart).putLong(openMaxEpoch).putLong(nextDecided)
                .put(range).array();
    }

    /**
     * Decodes the layout described on the class (version 2, or version 1).
     *
     * @throws IllegalArgumentException if the bytes are not exactly one valid encoding
     */
    public static ChainHead fromBytes(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length < 1 || (bytes[0] != 1 && bytes[0] != FORMAT_VERSION)) {
            throw new IllegalArgumentException("unknown chain head format version " + (bytes.length < 1 ? "(empty)" : bytes[0]));
        }
        byte version = bytes[0];
        int fixed = version == 1 ? FIXED_LENGTH_V1 : FIXED_LENGTH;
        if (bytes.length < fixed) {
            throw new IllegalArgumentException("a chain head needs at least " + fixed + " bytes, got " + bytes.length);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        in.get();
        long chain = Integer.toUnsignedLong(in.getInt());
        long nextSequence = nonNegative(in.getLong(), "nextSequence");
        long nextHeight = nonNegative(in.getLong(), "nextHeight");
        byte[] lastBlockHash = new byte[32];
        in.get(lastBlockHash);
        long first = nonNegative(in.getLong(), "openFirstSequence");
        long last = nonNegative(in.getLong(), "openLastSequence");
        long intervalStart = in.getLong();
        long maxEpoch = nonNegative(in.getLong(), "openMaxEpoch");
        long nextDecided = version == 1 ? nextSequence : nonNegative(in.getLong(), "nextDecided");
        CompactRange open = CompactRange.fromBytes(Arrays.copyOfRange(bytes, fixed, bytes.length));
        if (nextDecided > nextSequence) {
            throw new IllegalArgumentException("chain head: nextDecided " + nextDecided + " is past nextSequence "
                    + nextSequence);
        }

        if (nextHeight == 0 && !Arrays.equals(lastBlockHash, ZERO_HASH)) {
            throw new IllegalArgumentException("chain head: a last block hash before the first block");
        }
        long count = open.size();
        if (count == 0) {
            if (first != 0 || last != 0 || intervalStart != 0 || maxEpoch != 0) {
                throw new IllegalArgumentException("chain head: an empty open block with non-zero fields");
            }
        } else if (first > last || last >= nextDecided || count > last - first + 1) {
            throw new IllegalArgumentException("chain head: open block " + first + ".." + last + " of " + count
                    + " transactions does not fit before the next undecided sequence " + nextDecided);
        }
        return new ChainHead(chain, nextSequence, nextDecided, nextHeight, lastBlockHash, open, first, last,
                intervalStart, maxEpoch);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChainHead h && Arrays.equals(h.toBytes(), toBytes());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(toBytes());
    }

    @Override
    public String toString() {
        return "ChainHead[chain=" + chain + ", nextSequence=" + nextSequence + ", nextDecided=" + nextDecided
                + ", nextHeight=" + nextHeight
                + ", open=" + open.size() + " tx " + openFirstSequence + ".." + openLastSequence + "]";
    }

    private void requireRoom() {
        if (nextSequence == Long.MAX_VALUE) {
            throw new IllegalStateException("chain " + chain + " has used every sequence number");
        }
    }

    private void requireNothingAwaiting() {
        if (nextDecided != nextSequence) {
            throw new IllegalStateException("chain " + chain + ": sequences " + nextDecided + ".." + (nextSequence - 1)
                    + " await the monitors");
        }
    }

    private void requireNextAwaiting(long sequence) {
        if (sequence != nextDecided || sequence >= nextSequence) {
            throw new IllegalStateException("chain " + chain + ": sequence " + sequence + " cannot be decided now (next "
                    + "to decide " + nextDecided + ", next to sign " + nextSequence + ")");
        }
    }

    private static void requireEpoch(long epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("an epoch is a u64 below 2^63, got " + epoch);
        }
    }

    private static long nonNegative(long value, String field) {
        if (value < 0) {
            throw new IllegalArgumentException("chain head: " + field + " exceeds 2^63-1");
        }
        return value;
    }
}
