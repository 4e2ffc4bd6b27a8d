package org.emrsb.core.ipfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.emrsb.core.ipfs.IpfsException.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The client against a scripted node on loopback: the requests it sends, and how every kind of answer
 * (Kubo's and js-ipfs' dialects, errors, truncation, silence) maps to a result or an {@link IpfsException}.
 */
class KuboClientTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final Cid HELLO = Cid.parse("bafkreide5semuafsnds3ugrvm6fbwuyw2ijpj43gwjdxemstjkfozi37hq");
    private static final byte[] HELLO_BYTES = "Hello world".getBytes(StandardCharsets.UTF_8);

    private FakeNode node;
    private KuboClient client;

    @BeforeEach
    void start() throws IOException {
        node = new FakeNode();
        client = new KuboClient(node.uri(), TIMEOUT, Duration.ofMillis(1500));
    }

    @AfterEach
    void stop() {
        client.close();
        node.close();
    }

    // ---------------------------------------------------------------------------------------------- add

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 11, UnixFs.CHUNK_SIZE, UnixFs.CHUNK_SIZE + 1, 3 * UnixFs.CHUNK_SIZE + 7})
    void addSendsTheParametersAndAcceptsKubosAnswer(int size) throws Exception {
        node.answer(r -> Answer.chunked(200, kuboAddAnswer(r)));
        byte[] data = TestData.pattern(size);
        CidResult result = client.add(data);
        assertEquals(UnixFs.cidOf(data), result);

        Request request = node.last();
        assertEquals("POST", request.method());
        assertEquals("/api/v0/add", request.path());
        assertEquals("cid-version=1&raw-leaves=true&chunker=size-262144&hash=sha2-256&pin=true&cid-base=base32"
                + "&trickle=false&inline=false", request.query());
        assertTrue(request.header("Content-Type").startsWith("multipart/form-data; boundary="));
        assertEquals(String.valueOf(request.body().length), request.header("Content-Length"));
        assertArrayEquals(data, request.filePart());
        assertTrue(new String(request.body(), StandardCharsets.ISO_8859_1)
                .contains("Content-Disposition: form-data; name=\"file\"; filename=\"blob\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n"));
        assertEquals(null, request.header("Origin"));
    }

    @Test
    void addAcceptsJsIpfsAnswersInBase58WithANumericSize() throws Exception {
        node.answer(r -> {
            UnixFs.Builder dag = dagOf(r.filePart());
            return Answer.chunked(200, "{\"Name\":\"blob\",\"Hash\":\"" + dag.finish().cid().toBase58() + "\",\"Size\":"
                    + dag.dagSize() + ",\"Mode\":\"0644\"}\n");
        });
        byte[] data = TestData.pattern(UnixFs.CHUNK_SIZE * 2 + 5);
        assertEquals(UnixFs.cidOf(data), client.add(data));
    }

    @Test
    void addStreamsExactlyTheAnnouncedLength() throws Exception {
        node.answer(r -> Answer.chunked(200, kuboAddAnswer(r)));
        byte[] data = TestData.pattern(700_001);
        CidResult result = client.add(TestData.jittery(data, 3), data.length);
        assertEquals(UnixFs.cidOf(data), result);
        assertArrayEquals(data, node.last().filePart());
        assertEquals(String.valueOf(node.last().body().length), node.last().header("Content-Length"));
    }

    @Test
    void addRefusesAStreamShorterOrLongerThanAnnouncedOrFailing() {
        node.answer(r -> Answer.chunked(200, kuboAddAnswer(r)));
        IllegalArgumentException shorter = assertThrows(IllegalArgumentException.class,
                () -> client.add(new ByteArrayInputStream(new byte[10]), 11));
        assertTrue(shorter.getMessage().contains("ended after 10 of the 11 bytes"), shorter.getMessage());
        IllegalArgumentException longer = assertThrows(IllegalArgumentException.class,
                () -> client.add(new ByteArrayInputStream(new byte[12]), 11));
        assertTrue(longer.getMessage().contains("more than the 11 bytes"), longer.getMessage());
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("disk on fire");
            }
        };
        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> client.add(failing, 5));
        assertTrue(e.getMessage().contains("disk on fire"));
        assertThrows(IllegalArgumentException.class, () -> client.add(new ByteArrayInputStream(new byte[0]), -1));
    }

    @Test
    void addRefusesAnotherCidThanTheLocalOne() {
        node.answer(r -> Answer.chunked(200, "{\"Name\":\"blob\",\"Hash\":\"" + HELLO + "\",\"Size\":\"11\"}\n"));
        IpfsException e = assertThrows(IpfsException.class, () -> client.add("hello world".getBytes(StandardCharsets.UTF_8)));
        assertEquals(Kind.PROTOCOL, e.kind());
        assertFalse(e.retryable());
        assertTrue(e.getMessage().contains(HELLO.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e"), e.getMessage());
    }

    @Test
    void addRefusesAnotherDagSize() {
        node.answer(r -> Answer.chunked(200, "{\"Name\":\"blob\",\"Hash\":\"" + HELLO + "\",\"Size\":\"12\"}\n"));
        IpfsException e = assertThrows(IpfsException.class, () -> client.add(HELLO_BYTES));
        assertEquals(Kind.PROTOCOL, e.kind());
        assertTrue(e.getMessage().contains("DAG size of 12"), e.getMessage());
    }

    @Test
    void addSkipsProgressLinesAndTakesTheLastEntryWithAHash() throws Exception {
        node.answer(r -> Answer.chunked(200, "{\"Name\":\"blob\",\"Bytes\":5}\n{\"Name\":\"blob\",\"Bytes\":11}\n"
                + "{\"Name\":\"x\",\"Hash\":\"bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e\",\"Size\":\"11\"}\n"
                + "{\"Name\":\"blob\",\"Hash\":\"" + HELLO + "\",\"Size\":\"11\"}\n"));
        assertEquals(new CidResult(HELLO, 11), client.add(HELLO_BYTES));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // cut in the middle of the root entry (what a stream error leaves before its trailer)
        "{\"Name\":\"blob\",\"Bytes\":11}\\n{\"Name\":\"blob\",\"Hash\":\"bafkrei | truncated or invalid",
        // progress only, no root entry
        "{\"Name\":\"blob\",\"Bytes\":11}\\n                                     | no entry with a Hash",
        "''                                                                    | no entry with a Hash",
        "<html>bad gateway</html>                                              | truncated or invalid",
        "[1,2]                                                                 | expected JSON objects",
        "{\"Name\":\"blob\",\"Hash\":\"QmNotACid\",\"Size\":\"11\"}            | unusable CID",
        "{\"Name\":\"blob\",\"Hash\":\"bafkreide5semuafsnds3ugrvm6fbwuyw2ijpj43gwjdxemstjkfozi37hq\",\"Size\":\"-1\"} | not a size",
        "{\"Name\":\"blob\",\"Hash\":\"bafkreide5semuafsnds3ugrvm6fbwuyw2ijpj43gwjdxemstjkfozi37hq\",\"Size\":1.5} | not a size",
        "{\"Name\":\"blob\",\"Hash\":\"bafkreide5semuafsnds3ugrvm6fbwuyw2ijpj43gwjdxemstjkfozi37hq\"}   | not a size",
    })
    void addAnswersWeCannotUnderstandAreProtocolErrors(String body, String reason) {
        node.answer(r -> Answer.chunked(200, body.replace("\\n", "\n")));
        IpfsException e = assertThrows(IpfsException.class, () -> client.add(HELLO_BYTES));
        assertEquals(Kind.PROTOCOL, e.kind(), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void anErrorObjectInA200AnswerIsRejected() {
        node.answer(r -> Answer.chunked(200, "{\"Name\":\"blob\",\"Bytes\":11}\n"
                + "{\"Message\":\"write /repo/blocks: no space left on device\",\"Code\":0,\"Type\":\"error\"}\n"));
        IpfsException e = assertThrows(IpfsException.class, () -> client.add(HELLO_BYTES));
        assertEquals(Kind.REJECTED, e.kind());
        assertTrue(e.getMessage().contains("no space left on device"));
    }

    @Test
    void aStreamErrorInTheTrailerIsSeenOnlyAsAMissingRootEntry() throws Exception {
        // Kubo's framing of a failure after the 200: chunked body, then the X-Stream-Error trailer.
        try (RawServer raw = new RawServer("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                + "Trailer: X-Stream-Error\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                + "1b\r\n{\"Name\":\"blob\",\"Bytes\":11}\n\r\n0\r\nX-Stream-Error: no space left on device\r\n\r\n");
             KuboClient c = new KuboClient(raw.uri(), TIMEOUT)) {
            IpfsException e = assertThrows(IpfsException.class, () -> c.add(HELLO_BYTES));
            assertEquals(Kind.PROTOCOL, e.kind());
            assertTrue(e.getMessage().contains("X-Stream-Error"), e.getMessage());
        }
    }

    @Test
    void anAnswerCutShortByTheConnectionIsUnavailable() throws Exception {
        try (RawServer raw = new RawServer("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                + "Content-Length: 500\r\nConnection: close\r\n\r\n{\"Key\":\"bafk");
             KuboClient c = new KuboClient(raw.uri(), TIMEOUT)) {
            IpfsException e = assertThrows(IpfsException.class, () -> c.blockStat(HELLO));
            assertEquals(Kind.UNAVAILABLE, e.kind(), e.getMessage());
            assertTrue(e.retryable());
        }
    }

    // ------------------------------------------------------------------------------------------ lookups

    @Test
    void catSendsTheLookupTimeoutAndReturnsTheBytes() throws Exception {
        node.answer(r -> Answer.chunked(200, "Hello world"));
        assertArrayEquals(HELLO_BYTES, client.cat(HELLO, 11));
        assertEquals("/api/v0/cat", node.last().path());
        assertEquals("arg=" + HELLO + "&timeout=1500ms", node.last().query());
        assertArrayEquals(HELLO_BYTES, client.catVerified(HELLO, 1000));
    }

    @Test
    void catRefusesMoreThanMaxBytes() {
        node.answer(r -> Answer.chunked(200, "Hello world"));
        IpfsException e = assertThrows(IpfsException.class, () -> client.cat(HELLO, 10));
        assertEquals(Kind.PROTOCOL, e.kind());
        assertTrue(e.getMessage().contains("longer than the limit of 10 bytes"), e.getMessage());

        byte[] big = TestData.pattern(3_000_000);
        node.answer(r -> new Answer(200, "application/octet-stream", big, true));
        assertEquals(Kind.PROTOCOL, assertThrows(IpfsException.class, () -> client.cat(HELLO, 1_000_000)).kind());
        assertThrows(IllegalArgumentException.class, () -> client.cat(HELLO, -1));
    }

    @Test
    void catVerifiedRefusesBytesOfAnotherCid() {
        node.answer(r -> Answer.chunked(200, "Hello worl"));
        IpfsException e = assertThrows(IpfsException.class, () -> client.catVerified(HELLO, 100));
        assertEquals(Kind.PROTOCOL, e.kind());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Failed to cat file: request timed out",                                                 // js-ipfs, timeout=
        "block was not found locally (offline): ipld: could not find " + "bafkreide5semuafsnds3ugrvm6fbwuyw2ijpj43gwjdxemstjkfozi37hq", // Kubo --offline
        "context deadline exceeded",                                                             // Kubo online, timeout=
        "failed to fetch: merkledag: not found",
    })
    void aNodeThatHasNotGotTheCidAnswersNotFound(String message) {
        node.answer(r -> Answer.json(500, "{\"Message\":\"" + message + "\",\"Code\":0,\"Type\":\"error\"}"));
        for (Executable call : List.<Executable>of(() -> client.cat(HELLO, 100), () -> client.blockStat(HELLO),
                () -> client.pinAdd(HELLO))) {
            IpfsException e = assertThrows(IpfsException.class, call::run);
            assertEquals(Kind.NOT_FOUND, e.kind(), e.getMessage());
            assertFalse(e.retryable());
        }
    }

    @Test
    void notFoundIsOnlyForCallsThatLookACidUp() {
        node.answer(r -> Answer.json(500, "{\"Message\":\"request timed out\",\"Code\":0,\"Type\":\"error\"}"));
        assertEquals(Kind.REJECTED, assertThrows(IpfsException.class, () -> client.add(HELLO_BYTES)).kind());
        assertEquals(Kind.REJECTED, assertThrows(IpfsException.class, () -> client.id()).kind());
    }

    @Test
    void blockStatInBothDialects() throws Exception {
        node.answer(r -> Answer.json(200, "{\"Key\":\"" + HELLO.toBase58() + "\",\"Size\":11}"));
        assertEquals(new BlockStat(HELLO, 11), client.blockStat(HELLO));
        node.answer(r -> Answer.json(200, "{\"Key\":\"" + HELLO + "\",\"Size\":\"11\"}"));
        assertEquals(new BlockStat(HELLO, 11), client.blockStat(HELLO));
        assertEquals("/api/v0/block/stat", node.last().path());
        assertEquals("arg=" + HELLO + "&timeout=1500ms", node.last().query());

        node.answer(r -> Answer.json(200, "{\"Key\":\"bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e\","
                + "\"Size\":11}"));
        assertEquals(Kind.PROTOCOL, assertThrows(IpfsException.class, () -> client.blockStat(HELLO)).kind());
        node.answer(r -> Answer.json(200, "{\"Key\":\"" + HELLO + "\"}"));
        assertEquals(Kind.PROTOCOL, assertThrows(IpfsException.class, () -> client.blockStat(HELLO)).kind());
    }

    @Test
    void pinAddChecksThatTheCidIsListed() throws Exception {
        node.answer(r -> Answer.json(200, "{\"Pins\":[\"" + HELLO.toBase58() + "\"]}"));
        client.pinAdd(HELLO);
        assertEquals("/api/v0/pin/add", node.last().path());
        assertEquals("arg=" + HELLO + "&timeout=1500ms&recursive=true", node.last().query());
        node.answer(r -> Answer.json(200, "{\"Pins\":[\"" + HELLO + "\"],\"Progress\":1}"));
        client.pinAdd(HELLO);
        node.answer(r -> Answer.json(200, "{\"Pins\":[]}"));
        assertEquals(Kind.PROTOCOL, assertThrows(IpfsException.class, () -> client.pinAdd(HELLO)).kind());
    }

    @Test
    void id() throws Exception {
        node.answer(r -> Answer.json(200, "{\"ID\":\"12D3KooWDZF1\",\"PublicKey\":\"x\",\"Addresses\":[],"
                + "\"AgentVersion\":\"kubo/0.43.1/\",\"ProtocolVersion\":\"ipfs/0.1.0\"}"));
        assertEquals(new NodeId("12D3KooWDZF1", "kubo/0.43.1/"), client.id());
        assertEquals("/api/v0/id", node.last().path());
        assertEquals("POST", node.last().method());
        node.answer(r -> Answer.json(200, "{\"ID\":\"12D3KooWDZF1\"}"));
        assertEquals(Kind.PROTOCOL, assertThrows(IpfsException.class, () -> client.id()).kind());
    }

    // ------------------------------------------------------------------------------------ error mapping

    @ParameterizedTest(name = "HTTP {0} {2} -> {3}")
    @CsvSource(delimiter = '|', value = {
        "503 | application/json | {\"Message\":\"starting\",\"Code\":0,\"Type\":\"error\"}  | UNAVAILABLE",
        "502 | text/html        | <html>bad gateway</html>                                  | UNAVAILABLE",
        "504 | text/plain       | gateway timeout                                           | UNAVAILABLE",
        "429 | text/plain       | slow down                                                 | UNAVAILABLE",
        "500 | text/plain       | internal error                                            | UNAVAILABLE",
        "500 | application/json | {\"Message\":\"invalid path\",\"Code\":0,\"Type\":\"error\"} | REJECTED",
        "400 | application/json | {\"Message\":\"Invalid request query input\",\"Code\":1,\"Type\":\"error\"} | REJECTED",
        "404 | application/json | {\"Message\":\"Not Found\",\"Code\":3,\"Type\":\"error\"}  | REJECTED",
        "403 | text/plain       | 403 - Forbidden                                           | REJECTED",
        "405 | text/plain       | Method Not Allowed                                        | REJECTED",
        "301 | text/plain       | moved                                                     | PROTOCOL",
    })
    void statusMapping(int status, String type, String body, Kind kind) {
        node.answer(r -> new Answer(status, type, body.getBytes(StandardCharsets.UTF_8), false));
        IpfsException e = assertThrows(IpfsException.class, () -> client.cat(HELLO, 100));
        assertEquals(kind, e.kind(), e.getMessage());
        assertEquals(kind == Kind.UNAVAILABLE, e.retryable());
        assertTrue(e.getMessage().contains("HTTP " + status), e.getMessage());
    }

    @Test
    void aNodeThatNeverAnswersIsUnavailable() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        node.answer(r -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Answer.json(200, "{}");
        });
        try (KuboClient impatient = new KuboClient(node.uri(), Duration.ofMillis(300), Duration.ofMillis(100))) {
            IpfsException e = assertThrows(IpfsException.class, impatient::id);
            assertEquals(Kind.UNAVAILABLE, e.kind(), e.getMessage());
            assertTrue(e.retryable());
            IpfsException upload = assertThrows(IpfsException.class, () -> impatient.add(new byte[300_000]));
            assertEquals(Kind.UNAVAILABLE, upload.kind(), upload.getMessage());
        } finally {
            never.countDown();
        }
    }

    @Test
    void aClosedPortIsUnavailable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        try (KuboClient c = new KuboClient(URI.create("http://127.0.0.1:" + port), Duration.ofSeconds(5))) {
            IpfsException e = assertThrows(IpfsException.class, c::id);
            assertEquals(Kind.UNAVAILABLE, e.kind());
            assertTrue(e.retryable());
            assertTrue(e.getMessage().contains("cannot connect"), e.getMessage());
            assertEquals(Kind.UNAVAILABLE, assertThrows(IpfsException.class, () -> c.add(HELLO_BYTES)).kind());
        }
    }

    // ---------------------------------------------------------------------------------------- settings

    @Test
    void apiAddressesAreNormalised() {
        for (String api : new String[] {"http://127.0.0.1:15001", "http://127.0.0.1:15001/", "http://127.0.0.1:15001/api/v0",
                "http://127.0.0.1:15001/api/v0/"}) {
            try (KuboClient c = new KuboClient(URI.create(api), TIMEOUT)) {
                assertEquals(URI.create("http://127.0.0.1:15001/api/v0/"), c.api());
            }
        }
        for (String api : new String[] {"ftp://127.0.0.1:15001", "http://127.0.0.1:15001/?x=1", "/api/v0"}) {
            assertThrows(IllegalArgumentException.class, () -> new KuboClient(URI.create(api), TIMEOUT), api);
        }
        URI u = URI.create("http://127.0.0.1:1");
        assertThrows(IllegalArgumentException.class, () -> new KuboClient(u, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new KuboClient(u, TIMEOUT, TIMEOUT));
        assertThrows(IllegalArgumentException.class, () -> new KuboClient(u, TIMEOUT, Duration.ofNanos(10)));
    }

    @Test
    void aClosedClientRefusesCalls() {
        client.close();
        assertThrows(IllegalStateException.class, () -> client.id());
    }

    // ---------------------------------------------------------------------------------------- fixtures

    @FunctionalInterface
    interface Executable {
        void run() throws Exception;
    }

    private static UnixFs.Builder dagOf(byte[] data) {
        UnixFs.Builder dag = UnixFs.builder();
        dag.write(data, 0, data.length);
        dag.finish();
        return dag;
    }

    /** Kubo's add answer for the uploaded file: a progress line, then the root with Size as a string. */
    private static String kuboAddAnswer(Request r) {
        byte[] file = r.filePart();
        UnixFs.Builder dag = dagOf(file);
        return "{\"Name\":\"blob\",\"Bytes\":" + file.length + "}\n{\"Name\":\"blob\",\"Hash\":\"" + dag.finish().cid()
                + "\",\"Size\":\"" + dag.dagSize() + "\"}\n";
    }

    record Request(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }

        /** The content of the multipart body's single part. */
        byte[] filePart() {
            String type = header("Content-Type");
            String boundary = type.substring(type.indexOf("boundary=") + "boundary=".length());
            String text = new String(body, StandardCharsets.ISO_8859_1);
            int start = text.indexOf("\r\n\r\n") + 4;
            int end = text.lastIndexOf("\r\n--" + boundary + "--\r\n");
            assertTrue(text.startsWith("--" + boundary + "\r\n"));
            assertTrue(start >= 4 && end >= start, "a multipart body");
            return Arrays.copyOfRange(body, start, end);
        }
    }

    record Answer(int status, String contentType, byte[] body, boolean chunked) {
        static Answer chunked(int status, String body) {
            return new Answer(status, "application/json; charset=utf-8", body.getBytes(StandardCharsets.UTF_8), true);
        }

        static Answer json(int status, String body) {
            return new Answer(status, "application/json; charset=utf-8", body.getBytes(StandardCharsets.UTF_8), false);
        }
    }

    /** A scripted node on a loopback port: records each request and answers with the current script. */
    static final class FakeNode implements AutoCloseable {
        private final HttpServer server;
        private final ExecutorService executor = Executors.newCachedThreadPool();
        private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
        private volatile Function<Request, Answer> script = r -> Answer.json(404, "{\"Message\":\"Not Found\"}");

        FakeNode() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", this::handle);
            server.setExecutor(executor);
            server.start();
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        void answer(Function<Request, Answer> script) {
            this.script = script;
        }

        Request last() {
            return requests.get(requests.size() - 1);
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                        exchange.getRequestURI().getRawQuery(), Map.copyOf(exchange.getRequestHeaders()), body);
                requests.add(request);
                Answer answer = script.apply(request);
                exchange.getResponseHeaders().set("Content-Type", answer.contentType());
                exchange.sendResponseHeaders(answer.status(), answer.chunked() ? 0 : answer.body().length == 0 ? -1
                        : answer.body().length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer.body());
                }
            } catch (IOException | RuntimeException e) {
                // the client went away (a refused upload, a timeout): nothing to answer
            }
        }

        @Override
        public void close() {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    /** One connection, one canned raw HTTP answer after the request was read: framing HttpServer cannot make. */
    static final class RawServer implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        private final Thread thread;

        RawServer(String answer) throws IOException {
            thread = new Thread(() -> {
                try (Socket s = socket.accept()) {
                    InputStream in = s.getInputStream();
                    String head = readHead(in);
                    long length = 0;
                    for (String line : head.split("\r\n")) {
                        if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                            length = Long.parseLong(line.substring(15).trim());
                        }
                    }
                    in.readNBytes((int) length);
                    s.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
                    s.getOutputStream().flush();
                } catch (IOException e) {
                    // closed
                }
            }, "raw-server");
            thread.setDaemon(true);
            thread.start();
        }

        private static String readHead(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    break;
                }
                head.append((char) c);
            }
            return head.toString();
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
