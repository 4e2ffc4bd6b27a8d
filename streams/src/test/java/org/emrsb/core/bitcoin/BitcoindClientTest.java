package org.emrsb.core.bitcoin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.emrsb.core.crypto.Hex;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client's typed results and error mapping against a scripted JSON-RPC server on a loopback port,
 * answering as bitcoind does (JSON-RPC 1.0: {@code result}, {@code error} with code and message,
 * HTTP 500 on an error).
 */
class BitcoindClientTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private HttpServer server;
    private BitcoindClient client;
    /** method → the raw JSON body to answer with. */
    private final Map<String, String> answers = new ConcurrentHashMap<>();
    private volatile JsonNode lastRequest;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            lastRequest = request;
            String method = request.get("method").textValue();
            if (method.equals("stall")) {
                exchange.sendResponseHeaders(200, 0);
                exchange.getResponseBody().write("{\"result\":".getBytes(StandardCharsets.UTF_8));
                exchange.getResponseBody().flush();
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
                return;
            }
            String body = answers.getOrDefault(method, error(-32601, "Method not found"));
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(body.contains("\"error\":null") ? 200 : 500, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        client = new BitcoindClient(BitcoindEndpoint.parse("http://u:p@127.0.0.1:" + server.getAddress().getPort()),
                Duration.ofMillis(800));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static String result(String json) {
        return "{\"result\":" + json + ",\"error\":null,\"id\":\"emrsb\"}";
    }

    private static String error(int code, String message) {
        return "{\"result\":null,\"error\":{\"code\":" + code + ",\"message\":\"" + message + "\"},\"id\":\"emrsb\"}";
    }

    @Test
    void transactionStatus() throws Exception {
        String txid = "ab".repeat(32);
        answers.put("getrawtransaction", error(-5, "No such mempool or blockchain transaction. Use gettransaction for wallet transactions."));
        assertEquals(TransactionStatus.unknown(), client.getTransactionStatus(txid));
        assertEquals(List.of(txid, true), List.of(lastRequest.get("params").get(0).textValue(),
                lastRequest.get("params").get(1).booleanValue()));

        answers.put("getrawtransaction", result("{\"txid\":\"" + txid + "\",\"hex\":\"00\"}"));
        assertEquals(TransactionStatus.inMempool(), client.getTransactionStatus(txid));

        answers.put("getrawtransaction", result("{\"txid\":\"" + txid + "\",\"blockhash\":\"" + "cd".repeat(32)
                + "\",\"confirmations\":3}"));
        assertEquals(TransactionStatus.confirmed("cd".repeat(32), 3), client.getTransactionStatus(txid));

        answers.put("getrawtransaction", error(-8, "parameter 1 must be hexadecimal"));
        assertEquals(-8, assertThrows(BitcoindRpcException.class, () -> client.getTransactionStatus(txid)).code());
    }

    @Test
    void broadcastOutcomes() throws Exception {
        AnchorKey key = AnchorKey.generate(new SecureRandom());
        BitcoinTransaction tx = AnchorTransactions.build(List.of(SpendableOutput.ofDisplayTxid("11".repeat(32), 0, 10_000)),
                new byte[32], key, FeeRate.ofSatPerVbyte(1)).transaction();
        String txid = Hex.encode(DoubleSha256.reverse(tx.txid()));

        answers.put("sendrawtransaction", result("\"" + txid + "\""));
        assertEquals(new BroadcastResult(txid, BroadcastResult.Outcome.ACCEPTED), client.sendRawTransaction(tx));
        assertEquals(Hex.encode(tx.toBytes()), lastRequest.get("params").get(0).textValue());

        answers.put("sendrawtransaction", error(-27, "Transaction outputs already in utxo set"));
        assertEquals(BroadcastResult.Outcome.ALREADY_CONFIRMED, client.sendRawTransaction(tx).outcome());
        answers.put("sendrawtransaction", error(-27, "transaction already in block chain"));
        assertEquals(BroadcastResult.Outcome.ALREADY_CONFIRMED, client.sendRawTransaction(tx).outcome());
        answers.put("sendrawtransaction", error(-26, "txn-already-in-mempool"));
        assertEquals(BroadcastResult.Outcome.ALREADY_IN_MEMPOOL, client.sendRawTransaction(tx).outcome());

        answers.put("sendrawtransaction", error(-26, "mandatory-script-verify-flag-failed (Signature must be zero for failed CHECK(MULTI)SIG operation)"));
        BitcoindRpcException e = assertThrows(BitcoindRpcException.class, () -> client.sendRawTransaction(tx));
        assertEquals(-26, e.code());
        assertEquals("sendrawtransaction", e.method());
        assertTrue(e.rpcMessage().startsWith("mandatory-script-verify-flag-failed"));
        assertTrue(e.getMessage().contains("code -26"), e.getMessage());

        answers.put("sendrawtransaction", result("\"" + "00".repeat(32) + "\""));
        assertThrows(IOException.class, () -> client.sendRawTransaction(tx), "a txid other than the transaction's");
    }

    @Test
    void feeEstimate() throws Exception {
        answers.put("estimatesmartfee", result("{\"feerate\":0.00001234,\"blocks\":6}"));
        assertEquals(Optional.of(new FeeRate(1234)), client.estimateSmartFee(6));
        answers.put("estimatesmartfee", result("{\"errors\":[\"Insufficient data or no feerate found\"],\"blocks\":0}"));
        assertEquals(Optional.empty(), client.estimateSmartFee(6));
    }

    @Test
    void jsonParamsAndTestMempoolAccept() throws Exception {
        AnchorKey key = AnchorKey.generate(new SecureRandom());
        BitcoinTransaction tx = AnchorTransactions.build(List.of(SpendableOutput.ofDisplayTxid("11".repeat(32), 0, 10_000)),
                new byte[32], key, FeeRate.ofSatPerVbyte(1)).transaction();
        String txid = Hex.encode(DoubleSha256.reverse(tx.txid()));
        answers.put("testmempoolaccept", result("[{\"txid\":\"" + txid + "\",\"allowed\":false,\"reject-reason\":\"bad-txns-inputs-missingorspent\"}]"));
        assertEquals(List.of(new MempoolAcceptance(txid, false, "bad-txns-inputs-missingorspent")),
                client.testMempoolAccept(List.of(tx)));
        assertTrue(lastRequest.get("params").get(0).isArray());
        assertEquals(Hex.encode(tx.toBytes()), lastRequest.get("params").get(0).get(0).textValue());

        answers.put("gettxoutproof", result("\"00ff\""));
        assertEquals("00ff", Hex.encode(client.getTxOutProof(txid, "ee".repeat(32))));
        assertEquals("[[\"" + txid + "\"],\"" + "ee".repeat(32) + "\"]", lastRequest.get("params").toString());
    }

    @Test
    void blocks() throws Exception {
        answers.put("getblockcount", result("205"));
        assertEquals(205, client.getBlockCount());
        BitcoinHeader header = new BitcoinHeader(0x20000000, new byte[32], new byte[32], 1_700_000_000L, 0x207fffffL, 7);
        String hash = Hex.encode(DoubleSha256.reverse(header.hash()));
        answers.put("getblockheader", result("\"" + Hex.encode(header.toBytes()) + "\""));
        assertEquals(header, client.getBlockHeader(hash));
        assertEquals(false, lastRequest.get("params").get(1).booleanValue());
        IOException wrong = assertThrows(IOException.class, () -> client.getBlockHeader("00".repeat(32)));
        assertTrue(wrong.getMessage().contains("another block"), wrong.getMessage());
        answers.put("getblockhash", error(-8, "Block height out of range"));
        assertEquals(-8, assertThrows(BitcoindRpcException.class, () -> client.getBlockHash(1_000_000)).code());
    }

    /** The timeout bounds the whole response, not just its headers. */
    @Test
    void aStalledBodyTimesOut() {
        long start = System.nanoTime();
        IOException e = assertThrows(IOException.class, () -> client.call("stall"));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(e.getMessage().contains("no complete response within 800 ms"), e.getMessage());
        assertTrue(millis < 2500, millis + " ms");
    }
}
