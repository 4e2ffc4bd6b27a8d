package org.emrsb.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;
import org.emrsb.avro.RecordFormat;
import org.emrsb.avro.SignedMaskedRecord;
import org.emrsb.core.crypto.MemberKeys;
import org.emrsb.core.crypto.Role;
import org.emrsb.core.crypto.Signatures;
import org.emrsb.schemas.AvroSerdes;
import org.emrsb.stream.AvroMapping;
import org.emrsb.stream.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The privacy monitor on the real broker and registry: the role runs with 10-second windows; once it
 * has caught up with emr.masked, a generated stream of gateway-signed masked records with known class
 * sizes goes onto emr.masked at the start of a window, under a masking policy id of this run's own (the
 * shared topic may hold other records, which fall into other policies' reports); `ops/emrsb
 * privacy-report --json` then prints this policy's report with those sizes.
 */
class PrivacyReportIT {

    private static final Duration WINDOW = Duration.ofSeconds(10);
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dir;

    private final String run = Long.toString(System.currentTimeMillis(), 36);
    private final String policy = "privacy-it-" + run;

    @Test
    void theReportOfAWindowHasTheGeneratedClassSizes() throws Exception {
        EmrsbConfig config = EmrsbConfig.load(null, System.getenv(), new Properties()).with(Map.of(
                "privacy.window", WINDOW.toSeconds() + "s", "privacy.k", "4",
                "privacy.quasi-identifiers", "age,gender,address",
                "streams.state-dir", dir.resolve("state").toString()), "PrivacyReportIT");
        SetupCommand.ensure(config);
        String applicationId = "privacy-it-" + run;
        try (Pipeline pipeline = Pipeline.start(config, EnumSet.of(Pipeline.StageRole.PRIVACY), applicationId)) {
            pipeline.awaitRunning(Duration.ofSeconds(120));
            awaitCaughtUp(config, applicationId + Pipeline.PRIVACY_SUFFIX, Duration.ofMinutes(3));

            // classes of 6, 4, 3, 1 and 2 records with k = 4: three below k holding 6 of 16
            int[] sizes = {6, 4, 3, 1, 2};
            long now = System.currentTimeMillis();
            long windowStart = Math.floorDiv(now, WINDOW.toMillis()) * WINDOW.toMillis();
            long sendAt = windowStart + WINDOW.toMillis() + 500;
            Thread.sleep(sendAt - now);
            produce(config, sizes);

            JsonNode report = awaitReport(Duration.ofSeconds(60));
            assertEquals(policy, report.get("policyId").textValue());
            assertEquals(Instant.ofEpochMilli(sendAt - 500).toString(), report.get("windowStart").textValue(),
                    "the records fall into the window they were sent in");
            assertEquals(16, report.get("records").longValue());
            assertEquals(5, report.get("classes").longValue());
            assertEquals(1, report.get("smallestClass").longValue());
            assertEquals(3, report.get("classesBelowK").longValue());
            assertEquals(6, report.get("recordsBelowK").longValue());
            assertEquals(6.0 / 16, report.get("shareBelowK").doubleValue(), 1e-12);
            assertEquals(4, report.get("k").intValue());
        }
    }

    /** Waits until the privacy application has committed the end of every emr.masked partition. */
    private static void awaitCaughtUp(EmrsbConfig config, String group, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = KafkaClients.admin(config)) {
            int partitions = config.topics().spec(Topics.MASKED).partitions();
            Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(Topics.MASKED, p), OffsetSpec.latest());
            }
            while (true) {
                Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest,
                        new org.apache.kafka.clients.admin.ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get();
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get();
                boolean caughtUp = ends.entrySet().stream().allMatch(e -> e.getValue().offset() == 0
                        || (committed.get(e.getKey()) != null && committed.get(e.getKey()).offset() >= e.getValue().offset()));
                if (caughtUp) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the privacy monitor did not catch up with emr.masked: ends " + ends
                            + ", committed " + committed);
                }
                Thread.sleep(500);
            }
        }
    }

    private void produce(EmrsbConfig config, int[] sizes) throws Exception {
        MemberKeys gateway = MemberKeys.generate(Role.GATEWAY, RANDOM);
        Random random = new Random(7);
        List<SignedMaskedRecord> records = new ArrayList<>();
        for (int c = 0; c < sizes.length; c++) {
            for (int n = 0; n < sizes[c]; n++) {
                String body = "{\"address\":\"district " + (c % 2) + ", Beijing\",\"age\":\"[" + 5 * c + ", " + (5 * c + 5)
                        + "]\",\"diagnosis\":\"d" + random.nextInt(9) + "\",\"gender\":\"" + (c % 3 == 0 ? "F" : "M")
                        + "\",\"name\":\"** Wu\"}";
                records.add(signed(gateway, body, records.size()));
            }
        }
        Collections.shuffle(records, random);
        try (Serde<SignedMaskedRecord> serde = AvroSerdes.registry(config.registry(), false);
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(KafkaClients.producer(config, "privacy-it"),
                     new StringSerializer(), new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            for (SignedMaskedRecord record : records) {
                producer.send(new ProducerRecord<>(Topics.MASKED, "pseudonym-" + random.nextInt(1000),
                        serde.serializer().serialize(Topics.MASKED, record)));
            }
            producer.flush();
        }
    }

    private SignedMaskedRecord signed(MemberKeys gateway, String body, int n) {
        byte[] zeros = new byte[32];
        SignedMaskedRecord record = SignedMaskedRecord.newBuilder().setSubmissionId(policy + "-" + n)
                .setMaskedAt(Instant.now()).setFormat(RecordFormat.FLAT_JSON).setMaskedBody(body).setPolicyId(policy)
                .setPolicyVersion("1").setPolicyHash(ByteBuffer.wrap(zeros)).setRawCommitment(ByteBuffer.wrap(zeros))
                .setSubmitterKey(ByteBuffer.wrap(zeros)).setCounterpartyKey(ByteBuffer.wrap(zeros))
                .setGatewayKey(ByteBuffer.wrap(gateway.verifyingKey().bytes())).setAttachments(List.of())
                .setGatewaySignature(ByteBuffer.wrap(new byte[64])).build();
        record.setGatewaySignature(ByteBuffer.wrap(Signatures.sign(gateway.signingKey(),
                AvroMapping.toCanonical(record).toBytes())));
        return record;
    }

    /** Runs `privacy-report --json --windows 50` until it prints this run's policy's report. */
    private JsonNode awaitReport(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        ObjectMapper json = new ObjectMapper();
        String last = "";
        while (System.nanoTime() < deadline) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PrintStream original = System.out;
            int exit;
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            try {
                exit = Main.run("privacy-report", "--json", "--windows", "50");
            } finally {
                System.setOut(original);
            }
            last = out.toString(StandardCharsets.UTF_8);
            if (exit == 0) {
                List<JsonNode> mine = new ArrayList<>();
                json.readTree(last).forEach(r -> {
                    if (policy.equals(r.get("policyId").textValue())) {
                        mine.add(r);
                    }
                });
                assertTrue(mine.size() <= 1, "one window, one report: " + mine);
                if (mine.size() == 1) {
                    return mine.get(0);
                }
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("no report for " + policy + " within " + timeout.toSeconds() + "s; last output: "
                + last.lines().limit(40).collect(Collectors.joining("\n")));
    }
}
