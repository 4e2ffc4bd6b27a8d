package org.emrsb.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.emrsb.stream.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 2 against the real broker: after records with fresh identifiers went through the gateway,
 * no topic but the two restricted ones (internal, changelog and offsets topics included) holds any of
 * those identifiers, in keys, values or headers.
 */
class GatewayIT {

    private static final String BOOTSTRAP = System.getenv().getOrDefault("EMRSB_KAFKA_BOOTSTRAP", "127.0.0.1:19092");
    private static final Set<String> RESTRICTED = Set.of(Topics.INTAKE, Topics.REJECTED);

    @TempDir
    Path dir;

    @Test
    void noIdentifierReachesAnyTopicButTheRestrictedOnes() throws Exception {
        Random random = new Random();
        String id = String.format("1101011990%08d", random.nextInt(100_000_000));
        String phone = String.format("139%08d", random.nextInt(100_000_000));
        String name = "Xiaoming Testpatient" + (char) ('a' + random.nextInt(26)) + "x";
        String street = "Gulou street " + random.nextInt(1_000_000);
        Path records = dir.resolve("records.jsonl");
        Files.writeString(records, "{\"name\":\"" + name + "\",\"age\":37,\"idNumber\":\"" + id + "\",\"address\":\""
                + street + ", dongcheng district, Beijing\",\"disease\":\"asthma\",\"phone\":\"" + phone + "\"}\n"
                + "{\"name\":\"" + name + "\",\"age\":37,\"idNumber\":\"" + id + "\",\"address\":\"" + street
                + ", dongcheng district, Beijing\",\"disease\":\"follow-up\",\"mobile\":\"" + phone + "\"}\n");
        Ops.Result demo = Ops.run(Duration.ofMinutes(6), "ops/demo", "--out", dir.resolve("out").toString(),
                "--records", records.toString());
        assertEquals(0, demo.exitCode(), demo.all());

        List<String> identifiers = List.of(id, phone, name, street);
        List<String> found = new ArrayList<>();
        int scanned = 0;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", BOOTSTRAP));
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", BOOTSTRAP),
                     new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            Set<String> topics = admin.listTopics(new org.apache.kafka.clients.admin.ListTopicsOptions().listInternal(true))
                    .names().get();
            assertTrue(topics.contains(Topics.MASKED));
            for (String topic : topics) {
                if (RESTRICTED.contains(topic)) {
                    continue;
                }
                TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
                for (var partition : description.partitions()) {
                    scanned += scan(consumer, new TopicPartition(topic, partition.partition()), identifiers, found);
                }
            }
        }
        assertTrue(scanned > 0);
        assertEquals(List.of(), found, "identifiers outside the restricted topics");
    }

    private static int scan(KafkaConsumer<byte[], byte[]> consumer, TopicPartition tp, List<String> identifiers,
            List<String> found) {
        consumer.assign(List.of(tp));
        consumer.seekToBeginning(List.of(tp));
        long end = consumer.endOffsets(List.of(tp)).get(tp);
        int count = 0;
        Instant deadline = Instant.now().plusSeconds(60);
        while (consumer.position(tp) < end && Instant.now().isBefore(deadline)) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                count++;
                List<byte[]> parts = new ArrayList<>();
                parts.add(record.key());
                parts.add(record.value());
                record.headers().forEach(h -> parts.add(h.value()));
                for (byte[] part : parts) {
                    if (part == null) {
                        continue;
                    }
                    String text = new String(part, StandardCharsets.ISO_8859_1);
                    for (String identifier : identifiers) {
                        if (text.contains(new String(identifier.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1))) {
                            found.add(identifier + " in " + tp + "@" + record.offset());
                        }
                    }
                }
            }
        }
        return count;
    }
}
