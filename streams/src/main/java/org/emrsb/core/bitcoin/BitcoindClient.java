package org.emrsb.core.bitcoin;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.emrsb.core.crypto.Hex;

/**
 * A minimal bitcoind JSON-RPC client (JSON-RPC 1.0 over HTTP, Basic authentication): the calls the
 * verifier and the anchor broadcaster need, typed, and {@link #call} for the rest. Methods follow
 * Bitcoin Core 28's RPC reference; they work unchanged against the project's regtest node
 * ({@code docs/bitcoin-node.md}).
 *
 * <p>Every request, response body included, is bounded by the timeout; nothing is retried. A node's
 * JSON-RPC error is a {@link BitcoindRpcException} with its code, except where a typed method documents
 * a typed result for it. Txids and block hashes are lowercase hex in display order, as RPC prints them.
 * Amounts are read as decimals, never through a {@code double}. Thread-safe.
 */
public final class BitcoindClient implements BlockHashLookup {

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

    private final BitcoindEndpoint endpoint;
    private final Duration timeout;
    private final HttpClient http;

    public BitcoindClient(BitcoindEndpoint endpoint, Duration timeout) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public BitcoindEndpoint endpoint() {
        return endpoint;
    }

    /** {@code getblockhash height}: the block hash in display order. */
    @Override
    public String blockHashAt(long height) throws IOException {
        return getBlockHash(height);
    }

    /** {@code getblockcount}: the height of the best chain's tip. */
    public long getBlockCount() throws IOException {
        JsonNode result = call("getblockcount");
        if (!result.canConvertToExactIntegral() || result.asLong() < 0) {
            throw unexpected("getblockcount", result, "a height");
        }
        return result.asLong();
    }

    /** {@code getblockhash height}: the hash of the best chain's block at {@code height}, display order. */
    public String getBlockHash(long height) throws IOException {
        if (height < 0) {
            throw new IOException("height " + height + " is negative");
        }
        return hash("getblockhash", call("getblockhash", height));
    }

    /**
     * {@code getblockheader hash false}: the raw 80-byte header, checked to hash to {@code blockHash}.
     *
     * @throws BitcoindRpcException -5 if the node has no such block
     */
    public BitcoinHeader getBlockHeader(String blockHash) throws IOException {
        checkHash(blockHash, "block hash");
        JsonNode result = call("getblockheader", blockHash, false);
        byte[] bytes = hex("getblockheader", result);
        BitcoinHeader header;
        try {
            header = BitcoinHeader.parse(bytes);
        } catch (RuntimeException e) {
            throw unexpected("getblockheader", result, "an 80-byte header (" + e.getMessage() + ")");
        }
        if (!Hex.encode(DoubleSha256.reverse(header.hash())).equals(blockHash)) {
            throw new IOException("bitcoind " + endpoint + ": getblockheader " + blockHash + " returned a header of another block");
        }
        return header;
    }

    /**
     * {@code getrawtransaction txid true}: whether the node knows the transaction and where it is. Error
     * -5 ("No such mempool or blockchain transaction") is {@link TransactionStatus#unknown()}. Against
     * bitcoind, transactions outside the mempool and the wallet are found only with {@code -txindex=1}.
     */
    public TransactionStatus getTransactionStatus(String txid) throws IOException {
        checkHash(txid, "txid");
        JsonNode result;
        try {
            result = call("getrawtransaction", txid, true);
        } catch (BitcoindRpcException e) {
            if (e.code() == BitcoindRpcException.INVALID_ADDRESS_OR_KEY) {
                return TransactionStatus.unknown();
            }
            throw e;
        }
        JsonNode blockHash = result.get("blockhash");
        JsonNode confirmations = result.get("confirmations");
        if (blockHash == null || confirmations == null || confirmations.asLong() <= 0) {
            // In a block of a side chain bitcoind shows confirmations 0: not confirmed in the best chain.
            return TransactionStatus.inMempool();
        }
        return TransactionStatus.confirmed(hash("getrawtransaction", blockHash), confirmations.asLong());
    }

