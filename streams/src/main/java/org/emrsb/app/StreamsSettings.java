package org.emrsb.app;

import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.emrsb.stream.Topics;

/** The Kafka Streams configuration every EMRSB role runs with. */
final class StreamsSettings {

    private StreamsSettings() {
    }

    static Properties of(EmrsbConfig config, String applicationId) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafkaBootstrap());
        // Invariant 1: nothing accepted is lost or duplicated across crashes and restarts.
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.duration("streams.commit-interval").toMillis());
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir(config).toString());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) config.topics().replicationFactor());
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // Records up to 10 MiB (an 8 MiB attachment, encrypted and wrapped) through producers, consumers
        // and the internal topics Streams creates.
        props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), Topics.MAX_RECORD_BYTES);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), Topics.MAX_RECORD_BYTES);
        props.put(StreamsConfig.topicPrefix(TopicConfig.MAX_MESSAGE_BYTES_CONFIG), Integer.toString(Topics.MAX_RECORD_BYTES));
        props.put("processing.exception.handler.global.enabled", "true");
        // Stages call external services (IPFS) inside a transaction: one call may take ipfs.timeout, so the
        // transaction must outlive several of them (Streams' exactly-once default is 10 s).
        props.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
                (int) Math.max(60_000, 6 * config.duration("ipfs.timeout").toMillis()));
        return props;
    }

    /** A relative state folder lives under $EMRSB_HOME when set (ops/ scripts set it), else the working folder. */
    static Path stateDir(EmrsbConfig config) {
        Path dir = Path.of(config.string("streams.state-dir"));
        String home = System.getenv("EMRSB_HOME");
        if (!dir.isAbsolute() && home != null && dir.startsWith(".emrsb")) {
            return Path.of(home).resolve(dir.subpath(1, dir.getNameCount()));
        }
        return dir.toAbsolutePath();
    }
}
