package org.emrsb.core.proof;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.emrsb.core.bitcoin.BitcoinBlock;
import org.emrsb.core.bitcoin.BitcoinNetwork;
import org.emrsb.core.bitcoin.BitcoinTransaction;
import org.emrsb.core.crypto.Hex;
import org.emrsb.core.format.Sha256;
import org.emrsb.core.merkle.MerkleHasher;
import org.emrsb.core.proof.OtsTimestamp.Append;
import org.emrsb.core.proof.OtsTimestamp.Op;
import org.emrsb.core.proof.OtsTimestamp.Prepend;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The .ots path built from the complete synthetic bundle: it starts at the transaction bytes' SHA-256,
 * passes every link of the bundle in order, ends at the Bitcoin header's Merkle root; and every changed
 * operation or argument leads elsewhere (commitments compared, not bytes).
 */
class OtsExportTest {

    private static ProofFixture fx;
    private static ProofBundle bundle;
    private static OtsTimestamp ots;

    @BeforeAll
    static void build() {
        fx = new ProofFixture();
        bundle = fx.bundle();
        assertTrue(new BundleVerifier().verify(bundle).verified());
        ots = OtsExport.of(bundle);
    }

    private static byte[] bitcoinRoot() {
        return fx.bitcoinBlock.header().merkleRoot();
    }

    @Test
    void thePathLeadsFromTheTransactionBytesToTheBitcoinMerkleRoot() {
        assertArrayEquals(Sha256.hash(fx.transaction().toBytes()), ots.fileDigest());
        assertArrayEquals(fx.transaction().idBytes(), ots.fileDigest());
        assertArrayEquals(bitcoinRoot(), ots.commitment());
        assertEquals(ProofFixture.BITCOIN_HEIGHT, ots.bitcoinHeight());
        assertEquals(ots, OtsTimestamp.parse(ots.toBytes()));
    }

    @Test
    void thePathPassesEveryLinkOfTheBundleInOrder() {
        List<byte[]> messages = new ArrayList<>();
        byte[] m = ots.fileDigest();
        messages.add(m);
        for (Op op : ots.ops()) {
            m = op.apply(m);
            messages.add(m);
        }
        MerkleHasher hasher = MerkleHasher.sha256();
        List<byte[]> links = List.of(fx.transaction().idBytes(), hasher.hashLeaf(fx.transaction().idBytes()),
                fx.block.merkleRoot(), fx.block.hash(), hasher.hashLeaf(fx.block.hash()), fx.anchor.merkleRoot(),
                fx.anchor.hash(), fx.anchoringTx.toBytes(), fx.anchoringTx.txid(), bitcoinRoot());
        int from = 0;
        for (byte[] link : links) {
            int at = -1;
            for (int i = from; i < messages.size(); i++) {
                if (Arrays.equals(messages.get(i), link)) {
                    at = i;
                    break;
                }
            }
            assertTrue(at >= 0, "the path does not pass " + Hex.encode(link) + " after message " + from);
            from = at;
        }
        assertEquals(messages.size() - 1, from, "the Bitcoin Merkle root is the last message");
    }

    @Test
    void theOperationsAreTheDocumentedOnes() {
        List<Op> ops = ots.ops();
        // leaf: prepend 00, sha256
        assertEquals(new Prepend(new byte[] {0x00}), ops.get(0));
        assertEquals(OtsTimestamp.SHA256, ops.get(1));
        // leaf 2 of 5: left child of leaf 3 (append), right child above leaves 0-1 (prepend), left of the 4|1 split
        List<byte[]> path = fx.blockTree.inclusionProof(ProofFixture.TX_INDEX).path();
        assertEquals(3, path.size());
        assertEquals(List.of(new Append(path.get(0)), new Prepend(new byte[] {0x01}), OtsTimestamp.SHA256,
                new Prepend(path.get(1)), new Prepend(new byte[] {0x01}), OtsTimestamp.SHA256,
                new Append(path.get(2)), new Prepend(new byte[] {0x01}), OtsTimestamp.SHA256), ops.subList(2, 11));
        byte[] header = fx.block.toBytes();
        assertEquals(List.of(new Prepend(Arrays.copyOfRange(header, 0, 99)),
                new Append(Arrays.copyOfRange(header, 131, 171)), OtsTimestamp.SHA256), ops.subList(11, 14));
        for (Op op : ops) {
            byte[] arg = op instanceof Append a ? a.arg() : op instanceof Prepend p ? p.arg() : new byte[1];
            assertTrue(arg.length >= 1 && arg.length <= OtsTimestamp.MAX_LENGTH);
        }
        // the anchor header's root is its last field: nothing is appended after it
        byte[] anchor = fx.anchor.toBytes();
        int at = ops.indexOf(new Prepend(Arrays.copyOfRange(anchor, 0, 80)));
        assertTrue(at > 14);
        assertEquals(OtsTimestamp.SHA256, ops.get(at + 1));
        // the Bitcoin branch ends the path: two sha256 per level
        int levels = fx.bitcoinBlock.branch(ProofFixture.BITCOIN_TX_INDEX).size();
        assertEquals(OtsTimestamp.SHA256, ops.get(ops.size() - 1));
        assertEquals(OtsTimestamp.SHA256, ops.get(ops.size() - 2));
        assertEquals(2, levels);
    }

