package org.emrsb.core.gateway;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.emrsb.core.crypto.AttachmentCipher;
import org.emrsb.core.crypto.ContentKey;
import org.emrsb.core.crypto.KeyWrap;
import org.emrsb.core.crypto.Signatures;
import org.emrsb.core.crypto.WrappedKey;
import org.emrsb.core.format.EnrolmentCertificate;
import org.emrsb.core.format.MaskedRecord;
import org.emrsb.core.gateway.GatewayOutcome.Masked;
import org.emrsb.core.gateway.GatewayOutcome.Reasons;
import org.emrsb.core.gateway.GatewayOutcome.Rejected;
import org.junit.jupiter.api.Test;

class GatewayTest {

    private final GatewayFixture f = new GatewayFixture();
    private static final byte[] SCAN = "chest X-ray report".getBytes(StandardCharsets.UTF_8);

    private Masked masked(RawSubmission submission) {
        return assertInstanceOf(Masked.class, f.gateway().process(submission));
    }

    private Rejected rejected(RawSubmission submission) {
        return assertInstanceOf(Rejected.class, f.gateway().process(submission));
    }

    @Test
    void thePapersFirstRecordIsMaskedAsTheCanonicalJsonOfTable2AndSigned() {
        Masked out = masked(f.byDoctor("s-1", GatewayFixture.PAPER_ROW_1, List.of()));
        assertEquals("{\"address\":\"chaoyang district, Beijing\",\"age\":\"[60, 65]\",\"disease\":\"flu\","
                + "\"idNumber\":\"533527*****0238\",\"name\":\"* Yang\"}",
                new String(out.record().maskedBody(), StandardCharsets.UTF_8));
        assertTrue(Signatures.verify(f.gatewayKeys.verifyingKey(), out.record().toBytes(), out.signature()));
        assertArrayEquals(f.gatewayKeys.verifyingKey().bytes(), out.record().gatewayKey());
        assertEquals("paper", out.record().policyId());
        assertEquals(List.of("idNumber: validation warning"), out.warnings());
    }

    @Test
    void noIdentifierReachesTheMaskedRecord() {
        Masked out = masked(f.byDoctor("s-2", GatewayFixture.PAPER_ROW_1,
                List.of(new RawSubmission.Attachment("scan.txt", "text/plain", SCAN))));
        String bytes = new String(out.record().toBytes(), StandardCharsets.ISO_8859_1);
        for (String identifier : List.of("533527195809210238", "YangYang", "Chaoyang park", "chest X-ray")) {
            assertFalse(bytes.contains(identifier), identifier);
            assertFalse(new String(out.ciphertexts().get(0), StandardCharsets.ISO_8859_1).contains(identifier), identifier);
        }
        assertFalse(out.pseudonym().contains("533527"));
    }

    @Test
    void attachmentsAreDeterministicCiphertextThatBothPartiesCanOpen() {
        RawSubmission submission = f.byDoctor("s-3", GatewayFixture.PAPER_ROW_1,
                List.of(new RawSubmission.Attachment("scan.txt", "text/plain", SCAN)));
        Masked first = masked(submission);
        Masked retry = masked(submission);
        assertArrayEquals(first.ciphertexts().get(0), retry.ciphertexts().get(0), "a retry gives the same ciphertext (and CID)");
        MaskedRecord.EncryptedAttachmentRef ref = first.record().attachments().get(0);
        assertEquals(SCAN.length, ref.plaintextSize());
        assertEquals(2, ref.wrappedKeys().size());
        for (int i = 0; i < 2; i++) {
            var recipient = i == 0 ? f.doctor : f.patient;
            ContentKey key = KeyWrap.unwrap(WrappedKey.fromBytes(ref.wrappedKeys().get(i)), recipient.encryptionKeys(),
                    ref.ciphertextSha256());
            assertArrayEquals(SCAN, AttachmentCipher.decrypt(key, ref.nonce(), "s-3", first.ciphertexts().get(0)));
        }
    }

