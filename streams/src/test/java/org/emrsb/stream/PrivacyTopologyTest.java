package org.emrsb.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.emrsb.avro.PrivacyReport;
import org.emrsb.avro.RecordFormat;
import org.emrsb.avro.RejectedRecord;
import org.emrsb.avro.SignedMaskedRecord;
import org.emrsb.core.privacy.QuasiIdentifiers;
import org.emrsb.schemas.AvroSerdes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The privacy monitor under TopologyTestDriver: a generated stream with known class sizes, spread over
 * many keys (so over emr.masked's partitions), reported once per window by wall-clock time; an empty
 * window's explicit report; dead letters; the counts surviving a restart.
 */
class PrivacyTopologyTest {

    private static final Duration WINDOW = Duration.ofMinutes(10);
    /** 2026-11-25T00:00:00Z, a window boundary. */
    private static final long T0 = Instant.parse("2026-11-25T00:00:00Z").toEpochMilli();
    private static final int K = 5;

    private final Serde<SignedMaskedRecord> masked = AvroSerdes.singleObject(SignedMaskedRecord.class);
    private final Serde<RejectedRecord> rejected = AvroSerdes.singleObject(RejectedRecord.class);
    private final Serde<PrivacyReport> reports = AvroSerdes.singleObject(PrivacyReport.class);
    private final Random random = new Random(42);
    @TempDir
    Path stateDir;
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> input;
    private TestOutputTopic<String, PrivacyReport> reportOut;
    private TestOutputTopic<byte[], RejectedRecord> deadOut;
    private int submissions;

    @BeforeEach
    void start() {
        startDriver(T0 + Duration.ofMinutes(1).toMillis());
    }

    private void startDriver(long wallClock) {
        Properties props = new Properties();
        props.put("application.id", "privacy-test");
        props.put("bootstrap.servers", "unused:9092");
        props.put("processing.guarantee", "exactly_once_v2");
        props.put("state.dir", stateDir.toString());
        driver = new TopologyTestDriver(topology(), props, Instant.ofEpochMilli(wallClock));
        input = driver.createInputTopic(Topics.MASKED, Serdes.String().serializer(), Serdes.ByteArray().serializer());
        reportOut = driver.createOutputTopic(Topics.PRIVACY_REPORT, Serdes.String().deserializer(), reports.deserializer());
        deadOut = driver.createOutputTopic(Topics.REJECTED, Serdes.ByteArray().deserializer(), rejected.deserializer());
    }

    private Topology topology() {
        StreamsBuilder builder = new StreamsBuilder();
        PrivacyTopology.build(builder, Topics.defaults(), new PrivacyTopology.Components(masked, rejected, reports,
                QuasiIdentifiers.parse("age,gender,address"), K, WINDOW, Duration.ofSeconds(1)));
        return builder.build();
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.close();
        }
    }

    private SignedMaskedRecord record(String policy, String body) {
        byte[] zeros = new byte[32];
        return SignedMaskedRecord.newBuilder().setSubmissionId("s-" + submissions++).setMaskedAt(Instant.ofEpochMilli(T0))
                .setFormat(RecordFormat.FLAT_JSON).setMaskedBody(body).setPolicyId(policy).setPolicyVersion("1")
                .setPolicyHash(ByteBuffer.wrap(zeros)).setRawCommitment(ByteBuffer.wrap(zeros))
                .setSubmitterKey(ByteBuffer.wrap(zeros)).setCounterpartyKey(ByteBuffer.wrap(zeros))
                .setGatewayKey(ByteBuffer.wrap(zeros)).setAttachments(List.of())
                .setGatewaySignature(ByteBuffer.wrap(new byte[64])).build();
    }

    /** A masked body of the class (age, gender, address) with fields that vary inside a class. */
    private String body(String age, String gender, String address) {
        return "{\"name\":\"** Wu" + random.nextInt(1000) + "\",\"age\":\"" + age + "\",\"gender\":\"" + gender + "\""
                + (address == null ? "" : ",\"address\":\"" + address + "\"")
                + ",\"diagnosis\":\"d" + random.nextInt(50) + "\",\"idNumber\":\"533527*****" + random.nextInt(10) + "\"}";
    }

    /** Generates {@code sizes[i]} records of class i (its own age band) and pipes them shuffled, on many keys. */
    private void pipeClasses(String policy, int... sizes) {
        List<String> bodies = new ArrayList<>();
        for (int c = 0; c < sizes.length; c++) {
            for (int n = 0; n < sizes[c]; n++) {
                bodies.add(body("[" + 5 * c + ", " + (5 * c + 5) + "]", c % 2 == 0 ? "F" : "M",
                        c == 3 ? null : "district " + (c % 3) + ", Beijing"));
            }
        }
        Collections.shuffle(bodies, random);
        for (String body : bodies) {
            pipe("patient-" + random.nextInt(100), masked.serializer().serialize(Topics.MASKED, record(policy, body)));
        }
    }

    private void pipe(String key, byte[] value) {
        input.pipeInput(key, value);
    }

    private void advanceTo(long time) {
        driver.advanceWallClockTime(Duration.ofMillis(time - currentWallClock));
        currentWallClock = time;
    }

    private long currentWallClock = T0 + Duration.ofMinutes(1).toMillis();

    private static void assertReport(PrivacyReport r, String policy, long start, long records, long classes,
            long smallest, long classesBelowK, long recordsBelowK) {
        assertEquals(policy, r.getPolicyId());
        assertEquals(Instant.ofEpochMilli(start), r.getWindowStart());
        assertEquals(Instant.ofEpochMilli(start + WINDOW.toMillis()), r.getWindowEnd());
        assertEquals(K, r.getK());
        assertEquals(List.of("age", "gender", "address"), r.getQuasiIdentifiers());
        assertEquals(records, r.getRecords(), "records");
        assertEquals(classes, r.getClasses(), "classes");
        assertEquals(smallest, r.getSmallestClass(), "smallest class");
        assertEquals(classesBelowK, r.getClassesBelowK(), "classes below k");
        assertEquals(recordsBelowK, r.getRecordsBelowK(), "records below k");
        assertEquals(records == 0 ? 0.0 : (double) recordsBelowK / records, r.getShareBelowK(), 1e-12);
    }

    @Test
    void oneReportPerPolicyWhenTheWindowEndsWithTheKnownClassSizes() {
        // paper: classes of 7, 5, 4, 1 (absent address) and 3 records; k = 5
        pipeClasses("paper", 7, 5, 4, 1, 3);
        pipeClasses("hipaa-safe-harbor", 2);
        advanceTo(T0 + WINDOW.toMillis() - 1);
        assertTrue(reportOut.isEmpty(), "nothing before the window ends");

        advanceTo(T0 + WINDOW.toMillis() + 500);
        List<KeyValue<String, PrivacyReport>> out = reportOut.readKeyValuesToList();
        assertEquals(2, out.size(), out.toString());
        assertEquals("hipaa-safe-harbor", out.get(0).key);
        assertReport(out.get(0).value, "hipaa-safe-harbor", T0, 2, 1, 2, 1, 2);
        assertEquals("paper", out.get(1).key);
        assertReport(out.get(1).value, "paper", T0, 20, 5, 1, 3, 8);
        assertEquals(Instant.ofEpochMilli(T0 + WINDOW.toMillis() + 500), out.get(1).value.getReportedAt());
        assertTrue(deadOut.isEmpty());

        // the counts are gone once reported; the window is reported once
        advanceTo(T0 + WINDOW.toMillis() + 5_000);
        assertTrue(reportOut.isEmpty());
        KeyValueStore<String, Long> store = driver.getKeyValueStore(Stores.PRIVACY_CLASSES);
        try (var all = store.all()) {
            List<String> keys = new ArrayList<>();
            all.forEachRemaining(e -> keys.add(e.key));
            assertEquals(List.of("#closed"), keys);
        }
    }

    @Test
    void recordsFallIntoTheWindowOfTheWallClockWhenTheyAreRead() {
        pipeClasses("paper", 5, 6);
        advanceTo(T0 + WINDOW.toMillis() + 10);
        pipeClasses("paper", 2, 1);
        assertReport(reportOut.readValue(), "paper", T0, 11, 2, 5, 0, 0);
        advanceTo(T0 + 2 * WINDOW.toMillis());
        assertReport(reportOut.readValue(), "paper", T0 + WINDOW.toMillis(), 3, 2, 1, 2, 3);
        assertTrue(reportOut.isEmpty());
    }

    @Test
    void anEmptyWindowGetsAnExplicitEmptyReportOnceTheMonitorHasSeenItBegin() {
        // The first window began before the monitor started: no empty report for it.
        advanceTo(T0 + WINDOW.toMillis() + 1);
        assertTrue(reportOut.isEmpty());
        // The second began while it ran.
        advanceTo(T0 + 2 * WINDOW.toMillis() + 1);
        KeyValue<String, PrivacyReport> empty = reportOut.readKeyValue();
        assertEquals("", empty.key);
        assertNull(empty.value.getPolicyId());
        assertReport(empty.value, null, T0 + WINDOW.toMillis(), 0, 0, 0, 0, 0);
        assertTrue(reportOut.isEmpty());
    }

    @Test
    void undecodableRecordsAndBodiesThatAreNotObjectsAreDeadLettersAndNotCounted() {
        pipeClasses("paper", 5);
        pipe("junk-key", "not avro".getBytes(StandardCharsets.UTF_8));
        pipe("array", masked.serializer().serialize(Topics.MASKED, record("paper", "[1,2]")));
        pipe("dup", masked.serializer().serialize(Topics.MASKED, record("paper", "{\"age\":1,\"age\":2}")));
        pipe("null-value", null);
        pipe("slash", masked.serializer().serialize(Topics.MASKED, record("a/b", "{\"age\":1}")));
        List<KeyValue<byte[], RejectedRecord>> dead = deadOut.readKeyValuesToList();
        assertEquals(5, dead.size());
        assertEquals("bad-avro", dead.get(4).value.getReason());
        assertTrue(dead.get(4).value.getDetail().startsWith("policyId"), dead.get(4).value.getDetail());
        assertArrayEquals("junk-key".getBytes(StandardCharsets.UTF_8), dead.get(0).key);
        assertEquals("bad-avro", dead.get(0).value.getReason());
        assertEquals("privacy", dead.get(0).value.getStage());
        assertEquals(Topics.MASKED, dead.get(0).value.getSourceTopic());
        assertEquals(5L, dead.get(0).value.getSourceOffset());
        assertEquals("bad-json", dead.get(1).value.getReason());
        assertEquals("bad-json", dead.get(2).value.getReason());
        assertTrue(!dead.get(2).value.getDetail().contains("age"), "the detail never echoes the body");
        assertEquals("bad-avro", dead.get(3).value.getReason());
        advanceTo(T0 + WINDOW.toMillis());
        assertReport(reportOut.readValue(), "paper", T0, 5, 1, 5, 0, 0);
    }

    /**
     * TopologyTestDriver deletes its state folder on close and never restores, so the restart is done as
     * Kafka Streams does it: the new instance's store is rebuilt from what the old one wrote to the
     * store's changelog. That the counts survive shows the processor holds no state outside its store;
     * the changelog holds class hashes and counts only.
     */
    @Test
    void theCountsOfAnOpenWindowSurviveARestartThroughTheChangelog() {
        pipeClasses("paper", 3, 4);
        TestOutputTopic<String, Long> changelog = driver.createOutputTopic(
                "privacy-test-" + Stores.PRIVACY_CLASSES + "-changelog", Serdes.String().deserializer(),
                Serdes.Long().deserializer());
        java.util.Map<String, Long> restored = new java.util.TreeMap<>();
        for (KeyValue<String, Long> entry : changelog.readKeyValuesToList()) {
            assertTrue(entry.key.matches("#closed|\\d{19}/paper/[0-9a-f]{64}"), entry.key);
            if (entry.value == null) {
                restored.remove(entry.key);
            } else {
                restored.put(entry.key, entry.value);
            }
        }
        assertEquals(2, restored.size(), restored.toString());
        driver.close();
        driver = null;
        currentWallClock += 1000;
        startDriver(currentWallClock);
        KeyValueStore<String, Long> store = driver.getKeyValueStore(Stores.PRIVACY_CLASSES);
        restored.forEach(store::put);

        pipeClasses("paper", 0, 1, 2);
        advanceTo(T0 + WINDOW.toMillis());
        // classes of 3, 4 + 1 and 2 records
        assertReport(reportOut.readValue(), "paper", T0, 10, 3, 2, 2, 5);
        assertTrue(reportOut.isEmpty());
    }

    @Test
    void theRepartitionTopicAndTheStoreAreNamed() {
        String description = topology().describe().toString();
        assertTrue(description.contains("privacy-classes-repartition"), description);
        assertTrue(description.contains(Stores.PRIVACY_CLASSES), description);
        for (String name : List.of(PrivacyTopology.SOURCE, PrivacyTopology.CLASSIFY, PrivacyTopology.COUNT,
                PrivacyTopology.REPORT_SINK, PrivacyTopology.REJECTED_SINK)) {
            assertTrue(description.contains(name), name);
        }
        assertTrue(Files.isDirectory(stateDir));
    }
}
