package org.emrsb.core.gateway;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.emrsb.core.crypto.Hex;
import org.emrsb.core.crypto.MemberKeys;
import org.emrsb.core.crypto.Role;
import org.emrsb.core.crypto.Signatures;
import org.emrsb.core.format.BodyFormat;
import org.emrsb.core.format.EnrolmentCertificate;
import org.emrsb.core.governance.MemberDirectory;
import org.emrsb.core.governance.SignedCertificate;
import org.emrsb.core.masking.MaskingPolicy;

/** A small alliance for gateway tests: an authority, a gateway, a doctor, a patient, enrolled in a map. */
public final class GatewayFixture {

    public static final long NOW = 1_795_000_000_000L;
    public static final String PAPER_ROW_1 = "{\"name\":\"YangYang\",\"age\":60,\"idNumber\":\"533527195809210238\","
            + "\"address\":\"Chaoyang park, chaoyang district, Beijing\",\"disease\":\"flu\"}";
    public static final byte[] SECRET = seq(0x42);

    public final MemberKeys authority = keys(Role.AUTHORITY, 1);
    public final MemberKeys gatewayKeys = keys(Role.GATEWAY, 2);
    public final MemberKeys doctor = keys(Role.DOCTOR, 3);
    public final MemberKeys patient = keys(Role.PATIENT, 4);
    public final MemberKeys secondDoctor = keys(Role.DOCTOR, 5);
    public final MemberKeys outsider = keys(Role.PATIENT, 6);
    public final Map<String, SignedCertificate> enrolled = new HashMap<>();

    public GatewayFixture() {
        for (MemberKeys member : List.of(gatewayKeys, doctor, patient, secondDoctor)) {
            enrol(member, EnrolmentCertificate.Status.ACTIVE, NOW - 1000);
        }
    }

    public static MemberKeys keys(Role role, int seed) {
        try {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(seed);
            return MemberKeys.generate(role, random);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public SignedCertificate certificate(MemberKeys member, EnrolmentCertificate.Status status, long issuedAt) {
        EnrolmentCertificate certificate = new EnrolmentCertificate(member.verifyingKey().bytes(),
                member.encryptionPublicKey().bytes(), member.role(), "Test Hospital", NOW - 86_400_000L,
                NOW + 3650L * 86_400_000L, status, issuedAt, authority.verifyingKey().bytes());
        byte[] bytes = certificate.toBytes();
        return SignedCertificate.of(bytes, Signatures.sign(authority.signingKey(), bytes));
    }

    public void enrol(MemberKeys member, EnrolmentCertificate.Status status, long issuedAt) {
        enrolled.put(Hex.encode(member.verifyingKey().bytes()), certificate(member, status, issuedAt));
    }

    public MemberDirectory directory() {
        return key -> Optional.ofNullable(enrolled.get(Hex.encode(key)));
    }

    public Gateway gateway() {
        return new Gateway(gatewayKeys, new GatewaySecrets(SECRET), MaskingPolicy.paper(), directory(),
                Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC), new SecureRandom());
    }

    /** The gateway with another policy (loaded with the gateway secret's masking keys). */
    public Gateway gateway(MaskingPolicy policy) {
        return new Gateway(gatewayKeys, new GatewaySecrets(SECRET), policy, directory(),
                Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC), new SecureRandom());
    }

    /** A FHIR R4 body from the doctor about the patient, signed by the doctor. */
    public RawSubmission fhirByDoctor(String id, String body) {
        return submission(id, BodyFormat.FHIR_R4, body, List.of(), doctor, patient, doctor);
    }

    /** A submission from {@code submitter} to {@code counterparty}, signed by {@code signer}. */
    public RawSubmission submission(String id, String body, List<RawSubmission.Attachment> attachments,
            MemberKeys submitter, MemberKeys counterparty, MemberKeys signer) {
        return submission(id, BodyFormat.FLAT_JSON, body, attachments, submitter, counterparty, signer);
    }

    public RawSubmission submission(String id, BodyFormat format, String body, List<RawSubmission.Attachment> attachments,
            MemberKeys submitter, MemberKeys counterparty, MemberKeys signer) {
        RawSubmission unsigned = RawSubmission.of(id, NOW - 10, format,
                body.getBytes(StandardCharsets.UTF_8), attachments, submitter.verifyingKey().bytes(),
                counterparty.verifyingKey().bytes(), new byte[64]);
        byte[] signature = Signatures.sign(signer.signingKey(), unsigned.body().toBytes());
        return new RawSubmission(unsigned.body(), unsigned.attachmentContents(), signature);
    }

    public RawSubmission byDoctor(String id, String body, List<RawSubmission.Attachment> attachments) {
        return submission(id, body, attachments, doctor, patient, doctor);
    }

    static byte[] seq(int start) {
        byte[] b = new byte[32];
        for (int i = 0; i < 32; i++) {
            b[i] = (byte) (start + i);
        }
        return b;
    }
}
