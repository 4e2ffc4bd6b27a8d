package org.emrsb.core.ipfs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.emrsb.core.ipfs.IpfsException.Kind;

/**
 * A client of the Kubo RPC API ({@code /api/v0}), which js-ipfs also serves, on {@code java.net.http}.
 *
 * <p>Every call is a POST (the API refuses GET with 405) and has a time limit: the whole exchange, body
 * included, must finish within the client's {@code timeout}, or the call fails {@link Kind#UNAVAILABLE}.
 * Calls that look a CID up ({@link #cat}, {@link #pinAdd}, {@link #blockStat}) also send the API's own
 * {@code timeout=} option with the shorter {@code lookupTimeout}, so that a node that does not have the
 * CID (an offline node would otherwise search forever) answers "request timed out" first, which is
 * {@link Kind#NOT_FOUND}. Errors map to {@link IpfsException.Kind} as documented in docs/ipfs.md.
 *
 * <p>{@link #add} sends the DAG parameters explicitly (never the node's defaults, which differ between
 * Kubo versions and profiles), computes the same CID locally while the bytes go out, and returns only
 * when the node's CID is the local one, byte for byte, with the same DAG size. CIDs in answers are
 * parsed in any base (js-ipfs answers base58 in places) and compared as bytes.
 *
 * <p>Limitation: a node that fails in the middle of a streamed answer reports the error in the HTTP
 * trailer {@code X-Stream-Error}, which {@code java.net.http} cannot read. An add answer without its
 * root entry, or with an unparseable line, is therefore {@link Kind#PROTOCOL}; a {@code cat} body cut
 * short looks complete, so readers must check the CID of what they read ({@link #catVerified}).
 *
 * <p>Thread-safe; one instance per node is meant to be shared. {@link #close()} stops its threads.
 */
public final class KuboClient implements AutoCloseable {

    /** The add options always sent: the DAG UnixFs computes, pinned, CIDs printed in base32. */
    static final String ADD_QUERY = "cid-version=1&raw-leaves=true&chunker=size-" + UnixFs.CHUNK_SIZE
            + "&hash=sha2-256&pin=true&cid-base=base32&trickle=false&inline=false";

    /** Limit on JSON answers (add, pin/add, block/stat, id); they are a few hundred bytes. */
    private static final int MAX_JSON = 1 << 20;
    /** Limit on error bodies kept for the message. */
    private static final int MAX_ERROR_BODY = 64 * 1024;
    /** Longest answer a byte array can hold. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 16;

    /** Error messages of a node that does not have a CID (js-ipfs, Kubo offline and online). */
    private static final List<String> NOT_FOUND_MESSAGES = List.of("request timed out", "context deadline exceeded",
            "not found locally", "could not find", "block was not found", "merkledag: not found",
            "blockservice: key not found", "blockstore: block not found");

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectReader VALUES = MAPPER.readerFor(JsonNode.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final URI base;
    private final Duration timeout;
    private final Duration lookupTimeout;
    private final ExecutorService executor;
    private final HttpClient http;
    private volatile boolean closed;

    /**
     * A client with a lookup time limit of half of {@code timeout}.
     *
     * @param api     the node's API address, {@code http://127.0.0.1:15001} ({@code /api/v0} is appended
     *                unless already there)
     * @param timeout the time limit of each call, answer included (an add of N MiB needs about
     *                N / 50 seconds on the local js-ipfs node; give large uploads their own limit with
     *                {@link #add(InputStream, long, Duration)})
     */
    public KuboClient(URI api, Duration timeout) {
        this(api, timeout, checkPositive(timeout, "timeout").dividedBy(2));
    }

    /**
     * @param lookupTimeout the API's {@code timeout=} for calls that look a CID up: after it, an unknown
     *                      CID is {@link Kind#NOT_FOUND}; must be shorter than {@code timeout} so that the
     *                      node's answer comes before the call's own limit
     */
    public KuboClient(URI api, Duration timeout, Duration lookupTimeout) {
        this.base = apiBase(Objects.requireNonNull(api, "api"));
        this.timeout = checkPositive(timeout, "timeout");
        this.lookupTimeout = checkPositive(lookupTimeout, "lookupTimeout");
        if (lookupTimeout.toMillis() < 1 || lookupTimeout.compareTo(timeout) >= 0) {
            throw new IllegalArgumentException("lookupTimeout must be at least 1 ms and shorter than timeout ("
                    + lookupTimeout + " vs " + timeout + ")");
        }
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "kubo-client-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout)
                .executor(executor)
                .build();
    }

    private static Duration checkPositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
        return d;
    }

