package org.emrsb.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.emrsb.avro.MaskedAttachment;
import org.emrsb.avro.RejectedRecord;
import org.emrsb.avro.SignedMaskedRecord;
import org.emrsb.core.gateway.GatewayFixture;
import org.emrsb.core.gateway.GatewayOutcome;
import org.emrsb.core.gateway.RawSubmission;
import org.emrsb.core.ipfs.Cid;
import org.emrsb.core.ipfs.KuboClient;
import org.emrsb.core.ipfs.UnixFs;
import org.emrsb.core.offload.Offloader;
import org.emrsb.schemas.AvroSerdes;
import org.emrsb.stream.AvroMapping;
import org.emrsb.stream.OffloadTopology;
import org.emrsb.stream.Topics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The offload stage against the real IPFS node of ops/stack, driven by TopologyTestDriver (so wall-clock
 * punctuation is under the test's control): uploads verified byte for byte, a real outage of the node
 * (ops/stack down ipfs, then up) that loses, duplicates and reorders nothing, and permanent failures as
 * dead letters.
 */
class OffloadIT {

    private static final URI IPFS = URI.create(System.getenv().getOrDefault("EMRSB_IPFS_API", "http://127.0.0.1:15001"));
    private static final Duration OPS = Duration.ofMinutes(5);

    private final GatewayFixture f = new GatewayFixture();
    private final Serde<SignedMaskedRecord> masked = AvroSerdes.singleObject(SignedMaskedRecord.class);
    private final Serde<RejectedRecord> rejected = AvroSerdes.singleObject(RejectedRecord.class);
    private KuboClient client;
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> input;
    private TestOutputTopic<String, SignedMaskedRecord> offloaded;
    private TestOutputTopic<byte[], RejectedRecord> dead;

    @BeforeEach
    void start() {
        client = new KuboClient(IPFS, Duration.ofSeconds(5));
        Topology topology = new Topology();
        OffloadTopology.build(topology, Topics.defaults(), new OffloadTopology.Components(masked, rejected,
                new Offloader(client, Topics.MAX_INLINE_ATTACHMENT_BYTES + 16L), Duration.ofSeconds(1),
                Duration.ofSeconds(8), Duration.ofSeconds(5)));
        Properties props = new Properties();
        props.put("application.id", "offload-it");
        props.put("bootstrap.servers", "unused:9092");
        props.put("processing.guarantee", "exactly_once_v2");
        props.put("state.dir", System.getProperty("java.io.tmpdir") + "/offload-it-" + System.nanoTime());
        driver = new TopologyTestDriver(topology, props, Instant.now());
        input = driver.createInputTopic(Topics.MASKED, Serdes.String().serializer(), Serdes.ByteArray().serializer());
        offloaded = driver.createOutputTopic(Topics.OFFLOADED, Serdes.String().deserializer(), masked.deserializer());
        dead = driver.createOutputTopic(Topics.REJECTED, Serdes.ByteArray().deserializer(), rejected.deserializer());
    }

    @AfterEach
    void stop() throws Exception {
        driver.close();
        client.close();
    }

    /** A gateway-made masked record with one attachment of {@code content}. */
    private GatewayOutcome.Masked maskedWith(String id, String body, byte[] content) {
        RawSubmission submission = f.byDoctor(id, body,
                List.of(new RawSubmission.Attachment("scan.bin", "application/octet-stream", content)));
        return (GatewayOutcome.Masked) f.gateway().process(submission);
    }

    private void pipe(GatewayOutcome.Masked out) {
        input.pipeInput(out.pseudonym(), masked.serializer().serialize(Topics.MASKED, AvroMapping.toAvro(out)));
    }

    @Test
    void ciphertextGoesToIpfsAndOnlyTheVerifiedCidGoesOn() throws Exception {
        byte[] content = new byte[300_000];
        new java.util.Random(7).nextBytes(content);
        GatewayOutcome.Masked out = maskedWith("o-1", GatewayFixture.PAPER_ROW_1, content);
        pipe(out);
        TestRecord<String, SignedMaskedRecord> record = offloaded.readRecord();
        assertEquals(out.pseudonym(), record.key());
        MaskedAttachment attachment = record.value().getAttachments().get(0);
        assertNull(attachment.getCiphertext());
        Cid cid = Cid.fromBytes(AvroMapping.bytes(attachment.getCid()));
        assertEquals(UnixFs.cidOf(out.ciphertexts().get(0)).cid(), cid);
        assertArrayEquals(out.ciphertexts().get(0), client.cat(cid, attachment.getCiphertextSize()));
        // What the gateway signed is unchanged: the signature still verifies without the bytes.
        assertArrayEquals(out.record().toBytes(), AvroMapping.toCanonical(record.value()).toBytes());
        assertTrue(dead.isEmpty());
    }

    @Test
    void anOutageOfTheNodeParksRecordsAndLosesDuplicatesAndReordersNothing() throws Exception {
        List<GatewayOutcome.Masked> sent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sent.add(maskedWith("a-" + i, GatewayFixture.PAPER_ROW_1, ("patient A, report " + i).getBytes(StandardCharsets.UTF_8)));
        }
        sent.add(maskedWith("b-0", GatewayFixture.PAPER_ROW_1.replace("0238", "0001"), "patient B".getBytes(StandardCharsets.UTF_8)));
        Ops.Result down = Ops.run(OPS, "ops/stack", "down", "ipfs");
        assertEquals(0, down.exitCode(), down.all());
        try {
            sent.subList(0, 2).forEach(this::pipe);
            driver.advanceWallClockTime(Duration.ofSeconds(2));
            sent.subList(2, 4).forEach(this::pipe);
            driver.advanceWallClockTime(Duration.ofSeconds(3));
            assertTrue(offloaded.isEmpty(), "nothing goes on while the node is down");
            assertTrue(dead.isEmpty(), "an outage is not a rejection");
        } finally {
            Ops.Result up = Ops.run(OPS, "ops/stack", "up", "ipfs");
            assertEquals(0, up.exitCode(), up.all());
        }
        Map<String, String> seen = new LinkedHashMap<>();
        for (int round = 0; round < 20 && seen.size() < sent.size(); round++) {
            driver.advanceWallClockTime(Duration.ofSeconds(10));
            for (TestRecord<String, SignedMaskedRecord> r : offloaded.readRecordsToList()) {
                String previous = seen.put(r.value().getSubmissionId(), r.key());
                assertNull(previous, "duplicate " + r.value().getSubmissionId());
            }
        }
        assertEquals(List.of("a-0", "a-1", "a-2", "b-0").stream().sorted().toList(),
                seen.keySet().stream().sorted().toList(), "every parked record came out once");
        List<String> patientA = seen.keySet().stream().filter(id -> id.startsWith("a-")).toList();
        assertEquals(List.of("a-0", "a-1", "a-2"), patientA, "a patient's records keep their order");
        assertTrue(dead.isEmpty());
    }

    @Test
    void permanentFailuresAreDeadLettersWithTheirReason() throws Exception {
        GatewayOutcome.Masked out = maskedWith("p-1", GatewayFixture.PAPER_ROW_1, "tampered".getBytes(StandardCharsets.UTF_8));
        SignedMaskedRecord tampered = AvroMapping.toAvro(out);
        byte[] ciphertext = out.ciphertexts().get(0).clone();
        ciphertext[0] ^= 1;
        tampered.getAttachments().get(0).setCiphertext(java.nio.ByteBuffer.wrap(ciphertext));
        input.pipeInput(out.pseudonym(), masked.serializer().serialize(Topics.MASKED, tampered));
        assertEquals(Offloader.CIPHERTEXT_MISMATCH, dead.readValue().getReason());

        // A claim-check CID whose content is not the ciphertext the gateway signed.
        GatewayOutcome.Masked claim = maskedWith("p-2", GatewayFixture.PAPER_ROW_1, "claim".getBytes(StandardCharsets.UTF_8));
        Cid other = client.add("some other content".getBytes(StandardCharsets.UTF_8)).cid();
        SignedMaskedRecord claimCheck = AvroMapping.toAvro(claim);
        claimCheck.getAttachments().get(0).setCiphertext(null);
        claimCheck.getAttachments().get(0).setCid(java.nio.ByteBuffer.wrap(other.bytes()));
        input.pipeInput(claim.pseudonym(), masked.serializer().serialize(Topics.MASKED, claimCheck));
        assertEquals(Offloader.CLAIM_CHECK_MISMATCH, dead.readValue().getReason());

        input.pipeInput("k", "not a masked record".getBytes(StandardCharsets.UTF_8));
        RejectedRecord garbage = dead.readValue();
        assertEquals("bad-avro", garbage.getReason());
        assertEquals("offload", garbage.getStage());
        assertTrue(offloaded.isEmpty());
    }
}
