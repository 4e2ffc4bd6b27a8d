package org.emrsb.core.monitor;

import static org.emrsb.core.monitor.MonitorFixture.CHAIN;
import static org.emrsb.core.monitor.MonitorFixture.NOW;
import static org.emrsb.core.monitor.MonitorFixture.sign;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.emrsb.core.format.EnrolmentCertificate;
import org.emrsb.core.format.MaskedRecord;
import org.emrsb.core.format.Transaction;
import org.emrsb.core.governance.GovernanceEpoch;
import org.emrsb.core.ipfs.Cid;
import org.emrsb.core.ledger.Admission;
import org.emrsb.core.ledger.SignedTransaction;
import org.junit.jupiter.api.Test;

/** Every transaction check: the passing case, and the mutation that must fail it (and nothing earlier). */
class TransactionChecksTest {

    private final MonitorFixture f = new MonitorFixture();
    private final TransactionChecks checks = f.transactionChecks();
    private final ChainWatch watch = ChainWatch.genesis(CHAIN);
    private final MonitorFixture.Offloaded offloaded = f.offloaded("sub-0");

    private CheckOutcome check(SignedTransaction signed) {
        return checks.check(signed, watch);
    }

    private static void rejected(CheckOutcome outcome, String check) {
        CheckOutcome.Rejected rejected = assertInstanceOf(CheckOutcome.Rejected.class, outcome, outcome::toString);
        assertEquals(check, rejected.check(), rejected.detail());
    }

    /** Fails {@code check} in the pipeline, and is (or is not) reported as evidence with that check. */
    private void failsOnly(SignedTransaction signed, String check, boolean evidence) {
        rejected(check(signed), check);
        Optional<CheckOutcome.Rejected> attributable = checks.attributableFailure(signed);
        assertEquals(evidence ? Optional.of(check) : Optional.empty(), attributable.map(CheckOutcome.Rejected::check));
    }

    private SignedTransaction signedByGateway(MaskedRecord record) {
        return sign(f.gatewaySigned(record), 0, 1, f.delegate);
    }

    @Test
    void theOrderIsTheDocumentedOne() {
        assertEquals(List.of("transaction-format", "delegate-signature", "delegate-active", "masked-at", "enrolment",
                "gateway-signature", "masked-content", "cids", "chain", "sequence"), TransactionChecks.ORDER);
        assertEquals(List.of("transaction-format", "delegate-active", "masked-at", "gateway-signature", "masked-content",
                "cids"), TransactionChecks.EVIDENCE);
        assertEquals(TransactionChecks.EVIDENCE,
                TransactionChecks.ORDER.stream().filter(TransactionChecks.EVIDENCE::contains).toList());
    }

    @Test
    void acceptsTheGatewaysRealOutputSignedByAnActiveDelegateInSequence() {
        SignedTransaction first = sign(offloaded, 0, 1, f.delegate);
        assertSame(CheckOutcome.ACCEPTED, check(first));
        assertEquals(Optional.empty(), checks.attributableFailure(first));
        watch.recordAccepted(first);
        assertSame(CheckOutcome.ACCEPTED, check(f.transaction(1)));
    }

    @Test
    void everyFlippedByteIsRefusedByTheFormatOrTheDelegatesSignature() {
        SignedTransaction valid = sign(offloaded, 0, 1, f.delegate);
        for (int i = 0; i < valid.bytes().length; i++) {
            byte[] flipped = valid.bytes().clone();
            flipped[i] ^= 0x01;
            Transaction parsed;
            try {
                parsed = Transaction.parse(flipped);
            } catch (RuntimeException e) {
                parsed = valid.tx();
            }
            CheckOutcome outcome = check(new SignedTransaction(parsed, flipped, valid.signature()));
            CheckOutcome.Rejected rejected = assertInstanceOf(CheckOutcome.Rejected.class, outcome, "byte " + i);
            assertTrue(List.of("transaction-format", "delegate-signature").contains(rejected.check()), "byte " + i);
        }
    }

    @Test
    void transactionFormat() {
        SignedTransaction valid = sign(offloaded, 0, 1, f.delegate);
        failsOnly(MonitorFixture.flippedBytes(valid, 3), "transaction-format", false); // the tag: not a transaction
        byte[] truncated = java.util.Arrays.copyOf(valid.bytes(), valid.bytes().length - 1);
        rejected(check(new SignedTransaction(valid.tx(), truncated, valid.signature())), "transaction-format");
        // the structure it came with is not its bytes
        SignedTransaction other = f.transaction(0);
        rejected(check(new SignedTransaction(other.tx(), valid.bytes(), valid.signature())), "transaction-format");
    }

