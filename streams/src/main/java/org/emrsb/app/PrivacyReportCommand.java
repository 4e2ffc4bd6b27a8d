package org.emrsb.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serde;
import org.emrsb.avro.PrivacyReport;
import org.emrsb.schemas.AvroSerdes;
import org.emrsb.stream.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ops/emrsb privacy-report}: the privacy monitor's latest k-anonymity report(s) from
 * emr.privacy.report (one per masking policy seen in the window), human-readable or {@code --json}.
 * Exit 0 with a report, 1 when the topic holds none yet. What a report does and does not say:
 * docs/privacy-report.md.
 */
@Command(name = "privacy-report",
        description = "Print the privacy monitor's latest k-anonymity report(s) (emr.privacy.report).")
final class PrivacyReportCommand implements Callable<Integer> {

    /** How many of the topic's last records are read back: many windows' worth of reports. */
    static final int READ_BACK = 1000;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Mixin
    Main.Common common;

    @Option(names = "--json", description = "print the reports as a JSON array")
    boolean json;

    @Option(names = "--windows", defaultValue = "1", paramLabel = "N",
            description = "the reports of the last N windows (default ${DEFAULT-VALUE})")
    int windows;

    @Override
    public Integer call() throws Exception {
        if (windows < 1) {
            throw new IllegalArgumentException("--windows must be at least 1");
        }
        List<PrivacyReport> reports = latest(read(common.config()), windows);
        if (reports.isEmpty()) {
            System.err.println("no report on " + Topics.PRIVACY_REPORT + " yet (is `ops/emrsb run --role privacy` "
                    + "running? it reports when a window ends)");
            return 1;
        }
        if (json) {
            System.out.println(JSON.writeValueAsString(toJson(reports)));
        } else {
            reports.forEach(r -> System.out.println(describe(r)));
        }
        return 0;
    }

    /** The last records of the report topic's one partition, oldest first; undecodable ones are skipped with a note. */
    private static List<PrivacyReport> read(EmrsbConfig config) {
        TopicPartition tp = new TopicPartition(Topics.PRIVACY_REPORT, 0);
        List<PrivacyReport> reports = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaClients.consumer(config, "emrsb-privacy-report"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
             Serde<PrivacyReport> serde = AvroSerdes.registry(config.registry(), false)) {
            consumer.assign(List.of(tp));
            long end = consumer.endOffsets(List.of(tp), KafkaClients.CALL_TIMEOUT).get(tp);
            long begin = consumer.beginningOffsets(List.of(tp), KafkaClients.CALL_TIMEOUT).get(tp);
            consumer.seek(tp, Math.max(begin, end - READ_BACK));
            long deadline = System.currentTimeMillis() + KafkaClients.CALL_TIMEOUT.toMillis();
            while (consumer.position(tp) < end && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        reports.add(serde.deserializer().deserialize(Topics.PRIVACY_REPORT, record.value()));
                    } catch (RuntimeException e) {
                        System.err.println("skipped an undecodable record at " + Topics.PRIVACY_REPORT + "-0@"
                                + record.offset() + ": " + e.getMessage());
                    }
                }
            }
        }
        return reports;
    }

    /** The reports of the {@code windows} latest windows (by window end), in window then policy order. */
    static List<PrivacyReport> latest(List<PrivacyReport> reports, int windows) {
        TreeSet<Instant> ends = new TreeSet<>();
        reports.forEach(r -> ends.add(r.getWindowEnd()));
        while (ends.size() > windows) {
            ends.pollFirst();
        }
        return reports.stream().filter(r -> ends.contains(r.getWindowEnd()))
                .sorted((a, b) -> {
                    int byWindow = a.getWindowEnd().compareTo(b.getWindowEnd());
                    return byWindow != 0 ? byWindow
                            : String.valueOf(a.getPolicyId()).compareTo(String.valueOf(b.getPolicyId()));
                })
                .toList();
    }

    /** Two or three lines for an operator. */
    static String describe(PrivacyReport r) {
        String head = String.format("window %s .. %s  k=%d on %s", r.getWindowStart(), r.getWindowEnd(), r.getK(),
                String.join(", ", r.getQuasiIdentifiers()));
        if (r.getRecords() == 0) {
            return head + "\n  no masked record in this window (the monitor ran; nothing was measured)";
        }
        String verdict = r.getClassesBelowK() == 0
                ? "every class has at least " + r.getK() + " records"
                : String.format(Locale.ROOT, "%d class(es) below k holding %d record(s), %.1f %% of the window",
                        r.getClassesBelowK(), r.getRecordsBelowK(), 100 * r.getShareBelowK());
        return head + "  policy " + r.getPolicyId()
                + String.format("%n  %d record(s) in %d equivalence class(es); smallest class %d%n  %s",
                        r.getRecords(), r.getClasses(), r.getSmallestClass(), verdict);
    }

    static ArrayNode toJson(List<PrivacyReport> reports) {
        ArrayNode array = JSON.createArrayNode();
        for (PrivacyReport r : reports) {
            ObjectNode node = array.addObject()
                    .put("windowStart", r.getWindowStart().toString()).put("windowEnd", r.getWindowEnd().toString())
                    .put("policyId", r.getPolicyId()).put("k", r.getK());
            ArrayNode qi = node.putArray("quasiIdentifiers");
            r.getQuasiIdentifiers().forEach(qi::add);
            node.put("records", r.getRecords()).put("classes", r.getClasses())
                    .put("smallestClass", r.getSmallestClass()).put("classesBelowK", r.getClassesBelowK())
                    .put("recordsBelowK", r.getRecordsBelowK()).put("shareBelowK", r.getShareBelowK())
                    .put("kAnonymous", r.getClassesBelowK() == 0).put("reportedAt", r.getReportedAt().toString());
        }
        return array;
    }
}
