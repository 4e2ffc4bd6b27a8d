package org.emrsb.core.anchor;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.emrsb.core.bitcoin.SpendableOutput;
import org.emrsb.core.format.FormatException;

/**
 * The anchor stage's whole state apart from the open window's blocks: one small value that moves with the
 * stage's single task. It names the next anchor (sequence and the previous anchor's hash), the open
 * window, the anchors sealed while the wallet had no coins for them (a queue of sequences, kept in their
 * own store) and the wallet's coins: the last anchor transaction's change plus any funding not yet spent.
 *
 * <p>The state names its wallet (the HASH160 of the anchor key): the coins and the chain of transactions
 * are that key's, so a stage started with another key must not continue it.
 *
 * <p>Stored bytes, format version 2 (internal to the stage, changelogged; version 1, without the tip's
 * rate and size, is still read): u8 version, 20 wallet, u64 nextSequence,
 * 32 previousAnchorHash, i64 windowStart ({@link #NO_WINDOW} when no block waits), u32 windowBlocks,
 * u64 firstUnfunded, u32 unfunded, u64 tipFeeRate (sat/kvB), u32 tipSize (bytes), u32 coin count, then per
 * coin 32 txid (internal order), u32 vout, u64 value; all big-endian.
 *
 * <p>The tip is the last anchor transaction: its fee rate and size let the next one pay for it when the
 * configured rate has risen since (child pays for parent).
 */
public final class AnchorState {

    public static final byte FORMAT_VERSION = 2;
    public static final long NO_WINDOW = Long.MIN_VALUE;

    private final byte[] wallet;
    private long nextSequence;
    private byte[] previousAnchorHash;
    private long windowStart;
    private int windowBlocks;
    private long firstUnfunded;
    private int unfunded;
    private long tipFeeRate;
    private int tipSize;
    private final List<SpendableOutput> coins;

    private AnchorState(byte[] wallet, long nextSequence, byte[] previousAnchorHash, long windowStart, int windowBlocks,
            long firstUnfunded, int unfunded, long tipFeeRate, int tipSize, List<SpendableOutput> coins) {
        if (wallet.length != 20) {
            throw new IllegalArgumentException("a wallet is named by a 20-byte HASH160");
        }
        this.wallet = wallet.clone();
        this.nextSequence = nextSequence;
        this.previousAnchorHash = previousAnchorHash.clone();
        this.windowStart = windowStart;
        this.windowBlocks = windowBlocks;
        this.firstUnfunded = firstUnfunded;
        this.unfunded = unfunded;
        this.tipFeeRate = tipFeeRate;
        this.tipSize = tipSize;
        this.coins = new ArrayList<>(coins);
    }

    /** Before the first anchor of the wallet with HASH160 {@code wallet}: sequence 0, a zero previous hash, no window, no coins. */
    public static AnchorState initial(byte[] wallet) {
        return new AnchorState(wallet, 0, new byte[32], NO_WINDOW, 0, 0, 0, 0, 0, List.of());
    }

    /** The HASH160 of the key whose coins and anchor chain these are. */
    public byte[] wallet() {
        return wallet.clone();
    }

    public long nextSequence() {
        return nextSequence;
    }

    public byte[] previousAnchorHash() {
        return previousAnchorHash.clone();
    }

    /** The open window's aligned start, or {@link #NO_WINDOW}. */
    public long windowStart() {
        return windowStart;
    }

    public int windowBlocks() {
        return windowBlocks;
    }

    public boolean hasWindow() {
        return windowStart != NO_WINDOW;
    }

    /** A block joined the window that starts at {@code start} (the first block opens it). */
    public void addToWindow(long start) {
        if (!hasWindow()) {
            windowStart = start;
        } else if (start != windowStart) {
            throw new IllegalStateException("the open window starts at " + windowStart + ", not " + start);
        }
        windowBlocks++;
    }

    /** The window was sealed into the anchor {@link #nextSequence()} with hash {@code anchorHash}. */
    public void sealed(byte[] anchorHash) {
        if (anchorHash.length != 32) {
            throw new IllegalArgumentException("an anchor hash is 32 bytes");
        }
        previousAnchorHash = anchorHash.clone();
        nextSequence++;
        windowStart = NO_WINDOW;
        windowBlocks = 0;
    }

    /** Anchors sealed without coins wait here, oldest first, until a funding pays for them. */
    public long firstUnfunded() {
        return firstUnfunded;
    }

    public int unfunded() {
        return unfunded;
    }

