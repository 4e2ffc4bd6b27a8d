package org.emrsb.stream;

import java.nio.ByteBuffer;
import java.time.Instant;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.emrsb.avro.RejectedRecord;

/**
 * Dead letters for emr.rejected, the same for every stage: the stage, a reason code, a detail that never
 * echoes an identifier, where the input came from, and its key and value bytes as received.
 */
final class DeadLetters {

    private DeadLetters() {
    }

    /** Forwards the refused input to {@code sink}, keyed by its original key bytes, without headers. */
    static void forward(ProcessorContext<Object, Object> context, String sink, String stage, String reason,
            String detail, String sourceTopic, int sourcePartition, long sourceOffset, byte[] key, byte[] value,
            long timestamp) {
        RejectedRecord dead = letter(context.currentSystemTimeMs(), stage, reason, detail, sourceTopic,
                sourcePartition, sourceOffset, key, value);
        context.forward(new Record<Object, Object>(key, dead, timestamp, new RecordHeaders()), sink);
    }

    /** The dead letter itself, for a stage that forwards it through the DSL rather than to a named sink. */
    static RejectedRecord letter(long now, String stage, String reason, String detail, String sourceTopic,
            int sourcePartition, long sourceOffset, byte[] key, byte[] value) {
        return RejectedRecord.newBuilder()
                .setReason(reason).setDetail(detail).setStage(stage)
                .setSourceTopic(sourceTopic).setSourcePartition(sourcePartition).setSourceOffset(sourceOffset)
                .setRejectedAt(Instant.ofEpochMilli(now))
                .setKey(key == null ? null : ByteBuffer.wrap(key))
                .setValue(value == null ? null : ByteBuffer.wrap(value))
                .build();
    }
}
