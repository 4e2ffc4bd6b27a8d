package org.emrsb.app;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.emrsb.schemas.ConfluentWireDecoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ops/emrsb tail TOPIC}: prints a topic's records as an analyst's Confluent-format consumer
 * decodes them (schema fetched by id from the registry). A record that does not decode is printed
 * with the reason, never skipped.
 */
@Command(name = "tail", description = "Print a topic's records from the start, decoded by schema id.")
final class TailCommand implements Callable<Integer> {

    @Mixin
    Main.Common common;

    @Parameters(paramLabel = "TOPIC", description = "e.g. emr.masked")
    String topic;

    @Option(names = "--max", defaultValue = "20", description = "at most this many records (default ${DEFAULT-VALUE})")
    int max;

    @Override
    public Integer call() {
        EmrsbConfig config = common.config();
        config.topics().spec(topic);
        ConfluentWireDecoder decoder = new ConfluentWireDecoder(config.registry());
        int count = 0;
        for (ConsumerRecord<byte[], byte[]> record : TopicReader.readFromStart(config, topic, max, Duration.ofSeconds(15))) {
            String value;
            try {
                value = "schema=" + ConfluentWireDecoder.schemaId(record.value()) + " " + decoder.decode(record.value());
            } catch (ConfluentWireDecoder.WireFormatException e) {
                value = "UNDECODABLE: " + e.getMessage();
            }
            System.out.printf("%s-%d@%d %s%n", record.topic(), record.partition(), record.offset(), value);
            count++;
        }
        System.err.printf("%d record(s)%n", count);
        return 0;
    }
}
