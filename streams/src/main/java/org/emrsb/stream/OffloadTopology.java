package org.emrsb.stream;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.emrsb.avro.MaskedAttachment;
import org.emrsb.avro.ParkedRecord;
import org.emrsb.avro.RejectedRecord;
import org.emrsb.avro.SignedMaskedRecord;
import org.emrsb.core.ipfs.Cid;
import org.emrsb.core.offload.Offloader;
import org.emrsb.schemas.AvroSerdes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The offload stage: emr.masked → emr.offloaded (paper §3.4, Figure 3 steps 3–4). Each attachment's
 * ciphertext goes to IPFS and is replaced by its locally verified CID; the key (the patient's
 * pseudonym) is kept, so emr.offloaded is co-partitioned with ledger.tx.
 *
 * <p>When the IPFS node is unavailable the record is parked in {@link Stores#OFFLOAD_PARKED} and a
 * wall-clock punctuator retries it with exponential backoff. A patient's later records park behind the
 * first, so per-patient order holds. After one unavailable answer the stage stops calling the node until
 * the backoff passes (new records park at once), so the stream thread never waits on a dead node for
 * more than one call timeout. Permanent failures go to emr.rejected with their reason.
 */
public final class OffloadTopology {

    public static final String SOURCE = "offload-source";
    public static final String PROCESSOR = "offload-attachments";
    public static final String OFFLOADED_SINK = "offload-offloaded-sink";
    public static final String REJECTED_SINK = "offload-rejected-sink";
    private static final Duration PUNCTUATE_EVERY = Duration.ofMillis(500);
    private static final Logger LOG = LoggerFactory.getLogger(OffloadTopology.class);

    /**
     * @param retryBudget how long one punctuation may spend retrying parked records
     */
    public record Components(Serde<SignedMaskedRecord> masked, Serde<RejectedRecord> rejected, Offloader offloader,
            Duration retryInitial, Duration retryMax, Duration retryBudget) {
    }

    private OffloadTopology() {
    }

    public static void build(Topology topology, Topics topics, Components components) {
        topology.addSource(SOURCE, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(),
                topics.spec(Topics.MASKED).name());
        topology.addProcessor(PROCESSOR, () -> new OffloadProcessor(components), SOURCE);
        topology.addStateStore(org.apache.kafka.streams.state.Stores.keyValueStoreBuilder(
                org.apache.kafka.streams.state.Stores.persistentKeyValueStore(Stores.OFFLOAD_PARKED),
                Serdes.String(), Serdes.ByteArray()), PROCESSOR);
        topology.addSink(OFFLOADED_SINK, topics.spec(Topics.OFFLOADED).name(), Serdes.String().serializer(),
                components.masked().serializer(), PROCESSOR);
        topology.addSink(REJECTED_SINK, topics.spec(Topics.REJECTED).name(), Serdes.ByteArray().serializer(),
                components.rejected().serializer(), PROCESSOR);
    }

    static final class OffloadProcessor implements Processor<String, byte[], Object, Object> {
        private static final String NEXT_SEQUENCE = "#next-sequence";
        private final Components components;
        private final Serde<ParkedRecord> parkedSerde = AvroSerdes.singleObject(ParkedRecord.class);
        private ProcessorContext<Object, Object> context;
        private KeyValueStore<String, byte[]> parked;
        private Duration backoff;
        private long retryAt;

        OffloadProcessor(Components components) {
            this.components = components;
            this.backoff = components.retryInitial();
        }

        @Override
        public void init(ProcessorContext<Object, Object> context) {
            this.context = context;
            this.parked = context.getStateStore(Stores.OFFLOAD_PARKED);
            context.schedule(PUNCTUATE_EVERY, PunctuationType.WALL_CLOCK_TIME, this::retryParked);
        }

        @Override
        public void process(Record<String, byte[]> record) {
            RecordMetadata source = context.recordMetadata().orElseThrow();
            ParkedRecord entry = ParkedRecord.newBuilder().setKey(record.key())
                    .setValue(record.value() == null ? null : ByteBuffer.wrap(record.value()))
                    .setTimestamp(record.timestamp()).setSourceTopic(source.topic())
                    .setSourcePartition(source.partition()).setSourceOffset(source.offset())
                    .setParkedAt(Instant.ofEpochMilli(context.currentSystemTimeMs())).setAttempts(0).build();
            if (hasParked(record.key()) || context.currentSystemTimeMs() < retryAt) {
                park(entry);
                return;
            }
            if (!attempt(entry)) {
                park(entry);
            }
        }

        /** Tries one record; false when the node is unavailable (the record must wait). */
        private boolean attempt(ParkedRecord entry) {
            SignedMaskedRecord record;
            try {
                record = decode(entry);
            } catch (RuntimeException e) {
                reject(entry, "bad-avro", "not a SignedMaskedRecord: " + e.getMessage());
                return true;
            }
            Offloader.Outcome outcome;
            try {
                outcome = components.offloader().offload(attachments(record));
            } catch (RuntimeException e) {
                LOG.error("offload failed on {}-{}@{}", entry.getSourceTopic(), entry.getSourcePartition(),
                        entry.getSourceOffset(), e);
                reject(entry, "internal-error", e.getClass().getSimpleName());
                return true;
            }
            if (outcome instanceof Offloader.Outcome.Stored stored) {
                forward(entry, offloaded(record, stored.cids()));
                backoff = components.retryInitial();
                return true;
            }
            if (outcome instanceof Offloader.Outcome.Refused refused) {
                reject(entry, refused.reason(), refused.detail());
                return true;
            }
            Offloader.Outcome.Retry retry = (Offloader.Outcome.Retry) outcome;
            retryAt = context.currentSystemTimeMs() + backoff.toMillis();
            LOG.warn("IPFS unavailable ({}); parking records, next attempt in {} ms", retry.reason(), backoff.toMillis());
            backoff = backoff.multipliedBy(2).compareTo(components.retryMax()) > 0 ? components.retryMax()
                    : backoff.multipliedBy(2);
            return false;
        }

        /** The punctuator: retries parked records in key order (per patient, oldest first) within a budget. */
        private void retryParked(long now) {
            if (now < retryAt) {
                return;
            }
            long deadline = now + components.retryBudget().toMillis();
            for (KeyValue<String, byte[]> entry : parkedEntries()) {
                ParkedRecord parkedRecord = parkedSerde.deserializer().deserialize(Stores.OFFLOAD_PARKED, entry.value);
                parkedRecord.setAttempts(parkedRecord.getAttempts() + 1);
                if (!attempt(parkedRecord)) {
                    // Still unavailable: keep it (and everything behind it) for the next round.
                    parked.put(entry.key, parkedSerde.serializer().serialize(Stores.OFFLOAD_PARKED, parkedRecord));
                    return;
                }
                parked.delete(entry.key);
                if (context.currentSystemTimeMs() > deadline) {
                    return;
                }
            }
        }

        private List<KeyValue<String, byte[]>> parkedEntries() {
            List<KeyValue<String, byte[]>> entries = new ArrayList<>();
            try (KeyValueIterator<String, byte[]> all = parked.all()) {
                while (all.hasNext()) {
                    KeyValue<String, byte[]> entry = all.next();
                    if (!entry.key.startsWith("#")) {
                        entries.add(entry);
                    }
                }
            }
            return entries;
        }

        private boolean hasParked(String key) {
            try (KeyValueIterator<String, byte[]> found = parked.prefixScan(patientPrefix(key), Serdes.String().serializer())) {
                return found.hasNext();
            }
        }

        private void park(ParkedRecord entry) {
            byte[] next = parked.get(NEXT_SEQUENCE);
            long sequence = next == null ? 0 : ByteBuffer.wrap(next).getLong();
            parked.put(NEXT_SEQUENCE, ByteBuffer.allocate(8).putLong(sequence + 1).array());
            parked.put(patientPrefix(entry.getKey()) + String.format("%019d", sequence),
                    parkedSerde.serializer().serialize(Stores.OFFLOAD_PARKED, entry));
        }

        private static String patientPrefix(String key) {
            return (key == null ? "" : key) + "/";
        }

        private SignedMaskedRecord decode(ParkedRecord entry) {
            if (entry.getValue() == null) {
                throw new IllegalArgumentException("the record has no value");
            }
            return components.masked().deserializer().deserialize(Topics.MASKED, AvroMapping.bytes(entry.getValue()));
        }

        private static List<Offloader.Attachment> attachments(SignedMaskedRecord record) {
            List<Offloader.Attachment> out = new ArrayList<>();
            for (MaskedAttachment a : record.getAttachments()) {
                out.add(new Offloader.Attachment(
                        a.getCiphertext() == null ? null : AvroMapping.bytes(a.getCiphertext()),
                        a.getCid() == null ? null : Cid.fromBytes(AvroMapping.bytes(a.getCid())),
                        AvroMapping.bytes(a.getCiphertextSha256()), a.getCiphertextSize()));
            }
            return out;
        }

        private static SignedMaskedRecord offloaded(SignedMaskedRecord record, List<Cid> cids) {
            SignedMaskedRecord copy = SignedMaskedRecord.newBuilder(record).build();
            List<MaskedAttachment> attachments = new ArrayList<>();
            for (int i = 0; i < record.getAttachments().size(); i++) {
                attachments.add(MaskedAttachment.newBuilder(record.getAttachments().get(i))
                        .setCiphertext(null).setCid(ByteBuffer.wrap(cids.get(i).bytes())).build());
            }
            copy.setAttachments(attachments);
            return copy;
        }

        private void forward(ParkedRecord entry, SignedMaskedRecord record) {
            context.forward(new Record<Object, Object>(entry.getKey(), record, entry.getTimestamp(), new RecordHeaders()),
                    OFFLOADED_SINK);
        }

        private void reject(ParkedRecord entry, String reason, String detail) {
            LOG.info("offload rejected {}-{}@{} ({}): {}", entry.getSourceTopic(), entry.getSourcePartition(),
                    entry.getSourceOffset(), reason, detail);
            DeadLetters.forward(context, REJECTED_SINK, "offload", reason, detail, entry.getSourceTopic(),
                    entry.getSourcePartition(), entry.getSourceOffset(),
                    entry.getKey() == null ? null : entry.getKey().getBytes(StandardCharsets.UTF_8),
                    entry.getValue() == null ? null : AvroMapping.bytes(entry.getValue()), entry.getTimestamp());
        }
    }
}
