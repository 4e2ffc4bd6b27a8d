package org.emrsb.core.gateway;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.emrsb.core.crypto.EncryptedAttachment;
import org.emrsb.core.crypto.AttachmentCipher;
import org.emrsb.core.crypto.KeyWrap;
import org.emrsb.core.crypto.MemberKeys;
import org.emrsb.core.crypto.Role;
import org.emrsb.core.crypto.Signatures;
import org.emrsb.core.crypto.VerifyingKey;
import org.emrsb.core.crypto.VerifyingKeyCache;
import org.emrsb.core.crypto.WrappedKey;
import org.emrsb.core.crypto.X25519PublicKey;
import org.emrsb.core.format.BodyFormat;
import org.emrsb.core.format.CanonicalJson;
import org.emrsb.core.format.EnrolmentCertificate;
import org.emrsb.core.format.MaskedRecord;
import org.emrsb.core.format.SubmissionBody;
import org.emrsb.core.gateway.GatewayOutcome.Masked;
import org.emrsb.core.gateway.GatewayOutcome.Reasons;
import org.emrsb.core.gateway.GatewayOutcome.Rejected;
import org.emrsb.core.governance.MemberDirectory;
import org.emrsb.core.governance.SignedCertificate;
import org.emrsb.core.masking.FhirMaskResult;
import org.emrsb.core.masking.FhirMasking;
import org.emrsb.core.masking.MaskResult;
import org.emrsb.core.masking.MaskingPolicy;
import org.emrsb.core.masking.PolicyException;
import org.emrsb.core.masking.Pseudonyms;

/**
 * The submitting institution's gateway (paper §4.1, Figure 3 steps 1–2): the only code that sees a
 * record's identifiers. It checks the submitter's signature and that submitter and counterparty are
 * enrolled (a patient and a doctor), masks the body with the institution's policy, encrypts each
 * attachment (deterministic content key, wrapped for both parties), commits to the raw submission with a
 * salted hash, and signs the canonical masked record with the institution's gateway key.
 *
 * <p>Never throws for bad input: every failure is a {@link Rejected} with a reason code, and no detail
 * echoes an identifier. Thread-safe if the directory is.
 */
public final class Gateway {

    /** Inline plaintext attachments larger than this are refused (the IPFS claim-check is for those). */
    public static final int MAX_ATTACHMENT_BYTES = 8 * 1024 * 1024;

    private static final Set<Role> PARTIES = Set.of(Role.PATIENT, Role.DOCTOR);
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private final MemberKeys gatewayKeys;
    private final GatewaySecrets secrets;
    private final MaskingPolicy policy;
    private final MemberDirectory members;
    private final Clock clock;
    private final SecureRandom random;
    private final VerifyingKeyCache keys = new VerifyingKeyCache(100_000);

    public Gateway(MemberKeys gatewayKeys, GatewaySecrets secrets, MaskingPolicy policy, MemberDirectory members,
            Clock clock, SecureRandom random) {
        if (gatewayKeys.role() != Role.GATEWAY) {
            throw new IllegalArgumentException("the gateway signs with a gateway key, not a " + gatewayKeys.role() + " key");
        }
        this.gatewayKeys = gatewayKeys;
        this.secrets = secrets;
        this.policy = policy;
        this.members = members;
        this.clock = clock;
        this.random = random;
    }

    public MaskingPolicy policy() {
        return policy;
    }

