package org.emrsb.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.apache.avro.Schema;
import org.emrsb.schemas.RegistrySettings;

/**
 * Registers value schemas through the registry's Confluent-compatible API, the same API analysts'
 * tools read, and sets each subject's compatibility to BACKWARD (consumers on the new schema read old
 * records), so an incompatible change is refused at registration rather than discovered by a consumer.
 */
final class SchemaRegistrar {

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final URI api;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final ObjectMapper json = new ObjectMapper();

    SchemaRegistrar(RegistrySettings registry) {
        this.api = registry.confluentApi();
    }

    /** Registers {@code schema} under {@code subject} (idempotent) and returns its id. */
    int register(String subject, Schema schema) {
        call("PUT", "/config/" + subject, Map.of("compatibility", "BACKWARD"));
        JsonNode answer = call("POST", "/subjects/" + subject + "/versions", Map.of("schema", schema.toString()));
        JsonNode id = answer.get("id");
        if (id == null || !id.canConvertToInt()) {
            throw new IllegalStateException("schema registry did not return an id for " + subject + ": " + answer);
        }
        return id.intValue();
    }

    private JsonNode call(String method, String path, Map<String, String> body) {
        URI uri = URI.create(api + path);
        try {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                    .header("Content-Type", CONTENT_TYPE).header("Accept", CONTENT_TYPE)
                    .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("schema registry refused " + method + " " + uri + " with "
                        + response.statusCode() + ": " + response.body());
            }
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the schema registry at " + uri + ": " + e.getMessage()
                    + " (is it running? ops/stack status)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling the schema registry");
        }
    }
}
