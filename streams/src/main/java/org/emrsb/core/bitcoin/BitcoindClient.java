package org.emrsb.core.bitcoin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A minimal bitcoind JSON-RPC client (JSON-RPC 1.0 over HTTP, Basic authentication), enough to ask
 * {@code getblockhash}. Every request has a timeout; nothing is retried.
 */
public final class BitcoindClient implements BlockHashLookup {

    private static final JsonMapper JSON = JsonMapper.builder().build();
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
        if (height < 0) {
            throw new IOException("height " + height + " is negative");
        }
        JsonNode result = call("getblockhash", height);
        if (!result.isTextual() || !HASH.matcher(result.textValue()).matches()) {
            throw new IOException("bitcoind " + endpoint + ": getblockhash returned " + result + ", not a block hash");
        }
        return result.textValue();
    }

    /**
     * Calls {@code method} with {@code params} and returns the {@code result}.
     *
     * @throws IOException on a transport failure, a timeout, an HTTP error without a JSON-RPC error, or
     *                     an error in the response
     */
    public JsonNode call(String method, Object... params) throws IOException {
        ObjectNode request = JSON.createObjectNode().put("jsonrpc", "1.0").put("id", "emrsb").put("method", method);
        var array = request.putArray("params");
        for (Object p : params) {
            if (p instanceof Long || p instanceof Integer) {
                array.add(((Number) p).longValue());
            } else if (p instanceof String text) {
                array.add(text);
            } else if (p instanceof Boolean flag) {
                array.add(flag);
            } else {
                throw new IllegalArgumentException("unsupported RPC parameter type " + p.getClass().getName());
            }
        }
        HttpRequest httpRequest = HttpRequest.newBuilder(endpoint.uri()).timeout(timeout)
                .header("Content-Type", "application/json").header("Authorization", endpoint.authorization())
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request))).build();
        HttpResponse<String> response;
        try {
            response = http.send(httpRequest, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("bitcoind " + endpoint + ": interrupted", e);
        } catch (IOException e) {
            String why = e.getMessage() == null ? "cannot connect (" + e.getClass().getSimpleName() + ")" : e.getMessage();
            throw new IOException("bitcoind " + endpoint + ": " + why, e);
        }
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
            throw new IOException("bitcoind " + endpoint + ": " + method + " failed: " + error);
        }
        if (response.statusCode() != 200 || body == null || !body.has("result")) {
            throw new IOException("bitcoind " + endpoint + ": HTTP " + response.statusCode() + " without a result");
        }
        return body.get("result");
    }
}
