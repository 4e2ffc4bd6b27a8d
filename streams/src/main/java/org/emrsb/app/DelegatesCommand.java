package org.emrsb.app;

import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serde;
import org.emrsb.avro.DelegateState;
import org.emrsb.avro.EpochRecord;
import org.emrsb.schemas.AvroSerdes;
import org.emrsb.stream.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ops/emrsb delegates}: the current governance epoch and every delegate's status in it. */
@Command(name = "delegates", description = "Print the current governance epoch and the delegates' statuses.")
final class DelegatesCommand implements Callable<Integer> {

    @Mixin
    Main.Common common;

    @Override
    public Integer call() {
        EmrsbConfig config = common.config();
        EpochRecord epoch = latest(config);
        if (epoch == null) {
            System.out.println("no governance epoch yet (no vote has made anyone a delegate)");
            return 0;
        }
        System.out.printf("epoch %d, effective %s (%s)%n", epoch.getEpoch(), epoch.getEffectiveAt(), epoch.getCause());
        for (DelegateState delegate : epoch.getDelegates()) {
            System.out.printf("%-72s %-8s approvals=%d%n", delegate.getKey(), delegate.getStatus(), delegate.getApprovals());
        }
        return 0;
    }

    /**
     * The last epoch on governance.epochs (one partition, so the last is the current epoch) of the
     * alliance of governance.authority-key when it is set (a cluster may carry several alliances'
     * ledgers), else of any alliance.
     */
    static EpochRecord latest(EmrsbConfig config) {
        String authority = config.string("governance.authority-key").isEmpty() ? null
                : GatewaySettings.authority(config).toString();
        TopicPartition tp = new TopicPartition(Topics.GOVERNANCE_EPOCHS, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaClients.consumer(config, "emrsb-delegates"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
             Serde<EpochRecord> serde = AvroSerdes.registry(config.registry(), false)) {
            consumer.assign(List.of(tp));
            long end = consumer.endOffsets(List.of(tp), KafkaClients.CALL_TIMEOUT).get(tp);
            if (end == 0) {
                return null;
            }
            // Not end - 1: under exactly-once the last offsets are transaction markers. Epochs are few.
            consumer.seekToBeginning(List.of(tp));
            EpochRecord last = null;
            long deadline = System.currentTimeMillis() + KafkaClients.CALL_TIMEOUT.toMillis();
            while (consumer.position(tp) < end && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(java.time.Duration.ofMillis(200))) {
                    EpochRecord epoch = serde.deserializer().deserialize(Topics.GOVERNANCE_EPOCHS, record.value());
                    if (authority == null || authority.equals(epoch.getAuthorityKey())) {
                        last = epoch;
                    }
                }
            }
            return last;
        }
    }
}
