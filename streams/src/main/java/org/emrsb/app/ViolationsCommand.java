package org.emrsb.app;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serde;
import org.emrsb.avro.LedgerViolation;
import org.emrsb.core.crypto.Signatures;
import org.emrsb.core.crypto.VerifyingKey;
import org.emrsb.core.format.Sha256;
import org.emrsb.core.format.Violation;
import org.emrsb.schemas.AvroSerdes;
import org.emrsb.stream.AvroMapping;
import org.emrsb.stream.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code ops/emrsb violations}: every piece of evidence the monitors published on ledger.violations, one
 * line each: when, the delegate, the failing check, the chain, the reporting monitor, the evidence's hash
 * (as governance.delegates names it) and whether both signatures in it verify (the monitor's over the
 * violation, the delegate's over the bytes it signed). Whether the check really fails is the governance
 * processor's judgement (docs/monitoring.md, "Verifying evidence").
 */
@Command(name = "violations", description = "List the monitors' evidence against delegates (ledger.violations).")
final class ViolationsCommand implements Callable<Integer> {

    @Mixin
    Main.Common common;

    @Override
    public Integer call() {
        EmrsbConfig config = common.config();
        TopicPartition tp = new TopicPartition(Topics.LEDGER_VIOLATIONS, 0);
        int count = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaClients.consumer(config, "emrsb-violations"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
             Serde<LedgerViolation> serde = AvroSerdes.registry(config.registry(), false)) {
            consumer.assign(List.of(tp));
            long end = consumer.endOffsets(List.of(tp), KafkaClients.CALL_TIMEOUT).get(tp);
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.currentTimeMillis() + KafkaClients.CALL_TIMEOUT.toMillis();
            while (consumer.position(tp) < end && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    System.out.println(describe(serde.deserializer().deserialize(Topics.LEDGER_VIOLATIONS, record.value())));
                    count++;
                }
            }
        }
        System.err.println(count + " violation(s) on " + Topics.LEDGER_VIOLATIONS);
        return 0;
    }

    static String describe(LedgerViolation value) {
        byte[] canonical = AvroMapping.bytes(value.getCanonical());
        byte[] signature = AvroMapping.bytes(value.getSignature());
        String signatures;
        try {
            Violation v = Violation.parse(canonical);
            boolean monitorSigned = Signatures.verify(VerifyingKey.of(v.monitorKey()), canonical, signature);
            boolean delegateSigned = Signatures.verify(VerifyingKey.of(v.delegateKey()), v.signedBytes(),
                    v.delegateSignature());
            signatures = monitorSigned && delegateSigned ? "signatures verified"
                    : "INVALID " + (monitorSigned ? "delegate" : "monitor") + " signature";
        } catch (RuntimeException e) {
            signatures = "UNREADABLE: " + e.getMessage();
        }
        String evidence;
        try {
            evidence = "sha256:" + Sha256.hex(Signatures.appended(canonical, signature));
        } catch (IllegalArgumentException e) {
            evidence = "(no valid signature)";
        }
        return String.format("%s %s %-18s chain %d by monitor %s evidence %s %s", value.getIssuedAt(),
                value.getDelegateKey(), value.getCheck(), value.getChain(), value.getMonitorKey(), evidence,
                signatures);
    }
}
