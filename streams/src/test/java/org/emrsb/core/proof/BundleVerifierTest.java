package org.emrsb.core.proof;

import org.emrsb.core.governance.SignedCertificate;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.emrsb.core.bitcoin.BitcoinTransaction;
import org.emrsb.core.bitcoin.DoubleSha256;
import org.emrsb.core.crypto.Hex;
import org.emrsb.core.crypto.Role;
import org.emrsb.core.format.Verdict.Decision;
import org.emrsb.core.proof.BundleVerifier.Options;
import org.emrsb.core.proof.ProofFixture.VerdictEntry;
import org.emrsb.core.proof.VerificationReport.Status;
import org.emrsb.core.proof.VerificationReport.Step;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BundleVerifierTest {

    private static ProofFixture fx;

    @BeforeAll
    static void build() {
        fx = new ProofFixture();
    }

    private static VerificationReport verify(ProofBundle bundle, Options options) {
        return new BundleVerifier(options).verify(bundle);
    }

    private static VerificationReport verify(ProofBundle bundle) {
        return verify(bundle, Options.defaults());
    }

    private static ProofBundle edited(ProofBundle bundle, Consumer<ObjectNode> edit) {
        ObjectNode tree = bundle.toTree();
        edit.accept(tree);
        return ProofBundle.fromJsonTree(tree);
    }

    private static ObjectNode part(ObjectNode tree, String name) {
        return (ObjectNode) tree.get(name);
    }

    /** Asserts the report failed at {@code step} with a detail containing every {@code words}. */
    private static Step failsAt(VerificationReport report, String step, String... words) {
        assertFalse(report.verified(), "verified, expected a failure at " + step);
        Step failed = report.firstFailure().orElseThrow();
        assertEquals(step, failed.name(), failed.toString());
        for (String w : words) {
            assertTrue(failed.detail().contains(w), "'" + w + "' not in: " + failed.detail());
        }
        assertEquals(failed, report.steps().get(report.steps().size() - 1), "verification stops at the failure");
        return failed;
    }

    @Test
    void theCompleteBundleVerifiesStepByStep() {
        VerificationReport report = verify(fx.bundle());
        assertTrue(report.verified(), () -> report.firstFailure().toString());
        assertEquals(List.of("bundle.parts", "bundle.authority", "transaction.parse", "transaction.id",
                "transaction.gateway-signature", "block.header", "block.hash", "block.position", "block.transaction",
                "block.inclusion", "block.delegate-key", "block.delegate-signature", "block.delegate-certificate",
                "block.delegate-enrolment", "block.verdicts[0]", "block.verdicts[0].monitor-key",
                "block.verdicts[0].signature", "block.verdicts[0].certificate", "block.verdicts[0].enrolment",
                "block.verdicts[1]", "block.verdicts[1].monitor-key", "block.verdicts[1].signature",
                "block.verdicts[1].certificate", "block.verdicts[1].enrolment", "block.quorum", "anchor.header",
                "anchor.hash", "anchor.sequence", "anchor.inclusion", "bitcoin.network", "bitcoin.tx", "bitcoin.txid",
                "bitcoin.op-return", "bitcoin.header", "bitcoin.block-hash", "bitcoin.proof-of-work",
                "bitcoin.merkle-branch", "bitcoin.height"), report.steps().stream().map(Step::name).toList());
        assertTrue(report.step("bundle.authority").orElseThrow().detail().endsWith("trusted from the bundle"));
        Step height = report.step("bitcoin.height").orElseThrow();
        assertEquals(Status.UNVERIFIED, height.status());
        assertTrue(height.detail().contains("unverified offline"), height.detail());
        assertTrue(report.step("block.quorum").orElseThrow().detail().startsWith("2 distinct monitor(s) accepted"));
    }

    @Test
    void requiredParts() {
        ProofBundle blockOnly = fx.bundle(Part.BLOCK);
        assertTrue(verify(blockOnly, Options.defaults().withRequire(Part.BLOCK)).verified());
        failsAt(verify(blockOnly), "bundle.parts", "anchor part missing", "require bitcoin");
        failsAt(verify(blockOnly, Options.defaults().withRequire(Part.ANCHOR)), "bundle.parts", "anchor part missing");

        ProofBundle upToAnchor = fx.bundle(Part.ANCHOR);
        assertTrue(verify(upToAnchor, Options.defaults().withRequire(Part.ANCHOR)).verified());
        assertTrue(verify(upToAnchor, Options.defaults().withRequire(Part.BLOCK)).verified(), "present parts checked");
        failsAt(verify(upToAnchor), "bundle.parts", "bitcoin part missing");

        // a part present links to the ones before it: an anchor needs its block
        ProofBundle noBlock = edited(upToAnchor, t -> t.remove("block"));
        failsAt(verify(noBlock, Options.defaults().withRequire(Part.BLOCK)), "bundle.parts", "block part missing");
        ProofBundle noAnchor = edited(fx.bundle(), t -> t.remove("anchor"));
        failsAt(verify(noAnchor, Options.defaults().withRequire(Part.BLOCK)), "bundle.parts", "anchor part missing",
                "the bitcoin part present links to it");
    }

    @Test
    void aPresentPartIsCheckedEvenWhenNotRequired() {
        ProofBundle badAnchor = edited(fx.bundle(Part.ANCHOR), t -> part(t, "anchor").put("sequence", 5));
        failsAt(verify(badAnchor, Options.defaults().withRequire(Part.BLOCK)), "anchor.sequence");
    }

    @Test
    void uppercaseHexFailsNamingTheField() {
        for (String[] c : new String[][] {{"block", "hash"}, {"transaction", "bytes"}, {"bitcoin", "header"},
            {"anchor", "header"}}) {
            ProofBundle upper = edited(fx.bundle(),
                    t -> part(t, c[0]).put(c[1], part(t, c[0]).get(c[1]).textValue().toUpperCase(Locale.ROOT)));
            Step failed = verify(upper).firstFailure().orElseThrow();
            assertTrue(failed.detail().contains(c[0] + "." + c[1]) && failed.detail().contains("uppercase"),
                    failed.toString());
        }
        ProofBundle upperPath = edited(fx.bundle(), t -> {
            var path = (com.fasterxml.jackson.databind.node.ArrayNode) t.get("anchor").get("path");
            path.set(1, path.get(1).textValue().toUpperCase(Locale.ROOT));
        });
        failsAt(verify(upperPath), "anchor.inclusion", "anchor.path[1]", "uppercase");
        ProofBundle upperAuthority = edited(fx.bundle(),
                t -> t.put("authorityKey", "ed25519:" + t.get("authorityKey").textValue().substring(8).toUpperCase(Locale.ROOT)));
        failsAt(verify(upperAuthority), "bundle.authority", "authorityKey", "uppercase");
    }

    @Test
    void theQuorumCountsDistinctAcceptingMonitors() {
        Options two = Options.defaults().withQuorum(2);
        assertTrue(verify(fx.bundle(), two).verified());
        failsAt(verify(fx.bundle(), Options.defaults().withQuorum(3)), "block.quorum", "2 distinct", "3 needed");

        VerdictEntry accept1 = fx.verdict(fx.monitor1, Decision.ACCEPT);
        ProofBundle one = fx.bundle(Part.BITCOIN, fx.delegateCertificate, List.of(accept1));
        assertTrue(verify(one).verified());
        failsAt(verify(one, two), "block.quorum", "1 distinct monitor(s) accepted", "2 needed");

        VerdictEntry again = fx.verdict(fx.monitor1, Decision.ACCEPT, ProofFixture.T0 + 130_000,
                fx.certificate(fx.authority, fx.monitor1, Role.MONITOR));
        failsAt(verify(fx.bundle(Part.BITCOIN, fx.delegateCertificate, List.of(accept1, again)), two), "block.quorum",
                "1 distinct");

        failsAt(verify(fx.bundle(Part.BITCOIN, fx.delegateCertificate, List.of())), "block.quorum", "0 distinct");
    }

    @Test
    void aRejectionDoesNotCount() {
        VerdictEntry accept = fx.verdict(fx.monitor1, Decision.ACCEPT);
        VerdictEntry reject = fx.verdict(fx.monitor2, Decision.REJECT);
        ProofBundle mixed = fx.bundle(Part.BITCOIN, fx.delegateCertificate, List.of(accept, reject));
        VerificationReport report = verify(mixed);
        assertTrue(report.verified(), () -> report.firstFailure().toString());
        assertTrue(report.step("block.quorum").orElseThrow().detail().contains("1 rejected"));
        failsAt(verify(mixed, Options.defaults().withQuorum(2)), "block.quorum", "1 distinct");
        failsAt(verify(fx.bundle(Part.BITCOIN, fx.delegateCertificate, List.of(reject))), "block.quorum", "0 distinct");
    }

    @Test
    void certificatesMustChainToTheTrustedAuthority() {
        SignedCertificate foreign = fx.certificate(fx.otherAuthority, fx.delegate, Role.DELEGATE);
        failsAt(verify(fx.bundle(Part.BITCOIN, foreign, fx.acceptingVerdicts())), "block.delegate-certificate",
                "not by the trusted authority");

        // the authority's key as issuer, but another key's signature
        SignedCertificate good = fx.delegateCertificate;
        SignedCertificate forged = SignedCertificate.issue(fx.otherAuthority.signingKey(), good.certificate());
        failsAt(verify(fx.bundle(Part.BITCOIN, forged, fx.acceptingVerdicts())), "block.delegate-certificate",
                "signature does not verify");

        VerdictEntry foreignMonitor = fx.verdict(fx.monitor2, Decision.ACCEPT, ProofFixture.T0 + 1,
                fx.certificate(fx.otherAuthority, fx.monitor2, Role.MONITOR));
        failsAt(verify(fx.bundle(Part.BITCOIN, fx.delegateCertificate,
                List.of(fx.verdict(fx.monitor1, Decision.ACCEPT), foreignMonitor))), "block.verdicts[1].certificate");

        // the whole bundle re-issued by another authority verifies only when that authority is trusted
        ProofBundle renamed = edited(fx.bundle(), t -> t.put("authorityKey", fx.otherAuthority.verifyingKey().toString()));
        failsAt(verify(renamed), "block.delegate-certificate", "not by the trusted authority");
    }

    @Test
    void enrolmentsMustFitRoleMemberAndTime() {
        failsAt(verify(fx.bundle(Part.BITCOIN, fx.certificate(fx.authority, fx.delegate, Role.MONITOR),
                fx.acceptingVerdicts())), "block.delegate-enrolment", "enrols a monitor, not a delegate");
        failsAt(verify(fx.bundle(Part.BITCOIN, fx.certificate(fx.authority, fx.monitor1, Role.DELEGATE),
                fx.acceptingVerdicts())), "block.delegate-enrolment", "for member");
        SignedCertificate expired = fx.certificate(fx.authority, fx.delegate, Role.DELEGATE, ProofFixture.T0 - 1000,
                ProofFixture.T0);
        failsAt(verify(fx.bundle(Part.BITCOIN, expired, fx.acceptingVerdicts())), "block.delegate-enrolment",
                "not valid at the block's intervalStart");
        VerdictEntry lateVerdict = fx.verdict(fx.monitor1, Decision.ACCEPT, ProofFixture.T0 + 400 * 86_400_000L,
                fx.certificate(fx.authority, fx.monitor1, Role.MONITOR));
        failsAt(verify(fx.bundle(Part.BITCOIN, fx.delegateCertificate, List.of(lateVerdict))),
                "block.verdicts[0].enrolment", "issuedAt");
        VerdictEntry byDelegate = fx.verdict(fx.delegate, Decision.ACCEPT, ProofFixture.T0 + 1, fx.delegateCertificate);
        failsAt(verify(fx.bundle(Part.BITCOIN, fx.delegateCertificate, List.of(byDelegate))),
                "block.verdicts[0].enrolment", "not a monitor");
    }

    @Test
    void aGivenAuthorityMustBeTheBundles() {
        VerificationReport given = verify(fx.bundle(), Options.defaults().withAuthority(fx.authority.verifyingKey()));
        assertTrue(given.verified());
        assertTrue(given.step("bundle.authority").orElseThrow().detail().contains("given"));
        failsAt(verify(fx.bundle(), Options.defaults().withAuthority(fx.otherAuthority.verifyingKey())),
                "bundle.authority", "the trusted authority is " + fx.otherAuthority.verifyingKey());
    }

    @Test
    void theTxIndexMustFitTheBranch() {
        int levels = fx.bitcoinBlock.branch(ProofFixture.BITCOIN_TX_INDEX).size();
        // same low bits, so the walk alone would still reach the root
        ProofBundle aliased = edited(fx.bundle(),
                t -> part(t, "bitcoin").put("txIndex", ProofFixture.BITCOIN_TX_INDEX + (1L << levels)));
        failsAt(verify(aliased), "bitcoin.merkle-branch", "txIndex", "outside");
        failsAt(verify(edited(fx.bundle(), t -> part(t, "bitcoin").put("txIndex", -1))), "bitcoin.merkle-branch");
        failsAt(verify(edited(fx.bundle(), t -> part(t, "bitcoin").put("txIndex", 1))), "bitcoin.merkle-branch",
                "merkle root");
    }

    @Test
    void theNetworkBoundsTheProofOfWork() {
        failsAt(verify(edited(fx.bundle(), t -> part(t, "bitcoin").put("network", "mainnet"))),
                "bitcoin.proof-of-work", "easier than mainnet's limit");
        failsAt(verify(edited(fx.bundle(), t -> part(t, "bitcoin").put("network", "signet"))), "bitcoin.network");
    }

    @Test
    void treeIndexesAndSizesAreChecked() {
        failsAt(verify(edited(fx.bundle(), t -> part(t, "block").put("leafIndex", -1))), "block.inclusion", "outside");
        failsAt(verify(edited(fx.bundle(), t -> part(t, "block").put("leafIndex", 5))), "block.inclusion", "outside");
        failsAt(verify(edited(fx.bundle(), t -> part(t, "block").put("leafIndex", 3))), "block.inclusion");
        failsAt(verify(edited(fx.bundle(), t -> part(t, "block").put("treeSize", 6))), "block.inclusion", "txCount");
        failsAt(verify(edited(fx.bundle(), t -> part(t, "anchor").put("treeSize", 2))), "anchor.inclusion", "blockCount");
        failsAt(verify(edited(fx.bundle(), t -> part(t, "block").put("height", 13))), "block.position");
        failsAt(verify(edited(fx.bundle(), t -> part(t, "block").put("chain", 2))), "block.position");
    }

    @Test
    void aSegwitSerialisationIsRefused() {
        byte[] legacy = fx.anchoringTx.toBytes();
        byte[] segwit = new byte[legacy.length + 2 + 1];
        System.arraycopy(legacy, 0, segwit, 0, 4);
        segwit[4] = 0;
        segwit[5] = 1;
        System.arraycopy(legacy, 4, segwit, 6, legacy.length - 8);
        segwit[segwit.length - 5] = 0; // an empty witness for the one input
        System.arraycopy(legacy, legacy.length - 4, segwit, segwit.length - 4, 4);
        failsAt(verify(edited(fx.bundle(), t -> part(t, "bitcoin").put("tx", Hex.encode(segwit)))), "bitcoin.tx",
                "segwit");
    }

    @Test
    void theOpReturnMustCarryTheAnchorHash() {
        BitcoinTransaction other = new BitcoinTransaction(2, fx.anchoringTx.inputs(),
                List.of(BitcoinTransaction.Output.opReturn(DoubleSha256.hash(new byte[] {1}))), 0);
        byte[] bytes = other.toBytes();
        ProofBundle bundle = edited(fx.bundle(), t -> part(t, "bitcoin").put("tx", Hex.encode(bytes))
                .put("txid", Hex.encode(DoubleSha256.hash(bytes))));
        failsAt(verify(bundle), "bitcoin.op-return", "anchor hash");
    }

    @Test
    void theHeightIsConfirmedOnlyByANode() throws IOException {
        String display = Hex.encode(DoubleSha256.reverse(fx.bitcoinBlock.header().hash()));
        // a stand-in for getblockhash (the interface, not a fake bitcoind): display order is compared
        VerificationReport confirmed = verify(fx.bundle(), Options.defaults().withBitcoind(h -> {
            assertEquals(ProofFixture.BITCOIN_HEIGHT, h);
            return display;
        }));
        assertTrue(confirmed.verified());
        assertEquals(Status.OK, confirmed.step("bitcoin.height").orElseThrow().status());
        String internal = Hex.encode(fx.bitcoinBlock.header().hash());
        failsAt(verify(fx.bundle(), Options.defaults().withBitcoind(h -> internal)), "bitcoin.height", "not " + display);
        failsAt(verify(fx.bundle(), Options.defaults().withBitcoind(h -> {
            throw new IOException("connection refused");
        })), "bitcoin.height", "connection refused");
    }
}
