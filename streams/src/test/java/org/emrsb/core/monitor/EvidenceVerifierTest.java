package org.emrsb.core.monitor;

import static org.emrsb.core.monitor.MonitorFixture.CHAIN;
import static org.emrsb.core.monitor.MonitorFixture.NOW;
import static org.emrsb.core.monitor.MonitorFixture.ZERO_HASH;
import static org.emrsb.core.monitor.MonitorFixture.sign;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.emrsb.core.crypto.MemberKeys;
import org.emrsb.core.crypto.Signatures;
import org.emrsb.core.format.BlockHeader;
import org.emrsb.core.format.MaskedRecord;
import org.emrsb.core.format.Verdict.SubjectKind;
import org.emrsb.core.format.Violation;
import org.emrsb.core.ledger.Admission;
import org.emrsb.core.ledger.SealedBlock;
import org.emrsb.core.ledger.SignedTransaction;
import org.junit.jupiter.api.Test;

/**
 * Evidence as the governance processor re-checks it: each self-contained violation a monitor reports is
 * proven; everything that is not the delegate's fault, or not decidable from the evidence, is refuted.
 */
class EvidenceVerifierTest {

    private final MonitorFixture f = new MonitorFixture();
    private final EvidenceVerifier verifier = new EvidenceVerifier(f.epochLookup(), f.members());
    private final TransactionChecks checks = f.transactionChecks();
    private final MonitorFixture.Offloaded offloaded = f.offloaded("sub-e");

    /** What a monitor publishes for a transaction it rejected: the attributable failure, signed. */
    private SignedViolation reported(SignedTransaction signed) {
        CheckOutcome.Rejected failure = checks.attributableFailure(signed).orElseThrow();
        return SignedViolation.of(f.monitor.signingKey(), signed, failure, NOW + 5000);
    }

    private SignedViolation claim(SubjectKind kind, String check, byte[] bytes, byte[] signature, MemberKeys signer,
            MemberKeys reporter) {
        return SignedViolation.issue(reporter.signingKey(), new Violation(kind, CHAIN, check,
                signer.verifyingKey().bytes(), bytes, signature, reporter.verifyingKey().bytes(), NOW + 5000));
    }

    private SignedViolation claim(String check, SignedTransaction signed) {
        return claim(SubjectKind.TRANSACTION, check, signed.bytes(), signed.signature(), f.delegate, f.monitor);
    }

    private static void proven(EvidenceVerifier.Result result) {
        assertInstanceOf(EvidenceVerifier.Proven.class, result, result::toString);
    }

    private static void refuted(EvidenceVerifier.Result result, String reasonPart) {
        EvidenceVerifier.Refuted refuted = assertInstanceOf(EvidenceVerifier.Refuted.class, result, result::toString);
        assertTrue(refuted.reason().contains(reasonPart), refuted.reason());
    }

    private SignedTransaction signedByGateway(MaskedRecord record) {
        return sign(f.gatewaySigned(record), 0, 1, f.delegate);
    }

    @Test
    void everySelfContainedTransactionViolationIsProven() {
        byte[] forgedGateway = offloaded.signature().clone();
        forgedGateway[0] ^= 0x01;
        List<SignedTransaction> bad = List.of(
                sign(offloaded, 0, 2, f.delegate),                                          // delegate-active
                signedByGateway(MonitorFixture.withMaskedAt(offloaded.record(),
                        NOW + 2000 + Admission.MAX_CLOCK_SKEW_MS)),                         // masked-at
                sign(new MonitorFixture.Offloaded(offloaded.record(), forgedGateway, offloaded.cids()), 0, 1,
                        f.delegate),                                                        // gateway-signature
                signedByGateway(MonitorFixture.withBody(offloaded.record(),
                        "{\"id\":\"" + MonitorFixture.validResidentId() + "\"}")),           // masked-content
                sign(new MonitorFixture.Offloaded(offloaded.record(), offloaded.signature(),
                        List.of(new byte[] {1, 0x55})), 0, 1, f.delegate));                 // cids
        List<String> expected = List.of("delegate-active", "masked-at", "gateway-signature", "masked-content", "cids");
        for (int i = 0; i < bad.size(); i++) {
            SignedViolation evidence = reported(bad.get(i));
            assertEquals(expected.get(i), evidence.violation().check());
            proven(verifier.verify(evidence));
            proven(verifier.verify(SignedViolation.parse(evidence.toBytes())));
        }
    }

    @Test
    void taggedBytesThatDoNotParseAreFormatEvidence() {
        SignedTransaction valid = sign(offloaded, 0, 1, f.delegate);
        byte[] bytes = Arrays.copyOf(valid.bytes(), valid.bytes().length + 1);
        byte[] signature = Signatures.sign(f.delegate.signingKey(), bytes);
        proven(verifier.verify(claim(SubjectKind.TRANSACTION, "transaction-format", bytes, signature, f.delegate, f.monitor)));
        refuted(verifier.verify(claim("transaction-format", valid)), "parse as a transaction");
        refuted(verifier.verify(claim("masked-content", new SignedTransaction(valid.tx(), bytes, signature))),
                "do not parse");
    }

