package org.emrsb.core.monitor;

import static org.emrsb.core.monitor.MonitorFixture.CHAIN;
import static org.emrsb.core.monitor.MonitorFixture.ZERO_HASH;
import static org.emrsb.core.monitor.MonitorFixture.seal;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.emrsb.core.crypto.MemberKeys;
import org.emrsb.core.format.BlockHeader;
import org.emrsb.core.format.Sha256;
import org.emrsb.core.ledger.SealedBlock;
import org.emrsb.core.ledger.SignedTransaction;
import org.emrsb.core.merkle.MerkleTree;
import org.junit.jupiter.api.Test;

/** Every block check: the passing case, and the mutation that must fail it. */
class BlockChecksTest {

    private final MonitorFixture f = new MonitorFixture();
    private final BlockChecks checks = f.blockChecks();
    private final ChainWatch watch = ChainWatch.genesis(CHAIN);
    /** Sequences 0 and 2 accepted, 1 void. */
    private final List<SignedTransaction> txs = List.of(f.transaction(0), f.transaction(2));
    private final BlockHeader good;

    BlockChecksTest() {
        watch.recordAccepted(txs.get(0));
        watch.recordVoid(1);
        watch.recordAccepted(txs.get(1));
        good = f.header(txs, 0, ZERO_HASH, 1, f.delegate);
    }

    private static void rejected(CheckOutcome outcome, String check) {
        CheckOutcome.Rejected rejected = assertInstanceOf(CheckOutcome.Rejected.class, outcome, outcome::toString);
        assertEquals(check, rejected.check(), rejected.detail());
    }

    private static void waiting(CheckOutcome outcome, String check) {
        CheckOutcome.Waiting waiting = assertInstanceOf(CheckOutcome.Waiting.class, outcome, outcome::toString);
        assertEquals(check, waiting.check(), waiting.detail());
    }

    /** The good header with some fields replaced (the others as in {@link #good}). */
    private BlockHeader header(long chain, long height, byte[] previous, long count, long first, long last, byte[] root,
            long epoch) {
        return new BlockHeader(chain, height, previous, good.intervalStart(), good.intervalEnd(), count, first, last, root,
                epoch, good.delegateKey());
    }

    private void failsOnly(BlockHeader header, String check) {
        SealedBlock block = seal(header, f.delegate);
        rejected(checks.check(block, watch), check);
        assertEquals(Optional.empty(), checks.attributableFailure(block), "not evidence from the header alone");
    }

    @Test
    void theOrderIsTheDocumentedOne() {
        assertEquals(List.of("block-format", "delegate-signature", "delegate-active", "chain", "height", "previous-hash",
                "block-range", "block-count", "merkle-root", "block-epoch"), BlockChecks.ORDER);
        assertEquals(List.of("block-format", "delegate-active"), BlockChecks.EVIDENCE);
    }

    @Test
    void acceptsTheBlockOverTheAcceptedTransactionsAndLinksTheNext() {
        SealedBlock first = seal(good, f.delegate);
        assertSame(CheckOutcome.ACCEPTED, checks.check(first, watch));
        watch.recordBlock(first);
        assertEquals(1, watch.nextHeight());
        assertArrayEquals(first.hash(), watch.lastBlockHash());
        assertEquals(3, watch.unsealedFrom());
        assertEquals(0, watch.openCount());

        SignedTransaction next = f.transaction(3);
        watch.recordAccepted(next);
        SealedBlock second = seal(f.header(List.of(next), 1, first.hash(), 1, f.delegate), f.delegate);
        assertSame(CheckOutcome.ACCEPTED, checks.check(second, watch));
    }

    @Test
    void everyFlippedByteIsRefusedByTheFormatOrTheDelegatesSignature() {
        SealedBlock block = seal(good, f.delegate);
        for (int i = 0; i < block.bytes().length; i++) {
            byte[] flipped = block.bytes().clone();
            flipped[i] ^= 0x01;
            BlockHeader parsed;
            try {
                parsed = BlockHeader.parse(flipped);
            } catch (RuntimeException e) {
                parsed = good;
            }
            CheckOutcome outcome = checks.check(new SealedBlock(parsed, flipped, Sha256.hash(flipped), block.signature()),
                    watch);
            CheckOutcome.Rejected rejected = assertInstanceOf(CheckOutcome.Rejected.class, outcome, "byte " + i);
            assertTrue(List.of("block-format", "delegate-signature").contains(rejected.check()), "byte " + i);
        }
    }

