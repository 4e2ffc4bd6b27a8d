package org.emrsb.core.monitor;

import static org.emrsb.core.monitor.MonitorFixture.CHAIN;
import static org.emrsb.core.monitor.MonitorFixture.ZERO_HASH;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.emrsb.core.ledger.SealedBlock;
import org.emrsb.core.ledger.SignedTransaction;
import org.emrsb.core.merkle.CompactRange;
import org.emrsb.core.merkle.MerkleTree;
import org.junit.jupiter.api.Test;

/** The monitor's per-chain state: its moves, their preconditions, and its strict encoding. */
class ChainWatchTest {

    private final MonitorFixture f = new MonitorFixture();
    private final List<SignedTransaction> txs = List.of(f.transaction(0), f.transaction(1), f.transaction(2),
            f.transaction(3), f.transaction(4));

    /** 0 and 2 accepted, 1 void. */
    private ChainWatch withOpenBlock() {
        ChainWatch watch = ChainWatch.genesis(CHAIN);
        watch.recordAccepted(txs.get(0));
        watch.recordVoid(1);
        watch.recordAccepted(txs.get(2));
        return watch;
    }

    private SealedBlock blockOverZeroAndTwo() {
        return MonitorFixture.seal(f.header(List.of(txs.get(0), txs.get(2)), 0, ZERO_HASH, 1, f.delegate), f.delegate);
    }

    @Test
    void aNewWatchExpectsSequenceZeroAndHeightZero() {
        ChainWatch watch = ChainWatch.genesis(CHAIN);
        assertEquals(CHAIN, watch.chain());
        assertEquals(0, watch.nextSequence());
        assertEquals(0, watch.nextHeight());
        assertArrayEquals(ZERO_HASH, watch.lastBlockHash());
        assertEquals(0, watch.openCount());
        assertEquals(95, watch.toBytes().length);
        assertThrows(IllegalArgumentException.class, () -> ChainWatch.genesis(-1));
        assertThrows(IllegalArgumentException.class, () -> ChainWatch.genesis(1L << 32));
    }

    @Test
    void acceptedTransactionsAndVoidsBuildTheOpenBlock() {
        ChainWatch watch = withOpenBlock();
        assertEquals(3, watch.nextSequence());
        assertEquals(2, watch.openCount());
        assertEquals(0, watch.openFirstSequence());
        assertEquals(2, watch.openLastSequence());
        assertEquals(1, watch.openMaxEpoch());
        assertArrayEquals(MerkleTree.rootOfLeafData(List.of(txs.get(0).idBytes(), txs.get(2).idBytes())), watch.openRoot());
    }

    @Test
    void anAcceptedBlockClosesTheOpenBlock() {
        ChainWatch watch = withOpenBlock();
        SealedBlock block = blockOverZeroAndTwo();
        watch.recordBlock(block);
        assertEquals(1, watch.nextHeight());
        assertArrayEquals(block.hash(), watch.lastBlockHash());
        assertEquals(3, watch.unsealedFrom());
        assertEquals(0, watch.openCount());
        assertEquals(3, watch.nextSequence());
        assertEquals(watch, ChainWatch.fromBytes(watch.toBytes()));
    }

    @Test
    void deferredAppendsGiveTheSameWatchAsInOrderOnes() {
        ChainWatch deferred = ChainWatch.genesis(CHAIN);
        deferred.recordJudged(0);
        deferred.recordJudged(1);
        deferred.recordJudged(2);
        deferred.recordJudged(3); // judged before the block arrives, appended after it
        deferred.appendAccepted(0, txs.get(0).idBytes(), 1);
        deferred.appendAccepted(2, txs.get(2).idBytes(), 1);
        ChainWatch inOrder = withOpenBlock();
        assertArrayEquals(inOrder.openRoot(), deferred.openRoot());
        deferred.recordBlock(blockOverZeroAndTwo());
        deferred.appendAccepted(3, txs.get(3).idBytes(), 1);
        assertEquals(1, deferred.openCount());
        assertEquals(3, deferred.openFirstSequence());
    }