    @Test
    void bytesOfAnotherKindAreNotFormatEvidence() {
        SignedTransaction tx = f.transaction(0);
        SealedBlock block = MonitorFixture.seal(f.header(List.of(tx), 0, ZERO_HASH, 1, f.delegate), f.delegate);
        // an honest block header offered as a malformed transaction, and an honest transaction as a block
        refuted(verifier.verify(claim(SubjectKind.TRANSACTION, "transaction-format", block.bytes(), block.signature(),
                f.delegate, f.monitor)), "tag");
        refuted(verifier.verify(claim(SubjectKind.BLOCK, "block-format", tx.bytes(), tx.signature(), f.delegate,
                f.monitor)), "tag");
    }

    @Test
    void blockEvidence() {
        SignedTransaction tx = f.transaction(0);
        BlockHeader standby = new BlockHeader(CHAIN, 0, ZERO_HASH, NOW, NOW + 1, 1, 0, 0, tx.idBytes(), 2,
                f.delegate.verifyingKey().bytes());
        SealedBlock block = MonitorFixture.seal(standby, f.delegate);
        BlockChecks blockChecks = f.blockChecks();
        SignedViolation evidence = SignedViolation.of(f.monitor.signingKey(), block,
                blockChecks.attributableFailure(block).orElseThrow(), NOW + 5000);
        proven(verifier.verify(evidence));

        byte[] garbage = Arrays.copyOf(block.bytes(), block.bytes().length - 1);
        proven(verifier.verify(claim(SubjectKind.BLOCK, "block-format", garbage,
                Signatures.sign(f.delegate.signingKey(), garbage), f.delegate, f.monitor)));

        SealedBlock good = MonitorFixture.seal(f.header(List.of(tx), 0, ZERO_HASH, 1, f.delegate), f.delegate);
        refuted(verifier.verify(claim(SubjectKind.BLOCK, "delegate-active", good.bytes(), good.signature(), f.delegate,
                f.monitor)), "pass");
        refuted(verifier.verify(claim(SubjectKind.BLOCK, "merkle-root", good.bytes(), good.signature(), f.delegate,
                f.monitor)), "not evidence");
    }

    @Test
    void anUnknownEpochIsPending() {
        SignedTransaction future = sign(offloaded, 0, 9, f.delegate);
        EvidenceVerifier.Result result = verifier.verify(claim("delegate-active", future));
        assertInstanceOf(EvidenceVerifier.Pending.class, result, result::toString);
    }

    @Test
    void checksThatAreNotEvidenceAreRefused() {
        SignedTransaction valid = sign(offloaded, 0, 1, f.delegate);
        for (String check : List.of("delegate-signature", "enrolment", "chain", "sequence", "height", "no-such-check")) {
            refuted(verifier.verify(claim(check, valid)), "not evidence");
        }
    }

    @Test
    void aSignatureThatIsNotTheDelegatesIsNoEvidence() {
        SignedTransaction standby = sign(offloaded, 0, 2, f.delegate);
        byte[] signature = standby.signature().clone();
        signature[5] ^= 0x01;
        refuted(verifier.verify(claim(SubjectKind.TRANSACTION, "delegate-active", standby.bytes(), signature, f.delegate,
                f.monitor)), "not its");
        // the second delegate's key named for the first delegate's bytes
        refuted(verifier.verify(claim(SubjectKind.TRANSACTION, "delegate-active", standby.bytes(), standby.signature(),
                f.second, f.monitor)), "not its");
    }

    @Test
    void theViolationMustNameTheChainAndKeyOfTheBytes() {
        SignedTransaction standby = sign(offloaded, 0, 2, f.delegate);
        Violation v = reported(standby).violation();
        Violation otherChain = new Violation(v.kind(), CHAIN + 1, v.check(), v.delegateKey(), v.signedBytes(),
                v.delegateSignature(), v.monitorKey(), v.issuedAt());
        refuted(verifier.verify(SignedViolation.issue(f.monitor.signingKey(), otherChain)), "names chain");
    }

    @Test
    void aCleanTransactionRefutesEveryClaim() {
        SignedTransaction valid = sign(offloaded, 0, 1, f.delegate);
        for (String check : List.of("delegate-active", "masked-at", "gateway-signature", "masked-content", "cids")) {
            refuted(verifier.verify(claim(check, valid)), "pass");
        }
        assertEquals(Optional.empty(), checks.attributableFailure(valid));
    }

    @Test
    void onlyAnEnrolledMonitorsSignedReportCounts() {
        SignedViolation evidence = reported(sign(offloaded, 0, 2, f.delegate));
        byte[] forged = evidence.signature();
        forged[0] ^= 0x01;
        refuted(verifier.verify(new SignedViolation(evidence.violation(), forged)), "monitor's signature");
        SignedTransaction standby = sign(offloaded, 0, 2, f.delegate);
        refuted(verifier.verify(claim(SubjectKind.TRANSACTION, "delegate-active", standby.bytes(), standby.signature(),
                f.delegate, f.alliance.doctor)), "not enrolled as a monitor");
    }
}