    /**
     * {@code sendrawtransaction hex}: broadcasts a signed transaction. Already in the mempool and already
     * confirmed (-27, "Transaction outputs already in utxo set", formerly "Transaction already in block
     * chain") are typed outcomes, so re-sending after a crash is safe.
     *
     * @throws BitcoindRpcException if the node refuses it (-25, -26, -22 ...)
     */
    public BroadcastResult sendRawTransaction(BitcoinTransaction transaction) throws IOException {
        String txid = transaction.displayTxid();
        JsonNode result;
        try {
            result = call("sendrawtransaction", Hex.encode(transaction.toBytes()));
        } catch (BitcoindRpcException e) {
            String message = e.rpcMessage().toLowerCase(Locale.ROOT);
            if (message.contains("already in the mempool") || message.contains("txn-already-in-mempool")) {
                return new BroadcastResult(txid, BroadcastResult.Outcome.ALREADY_IN_MEMPOOL);
            }
            if (e.code() == BitcoindRpcException.VERIFY_ALREADY_IN_CHAIN) {
                return new BroadcastResult(txid, BroadcastResult.Outcome.ALREADY_CONFIRMED);
            }
            throw e;
        }
        if (!txid.equals(hash("sendrawtransaction", result))) {
            throw unexpected("sendrawtransaction", result, "the txid " + txid);
        }
        return new BroadcastResult(txid, BroadcastResult.Outcome.ACCEPTED);
    }

    /** {@code testmempoolaccept [hex...]}: whether the node would accept each transaction now, on its own. */
    public List<MempoolAcceptance> testMempoolAccept(List<BitcoinTransaction> transactions) throws IOException {
        ArrayNode raw = JSON.createArrayNode();
        transactions.forEach(t -> raw.add(Hex.encode(t.toBytes())));
        JsonNode result = call("testmempoolaccept", raw);
        if (!result.isArray() || result.size() != transactions.size()) {
            throw unexpected("testmempoolaccept", result, transactions.size() + " answers");
        }
        List<MempoolAcceptance> answers = new ArrayList<>(result.size());
        for (JsonNode answer : result) {
            JsonNode reason = answer.get("reject-reason");
            answers.add(new MempoolAcceptance(hash("testmempoolaccept", answer.path("txid")),
                    answer.path("allowed").asBoolean(false), reason == null ? null : reason.asText()));
        }
        return answers;
    }

    /**
     * {@code gettxoutproof [txid] blockHash}: the BIP 37 merkle block proving that the block holds the
     * transaction. {@code blockHash} may be {@code null}, then bitcoind needs the transaction unspent or
     * {@code -txindex=1}.
     *
     * @throws BitcoindRpcException -5 if the transaction is not (yet) in a block
     */
    public byte[] getTxOutProof(String txid, String blockHash) throws IOException {
        checkHash(txid, "txid");
        ArrayNode txids = JSON.createArrayNode().add(txid);
        JsonNode result;
        if (blockHash == null) {
            result = call("gettxoutproof", txids);
        } else {
            checkHash(blockHash, "block hash");
            result = call("gettxoutproof", txids, blockHash);
        }
        return hex("gettxoutproof", result);
    }

    /**
     * {@code estimatesmartfee confTarget}: the node's fee rate for confirmation within {@code confTarget}
     * blocks, or empty when it has none (bitcoind answers {@code errors} instead of {@code feerate}
     * without enough data, always so on regtest).
     */
    public Optional<FeeRate> estimateSmartFee(int confTarget) throws IOException {
        if (confTarget < 1 || confTarget > 1008) {
            throw new IllegalArgumentException("a confirmation target is 1..1008 blocks, was " + confTarget);
        }
        JsonNode feeRate = call("estimatesmartfee", (long) confTarget).get("feerate");
        if (feeRate == null || feeRate.isNull()) {
            return Optional.empty();
        }
        if (!feeRate.isNumber() || feeRate.decimalValue().signum() <= 0) {
            throw unexpected("estimatesmartfee", feeRate, "a fee rate in BTC/kvB");
        }
        return Optional.of(FeeRate.ofBtcPerKvb(feeRate.decimalValue()));
    }

