package org.emrsb.core.bitcoin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.emrsb.core.crypto.Hex;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The anchor transactions against the real regtest node of the local stack ({@code docs/bitcoin-node.md}),
 * which validates every script with bitcoinj: the proof that the signing is right. The node is found
 * like the stack starts it: 127.0.0.1:EMRSB_BITCOIN_PORT (18443), user EMRSB_BITCOIN_RPCUSER and password
 * EMRSB_BITCOIN_RPCPASSWORD (emrsb/emrsb). The stack must be up ({@code ops/stack up}); this test neither
 * starts nor stops it. It spends 0.01 BTC of the node's wallet per run (about 2,000 runs from the first
 * 100 BTC, and every mined block adds a coinbase).
 *
 * <p>Mining: the stack's node mines a block on every {@code sendrawtransaction}; where it does not
 * (bitcoind, or {@code -mineonsend=0}) the test mines one with {@code generatetoaddress}.
 */
class AnchorTransactionIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String URL = "http://" + env("EMRSB_BITCOIN_RPCUSER", "emrsb") + ":"
            + env("EMRSB_BITCOIN_RPCPASSWORD", "emrsb") + "@127.0.0.1:" + env("EMRSB_BITCOIN_PORT", "18443");
    private static final FeeRate RATE = FeeRate.ofSatPerVbyte(2);

    private static BitcoindClient node;

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }

    @BeforeAll
    static void connect() {
        node = new BitcoindClient(BitcoindEndpoint.parse(URL), Duration.ofSeconds(30));
        try {
            assertTrue(node.getBlockCount() >= 101);
        } catch (IOException e) {
            throw new AssertionError("the stack's Bitcoin node does not answer at " + node.endpoint() + " (ops/stack up): " + e, e);
        }
    }

    @Test
    void aChainOfThreeAnchorsIsAcceptedMinedAndProven() throws Exception {
        AnchorKey key = AnchorKey.generate(new SecureRandom());
        SpendableOutput funds = fund(key, new BigDecimal("0.01"));
        assertEquals(1_000_000L, funds.value());

        SpendableOutput next = funds;
        for (int i = 0; i < 3; i++) {
            byte[] anchorHash = sha256("emrsb AnchorTransactionIT " + key + " anchor " + i);
            AnchorTransaction anchor = AnchorTransactions.build(List.of(next), anchorHash, key, RATE);
            assertEquals(anchor, AnchorTransactions.build(List.of(next), anchorHash, key, RATE), "deterministic");

            MempoolAcceptance check = node.testMempoolAccept(List.of(anchor.transaction())).get(0);
            assertTrue(check.allowed(), "anchor " + i + " refused: " + check.rejectReason());
            assertEquals(anchor.displayTxid(), check.txid());

            BroadcastResult sent = node.sendRawTransaction(anchor.transaction());
            assertEquals(new BroadcastResult(anchor.displayTxid(), BroadcastResult.Outcome.ACCEPTED), sent);
            TransactionStatus status = confirm(anchor.displayTxid());
            assertEquals(TransactionStatus.State.CONFIRMED, status.state());

            // Sending it again after a crash is a typed outcome, not an error.
            assertEquals(BroadcastResult.Outcome.ALREADY_CONFIRMED, node.sendRawTransaction(anchor.transaction()).outcome());

            BitcoinHeader header = node.getBlockHeader(status.blockHash());
            MerkleBlock proof = MerkleBlock.parse(node.getTxOutProof(anchor.displayTxid(), status.blockHash()));
            assertArrayEquals(header.toBytes(), proof.header().toBytes());
            assertTrue(proof.proves(anchor.txid()), "the merkle block proves anchor " + i);
            assertArrayEquals(proof.header().toBytes(), MerkleBlock.parse(node.getTxOutProof(anchor.displayTxid(), null))
                    .header().toBytes());

            BitcoinTransaction onChain = BitcoinTransaction.parse(Hex.decode(
                    node.call("getrawtransaction", anchor.displayTxid(), false).textValue(), "raw transaction"));
            assertEquals(anchor.transaction(), onChain);
            assertArrayEquals(BitcoinTransaction.opReturnScript(anchorHash), onChain.outputs().get(0).script());
            assertEquals(0, onChain.outputs().get(0).value());

            next = anchor.change();
            assertEquals(anchor.transaction().outputs().get(1).value(), next.value());
        }
        assertEquals(1_000_000L - 3 * RATE.feeFor(AnchorTransactions.maxSize(1, key)), next.value());
    }

    @Test
    void aTamperedSignatureIsRefusedAndTheUntamperedOneAllowed() throws Exception {
        AnchorKey key = AnchorKey.generate(new SecureRandom());
        SpendableOutput funds = fund(key, new BigDecimal("0.001"));
        SpendableOutput second = fund(key, new BigDecimal("0.002"));
        AnchorTransaction anchor = AnchorTransactions.build(List.of(funds, second), sha256("tamper " + key), key, RATE);
        assertTrue(node.testMempoolAccept(List.of(anchor.transaction())).get(0).allowed());
        AnchorTransaction bumped = AnchorTransactions.rebuild(anchor, key, FeeRate.ofSatPerVbyte(5));
        assertTrue(node.testMempoolAccept(List.of(bumped.transaction())).get(0).allowed(), "the replacement is valid too");

        for (int input = 0; input < 2; input++) {
            BitcoinTransaction tampered = withSignatureByteFlipped(anchor.transaction(), input, 40);
            MempoolAcceptance refused = node.testMempoolAccept(List.of(tampered)).get(0);
            assertFalse(refused.allowed(), "a tampered signature on input " + input + " must be refused");
            assertNotNull(refused.rejectReason());
            assertTrue(refused.rejectReason().contains("script"), refused.rejectReason());
            BitcoindRpcException e = assertThrows(BitcoindRpcException.class, () -> node.sendRawTransaction(tampered));
            assertEquals(BitcoindRpcException.VERIFY_REJECTED, e.code(), e.getMessage());
        }
    }

    @Test
    void typedLookups() throws Exception {
        assertEquals(TransactionStatus.unknown(), node.getTransactionStatus(Hex.encode(sha256("no such transaction"))));
        long height = node.getBlockCount();
        String tip = node.getBlockHash(height);
        assertEquals(tip, Hex.encode(DoubleSha256.reverse(node.getBlockHeader(tip).hash())));
        BitcoindRpcException e = assertThrows(BitcoindRpcException.class, () -> node.getBlockHash(height + 1000));
        assertEquals(-8, e.code());
        assertTrue(node.estimateSmartFee(6).isPresent(), "the stack's node always answers its configured rate");
    }

    /** Sends {@code amount} BTC from the node's wallet to the key's address, mined; the output paying the key. */
    private static SpendableOutput fund(AnchorKey key, BigDecimal amount) throws IOException {
        ArrayNode outputs = JSON.createArrayNode();
        outputs.addObject().put(key.address(BitcoinNetwork.REGTEST), amount);
        String raw = node.call("createrawtransaction", JSON.createArrayNode(), outputs).textValue();
        String funded = node.call("fundrawtransaction", raw).get("hex").textValue();
        JsonNode signed = node.call("signrawtransactionwithwallet", funded);
        assertTrue(signed.get("complete").asBoolean(), signed.toString());
        BitcoinTransaction tx = BitcoinTransaction.parse(Hex.decode(signed.get("hex").textValue(), "funding transaction"));
        String txid = node.sendRawTransaction(tx).txid();
        confirm(txid);
        List<BitcoinTransaction.Output> outs = tx.outputs();
        for (int vout = 0; vout < outs.size(); vout++) {
            if (MessageDigest.isEqual(outs.get(vout).script(), key.p2pkhScript())) {
                return new SpendableOutput(tx.txid(), vout, outs.get(vout).value());
            }
        }
        throw new AssertionError("the funding transaction " + txid + " does not pay " + key.address(BitcoinNetwork.REGTEST));
    }

    /** The transaction's status once mined, mining a block if the node does not mine on send. */
    private static TransactionStatus confirm(String txid) throws IOException {
        TransactionStatus status = node.getTransactionStatus(txid);
        if (status.state() == TransactionStatus.State.IN_MEMPOOL) {
            node.call("generatetoaddress", 1L, node.call("getnewaddress").textValue());
            status = node.getTransactionStatus(txid);
        }
        assertEquals(TransactionStatus.State.CONFIRMED, status.state(), txid);
        return status;
    }

    /** {@code tx} with byte {@code offset} of input {@code input}'s scriptSig (inside the signature) flipped. */
    static BitcoinTransaction withSignatureByteFlipped(BitcoinTransaction tx, int input, int offset) {
        List<BitcoinTransaction.Input> inputs = new ArrayList<>(tx.inputs());
        BitcoinTransaction.Input in = inputs.get(input);
        byte[] script = in.scriptSig();
        script[offset] ^= 0x01;
        inputs.set(input, new BitcoinTransaction.Input(in.previousTxid(), in.previousIndex(), script, in.sequence()));
        return new BitcoinTransaction(tx.version(), inputs, tx.outputs(), tx.lockTime());
    }

    private static byte[] sha256(String text) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    }
}
