package org.emrsb.app;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads raw records back from known positions without joining a consumer group: for the demo, which
 * shows what a Confluent-format consumer sees, and for {@code tail}. Bounded by a deadline.
 */
final class TopicReader {

    private TopicReader() {
    }

    /** Reads the records at {@code positions} (partition to offsets) of {@code topic}, waiting up to {@code timeout}. */
    static List<ConsumerRecord<byte[], byte[]>> readAt(EmrsbConfig config, String topic,
            Map<Integer, List<Long>> positions, Duration timeout) {
        int wanted = positions.values().stream().mapToInt(List::size).sum();
        List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                KafkaClients.consumer(config, "emrsb-reader"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = positions.keySet().stream()
                    .map(p -> new TopicPartition(topic, p)).toList();
            consumer.assign(partitions);
            for (TopicPartition tp : partitions) {
                consumer.seek(tp, positions.get(tp.partition()).stream().min(Long::compare).orElseThrow());
            }
            Instant deadline = Instant.now().plus(timeout);
            while (found.size() < wanted && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (positions.getOrDefault(record.partition(), List.of()).contains(record.offset())) {
                        found.add(record);
                    }
                }
            }
        }
        if (found.size() < wanted) {
            throw new IllegalStateException("read back only " + found.size() + " of " + wanted + " records from "
                    + topic + " within " + timeout.toSeconds() + "s");
        }
        found.sort(Comparator.comparingLong(ConsumerRecord::timestamp));
        return found;
    }

    /** Reads up to {@code max} records from the start of every partition of {@code topic}. */
    static List<ConsumerRecord<byte[], byte[]>> readFromStart(EmrsbConfig config, String topic, int max,
            Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> found = new ArrayList<>();
        scanFromStart(config, topic, timeout, record -> {
            found.add(record);
            return found.size() >= max;
        });
        return found;
    }

    /**
     * Scans {@code topic} from the start of every partition up to its current end and returns the first
     * record {@code match} accepts, without holding the others.
     *
     * @throws IllegalStateException if the scan cannot reach the end within {@code timeout}
     */
    static Optional<ConsumerRecord<byte[], byte[]>> findFirst(EmrsbConfig config, String topic,
            Predicate<ConsumerRecord<byte[], byte[]>> match, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> hit = new ArrayList<>(1);
        boolean complete = scanFromStart(config, topic, timeout, record -> match.test(record) && hit.add(record));
        if (hit.isEmpty() && !complete) {
            throw new IllegalStateException("scanning " + topic + " did not finish within " + timeout.toSeconds() + "s");
        }
        return hit.stream().findFirst();
    }

    /**
     * Feeds {@code visitor} the records of every partition from the start up to the current end, until
     * it returns true (stop) or the deadline passes; true when the scan stopped or reached the end.
     */
    private static boolean scanFromStart(EmrsbConfig config, String topic, Duration timeout,
            Predicate<ConsumerRecord<byte[], byte[]>> visitor) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                KafkaClients.consumer(config, "emrsb-scan"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, KafkaClients.CALL_TIMEOUT).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, KafkaClients.CALL_TIMEOUT);
            Instant deadline = Instant.now().plus(timeout);
            while (Instant.now().isBefore(deadline) && !atEnd(consumer, ends)) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (visitor.test(record)) {
                        return true;
                    }
                }
            }
            return atEnd(consumer, ends);
        }
    }

    private static boolean atEnd(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }
}
