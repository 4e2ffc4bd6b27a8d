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
import static org.emrsb.core.ledger.Ledger.DELEGATE;
import static org.emrsb.core.ledger.Ledger.OTHER_DELEGATE;
import static org.emrsb.core.ledger.Ledger.T0;
import static org.emrsb.core.ledger.Ledger.append;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.emrsb.core.crypto.Signatures;
import org.emrsb.core.crypto.SigningKey;
import org.emrsb.core.format.BlockHeader;
import org.emrsb.core.format.Transaction;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A valid chain verifies; each systematic mutation of it fails with the reason and place of the break. */
class ChainVerifierTest {

    private static final long CHAIN = 4;

    private final List<SignedTransaction> txs = new ArrayList<>();
    private final List<SealedBlock> blocks = new ArrayList<>();
    private final Set<Long> voids = new HashSet<>();

    /** Six blocks of 1 to 6 transactions, voids here and there, three transactions left open. */
    @BeforeEach
    void buildChain() {
        ChainHead head = ChainHead.genesis(CHAIN);
        long now = T0;
        int n = 0;
        for (int b = 0; b < 6; b++) {
            for (int i = 0; i <= b; i++) {
                if ((n + b) % 4 == 3) {
                    voids.add(head.voidSequence());
                }
                txs.add(append(head, n++, 1 + b / 2, b % 2 == 0 ? DELEGATE : OTHER_DELEGATE, now += 10));
            }
            blocks.add(head.seal(now += 500, 1, b % 3 == 0 ? DELEGATE : OTHER_DELEGATE).orElseThrow());
        }
        for (int i = 0; i < 3; i++) {
            txs.add(append(head, n++, 4, DELEGATE, now += 10));
        }
    }

    @Test
    void aValidChainVerifies() throws Exception {
        ChainVerifier.Summary summary = ChainVerifier.verify(CHAIN, txs, blocks, voids);
        assertEquals(6, summary.blocks());
        assertEquals(txs.size(), summary.transactions());
        assertEquals(txs.get(txs.size() - 1).tx().sequence() + 1, summary.nextSequence());
        ChainVerifier.verify(CHAIN, List.of(), List.of(), Set.of());
        ChainVerifier.verify(CHAIN, txs.subList(0, 4), blocks.subList(0, 2), voids); // a prefix
    }

    @Test
    void aDroppedTransactionBreaksTheSequence() {
        txs.remove(7);
        ChainVerificationException e = fails();
        assertEquals(SEQUENCE, e.reason());
        assertEquals(txs.get(7).tx().sequence(), e.sequence(), "the transaction after the gap");
    }

    @Test
    void aDroppedLastTransactionOfABlockBreaksItsRange() {
        txs.remove(2); // block 1 holds transactions 1 and 2 (by position)
        txs.subList(2, txs.size()).clear();
        ChainVerificationException e = assertThrows(ChainVerificationException.class,
                () -> ChainVerifier.verify(CHAIN, txs, blocks.subList(0, 2), voids));
        assertEquals(BLOCK_RANGE, e.reason());
        assertEquals(1, e.height());
    }

    @Test
    void reorderedTransactionsBreakTheSequence() {
        SignedTransaction moved = txs.remove(5);
        txs.add(6, moved);
        ChainVerificationException e = fails();
        assertEquals(SEQUENCE, e.reason());
        assertEquals(txs.get(5).tx().sequence(), e.sequence());
    }

    @Test
    void anUndeclaredVoidOrATransactionAtAVoidBreaksTheSequence() {
        long v = voids.iterator().next();
        voids.remove(v);
        assertEquals(SEQUENCE, fails().reason());
        voids.add(v);
        voids.add(txs.get(3).tx().sequence());
        assertEquals(SEQUENCE, fails().reason());
    }

    @Test
    void aFlippedRootIsFound() {
        ChainVerificationException e = failsWith(3, h -> new BlockHeader(h.chain(), h.height(), h.previousBlockHash(),
                h.intervalStart(), h.intervalEnd(), h.txCount(), h.firstSequence(), h.lastSequence(),
                flip(h.merkleRoot()), h.epoch(), h.delegateKey()));
        assertEquals(MERKLE_ROOT, e.reason());
        assertEquals(3, e.height());
    }

    @Test
    void aRewrittenTransactionIsFoundByTheRoot() {
        // the delegate re-signs an altered transaction: each signature holds, the block's root does not
        SignedTransaction original = txs.get(4);
        Transaction t = original.tx();
        Transaction altered = new Transaction(t.maskedRecord(), t.gatewaySignature(), t.attachmentCids(), t.chain(),
                t.sequence(), t.epoch(), t.delegateKey(), t.signedAt() + 1);
        SigningKey key = t.delegateKey()[0] == DELEGATE.verifyingKey().bytes()[0] ? DELEGATE : OTHER_DELEGATE;
        byte[] bytes = altered.toBytes();
        txs.set(4, new SignedTransaction(altered, bytes, Signatures.sign(key, bytes)));
        ChainVerificationException e = fails();
        assertEquals(MERKLE_ROOT, e.reason());
        assertEquals(2, e.height());
    }

