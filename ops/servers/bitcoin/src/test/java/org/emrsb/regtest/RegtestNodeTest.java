package org.emrsb.regtest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.bitcoinj.base.Address;
import org.bitcoinj.base.Coin;
import org.bitcoinj.base.Sha256Hash;
import org.bitcoinj.core.Block;
import org.bitcoinj.core.FilteredBlock;
import org.bitcoinj.core.Transaction;
import org.bitcoinj.core.TransactionOutPoint;
import org.bitcoinj.script.ScriptBuilder;
import org.bitcoinj.script.ScriptPattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's core: mining, maturity, a funded OP_RETURN transaction and its proof, restart and re-validation. */
class RegtestNodeTest {

    static final byte[] ROOT = Sha256Hash.hash("anchor header".getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path dir;

    static Transaction opReturn(byte[] data) {
        Transaction tx = new Transaction();
        tx.setVersion(2);
        tx.addOutput(Coin.ZERO, ScriptBuilder.createOpReturnScript(data));
        return tx;
    }

    /** Builds, funds, signs and sends a transaction with one OP_RETURN output; returns it as sent. */
    static Transaction anchor(RegtestNode node, byte[] data, boolean mine) throws NodeException {
        RegtestNode.Funded funded = node.fund(opReturn(data),
                new RegtestNode.FundOptions(Coin.valueOf(2_000), null, null, true));
        RegtestNode.Signed signed = node.sign(funded.tx(), List.of(), Transaction.SigHash.ALL, false);
        assertTrue(signed.complete(), () -> signed.errors().toString());
        Transaction tx = Transaction.read(ByteBuffer.wrap(signed.tx().serialize()));
        node.check(tx, RegtestNode.DEFAULT_MAX_FEE_PER_KVB);
        node.send(tx, RegtestNode.DEFAULT_MAX_FEE_PER_KVB, mine);
        return tx;
    }

    @Test
    void firstStartMinesPastCoinbaseMaturity() throws Exception {
        try (RegtestNode node = RegtestNode.open(dir, Clock.systemUTC())) {
            assertEquals(101, node.height());
            assertEquals("0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206",
                    node.blockAt(0).orElseThrow().getHashAsString(), "Core's regtest genesis");
            // coinbases of heights 1 and 2 are mature for a transaction in block 102
            assertEquals(Coin.COIN.multiply(100), node.balance());
            Block b = node.tip();
            assertEquals(RegtestNode.BLOCK_VERSION, b.getVersion());
            assertTrue(b.getHash().toBigInteger().compareTo(RegtestNode.bitsToTarget(CoreLikeRegTestParams.BITS)) <= 0);
        }
    }

    @Test
    void prematureCoinbaseSpendIsRejected() throws Exception {
        try (RegtestNode node = RegtestNode.open(dir, Clock.systemUTC())) {
            // the coinbase of height 3 would be at depth 99 in block 102
            Transaction coinbase = node.blockAt(3).orElseThrow().getTransactions().get(0);
            Transaction spend = new Transaction();
            spend.addInput(new org.bitcoinj.core.TransactionInput(spend, new byte[0],
                    new TransactionOutPoint(0, coinbase.getTxId()), coinbase.getOutput(0).getValue()));
            spend.addOutput(coinbase.getOutput(0).getValue().subtract(Coin.valueOf(1_000)), node.newAddress());
            RegtestNode.Signed signed = node.sign(spend, List.of(), Transaction.SigHash.ALL, false);
            assertTrue(signed.complete());
            NodeException e = assertThrows(NodeException.class,
                    () -> node.check(signed.tx(), RegtestNode.DEFAULT_MAX_FEE_PER_KVB));
            assertEquals(-26, e.code());
            assertTrue(e.getMessage().startsWith("bad-txns-premature-spend-of-coinbase"), e.getMessage());

            node.generate(1, node.newAddress()); // now at depth 100
            node.send(signed.tx(), RegtestNode.DEFAULT_MAX_FEE_PER_KVB, true);
            assertEquals(103, node.height());
        }
    }

    @Test
    void fundedOpReturnIsMinedAndProvenToTheHeaderMerkleRoot() throws Exception {
        try (RegtestNode node = RegtestNode.open(dir, Clock.systemUTC())) {
            Transaction tx = anchor(node, ROOT, true);
            assertEquals(102, node.height());
            RegtestNode.Located at = node.transaction(tx.getTxId()).orElseThrow();
            assertEquals(102, at.height());
            assertEquals(1, at.position());
            Transaction mined = at.tx();
            assertTrue(ScriptPattern.isOpReturn(mined.getOutput(0).getScriptPubKey()));
            assertArrayEquals(ROOT, mined.getOutput(0).getScriptPubKey().getChunks().get(1).data);
            assertTrue(mined.getInputs().stream().allMatch(i -> i.getSequenceNumber() == RegtestNode.SEQUENCE_RBF));
            Coin fee = node.tip().getTransactions().get(0).getOutputSum().subtract(Coin.COIN.multiply(50)); // coinbase = subsidy + fees
            assertTrue(fee.value >= 2 * mined.getVsize() && fee.value < 3 * mined.getVsize(), fee.toFriendlyString());

            byte[] proof = node.txOutProof(List.of(tx.getTxId()), null);
            FilteredBlock merkleBlock = FilteredBlock.read(ByteBuffer.wrap(proof));
            Block block = node.tip();
            assertEquals(block.getHash(), merkleBlock.getHash());
            assertEquals(List.of(tx.getTxId()), merkleBlock.getTransactionHashes()); // throws if root ≠ header's
            assertArrayEquals(block.cloneAsHeader().serialize(), java.util.Arrays.copyOf(proof, 80));

            // independently: the txid and its one sibling (the coinbase) lead to the header's root
            byte[] root = Sha256Hash.hashTwice(block.getTransactions().get(0).getTxId().getReversedBytes(),
                    tx.getTxId().getReversedBytes());
            assertArrayEquals(block.getMerkleRoot().getReversedBytes(), root);

            NodeException notMined = assertThrows(NodeException.class,
                    () -> node.txOutProof(List.of(Sha256Hash.of(new byte[] {1})), null));
            assertEquals(-5, notMined.code());
        }
    }

    @Test
    void mempoolHoldsTransactionsUntilABlockWhenMiningOnSendIsOff() throws Exception {
        try (RegtestNode node = RegtestNode.open(dir, Clock.systemUTC())) {
            Transaction first = anchor(node, ROOT, false);
            Transaction second = anchor(node, Sha256Hash.hash(ROOT), false); // may spend the first's change
            assertEquals(101, node.height());
            assertEquals(List.of(first.getTxId(), second.getTxId()), node.mempoolTxids());
            assertTrue(node.transaction(first.getTxId()).orElseThrow().inMempool());
            // sending it again is harmless; a double spend of its inputs is not
            node.send(first, RegtestNode.DEFAULT_MAX_FEE_PER_KVB, false);
            NodeException known = assertThrows(NodeException.class, () -> node.check(first, RegtestNode.DEFAULT_MAX_FEE_PER_KVB));
            assertEquals("txn-already-in-mempool", known.rejectReason());

            node.generate(1, node.newAddress());
            assertEquals(List.of(), node.mempoolTxids());
            assertEquals(3, node.tip().getTransactions().size());
            NodeException inChain = assertThrows(NodeException.class,
                    () -> node.send(first, RegtestNode.DEFAULT_MAX_FEE_PER_KVB, true));
            assertEquals(-27, inChain.code());
        }
    }

    @Test
    void tamperedSignatureIsRejected() throws Exception {
        try (RegtestNode node = RegtestNode.open(dir, Clock.systemUTC())) {
            RegtestNode.Funded funded = node.fund(opReturn(ROOT), new RegtestNode.FundOptions(Coin.valueOf(2_000), null, null, true));
            Transaction signed = node.sign(funded.tx(), List.of(), Transaction.SigHash.ALL, false).tx();
            byte[] raw = signed.serialize();
            // change the OP_RETURN payload's last byte after signing
            int at = indexOf(raw, ROOT) + ROOT.length - 1;
            raw[at] ^= 1;
            Transaction tampered = Transaction.read(ByteBuffer.wrap(raw));
            NodeException e = assertThrows(NodeException.class, () -> node.send(tampered, RegtestNode.DEFAULT_MAX_FEE_PER_KVB, true));
            assertEquals(-26, e.code());
            assertTrue(e.getMessage().startsWith("mandatory-script-verify-flag-failed"), e.getMessage());
            assertEquals(101, node.height());
        }
    }

    @Test
    void restartReValidatesTheRawBlocksAndKeepsChainAndWallet() throws Exception {
        Address mine;
        Sha256Hash tip;
        Sha256Hash anchored;
        Coin balance;
        try (RegtestNode node = RegtestNode.open(dir, Clock.systemUTC())) {
            mine = node.newAddress();
            anchored = anchor(node, ROOT, true).getTxId();
            node.generate(3, mine);
            tip = node.tip().getHash();
            balance = node.balance();
        }
        long started = System.nanoTime();
        try (RegtestNode node = RegtestNode.open(dir, Clock.systemUTC())) {
            long ms = (System.nanoTime() - started) / 1_000_000;
            assertEquals(105, node.height());
            assertEquals(tip, node.tip().getHash());
            assertEquals(balance, node.balance());
            assertTrue(node.isMine(mine), "wallet keys survive a restart");
            assertEquals(102, node.transaction(anchored).orElseThrow().height());
            assertTrue(ms < 10_000, "re-validation took " + ms + " ms");
            // and the reopened node keeps working: the wallet still funds and signs
            anchor(node, Sha256Hash.hash(ROOT), true);
            assertEquals(106, node.height());
        }
    }

    @Test
    void aTamperedStoredBlockFailsReValidation() throws Exception {
        Sha256Hash anchored;
        try (RegtestNode node = RegtestNode.open(dir, Clock.systemUTC())) {
            anchored = anchor(node, ROOT, true).getTxId();
        }
        Path blocks = dir.resolve("blocks.hex");
        List<String> lines = new ArrayList<>(Files.readAllLines(blocks));
        String last = lines.get(lines.size() - 1);
        String root = HexFormat.of().formatHex(ROOT);
        lines.set(lines.size() - 1, last.replace(root, root.substring(0, 62) + (root.endsWith("00") ? "01" : "00")));
        Files.write(blocks, lines);
        IOException e = assertThrows(IOException.class, () -> RegtestNode.open(dir, Clock.systemUTC()));
        assertTrue(e.getMessage().contains("block 102"), e.getMessage());
        assertFalse(anchored == null);
    }

    @Test
    void aTornLastLineIsDropped() throws Exception {
        try (RegtestNode node = RegtestNode.open(dir, Clock.systemUTC())) {
            assertEquals(101, node.height());
        }
        Files.writeString(dir.resolve("blocks.hex"), "0000002", java.nio.file.StandardOpenOption.APPEND);
        try (RegtestNode node = RegtestNode.open(dir, Clock.systemUTC())) {
            assertEquals(101, node.height());
        }
    }

    @Test
    void oneNodePerDataFolder() throws Exception {
        try (RegtestNode node = RegtestNode.open(dir, Clock.systemUTC())) {
            IOException e = assertThrows(IOException.class, () -> RegtestNode.open(dir, Clock.systemUTC()));
            assertTrue(e.getMessage().contains("another node"), e.getMessage());
        }
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
