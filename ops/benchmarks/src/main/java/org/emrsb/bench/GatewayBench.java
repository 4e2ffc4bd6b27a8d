package org.emrsb.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Serde;
import org.emrsb.avro.RecordFormat;
import org.emrsb.avro.SignedMaskedRecord;
import org.emrsb.avro.Submission;
import org.emrsb.core.crypto.Hex;
import org.emrsb.core.crypto.MemberKeys;
import org.emrsb.core.crypto.Role;
import org.emrsb.core.crypto.Signatures;
import org.emrsb.core.format.EnrolmentCertificate;
import org.emrsb.core.format.CanonicalJson;
import org.emrsb.core.gateway.Gateway;
import org.emrsb.core.gateway.GatewayOutcome;
import org.emrsb.core.gateway.GatewaySecrets;
import org.emrsb.core.gateway.RawSubmission;
import org.emrsb.core.governance.SignedCertificate;
import org.emrsb.core.masking.MaskingPolicy;
import org.emrsb.schemas.AvroSerdes;
import org.emrsb.stream.AvroMapping;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The gateway stage's per-record CPU on one thread, whole and split: {@code process} is everything the
 * stage's processor does between bytes in and bytes out; the other benchmarks are its parts (the
 * submitter's signature check, the gateway's signature, masking with canonical JSON, and the Avro
 * serde on both sides). A paper record without attachments.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class GatewayBench {

    static final String RECORD = "{\"name\":\"Sihua Wu\",\"age\":24,\"idNumber\":\"500101199310020723\","
            + "\"address\":\"Chongwen road, nanan district, chongqing\",\"disease\":\"stomach trouble\"}";

    private Gateway gateway;
    private MemberKeys doctor;
    private Serde<Submission> submissions;
    private Serde<SignedMaskedRecord> maskedSerde;
    private byte[] submissionBytes;
    private RawSubmission raw;
    private SignedMaskedRecord masked;
    private byte[] maskedCanonical;
    private MaskingPolicy policy;
    private com.fasterxml.jackson.databind.node.ObjectNode parsed;

    @Setup
    public void setUp() throws Exception {
        SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(5);
        MemberKeys authority = MemberKeys.generate(Role.AUTHORITY, random);
        MemberKeys gatewayKeys = MemberKeys.generate(Role.GATEWAY, random);
        doctor = MemberKeys.generate(Role.DOCTOR, random);
        MemberKeys patient = MemberKeys.generate(Role.PATIENT, random);
        Map<String, SignedCertificate> enrolled = new HashMap<>();
        long now = System.currentTimeMillis();
        for (MemberKeys member : List.of(doctor, patient)) {
            EnrolmentCertificate certificate = new EnrolmentCertificate(member.verifyingKey().bytes(),
                    member.encryptionPublicKey().bytes(), member.role(), "Bench Hospital", now - 1000,
                    now + 86_400_000L, EnrolmentCertificate.Status.ACTIVE, now, authority.verifyingKey().bytes());
            enrolled.put(Hex.encode(member.verifyingKey().bytes()), SignedCertificate.issue(authority.signingKey(), certificate));
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        policy = MaskingPolicy.paper();
        gateway = new Gateway(gatewayKeys, new GatewaySecrets(secret), policy,
                key -> Optional.ofNullable(enrolled.get(Hex.encode(key))), Clock.systemUTC(), random);
        submissions = AvroSerdes.singleObject(Submission.class);
        maskedSerde = AvroSerdes.singleObject(SignedMaskedRecord.class);

        Submission submission = Submission.newBuilder().setSubmissionId("bench-1").setSubmittedAt(Instant.now())
                .setFormat(RecordFormat.FLAT_JSON).setBody(RECORD).setAttachments(List.of())
                .setSubmitterKey(ByteBuffer.wrap(doctor.verifyingKey().bytes()))
                .setCounterpartyKey(ByteBuffer.wrap(patient.verifyingKey().bytes()))
                .setSignature(ByteBuffer.allocate(0)).build();
        submission.setSignature(ByteBuffer.wrap(Signatures.sign(doctor.signingKey(),
                AvroMapping.toRaw(submission).body().toBytes())));
        submissionBytes = submissions.serializer().serialize("emr.intake", submission);
        raw = AvroMapping.toRaw(submission);
        GatewayOutcome.Masked out = (GatewayOutcome.Masked) gateway.process(raw);
        masked = AvroMapping.toAvro(out);
        maskedCanonical = out.record().toBytes();
        parsed = (com.fasterxml.jackson.databind.node.ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(RECORD.getBytes(StandardCharsets.UTF_8));
    }

    /** The whole stage per record: decode, verify, mask, sign, encode. */
    @Benchmark
    public byte[] process() {
        Submission submission = submissions.deserializer().deserialize("emr.intake", submissionBytes);
        GatewayOutcome.Masked out = (GatewayOutcome.Masked) gateway.process(AvroMapping.toRaw(submission));
        return maskedSerde.serializer().serialize("emr.masked", AvroMapping.toAvro(out));
    }

    @Benchmark
    public boolean verifySubmitter() {
        return Signatures.verify(doctor.verifyingKey(), raw.body().toBytes(), raw.signature());
    }

    @Benchmark
    public byte[] signMasked() {
        return Signatures.sign(doctor.signingKey(), maskedCanonical);
    }

    @Benchmark
    public byte[] maskAndCanonicalise() {
        return CanonicalJson.canonicalize(policy.mask(parsed).masked());
    }

    @Benchmark
    public Object serdeIn() {
        return submissions.deserializer().deserialize("emr.intake", submissionBytes);
    }

    @Benchmark
    public byte[] serdeOut() {
        return maskedSerde.serializer().serialize("emr.masked", masked);
    }
}
