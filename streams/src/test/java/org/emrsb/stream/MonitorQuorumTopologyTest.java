package org.emrsb.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.emrsb.avro.EpochRecord;
import org.emrsb.avro.LedgerBlock;
import org.emrsb.avro.LedgerTransaction;
import org.emrsb.avro.LedgerVerdict;
import org.emrsb.avro.LedgerViolation;
import org.emrsb.avro.MemberCertificate;
import org.emrsb.avro.RejectedRecord;
import org.emrsb.avro.SignedMaskedRecord;
import org.emrsb.core.crypto.Hex;
import org.emrsb.core.crypto.MemberKeys;
import org.emrsb.core.crypto.Role;
import org.emrsb.core.format.EnrolmentCertificate;
import org.emrsb.core.format.Verdict;
import org.emrsb.core.gateway.GatewayFixture;
import org.emrsb.core.gateway.GatewayOutcome;
import org.emrsb.core.governance.DelegateEntry;
import org.emrsb.core.governance.DelegateStatus;
import org.emrsb.core.governance.GovernanceEpoch;
import org.emrsb.core.governance.SignedCertificate;
import org.emrsb.core.ledger.ChainHead;
import org.emrsb.core.ledger.ChainVerifier;
import org.emrsb.core.ledger.Quorum;
import org.emrsb.core.ledger.SealedBlock;
import org.emrsb.core.ledger.SignedTransaction;
import org.emrsb.core.monitor.EvidenceVerifier;
import org.emrsb.core.monitor.SignedViolation;
import org.emrsb.core.monitor.Verdicts;
import org.emrsb.core.proof.BundleVerifier;
import org.emrsb.core.proof.Part;
import org.emrsb.core.proof.VerificationReport;
import org.emrsb.schemas.AvroSerdes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The monitor stage and the delegate stage's quorum together under TopologyTestDriver: verdicts on every
 * transaction and block, blocks of quorum-accepted transactions only, a rejected transaction void and
 * its record signed again exactly once, and evidence against a delegate that signs while not ACTIVE.
 */
class MonitorQuorumTopologyTest {

    private static final Duration INTERVAL = Duration.ofSeconds(60);
    private static final int MAX_TX = 3;

    private final GatewayFixture f = new GatewayFixture();
    private final MemberKeys delegateA = GatewayFixture.keys(Role.DELEGATE, 51);
    private final MemberKeys delegateB = GatewayFixture.keys(Role.DELEGATE, 52);
    private final MemberKeys monitor1 = GatewayFixture.keys(Role.MONITOR, 53);
    private final MemberKeys monitor2 = GatewayFixture.keys(Role.MONITOR, 54);
    private final Serde<SignedMaskedRecord> masked = AvroSerdes.singleObject(SignedMaskedRecord.class);
    private final Serde<LedgerTransaction> txSerde = AvroSerdes.singleObject(LedgerTransaction.class);
    private final Serde<LedgerBlock> blockSerde = AvroSerdes.singleObject(LedgerBlock.class);
    private final Serde<LedgerVerdict> verdictSerde = AvroSerdes.singleObject(LedgerVerdict.class);
    private final Serde<LedgerViolation> violationSerde = AvroSerdes.singleObject(LedgerViolation.class);
    private final Serde<RejectedRecord> rejected = AvroSerdes.singleObject(RejectedRecord.class);
    private final Serde<EpochRecord> epochs = AvroSerdes.singleObject(EpochRecord.class);
    private final Serde<MemberCertificate> certificates = AvroSerdes.singleObject(MemberCertificate.class);
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> offloaded;
    private TestInputTopic<String, byte[]> txIn;
    private TestInputTopic<String, byte[]> verdictIn;
    private TestOutputTopic<String, LedgerTransaction> txOut;
    private TestOutputTopic<String, LedgerBlock> blockOut;
    private TestOutputTopic<String, LedgerVerdict> verdictOut;
    private TestOutputTopic<String, LedgerViolation> violationOut;
    private int submissions;
    private Duration missedBlockAfter = Duration.ZERO;

