package org.emrsb.core.ledger;

import static org.emrsb.core.ledger.Ledger.DELEGATE;
import static org.emrsb.core.ledger.Ledger.OTHER_DELEGATE;
import static org.emrsb.core.ledger.Ledger.T0;
import static org.emrsb.core.ledger.Ledger.append;
import static org.emrsb.core.ledger.Ledger.ids;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.emrsb.core.crypto.Signatures;
import org.emrsb.core.crypto.SigningKey;
import org.emrsb.core.format.BlockHeader;
import org.emrsb.core.format.FormatException;
import org.emrsb.core.format.Sha256;
import org.emrsb.core.format.Transaction;
import org.emrsb.core.merkle.MerkleTree;
import org.junit.jupiter.api.Test;

class ChainHeadTest {

    private static final Duration MINUTE = Duration.ofMinutes(1);

    @Test
    void aNewChainIsEmpty() {
        ChainHead head = ChainHead.genesis(3);
        assertEquals(3, head.chain());
        assertEquals(0, head.nextSequence());
        assertEquals(0, head.nextHeight());
        assertArrayEquals(new byte[32], head.lastBlockHash());
        assertEquals(0, head.openCount());
        assertThrows(IllegalArgumentException.class, () -> ChainHead.genesis(-1));
        assertThrows(IllegalArgumentException.class, () -> ChainHead.genesis(1L << 32));
    }

    @Test
    void sequencingAssignsTheNextNumberAndSignsTheCanonicalTransaction() {
        ChainHead head = ChainHead.genesis(3);
        SignedTransaction first = append(head, 1, 7, DELEGATE, T0);
        SignedTransaction second = append(head, 2, 7, DELEGATE, T0 + 5);

        assertEquals(0, first.tx().sequence());
        assertEquals(1, second.tx().sequence());
        assertEquals(2, head.nextSequence());
        Transaction parsed = Transaction.parse(second.bytes());
        assertArrayEquals(second.bytes(), parsed.toBytes());
        assertArrayEquals(second.tx().toBytes(), second.bytes());
        assertEquals(3, parsed.chain());
        assertEquals(7, parsed.epoch());
        assertEquals(T0 + 5, parsed.signedAt());
        assertArrayEquals(DELEGATE.verifyingKey().bytes(), parsed.delegateKey());
        assertEquals(2, parsed.attachmentCids().size());
        assertEquals(parsed.id(), second.id());
        assertTrue(Signatures.verify(DELEGATE.verifyingKey(), second.bytes(), second.signature()));
        assertEquals(2, head.openCount());
        assertEquals(0, head.openFirstSequence());
        assertEquals(1, head.openLastSequence());
        assertEquals(T0, head.openIntervalStart());
    }

    @Test
    void aRefusedTransactionConsumesNoSequence() {
        ChainHead head = ChainHead.genesis(0);
        append(head, 0, 1, DELEGATE, T0);
        byte[] before = head.toBytes();
        byte[] record = Ledger.masked(1).toBytes(); // one attachment
        byte[] gatewaySignature = Signatures.sign(Ledger.GATEWAY, record);
        assertThrows(FormatException.class,
                () -> head.sequence(record, gatewaySignature, List.of(), 1, DELEGATE, T0));
        assertThrows(IllegalArgumentException.class,
                () -> head.sequence(record, new byte[63], Ledger.cids(1), 1, DELEGATE, T0));
        assertThrows(IllegalArgumentException.class,
                () -> head.sequence(record, gatewaySignature, Ledger.cids(1), -1, DELEGATE, T0));
        assertArrayEquals(before, head.toBytes());
        assertEquals(1, head.nextSequence());
    }

