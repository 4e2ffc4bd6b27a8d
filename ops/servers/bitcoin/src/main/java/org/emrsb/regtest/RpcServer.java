package org.emrsb.regtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * bitcoind's HTTP JSON-RPC transport (Bitcoin Core 28.x, {@code doc/JSON-RPC-interface.md} and
 * {@code src/httprpc.cpp}) in front of {@link RpcMethods}, on the JDK's HTTP server.
 *
 * <ul>
 *   <li>POST to {@code /} (or {@code /wallet/NAME}, treated alike: one wallet) with HTTP Basic
 *       {@code rpcuser:rpcpassword}; a missing or wrong password gets 401 with
 *       {@code WWW-Authenticate: Basic realm="jsonrpc"} and no body; other verbs 405.</li>
 *   <li>JSON-RPC 1.0 requests (no {@code jsonrpc} member or {@code "1.0"}) are answered with
 *       {@code {"result", "error", "id"}}, both members present; an error's HTTP status is 404 for
 *       -32601, 400 for -32600, 500 otherwise.</li>
 *   <li>JSON-RPC 2.0 requests ({@code "jsonrpc": "2.0"}) are answered with {@code result} or
 *       {@code error}, never both, and always HTTP 200; a notification (no {@code id}) gets 204.</li>
 *   <li>A batch (a JSON array) is answered with an array, HTTP 200. Unparseable JSON: -32700, 500.</li>
 * </ul>
 */
public final class RpcServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RpcServer.class);
    /** Amounts stay exact: JSON decimals are read as BigDecimal and written with their 8 decimals. */
    static final JsonMapper JSON = JsonMapper.builder()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true)).build();
    private static final int MAX_BODY = 32 * 1024 * 1024;

    private final HttpServer http;
    private final ExecutorService executor;
    private final RpcMethods methods;
    private final byte[] expectedAuthorization;

    /** Binds {@code host:port} (port 0: any free one) and starts serving. */
    public RpcServer(String host, int port, String user, String password, RpcMethods methods) throws IOException {
        this.methods = methods;
        this.expectedAuthorization = ("Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8))).getBytes(StandardCharsets.UTF_8);
        this.http = HttpServer.create(new InetSocketAddress(host, port), 64);
        // One thread: calls are short and the node is one chain; bitcoind's -rpcthreads default is 4.
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "rpc");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(executor);
        http.createContext("/", this::handle);
        http.start();
    }

    public int port() {
        return http.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!authorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"jsonrpc\"");
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readNBytes(MAX_BODY);
            }
            Reply reply = dispatch(body);
            if (reply.body() == null) {
                exchange.sendResponseHeaders(reply.status(), -1);
                return;
            }
            byte[] out = (JSON.writeValueAsString(reply.body()) + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.status(), out.length);
            exchange.getResponseBody().write(out);
        } catch (RuntimeException e) {
            LOG.error("RPC handler failed", e);
        }
    }

    private boolean authorized(String header) {
        return header != null && MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8), expectedAuthorization);
    }

    /** An HTTP status and a JSON body (null: none). */
    record Reply(int status, JsonNode body) {
    }

    Reply dispatch(byte[] body) {
        JsonNode request;
        try {
            request = JSON.readTree(body);
        } catch (IOException e) {
            request = null;
        }
        if (request == null || !(request.isObject() || request.isArray())) {
            if (request != null) {
                return new Reply(400, error1(null, NodeException.INVALID_REQUEST, "Top-level object parse error"));
            }
            return new Reply(500, error1(null, NodeException.PARSE_ERROR, "Parse error"));
        }
        if (request.isArray()) {
            ArrayNode replies = JSON.createArrayNode();
            for (JsonNode one : request) {
                JsonNode r = single(one).body();
                if (r != null) {
                    replies.add(r);
                }
            }
            return new Reply(200, replies);
        }
        return single(request);
    }

    private Reply single(JsonNode request) {
        if (!request.isObject()) {
            return new Reply(400, error1(null, NodeException.INVALID_REQUEST, "Invalid Request object"));
        }
        JsonNode id = request.has("id") ? request.get("id") : null;
        JsonNode version = request.get("jsonrpc");
        boolean v2 = version != null && "2.0".equals(version.asText());
        if (version != null && !v2 && !"1.0".equals(version.asText())) {
            return new Reply(400, error1(id, NodeException.INVALID_REQUEST, "JSON-RPC version not supported"));
        }
        JsonNode method = request.get("method");
        if (method == null || !method.isTextual()) {
            return v2 ? new Reply(200, error2(id, NodeException.INVALID_REQUEST, "Method must be a string"))
                    : new Reply(400, error1(id, NodeException.INVALID_REQUEST, "Method must be a string"));
        }
        JsonNode params = request.get("params");
        if (params != null && !params.isNull() && !params.isArray() && !params.isObject()) {
            return v2 ? new Reply(200, error2(id, NodeException.INVALID_REQUEST, "Params must be an array or object"))
                    : new Reply(400, error1(id, NodeException.INVALID_REQUEST, "Params must be an array or object"));
        }
        try {
            JsonNode result = methods.call(method.textValue(), params);
            if (v2) {
                if (id == null) {
                    return new Reply(204, null);
                }
                ObjectNode reply = JSON.createObjectNode().put("jsonrpc", "2.0");
                reply.set("result", result);
                reply.set("id", id);
                return new Reply(200, reply);
            }
            ObjectNode reply = JSON.createObjectNode();
            reply.set("result", result);
            reply.putNull("error");
            reply.set("id", id == null ? JSON.nullNode() : id);
            return new Reply(200, reply);
        } catch (NodeException e) {
            if (v2) {
                return id == null ? new Reply(204, null) : new Reply(200, error2(id, e.code(), e.getMessage()));
            }
            int status = e.code() == NodeException.METHOD_NOT_FOUND ? 404
                    : e.code() == NodeException.INVALID_REQUEST ? 400 : 500;
            return new Reply(status, error1(id, e.code(), e.getMessage()));
        } catch (RuntimeException e) {
            LOG.error("{} failed", method.textValue(), e);
            String message = "internal error: " + e;
            return v2 ? new Reply(200, error2(id, NodeException.MISC_ERROR, message))
                    : new Reply(500, error1(id, NodeException.MISC_ERROR, message));
        }
    }

    private static ObjectNode error1(JsonNode id, int code, String message) {
        ObjectNode reply = JSON.createObjectNode();
        reply.putNull("result");
        reply.putObject("error").put("code", code).put("message", message);
        reply.set("id", id == null ? JSON.nullNode() : id);
        return reply;
    }

    private static ObjectNode error2(JsonNode id, int code, String message) {
        ObjectNode reply = JSON.createObjectNode().put("jsonrpc", "2.0");
        reply.putObject("error").put("code", code).put("message", message);
        reply.set("id", id == null ? JSON.nullNode() : id);
        return reply;
    }

    @Override
    public void close() {
        http.stop(0);
        executor.shutdownNow();
    }
}