    @Test
    void theRawCommitmentBindsTheSignedSubmissionAndPseudonymsAreStablePerPatient() {
        RawSubmission submission = f.byDoctor("s-4", GatewayFixture.PAPER_ROW_1, List.of());
        Masked out = masked(submission);
        byte[] salt = new GatewaySecrets(GatewayFixture.SECRET).commitmentSalt("s-4");
        assertArrayEquals(MaskedRecord.rawCommitment(salt, submission.body().toBytes()), out.record().rawCommitment());
        Masked other = masked(f.byDoctor("s-5", GatewayFixture.PAPER_ROW_1.replace("flu", "cough"), List.of()));
        assertEquals(out.pseudonym(), other.pseudonym());
        Masked someoneElse = masked(f.byDoctor("s-6", GatewayFixture.PAPER_ROW_1.replace("0238", "0239"), List.of()));
        assertNotEquals(out.pseudonym(), someoneElse.pseudonym());
        assertTrue(out.pseudonym().matches("[0-9a-f]{64}"));
    }

    @Test
    void aPatientMaySubmitToTheirDoctorToo() {
        masked(f.submission("s-7", GatewayFixture.PAPER_ROW_1, List.of(), f.patient, f.doctor, f.patient));
    }

    @Test
    void aBadSignatureIsRejected() {
        assertEquals(Reasons.BAD_SIGNATURE, rejected(f.submission("s-8", GatewayFixture.PAPER_ROW_1, List.of(),
                f.doctor, f.patient, f.secondDoctor)).reason());
    }

    @Test
    void unknownRevokedAndMismatchedMembersAreRejected() {
        assertEquals(Reasons.UNKNOWN_MEMBER, rejected(f.submission("s-9", GatewayFixture.PAPER_ROW_1, List.of(),
                f.outsider, f.doctor, f.outsider)).reason());
        assertEquals(Reasons.ROLE_MISMATCH, rejected(f.submission("s-10", GatewayFixture.PAPER_ROW_1, List.of(),
                f.doctor, f.secondDoctor, f.doctor)).reason());
        f.enrol(f.patient, EnrolmentCertificate.Status.REVOKED, GatewayFixture.NOW - 10);
        assertEquals(Reasons.MEMBER_NOT_VALID, rejected(f.byDoctor("s-11", GatewayFixture.PAPER_ROW_1, List.of())).reason());
    }

    @Test
    void badBodiesAreRejectedWithoutEchoingThem() {
        Rejected notJson = rejected(f.byDoctor("s-12", "{\"idNumber\":\"533527195809210238\",", List.of()));
        assertEquals(Reasons.BAD_JSON, notJson.reason());
        assertFalse(notJson.detail().contains("533527"));
        assertEquals(Reasons.BAD_JSON, rejected(f.byDoctor("s-13", "[1,2]", List.of())).reason());
        assertEquals(Reasons.BAD_JSON, rejected(f.byDoctor("s-14", "{\"name\":\"a\",\"name\":\"b\"}", List.of())).reason());
        assertEquals(Reasons.MISSING_SUBJECT, rejected(f.byDoctor("s-15", "{\"name\":\"Sihua Wu\"}", List.of())).reason());
    }

    @Test
    void anOversizeAttachmentIsRejected() {
        byte[] big = new byte[Gateway.MAX_ATTACHMENT_BYTES + 1];
        assertEquals(Reasons.OVERSIZE_ATTACHMENT, rejected(f.byDoctor("s-16", GatewayFixture.PAPER_ROW_1,
                List.of(new RawSubmission.Attachment("big.bin", "application/octet-stream", big)))).reason());
    }

    @Test
    void anInvalidKeyIsRejected() {
        RawSubmission good = f.byDoctor("s-17", GatewayFixture.PAPER_ROW_1, List.of());
        byte[] badKey = new byte[32];
        java.util.Arrays.fill(badKey, (byte) 0xff);
        RawSubmission bad = new RawSubmission(new org.emrsb.core.format.SubmissionBody(good.body().submissionId(),
                good.body().submittedAt(), good.body().format(), good.body().body(), good.body().attachments(), badKey,
                good.body().counterpartyKey()), List.of(), good.signature());
        assertEquals(Reasons.BAD_KEY, rejected(bad).reason());
    }

    @Test
    void warningsKeepTheFieldAndDropTheValue() {
        assertEquals("idNumber: validation warning", Gateway.fieldOnly("idNumber: check digit should be 7"));
        assertEquals("record: validation warning", Gateway.fieldOnly("something odd"));
    }
}
