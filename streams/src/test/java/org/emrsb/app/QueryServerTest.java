package org.emrsb.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.streams.state.HostInfo;
import org.emrsb.core.crypto.MemberKeys;
import org.emrsb.core.crypto.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The query endpoint's HTTP side on a real server, without a broker: query.listen, routing errors,
 * methods, and the 503 it answers while its instance has no ledger; and its client's failures.
 */
class QueryServerTest {

    private static final String ID = "ab".repeat(32);

    private final HttpClient http = HttpClient.newHttpClient();
    private QueryServer server;
    private URI root;

    @BeforeEach
    void start() throws IOException {
        HostInfo address = new HostInfo("127.0.0.1", freePort());
        server = QueryServer.start(address, () -> null,
                MemberKeys.generate(Role.AUTHORITY, new java.security.SecureRandom()).verifyingKey(), 6);
        root = server.uri();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void queryListenIsHostAndPortOrEmpty() {
        assertEquals(Optional.of(new HostInfo("127.0.0.1", 18090)), listen("127.0.0.1:18090"));
        assertEquals(Optional.of(new HostInfo("localhost", 1)), listen(" localhost:1 "));
        assertEquals(Optional.of(new HostInfo("::1", 18090)), listen("[::1]:18090"));
        assertEquals("[::1]:18090", QueryServer.applicationServer(listen("[::1]:18090").orElseThrow()));
        assertEquals(Optional.empty(), listen(""));
        for (String bad : new String[] {"18090", ":18090", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536", "host:port",
                "http://127.0.0.1:18090"}) {
            EmrsbConfig.ConfigException e = assertThrows(EmrsbConfig.ConfigException.class, () -> listen(bad), bad);
            assertTrue(e.getMessage().contains("is not host:port") && e.getMessage().contains("env EMRSB_QUERY_LISTEN"),
                    e.getMessage());
        }
        for (String wildcard : new String[] {"0.0.0.0:18090", "[::]:18090"}) {
            EmrsbConfig.ConfigException e = assertThrows(EmrsbConfig.ConfigException.class, () -> listen(wildcard));
            assertTrue(e.getMessage().contains("names a wildcard address"), e.getMessage());
        }
    }

    @Test
    void aPortInUseFailsClearly() {
        HostInfo taken = new HostInfo("127.0.0.1", URI.create(root.toString()).getPort());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> QueryServer.start(taken, () -> null,
                MemberKeys.generate(Role.AUTHORITY, new java.security.SecureRandom()).verifyingKey(), 6));
        assertTrue(e.getMessage().startsWith("query.listen 127.0.0.1:" + taken.port() + ": cannot listen"), e.getMessage());
    }

    @Test
    void withoutItsLedgerInstanceEveryRouteAnswers503WithRetryAfter() throws Exception {
        for (String path : new String[] {"/v1/transactions/" + ID, "/v1/proofs/" + ID, "/v1/patients/" + ID
                + "/transactions", "/v1/blocks/0/0"}) {
            HttpResponse<String> response = get(path);
            assertEquals(503, response.statusCode(), path);
            assertEquals("1", response.headers().firstValue("Retry-After").orElse(""));
            assertEquals("application/json; charset=utf-8", response.headers().firstValue("Content-Type").orElse(""));
            JsonNode body = QueryAnswer.JSON.readTree(response.body());
            assertEquals("unavailable", body.get("error").asText());
            assertTrue(body.get("message").asText().contains("has not joined the ledger group yet"), response.body());
        }
    }

    @Test
    void badPathsAreRefusedBeforeTheLedgerIsAsked() throws Exception {
        HttpResponse<String> none = get("/v1/nothing");
        assertEquals(404, none.statusCode());
        assertEquals("not-found", QueryAnswer.JSON.readTree(none.body()).get("error").asText());
        assertTrue(none.headers().firstValue("Retry-After").isEmpty());
        HttpResponse<String> bad = get("/v1/transactions/XYZ");
        assertEquals(400, bad.statusCode());
        assertEquals("{\"error\":\"bad-request\",\"message\":\"transaction id must be 64 lowercase hex characters, "
                + "got 'XYZ'\"}\n", bad.body());
    }

    @Test
    void onlyGetIsServed() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(root.resolve("/v1/transactions/" + ID))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, response.statusCode());
        assertEquals("GET", response.headers().firstValue("Allow").orElse(""));
        assertEquals("method-not-allowed", QueryAnswer.JSON.readTree(response.body()).get("error").asText());
    }

    @Test
    void theClientReportsTheEndpointsOwnMessageOrThatNothingAnswered() throws IOException {
        QueryClient.QueryFailure refused = assertThrows(QueryClient.QueryFailure.class,
                () -> new QueryClient(root).get("/v1/transactions/XYZ"));
        assertEquals(400, refused.status());
        assertTrue(refused.getMessage().endsWith("answered 400: transaction id must be 64 lowercase hex characters, "
                + "got 'XYZ'"), refused.getMessage());

        URI nobody = URI.create("http://127.0.0.1:" + freePort());
        QueryClient.QueryFailure unreachable = assertThrows(QueryClient.QueryFailure.class,
                () -> new QueryClient(nobody).transaction(ID));
        assertEquals(0, unreachable.status());
        assertTrue(unreachable.getMessage().startsWith("cannot reach the query endpoint " + nobody), unreachable.getMessage());
    }

    @Test
    void theClientsEndpointIsTheOptionElseQueryListen() {
        EmrsbConfig config = EmrsbConfig.load(null, Map.of("EMRSB_QUERY_LISTEN", "127.0.0.1:18123"), new Properties());
        assertEquals(URI.create("http://127.0.0.1:18123"), QueryClient.endpoint(null, config));
        assertEquals(URI.create("http://127.0.0.1:9"), QueryClient.endpoint("http://127.0.0.1:9/", config));
        for (String bad : new String[] {"127.0.0.1:9", "https://127.0.0.1:9", "http://127.0.0.1:9?x=1", "http:// x"}) {
            assertThrows(IllegalArgumentException.class, () -> QueryClient.endpoint(bad, config), bad);
        }
        EmrsbConfig none = EmrsbConfig.load(null, Map.of("EMRSB_QUERY_LISTEN", ""), new Properties());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QueryClient.endpoint(null, none));
        assertTrue(e.getMessage().contains("pass --endpoint"), e.getMessage());
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(root.resolve(path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static Optional<HostInfo> listen(String value) {
        return QueryServer.listenAddress(EmrsbConfig.load(null, Map.of("EMRSB_QUERY_LISTEN", value), new Properties()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
