package org.emrsb.regtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node as the stack's fourth server: {@code ops/stack up bitcoin} with its own EMRSB_HOME and a
 * free port, status, RPC, {@code down} and {@code up} again with chain and wallet kept. Touches no
 * other server (every stack command is limited to {@code bitcoin}).
 */
class BitcoinStackIT {

    @TempDir
    Path home;

    @Test
    void upStatusRestartDown() throws Exception {
        Path repo = Path.of(System.getProperty("emrsb.repo.root", "../../.."));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Map<String, String> env = Map.of("EMRSB_HOME", home.toString(), "EMRSB_BITCOIN_PORT", Integer.toString(port),
                "EMRSB_BITCOIN_RPCUSER", "it", "EMRSB_BITCOIN_RPCPASSWORD", "secret");
        try {
            assertEquals(0, stack(repo, env, "up", "bitcoin"));
            assertEquals(0, stack(repo, env, "status", "bitcoin"));
            String status = Files.readString(home.resolve("status.out"));
            assertTrue(status.matches("(?s)bitcoin running pid=\\d+ http://127\\.0\\.0\\.1:" + port + "\\s*"), status);
            assertEquals(101, rpc(port, "getblockcount").asInt());
            String address = rpc(port, "getnewaddress").asText();
            rpc(port, "generatetoaddress", "3", '"' + address + '"');

            assertEquals(0, stack(repo, env, "down", "bitcoin"));
            assertEquals(1, stack(repo, env, "status", "bitcoin"));
            assertEquals(0, stack(repo, env, "up", "bitcoin"));
            assertEquals(104, rpc(port, "getblockcount").asInt(), "the chain survives a restart");
            assertTrue(Files.readString(home.resolve("logs/bitcoin.log")).contains("re-validated 104 blocks"));
        } finally {
            stack(repo, env, "down", "bitcoin");
        }
    }

    private int stack(Path repo, Map<String, String> env, String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = repo.resolve("ops/stack").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(false)
                .redirectOutput(home.resolve(args[0] + ".out").toFile())
                .redirectError(home.resolve(args[0] + ".err").toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ops/stack " + String.join(" ", args) + " timed out");
        }
        return p.exitValue();
    }

    private static JsonNode rpc(int port, String method, String... params) throws Exception {
        String body = "{\"jsonrpc\":\"1.0\",\"id\":\"it\",\"method\":\"" + method + "\",\"params\":["
                + String.join(",", params) + "]}";
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("it:secret".getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return RpcServer.JSON.readTree(response.body()).get("result");
    }
}