    private void start(Quorum quorum, MemberKeys... monitors) {
        f.enrol(delegateA, EnrolmentCertificate.Status.ACTIVE, GatewayFixture.NOW - 1000);
        f.enrol(delegateB, EnrolmentCertificate.Status.ACTIVE, GatewayFixture.NOW - 1000);
        for (MemberKeys m : monitors) {
            f.enrol(m, EnrolmentCertificate.Status.ACTIVE, GatewayFixture.NOW - 1000);
        }
        Topics topics = Topics.defaults();
        Topology topology = new Topology();
        MembersGlobalStore.addTo(topology, topics, certificates.deserializer(), f.authority.verifyingKey());
        EpochsGlobalStore.addTo(topology, topics, epochs.deserializer(), f.authority.verifyingKey());
        LedgerTopology.build(topology, topics, new LedgerTopology.Components(masked, txSerde, blockSerde, verdictSerde,
                rejected, delegateA.signingKey(), INTERVAL, MAX_TX, Duration.ofSeconds(5), quorum));
        MonitorTopology.build(topology, topics, new MonitorTopology.Components(txSerde, blockSerde, verdictSerde,
                violationSerde, rejected, monitor1.signingKey(), missedBlockAfter));
        Properties props = new Properties();
        props.put("application.id", "monitor-quorum-test");
        props.put("bootstrap.servers", "unused:9092");
        props.put("processing.guarantee", "exactly_once_v2");
        driver = new TopologyTestDriver(topology, props, Instant.ofEpochMilli(GatewayFixture.NOW));
        TestInputTopic<String, byte[]> members = driver.createInputTopic(Topics.GOVERNANCE_MEMBERS,
                Serdes.String().serializer(), Serdes.ByteArray().serializer());
        for (SignedCertificate c : f.enrolled.values()) {
            members.pipeInput("k", certificates.serializer().serialize(Topics.GOVERNANCE_MEMBERS,
                    new MemberCertificate(ByteBuffer.wrap(c.certificateBytes()), ByteBuffer.wrap(c.signature()))));
        }
        TestInputTopic<String, byte[]> epochIn = driver.createInputTopic(Topics.GOVERNANCE_EPOCHS,
                Serdes.String().serializer(), Serdes.ByteArray().serializer());
        GovernanceEpoch epoch = new GovernanceEpoch(1, GatewayFixture.NOW - 500, List.of(
                new DelegateEntry(delegateA.verifyingKey().bytes(), DelegateStatus.ACTIVE, 2),
                new DelegateEntry(delegateB.verifyingKey().bytes(), DelegateStatus.STANDBY, 1)), "test");
        epochIn.pipeInput("1", epochs.serializer().serialize(Topics.GOVERNANCE_EPOCHS,
                GovernanceTopology.toAvro(epoch, f.authority.verifyingKey())));
        offloaded = driver.createInputTopic(Topics.OFFLOADED, Serdes.String().serializer(), Serdes.ByteArray().serializer());
        txIn = driver.createInputTopic(Topics.LEDGER_TX, Serdes.String().serializer(), Serdes.ByteArray().serializer());
        verdictIn = driver.createInputTopic(Topics.LEDGER_VERDICTS, Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
        txOut = driver.createOutputTopic(Topics.LEDGER_TX, Serdes.String().deserializer(), txSerde.deserializer());
        blockOut = driver.createOutputTopic(Topics.LEDGER_BLOCKS, Serdes.String().deserializer(), blockSerde.deserializer());
        verdictOut = driver.createOutputTopic(Topics.LEDGER_VERDICTS, Serdes.String().deserializer(),
                verdictSerde.deserializer());
        violationOut = driver.createOutputTopic(Topics.LEDGER_VIOLATIONS, Serdes.String().deserializer(),
                violationSerde.deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void submit(int n) {
        for (int i = 0; i < n; i++) {
            GatewayOutcome outcome = f.gateway().process(f.byDoctor("sub-" + submissions++, GatewayFixture.PAPER_ROW_1,
                    List.of()));
            offloaded.pipeInput("patient-1", masked.serializer().serialize(Topics.OFFLOADED,
                    AvroMapping.toAvro((GatewayOutcome.Masked) outcome)));
        }
    }

    /** A verdict the test signs as {@code monitor}, piped to ledger.verdicts. */
    private void verdict(MemberKeys monitor, String txId, Verdict.Decision decision) {
        var signed = Verdicts.issue(monitor.signingKey(), Verdict.SubjectKind.TRANSACTION, Hex.decode(txId, 32, "id"), 0,
                decision, decision == Verdict.Decision.ACCEPT ? "" : "masked-content", 1, GatewayFixture.NOW);
        verdictIn.pipeInput("0", verdictSerde.serializer().serialize(Topics.LEDGER_VERDICTS, MonitorTopology.toAvro(signed)));
    }

    private static SignedTransaction signed(LedgerTransaction t) {
        return LedgerTopology.fromAvro(t);
    }

    private static SealedBlock sealed(LedgerBlock b) {
        return LedgerTopology.fromAvro(b);
    }

    @Test
    void oneMonitorsAcceptanceIsTheQuorumAndItsBlockVerdictGoesIntoTheProof() {
        start(Quorum.ofMajority(), monitor1);
        submit(3);
        List<LedgerTransaction> txs = txOut.readValuesToList();
        assertEquals(3, txs.size());
        List<LedgerBlock> blocks = blockOut.readValuesToList();
        assertEquals(1, blocks.size(), "three accepted transactions fill a block");
        List<LedgerVerdict> verdicts = verdictOut.readValuesToList();
        assertEquals(List.of("transaction/ACCEPT", "transaction/ACCEPT", "transaction/ACCEPT", "block/ACCEPT"),
                verdicts.stream().map(v -> v.getKind() + "/" + v.getDecision()).toList());

        LedgerQueries queries = new LedgerQueries(new LedgerQueries.Views(
                driver.getKeyValueStore(Stores.LEDGER_TRANSACTIONS), driver.getKeyValueStore(Stores.LEDGER_SEQUENCES),
                driver.getKeyValueStore(Stores.LEDGER_PATIENTS), driver.getKeyValueStore(Stores.LEDGER_BLOCKS),
                driver.getKeyValueStore(Stores.LEDGER_BLOCK_ENDS), driver.getKeyValueStore(Stores.LEDGER_VERDICTS)));
        LedgerQueries.Proof proof = queries.proof(txs.get(2).getId(), f.authority.verifyingKey()).orElseThrow();
        assertEquals(1, proof.blockVerdicts());
        VerificationReport report = new BundleVerifier(BundleVerifier.Options.defaults().withRequire(Part.BLOCK)
                .withQuorum(1).withAuthority(f.authority.verifyingKey())).verify(proof.bundle());
        assertTrue(report.verified(), report.toString());
    }

    @Test
    void withoutTheQuorumNothingEntersABlock() {
        start(Quorum.of(2), monitor1, monitor2);
        submit(3);
        assertEquals(3, txOut.readValuesToList().size());
        driver.advanceWallClockTime(INTERVAL.multipliedBy(2));
        assertEquals(List.of(), blockOut.readValuesToList(), "one monitor of the two required accepted");
        ChainHead head = ChainHead.fromBytes(driver.<String, byte[]>getKeyValueStore(Stores.LEDGER_CHAIN_HEAD)
                .get(LedgerKeys.chain(0)));
        assertEquals(0, head.nextDecided());
        assertEquals(3, head.nextSequence());
    }

    @Test
    void aRejectedTransactionIsVoidAndItsRecordIsSignedAgainExactlyOnce() throws Exception {
        start(Quorum.ofMajority(), monitor1, monitor2); // a majority of two is two
        submit(2);
        List<LedgerTransaction> first = txOut.readValuesToList();
        verdict(monitor2, first.get(0).getId(), Verdict.Decision.REJECT);
        verdict(monitor2, first.get(0).getId(), Verdict.Decision.REJECT); // a second report changes nothing
        verdict(monitor2, first.get(1).getId(), Verdict.Decision.ACCEPT);
        driver.advanceWallClockTime(Duration.ofSeconds(1)); // the punctuator signs the returned record
        List<LedgerTransaction> again = txOut.readValuesToList();
        assertEquals(1, again.size(), "signed again once");
        assertEquals("sub-0", again.get(0).getSubmissionId());
        assertEquals(2, again.get(0).getSequence(), "under a new sequence number");
        verdict(monitor2, again.get(0).getId(), Verdict.Decision.ACCEPT);
        driver.advanceWallClockTime(INTERVAL.plusSeconds(1));
        List<LedgerBlock> blocks = blockOut.readValuesToList();
        assertEquals(1, blocks.size());
        assertEquals(2, blocks.get(0).getTxCount(), "sequences 1 and 2; 0 is void");
        ChainVerifier.verify(0, List.of(signed(first.get(1)), signed(again.get(0))), List.of(sealed(blocks.get(0))),
                Set.of(0L));
        driver.advanceWallClockTime(Duration.ofSeconds(5));
        assertEquals(List.of(), txOut.readValuesToList(), "nothing is signed a third time");
        LedgerQueries queries = new LedgerQueries(new LedgerQueries.Views(
                driver.getKeyValueStore(Stores.LEDGER_TRANSACTIONS), driver.getKeyValueStore(Stores.LEDGER_SEQUENCES),
                driver.getKeyValueStore(Stores.LEDGER_PATIENTS), driver.getKeyValueStore(Stores.LEDGER_BLOCKS),
                driver.getKeyValueStore(Stores.LEDGER_BLOCK_ENDS), driver.getKeyValueStore(Stores.LEDGER_VERDICTS)));
        assertTrue(queries.proof(first.get(0).getId(), f.authority.verifyingKey()).orElseThrow().voided());
        assertTrue(queries.proof(again.get(0).getId(), f.authority.verifyingKey()).orElseThrow().block().isPresent());
    }

    @Test
    void aTransactionSignedByADelegateThatIsNotActiveIsRejectedWithEvidenceAnyoneCanCheck() {
        start(Quorum.ofMajority(), monitor1);
        GatewayOutcome.Masked record = (GatewayOutcome.Masked) f.gateway().process(
                f.byDoctor("forged", GatewayFixture.PAPER_ROW_1, List.of()));
        ChainHead standbyHead = ChainHead.genesis(0);
        for (int i = 0; i < 1000; i++) {
            standbyHead.voidSequence(); // a sequence far from the honest chain's
        }
        SignedTransaction forged = standbyHead.sequence(record.record().toBytes(), record.signature(), List.of(), 1,
                delegateB.signingKey(), GatewayFixture.NOW);
        txIn.pipeInput("patient-1", txSerde.serializer().serialize(Topics.LEDGER_TX,
                LedgerTopology.toAvro(forged, "forged")));

        LedgerVerdict verdict = verdictOut.readValue();
        assertEquals("REJECT", verdict.getDecision());
        assertEquals("delegate-active", verdict.getCheck());
        LedgerViolation violation = violationOut.readValue();
        assertEquals(delegateB.verifyingKey().toString(), violation.getDelegateKey());
        SignedViolation evidence = SignedViolation.parse(concat(AvroMapping.bytes(violation.getCanonical()),
                AvroMapping.bytes(violation.getSignature())));
        GovernanceEpoch epoch = new GovernanceEpoch(1, GatewayFixture.NOW - 500, List.of(
                new DelegateEntry(delegateA.verifyingKey().bytes(), DelegateStatus.ACTIVE, 2),
                new DelegateEntry(delegateB.verifyingKey().bytes(), DelegateStatus.STANDBY, 1)), "test");
        Map<Long, GovernanceEpoch> known = Map.of(1L, epoch);
        EvidenceVerifier.Result result = new EvidenceVerifier(n -> java.util.Optional.ofNullable(known.get(n)),
                f.directory()).verify(evidence);
        assertInstanceOf(EvidenceVerifier.Proven.class, result, result::toString);

        submit(3);
        assertEquals(3, txOut.readValuesToList().size(), "the honest chain goes on");
        assertEquals(1, blockOut.readValuesToList().size());
    }

    @Test
    void aBlockReadAfterLaterTransactionsIsJudgedOnItsOwnRange() {
        start(Quorum.ofMajority(), monitor1);
        ChainHead head = ChainHead.genesis(0);
        List<SignedTransaction> txs = new ArrayList<>();
        SealedBlock first = null;
        for (int i = 0; i < 4; i++) {
            GatewayOutcome.Masked record = (GatewayOutcome.Masked) f.gateway().process(
                    f.byDoctor("direct-" + i, GatewayFixture.PAPER_ROW_1, List.of()));
            txs.add(head.sequence(record.record().toBytes(), record.signature(), List.of(), 1, delegateA.signingKey(),
                    GatewayFixture.NOW + i));
            if (i == 1) {
                first = head.seal(GatewayFixture.NOW + 2, 1, delegateA.signingKey()).orElseThrow();
            }
        }
        for (SignedTransaction t : txs) {
            txIn.pipeInput("p", txSerde.serializer().serialize(Topics.LEDGER_TX, LedgerTopology.toAvro(t, "direct")));
        }
        // ledger.blocks is read after ledger.tx has moved past the block: the block still closes 0..1 only
        driver.createInputTopic(Topics.LEDGER_BLOCKS, Serdes.String().serializer(), Serdes.ByteArray().serializer())
                .pipeInput("0", blockSerde.serializer().serialize(Topics.LEDGER_BLOCKS, LedgerTopology.toAvro(first)));
        assertEquals(List.of("transaction/ACCEPT", "transaction/ACCEPT", "transaction/ACCEPT", "transaction/ACCEPT",
                "block/ACCEPT"), verdictOut.readValuesToList().stream().map(v -> v.getKind() + "/" + v.getDecision()
                        + (v.getCheck().isEmpty() ? "" : " " + v.getCheck())).toList());
        SealedBlock second = head.seal(GatewayFixture.NOW + 5, 1, delegateA.signingKey()).orElseThrow();
        driver.createInputTopic(Topics.LEDGER_BLOCKS, Serdes.String().serializer(), Serdes.ByteArray().serializer())
                .pipeInput("0", blockSerde.serializer().serialize(Topics.LEDGER_BLOCKS, LedgerTopology.toAvro(second)));
        assertEquals("ACCEPT", verdictOut.readValue().getDecision(), "the next block closes 2..3");
    }

    @Test
    void aChainWhoseAcceptedTransactionStaysOutOfEveryBlockIsReportedOnce() {
        missedBlockAfter = Duration.ofMinutes(2);
        start(Quorum.ofMajority(), monitor1);
        GatewayOutcome.Masked record = (GatewayOutcome.Masked) f.gateway().process(
                f.byDoctor("never-sealed", GatewayFixture.PAPER_ROW_1, List.of()));
        SignedTransaction tx = ChainHead.genesis(0).sequence(record.record().toBytes(), record.signature(), List.of(), 1,
                delegateA.signingKey(), GatewayFixture.NOW);
        txIn.pipeInput("p", txSerde.serializer().serialize(Topics.LEDGER_TX, LedgerTopology.toAvro(tx, "never-sealed")));
        assertEquals("ACCEPT", verdictOut.readValue().getDecision());
        driver.advanceWallClockTime(Duration.ofMinutes(1));
        assertTrue(violationOut.isEmpty(), "not yet");
        driver.advanceWallClockTime(Duration.ofMinutes(1).plusSeconds(2));
        LedgerViolation report = violationOut.readValue();
        assertEquals("missed-block", report.getCheck());
        assertEquals(delegateA.verifyingKey().toString(), report.getDelegateKey());
        driver.advanceWallClockTime(Duration.ofMinutes(5));
        assertTrue(violationOut.isEmpty(), "reported once per transaction");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
