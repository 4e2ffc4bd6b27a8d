package org.emrsb.app;

import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.emrsb.avro.SignedMaskedRecord;
import org.emrsb.core.crypto.MemberKeys;
import org.emrsb.schemas.AvroSerdes;
import org.emrsb.stream.AvroMapping;
import org.emrsb.stream.Topics;

/**
 * Test access to the demo's traffic: one record, signed by an enrolled submitter naming its counterparty
 * and carrying the demo's attachment, sent to emr.intake of the configured stack ($EMRSB_* as for
 * ops/emrsb); it returns once a given gateway's masked record of it is on emr.offloaded.
 */
public final class SubmissionAccess {

    /** A submission that came out of the offload stage, and the patient's pseudonym it is keyed by. */
    public record Offloaded(String submissionId, String pseudonym) {
    }

    private SubmissionAccess() {
    }

    /**
     * @param record  one JSON record with the paper's fields (name, age, idNumber, address, disease)
     * @param gateway the key file of the gateway expected to mask it
     */
    public static Offloaded submitWithAttachment(Path submitterKey, Path counterpartyKey, Path gateway, String record,
            Duration timeout) throws Exception {
        EmrsbConfig config = EmrsbConfig.load(null);
        MemberKeys submitter = MemberKeys.read(submitterKey);
        List<RecordsFile.Entry> entries = RecordsFile.read(new BufferedReader(new StringReader(record + "\n")),
                "test record");
        DemoTraffic.Outcome outcome = new DemoTraffic(config, submitter, MemberKeys.read(counterpartyKey))
                .submitAndCollect(entries, timeout).get(0);
        if (outcome.masked() != null
                && Arrays.equals(AvroMapping.bytes(outcome.masked().getGatewayKey()), keyOf(gateway))) {
            return new Offloaded(outcome.masked().getSubmissionId(), outcome.key());
        }
        // On a stack that other alliances share, their gateways see the record too and refuse it (its
        // submitter is not enrolled there), maybe first; this alliance's gateway masks it all the same.
        return awaitOffloaded(config, submitter.verifyingKey().bytes(), keyOf(gateway), timeout)
                .orElseThrow(() -> new AssertionError("the gateway did not mask the record within " + timeout
                        + "; the first outcome was " + outcome.rejectedReason() + ": " + outcome.rejectedDetail()));
    }

    private static byte[] keyOf(Path keyFile) throws Exception {
        return MemberKeys.read(keyFile).verifyingKey().bytes();
    }

    /** The first record on emr.offloaded from this submitter masked by this gateway. */
    private static Optional<Offloaded> awaitOffloaded(EmrsbConfig config, byte[] submitter, byte[] gateway,
            Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        try (Serde<SignedMaskedRecord> serde = AvroSerdes.registry(config.registry(), false)) {
            while (Instant.now().isBefore(deadline)) {
                Optional<ConsumerRecord<byte[], byte[]>> found = TopicReader.findFirst(config, Topics.OFFLOADED, r -> {
                    try {
                        SignedMaskedRecord value = serde.deserializer().deserialize(Topics.OFFLOADED, r.value());
                        return Arrays.equals(AvroMapping.bytes(value.getSubmitterKey()), submitter)
                                && Arrays.equals(AvroMapping.bytes(value.getGatewayKey()), gateway);
                    } catch (RuntimeException e) {
                        return false; // not a masked record this schema reads: not ours
                    }
                }, Duration.ofSeconds(60));
                if (found.isPresent()) {
                    SignedMaskedRecord value = serde.deserializer().deserialize(Topics.OFFLOADED, found.get().value());
                    return Optional.of(new Offloaded(value.getSubmissionId(),
                            new String(found.get().key(), StandardCharsets.UTF_8)));
                }
                Thread.sleep(1000);
            }
        }
        return Optional.empty();
    }
}
