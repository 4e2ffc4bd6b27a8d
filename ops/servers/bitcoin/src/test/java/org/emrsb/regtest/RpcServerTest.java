package org.emrsb.regtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import org.bitcoinj.base.Coin;
import org.bitcoinj.core.FilteredBlock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JSON-RPC subset over HTTP on an ephemeral loopback port, against the request and response
 * shapes of Bitcoin Core 28's RPC reference (https://bitcoincore.org/en/doc/28.0.0/rpc/) and its
 * JSON-RPC interface document (doc/JSON-RPC-interface.md).
 */
class RpcServerTest {

    @TempDir
    static Path dir;
    static RegtestNode node;
    static RpcServer server;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final String ROOT = "c63a7b5b890e153966720e1367cda6d2e59891799b6b43992a1025a4dcb35968";

    @BeforeAll
    static void start() throws Exception {
        node = RegtestNode.open(dir, Clock.systemUTC());
        server = new RpcServer("127.0.0.1", 0, "user", "pass", new RpcMethods(node, true, Coin.valueOf(2_000)));
    }

    @AfterAll
    static void stop() {
        server.close();
        node.close();
    }

    static HttpResponse<String> post(String body, String user, String password) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(body));
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A JSON-RPC 1.0 call as bitcoin-cli sends it; the whole response. */
    static JsonNode call1(String method, String params) throws Exception {
        HttpResponse<String> r = post("{\"jsonrpc\":\"1.0\",\"id\":\"t\",\"method\":\"" + method + "\",\"params\":" + params + "}",
                "user", "pass");
        JsonNode body = RpcServer.JSON.readTree(r.body());
        assertEquals(body.get("error").isNull() ? 200 : expectedStatus(body.get("error").get("code").asInt()), r.statusCode(), r.body());
        assertEquals("t", body.get("id").asText());
        assertTrue(body.has("result") && body.has("error"), "1.0 replies carry both members: " + r.body());
        return body;
    }

    static int expectedStatus(int code) {
        return code == -32601 ? 404 : code == -32600 ? 400 : 500;
    }

    static JsonNode result(String method, String params) throws Exception {
        JsonNode body = call1(method, params);
        assertTrue(body.get("error").isNull(), () -> body.toString());
        return body.get("result");
    }

    static int errorCode(String method, String params) throws Exception {
        JsonNode body = call1(method, params);
        assertTrue(body.get("result").isNull());
        return body.get("error").get("code").asInt();
    }

    @Test
    void authenticationIsRequired() throws Exception {
        HttpResponse<String> none = post("{\"method\":\"getblockcount\"}", null, null);
        assertEquals(401, none.statusCode());
        assertEquals("Basic realm=\"jsonrpc\"", none.headers().firstValue("WWW-Authenticate").orElseThrow());
        assertEquals(401, post("{\"method\":\"getblockcount\"}", "user", "wrong").statusCode());
    }

    @Test
    void envelopesOfJsonRpc10And20AndBatches() throws Exception {
        assertEquals(404, post("{\"id\":1,\"method\":\"nosuch\",\"params\":[]}", "user", "pass").statusCode());
        assertEquals(-32601, errorCode("nosuch", "[]"));

        HttpResponse<String> v2 = post("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"getblockcount\"}", "user", "pass");
        JsonNode body = RpcServer.JSON.readTree(v2.body());
        assertEquals(200, v2.statusCode());
        assertFalse(body.has("error"), "2.0 success has no error member");
        assertTrue(body.get("result").asInt() >= 101);
        HttpResponse<String> v2err = post("{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"nosuch\"}", "user", "pass");
        assertEquals(200, v2err.statusCode());
        JsonNode err = RpcServer.JSON.readTree(v2err.body());
        assertFalse(err.has("result"));
        assertEquals(-32601, err.get("error").get("code").asInt());
        assertEquals(204, post("{\"jsonrpc\":\"2.0\",\"method\":\"getblockcount\"}", "user", "pass").statusCode());

        HttpResponse<String> batch = post("[{\"id\":1,\"method\":\"getblockcount\"},{\"id\":2,\"method\":\"getbestblockhash\"}]",
                "user", "pass");
        assertEquals(200, batch.statusCode());
        assertEquals(2, RpcServer.JSON.readTree(batch.body()).size());

        HttpResponse<String> garbage = post("{not json", "user", "pass");
        assertEquals(500, garbage.statusCode());
        assertEquals(-32700, RpcServer.JSON.readTree(garbage.body()).get("error").get("code").asInt());
    }

    @Test
    void chainQueries() throws Exception {
        JsonNode info = result("getblockchaininfo", "[]");
        assertEquals("regtest", info.get("chain").asText());
        int height = info.get("blocks").asInt();
        assertEquals(height, result("getblockcount", "[]").asInt());
        assertEquals(4.656542373906925E-10, info.get("difficulty").asDouble(), 1e-24);
        assertTrue(info.get("warnings").isArray());
        assertEquals(64, info.get("chainwork").asText().length());

        assertEquals("0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206", result("getblockhash", "[0]").asText());
        assertEquals(-8, errorCode("getblockhash", "[" + (height + 1) + "]"));
        assertEquals(-3, errorCode("getblockhash", "[\"1\"]"));
        assertEquals(-1, errorCode("getblockhash", "[]"));

        String hash = result("getblockhash", "[1]").asText();
        JsonNode header = result("getblockheader", "[\"" + hash + "\"]");
        assertEquals(1, header.get("height").asInt());
        assertEquals("20000000", header.get("versionHex").asText());
        assertEquals("207fffff", header.get("bits").asText());
        assertEquals(height, header.get("confirmations").asInt());
        assertEquals(result("getblockhash", "[0]").asText(), header.get("previousblockhash").asText());
        assertEquals(result("getblockhash", "[2]").asText(), header.get("nextblockhash").asText());
        String raw = result("getblockheader", "{\"blockhash\":\"" + hash + "\",\"verbose\":false}").asText();
        assertEquals(160, raw.length());
        assertEquals(-5, errorCode("getblockheader", "[\"" + "00".repeat(32) + "\"]"));
        assertEquals(-8, errorCode("getblockheader", "[\"abc\"]"));
        assertEquals(-8, errorCode("getblockheader", "{\"hash\":\"" + hash + "\"}"));

        JsonNode coinbase = result("getrawtransaction", "[\"" + header.get("merkleroot").asText() + "\", true]");
        assertEquals(hash, coinbase.get("blockhash").asText());
        assertTrue(coinbase.get("vin").get(0).has("coinbase"));
        assertEquals("pubkeyhash", coinbase.get("vout").get(0).get("scriptPubKey").get("type").asText());
        assertEquals("50.00000000", coinbase.get("vout").get(0).get("value").toString());
        assertEquals(-5, errorCode("getrawtransaction", "[\"" + "11".repeat(32) + "\"]"));

        JsonNode fee = result("estimatesmartfee", "[6]");
        assertEquals("0.00002000", fee.get("feerate").toString());
        assertEquals(6, fee.get("blocks").asInt());
        assertEquals(-8, errorCode("estimatesmartfee", "[0]"));
        assertEquals(-8, errorCode("estimatesmartfee", "[6, \"FAST\"]"));
    }

    @Test
    void anchorFlowCreateFundSignTestSendProve() throws Exception {
        String created = result("createrawtransaction", "[[], [{\"data\":\"" + ROOT + "\"}]]").asText();
        assertEquals("02000000" + "00" + "01" + "0000000000000000" + "22" + "6a20" + ROOT + "00000000", created,
                "bitcoind's serialisation of a version-2 transaction with no inputs and one OP_RETURN output");
        assertEquals(-8, errorCode("createrawtransaction", "[[], {\"data\":\"zz\"}]"));
        assertEquals(-5, errorCode("createrawtransaction", "[[], {\"notanaddress\":1}]"));

        JsonNode funded = result("fundrawtransaction", "[\"" + created + "\", {\"fee_rate\": 2}]");
        assertEquals(1, funded.get("changepos").asInt());
        assertTrue(funded.get("fee").decimalValue().signum() > 0);
        JsonNode signed = result("signrawtransactionwithwallet", "[\"" + funded.get("hex").asText() + "\"]");
        assertTrue(signed.get("complete").asBoolean(), signed.toString());
        assertFalse(signed.has("errors"));
        String hex = signed.get("hex").asText();

        JsonNode accept = result("testmempoolaccept", "[[\"" + hex + "\"]]").get(0);
        assertTrue(accept.get("allowed").asBoolean(), accept.toString());
        assertEquals(funded.get("fee").decimalValue(), accept.get("fees").get("base").decimalValue());
        JsonNode tooDear = result("testmempoolaccept", "[[\"" + hex + "\"], 0.00000001]").get(0);
        assertFalse(tooDear.get("allowed").asBoolean());
        assertEquals("max-fee-exceeded", tooDear.get("reject-reason").asText());

        int before = result("getblockcount", "[]").asInt();
        String txid = result("sendrawtransaction", "[\"" + hex + "\"]").asText();
        assertEquals(before + 1, result("getblockcount", "[]").asInt(), "mine-on-send");
        assertEquals(-27, errorCode("sendrawtransaction", "[\"" + hex + "\"]"));
        assertEquals("txn-already-known", result("testmempoolaccept", "[[\"" + hex + "\"]]").get(0).get("reject-reason").asText());

        JsonNode tx = result("getrawtransaction", "[\"" + txid + "\", 1]");
        assertEquals(1, tx.get("confirmations").asInt());
        JsonNode opReturn = tx.get("vout").get(0);
        assertEquals("nulldata", opReturn.get("scriptPubKey").get("type").asText());
        assertEquals("OP_RETURN " + ROOT, opReturn.get("scriptPubKey").get("asm").asText());
        assertTrue(tx.get("vin").get(0).get("scriptSig").get("asm").asText().contains("[ALL] "));
        assertEquals(hex, result("getrawtransaction", "[\"" + txid + "\"]").asText());

        String proof = result("gettxoutproof", "[[\"" + txid + "\"]]").asText();
        FilteredBlock merkleBlock = FilteredBlock.read(ByteBuffer.wrap(HexFormat.of().parseHex(proof)));
        assertEquals(tx.get("blockhash").asText(), merkleBlock.getHash().toString());
        assertEquals(txid, merkleBlock.getTransactionHashes().get(0).toString());
        assertEquals(proof, result("gettxoutproof", "[[\"" + txid + "\"], \"" + tx.get("blockhash").asText() + "\"]").asText());
        assertEquals(-5, errorCode("gettxoutproof", "[[\"" + txid + "\"], \"" + result("getblockhash", "[1]").asText() + "\"]"));
        assertEquals(-8, errorCode("gettxoutproof", "[[\"" + txid + "\", \"" + txid + "\"]]"));

        JsonNode tampered = result("testmempoolaccept", "[[\"" + hex.replace(ROOT, ROOT.substring(0, 63) + "9") + "\"]]");
        assertFalse(tampered.get(0).get("allowed").asBoolean());
        assertEquals(-22, errorCode("sendrawtransaction", "[\"00\"]"));
    }

    @Test
    void walletAndMining() throws Exception {
        String address = result("getnewaddress", "[]").asText();
        assertTrue(address.startsWith("m") || address.startsWith("n"), address);
        assertEquals(-8, errorCode("getnewaddress", "[\"\", \"bech32\"]"));
        assertEquals(-5, errorCode("getnewaddress", "[\"\", \"weird\"]"));
        int before = result("getblockcount", "[]").asInt();
        JsonNode hashes = result("generatetoaddress", "[2, \"" + address + "\"]");
        assertEquals(2, hashes.size());
        assertEquals(before + 2, result("getblockcount", "[]").asInt());
        assertEquals(-5, errorCode("generatetoaddress", "[1, \"bogus\"]"));
        JsonNode unsigned = result("signrawtransactionwithwallet",
                "[\"0200000001" + "11".repeat(32) + "0000000000fdffffff0100000000000000000000000000\"]");
        assertFalse(unsigned.get("complete").asBoolean());
        assertEquals("Input not found or already spent", unsigned.get("errors").get(0).get("error").asText());
        assertEquals(-4, errorCode("fundrawtransaction", "[\"" + result("createrawtransaction",
                "[[], {\"" + address + "\": 20000000}]").asText() + "\"]"));
    }
}
