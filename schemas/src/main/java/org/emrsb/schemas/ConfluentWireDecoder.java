package org.emrsb.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * Reads Confluent wire format the way analysts' tools do, independently of the serde that wrote it:
 * magic byte 0, a 4-byte big-endian schema id, then an Avro binary body whose writer schema is
 * fetched once per id from {@code GET /apis/ccompat/v7/schemas/ids/{id}}.
 *
 * <p>Thread-safe; schemas are cached for the life of the decoder (a registry id never changes meaning).
 */
public final class ConfluentWireDecoder {

    /** The first byte of every Confluent-format payload. */
    public static final byte MAGIC_BYTE = 0;
    private static final int HEADER_LENGTH = 5;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final URI confluentApi;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();

    public ConfluentWireDecoder(RegistrySettings settings) {
        this.confluentApi = settings.confluentApi();
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    }

    /** The schema id a payload names, after checking its header. */
    public static int schemaId(byte[] payload) {
        if (payload == null || payload.length < HEADER_LENGTH) {
            throw new WireFormatException("payload of " + (payload == null ? 0 : payload.length)
                    + " bytes is shorter than the 5-byte Confluent header");
        }
        if (payload[0] != MAGIC_BYTE) {
            throw new WireFormatException(String.format(
                    "payload starts with 0x%02x, not the Confluent magic byte 0x00", payload[0] & 0xff));
        }
        return ByteBuffer.wrap(payload, 1, 4).getInt();
    }

    /** Decodes a payload into a generic record under its writer schema. */
    public GenericRecord decode(byte[] payload) {
        Schema schema = schema(schemaId(payload));
        BinaryDecoder decoder = DecoderFactory.get()
                .binaryDecoder(payload, HEADER_LENGTH, payload.length - HEADER_LENGTH, null);
        try {
            GenericRecord value = new GenericDatumReader<GenericRecord>(schema).read(null, decoder);
            if (!decoder.isEnd()) {
                throw new WireFormatException("trailing bytes after the Avro body of schema id " + schemaId(payload));
            }
            return value;
        } catch (IOException | RuntimeException e) {
            if (e instanceof WireFormatException wfe) {
                throw wfe;
            }
            throw new WireFormatException("Avro body does not match schema id " + schemaId(payload) + ": " + e, e);
        }
    }

    /** The writer schema registered under {@code id}, fetched from the registry on first use. */
    public Schema schema(int id) {
        return schemas.computeIfAbsent(id, this::fetch);
    }

    private Schema fetch(int id) {
        URI uri = URI.create(confluentApi + "/schemas/ids/" + id);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .header("Accept", "application/vnd.schemaregistry.v1+json, application/json").GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new WireFormatException("schema registry answered " + response.statusCode()
                        + " for schema id " + id + " at " + uri + ": " + response.body());
            }
            JsonNode body = json.readTree(response.body());
            JsonNode schemaText = body.get("schema");
            if (schemaText == null || !schemaText.isTextual()) {
                throw new WireFormatException("schema registry response for id " + id + " has no schema: " + body);
            }
            return new Schema.Parser().parse(schemaText.asText());
        } catch (IOException e) {
            throw new WireFormatException("cannot reach the schema registry at " + uri + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WireFormatException("interrupted while fetching schema id " + id, e);
        }
    }

    /** A payload that is not Confluent wire format, or whose schema cannot be had. */
    public static final class WireFormatException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public WireFormatException(String message) {
            super(message);
        }

        public WireFormatException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
