package org.emrsb.stream;

import java.nio.ByteBuffer;
import java.util.Optional;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.emrsb.avro.EpochRecord;
import org.emrsb.core.governance.GovernanceEpoch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The governance epochs as a global store every delegate reads: governance.epochs, each epoch's
 * canonical bytes under its 19-digit number, and under {@link #CURRENT} the number of the last one on
 * the topic. The governance processor is the only writer of the topic and numbers epochs in the order
 * it writes them, so the last epoch written is the one in force; the store follows the topic's order
 * rather than the largest number. A cluster may carry the ledgers of several alliances (each its own
 * enrolment authority, e.g. test runs on a shared cluster): only epochs of this alliance's authority are
 * kept. An epoch number, once written, keeps its first content: a second epoch under the same number
 * (a second governance processor for the alliance) is logged and ignored, so that "ACTIVE at epoch n"
 * stays a fixed fact. Unreadable records are logged and skipped; they never stop the global thread.
 */
public final class EpochsGlobalStore {

    /** The key whose value is the number of the epoch in force, the last on the topic (8 bytes, big-endian). */
    public static final String CURRENT = "current";

    private static final Logger LOG = LoggerFactory.getLogger(EpochsGlobalStore.class);

    private EpochsGlobalStore() {
    }

    /** Adds the global store and its update processor to a topology. */
    public static void addTo(Topology topology, Topics topics, Deserializer<EpochRecord> values,
            org.emrsb.core.crypto.VerifyingKey authority) {
        topology.addGlobalStore(
                org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                        org.apache.kafka.streams.state.Stores.persistentKeyValueStore(Stores.GOVERNANCE_EPOCHS),
                        Serdes.String(), Serdes.ByteArray()).withLoggingDisabled(),
                "epochs-source", Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                topics.spec(Topics.GOVERNANCE_EPOCHS).name(), "epochs-update", () -> new Updater(values, authority.toString()));
    }

    /** The number of the current epoch; empty before the first. Cheap: one small lookup. */
    public static Optional<Long> currentNumber(ReadOnlyKeyValueStore<String, byte[]> store) {
        byte[] current = store.get(CURRENT);
        return current == null ? Optional.empty() : Optional.of(ByteBuffer.wrap(current).getLong());
    }

    /** An epoch by number, parsed. */
    public static Optional<GovernanceEpoch> epoch(ReadOnlyKeyValueStore<String, byte[]> store, long number) {
        byte[] bytes = store.get(key(number));
        return bytes == null ? Optional.empty() : Optional.of(GovernanceEpoch.parse(bytes));
    }

    /** The current epoch, parsed; empty before the first. */
    public static Optional<GovernanceEpoch> current(ReadOnlyKeyValueStore<String, byte[]> store) {
        return currentNumber(store).flatMap(n -> epoch(store, n));
    }

    static String key(long number) {
        return String.format("%019d", number);
    }

    static final class Updater implements Processor<String, byte[], Void, Void> {
        private final Deserializer<EpochRecord> values;
        private final String authority;
        private KeyValueStore<String, byte[]> store;

        Updater(Deserializer<EpochRecord> values, String authority) {
            this.values = values;
            this.authority = authority;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            this.store = context.getStateStore(Stores.GOVERNANCE_EPOCHS);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            GovernanceEpoch epoch;
            try {
                EpochRecord value = values.deserialize(Topics.GOVERNANCE_EPOCHS, record.value());
                if (!authority.equals(value.getAuthorityKey())) {
                    LOG.debug("skipping epoch {} of another alliance ({})", value.getEpoch(), value.getAuthorityKey());
                    return;
                }
                epoch = GovernanceEpoch.parse(AvroMapping.bytes(value.getCanonical()));
            } catch (RuntimeException e) {
                LOG.warn("skipping an unreadable epoch on {} (key {}): {}", Topics.GOVERNANCE_EPOCHS, record.key(),
                        e.getMessage());
                return;
            }
            byte[] written = store.get(key(epoch.epoch()));
            if (written != null) {
                if (!java.util.Arrays.equals(written, epoch.toBytes())) {
                    LOG.error("epoch {} of this alliance is already written with another delegate set; ignoring the "
                            + "second one (is a second governance processor running for the alliance?)", epoch.epoch());
                }
                return; // an epoch, once written, never changes: past judgements depend on it
            }
            store.put(key(epoch.epoch()), epoch.toBytes());
            store.put(CURRENT, ByteBuffer.allocate(8).putLong(epoch.epoch()).array());
        }
    }
}