    /**
     * Calls {@code method} with positional {@code params}: {@link Long}, {@link Integer}, {@link String},
     * {@link Boolean}, {@link BigDecimal} or any Jackson {@link JsonNode} (arrays, objects), and returns
     * the {@code result}.
     *
     * @throws BitcoindRpcException if the node answers with a JSON-RPC error
     * @throws IOException          on a transport failure, a timeout, or an HTTP error without a
     *                              JSON-RPC error
     */
    public JsonNode call(String method, Object... params) throws IOException {
        ObjectNode request = JSON.createObjectNode().put("jsonrpc", "1.0").put("id", "emrsb").put("method", method);
        ArrayNode array = request.putArray("params");
        for (Object p : params) {
            if (p instanceof Long || p instanceof Integer) {
                array.add(((Number) p).longValue());
            } else if (p instanceof String text) {
                array.add(text);
            } else if (p instanceof Boolean flag) {
                array.add(flag);
            } else if (p instanceof BigDecimal number) {
                array.add(number);
            } else if (p instanceof JsonNode node) {
                array.add(node);
            } else {
                throw new IllegalArgumentException("unsupported RPC parameter type "
                        + (p == null ? "null" : p.getClass().getName()));
            }
        }
        HttpRequest httpRequest = HttpRequest.newBuilder(endpoint.uri()).timeout(timeout)
                .header("Content-Type", "application/json").header("Authorization", endpoint.authorization())
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request))).build();
        HttpResponse<String> response = send(httpRequest);
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw new IOException("bitcoind " + endpoint + ": HTTP " + response.statusCode() + " (wrong RPC credentials?)");
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IOException("bitcoind " + endpoint + ": HTTP " + response.statusCode() + ", not a JSON-RPC response");
        }
        JsonNode error = body == null ? null : body.get("error");
        if (error != null && !error.isNull()) {
            if (error.path("code").canConvertToInt() && error.path("code").isIntegralNumber()) {
                throw new BitcoindRpcException(endpoint.toString(), method, error.get("code").intValue(),
                        error.path("message").asText(error.toString()));
            }
            throw new IOException("bitcoind " + endpoint + ": " + method + " failed: " + error);
        }
        if (response.statusCode() != 200 || body == null || !body.has("result")) {
            throw new IOException("bitcoind " + endpoint + ": HTTP " + response.statusCode() + " without a result");
        }
        return body.get("result");
    }

    /** Sends and waits at most the timeout for the whole response; the HTTP client's own timeout covers only the headers. */
    private HttpResponse<String> send(HttpRequest request) throws IOException {
        CompletableFuture<HttpResponse<String>> future = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new IOException("bitcoind " + endpoint + ": interrupted", e);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new IOException("bitcoind " + endpoint + ": no complete response within " + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            String why = cause == null || cause.getMessage() == null
                    ? "cannot connect (" + (cause == null ? e : cause).getClass().getSimpleName() + ")" : cause.getMessage();
            throw new IOException("bitcoind " + endpoint + ": " + why, cause == null ? e : cause);
        }
    }

    private String hash(String method, JsonNode result) throws IOException {
        if (!result.isTextual() || !HASH.matcher(result.textValue()).matches()) {
            throw unexpected(method, result, "a hash");
        }
        return result.textValue();
    }

    private byte[] hex(String method, JsonNode result) throws IOException {
        try {
            if (result.isTextual()) {
                return Hex.decode(result.textValue(), method + " result");
            }
        } catch (IllegalArgumentException e) {
            // fall through to the message below
        }
        throw unexpected(method, result, "lowercase hex");
    }

    private IOException unexpected(String method, JsonNode result, String expected) {
        String shown = result.toString();
        return new IOException("bitcoind " + endpoint + ": " + method + " returned "
                + (shown.length() > 200 ? shown.substring(0, 197) + "..." : shown) + ", not " + expected);
    }

    private static void checkHash(String hash, String what) {
        if (hash == null || !HASH.matcher(hash).matches()) {
            throw new IllegalArgumentException("a " + what + " is 64 lowercase hex characters (display order), was " + hash);
        }
    }
}
