package org.emrsb.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;
import org.emrsb.app.BenchAccess;
import org.emrsb.app.EmrsbConfig;
import org.emrsb.avro.GovernanceVote;
import org.emrsb.avro.MemberCertificate;
import org.emrsb.avro.RecordFormat;
import org.emrsb.avro.Submission;
import org.emrsb.avro.SubmittedAttachment;
import org.emrsb.core.crypto.MemberKeys;
import org.emrsb.core.crypto.Role;
import org.emrsb.core.crypto.SecretFile;
import org.emrsb.core.crypto.Signatures;
import org.emrsb.core.format.EnrolmentCertificate;
import org.emrsb.core.format.Vote;
import org.emrsb.core.governance.SignedVote;
import org.emrsb.core.masking.ResidentIds;
import org.emrsb.schemas.AvroSerdes;
import org.emrsb.stream.AvroMapping;
import org.emrsb.stream.Topics;

/**
 * The benchmark's own alliance, new on every run: an enrolment authority, a gateway (key and secret), a
 * delegate, doctors and patients, with key files in the run's folder. Because the authority is new, the
 * other pipelines on a shared broker ignore these members (their member stores keep only their own
 * authority's certificates), so nothing they run processes the benchmark's records, and the
 * benchmark's governance processor sees only its own votes.
 */
final class PipelineCast {

    static final String INSTITUTION = "EMRSB Benchmark Hospital";
    private static final String[] SURNAMES = {"Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu"};
    private static final String[] GIVEN = {"Wei", "Fang", "Xiaoming", "Min", "Jing", "Qiang", "Lei", "Jun", "Yanyan", "Sihua"};
    private static final String[] AREAS = {"110101", "310101", "440106", "500101", "620503", "533527"};
    private static final String[] PLACES = {"Chaoyang park, chaoyang district, Beijing",
        "Chongwen road, nanan district, chongqing", "Mai ji district, tianshui city, gansu province",
        "Nanjing road, huangpu district, Shanghai", "Tianhe road, tianhe district, Guangzhou"};
    private static final String[] DISEASES = {"flu", "stomach trouble", "headache", "asthma", "hypertension", "follow-up"};

    final MemberKeys authority;
    final MemberKeys gateway;
    final MemberKeys delegate;
    final List<MemberKeys> doctors = new ArrayList<>();
    final List<MemberKeys> patients = new ArrayList<>();
    final Path gatewayKeyFile;
    final Path gatewaySecretFile;
    final Path delegateKeyFile;
    /** One submission's signed bytes, signature and submitter, for the signature micro-run. */
    byte[] sampleSubmission;
    byte[] sampleSubmissionSignature;
    org.emrsb.core.crypto.VerifyingKey sampleSubmitter;

    PipelineCast(Path dir, int doctorCount, int patientCount) throws IOException {
        SecureRandom random = new SecureRandom();
        authority = MemberKeys.generate(Role.AUTHORITY, random);
        gateway = MemberKeys.generate(Role.GATEWAY, random);
        delegate = MemberKeys.generate(Role.DELEGATE, random);
        for (int i = 0; i < doctorCount; i++) {
            doctors.add(MemberKeys.generate(Role.DOCTOR, random));
        }
        for (int i = 0; i < patientCount; i++) {
            patients.add(MemberKeys.generate(Role.PATIENT, random));
        }
        gatewayKeyFile = dir.resolve("gateway.key");
        gatewaySecretFile = dir.resolve("gateway.secret");
        delegateKeyFile = dir.resolve("delegate.key");
        gateway.write(gatewayKeyFile);
        delegate.write(delegateKeyFile);
        SecretFile.create(gatewaySecretFile, random);
    }