    @Test
    void everyChangedOperationOrArgumentLeadsElsewhere() {
        byte[] root = bitcoinRoot();
        List<Op> ops = ots.ops();
        int mutations = 0;
        int selfSiblings = 0;
        byte[] message = ots.fileDigest();
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            byte[] before = message;
            message = op.apply(message);
            List<List<Op>> variants = new ArrayList<>();
            // drop it, repeat it, insert a sha256 after it
            variants.add(without(ops, i));
            variants.add(inserted(ops, i, op));
            variants.add(inserted(ops, i + 1, OtsTimestamp.SHA256));
            if (op instanceof Append || op instanceof Prepend) {
                byte[] arg = op instanceof Append a ? a.arg() : ((Prepend) op).arg();
                // the other side (except where the argument is the message itself: the last hash of an odd
                // Bitcoin Merkle level is paired with itself, and x ‖ x is the same either way), every
                // single-bit change, one byte more, one byte less
                if (Arrays.equals(arg, before)) {
                    selfSiblings++;
                } else {
                    variants.add(replaced(ops, i, op instanceof Append ? new Prepend(arg) : new Append(arg)));
                }
                for (int bit = 0; bit < arg.length * 8; bit++) {
                    byte[] flipped = arg.clone();
                    flipped[bit / 8] ^= (byte) (1 << (bit % 8));
                    variants.add(replaced(ops, i, op instanceof Append ? new Append(flipped) : new Prepend(flipped)));
                }
                byte[] longer = Arrays.copyOf(arg, arg.length + 1);
                variants.add(replaced(ops, i, op instanceof Append ? new Append(longer) : new Prepend(longer)));
                if (arg.length > 1) {
                    byte[] shorter = Arrays.copyOf(arg, arg.length - 1);
                    variants.add(replaced(ops, i, op instanceof Append ? new Append(shorter) : new Prepend(shorter)));
                }
            } else {
                // sha256 replaced by an append or a prepend of one byte
                variants.add(replaced(ops, i, new Append(new byte[] {0x00})));
                variants.add(replaced(ops, i, new Prepend(new byte[] {0x00})));
            }
            for (List<Op> variant : variants) {
                assertFalse(Arrays.equals(root, commitment(ots.fileDigest(), variant)), "operation " + i + " changed: "
                        + op);
                mutations++;
            }
        }
        byte[] digest = ots.fileDigest();
        for (int bit = 0; bit < 256; bit++) {
            byte[] flipped = digest.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            assertFalse(Arrays.equals(root, commitment(flipped, ops)), "digest bit " + bit);
            mutations++;
        }
        assertTrue(mutations > 5_000, mutations + " mutations");
        assertEquals(1, selfSiblings, "the anchoring transaction is the last of three, so its level-0 sibling is itself");
    }

    /** The commitment, or null where the mutated path breaks the format's limits. */
    private static byte[] commitment(byte[] digest, List<Op> ops) {
        try {
            return new OtsTimestamp(digest, ops, ots.bitcoinHeight()).commitment();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static List<Op> without(List<Op> ops, int i) {
        List<Op> out = new ArrayList<>(ops);
        out.remove(i);
        return out;
    }

    static List<Op> inserted(List<Op> ops, int i, Op op) {
        List<Op> out = new ArrayList<>(ops);
        out.add(i, op);
        return out;
    }

    static List<Op> replaced(List<Op> ops, int i, Op op) {
        List<Op> out = new ArrayList<>(ops);
        out.set(i, op);
        return out;
    }

    @Test
    void aBundleWithoutBitcoinHasNoPathYet() {
        for (Part last : List.of(Part.BLOCK, Part.ANCHOR)) {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> OtsExport.of(fx.bundle(last))).getMessage()
                    .contains("no Bitcoin part"));
        }
    }

    @Test
    void aBundleWhoseLinksDoNotMeetIsRefused() {
        ProofBundle.BitcoinPart b = bundle.bitcoin();
        ProofBundle wrongIndex = withBitcoin(new ProofBundle.BitcoinPart(b.network(), b.tx(), b.txid(), 1, b.branch(),
                b.blockHash(), b.height(), b.header()));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OtsExport.of(wrongIndex)).getMessage()
                .contains("Merkle root"));
        ProofBundle.BlockPart k = bundle.block();
        List<String> path = new ArrayList<>(k.path());
        path.set(0, "00".repeat(32));
        ProofBundle wrongPath = new ProofBundle(bundle.format(), bundle.authorityKey(), bundle.transaction(),
                new ProofBundle.BlockPart(k.chain(), k.height(), k.header(), k.hash(), k.leafIndex(), k.treeSize(), path,
                        k.delegateKey(), k.signature(), k.delegateCertificate(), k.verdicts()),
                bundle.anchor(), bundle.bitcoin());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> OtsExport.of(wrongPath)).getMessage()
                .contains("merkleRoot"));
        ProofBundle.AnchorPart a = bundle.anchor();
        ProofBundle badHeader = new ProofBundle(bundle.format(), bundle.authorityKey(), bundle.transaction(),
                bundle.block(), new ProofBundle.AnchorPart(a.sequence(), "00" + a.header(), a.hash(), a.leafIndex(),
                        a.treeSize(), a.path()), bundle.bitcoin());
        assertThrows(IllegalArgumentException.class, () -> OtsExport.of(badHeader));
    }

    @Test
    void aBitcoinTransactionBeyondTheFormatsLimitIsRefusedClearly() {
        for (int scriptSize : new int[] {3_900, 5_000}) {
            BitcoinTransaction big = new BitcoinTransaction(2,
                    List.of(new BitcoinTransaction.Input(new byte[32], 1, new byte[scriptSize], 0xffff_fffeL)),
                    List.of(BitcoinTransaction.Output.opReturn(fx.anchor.hash())), 0);
            BitcoinBlock block = BitcoinBlock.mine(0x2000_0000, new byte[32], ProofFixture.T0 / 1000, ProofFixture.REGTEST_BITS,
                    List.of(fx.anchoringTx, big));
            ProofBundle.BitcoinPart b = ProofBundle.builder(fx.authority.verifyingKey()).transaction(fx.transaction())
                    .bitcoin(BitcoinNetwork.REGTEST, big.toBytes(), 1, block.branch(1), 7, block.header().toBytes())
                    .build().bitcoin();
            ProofBundle withBig = withBitcoin(b);
            if (big.toBytes().length <= OtsTimestamp.MAX_LENGTH) {
                assertArrayEquals(block.header().merkleRoot(), OtsExport.of(withBig).commitment());
            } else {
                assertTrue(assertThrows(IllegalArgumentException.class, () -> OtsExport.of(withBig)).getMessage()
                        .contains("at most 4096"));
            }
        }
    }

    private static ProofBundle withBitcoin(ProofBundle.BitcoinPart b) {
        return new ProofBundle(bundle.format(), bundle.authorityKey(), bundle.transaction(), bundle.block(),
                bundle.anchor(), b);
    }

    @Test
    void theOpReturnPayloadIsFoundByItsPlaceNotByItsValue() {
        byte[] tx = fx.anchoringTx.toBytes();
        int at = OtsExport.opReturnPayloadOffset(tx, fx.anchor.hash());
        assertArrayEquals(fx.anchor.hash(), Arrays.copyOfRange(tx, at, at + 32));
        assertEquals(0x20, tx[at - 1]);
        assertEquals(0x6a, tx[at - 2]);
        assertThrows(IllegalArgumentException.class, () -> OtsExport.opReturnPayloadOffset(tx, new byte[32]));
    }
}
