package org.emrsb.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.state.HostInfo;
import org.emrsb.core.crypto.VerifyingKey;
import org.emrsb.stream.LedgerQueries;
import org.emrsb.stream.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The query endpoint of a delegate instance: HTTP GET routes ({@link QueryRoute}) answered with JSON
 * ({@link LedgerJson}, {@link QueryAnswer}) from the ledger stores, through Kafka Streams' interactive
 * queries. It listens on {@code query.listen}, which is also the ledger instance's
 * {@code application.server}, so every instance of the delegates' group knows where the others answer.
 *
 * <p>Routing: a pseudonym's records and a chain's blocks live on one partition, so such a request goes
 * to that partition's active instance. A transaction id does not tell its chain: an instance answers
 * from its own stores and, when it does not hold the id, asks every other instance once. A request it
 * forwards carries {@link #FORWARDED_HEADER}, and an instance answers such a request from its own stores
 * only, so a request is forwarded at most once. Forwarded calls are bounded by {@link #FORWARD_TIMEOUT}.
 *
 * <p>Availability: while the ledger instance is missing (its delegate waits to be ACTIVE), not RUNNING
 * (starting, rebalancing) or an owner cannot be asked, the answer is 503 with {@code Retry-After}; a
 * 404 means that every instance holding chains was asked and none holds the thing.
 */
final class QueryServer implements AutoCloseable {

    /** Marks a request one instance forwarded to another: answer it from the local stores only. */
    static final String FORWARDED_HEADER = "X-Emrsb-Forwarded";
    /** The longest a forwarded call (connect and answer) may take. */
    static final Duration FORWARD_TIMEOUT = Duration.ofSeconds(5);
    private static final int THREADS = 8;
    /** {@code host:port}, an IPv6 host in brackets. */
    private static final Pattern LISTEN = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9.-]+):([0-9]{1,5})");
    private static final Logger LOG = LoggerFactory.getLogger(QueryServer.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final HostInfo self;
    private final Supplier<KafkaStreams> ledger;
    private final VerifyingKey authority;
    private final int chains;
    private final HttpClient forwarding = HttpClient.newBuilder().connectTimeout(FORWARD_TIMEOUT)
            .version(HttpClient.Version.HTTP_1_1).build();

    private QueryServer(HttpServer server, ExecutorService executor, HostInfo self, Supplier<KafkaStreams> ledger,
            VerifyingKey authority, int chains) {
        this.server = server;
        this.executor = executor;
        this.self = self;
        this.ledger = ledger;
        this.authority = authority;
        this.chains = chains;
    }

    /**
     * The address {@code query.listen} names, as Kafka Streams reads it for {@code application.server};
     * empty when the key is empty (no endpoint).
     *
     * @throws EmrsbConfig.ConfigException if it is not {@code host:port} or names a wildcard address
     */
    static Optional<HostInfo> listenAddress(EmrsbConfig config) {
        String value = config.string("query.listen").strip();
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String source = config.settings().get("query.listen").source();
        Matcher m = LISTEN.matcher(value);
        int port = m.matches() ? Integer.parseInt(m.group(2)) : -1;
        if (port < 1 || port > 65_535) {
            throw new EmrsbConfig.ConfigException("configuration key 'query.listen' = '" + value + "' (from " + source
                    + ") is not host:port with a port from 1 to 65535 (e.g. 127.0.0.1:18090), nor empty for no endpoint");
        }
        String host = m.group(1).replace("[", "").replace("]", "");
        if (Set.of("0.0.0.0", "::").contains(host)) {
            throw new EmrsbConfig.ConfigException("configuration key 'query.listen' = '" + value + "' (from " + source
                    + ") names a wildcard address; name the address the other delegate instances reach this one at");
        }
        return Optional.of(HostInfo.buildFromEndpoint(value));
    }

    /** The value of {@code application.server} for an endpoint at this address. */
    static String applicationServer(HostInfo address) {
        return hostPort(address);
    }

    /**
     * Listens on {@code address} and answers from the instance {@code ledger} supplies (null while there
     * is none).
     *
     * @param chains the ledger's chain count (topics.partitions): a block of another chain does not exist
     * @throws IllegalStateException if the address cannot be listened on (in use, not local)
     */
    static QueryServer start(HostInfo address, Supplier<KafkaStreams> ledger, VerifyingKey authority, int chains) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(address.host(), address.port()), 0);
        } catch (BindException e) {
            throw new IllegalStateException("query.listen " + hostPort(address) + ": cannot listen (" + e.getMessage()
                    + "); each instance on one machine needs its own port, or set query.listen empty for no endpoint");
        } catch (IOException e) {
            throw new IllegalStateException("query.listen " + hostPort(address) + ": cannot listen: " + e.getMessage(), e);
        }
        AtomicInteger count = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, task -> {
            Thread thread = new Thread(task, "emrsb-query-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        QueryServer query = new QueryServer(server, executor, address, ledger, authority, chains);
        server.createContext("/", query::handle);
        server.setExecutor(executor);
        server.start();
        LOG.info("query endpoint on {} (GET {})", query.uri(), String.join(", ", QueryRoute.ROUTES));
        return query;
    }

    /** The endpoint's root URI. */
    URI uri() {
        return uri(self, "");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            QueryAnswer answer = answer(exchange);
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            if (answer.status() == 405) {
                exchange.getResponseHeaders().set("Allow", "GET");
            }
            if (answer.retryAfterSeconds() > 0) {
                exchange.getResponseHeaders().set("Retry-After", Integer.toString(answer.retryAfterSeconds()));
            }
            byte[] body = answer.bytes();
            exchange.sendResponseHeaders(answer.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } finally {
            exchange.close();
        }
    }

    private QueryAnswer answer(HttpExchange exchange) {
        if (!exchange.getRequestMethod().equals("GET")) {
            return QueryAnswer.methodNotAllowed(exchange.getRequestMethod());
        }
        String path = exchange.getRequestURI().getRawPath();
        try {
            boolean forwarded = exchange.getRequestHeaders().containsKey(FORWARDED_HEADER);
            return answer(QueryRoute.parse(path), path, forwarded);
        } catch (QueryRoute.InvalidRouteException e) {
            return QueryAnswer.of(e);
        } catch (InvalidStateStoreException e) {
            return QueryAnswer.unavailable("the ledger stores are not queryable now (" + e.getMessage() + ")");
        } catch (RuntimeException e) {
            LOG.error("query {} failed", path, e);
            return QueryAnswer.internal("the query failed: " + e.getMessage());
        }
    }

    private QueryAnswer answer(QueryRoute route, String path, boolean forwarded) {
        KafkaStreams streams = ledger.get();
        if (streams == null) {
            return QueryAnswer.unavailable("this delegate has not joined the ledger group yet: it waits until its key is "
                    + "ACTIVE (ops/emrsb delegates)");
        }
        KafkaStreams.State state = streams.state();
        if (state != KafkaStreams.State.RUNNING) {
            return QueryAnswer.unavailable("the ledger instance is " + state + "; its stores are queryable once it is "
                    + "RUNNING");
        }
        if (route instanceof QueryRoute.TransactionById byId) {
            return anywhere(streams, path, forwarded, local(streams).flatMap(here -> here.transaction(byId.id())
                    .map(tx -> LedgerJson.transaction(tx, here.blockHolding(tx.getChain(), tx.getSequence())))),
                    "no transaction " + byId.id());
        }
        if (route instanceof QueryRoute.ProofById byId) {
            return anywhere(streams, path, forwarded, local(streams).flatMap(here -> here.proof(byId.id(), authority))
                    .map(proof -> LedgerJson.proof(proof.bundle(), proof.voided())), "no transaction " + byId.id());
        }
        if (route instanceof QueryRoute.PatientTransactions patient) {
            return patientTransactions(streams, patient.pseudonym(), path, forwarded);
        }
        return block(streams, (QueryRoute.BlockAt) route, path, forwarded);
    }

    private QueryAnswer patientTransactions(KafkaStreams streams, String pseudonym, String path, boolean forwarded) {
        HostInfo owner = streams.queryMetadataForKey(Stores.LEDGER_PATIENTS, pseudonym, Serdes.String().serializer())
                .activeHost();
        return onOwner(streams, owner, path, forwarded, "the chain of pseudonym " + pseudonym, here -> QueryAnswer.ok(
                LedgerJson.patientTransactions(pseudonym, here.patientTransactions(pseudonym))));
    }

    private QueryAnswer block(KafkaStreams streams, QueryRoute.BlockAt at, String path, boolean forwarded) {
        if (at.chain() >= chains) {
            return QueryAnswer.notFound("no chain " + at.chain() + ": the ledger's chains are 0 to " + (chains - 1));
        }
        StreamPartitioner<Integer, Object> chainIsPartition = (topic, chain, value, partitions) ->
                Optional.of(Set.of(chain));
        HostInfo owner = streams.queryMetadataForKey(Stores.LEDGER_BLOCKS, at.chain(), chainIsPartition).activeHost();
        return onOwner(streams, owner, path, forwarded, "chain " + at.chain(), here -> here.block(at.chain(), at.height())
                .map(block -> QueryAnswer.ok(LedgerJson.block(block)))
                .orElseGet(() -> QueryAnswer.notFound("no sealed block at height " + at.height() + " of chain "
                        + at.chain())));
    }

    /**
     * The ledger stores of the chains this instance holds; empty when it holds none (an instance beyond
     * the chain count has no tasks).
     *
     * @throws InvalidStateStoreException if they are not queryable now (a rebalance began)
     */
    private static Optional<LedgerQueries> local(KafkaStreams streams) {
        boolean holdsChains = streams.metadataForLocalThreads().stream().anyMatch(thread -> !thread.activeTasks().isEmpty());
        return holdsChains ? Optional.of(LocalLedger.of(streams)) : Optional.empty();
    }

    /**
     * The answer of a key that may be on any chain: from here if held here, else from the first other
     * instance that holds it. 404 only when every instance answered that it does not hold it.
     */
    private QueryAnswer anywhere(KafkaStreams streams, String path, boolean forwarded, Optional<ObjectNode> here,
            String notFound) {
        if (here.isPresent()) {
            return QueryAnswer.ok(here.get());
        }
        if (forwarded) {
            return QueryAnswer.notFound(notFound + " on this instance's chains");
        }
        List<String> silent = new ArrayList<>();
        for (HostInfo peer : peers(streams)) {
            Optional<QueryAnswer> answer = forward(peer, path);
            if (answer.isPresent() && answer.get().status() == 200) {
                return answer.get();
            }
            if (answer.isEmpty() || answer.get().status() != 404) {
                silent.add(hostPort(peer) + (answer.isEmpty() ? " did not answer" : " answered "
                        + answer.get().status()));
            }
        }
        if (!silent.isEmpty()) {
            return QueryAnswer.unavailable(notFound + " here, and not every instance could be asked: "
                    + String.join(", ", silent));
        }
        return QueryAnswer.notFound(notFound + " on any chain");
    }

    /** The answer of a key on one partition: from here if this instance owns it, else from its owner. */
    private QueryAnswer onOwner(KafkaStreams streams, HostInfo owner, String path, boolean forwarded, String what,
            Function<LedgerQueries, QueryAnswer> fromHere) {
        if (owner.equals(self)) {
            return local(streams).map(fromHere).orElseGet(() -> QueryAnswer.unavailable(what + " is moving to this "
                    + "instance; ask again"));
        }
        if (owner.equals(HostInfo.unavailable())) {
            return QueryAnswer.unavailable(what + " has no active instance with a query endpoint now (rebalancing, or "
                    + "its owner runs without query.listen)");
        }
        if (forwarded) {
            return QueryAnswer.unavailable(what + " moved to " + hostPort(owner) + "; ask again");
        }
        return forward(owner, path).orElseGet(() -> QueryAnswer.unavailable(what + " is on " + hostPort(owner)
                + ", which did not answer within " + FORWARD_TIMEOUT.toSeconds() + " s"));
    }

    /** The other instances of the delegates' group that have a query endpoint. */
    private List<HostInfo> peers(KafkaStreams streams) {
        return streams.metadataForAllStreamsClients().stream().map(StreamsMetadata::hostInfo)
                .filter(host -> !host.equals(self) && !host.equals(HostInfo.unavailable())).distinct().toList();
    }

    /** The peer's answer to the same path, marked forwarded; empty if it did not answer in time. */
    private Optional<QueryAnswer> forward(HostInfo peer, String path) {
        HttpRequest request = HttpRequest.newBuilder(uri(peer, path)).timeout(FORWARD_TIMEOUT)
                .header(FORWARDED_HEADER, hostPort(self)).GET().build();
        try {
            HttpResponse<String> response = forwarding.send(request, HttpResponse.BodyHandlers.ofString());
            int retryAfter = response.headers().firstValue("Retry-After").map(QueryServer::seconds).orElse(0);
            return Optional.of(new QueryAnswer(response.statusCode(), response.body(), retryAfter));
        } catch (IOException e) {
            LOG.debug("query instance {} did not answer {}: {}", hostPort(peer), path, e.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static int seconds(String retryAfter) {
        try {
            return Math.max(1, Integer.parseInt(retryAfter.strip()));
        } catch (NumberFormatException e) {
            return QueryAnswer.RETRY_AFTER_SECONDS;
        }
    }

    private static URI uri(HostInfo host, String path) {
        return URI.create("http://" + hostPort(host) + path);
    }

    private static String hostPort(HostInfo host) {
        return (host.host().contains(":") ? "[" + host.host() + "]" : host.host()) + ":" + host.port();
    }

    /** Stops listening; an exchange in progress gets up to a second to finish. */
    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
    }
}