    @Test
    void sealsWhenTheCountIsReached() {
        ChainHead head = ChainHead.genesis(0);
        for (int i = 0; i < 4; i++) {
            assertFalse(head.due(T0 + i, MINUTE, 5), "after " + i);
            append(head, i, 1, DELEGATE, T0 + i);
        }
        assertFalse(head.due(T0 + 4, MINUTE, 5));
        append(head, 4, 1, DELEGATE, T0 + 4);
        assertTrue(head.due(T0 + 4, MINUTE, 5));

        SealedBlock block = head.seal(T0 + 4, 1, DELEGATE).orElseThrow();
        assertEquals(5, block.header().txCount());
        assertEquals(T0, block.header().intervalStart());
        assertEquals(T0 + 4, block.header().intervalEnd());
        assertFalse(head.due(T0 + 4, MINUTE, 5));
        assertEquals(0, head.openCount());
    }

    @Test
    void sealsWhenTheIntervalHasPassed() {
        ChainHead head = ChainHead.genesis(0);
        append(head, 0, 1, DELEGATE, T0 + 1_000);
        append(head, 1, 1, DELEGATE, T0 + 30_000);
        assertFalse(head.due(T0 + 60_999, MINUTE, 1000));
        assertTrue(head.due(T0 + 61_000, MINUTE, 1000));
        assertTrue(head.due(T0 + 500_000, MINUTE, 1000));

        SealedBlock block = head.seal(T0 + 61_000, 1, DELEGATE).orElseThrow();
        assertEquals(T0 + 1_000, block.header().intervalStart());
        assertEquals(T0 + 61_000, block.header().intervalEnd());
        assertEquals(2, block.header().txCount());

        // the next interval starts with the next transaction, not at the seal
        assertFalse(head.due(T0 + 200_000, MINUTE, 1000));
        append(head, 2, 1, DELEGATE, T0 + 200_000);
        assertFalse(head.due(T0 + 259_999, MINUTE, 1000));
        assertTrue(head.due(T0 + 260_000, MINUTE, 1000));
    }

    @Test
    void nothingIsSealedForAnEmptyBlock() {
        ChainHead head = ChainHead.genesis(0);
        assertEquals(Optional.empty(), head.seal(T0, 1, DELEGATE));
        head.voidSequence();
        assertFalse(head.due(T0 + 3_600_000, MINUTE, 1));
        assertEquals(Optional.empty(), head.seal(T0 + 3_600_000, 1, DELEGATE));
        append(head, 0, 1, DELEGATE, T0);
        assertTrue(head.seal(T0 + 1, 1, DELEGATE).isPresent());
        assertEquals(Optional.empty(), head.seal(T0 + 2, 1, DELEGATE));
        assertEquals(1, head.nextHeight());
        assertThrows(IllegalArgumentException.class, () -> head.due(T0, MINUTE, 0));
    }

    @Test
    void theHeaderCarriesTheBlockAndTheRootOverTheIds() {
        ChainHead head = ChainHead.genesis(5);
        List<SignedTransaction> txs = new ArrayList<>();
        long[] epochs = {3, 5, 4, 4, 2, 5, 3};
        for (int i = 0; i < epochs.length; i++) {
            txs.add(append(head, i, epochs[i], DELEGATE, T0 + 10 * i));
        }
        SealedBlock block = head.seal(T0 + 100, 4, OTHER_DELEGATE).orElseThrow();
        BlockHeader h = block.header();

        assertEquals(5, h.chain());
        assertEquals(0, h.height());
        assertArrayEquals(new byte[32], h.previousBlockHash());
        assertEquals(T0, h.intervalStart());
        assertEquals(T0 + 100, h.intervalEnd());
        assertEquals(7, h.txCount());
        assertEquals(0, h.firstSequence());
        assertEquals(6, h.lastSequence());
        assertEquals(5, h.epoch(), "the larger of the given epoch and the transactions' epochs");
        assertArrayEquals(OTHER_DELEGATE.verifyingKey().bytes(), h.delegateKey());
        assertArrayEquals(MerkleTree.ofLeafData(ids(txs)).root(), h.merkleRoot());
        assertArrayEquals(MerkleTree.rootOfLeafData(ids(txs)), h.merkleRoot());
        assertArrayEquals(h.toBytes(), block.bytes());
        assertArrayEquals(Sha256.hash(block.bytes()), block.hash());
        assertArrayEquals(block.hash(), head.lastBlockHash());
        assertTrue(Signatures.verify(OTHER_DELEGATE.verifyingKey(), block.bytes(), block.signature()));
        assertEquals(1, head.nextHeight());

        // a later epoch given at sealing wins over the transactions'
        append(head, 7, 1, DELEGATE, T0 + 200);
        assertEquals(9, head.seal(T0 + 300, 9, DELEGATE).orElseThrow().header().epoch());
    }