    /**
     * The authority enrols everyone, valid from a minute ago for {@code validity}: long enough for the
     * run, short enough that the certificates lapse soon after it.
     */
    void enrolAll(EmrsbConfig config, Duration validity) throws Exception {
        long now = System.currentTimeMillis();
        List<MemberKeys> members = new ArrayList<>(List.of(gateway, delegate));
        members.addAll(doctors);
        members.addAll(patients);
        try (Serde<MemberCertificate> serde = AvroSerdes.registry(config.registry(), false);
             KafkaProducer<String, MemberCertificate> producer = new KafkaProducer<>(
                     BenchAccess.producer(config, "emrsb-bench-enrol"), new StringSerializer(), serde.serializer())) {
            List<Future<?>> sent = new ArrayList<>();
            for (MemberKeys member : members) {
                EnrolmentCertificate certificate = new EnrolmentCertificate(member.verifyingKey().bytes(),
                        member.encryptionPublicKey().bytes(), member.role(), INSTITUTION, now - 60_000,
                        now + validity.toMillis(), EnrolmentCertificate.Status.ACTIVE, now,
                        authority.verifyingKey().bytes());
                byte[] bytes = certificate.toBytes();
                MemberCertificate value = new MemberCertificate(ByteBuffer.wrap(bytes),
                        ByteBuffer.wrap(Signatures.sign(authority.signingKey(), bytes)));
                sent.add(producer.send(new ProducerRecord<>(Topics.GOVERNANCE_MEMBERS, member.verifyingKey().toString(),
                        value)));
            }
            for (Future<?> f : sent) {
                f.get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Every doctor approves the delegate: it enters the board in the benchmark's governance processor. */
    void elect(EmrsbConfig config) throws Exception {
        try (Serde<GovernanceVote> serde = AvroSerdes.registry(config.registry(), false);
             KafkaProducer<String, GovernanceVote> producer = new KafkaProducer<>(
                     BenchAccess.producer(config, "emrsb-bench-vote"), new StringSerializer(), serde.serializer())) {
            for (MemberKeys voter : doctors) {
                SignedVote vote = SignedVote.issue(voter.signingKey(), new Vote(voter.verifyingKey().bytes(),
                        List.of(delegate.verifyingKey().bytes()), System.currentTimeMillis()));
                producer.send(new ProducerRecord<>(Topics.GOVERNANCE_VOTES, voter.verifyingKey().toString(),
                        new GovernanceVote(ByteBuffer.wrap(vote.voteBytes()), ByteBuffer.wrap(vote.signature()))))
                        .get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** One signed submission, ready to produce: its id, and the value's wire bytes. */
    record Prepared(String id, byte[] value, boolean withAttachment, int bodyBytes) {
    }

    /**
     * Signed submissions by the doctors about synthetic patients ({@code subjects} distinct resident ids,
     * so the pseudonyms, and with them the chains, spread over every partition); every
     * {@code attachmentEvery}-th (0: none) carries a text attachment of {@code attachmentBytes}.
     */
    List<Prepared> submissions(EmrsbConfig config, String idPrefix, int count, int subjects, int attachmentEvery,
            int attachmentBytes, long seed) {
        Random random = new Random(seed);
        List<String> bodies = new ArrayList<>(subjects);
        for (int i = 0; i < subjects; i++) {
            bodies.add(body(random, i));
        }
        List<Prepared> prepared = new ArrayList<>(count);
        try (Serde<Submission> serde = AvroSerdes.registry(config.registry(), false)) {
            for (int i = 0; i < count; i++) {
                String id = idPrefix + "-" + UUID.randomUUID();
                boolean attach = attachmentEvery > 0 && i % attachmentEvery == attachmentEvery - 1;
                List<SubmittedAttachment> attachments = List.of();
                if (attach) {
                    byte[] content = new byte[attachmentBytes];
                    for (int b = 0; b < content.length; b++) {
                        content[b] = (byte) ('a' + random.nextInt(26));
                    }
                    attachments = List.of(new SubmittedAttachment("report-" + i + ".txt", "text/plain",
                            ByteBuffer.wrap(content)));
                }
                MemberKeys doctor = doctors.get(random.nextInt(doctors.size()));
                MemberKeys patient = patients.get(random.nextInt(patients.size()));
                String body = bodies.get(random.nextInt(subjects));
                Submission submission = Submission.newBuilder().setSubmissionId(id)
                        .setSubmittedAt(Instant.ofEpochMilli(System.currentTimeMillis()))
                        .setFormat(RecordFormat.FLAT_JSON).setBody(body).setAttachments(attachments)
                        .setSubmitterKey(ByteBuffer.wrap(doctor.verifyingKey().bytes()))
                        .setCounterpartyKey(ByteBuffer.wrap(patient.verifyingKey().bytes()))
                        .setSignature(ByteBuffer.allocate(0)).build();
                byte[] signed = AvroMapping.toRaw(submission).body().toBytes();
                byte[] signature = Signatures.sign(doctor.signingKey(), signed);
                submission.setSignature(ByteBuffer.wrap(signature));
                if (sampleSubmission == null && !attach) {
                    sampleSubmission = signed;
                    sampleSubmissionSignature = signature;
                    sampleSubmitter = doctor.verifyingKey();
                }
                prepared.add(new Prepared(id, serde.serializer().serialize(Topics.INTAKE, submission), attach,
                        signed.length));
            }
        }
        return prepared;
    }

    /** A Table 1 style record (name, age, resident id, address, disease) with a valid GB 11643 id. */
    private static String body(Random random, int subject) {
        int age = 1 + random.nextInt(95);
        int year = 2026 - age;
        String first17 = AREAS[random.nextInt(AREAS.length)] + year
                + String.format("%02d%02d%03d", 1 + random.nextInt(12), 1 + random.nextInt(28), subject % 1000);
        String id = first17 + ResidentIds.checkDigit(first17);
        String name = GIVEN[random.nextInt(GIVEN.length)] + " " + SURNAMES[random.nextInt(SURNAMES.length)];
        String address = (1 + random.nextInt(300)) + " " + PLACES[random.nextInt(PLACES.length)];
        return "{\"name\":\"" + name + "\",\"age\":" + age + ",\"idNumber\":\"" + id + "\",\"address\":\"" + address
                + "\",\"disease\":\"" + DISEASES[random.nextInt(DISEASES.length)] + "\",\"phone\":\"139"
                + String.format("%08d", random.nextInt(100_000_000)) + "\"}";
    }
}