    @Test
    void transactionFormatIsEvidenceWhenTheDelegateSignedTaggedBytesThatDoNotParse() {
        SignedTransaction valid = sign(offloaded, 0, 1, f.delegate);
        byte[] bytes = java.util.Arrays.copyOf(valid.bytes(), valid.bytes().length + 1); // a trailing byte
        SignedTransaction garbage = new SignedTransaction(valid.tx(), bytes,
                org.emrsb.core.crypto.Signatures.sign(f.delegate.signingKey(), bytes));
        failsOnly(garbage, "transaction-format", true);
    }

    @Test
    void delegateSignature() {
        SignedTransaction valid = sign(offloaded, 0, 1, f.delegate);
        for (int i = 0; i < 64; i++) {
            byte[] signature = valid.signature().clone();
            signature[i] ^= 0x01;
            failsOnly(new SignedTransaction(valid.tx(), valid.bytes(), signature), "delegate-signature", false);
        }
        SignedTransaction bySecond = sign(offloaded, 0, 1, f.second);
        failsOnly(new SignedTransaction(valid.tx(), valid.bytes(), bySecond.signature()), "delegate-signature", false);
    }

    @Test
    void delegateActive() {
        failsOnly(sign(offloaded, 0, 2, f.delegate), "delegate-active", true); // STANDBY at epoch 2
        failsOnly(sign(offloaded, 0, 3, f.delegate), "delegate-active", true); // EVICTED at epoch 3
        failsOnly(sign(offloaded, 0, 1, f.monitor), "delegate-active", true);  // not a delegate at all
        failsOnly(sign(offloaded, 0, 0, f.delegate), "delegate-active", true); // epoch 0 does not exist
        assertSame(CheckOutcome.ACCEPTED, check(sign(offloaded, 0, 2, f.second)));
    }

    @Test
    void anUnknownEpochWaitsAndIsNotEvidence() {
        SignedTransaction future = sign(offloaded, 0, 9, f.delegate);
        CheckOutcome.Waiting waiting = assertInstanceOf(CheckOutcome.Waiting.class, check(future));
        assertEquals("delegate-active", waiting.check());
        assertEquals(Optional.empty(), checks.attributableFailure(future));
        GovernanceEpoch first = f.epochs.get(1L);
        f.epochs.put(9L, new GovernanceEpoch(9, NOW, first.delegates(), "the epoch arrives"));
        assertSame(CheckOutcome.ACCEPTED, check(future));
    }

    @Test
    void maskedAt() {
        MaskedRecord late = MonitorFixture.withMaskedAt(offloaded.record(), NOW + 1000 + Admission.MAX_CLOCK_SKEW_MS + 1);
        failsOnly(signedByGateway(late), "masked-at", true);
        MaskedRecord justInTime = MonitorFixture.withMaskedAt(offloaded.record(), NOW + 1000 + Admission.MAX_CLOCK_SKEW_MS);
        assertSame(CheckOutcome.ACCEPTED, check(signedByGateway(justInTime)));
    }

    @Test
    void enrolment() {
        MaskedRecord stranger = MonitorFixture.withCounterparty(offloaded.record(), f.alliance.outsider.verifyingKey().bytes());
        failsOnly(signedByGateway(stranger), "enrolment", false);
        MaskedRecord delegateAsParty = MonitorFixture.withCounterparty(offloaded.record(), f.delegate.verifyingKey().bytes());
        failsOnly(signedByGateway(delegateAsParty), "enrolment", false);
        f.alliance.enrol(f.alliance.gatewayKeys, EnrolmentCertificate.Status.REVOKED, NOW);
        failsOnly(sign(offloaded, 0, 1, f.delegate), "enrolment", false);
    }

    @Test
    void gatewaySignature() {
        byte[] signature = offloaded.signature().clone();
        signature[10] ^= 0x01;
        MonitorFixture.Offloaded forged = new MonitorFixture.Offloaded(offloaded.record(), signature, offloaded.cids());
        failsOnly(sign(forged, 0, 1, f.delegate), "gateway-signature", true);
        // the record changed after the gateway signed it (signature of the original kept)
        MaskedRecord tampered = MonitorFixture.withBody(offloaded.record(), "{\"disease\":\"cold\"}");
        failsOnly(sign(new MonitorFixture.Offloaded(tampered, offloaded.signature(), offloaded.cids()), 0, 1, f.delegate),
                "gateway-signature", true);
    }

    @Test
    void maskedContentCatchesALeakedResidentIdTheGatewayProperlySigned() {
        String body = "{\"age\":\"[60, 65]\",\"idNumber\":\"" + MonitorFixture.validResidentId() + "\"}";
        failsOnly(signedByGateway(MonitorFixture.withBody(offloaded.record(), body)), "masked-content", true);
    }

    @Test
    void maskedContentCatchesAnUnmaskedNameUnderThePaperProfile() {
        String body = "{\"age\":\"[60, 65]\",\"idNumber\":\"533527*****0238\",\"name\":\"YangYang\"}";
        failsOnly(signedByGateway(MonitorFixture.withBody(offloaded.record(), body)), "masked-content", true);
    }

