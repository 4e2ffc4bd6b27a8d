package org.emrsb.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.emrsb.avro.MemberCertificate;
import org.emrsb.core.crypto.MemberKeys;
import org.emrsb.core.crypto.Role;
import org.emrsb.core.crypto.Signatures;
import org.emrsb.core.format.EnrolmentCertificate;
import org.emrsb.schemas.AvroSerdes;
import org.emrsb.schemas.RegistrySettings;
import org.emrsb.stream.Topics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `ops/emrsb keygen` and `enroll` against the real broker and registry. */
class EnrollIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final String BOOTSTRAP = System.getenv().getOrDefault("EMRSB_KAFKA_BOOTSTRAP", "127.0.0.1:19092");
    private static final RegistrySettings REGISTRY =
            RegistrySettings.of(System.getenv().getOrDefault("EMRSB_REGISTRY_URL", "http://127.0.0.1:18081"));

    @TempDir
    Path dir;

    @Test
    void theAuthorityEnrolsAMemberOnGovernanceMembers() throws Exception {
        Path authority = dir.resolve("authority.key");
        Path doctor = dir.resolve("doctor.key");
        Ops.Result keygen = Ops.run(TIMEOUT, "ops/emrsb", "keygen", "--role", "authority", "--out", authority.toString());
        assertEquals(0, keygen.exitCode(), keygen.all());
        assertTrue(keygen.stdout().matches("(?s).*signing +ed25519:[0-9a-f]{64}.*"), keygen.stdout());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(authority)));
        assertEquals(0, Ops.run(TIMEOUT, "ops/emrsb", "keygen", "--role", "doctor", "--out", doctor.toString()).exitCode());

        Ops.Result again = Ops.run(TIMEOUT, "ops/emrsb", "keygen", "--role", "doctor", "--out", doctor.toString());
        assertEquals(1, again.exitCode());
        assertTrue(again.stderr().contains("never overwrites"), again.stderr());

        Ops.Result enroll = Ops.run(TIMEOUT, "ops/emrsb", "enroll", "--authority-key", authority.toString(),
                "--member-key", doctor.toString(), "--role", "doctor", "--institution", "Chongqing General Hospital");
        assertEquals(0, enroll.exitCode(), enroll.all());

        MemberKeys authorityKeys = MemberKeys.read(authority);
        MemberKeys doctorKeys = MemberKeys.read(doctor);
        MemberCertificate published = latestFor(doctorKeys.verifyingKey().toString());
        byte[] bytes = published.getCertificate().array();
        assertTrue(Signatures.verify(authorityKeys.verifyingKey(), bytes, published.getSignature().array()));
        EnrolmentCertificate certificate = EnrolmentCertificate.parse(bytes);
        assertArrayEquals(doctorKeys.verifyingKey().bytes(), certificate.memberKey());
        assertArrayEquals(doctorKeys.encryptionPublicKey().bytes(), certificate.encryptionKey());
        assertEquals(Role.DOCTOR, certificate.role());
        assertEquals("Chongqing General Hospital", certificate.institution());
        assertTrue(certificate.validAt(System.currentTimeMillis()));
    }

    @Test
    void onlyAnAuthorityKeyEnrolsAndRolesMustMatch() throws Exception {
        Path patient = dir.resolve("patient.key");
        Path authority = dir.resolve("authority.key");
        Ops.run(TIMEOUT, "ops/emrsb", "keygen", "--role", "patient", "--out", patient.toString());
        Ops.run(TIMEOUT, "ops/emrsb", "keygen", "--role", "authority", "--out", authority.toString());
        Ops.Result notAuthority = Ops.run(TIMEOUT, "ops/emrsb", "enroll", "--authority-key", patient.toString(),
                "--member-key", patient.toString(), "--role", "patient", "--institution", "x");
        assertEquals(1, notAuthority.exitCode());
        assertTrue(notAuthority.stderr().contains("not an authority key"), notAuthority.stderr());
        Ops.Result wrongRole = Ops.run(TIMEOUT, "ops/emrsb", "enroll", "--authority-key", authority.toString(),
                "--member-key", patient.toString(), "--role", "doctor", "--institution", "x");
        assertEquals(1, wrongRole.exitCode());
        assertTrue(wrongRole.stderr().contains("is a patient key, not doctor"), wrongRole.stderr());
    }

    private static MemberCertificate latestFor(String memberKey) {
        try (Serde<MemberCertificate> serde = AvroSerdes.registry(REGISTRY, false);
             KafkaConsumer<String, MemberCertificate> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", BOOTSTRAP),
                     new StringDeserializer(), serde.deserializer())) {
            TopicPartition tp = new TopicPartition(Topics.GOVERNANCE_MEMBERS, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            MemberCertificate found = null;
            Instant deadline = Instant.now().plusSeconds(30);
            while (consumer.position(tp) < end && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, MemberCertificate> record : consumer.poll(Duration.ofMillis(200))) {
                    if (memberKey.equals(record.key())) {
                        found = record.value();
                    }
                }
            }
            assertTrue(found != null, "no certificate for " + memberKey + " on " + Topics.GOVERNANCE_MEMBERS);
            return found;
        }
    }
}
