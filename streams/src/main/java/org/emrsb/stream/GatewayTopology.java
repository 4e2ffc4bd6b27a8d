package org.emrsb.stream;

import java.util.function.Function;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.emrsb.avro.RejectedRecord;
import org.emrsb.avro.SignedMaskedRecord;
import org.emrsb.avro.Submission;
import org.emrsb.core.gateway.Gateway;
import org.emrsb.core.gateway.GatewayOutcome;
import org.emrsb.core.governance.MemberDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway stage: emr.intake → emr.masked, refusals → emr.rejected (paper §4.1, Figure 3 steps 1–2).
 *
 * <p>Intake is read as raw bytes and decoded inside the processor, so a record that is not a valid
 * Submission becomes a dead letter with its source offset instead of a deserialization failure. The
 * masked record is keyed by the patient's pseudonym; input headers are dropped. The stage keeps no
 * state of its own: the only store it reads is the global members store (governance.members), so no
 * changelog or repartition topic ever holds an identifier.
 */
public final class GatewayTopology {

    public static final String SOURCE = "gateway-source";
    public static final String PROCESSOR = "gateway-mask";
    public static final String MASKED_SINK = "gateway-masked-sink";
    public static final String REJECTED_SINK = "gateway-rejected-sink";

    private static final Logger LOG = LoggerFactory.getLogger(GatewayTopology.class);

    /** What the stage needs: serdes and the gateway, made once the members directory exists. */
    public record Components(Serde<Submission> submissions, Serde<SignedMaskedRecord> masked,
            Serde<RejectedRecord> rejected, Function<MemberDirectory, Gateway> gateway) {
    }

    private GatewayTopology() {
    }

    /** Adds the stage to a topology that already has the members global store. */
    public static void build(Topology topology, Topics topics, Components components) {
        topology.addSource(SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
                topics.spec(Topics.INTAKE).name());
        topology.addProcessor(PROCESSOR, () -> new MaskProcessor(components), SOURCE);
        topology.addSink(MASKED_SINK, topics.spec(Topics.MASKED).name(), Serdes.String().serializer(),
                components.masked().serializer(), PROCESSOR);
        topology.addSink(REJECTED_SINK, topics.spec(Topics.REJECTED).name(), Serdes.ByteArray().serializer(),
                components.rejected().serializer(), PROCESSOR);
    }

    static final class MaskProcessor implements Processor<byte[], byte[], Object, Object> {
        private final Components components;
        private ProcessorContext<Object, Object> context;
        private Gateway gateway;

        MaskProcessor(Components components) {
            this.components = components;
        }

        @Override
        public void init(ProcessorContext<Object, Object> context) {
            this.context = context;
            ReadOnlyKeyValueStore<String, byte[]> members = context.getStateStore(Stores.MEMBERS);
            this.gateway = components.gateway().apply(MembersGlobalStore.directory(members));
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            Submission submission;
            try {
                submission = components.submissions().deserializer().deserialize(Topics.INTAKE, record.value());
                if (submission == null) {
                    reject(record, GatewayOutcome.Reasons.BAD_AVRO, "the record has no value");
                    return;
                }
            } catch (RuntimeException e) {
                reject(record, GatewayOutcome.Reasons.BAD_AVRO, "not a Submission: " + e.getMessage());
                return;
            }
            GatewayOutcome outcome;
            try {
                outcome = gateway.process(AvroMapping.toRaw(submission));
            } catch (RuntimeException e) {
                // A defect, not bad input: still a dead letter, never a dead stream thread.
                LOG.error("gateway failed on {}: {}", position(), e.toString(), e);
                reject(record, "internal-error", e.getClass().getSimpleName());
                return;
            }
            if (outcome instanceof GatewayOutcome.Masked masked) {
                context.forward(new Record<Object, Object>(masked.pseudonym(), AvroMapping.toAvro(masked),
                        record.timestamp(), new RecordHeaders()), MASKED_SINK);
            } else if (outcome instanceof GatewayOutcome.Rejected rejected) {
                reject(record, rejected.reason(), rejected.detail());
            }
        }

        private void reject(Record<byte[], byte[]> record, String reason, String detail) {
            RecordMetadata source = context.recordMetadata().orElseThrow();
            LOG.info("gateway rejected {} ({}): {}", position(), reason, detail);
            DeadLetters.forward(context, REJECTED_SINK, "gateway", reason, detail, source.topic(), source.partition(),
                    source.offset(), record.key(), record.value(), record.timestamp());
        }

        private String position() {
            return context.recordMetadata().map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("?");
        }
    }
}