    @Test
    void maskedContentCatchesAnAttachmentNobodyCanDecrypt() {
        MaskedRecord.EncryptedAttachmentRef a = offloaded.record().attachments().get(0);
        MaskedRecord.EncryptedAttachmentRef bare = new MaskedRecord.EncryptedAttachmentRef(a.mediaType(), a.plaintextSize(),
                a.ciphertextSize(), a.ciphertextSha256(), a.nonce(), List.of());
        failsOnly(signedByGateway(MonitorFixture.withAttachments(offloaded.record(), List.of(bare))), "masked-content", true);
    }

    /** The offloaded record with a FHIR body masked by hipaa-safe-harbor (or that body changed by {@code leak}). */
    private MaskedRecord fhirRecord(java.util.function.UnaryOperator<String> leak) throws Exception {
        org.emrsb.core.masking.MaskingPolicy hipaa = org.emrsb.core.masking.MaskingPolicy.named(
                org.emrsb.core.masking.MaskingPolicy.HIPAA_SAFE_HARBOR,
                org.emrsb.core.masking.MaskingKeys.derive(new byte[32]));
        String patient;
        try (java.io.InputStream in = org.emrsb.core.masking.MaskingPolicy.class.getResourceAsStream("fhir/patient.json")) {
            patient = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        var masked = hipaa.fhir().mask((com.fasterxml.jackson.databind.node.ObjectNode)
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(patient)).masked();
        String body = new String(org.emrsb.core.format.CanonicalJson.canonicalize(masked),
                java.nio.charset.StandardCharsets.UTF_8);
        MaskedRecord r = offloaded.record();
        return new MaskedRecord(r.submissionId(), r.maskedAt(), org.emrsb.core.format.BodyFormat.FHIR_R4,
                leak.apply(body).getBytes(java.nio.charset.StandardCharsets.UTF_8), hipaa.id(), hipaa.version(),
                hipaa.hash(), r.rawCommitment(), r.submitterKey(), r.counterpartyKey(), r.gatewayKey(), r.attachments());
    }

    @Test
    void maskedContentAcceptsACorrectlyMaskedFhirPatientAndCatchesASurvivingName() throws Exception {
        assertSame(CheckOutcome.ACCEPTED, check(signedByGateway(fhirRecord(b -> b))));
        failsOnly(signedByGateway(fhirRecord(b -> b.replace("\"gender\":", "\"name\":[{\"family\":\"Lopez\"}],\"gender\":"))),
                "masked-content", true);
        failsOnly(signedByGateway(fhirRecord(b -> b.replace("\"birthDate\":\"1974\"", "\"birthDate\":\"1974-12-25\""))),
                "masked-content", true);
    }

    @Test
    void cids() {
        byte[] cid = offloaded.cids().get(0);
        failsOnly(withCid(java.util.Arrays.copyOf(cid, cid.length - 1)), "cids", true); // truncated digest
        byte[] unknownCodec = cid.clone();
        unknownCodec[1] = 0x71; // dag-cbor
        failsOnly(withCid(unknownCodec), "cids", true);
        failsOnly(withCid(Cid.v0(Cid.fromBytes(cid).digest()).bytes()), "cids", true);
        failsOnly(withCid(Cid.rawLeaf(MonitorFixture.filled(0x77, 32)).bytes()), "cids", true); // other bytes
        assertSame(CheckOutcome.ACCEPTED, check(withCid(Cid.dagPb(MonitorFixture.filled(0x77, 32)).bytes())));
    }

    private SignedTransaction withCid(byte[] cid) {
        return sign(new MonitorFixture.Offloaded(offloaded.record(), offloaded.signature(), List.of(cid)), 0, 1, f.delegate);
    }

    @Test
    void chain() {
        SignedTransaction valid = sign(offloaded, 0, 1, f.delegate);
        rejected(checks.check(valid, ChainWatch.genesis(CHAIN + 1)), "chain");
        assertEquals(Optional.empty(), checks.attributableFailure(valid));
    }

    @Test
    void sequenceAllowsGapsOnlyWhereVoidsWereRecorded() {
        SignedTransaction third = f.transaction(2);
        failsOnly(third, "sequence", false);
        watch.recordAccepted(f.transaction(0));
        watch.recordVoid(1);
        assertSame(CheckOutcome.ACCEPTED, check(third));
        watch.recordAccepted(third);
        failsOnly(third, "sequence", false);          // a repeat
        failsOnly(f.transaction(1), "sequence", false); // the void number reused
    }

    @Test
    void aRejectedTransactionsNumberIsPassedLikeAVoid() {
        SignedTransaction bad = sign(offloaded, 0, 2, f.delegate);
        rejected(check(bad), "delegate-active");
        watch.recordVoid(bad.tx().sequence());
        assertSame(CheckOutcome.ACCEPTED, check(f.transaction(1)));
    }
}