    public GatewayOutcome process(RawSubmission submission) {
        SubmissionBody body = submission.body();
        for (byte[] content : submission.attachmentContents()) {
            if (content.length > MAX_ATTACHMENT_BYTES) {
                return new Rejected(Reasons.OVERSIZE_ATTACHMENT, "an attachment of " + content.length
                        + " bytes exceeds the inline limit of " + MAX_ATTACHMENT_BYTES + "; use the IPFS claim-check");
            }
        }
        VerifyingKey submitterKey;
        try {
            submitterKey = keys.get(body.submitterKey());
        } catch (IllegalArgumentException e) {
            return new Rejected(Reasons.BAD_KEY, "the submitter key is not a valid Ed25519 public key");
        }
        long now = clock.millis();
        // Membership first: it is a lookup, the signature check is the expensive step.
        Parties parties = checkParties(body, now);
        if (parties.rejection() != null) {
            return parties.rejection();
        }
        byte[] submissionBytes = body.toBytes();
        if (!Signatures.verify(submitterKey, submissionBytes, submission.signature())) {
            return new Rejected(Reasons.BAD_SIGNATURE, "the submitter's signature does not verify over the submission");
        }
        return mask(submission, submissionBytes, parties.certificates(), now);
    }

    /** The submitter's and the counterparty's certificates in force, or why there are none. */
    private record Parties(EnrolmentCertificate[] certificates, Rejected rejection) {
        static Parties refused(String reason, String detail) {
            return new Parties(null, new Rejected(reason, detail));
        }
    }

    private Parties checkParties(SubmissionBody body, long now) {
        EnrolmentCertificate[] certificates = new EnrolmentCertificate[2];
        byte[][] memberKeys = {body.submitterKey(), body.counterpartyKey()};
        String[] names = {"submitter", "counterparty"};
        for (int i = 0; i < 2; i++) {
            Optional<SignedCertificate> found = members.certificate(memberKeys[i]);
            if (found.isEmpty()) {
                return Parties.refused(Reasons.UNKNOWN_MEMBER, "the " + names[i] + " ed25519:"
                        + org.emrsb.core.crypto.Hex.encode(memberKeys[i]) + " is not enrolled");
            }
            EnrolmentCertificate certificate = found.get().certificate();
            if (!certificate.validAt(now)) {
                return Parties.refused(Reasons.MEMBER_NOT_VALID, "the " + names[i]
                        + "'s enrolment is revoked or outside its validity");
            }
            certificates[i] = certificate;
        }
        Role first = certificates[0].role();
        Role second = certificates[1].role();
        if (first == second || !PARTIES.contains(first) || !PARTIES.contains(second)) {
            return Parties.refused(Reasons.ROLE_MISMATCH, "a submission is between a patient and a doctor, not "
                    + certificates[0].role() + " and " + certificates[1].role());
        }
        return new Parties(certificates, null);
    }

    private GatewayOutcome mask(RawSubmission submission, byte[] submissionBytes, EnrolmentCertificate[] parties,
            long now) {
        SubmissionBody body = submission.body();
        if (body.format() == BodyFormat.HL7V2) {
            return new Rejected(Reasons.UNSUPPORTED_FORMAT, "HL7 v2 bodies arrive through the HL7 connector as FHIR");
        }
        ObjectNode record;
        try {
            JsonNode node = JSON.readTree(body.body());
            if (!(node instanceof ObjectNode object)) {
                return new Rejected(Reasons.BAD_JSON, "the body is not a JSON object");
            }
            record = object;
        } catch (IOException e) {
            return new Rejected(Reasons.BAD_JSON, "the body is not valid JSON (" + e.getClass().getSimpleName() + ")");
        }
        if (body.format() == BodyFormat.FHIR_R4) {
            return maskFhir(submission, submissionBytes, parties, record, now);
        }
        JsonNode subject = record.get(policy.subjectField());
        if (subject == null || !subject.isValueNode() || subject.asText().isBlank()) {
            return new Rejected(Reasons.MISSING_SUBJECT, "the record has no '" + policy.subjectField()
                    + "' to derive the patient's pseudonym from");
        }
        MaskResult result = policy.mask(record);
        if (result.rejection().isPresent()) {
            return new Rejected(Reasons.POLICY_REJECTION, "policy " + policy.id() + " refuses the record: "
                    + fieldOnly(result.rejection().get()));
        }
        String pseudonym = Pseudonyms.of(secrets.maskingKeys().pseudonymKey(), subject.asText());
        return sign(submission, submissionBytes, parties, CanonicalJson.canonicalize(result.masked()), pseudonym,
                result.warnings().stream().map(Gateway::fieldOnly).toList(), now);
    }

