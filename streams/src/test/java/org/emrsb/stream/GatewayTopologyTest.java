package org.emrsb.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.emrsb.avro.MemberCertificate;
import org.emrsb.avro.RecordFormat;
import org.emrsb.avro.RejectedRecord;
import org.emrsb.avro.SignedMaskedRecord;
import org.emrsb.avro.Submission;
import org.emrsb.avro.SubmittedAttachment;
import org.emrsb.core.crypto.MemberKeys;
import org.emrsb.core.crypto.Role;
import org.emrsb.core.crypto.Signatures;
import org.emrsb.core.gateway.GatewayFixture;
import org.emrsb.core.governance.SignedCertificate;
import org.emrsb.schemas.AvroSerdes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway stage under TopologyTestDriver, with the registry-free single-object serde (docs/testing.md):
 * masked records keyed by pseudonym without headers, and every kind of bad input as a dead letter.
 */
class GatewayTopologyTest {

    private final GatewayFixture f = new GatewayFixture();
    private final Serde<Submission> submissions = AvroSerdes.singleObject(Submission.class);
    private final Serde<SignedMaskedRecord> masked = AvroSerdes.singleObject(SignedMaskedRecord.class);
    private final Serde<RejectedRecord> rejected = AvroSerdes.singleObject(RejectedRecord.class);
    private final Serde<MemberCertificate> certificates = AvroSerdes.singleObject(MemberCertificate.class);
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> members;
    private TestInputTopic<String, byte[]> intake;
    private TestOutputTopic<String, SignedMaskedRecord> maskedOut;
    private TestOutputTopic<byte[], RejectedRecord> rejectedOut;

    @BeforeEach
    void start() {
        Topics topics = Topics.defaults();
        Topology topology = topology(topics);
        Properties props = new Properties();
        props.put("application.id", "gateway-test");
        props.put("bootstrap.servers", "unused:9092");
        props.put("processing.guarantee", "exactly_once_v2");
        driver = new TopologyTestDriver(topology, props);
        members = driver.createInputTopic(Topics.GOVERNANCE_MEMBERS, Serdes.String().serializer(), Serdes.ByteArray().serializer());
        intake = driver.createInputTopic(Topics.INTAKE, Serdes.String().serializer(), Serdes.ByteArray().serializer());
        maskedOut = driver.createOutputTopic(Topics.MASKED, Serdes.String().deserializer(), masked.deserializer());
        rejectedOut = driver.createOutputTopic(Topics.REJECTED, Serdes.ByteArray().deserializer(), rejected.deserializer());
        f.enrolled.values().forEach(this::publish);
    }

