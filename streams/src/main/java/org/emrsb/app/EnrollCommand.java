package org.emrsb.app;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;
import org.emrsb.avro.MemberCertificate;
import org.emrsb.core.crypto.MemberKeys;
import org.emrsb.core.crypto.Role;
import org.emrsb.core.crypto.Signatures;
import org.emrsb.core.crypto.VerifyingKey;
import org.emrsb.core.crypto.X25519PublicKey;
import org.emrsb.core.format.EnrolmentCertificate;
import org.emrsb.schemas.AvroSerdes;
import org.emrsb.stream.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ops/emrsb enroll}: the enrolment authority signs a member's certificate and publishes it to
 * governance.members, keyed by the member's key. The member is named by its key file or, so the
 * authority never needs a member's private keys, by its two public keys.
 */
@Command(name = "enroll", description = "Sign an enrolment certificate and publish it to governance.members.")
final class EnrollCommand implements Callable<Integer> {

    @Mixin
    Main.Common common;

    @Option(names = "--authority-key", required = true, paramLabel = "FILE", description = "the authority's key file")
    Path authorityKey;

    @Option(names = "--member-key", required = true, paramLabel = "FILE|ed25519:HEX",
            description = "the member's key file, or its signing public key (then --encryption-key is needed)")
    String memberKey;

    @Option(names = "--encryption-key", paramLabel = "x25519:HEX", description = "the member's encryption public key")
    String encryptionKey;

    @Option(names = "--role", required = true, paramLabel = "ROLE") String role;

    @Option(names = "--institution", required = true, paramLabel = "NAME") String institution;

    @Option(names = "--valid-days", defaultValue = "365", paramLabel = "DAYS",
            description = "validity from now (default ${DEFAULT-VALUE})")
    int validDays;

    @Option(names = "--revoke", description = "publish a revocation instead of an enrolment")
    boolean revoke;

    @Override
    public Integer call() throws Exception {
        MemberKeys authority = MemberKeys.read(authorityKey);
        if (authority.role() != Role.AUTHORITY) {
            throw new IllegalArgumentException(authorityKey + " is a " + authority.role() + " key, not an authority key");
        }
        Role memberRole = Role.fromId(role);
        if (validDays < 1) {
            throw new IllegalArgumentException("--valid-days must be at least 1");
        }
        EnrolmentCertificate certificate = certificate(memberRole, authority);
        String key = VerifyingKey.of(certificate.memberKey()).toString();
        RecordMetadata published = publish(key, sign(certificate, authority));
        System.out.printf("%s %s %s (%s) until %s -> %s-%d@%d%n", revoke ? "revoked" : "enrolled", key, memberRole,
                institution, Instant.ofEpochMilli(certificate.validUntil()), published.topic(), published.partition(),
                published.offset());
        return 0;
    }

    /** The certificate with the authority's signature, as governance.members carries it. */
    static MemberCertificate sign(EnrolmentCertificate certificate, MemberKeys authority) {
        byte[] bytes = certificate.toBytes();
        byte[] signature = Signatures.sign(authority.signingKey(), bytes);
        return new MemberCertificate(ByteBuffer.wrap(bytes), ByteBuffer.wrap(signature));
    }

    /** An ACTIVE certificate for a member, valid from now for {@code days}. */
    static EnrolmentCertificate enrolment(MemberKeys member, String institution, int days, MemberKeys authority) {
        long now = System.currentTimeMillis();
        return new EnrolmentCertificate(member.verifyingKey().bytes(), member.encryptionPublicKey().bytes(),
                member.role(), institution, now, now + Duration.ofDays(days).toMillis(),
                EnrolmentCertificate.Status.ACTIVE, now, authority.verifyingKey().bytes());
    }

    private EnrolmentCertificate certificate(Role memberRole, MemberKeys authority) throws Exception {
        VerifyingKey signing;
        X25519PublicKey encryption;
        if (memberKey.startsWith(VerifyingKey.PREFIX)) {
            if (encryptionKey == null) {
                throw new IllegalArgumentException("--member-key given as a public key needs --encryption-key x25519:...");
            }
            signing = VerifyingKey.parse(memberKey);
            encryption = X25519PublicKey.parse(encryptionKey);
        } else {
            Path file = Path.of(memberKey);
            if (!Files.isReadable(file)) {
                throw new IllegalArgumentException("cannot read member key file " + file);
            }
            MemberKeys member = MemberKeys.read(file);
            if (member.role() != memberRole) {
                throw new IllegalArgumentException(file + " is a " + member.role() + " key, not " + memberRole);
            }
            signing = member.verifyingKey();
            encryption = member.encryptionPublicKey();
        }
        long now = System.currentTimeMillis();
        return new EnrolmentCertificate(signing.bytes(), encryption.bytes(), memberRole, institution, now,
                now + Duration.ofDays(validDays).toMillis(),
                revoke ? EnrolmentCertificate.Status.REVOKED : EnrolmentCertificate.Status.ACTIVE, now,
                authority.verifyingKey().bytes());
    }

    private RecordMetadata publish(String key, MemberCertificate value) throws Exception {
        return publish(common.config(), key, value);
    }

    /** Publishes one signed certificate to governance.members, keyed by the member's ed25519:<hex>. */
    static RecordMetadata publish(EmrsbConfig config, String key, MemberCertificate value) throws Exception {
        try (Serde<MemberCertificate> serde = AvroSerdes.registry(config.registry(), false);
             KafkaProducer<String, MemberCertificate> producer = new KafkaProducer<>(
                     KafkaClients.producer(config, "emrsb-enroll"), new StringSerializer(), serde.serializer())) {
            return producer.send(new ProducerRecord<>(Topics.GOVERNANCE_MEMBERS, key, value))
                    .get(KafkaClients.CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
    }
}
