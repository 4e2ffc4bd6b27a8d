package org.emrsb.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;
import org.emrsb.avro.Submission;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Against the real broker and registry of {@code ops/stack}: what the product's serde writes is what a
 * plain Confluent-format reader (magic byte, schema id, schema fetched from the ccompat API) reads.
 */
class ConfluentWireIT {

    static final String BOOTSTRAP = System.getenv().getOrDefault("EMRSB_KAFKA_BOOTSTRAP", "127.0.0.1:19092");
    static final RegistrySettings REGISTRY = RegistrySettings.of(System.getenv().getOrDefault("EMRSB_REGISTRY_URL", "http://127.0.0.1:18081"));
    static final String TOPIC = "it.wire." + UUID.randomUUID();
    static Admin admin;

    @BeforeAll
    static void createTopic() throws Exception {
        admin = Admin.create(Map.of("bootstrap.servers", BOOTSTRAP, "default.api.timeout.ms", 20_000, "request.timeout.ms", 15_000));
        admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
    }

    @AfterAll
    static void deleteTopic() throws Exception {
        if (admin != null) {
            admin.deleteTopics(List.of(TOPIC)).all().get();
            admin.close();
        }
    }

    @Test
    void aPlainConfluentReaderDecodesWhatTheSerdeWrites() throws Exception {
        Submission sent = AvroSerdesTest.sample();
        sent.setSubmissionId(UUID.randomUUID().toString());
        sent.setSubmittedAt(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        try (Serde<Submission> serde = AvroSerdes.registry(REGISTRY, false);
             KafkaProducer<String, Submission> producer = new KafkaProducer<>(Map.of("bootstrap.servers", BOOTSTRAP,
                     "acks", "all"), new StringSerializer(), serde.serializer())) {
            producer.send(new ProducerRecord<>(TOPIC, sent.getSubmissionId(), sent)).get();
        }

        byte[] payload = readOnlyRecord();
        assertEquals(0, payload[0], "magic byte");
        int id = ByteBuffer.wrap(payload, 1, 4).getInt();

        // The id is the subject's Confluent id (a content id), not Apicurio's global id.
        JsonNode latest = get("/subjects/" + TOPIC + "-value/versions/latest");
        assertEquals(latest.get("id").intValue(), id);

        // Decode with nothing but Avro and the schema fetched by id, as analysts' tools do.
        Schema writer = new Schema.Parser().parse(get("/schemas/ids/" + id).get("schema").asText());
        GenericRecord plain = new GenericDatumReader<GenericRecord>(writer)
                .read(null, DecoderFactory.get().binaryDecoder(payload, 5, payload.length - 5, null));
        assertEquals(sent.getSubmissionId(), plain.get("submissionId").toString());
        assertEquals(sent.getBody(), plain.get("body").toString());
        assertEquals("FLAT_JSON", plain.get("format").toString());
        assertEquals(sent.getSubmittedAt().toEpochMilli(), plain.get("submittedAt"));

        GenericRecord viaDecoder = new ConfluentWireDecoder(REGISTRY).decode(payload);
        assertEquals(plain, viaDecoder);

        try (Serde<Submission> serde = AvroSerdes.registry(REGISTRY, false)) {
            assertEquals(sent, serde.deserializer().deserialize(TOPIC, payload));
        }
    }

    private static byte[] readOnlyRecord() {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", BOOTSTRAP),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(TOPIC, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            Instant deadline = Instant.now().plusSeconds(20);
            while (records.isEmpty() && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            assertEquals(1, records.size());
            assertTrue(records.get(0).headers().toArray().length == 0, "no schema id in headers");
            return records.get(0).value();
        }
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(REGISTRY.confluentApi() + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return new ObjectMapper().readTree(response.body());
    }
}