    private static URI apiBase(URI api) {
        String scheme = api.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("the IPFS API must be an http(s) URL: " + api);
        }
        if (api.getRawQuery() != null || api.getRawFragment() != null || api.getHost() == null) {
            throw new IllegalArgumentException("the IPFS API must be scheme://host:port[/api/v0]: " + api);
        }
        String path = api.getRawPath() == null ? "" : api.getRawPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        if (!path.endsWith("/api/v0")) {
            path = path + "/api/v0";
        }
        return URI.create(scheme.toLowerCase(Locale.ROOT) + "://" + api.getRawAuthority() + path + "/");
    }

    /** The API base this client calls, ending in {@code /api/v0/}. */
    public URI api() {
        return base;
    }

    // ---------------------------------------------------------------------------------------------- add

    /**
     * Adds and pins {@code data} as a file; see {@link #add(InputStream, long, Duration)}.
     */
    public CidResult add(byte[] data) throws IpfsException {
        Objects.requireNonNull(data, "data");
        return add(new ByteArrayInputStream(data), data.length, timeout);
    }

    /** Adds and pins exactly {@code length} bytes read from {@code data}, within the client's timeout. */
    public CidResult add(InputStream data, long length) throws IpfsException {
        return add(data, length, timeout);
    }

    /**
     * Adds and pins exactly {@code length} bytes read from {@code data} (streamed as multipart with a
     * fixed Content-Length; {@code data} is not closed), computing their CID locally on the way. Returns
     * the CID only if the node's answer is the same CID, as bytes, with the same DAG size; the size
     * returned is the file's length.
     *
     * @param callTimeout the time limit of this call, upload and answer included
     * @throws IpfsException            {@link Kind#PROTOCOL} if the node's CID or size differ from the
     *                                  local ones (its add parameters are not the ones sent) or its answer
     *                                  has no root entry; otherwise as documented for the kinds
     * @throws IllegalArgumentException if {@code data} does not hold exactly {@code length} bytes
     * @throws UncheckedIOException     if reading {@code data} fails
     */
    public CidResult add(InputStream data, long length, Duration callTimeout) throws IpfsException {
        Objects.requireNonNull(data, "data");
        checkPositive(callTimeout, "callTimeout");
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
        String boundary = "emrsb-" + HexFormat.of().formatHex(randomBytes(16));
        byte[] head = ("--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"blob\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        UploadStream upload = new UploadStream(data, length);
        BodyPublisher body = fixedLength(BodyPublishers.concat(BodyPublishers.ofByteArray(head),
                BodyPublishers.ofInputStream(upload::once), BodyPublishers.ofByteArray(tail)),
                head.length + length + tail.length);

        Exchange answer;
        try {
            answer = post("add", ADD_QUERY, body, "multipart/form-data; boundary=" + boundary, MAX_JSON, callTimeout,
                    null);
        } catch (IpfsException e) {
            upload.rethrowSourceFailure();
            throw e;
        }
        upload.rethrowSourceFailure();
        if (!upload.complete()) {
            throw new IpfsException(Kind.PROTOCOL, "the node answered the add before reading all " + length
                    + " bytes (" + upload.sent + " read)");
        }
        CidResult local = upload.builder.finish();

        JsonNode root = null;
        for (JsonNode entry : jsonValues("add", answer.body)) {
            stopIfError("add", entry);
            if (entry.has("Hash")) {
                root = entry;
            }
        }
        if (root == null) {
            throw new IpfsException(Kind.PROTOCOL, "the add answer has no entry with a Hash (a node that fails"
                    + " mid-stream reports the error in the X-Stream-Error trailer, which this client cannot read): "
                    + snippet(answer.body));
        }
        Cid cid = cidField("add", root, "Hash");
        long dagSize = sizeField("add", root, "Size");
        if (!cid.equals(local.cid())) {
            throw new IpfsException(Kind.PROTOCOL, "the node made " + cid + " of " + length + " bytes where "
                    + local.cid() + " was computed locally: it did not honour " + ADD_QUERY);
        }
        if (dagSize != upload.builder.dagSize()) {
            throw new IpfsException(Kind.PROTOCOL, "the node reports a DAG size of " + dagSize + " for " + cid
                    + ", computed locally: " + upload.builder.dagSize());
        }
        return local;
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /** A publisher that announces its length, so that the upload is sent with Content-Length. */
    private static BodyPublisher fixedLength(BodyPublisher inner, long length) {
        return new BodyPublisher() {
            @Override
            public long contentLength() {
                return length;
            }

            @Override
            public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
                inner.subscribe(subscriber);
            }
        };
    }

    /**
     * The caller's stream, read once, exactly {@code length} bytes, each byte also fed to the local
     * CID computation. A source that is short, long or failing is recorded, so that the caller gets that
     * failure and not the transport error it causes.
     */
    private static final class UploadStream extends InputStream {
        final UnixFs.Builder builder = UnixFs.builder();
        private final InputStream source;
        private final long length;
        volatile long sent;
        private boolean supplied;
        private volatile boolean atEnd;
        private volatile RuntimeException sourceFailure;

        UploadStream(InputStream source, long length) {
            this.source = source;
            this.length = length;
        }

        synchronized InputStream once() {
            if (supplied) {
                throw new IllegalStateException("an add's body cannot be sent twice");
            }
            supplied = true;
            return this;
        }

        boolean complete() {
            return atEnd;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (sent == length) {
                if (!atEnd) {
                    int extra = readSource(new byte[1], 0, 1);
                    if (extra >= 0) {
                        throw fail(new IllegalArgumentException("the stream holds more than the " + length
                                + " bytes announced"));
                    }
                    atEnd = true;
                }
                return -1;
            }
            int n = readSource(b, off, (int) Math.min(len, length - sent));
            if (n < 0) {
                throw fail(new IllegalArgumentException("the stream ended after " + sent + " of the " + length
                        + " bytes announced"));
            }
            builder.write(b, off, n);
            sent += n;
            return n;
        }

        private int readSource(byte[] b, int off, int len) throws IOException {
            try {
                return source.read(b, off, len);
            } catch (IOException e) {
                throw fail(new UncheckedIOException("reading the data to add failed: " + e.getMessage(), e));
            } catch (RuntimeException e) {
                throw fail(e);
            }
        }

        private IOException fail(RuntimeException e) {
            sourceFailure = e;
            return new IOException(e.getMessage(), e);
        }

        void rethrowSourceFailure() {
            RuntimeException e = sourceFailure;
            if (e != null) {
                throw e;
            }
        }
    }

    // ------------------------------------------------------------------------------------ cat, pin, stat

    /**
     * The file's bytes. Refuses ({@link Kind#PROTOCOL}) an answer longer than {@code maxBytes}, reading
     * no more than that. The bytes are not checked against the CID: see {@link #catVerified}.
     */
    public byte[] cat(Cid cid, long maxBytes) throws IpfsException {
        Objects.requireNonNull(cid, "cid");
        if (maxBytes < 0 || maxBytes > MAX_ARRAY) {
            throw new IllegalArgumentException("maxBytes must be in [0, " + MAX_ARRAY + "]: " + maxBytes);
        }
        return post("cat", lookupQuery(cid), BodyPublishers.noBody(), null, maxBytes, timeout, cid).body;
    }

    /**
     * {@link #cat} and then the CID of the bytes, computed locally with {@link UnixFs}: a body cut short
     * (a stream error the client cannot see) or a CID made with other DAG parameters is refused as
     * {@link Kind#PROTOCOL}.
     */
    public byte[] catVerified(Cid cid, long maxBytes) throws IpfsException {
        byte[] bytes = cat(cid, maxBytes);
        Cid computed = UnixFs.cidOf(bytes).cid();
        if (!computed.equals(cid)) {
            throw new IpfsException(Kind.PROTOCOL, "cat of " + cid + " returned " + bytes.length
                    + " bytes whose CID is " + computed);
        }
        return bytes;
    }

    /** Pins {@code cid} recursively (every block of its DAG must be available to the node). */
    public void pinAdd(Cid cid) throws IpfsException {
        Objects.requireNonNull(cid, "cid");
        Exchange answer = post("pin/add", lookupQuery(cid) + "&recursive=true", BodyPublishers.noBody(), null,
                MAX_JSON, timeout, cid);
        for (JsonNode entry : jsonValues("pin/add", answer.body)) {
            stopIfError("pin/add", entry);
            JsonNode pins = entry.get("Pins");
            if (pins != null && pins.isArray()) {
                for (JsonNode pin : pins) {
                    if (!pin.isTextual()) {
                        throw new IpfsException(Kind.PROTOCOL, "pin/add answered a non-string pin: " + snippet(answer.body));
                    }
                    if (parseCid("pin/add", pin.asText()).equals(cid)) {
                        return;
                    }
                }
            }
        }
        throw new IpfsException(Kind.PROTOCOL, "pin/add of " + cid + " did not list it as pinned: " + snippet(answer.body));
    }

    /** The root block's key and size ({@code Size} may be a JSON number or string; both are read). */
    public BlockStat blockStat(Cid cid) throws IpfsException {
        Objects.requireNonNull(cid, "cid");
        Exchange answer = post("block/stat", lookupQuery(cid), BodyPublishers.noBody(), null, MAX_JSON, timeout, cid);
        JsonNode entry = single("block/stat", answer.body);
        Cid key = cidField("block/stat", entry, "Key");
        if (!key.equals(cid)) {
            throw new IpfsException(Kind.PROTOCOL, "block/stat of " + cid + " answered for " + key);
        }
        return new BlockStat(key, sizeField("block/stat", entry, "Size"));
    }

    /** The node's identity; a cheap readiness probe. */
    public NodeId id() throws IpfsException {
        Exchange answer = post("id", "", BodyPublishers.noBody(), null, MAX_JSON, timeout, null);
        JsonNode entry = single("id", answer.body);
        return new NodeId(textField("id", entry, "ID"), textField("id", entry, "AgentVersion"));
    }

    private String lookupQuery(Cid cid) {
        return "arg=" + URLEncoder.encode(cid.toString(), StandardCharsets.UTF_8) + "&timeout="
                + lookupTimeout.toMillis() + "ms";
    }

    // ------------------------------------------------------------------------------------- the exchange

    private record Exchange(int status, byte[] body) {
    }

    /**
     * POSTs to {@code base + command?query} and returns a 2xx answer's body (at most {@code maxBody}
     * bytes), or throws the error it maps to. {@code cid} is the CID looked up, if any (for NOT_FOUND).
     */
    private Exchange post(String command, String query, BodyPublisher body, String contentType, long maxBody,
            Duration limit, Cid cid) throws IpfsException {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        URI uri = base.resolve(command + (query.isEmpty() ? "" : "?" + query));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(limit).POST(body);
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        CompletableFuture<HttpResponse<byte[]>> future = http.sendAsync(request.build(),
                info -> new LimitedBody(info.statusCode() / 100 == 2 ? maxBody : MAX_ERROR_BODY,
                        info.statusCode() / 100 == 2));
        HttpResponse<byte[]> response;
        try {
            response = future.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new IpfsException(Kind.UNAVAILABLE, command + ": no complete answer from " + base + " within "
                    + limit.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new IpfsException(Kind.UNAVAILABLE, command + ": interrupted", e);
        } catch (ExecutionException e) {
            throw transportError(command, e.getCause());
        }
        int status = response.statusCode();
        byte[] bytes = response.body();
        if (status / 100 == 2) {
            return new Exchange(status, bytes);
        }
        throw statusError(command, status, bytes, cid);
    }

    private IpfsException transportError(String command, Throwable failure) {
        Throwable t = failure;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof TooLarge tooLarge) {
                return new IpfsException(Kind.PROTOCOL, command + ": the answer is longer than the limit of "
                        + tooLarge.limit + " bytes; refused", t);
            }
        }
        String where = command + " at " + base;
        if (t instanceof HttpConnectTimeoutException || t instanceof ConnectException) {
            return new IpfsException(Kind.UNAVAILABLE, where + ": cannot connect (" + t + ")", t);
        }
        if (t instanceof HttpTimeoutException) {
            return new IpfsException(Kind.UNAVAILABLE, where + ": timed out (" + t.getMessage() + ")", t);
        }
        if (t instanceof IOException) {
            return new IpfsException(Kind.UNAVAILABLE, where + ": transport failed (" + t + ")", t);
        }
        return new IpfsException(Kind.PROTOCOL, where + ": unexpected failure (" + t + ")", t);
    }

    private IpfsException statusError(String command, int status, byte[] body, Cid cid) {
        String message = errorMessage(body);
        String shown = command + (cid == null ? "" : " " + cid) + ": HTTP " + status + " "
                + (message != null ? message : snippet(body));
        if (status == 502 || status == 503 || status == 504 || status == 429) {
            return new IpfsException(Kind.UNAVAILABLE, shown);
        }
        if (status >= 500 && message == null) {
            return new IpfsException(Kind.UNAVAILABLE, shown + " (not the node's error body)");
        }
        if (status >= 400) {
            if (cid != null && message != null && isNotFound(message)) {
                return new IpfsException(Kind.NOT_FOUND, shown);
            }
            return new IpfsException(Kind.REJECTED, shown);
        }
        return new IpfsException(Kind.PROTOCOL, shown + " (unexpected status)");
    }

    static boolean isNotFound(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        return NOT_FOUND_MESSAGES.stream().anyMatch(m::contains);
    }

    /** The {@code Message} of the node's error body {@code {"Message":…,"Code":…,"Type":"error"}}, or null. */
    private static String errorMessage(byte[] body) {
        try {
            JsonNode node = MAPPER.readTree(body);
            if (node != null && node.isObject() && node.path("Message").isTextual()) {
                return node.get("Message").asText();
            }
        } catch (IOException | RuntimeException e) {
            // not the node's error body
        }
        return null;
    }

    /** A 200 answer that is an error object: the node failed after it had sent its status. */
    private static void stopIfError(String command, JsonNode entry) throws IpfsException {
        if (entry.path("Message").isTextual() && ("error".equals(entry.path("Type").asText())
                || !(entry.has("Hash") || entry.has("Pins") || entry.has("Key") || entry.has("ID")))) {
            throw new IpfsException(Kind.REJECTED, command + ": the node reported an error in its answer: "
                    + entry.get("Message").asText());
        }
    }

    /** Every JSON object of an NDJSON (or single JSON) body; anything unparseable is PROTOCOL. */
    private static List<JsonNode> jsonValues(String command, byte[] body) throws IpfsException {
        List<JsonNode> values = new ArrayList<>();
        try (MappingIterator<JsonNode> it = VALUES.readValues(body)) {
            while (it.hasNextValue()) {
                JsonNode node = it.nextValue();
                if (!node.isObject()) {
                    throw new IpfsException(Kind.PROTOCOL, command + ": expected JSON objects, got " + snippet(body));
                }
                values.add(node);
            }
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IpfsException(Kind.PROTOCOL, command + ": truncated or invalid JSON answer (a stream error"
                    + " would be in the X-Stream-Error trailer, which this client cannot read): " + snippet(body), e);
        } catch (IOException e) {
            throw new IpfsException(Kind.PROTOCOL, command + ": unreadable answer", e);
        }
        return values;
    }

    private static JsonNode single(String command, byte[] body) throws IpfsException {
        List<JsonNode> values = jsonValues(command, body);
        if (values.size() != 1) {
            throw new IpfsException(Kind.PROTOCOL, command + ": expected one JSON object, got " + values.size()
                    + ": " + snippet(body));
        }
        stopIfError(command, values.get(0));
        return values.get(0);
    }

    private static String textField(String command, JsonNode entry, String field) throws IpfsException {
        JsonNode value = entry.get(field);
        if (value == null || !value.isTextual()) {
            throw new IpfsException(Kind.PROTOCOL, command + ": no string \"" + field + "\" in " + entry);
        }
        return value.asText();
    }

    private static Cid cidField(String command, JsonNode entry, String field) throws IpfsException {
        return parseCid(command, textField(command, entry, field));
    }

    private static Cid parseCid(String command, String text) throws IpfsException {
        try {
            return Cid.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IpfsException(Kind.PROTOCOL, command + ": the node answered an unusable CID: " + e.getMessage(), e);
        }
    }

    /** A size that Kubo sends as a JSON string and js-ipfs as a number. */
    static long sizeField(String command, JsonNode entry, String field) throws IpfsException {
        JsonNode value = entry.get(field);
        if (value != null && value.isIntegralNumber() && value.canConvertToLong() && value.longValue() >= 0) {
            return value.longValue();
        }
        if (value != null && value.isTextual() && value.asText().matches("0|[1-9][0-9]{0,18}")) {
            try {
                return Long.parseLong(value.asText());
            } catch (NumberFormatException e) {
                // out of range: refused below
            }
        }
        throw new IpfsException(Kind.PROTOCOL, command + ": \"" + field + "\" is not a size: " + entry);
    }

    private static String snippet(byte[] body) {
        if (body == null || body.length == 0) {
            return "(empty body)";
        }
        String s = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8).strip();
        return body.length > 300 ? s + "…" : s;
    }

    /** Marks an answer longer than the caller's limit. */
    private static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;
        final long limit;

        TooLarge(long limit) {
            super("answer longer than " + limit + " bytes");
            this.limit = limit;
        }
    }

    /**
     * Collects a body of at most {@code limit} bytes; beyond that it cancels the transfer and fails with
     * {@link TooLarge} (or, for an error body, keeps the first {@code limit} bytes).
     */
    private static final class LimitedBody implements BodySubscriber<byte[]> {
        private final long limit;
        private final boolean refuseLonger;
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final List<ByteBuffer> parts = new ArrayList<>();
        private long size;
        private Flow.Subscription subscription;

        LimitedBody(long limit, boolean refuseLonger) {
            this.limit = limit;
            this.refuseLonger = refuseLonger;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer item : items) {
                int n = item.remaining();
                if (size + n > limit) {
                    subscription.cancel();
                    if (refuseLonger) {
                        result.completeExceptionally(new TooLarge(limit));
                    } else {
                        ByteBuffer head = item.slice();
                        head.limit((int) (limit - size));
                        parts.add(copy(head));
                        size = limit;
                        result.complete(join());
                    }
                    return;
                }
                parts.add(copy(item));
                size += n;
            }
        }

        private static ByteBuffer copy(ByteBuffer b) {
            ByteBuffer c = ByteBuffer.allocate(b.remaining());
            c.put(b);
            return c.flip();
        }

        private byte[] join() {
            byte[] out = new byte[(int) size];
            int p = 0;
            for (ByteBuffer b : parts) {
                int n = b.remaining();
                b.get(out, p, n);
                p += n;
            }
            parts.clear();
            return out;
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            if (!result.isDone()) {
                result.complete(join());
            }
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }
    }

    /** Stops the client's threads; calls made afterwards throw {@link IllegalStateException}. */
    @Override
    public void close() {
        closed = true;
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "KuboClient[" + base + ", timeout " + timeout.toMillis() + " ms, lookup " + lookupTimeout.toMillis()
                + " ms]";
    }
}
