package org.emrsb.app;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;
import org.emrsb.avro.RejectedRecord;
import org.emrsb.avro.SignedMaskedRecord;
import org.emrsb.avro.Submission;
import org.emrsb.avro.SubmittedAttachment;
import org.emrsb.core.crypto.MemberKeys;
import org.emrsb.core.crypto.Signatures;
import org.emrsb.core.gateway.RawSubmission;
import org.emrsb.schemas.AvroSerdes;
import org.emrsb.stream.AvroMapping;
import org.emrsb.stream.Topics;

/** The demo's traffic: signed submissions in, and what the pipeline made of each, collected by submission id. */
final class DemoTraffic {

    /** One submission's fate: masked (with its key), or rejected with the reason. */
    record Outcome(String key, SignedMaskedRecord masked, String rejectedReason, String rejectedDetail) {
    }

    static final byte[] DEMO_ATTACHMENT = ("EMRSB demo attachment: chest X-ray report. Lungs clear; no acute findings.\n")
            .getBytes(StandardCharsets.UTF_8);

    private final EmrsbConfig config;
    private final MemberKeys submitter;
    private final MemberKeys counterparty;

    /** The demo's doctor submits about the demo's patient. */
    DemoTraffic(EmrsbConfig config, DemoIdentities ids) {
        this(config, ids.doctor(), ids.patient());
    }

    /** {@code submitter} (an enrolled doctor or patient) submits, naming {@code counterparty}. */
    DemoTraffic(EmrsbConfig config, MemberKeys submitter, MemberKeys counterparty) {
        this.config = config;
        this.submitter = submitter;
        this.counterparty = counterparty;
    }

    List<Outcome> submitAndCollect(List<RecordsFile.Entry> entries, Duration timeout) throws Exception {
        try (Serde<Submission> submissions = AvroSerdes.registry(config.registry(), false);
             Serde<SignedMaskedRecord> masked = AvroSerdes.registry(config.registry(), false);
             Serde<RejectedRecord> rejected = AvroSerdes.registry(config.registry(), false);
             KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaClients.consumer(config, "emrsb-demo-reader"),
                     new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(Topics.OFFLOADED, Topics.REJECTED)) {
                consumer.partitionsFor(topic, KafkaClients.CALL_TIMEOUT)
                        .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.endOffsets(partitions, KafkaClients.CALL_TIMEOUT).forEach(consumer::seek);

            Map<String, Integer> pending = submit(entries, submissions);
            Outcome[] outcomes = new Outcome[entries.size()];
            Instant deadline = Instant.now().plus(timeout);
            while (!pending.isEmpty() && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(250))) {
                    collect(record, pending, outcomes, submissions, masked, rejected);
                }
            }
            if (!pending.isEmpty()) {
                throw new IllegalStateException(pending.size() + " submission(s) did not come out of the pipeline within "
                        + timeout.toSeconds() + "s");
            }
            return List.of(outcomes);
        }
    }

    private Map<String, Integer> submit(List<RecordsFile.Entry> entries, Serde<Submission> serde) throws Exception {
        Map<String, Integer> pending = new HashMap<>();
        try (KafkaProducer<String, Submission> producer = new KafkaProducer<>(KafkaClients.producer(config, "emrsb-demo"),
                new StringSerializer(), serde.serializer())) {
            for (int i = 0; i < entries.size(); i++) {
                Submission submission = signed(entries.get(i), i == 0);
                RecordMetadata meta = producer.send(new ProducerRecord<>(Topics.INTAKE, submission.getSubmissionId(),
                        submission)).get(KafkaClients.CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                pending.put(submission.getSubmissionId(), i);
                DemoCommand.progress("intake: record %d of %d signed by the doctor -> %s-%d@%d%s", i + 1, entries.size(),
                        meta.topic(), meta.partition(), meta.offset(), i == 0 ? " (with an attachment)" : "");
            }
        }
        return pending;
    }

    /** A submission by the submitter naming the counterparty, signed over its canonical bytes. */
    private Submission signed(RecordsFile.Entry entry, boolean withAttachment) {
        List<SubmittedAttachment> attachments = withAttachment
                ? List.of(new SubmittedAttachment("chest-xray-report.txt", "text/plain", ByteBuffer.wrap(DEMO_ATTACHMENT)))
                : List.of();
        Submission unsigned = Submission.newBuilder()
                .setSubmissionId(UUID.randomUUID().toString())
                .setSubmittedAt(Instant.ofEpochMilli(System.currentTimeMillis()))
                .setFormat(entry.format()).setBody(entry.body()).setAttachments(attachments)
                .setSubmitterKey(ByteBuffer.wrap(submitter.verifyingKey().bytes()))
                .setCounterpartyKey(ByteBuffer.wrap(counterparty.verifyingKey().bytes()))
                .setSignature(ByteBuffer.allocate(0))
                .build();
        RawSubmission raw = AvroMapping.toRaw(unsigned);
        byte[] signature = Signatures.sign(submitter.signingKey(), raw.body().toBytes());
        unsigned.setSignature(ByteBuffer.wrap(signature));
        return unsigned;
    }

    private static void collect(ConsumerRecord<byte[], byte[]> record, Map<String, Integer> pending, Outcome[] outcomes,
            Serde<Submission> submissions, Serde<SignedMaskedRecord> maskedSerde, Serde<RejectedRecord> rejectedSerde) {
        if (record.topic().equals(Topics.OFFLOADED)) {
            SignedMaskedRecord masked = maskedSerde.deserializer().deserialize(record.topic(), record.value());
            Integer index = pending.remove(masked.getSubmissionId());
            if (index != null) {
                outcomes[index] = new Outcome(new String(record.key(), StandardCharsets.UTF_8), masked, null, null);
            }
            return;
        }
        RejectedRecord dead = rejectedSerde.deserializer().deserialize(record.topic(), record.value());
        String id;
        try {
            id = submissions.deserializer().deserialize(Topics.INTAKE, AvroMapping.bytes(dead.getValue()))
                    .getSubmissionId();
        } catch (RuntimeException e) {
            return;
        }
        Integer index = pending.remove(id);
        if (index != null) {
            outcomes[index] = new Outcome(null, null, dead.getReason(), dead.getDetail());
        }
    }
}
