package org.emrsb.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * One answer of the query endpoint: an HTTP status and a JSON body. Errors have the body
 * {@code {"error": CODE, "message": TEXT}}, CODE being {@code bad-request}, {@code not-found},
 * {@code method-not-allowed}, {@code unavailable} or {@code internal}; a 503 ({@code unavailable}) also
 * names the seconds to wait in {@code Retry-After} (at least 1; 0 means no header).
 */
record QueryAnswer(int status, String json, int retryAfterSeconds) {

    static final ObjectMapper JSON = new ObjectMapper();
    /** How long a client should wait before asking again while the stores are not queryable. */
    static final int RETRY_AFTER_SECONDS = 1;

    static QueryAnswer ok(ObjectNode body) {
        return new QueryAnswer(200, text(body), 0);
    }

    static QueryAnswer badRequest(String message) {
        return error(400, "bad-request", message);
    }

    static QueryAnswer notFound(String message) {
        return error(404, "not-found", message);
    }

    static QueryAnswer methodNotAllowed(String method) {
        return error(405, "method-not-allowed", method + " is not served; the endpoint answers GET only");
    }

    /** 503: the ledger stores are not queryable now (starting, rebalancing, a peer not answering); ask again. */
    static QueryAnswer unavailable(String message) {
        return new QueryAnswer(503, text(errorBody("unavailable", message)), RETRY_AFTER_SECONDS);
    }

    static QueryAnswer internal(String message) {
        return error(500, "internal", message);
    }

    /** The error answer of a path that names no route (404) or has an invalid value (400). */
    static QueryAnswer of(QueryRoute.InvalidRouteException e) {
        return e.status() == 404 ? notFound(e.getMessage()) : badRequest(e.getMessage());
    }

    byte[] bytes() {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static QueryAnswer error(int status, String code, String message) {
        return new QueryAnswer(status, text(errorBody(code, message)), 0);
    }

    private static ObjectNode errorBody(String code, String message) {
        return JSON.createObjectNode().put("error", code).put("message", message);
    }

    private static String text(ObjectNode body) {
        try {
            return JSON.writeValueAsString(body) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