    private Topology topology(Topics topics) {
        Topology topology = new Topology();
        MembersGlobalStore.addTo(topology, topics, certificates.deserializer(), f.authority.verifyingKey());
        GatewayTopology.build(topology, topics, new GatewayTopology.Components(submissions, masked, rejected,
                directory -> new org.emrsb.core.gateway.Gateway(f.gatewayKeys,
                        new org.emrsb.core.gateway.GatewaySecrets(GatewayFixture.SECRET),
                        org.emrsb.core.masking.MaskingPolicy.paper(), directory, java.time.Clock.systemUTC(),
                        new java.security.SecureRandom())));
        return topology;
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void publish(SignedCertificate certificate) {
        members.pipeInput("ignored-key", certificates.serializer().serialize(Topics.GOVERNANCE_MEMBERS,
                new MemberCertificate(ByteBuffer.wrap(certificate.certificateBytes()), ByteBuffer.wrap(certificate.signature()))));
    }

    private Submission submission(String id, MemberKeys signer, boolean attachment) {
        Submission s = Submission.newBuilder().setSubmissionId(id).setSubmittedAt(Instant.ofEpochMilli(GatewayFixture.NOW))
                .setFormat(RecordFormat.FLAT_JSON).setBody(GatewayFixture.PAPER_ROW_1)
                .setAttachments(attachment ? List.of(new SubmittedAttachment("a.txt", "text/plain",
                        ByteBuffer.wrap("report".getBytes(StandardCharsets.UTF_8)))) : List.of())
                .setSubmitterKey(ByteBuffer.wrap(f.doctor.verifyingKey().bytes()))
                .setCounterpartyKey(ByteBuffer.wrap(f.patient.verifyingKey().bytes()))
                .setSignature(ByteBuffer.allocate(0)).build();
        byte[] signature = Signatures.sign(signer.signingKey(), AvroMapping.toRaw(s).body().toBytes());
        s.setSignature(ByteBuffer.wrap(signature));
        return s;
    }

    private void pipe(String key, byte[] value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("patient-name", "YangYang".getBytes(StandardCharsets.UTF_8));
        intake.pipeInput(new TestRecord<>(key, value, headers, Instant.ofEpochMilli(GatewayFixture.NOW)));
    }

    @Test
    void aSignedSubmissionBecomesASignedMaskedRecordKeyedByPseudonymWithoutHeaders() {
        pipe("s-1", submissions.serializer().serialize(Topics.INTAKE, submission("s-1", f.doctor, true)));
        if (maskedOut.isEmpty()) {
            RejectedRecord dead = rejectedOut.readValue();
            throw new AssertionError("rejected: " + dead.getReason() + " " + dead.getDetail());
        }
        TestRecord<String, SignedMaskedRecord> out = maskedOut.readRecord();
        assertTrue(out.key().matches("[0-9a-f]{64}"), out.key());
        assertEquals(0, out.headers().toArray().length, "input headers are dropped");
        SignedMaskedRecord record = out.value();
        assertTrue(record.getMaskedBody().contains("\"name\":\"* Yang\""), record.getMaskedBody());
        assertTrue(Signatures.verify(f.gatewayKeys.verifyingKey(), AvroMapping.toCanonical(record).toBytes(),
                AvroMapping.bytes(record.getGatewaySignature())));
        assertEquals(1, record.getAttachments().size());
        assertTrue(record.getAttachments().get(0).getCiphertext() != null);
        assertTrue(rejectedOut.isEmpty());
    }

    @Test
    void garbageBytesAreADeadLetterWithTheirSourceOffset() {
        pipe("s-2", submissions.serializer().serialize(Topics.INTAKE, submission("s-2", f.doctor, false)));
        pipe("junk", "not avro at all".getBytes(StandardCharsets.UTF_8));
        maskedOut.readRecord();
        TestRecord<byte[], RejectedRecord> dead = rejectedOut.readRecord();
        assertEquals("bad-avro", dead.value().getReason());
        assertEquals(Topics.INTAKE, dead.value().getSourceTopic());
        assertEquals(1L, dead.value().getSourceOffset());
        assertEquals("gateway", dead.value().getStage());
        assertArrayEquals("not avro at all".getBytes(StandardCharsets.UTF_8), AvroMapping.bytes(dead.value().getValue()));
        assertArrayEquals("junk".getBytes(StandardCharsets.UTF_8), dead.key());
    }

    @Test
    void aNullValueAndABadSignatureAreDeadLetters() {
        pipe("empty", null);
        pipe("s-3", submissions.serializer().serialize(Topics.INTAKE, submission("s-3", f.secondDoctor, false)));
        assertEquals("bad-avro", rejectedOut.readRecord().value().getReason());
        assertEquals("bad-signature", rejectedOut.readRecord().value().getReason());
        assertTrue(maskedOut.isEmpty());
    }

    @Test
    void aCertificateForgedByAnotherAuthorityEnrolsNobody() {
        MemberKeys forger = GatewayFixture.keys(Role.AUTHORITY, 99);
        MemberKeys stranger = GatewayFixture.keys(Role.DOCTOR, 98);
        var forged = new org.emrsb.core.format.EnrolmentCertificate(stranger.verifyingKey().bytes(),
                stranger.encryptionPublicKey().bytes(), Role.DOCTOR, "Nowhere", 0, Long.MAX_VALUE,
                org.emrsb.core.format.EnrolmentCertificate.Status.ACTIVE, 1, forger.verifyingKey().bytes());
        byte[] bytes = forged.toBytes();
        publish(SignedCertificate.of(bytes, Signatures.sign(forger.signingKey(), bytes)));
        members.pipeInput("garbage", "not a certificate".getBytes(StandardCharsets.UTF_8));

        Submission s = submission("s-4", stranger, false);
        s.setSubmitterKey(ByteBuffer.wrap(stranger.verifyingKey().bytes()));
        s.setSignature(ByteBuffer.wrap(Signatures.sign(stranger.signingKey(), AvroMapping.toRaw(s).body().toBytes())));
        pipe("s-4", submissions.serializer().serialize(Topics.INTAKE, s));
        assertEquals("unknown-member", rejectedOut.readRecord().value().getReason());
    }

    @Test
    void theStageKeepsNoStateThatCouldHoldAnIdentifier() {
        TopologyDescription description = topology(Topics.defaults()).describe();
        assertEquals(1, description.globalStores().size(), "only the members store");
        for (TopologyDescription.Subtopology sub : description.subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Processor processor) {
                    assertTrue(processor.stores().isEmpty(), node.name() + " has stores " + processor.stores());
                }
                if (node instanceof TopologyDescription.Sink sink) {
                    assertTrue(List.of(Topics.MASKED, Topics.REJECTED).contains(sink.topic()), sink.topic());
                }
            }
        }
    }
}