    @Test
    void blocksLinkByHeightAndPreviousHashOverManyBlocks() throws Exception {
        ChainHead head = ChainHead.genesis(2);
        List<SignedTransaction> txs = new ArrayList<>();
        List<SealedBlock> blocks = new ArrayList<>();
        long now = T0;
        int n = 0;
        for (int b = 0; b < 60; b++) {
            int size = 1 + (b * 7) % 9;
            List<SignedTransaction> inBlock = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                inBlock.add(append(head, n++, 1, DELEGATE, now += 13));
            }
            txs.addAll(inBlock);
            blocks.add(head.seal(now += 1000, 1, DELEGATE).orElseThrow());
            assertArrayEquals(MerkleTree.rootOfLeafData(ids(inBlock)), blocks.get(b).header().merkleRoot());
        }
        byte[] previous = new byte[32];
        long nextFirst = 0;
        for (int b = 0; b < blocks.size(); b++) {
            BlockHeader h = blocks.get(b).header();
            assertEquals(b, h.height());
            assertArrayEquals(previous, h.previousBlockHash());
            assertEquals(nextFirst, h.firstSequence());
            previous = blocks.get(b).hash();
            nextFirst = h.lastSequence() + 1;
        }
        ChainVerifier.Summary summary = ChainVerifier.verify(2, txs, blocks, Set.of());
        assertEquals(60, summary.blocks());
        assertArrayEquals(head.lastBlockHash(), summary.lastBlockHash());
    }

    /**
     * The head is written and read back between every operation, as when its task moves to another
     * instance; the moved head produces exactly what an unmoved one does, and the chain verifies even
     * when the instances have different delegate keys.
     */
    @Test
    void continuityAcrossARoundTripBetweenEveryOperation() throws Exception {
        ChainHead stay = ChainHead.genesis(1);
        ChainHead moving = ChainHead.genesis(1);
        ChainHead moved = ChainHead.genesis(1);
        List<SignedTransaction> txs = new ArrayList<>();
        List<SealedBlock> blocks = new ArrayList<>();
        Set<Long> voids = new HashSet<>();
        long now = T0;
        for (int step = 0; step < 400; step++) {
            now += 7;
            moving = ChainHead.fromBytes(moving.toBytes());
            moved = ChainHead.fromBytes(moved.toBytes());
            assertEquals(stay, moving);
            SigningKey instance = step / 25 % 2 == 0 ? DELEGATE : OTHER_DELEGATE;
            if (step % 11 == 5) {
                long v = stay.voidSequence();
                assertEquals(v, moving.voidSequence());
                assertEquals(v, moved.voidSequence());
                voids.add(v);
            } else if (stay.due(now, Duration.ofMillis(100), 6)) {
                assertTrue(moving.due(now, Duration.ofMillis(100), 6));
                SealedBlock a = stay.seal(now, 2, DELEGATE).orElseThrow();
                SealedBlock b = moving.seal(now, 2, DELEGATE).orElseThrow();
                assertArrayEquals(a.bytes(), b.bytes());
                assertArrayEquals(a.signature(), b.signature());
                blocks.add(moved.seal(now, 2, instance).orElseThrow());
            } else {
                SignedTransaction a = append(stay, step, 2, DELEGATE, now);
                SignedTransaction b = append(moving, step, 2, DELEGATE, now);
                assertArrayEquals(a.bytes(), b.bytes());
                assertArrayEquals(a.signature(), b.signature());
                txs.add(append(moved, step, 2, instance, now));
            }
        }
        assertTrue(blocks.size() > 20, "blocks: " + blocks.size());
        ChainVerifier.Summary summary = ChainVerifier.verify(1, txs, blocks, voids);
        assertEquals(blocks.size(), summary.blocks());
        assertArrayEquals(moved.lastBlockHash(), summary.lastBlockHash());
    }

    @Test
    void voidSequencesAreConsumedButInNoBlock() throws Exception {
        ChainHead head = ChainHead.genesis(0);
        assertEquals(0, head.voidSequence());
        SignedTransaction a = append(head, 0, 1, DELEGATE, T0);
        assertEquals(2, head.voidSequence());
        assertEquals(3, head.voidSequence());
        SignedTransaction b = append(head, 1, 1, DELEGATE, T0 + 1);
        assertEquals(5, head.voidSequence());
        SealedBlock first = head.seal(T0 + 2, 1, DELEGATE).orElseThrow();
        assertEquals(2, first.header().txCount());
        assertEquals(1, first.header().firstSequence());
        assertEquals(4, first.header().lastSequence());
        assertArrayEquals(MerkleTree.rootOfLeafData(ids(List.of(a, b))), first.header().merkleRoot());

        SignedTransaction c = append(head, 2, 1, DELEGATE, T0 + 3);
        assertEquals(6, c.tx().sequence());
        SealedBlock second = head.seal(T0 + 4, 1, DELEGATE).orElseThrow();
        assertEquals(6, second.header().firstSequence());

        List<SignedTransaction> txs = List.of(a, b, c);
        ChainVerifier.verify(0, txs, List.of(first, second), Set.of(0L, 2L, 3L, 5L));
        ChainVerificationException e = assertThrows(ChainVerificationException.class,
                () -> ChainVerifier.verify(0, txs, List.of(first, second), Set.of(0L, 2L, 5L)));
        assertEquals(ChainVerificationException.Reason.SEQUENCE, e.reason());
        assertEquals(4, e.sequence());
    }

    @Test
    void theStateStaysLogarithmicInTheOpenBlock() {
        ChainHead head = ChainHead.genesis(0);
        MerkleTree tree = new MerkleTree();
        int largest = 0;
        for (int i = 1; i <= 10_000; i++) {
            SignedTransaction tx = append(head, i, 1, DELEGATE, T0 + i);
            tree.appendData(tx.idBytes());
            int length = head.toBytes().length;
            assertEquals(ChainHead.FIXED_LENGTH + 10 + 32 * Integer.bitCount(i), length, "after " + i);
            largest = Math.max(largest, length);
        }
        assertTrue(largest <= ChainHead.FIXED_LENGTH + 10 + 32 * 14, "largest " + largest); // 2^14 > 10,000
        ChainHead moved = ChainHead.fromBytes(head.toBytes());
        assertEquals(10_000, moved.openCount());
        assertArrayEquals(tree.root(), moved.openRoot());
        assertArrayEquals(tree.root(), moved.seal(T0 + 20_000, 1, DELEGATE).orElseThrow().header().merkleRoot());
        assertEquals(ChainHead.FIXED_LENGTH + 10, moved.toBytes().length);
    }

    @Test
    void theEncodingIsTheDocumentedLayout() {
        ChainHead head = ChainHead.genesis(0x01020304L);
        append(head, 0, 9, DELEGATE, T0);
        append(head, 1, 8, DELEGATE, T0 + 1);
        head.voidSequence();
        byte[] bytes = head.toBytes();
        assertEquals(103 + 32, bytes.length);
        assertEquals(2, bytes[0]);
        assertArrayEquals(new byte[] {1, 2, 3, 4}, java.util.Arrays.copyOfRange(bytes, 1, 5));
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        assertEquals(3, in.getLong(5), "nextSequence");
        assertEquals(0, in.getLong(13), "nextHeight");
        assertEquals(0, in.getLong(53), "openFirstSequence");
        assertEquals(1, in.getLong(61), "openLastSequence");
        assertEquals(T0, in.getLong(69), "openIntervalStart");
        assertEquals(9, in.getLong(77), "openMaxEpoch");
        assertEquals(3, in.getLong(85), "nextDecided");
        assertEquals(1, bytes[93], "compact range version");
        assertEquals(2, in.getLong(94), "open count");
    }

    @Test
    void version1IsReadWithEverySequenceDecided() {
        ChainHead head = ChainHead.genesis(7);
        append(head, 0, 9, DELEGATE, T0);
        append(head, 1, 9, DELEGATE, T0 + 1);
        byte[] v2 = head.toBytes();
        byte[] v1 = new byte[v2.length - 8];
        System.arraycopy(v2, 0, v1, 0, 85);
        System.arraycopy(v2, 93, v1, 85, v2.length - 93);
        v1[0] = 1;
        ChainHead read = ChainHead.fromBytes(v1);
        assertEquals(head, read);
        assertEquals(2, read.nextDecided());
    }

    @Test
    void signedTransactionsAwaitTheirDecisionAndEnterTheBlockInOrder() throws Exception {
        ChainHead head = ChainHead.genesis(0);
        List<SignedTransaction> signed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            byte[] record = Ledger.masked(i).toBytes();
            signed.add(head.sign(record, Signatures.sign(Ledger.GATEWAY, record), Ledger.cids(i), 4, DELEGATE, T0 + i));
        }
        assertEquals(3, head.nextSequence());
        assertEquals(0, head.nextDecided());
        assertEquals(0, head.openCount(), "nothing is in a block before the monitors decide");
        assertThrows(IllegalStateException.class, () -> head.accept(1, signed.get(1).idBytes(), 4, T0), "out of order");
        assertThrows(IllegalStateException.class, head::voidSequence, "a void while sequences await");
        head.accept(0, signed.get(0).idBytes(), 4, T0 + 10);
        head.reject(1);
        head.accept(2, signed.get(2).idBytes(), 4, T0 + 12);
        assertThrows(IllegalStateException.class, () -> head.reject(3), "not signed yet");
        assertEquals(ChainHead.fromBytes(head.toBytes()), head);
        SealedBlock block = head.seal(T0 + 70_000, 4, DELEGATE).orElseThrow();
        assertEquals(2, block.header().txCount());
        assertEquals(T0 + 10, block.header().intervalStart(), "the interval starts at the first acceptance");
        ChainVerifier.verify(0, List.of(signed.get(0), signed.get(2)), List.of(block), Set.of(1L));
    }

    @Test
    void parsingIsStrict() {
        ChainHead head = ChainHead.genesis(0);
        append(head, 0, 1, DELEGATE, T0);
        byte[] good = head.toBytes();
        assertEquals(head, ChainHead.fromBytes(good));

        assertThrows(IllegalArgumentException.class, () -> ChainHead.fromBytes(new byte[10]));
        byte[] version = good.clone();
        version[0] = 3;
        assertThrows(IllegalArgumentException.class, () -> ChainHead.fromBytes(version));
        byte[] trailing = java.util.Arrays.copyOf(good, good.length + 1);
        assertThrows(IllegalArgumentException.class, () -> ChainHead.fromBytes(trailing));
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 1);
        assertThrows(IllegalArgumentException.class, () -> ChainHead.fromBytes(truncated));
        byte[] hashBeforeFirstBlock = good.clone();
        hashBeforeFirstBlock[21] = 1;
        assertThrows(IllegalArgumentException.class, () -> ChainHead.fromBytes(hashBeforeFirstBlock));
        byte[] lastPastNext = good.clone();
        lastPastNext[68] = 1; // openLastSequence = 1, nextSequence = 1
        assertThrows(IllegalArgumentException.class, () -> ChainHead.fromBytes(lastPastNext));
        byte[] negative = good.clone();
        negative[5] = (byte) 0x80;
        assertThrows(IllegalArgumentException.class, () -> ChainHead.fromBytes(negative));

        head.seal(T0, 1, DELEGATE);
        byte[] empty = head.toBytes();
        assertEquals(ChainHead.FIXED_LENGTH + 10, empty.length);
        byte[] strayEpoch = empty.clone();
        strayEpoch[84] = 1;
        assertThrows(IllegalArgumentException.class, () -> ChainHead.fromBytes(strayEpoch));
    }
}