    /** The anchor {@code sequence} waits for coins; it is the newest. */
    public void queueUnfunded(long sequence) {
        if (unfunded == 0) {
            firstUnfunded = sequence;
        } else if (sequence != firstUnfunded + unfunded) {
            throw new IllegalStateException("unfunded anchors queue in order; expected " + (firstUnfunded + unfunded)
                    + ", got " + sequence);
        }
        unfunded++;
    }

    /** The oldest unfunded anchor was paid for. */
    public void fundedFirst() {
        if (unfunded == 0) {
            throw new IllegalStateException("no anchor waits for coins");
        }
        firstUnfunded++;
        unfunded--;
    }

    public List<SpendableOutput> coins() {
        return List.copyOf(coins);
    }

    public long balance() {
        return coins.stream().mapToLong(SpendableOutput::value).sum();
    }

    /** Adds a funding coin; a coin already held is ignored, so a funding registered twice counts once. */
    public boolean addCoin(SpendableOutput coin) {
        if (coins.stream().anyMatch(coin::sameOutpoint)) {
            return false;
        }
        coins.add(coin);
        return true;
    }

    /**
     * Every coin was spent by an anchor transaction of {@code size} bytes at {@code feeRate} sat/kvB whose
     * change is {@code change}: the new tip.
     */
    public void spentAllInto(SpendableOutput change, long feeRate, int size) {
        coins.clear();
        coins.add(change);
        tipFeeRate = feeRate;
        tipSize = size;
    }

    /**
     * What the next anchor adds to its fee at {@code feeRate} sat/kvB so that with the tip (its parent, if
     * still unconfirmed) the pair pays that rate: {@code ceil((feeRate - tipFeeRate) * tipSize / 1000)}, or
     * 0 when the rate did not rise. Paid whether or not the tip has confirmed meanwhile (the stage does
     * not ask the node): once, after a raise.
     */
    public long parentFee(long feeRate) {
        if (feeRate <= tipFeeRate || tipSize == 0) {
            return 0;
        }
        return Math.addExact(Math.multiplyExact(feeRate - tipFeeRate, (long) tipSize), 999L) / 1000L;
    }

    public byte[] toBytes() {
        ByteBuffer out = ByteBuffer.allocate(1 + 20 + 8 + 32 + 8 + 4 + 8 + 4 + 8 + 4 + 4 + coins.size() * (32 + 4 + 8));
        out.put(FORMAT_VERSION).put(wallet).putLong(nextSequence).put(previousAnchorHash).putLong(windowStart).putInt(windowBlocks)
                .putLong(firstUnfunded).putInt(unfunded).putLong(tipFeeRate).putInt(tipSize).putInt(coins.size());
        for (SpendableOutput coin : coins) {
            out.put(coin.txid()).putInt((int) coin.vout()).putLong(coin.value());
        }
        return out.array();
    }

    public static AnchorState fromBytes(byte[] bytes) {
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            byte version = in.get();
            if (version != 1 && version != FORMAT_VERSION) {
                throw new FormatException("anchor state: unknown format version " + version);
            }
            byte[] wallet = new byte[20];
            in.get(wallet);
            long nextSequence = in.getLong();
            byte[] previous = new byte[32];
            in.get(previous);
            long windowStart = in.getLong();
            int windowBlocks = in.getInt();
            long firstUnfunded = in.getLong();
            int unfunded = in.getInt();
            long tipFeeRate = version == 1 ? 0 : in.getLong();
            int tipSize = version == 1 ? 0 : in.getInt();
            int count = in.getInt();
            if (count < 0 || count > in.remaining() / 44) {
                throw new FormatException("anchor state: " + count + " coins do not fit in " + in.remaining() + " bytes");
            }
            List<SpendableOutput> coins = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                byte[] txid = new byte[32];
                in.get(txid);
                coins.add(new SpendableOutput(txid, Integer.toUnsignedLong(in.getInt()), in.getLong()));
            }
            if (in.hasRemaining()) {
                throw new FormatException("anchor state: " + in.remaining() + " trailing bytes");
            }
            return new AnchorState(wallet, nextSequence, previous, windowStart, windowBlocks, firstUnfunded, unfunded, tipFeeRate,
                    tipSize, coins);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new FormatException("anchor state: truncated or invalid (" + e.getMessage() + ")");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AnchorState s && Arrays.equals(toBytes(), s.toBytes());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(toBytes());
    }

    @Override
    public String toString() {
        return "AnchorState[next=" + nextSequence + ", window=" + (hasWindow() ? windowStart + "+" + windowBlocks : "none")
                + ", unfunded=" + unfunded + ", coins=" + coins + "]";
    }
}