    /**
     * A FHIR R4 resource or Bundle: masked by the policy's fhir section; the patient's pseudonym (the id
     * every reference to the patient now names) is the record key.
     */
    private GatewayOutcome maskFhir(RawSubmission submission, byte[] submissionBytes, EnrolmentCertificate[] parties,
            ObjectNode record, long now) {
        if (!FhirMasking.isResource(record)) {
            return new Rejected(Reasons.BAD_JSON, "a FHIR body is a resource or Bundle: a JSON object with a resourceType");
        }
        FhirMasking fhir;
        try {
            fhir = policy.fhir();
        } catch (PolicyException e) {
            return new Rejected(Reasons.UNSUPPORTED_FORMAT, e.getMessage());
        }
        FhirMaskResult result = fhir.mask(record);
        if (result.patientPseudonym().isEmpty()) {
            return new Rejected(Reasons.MISSING_SUBJECT, "the FHIR body names no patient (a Patient resource with an id "
                    + "or identifier, or a subject or patient reference to one) to derive the patient's pseudonym from");
        }
        return sign(submission, submissionBytes, parties, CanonicalJson.canonicalize(result.masked()),
                result.patientPseudonym().get(), result.warnings().stream().map(Gateway::fieldOnly).toList(), now);
    }

    private Masked sign(RawSubmission submission, byte[] submissionBytes, EnrolmentCertificate[] parties,
            byte[] maskedBody, String pseudonym, List<String> warnings, long now) {
        SubmissionBody body = submission.body();
        List<X25519PublicKey> recipients = List.of(X25519PublicKey.of(parties[0].encryptionKey()),
                X25519PublicKey.of(parties[1].encryptionKey()));
        List<MaskedRecord.EncryptedAttachmentRef> refs = new ArrayList<>();
        List<byte[]> ciphertexts = new ArrayList<>();
        for (int i = 0; i < submission.attachmentContents().size(); i++) {
            EncryptedAttachment encrypted = AttachmentCipher.encrypt(secrets.attachmentSecret(), body.submissionId(),
                    submission.attachmentContents().get(i));
            List<byte[]> wrapped = KeyWrap.wrap(encrypted.contentKey(), encrypted.ciphertextSha256(), recipients, random)
                    .stream().map(WrappedKey::toBytes).toList();
            refs.add(new MaskedRecord.EncryptedAttachmentRef(body.attachments().get(i).mediaType(),
                    encrypted.plaintextSize(), encrypted.ciphertextSize(), encrypted.ciphertextSha256(),
                    encrypted.nonce(), wrapped));
            ciphertexts.add(encrypted.ciphertext());
        }
        byte[] commitment = MaskedRecord.rawCommitment(secrets.commitmentSalt(body.submissionId()), submissionBytes);
        MaskedRecord record = new MaskedRecord(body.submissionId(), now, body.format(), maskedBody, policy.id(),
                policy.version(), policy.hash(), commitment, body.submitterKey(), body.counterpartyKey(),
                gatewayKeys.verifyingKey().bytes(), refs);
        byte[] signature = Signatures.sign(gatewayKeys.signingKey(), record.toBytes());
        return new Masked(record, signature, ciphertexts, pseudonym, warnings);
    }

    /**
     * Keeps a warning's field name and drops the rest: warnings may quote or derive from a value (a
     * check digit is a function of the identifier), and they travel beside masked data.
     */
    static String fieldOnly(String warning) {
        int colon = warning.indexOf(':');
        String field = colon > 0 ? warning.substring(0, colon).strip() : "record";
        return field + ": validation warning";
    }
}