    @Test
    void aBrokenPreviousHashIsFound() {
        ChainVerificationException e = failsWith(2, h -> new BlockHeader(h.chain(), h.height(),
                flip(h.previousBlockHash()), h.intervalStart(), h.intervalEnd(), h.txCount(), h.firstSequence(),
                h.lastSequence(), h.merkleRoot(), h.epoch(), h.delegateKey()));
        assertEquals(PREVIOUS_HASH, e.reason());
        assertEquals(2, e.height());
    }

    @Test
    void aWrongHeightIsFound() {
        ChainVerificationException e = failsWith(4, h -> new BlockHeader(h.chain(), h.height() + 1,
                h.previousBlockHash(), h.intervalStart(), h.intervalEnd(), h.txCount(), h.firstSequence(),
                h.lastSequence(), h.merkleRoot(), h.epoch(), h.delegateKey()));
        assertEquals(HEIGHT, e.reason());
        assertEquals(4, e.height());
    }

    @Test
    void aDroppedBlockIsFound() {
        blocks.remove(2);
        ChainVerificationException e = fails();
        assertEquals(HEIGHT, e.reason());
        assertEquals(2, e.height());
    }

    @Test
    void aBlockRangeThatDisagreesWithItsTransactionsIsFound() {
        ChainVerificationException e = failsWith(5, h -> new BlockHeader(h.chain(), h.height(),
                h.previousBlockHash(), h.intervalStart(), h.intervalEnd(), h.txCount() - 1, h.firstSequence(),
                h.lastSequence(), h.merkleRoot(), h.epoch(), h.delegateKey()));
        assertEquals(BLOCK_RANGE, e.reason());
        assertEquals(5, e.height());
    }

    @Test
    void aBlockEpochBelowItsTransactionsIsFound() {
        ChainVerificationException e = failsWith(5, h -> new BlockHeader(h.chain(), h.height(),
                h.previousBlockHash(), h.intervalStart(), h.intervalEnd(), h.txCount(), h.firstSequence(),
                h.lastSequence(), h.merkleRoot(), h.epoch() - 1, h.delegateKey()));
        assertEquals(EPOCH, e.reason());
    }

    @Test
    void badSignaturesAreFound() {
        SignedTransaction t = txs.get(6);
        txs.set(6, new SignedTransaction(t.tx(), t.bytes(), flip(t.signature())));
        ChainVerificationException e = fails();
        assertEquals(BAD_TRANSACTION_SIGNATURE, e.reason());
        assertEquals(t.tx().sequence(), e.sequence());

        txs.set(6, t);
        SealedBlock b = blocks.get(1);
        blocks.set(1, new SealedBlock(b.header(), b.bytes(), b.hash(), flip(b.signature())));
        e = fails();
        assertEquals(BAD_BLOCK_SIGNATURE, e.reason());
        assertEquals(1, e.height());

        // an altered header without a new signature
        blocks.set(1, b);
        byte[] altered = b.bytes().clone();
        altered[BlockHeader.MERKLE_ROOT_OFFSET] ^= 1;
        blocks.set(1, new SealedBlock(b.header(), altered, org.emrsb.core.format.Sha256.hash(altered), b.signature()));
        assertEquals(BAD_BLOCK_SIGNATURE, fails().reason());
    }

    @Test
    void malformedBytesAndOtherChainsAreFound() {
        SealedBlock b = blocks.get(0);
        blocks.set(0, new SealedBlock(b.header(), b.bytes(), flip(b.hash()), b.signature()));
        assertEquals(MALFORMED, fails().reason());
        blocks.set(0, b);

        SignedTransaction t = txs.get(0);
        byte[] truncated = java.util.Arrays.copyOf(t.bytes(), t.bytes().length - 1);
        txs.set(0, new SignedTransaction(t.tx(), truncated, Signatures.sign(DELEGATE, truncated)));
        assertEquals(MALFORMED, fails().reason());
        txs.set(0, t);

        ChainVerificationException e = assertThrows(ChainVerificationException.class,
                () -> ChainVerifier.verify(CHAIN + 1, txs, blocks, voids));
        assertEquals(WRONG_CHAIN, e.reason());
    }

    private ChainVerificationException fails() {
        return assertThrows(ChainVerificationException.class, () -> ChainVerifier.verify(CHAIN, txs, blocks, voids));
    }

    /** Replaces block {@code height} by a mutated header, correctly re-signed by its delegate. */
    private ChainVerificationException failsWith(int height, UnaryOperator<BlockHeader> mutation) {
        SealedBlock original = blocks.get(height);
        SigningKey key = height % 3 == 0 ? DELEGATE : OTHER_DELEGATE;
        BlockHeader header = mutation.apply(original.header());
        byte[] bytes = header.toBytes();
        blocks.set(height, new SealedBlock(header, bytes, header.hash(), Signatures.sign(key, bytes)));
        return fails();
    }

    private static byte[] flip(byte[] value) {
        byte[] copy = value.clone();
        copy[copy.length - 1] ^= 1;
        return copy;
    }
}