    @Test
    void refusedMovesLeaveTheWatchUntouched() {
        ChainWatch watch = withOpenBlock();
        byte[] before = watch.toBytes();
        assertThrows(IllegalArgumentException.class, () -> watch.recordAccepted(txs.get(4)));  // a gap
        assertThrows(IllegalArgumentException.class, () -> watch.recordAccepted(txs.get(2)));  // a repeat
        assertThrows(IllegalArgumentException.class, () -> watch.recordVoid(2));
        assertThrows(IllegalArgumentException.class, () -> watch.recordJudged(4));
        assertThrows(IllegalArgumentException.class, () -> watch.appendAccepted(3, txs.get(3).idBytes(), 1)); // not judged
        assertThrows(IllegalArgumentException.class, () -> watch.appendAccepted(1, txs.get(1).idBytes(), 1)); // behind
        assertThrows(IllegalArgumentException.class, () -> watch.appendAccepted(2, new byte[31], 1));
        ChainWatch other = ChainWatch.genesis(CHAIN + 1);
        assertThrows(IllegalArgumentException.class, () -> other.recordAccepted(txs.get(0)));
        SealedBlock wrongHeight = MonitorFixture.seal(f.header(List.of(txs.get(0), txs.get(2)), 1, ZERO_HASH, 1,
                f.delegate), f.delegate);
        assertThrows(IllegalArgumentException.class, () -> watch.recordBlock(wrongHeight));
        SealedBlock partial = MonitorFixture.seal(f.header(List.of(txs.get(0)), 0, ZERO_HASH, 1, f.delegate), f.delegate);
        assertThrows(IllegalArgumentException.class, () -> watch.recordBlock(partial));
        assertArrayEquals(before, watch.toBytes());
        assertEquals(95, ChainWatch.genesis(CHAIN).toBytes().length);
    }

    @Test
    void theEncodingIsTheDocumentedLayout() {
        ChainWatch watch = withOpenBlock();
        watch.recordBlock(blockOverZeroAndTwo());
        watch.recordAccepted(txs.get(3));
        watch.recordAccepted(txs.get(4));
        watch.recordVoid(5);
        CompactRange range = new CompactRange();
        range.appendData(txs.get(3).idBytes());
        range.appendData(txs.get(4).idBytes());
        byte[] expected = ByteBuffer.allocate(95 + 32).put((byte) 1).putInt((int) CHAIN).putLong(6).putLong(1)
                .put(blockOverZeroAndTwo().hash()).putLong(3).putLong(3).putLong(4).putLong(1).put(range.toBytes()).array();
        assertArrayEquals(expected, watch.toBytes());
        assertEquals(watch, ChainWatch.fromBytes(expected));
        assertArrayEquals(expected, ChainWatch.fromBytes(expected).toBytes());
    }

    @Test
    void roundTripsAtEverySize() {
        ChainWatch watch = ChainWatch.genesis(CHAIN);
        for (int n = 0; n < 40; n++) {
            if (n % 7 == 3) {
                watch.recordVoid(n);
            } else {
                watch.recordJudged(n);
                watch.appendAccepted(n, MonitorFixture.filled(n, 32), n / 10);
            }
            byte[] bytes = watch.toBytes();
            assertEquals(95 + 32 * Long.bitCount(watch.openCount()), bytes.length);
            assertArrayEquals(bytes, ChainWatch.fromBytes(bytes).toBytes());
        }
    }

    @Test
    void parsingIsStrict() {
        ChainWatch watch = withOpenBlock();
        watch.recordBlock(blockOverZeroAndTwo());
        watch.recordAccepted(txs.get(3));
        byte[] good = watch.toBytes();
        ChainWatch.fromBytes(good);

        for (int length = 0; length < good.length; length++) {
            byte[] truncated = Arrays.copyOf(good, length);
            assertThrows(IllegalArgumentException.class, () -> ChainWatch.fromBytes(truncated), "length " + length);
        }
        assertThrows(IllegalArgumentException.class, () -> ChainWatch.fromBytes(Arrays.copyOf(good, good.length + 1)));
        refused(good, 0, (byte) 2);                         // version
        refused(longAt(good, 5, -1));                        // nextSequence beyond 2^63-1
        refused(longAt(good, 53, 5));                        // unsealedFrom past nextSequence 4
        refused(longAt(good, 61, 2));                        // open block before unsealedFrom
        refused(longAt(good, 69, 4));                        // open block's last not judged
        refused(longAt(good, 61, 4));                        // first after last

        byte[] fresh = ChainWatch.genesis(CHAIN).toBytes();
        refused(fresh, 21, (byte) 1);                        // a last hash before the first block
        refused(longAt(fresh, 53, 1));                       // an unsealedFrom before the first block
        refused(longAt(fresh, 77, 1));                       // an empty open block with an epoch
    }

    @Test
    void anOpenBlockCannotHoldMoreTransactionsThanItsRange() {
        ChainWatch watch = ChainWatch.genesis(CHAIN);
        watch.recordAccepted(txs.get(0));
        watch.recordAccepted(txs.get(1));
        byte[] twoInZeroToOne = watch.toBytes();
        refused(longAt(twoInZeroToOne, 61, 1)); // 2 transactions in 1..1
    }

    private static void refused(byte[] bytes, int offset, byte value) {
        byte[] mutated = bytes.clone();
        mutated[offset] = value;
        refused(mutated);
    }

    private static void refused(byte[] mutated) {
        assertThrows(IllegalArgumentException.class, () -> ChainWatch.fromBytes(mutated));
    }

    private static byte[] longAt(byte[] bytes, int offset, long value) {
        byte[] mutated = bytes.clone();
        ByteBuffer.wrap(mutated).putLong(offset, value);
        return mutated;
    }
}