    @Test
    void blockFormat() {
        SealedBlock block = seal(good, f.delegate);
        byte[] bytes = block.bytes().clone();
        bytes[2] ^= 0x01; // the tag
        rejected(checks.check(new SealedBlock(good, bytes, block.hash(), block.signature()), watch), "block-format");
        byte[] hash = block.hash().clone();
        hash[0] ^= 0x01;
        rejected(checks.check(new SealedBlock(good, block.bytes(), hash, block.signature()), watch), "block-format");
        BlockHeader other = header(CHAIN, 5, ZERO_HASH, 2, 0, 2, good.merkleRoot(), 1);
        rejected(checks.check(new SealedBlock(other, block.bytes(), block.hash(), block.signature()), watch), "block-format");
    }

    @Test
    void delegateSignature() {
        SealedBlock block = seal(good, f.delegate);
        for (int i = 0; i < 64; i++) {
            byte[] signature = block.signature().clone();
            signature[i] ^= 0x01;
            SealedBlock forged = new SealedBlock(good, block.bytes(), block.hash(), signature);
            rejected(checks.check(forged, watch), "delegate-signature");
            assertEquals(Optional.empty(), checks.attributableFailure(forged));
        }
        rejected(checks.check(new SealedBlock(good, block.bytes(), block.hash(), seal(good, f.second).signature()), watch),
                "delegate-signature");
    }

    @Test
    void delegateActiveIsEvidenceAndAnUnknownEpochWaits() {
        for (long epoch : new long[] {2, 3}) { // STANDBY, EVICTED
            SealedBlock block = seal(header(CHAIN, 0, ZERO_HASH, 2, 0, 2, good.merkleRoot(), epoch), f.delegate);
            rejected(checks.check(block, watch), "delegate-active");
            assertEquals(Optional.of("delegate-active"), checks.attributableFailure(block).map(CheckOutcome.Rejected::check));
        }
        SealedBlock unknown = seal(header(CHAIN, 0, ZERO_HASH, 2, 0, 2, good.merkleRoot(), 9), f.delegate);
        waiting(checks.check(unknown, watch), "delegate-active");
        assertEquals(Optional.empty(), checks.attributableFailure(unknown));
    }

    @Test
    void chainHeightAndPreviousHash() {
        failsOnly(header(CHAIN + 1, 0, ZERO_HASH, 2, 0, 2, good.merkleRoot(), 1), "chain");
        failsOnly(header(CHAIN, 1, ZERO_HASH, 2, 0, 2, good.merkleRoot(), 1), "height");
        failsOnly(header(CHAIN, 0, MonitorFixture.filled(0x01, 32), 2, 0, 2, good.merkleRoot(), 1), "previous-hash");
    }

    @Test
    void blockRange() {
        failsOnly(header(CHAIN, 0, ZERO_HASH, 2, 1, 2, good.merkleRoot(), 1), "block-range"); // starts at the void
        failsOnly(header(CHAIN, 0, ZERO_HASH, 1, 0, 1, good.merkleRoot(), 1), "block-range"); // ends early
        waiting(checks.check(seal(header(CHAIN, 0, ZERO_HASH, 2, 0, 3, good.merkleRoot(), 1), f.delegate), watch),
                "block-range"); // sequence 3 not judged yet
        ChainWatch empty = ChainWatch.genesis(CHAIN);
        empty.recordVoid(0);
        empty.recordVoid(1);
        empty.recordVoid(2);
        rejected(checks.check(seal(good, f.delegate), empty), "block-range");
    }

    @Test
    void blockCountMerkleRootAndEpoch() {
        failsOnly(header(CHAIN, 0, ZERO_HASH, 3, 0, 2, good.merkleRoot(), 1), "block-count"); // the void counted
        failsOnly(header(CHAIN, 0, ZERO_HASH, 2, 0, 2, MonitorFixture.filled(0x42, 32), 1), "merkle-root");
        byte[] reversed = MerkleTree.rootOfLeafData(List.of(txs.get(1).idBytes(), txs.get(0).idBytes()));
        failsOnly(header(CHAIN, 0, ZERO_HASH, 2, 0, 2, reversed, 1), "merkle-root");
    }

    @Test
    void blockEpochBelowItsTransactions() {
        MemberKeys second = f.second;
        ChainWatch w = ChainWatch.genesis(CHAIN);
        SignedTransaction underTwo = MonitorFixture.sign(f.offloaded("e2"), 0, 2, second); // second is ACTIVE at 2
        w.recordAccepted(underTwo);
        BlockHeader low = f.header(List.of(underTwo), 0, ZERO_HASH, 1, f.delegate); // delegate ACTIVE at 1
        SealedBlock block = seal(low, f.delegate);
        rejected(checks.check(block, w), "block-epoch");
        assertEquals(Optional.empty(), checks.attributableFailure(block));
        assertSame(CheckOutcome.ACCEPTED,
                checks.check(seal(f.header(List.of(underTwo), 0, ZERO_HASH, 2, second), second), w));
    }
}
