package org.emrsb.core.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.emrsb.core.crypto.MemberKeys;
import org.emrsb.core.crypto.Role;
import org.emrsb.core.format.EnrolmentCertificate;
import org.emrsb.core.format.MaskedRecord;
import org.emrsb.core.gateway.GatewayFixture;
import org.emrsb.core.gateway.GatewayOutcome;
import org.junit.jupiter.api.Test;

/** The delegate's admission checks: each refusal has its reason, and every byte of the record is bound. */
class AdmissionTest {

    private final GatewayFixture f = new GatewayFixture();
    private final GatewayOutcome.Masked masked = (GatewayOutcome.Masked) f.gateway()
            .process(f.byDoctor("sub-1", GatewayFixture.PAPER_ROW_1, List.of()));
    private final byte[] bytes = masked.record().toBytes();

    private Admission.Outcome check(byte[] record, byte[] signature) {
        return new Admission(f.directory()).check(record, signature, List.of(), GatewayFixture.NOW);
    }

    private static void refused(Admission.Outcome outcome, String reason, String detailPart) {
        Admission.Refused refused = assertInstanceOf(Admission.Refused.class, outcome, outcome::toString);
        assertEquals(reason, refused.reason(), refused.detail());
        assertTrue(refused.detail().contains(detailPart), refused.detail());
    }

    @Test
    void admitsARecordSignedByAnEnrolledGatewayBetweenEnrolledParties() {
        Admission.Admitted admitted = assertInstanceOf(Admission.Admitted.class, check(bytes, masked.signature()));
        assertEquals("sub-1", admitted.record().submissionId());
    }

    @Test
    void everyFlippedBitOfTheRecordOrSignatureIsRefused() {
        for (int i = 0; i < bytes.length; i++) {
            byte[] mutated = bytes.clone();
            mutated[i] ^= 0x01;
            assertInstanceOf(Admission.Refused.class, check(mutated, masked.signature()), "byte " + i);
        }
        for (int i = 0; i < 64; i++) {
            byte[] signature = masked.signature().clone();
            signature[i] ^= 0x01;
            refused(check(bytes, signature), Admission.Reasons.BAD_SIGNATURE, "does not verify");
        }
        refused(check(bytes, new byte[63]), Admission.Reasons.BAD_SIGNATURE, "does not verify");
    }

    @Test
    void refusesUnknownRevokedAndMiscastMembers() {
        MaskedRecord r = masked.record();
        MaskedRecord stranger = new MaskedRecord(r.submissionId(), r.maskedAt(), r.format(), r.maskedBody(), r.policyId(),
                r.policyVersion(), r.policyHash(), r.rawCommitment(), r.submitterKey(), f.outsider.verifyingKey().bytes(),
                r.gatewayKey(), r.attachments());
        refused(check(stranger.toBytes(), masked.signature()), Admission.Reasons.UNKNOWN_MEMBER, "counterparty");

        MaskedRecord doctorAsGateway = new MaskedRecord(r.submissionId(), r.maskedAt(), r.format(), r.maskedBody(),
                r.policyId(), r.policyVersion(), r.policyHash(), r.rawCommitment(), r.submitterKey(), r.counterpartyKey(),
                f.doctor.verifyingKey().bytes(), r.attachments());
        refused(check(doctorAsGateway.toBytes(), masked.signature()), Admission.Reasons.ROLE_MISMATCH, "gateway");

        f.enrol(f.gatewayKeys, EnrolmentCertificate.Status.REVOKED, GatewayFixture.NOW);
        refused(check(bytes, masked.signature()), Admission.Reasons.MEMBER_NOT_VALID, "gateway");
    }

    @Test
    void refusesARecordDatedAheadOfTheClockOrWithoutItsCids() {
        Admission admission = new Admission(f.directory());
        long early = GatewayFixture.NOW - Admission.MAX_CLOCK_SKEW_MS - 1;
        refused(admission.check(bytes, masked.signature(), List.of(), early), Admission.Reasons.FUTURE_RECORD, "maskedAt");
        refused(admission.check(bytes, masked.signature(), List.of(new byte[36]), GatewayFixture.NOW),
                Admission.Reasons.BAD_RECORD, "0 attachments but 1 CIDs");
        refused(admission.check(new byte[] {1, 2}, masked.signature(), List.of(), GatewayFixture.NOW),
                Admission.Reasons.BAD_RECORD, "does not parse");
    }

    @Test
    void refusesBeforeSigningWhatTheMonitorsWouldRejectAsALeak() {
        MaskedRecord r = masked.record();
        String first17 = "11010119491231002";
        String body = "{\"age\":\"[60, 65]\",\"idNumber\":\"" + first17
                + org.emrsb.core.masking.ResidentIds.checkDigit(first17) + "\"}";
        MaskedRecord leaking = new MaskedRecord(r.submissionId(), r.maskedAt(), r.format(),
                body.getBytes(java.nio.charset.StandardCharsets.UTF_8), r.policyId(), r.policyVersion(), r.policyHash(),
                r.rawCommitment(), r.submitterKey(), r.counterpartyKey(), r.gatewayKey(), r.attachments());
        byte[] bytes = leaking.toBytes();
        byte[] signature = org.emrsb.core.crypto.Signatures.sign(f.gatewayKeys.signingKey(), bytes);
        Admission.Refused refused = assertInstanceOf(Admission.Refused.class, check(bytes, signature));
        assertEquals(Admission.Reasons.IDENTIFIER_LEAK, refused.reason());
        assertTrue(!refused.detail().contains(first17), "the detail never repeats the identifier: " + refused.detail());
    }

    @Test
    void aDelegateKeyIsNotAGateway() {
        MemberKeys delegate = GatewayFixture.keys(Role.DELEGATE, 40);
        f.enrol(delegate, EnrolmentCertificate.Status.ACTIVE, GatewayFixture.NOW - 1000);
        MaskedRecord r = masked.record();
        MaskedRecord byDelegate = new MaskedRecord(r.submissionId(), r.maskedAt(), r.format(), r.maskedBody(),
                r.policyId(), r.policyVersion(), r.policyHash(), r.rawCommitment(), r.submitterKey(), r.counterpartyKey(),
                delegate.verifyingKey().bytes(), r.attachments());
        refused(check(byDelegate.toBytes(), masked.signature()), Admission.Reasons.ROLE_MISMATCH, "enrolled as delegate");
    }
}
