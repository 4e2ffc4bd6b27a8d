package org.emrsb.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.generic.GenericRecord;
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
import org.emrsb.avro.RecordFormat;
import org.emrsb.avro.Submission;
import org.emrsb.schemas.AvroSerdes;
import org.emrsb.schemas.ConfluentWireDecoder;
import org.emrsb.schemas.RegistrySettings;
import org.junit.jupiter.api.Test;

/**
 * ops/stack as an operator uses it: `up` twice is harmless, `status` prints one line per server,
 * `down` leaves no process of the stack running, and after `up` again Kafka still holds the records
 * and the registry still resolves their schema ids (its H2 file). Leaves the stack running.
 */
class StackLifecycleIT {

    private static final Duration UP = Duration.ofMinutes(6);
    private static final Duration DOWN = Duration.ofMinutes(2);
    private static final Pattern STATUS_LINE = Pattern.compile("^(kafka|registry|ipfs|bitcoin) running pid=(\\d+) (\\S+)$");
    private static final String BOOTSTRAP = System.getenv().getOrDefault("EMRSB_KAFKA_BOOTSTRAP", "127.0.0.1:19092");
    private static final RegistrySettings REGISTRY =
            RegistrySettings.of(System.getenv().getOrDefault("EMRSB_REGISTRY_URL", "http://127.0.0.1:18081"));

    @Test
    void upIsIdempotentDownStopsEverythingAndDataSurvivesARestart() throws Exception {
        Ops.Result first = Ops.run(UP, "ops/stack", "up");
        assertEquals(0, first.exitCode(), first.all());
        Map<String, Long> pids = statusPids();

        Ops.Result second = Ops.run(UP, "ops/stack", "up");
        assertEquals(0, second.exitCode(), second.all());
        assertTrue(second.stderr().contains("kafka: already running"), second.stderr());
        assertEquals(pids, statusPids(), "a second `up` must not start anything new");

        String topic = "it.lifecycle." + UUID.randomUUID();
        Submission sent = submission();
        int schemaId = produce(topic, sent);

        Ops.Result down = Ops.run(DOWN, "ops/stack", "down");
        assertEquals(0, down.exitCode(), down.all());
        for (Map.Entry<String, Long> server : pids.entrySet()) {
            assertFalse(ProcessHandle.of(server.getValue()).map(ProcessHandle::isAlive).orElse(false),
                    server.getKey() + " (pid " + server.getValue() + ") still runs after down");
        }
        Ops.Result stopped = Ops.run(DOWN, "ops/stack", "status");
        assertNotEquals(0, stopped.exitCode(), stopped.all());
        for (String name : List.of("kafka", "registry", "ipfs", "bitcoin")) {
            assertTrue(stopped.stdout().contains(name + " stopped pid=-"), stopped.stdout());
        }

        Ops.Result again = Ops.run(UP, "ops/stack", "up");
        assertEquals(0, again.exitCode(), again.all());
        byte[] payload = readOnlyRecord(topic);
        assertEquals(schemaId, ConfluentWireDecoder.schemaId(payload), "schema id kept across the restart");
        GenericRecord decoded = new ConfluentWireDecoder(REGISTRY).decode(payload);
        assertEquals(sent.getSubmissionId(), decoded.get("submissionId").toString());
        assertEquals(sent.getBody(), decoded.get("body").toString());

        try (Admin admin = Admin.create(Map.of("bootstrap.servers", BOOTSTRAP))) {
            admin.deleteTopics(List.of(topic)).all().get();
        }
    }

    private static Map<String, Long> statusPids() throws Exception {
        Ops.Result status = Ops.run(DOWN, "ops/stack", "status");
        assertEquals(0, status.exitCode(), status.all());
        Map<String, Long> pids = new LinkedHashMap<>();
        for (String line : status.stdout().strip().split("\n")) {
            Matcher m = STATUS_LINE.matcher(line);
            assertTrue(m.matches(), "status line '" + line + "'");
            pids.put(m.group(1), Long.parseLong(m.group(2)));
        }
        assertEquals(List.of("kafka", "registry", "ipfs", "bitcoin"), new ArrayList<>(pids.keySet()));
        return pids;
    }

    private static Submission submission() {
        return Submission.newBuilder()
                .setSubmissionId(UUID.randomUUID().toString())
                .setSubmittedAt(Instant.ofEpochMilli(System.currentTimeMillis()))
                .setFormat(RecordFormat.FLAT_JSON)
                .setBody("{\"name\":\"Sihua Wu\",\"age\":24}")
                .setAttachments(List.of())
                .setSubmitterKey(ByteBuffer.wrap(new byte[32]))
                .setCounterpartyKey(ByteBuffer.wrap(new byte[32]))
                .setSignature(ByteBuffer.wrap(new byte[64]))
                .build();
    }

    private static int produce(String topic, Submission sent) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", BOOTSTRAP))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        try (Serde<Submission> serde = AvroSerdes.registry(REGISTRY, false);
             KafkaProducer<String, Submission> producer = new KafkaProducer<>(
                     Map.of("bootstrap.servers", BOOTSTRAP, "acks", "all"), new StringSerializer(), serde.serializer())) {
            producer.send(new ProducerRecord<>(topic, sent.getSubmissionId(), sent)).get();
        }
        return ConfluentWireDecoder.schemaId(readOnlyRecord(topic));
    }

    private static byte[] readOnlyRecord(String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", BOOTSTRAP),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            Instant deadline = Instant.now().plusSeconds(30);
            while (records.isEmpty() && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            assertEquals(1, records.size(), "records on " + topic);
            return records.get(0).value();
        }
    }
}
