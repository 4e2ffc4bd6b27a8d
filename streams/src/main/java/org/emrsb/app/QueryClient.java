package org.emrsb.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The commands' client of a delegate's query endpoint ({@link QueryServer}): one GET, answered with the
 * JSON body of a 200. While the endpoint answers 503 (its ledger instance starting or rebalancing) it
 * asks again after the {@code Retry-After} it names, for up to {@link #NOT_READY_WAIT}.
 */
final class QueryClient {

    /** The longest one request may take: the endpoint may ask every other instance in turn. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /** How long 503 answers are waited out before giving up. */
    static final Duration NOT_READY_WAIT = Duration.ofSeconds(30);

    /**
     * No JSON answer: the endpoint did not answer ({@code status} 0), still was not ready after
     * {@link #NOT_READY_WAIT} (503), or refused with the message it gave (404 for an unknown id).
     */
    static final class QueryFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        QueryFailure(int status, String message) {
            super(message);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    private final URI endpoint;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    QueryClient(URI endpoint) {
        this.endpoint = endpoint;
    }

    /**
     * The endpoint to ask: {@code option} ({@code http://HOST:PORT}) if given, else the one
     * {@code query.listen} names.
     *
     * @throws IllegalArgumentException if the option is not an http URL, or neither names an endpoint
     */
    static URI endpoint(String option, EmrsbConfig config) {
        if (option == null) {
            HostInfo listen = QueryServer.listenAddress(config).orElseThrow(() -> new IllegalArgumentException(
                    "no query endpoint: query.listen is empty; pass --endpoint http://HOST:PORT of a delegate instance"));
            return URI.create("http://" + QueryServer.applicationServer(listen));
        }
        URI uri;
        try {
            uri = URI.create(option.endsWith("/") ? option.substring(0, option.length() - 1) : option);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--endpoint " + option + " is not a URL: " + e.getMessage());
        }
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null || uri.getQuery() != null) {
            throw new IllegalArgumentException("--endpoint " + option + " is not http://HOST:PORT");
        }
        return uri;
    }

    URI endpoint() {
        return endpoint;
    }

    /** The transaction with this id: {@code GET /v1/transactions/{id}}. */
    JsonNode transaction(String id) {
        return get("/v1/transactions/" + id);
    }

    /** The proof of the transaction with this id as far as it is final: {@code GET /v1/proofs/{id}}. */
    JsonNode proof(String id) {
        return get("/v1/proofs/" + id);
    }

    /**
     * The JSON body of a 200 to {@code GET path}.
     *
     * @throws QueryFailure for any other outcome, with the endpoint's own message when it gave one
     */
    JsonNode get(String path) {
        long deadline = System.nanoTime() + NOT_READY_WAIT.toNanos();
        while (true) {
            HttpResponse<String> response = send(path);
            if (response.statusCode() == 200) {
                return json(response, path);
            }
            int retryAfter = response.headers().firstValue("Retry-After").map(QueryClient::seconds).orElse(1);
            if (response.statusCode() != 503 || System.nanoTime() + retryAfter * 1_000_000_000L > deadline) {
                throw new QueryFailure(response.statusCode(), endpoint + path + " answered " + response.statusCode()
                        + (response.statusCode() == 503 ? " for " + NOT_READY_WAIT.toSeconds() + " s" : "") + ": "
                        + message(response));
            }
            pause(retryAfter);
        }
    }

    private HttpResponse<String> send(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint + path)).timeout(REQUEST_TIMEOUT).GET().build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new QueryFailure(0, "the query endpoint " + endpoint + " did not answer within "
                    + REQUEST_TIMEOUT.toSeconds() + " s");
        } catch (IOException e) {
            throw new QueryFailure(0, "cannot reach the query endpoint " + endpoint + " (" + e
                    + "); is a delegate instance running with query.listen there? (ops/emrsb run --role delegate)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QueryFailure(0, "interrupted while asking " + endpoint);
        }
    }

    private JsonNode json(HttpResponse<String> response, String path) {
        try {
            return QueryAnswer.JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new QueryFailure(response.statusCode(), endpoint + path + " answered something that is not JSON: "
                    + e.getOriginalMessage());
        }
    }

    /** The message of an error answer, or its first line when it is not the endpoint's JSON. */
    private static String message(HttpResponse<String> response) {
        try {
            JsonNode body = QueryAnswer.JSON.readTree(response.body());
            if (body != null && body.path("message").isTextual()) {
                return body.get("message").asText();
            }
        } catch (JsonProcessingException e) {
            // not the endpoint's JSON: shown as it is
        }
        String text = response.body().strip();
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    private static int seconds(String retryAfter) {
        try {
            return Math.max(1, Math.min(10, Integer.parseInt(retryAfter.strip())));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    private static void pause(int seconds) {
        try {
            Thread.sleep(seconds * 1000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QueryFailure(0, "interrupted while waiting for the query endpoint");
        }
    }
}
