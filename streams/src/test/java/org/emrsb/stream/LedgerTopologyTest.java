package org.emrsb.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.emrsb.avro.EpochRecord;
import org.emrsb.avro.LedgerBlock;
import org.emrsb.avro.LedgerTransaction;
import org.emrsb.avro.MemberCertificate;
import org.emrsb.avro.RejectedRecord;
import org.emrsb.avro.SignedMaskedRecord;
import org.emrsb.core.crypto.MemberKeys;
import org.emrsb.core.crypto.Role;
import org.emrsb.core.format.EnrolmentCertificate;
import org.emrsb.core.gateway.GatewayFixture;
import org.emrsb.core.gateway.GatewayOutcome;
import org.emrsb.core.governance.DelegateEntry;
import org.emrsb.core.governance.DelegateStatus;
import org.emrsb.core.governance.GovernanceEpoch;
import org.emrsb.core.governance.SignedCertificate;
import org.emrsb.core.ledger.ChainHead;
import org.emrsb.core.ledger.ChainVerifier;
import org.emrsb.core.ledger.SealedBlock;
import org.emrsb.core.ledger.SignedTransaction;
import org.emrsb.core.proof.BundleVerifier;
import org.emrsb.core.proof.Part;
import org.emrsb.core.proof.VerificationReport;
import org.emrsb.schemas.AvroSerdes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The delegate and block stages under TopologyTestDriver, without monitors (quorum 0; the monitors'
 * quorum is MonitorQuorumTopologyTest's), driving wall-clock time: sequencing and
 * signing, sealing on count and on time (never when empty), refusals, waiting while not ACTIVE, chain
 * continuity when the chain moves to another delegate, and proofs from the query stores.
 */
class LedgerTopologyTest {

    private static final Duration INTERVAL = Duration.ofSeconds(60);
    private static final int MAX_TX = 3;

    private final GatewayFixture f = new GatewayFixture();
    private final MemberKeys delegateA = GatewayFixture.keys(Role.DELEGATE, 31);
    private final MemberKeys delegateB = GatewayFixture.keys(Role.DELEGATE, 32);
    private final Serde<SignedMaskedRecord> masked = AvroSerdes.singleObject(SignedMaskedRecord.class);
    private final Serde<LedgerTransaction> txSerde = AvroSerdes.singleObject(LedgerTransaction.class);
    private final Serde<LedgerBlock> blockSerde = AvroSerdes.singleObject(LedgerBlock.class);
    private final Serde<RejectedRecord> rejected = AvroSerdes.singleObject(RejectedRecord.class);
    private final Serde<EpochRecord> epochs = AvroSerdes.singleObject(EpochRecord.class);
    private final Serde<MemberCertificate> certificates = AvroSerdes.singleObject(MemberCertificate.class);
    private final List<LedgerTransaction> allTx = new ArrayList<>();
    private final List<LedgerBlock> allBlocks = new ArrayList<>();
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> offloaded;
    private TestInputTopic<String, byte[]> epochInput;
    private TestOutputTopic<String, LedgerTransaction> txOut;
    private TestOutputTopic<String, LedgerBlock> blockOut;
    private TestOutputTopic<byte[], RejectedRecord> deadOut;
    private int submissions;

    @BeforeEach
    void start() {
        f.enrol(delegateA, EnrolmentCertificate.Status.ACTIVE, GatewayFixture.NOW - 1000);
        f.enrol(delegateB, EnrolmentCertificate.Status.ACTIVE, GatewayFixture.NOW - 1000);
        startDriver(delegateA, GatewayFixture.NOW);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void startDriver(MemberKeys delegate, long wallClock) {
        Topics topics = Topics.defaults();
        Topology topology = new Topology();
        MembersGlobalStore.addTo(topology, topics, certificates.deserializer(), f.authority.verifyingKey());
        EpochsGlobalStore.addTo(topology, topics, epochs.deserializer(), f.authority.verifyingKey());
        LedgerTopology.build(topology, topics, new LedgerTopology.Components(masked, txSerde, blockSerde,
                AvroSerdes.singleObject(org.emrsb.avro.LedgerVerdict.class), rejected, delegate.signingKey(), INTERVAL,
                MAX_TX, Duration.ofSeconds(5), org.emrsb.core.ledger.Quorum.of(0)));
        Properties props = new Properties();
        props.put("application.id", "ledger-test");
        props.put("bootstrap.servers", "unused:9092");
        props.put("processing.guarantee", "exactly_once_v2");
        driver = new TopologyTestDriver(topology, props, Instant.ofEpochMilli(wallClock));
        TestInputTopic<String, byte[]> members = driver.createInputTopic(Topics.GOVERNANCE_MEMBERS,
                Serdes.String().serializer(), Serdes.ByteArray().serializer());
        for (SignedCertificate c : f.enrolled.values()) {
            members.pipeInput("k", certificates.serializer().serialize(Topics.GOVERNANCE_MEMBERS,
                    new MemberCertificate(ByteBuffer.wrap(c.certificateBytes()), ByteBuffer.wrap(c.signature()))));
        }
        offloaded = driver.createInputTopic(Topics.OFFLOADED, Serdes.String().serializer(), Serdes.ByteArray().serializer());
        epochInput = driver.createInputTopic(Topics.GOVERNANCE_EPOCHS, Serdes.String().serializer(),
                Serdes.ByteArray().serializer());
        txOut = driver.createOutputTopic(Topics.LEDGER_TX, Serdes.String().deserializer(), txSerde.deserializer());
        blockOut = driver.createOutputTopic(Topics.LEDGER_BLOCKS, Serdes.String().deserializer(), blockSerde.deserializer());
        deadOut = driver.createOutputTopic(Topics.REJECTED, Serdes.ByteArray().deserializer(), rejected.deserializer());
    }

    private void epoch(long number, MemberKeys active, MemberKeys... standby) {
        List<DelegateEntry> entries = new ArrayList<>();
        entries.add(new DelegateEntry(active.verifyingKey().bytes(), DelegateStatus.ACTIVE, 2));
        for (MemberKeys s : standby) {
            entries.add(new DelegateEntry(s.verifyingKey().bytes(), DelegateStatus.STANDBY, 1));
        }
        EpochRecord record = GovernanceTopology.toAvro(new GovernanceEpoch(number, GatewayFixture.NOW, entries, "test"),
                f.authority.verifyingKey());
        epochInput.pipeInput(Long.toString(number), epochs.serializer().serialize(Topics.GOVERNANCE_EPOCHS, record));
    }

    private SignedMaskedRecord maskedRecord() {
        GatewayOutcome outcome = f.gateway().process(f.byDoctor("sub-" + submissions++, GatewayFixture.PAPER_ROW_1, List.of()));
        return AvroMapping.toAvro((GatewayOutcome.Masked) outcome);
    }

    private void submit(SignedMaskedRecord record) {
        offloaded.pipeInput("patient-1", masked.serializer().serialize(Topics.OFFLOADED, record));
    }

    private void submit(int n) {
        for (int i = 0; i < n; i++) {
            submit(maskedRecord());
        }
    }

    private List<LedgerTransaction> drainTx() {
        List<LedgerTransaction> out = txOut.readValuesToList();
        allTx.addAll(out);
        return out;
    }

    private List<LedgerBlock> drainBlocks() {
        List<LedgerBlock> out = blockOut.readValuesToList();
        allBlocks.addAll(out);
        return out;
    }

    private ChainVerifier.Summary verifyChain() throws Exception {
        List<SignedTransaction> txs = allTx.stream().map(LedgerTopology::fromAvro).toList();
        List<SealedBlock> blocks = allBlocks.stream().map(LedgerTopology::fromAvro).toList();
        return ChainVerifier.verify(0, txs, blocks, Set.of());
    }

    @Test
    void sequencesSignsAndSealsOnCount() throws Exception {
        epoch(1, delegateA);
        submit(7);
        List<LedgerTransaction> txs = drainTx();
        assertEquals(7, txs.size());
        for (int i = 0; i < 7; i++) {
            assertEquals(i, txs.get(i).getSequence(), "sequences without gaps");
            assertEquals(1, txs.get(i).getEpoch());
            assertEquals(delegateA.verifyingKey().toString(), txs.get(i).getDelegateKey());
        }
        List<LedgerBlock> blocks = drainBlocks();
        assertEquals(2, blocks.size(), "7 transactions make two full blocks of 3 and one open");
        assertEquals(0, blocks.get(0).getFirstSequence());
        assertEquals(5, blocks.get(1).getLastSequence());
        assertEquals(blocks.get(0).getHash(), blocks.get(1).getPreviousHash());
        ChainVerifier.Summary summary = verifyChain();
        assertEquals(7, summary.transactions());
        assertEquals(2, summary.blocks());
        assertTrue(blocks.get(0).getDelegateCertificate() != null, "the block carries the delegate's certificate");
    }

    @Test
    void sealsOnWallClockTimeAndNeverAnEmptyBlock() throws Exception {
        epoch(1, delegateA);
        submit(2);
        driver.advanceWallClockTime(INTERVAL.minusSeconds(1));
        assertEquals(List.of(), drainBlocks(), "not yet a minute");
        driver.advanceWallClockTime(Duration.ofSeconds(2));
        List<LedgerBlock> sealed = drainBlocks();
        assertEquals(1, sealed.size());
        assertEquals(2, sealed.get(0).getTxCount());
        driver.advanceWallClockTime(INTERVAL.multipliedBy(3));
        assertEquals(List.of(), drainBlocks(), "an empty interval seals nothing");
        submit(1);
        driver.advanceWallClockTime(INTERVAL.plusSeconds(1));
        assertEquals(1, drainBlocks().size());
        drainTx();
        assertEquals(2, verifyChain().blocks());
    }

    @Test
    void refusedRecordsGoToRejectedAndConsumeNoSequence() {
        epoch(1, delegateA);
        SignedMaskedRecord forged = maskedRecord();
        byte[] signature = AvroMapping.bytes(forged.getGatewaySignature());
        signature[0] ^= 1;
        forged.setGatewaySignature(ByteBuffer.wrap(signature));
        submit(forged);

        SignedMaskedRecord stranger = maskedRecord();
        stranger.setCounterpartyKey(ByteBuffer.wrap(f.outsider.verifyingKey().bytes()));
        submit(stranger);

        offloaded.pipeInput("patient-1", new byte[] {1, 2, 3});
        submit(1);

        List<RejectedRecord> dead = deadOut.readValuesToList();
        assertEquals(List.of("bad-gateway-signature", "unknown-member", "bad-avro"),
                dead.stream().map(RejectedRecord::getReason).toList());
        dead.forEach(d -> assertEquals("delegate", d.getStage()));
        List<LedgerTransaction> txs = drainTx();
        assertEquals(1, txs.size());
        assertEquals(0, txs.get(0).getSequence(), "a refusal uses no sequence number");
    }

    @Test
    void aSubmissionReEmittedUpstreamIsSignedOnceAndItsCopyIsADeadLetter() throws Exception {
        epoch(1, delegateA);
        SignedMaskedRecord record = maskedRecord();
        submit(record);
        submit(record); // the same record again, as a second offload application or a re-run would emit it
        submit(1);
        List<LedgerTransaction> txs = drainTx();
        assertEquals(List.of("sub-0", "sub-1"), txs.stream().map(LedgerTransaction::getSubmissionId).toList());
        assertEquals(List.of(0L, 1L), txs.stream().map(LedgerTransaction::getSequence).toList(),
                "the copy uses no sequence number");
        List<RejectedRecord> dead = deadOut.readValuesToList();
        assertEquals(List.of(LedgerTopology.DUPLICATE), dead.stream().map(RejectedRecord::getReason).toList());
        assertTrue(dead.get(0).getDetail().contains(txs.get(0).getId()), dead.get(0).getDetail());
        assertEquals(2, verifyChain().transactions());
    }

    @Test
    void recordsWaitWhileTheDelegateIsNotActiveAndAreSignedInOrderOnceItIs() throws Exception {
        submit(2);
        assertEquals(List.of(), drainTx(), "no epoch yet: nobody may sign");
        epoch(1, delegateB, delegateA);
        submit(1);
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        assertEquals(List.of(), drainTx(), "STANDBY does not sign");

        epoch(2, delegateA, delegateB);
        driver.advanceWallClockTime(Duration.ofSeconds(1));
        List<LedgerTransaction> txs = drainTx();
        assertEquals(List.of("sub-0", "sub-1", "sub-2"), txs.stream().map(LedgerTransaction::getSubmissionId).toList(),
                "the waiting records, in arrival order");
        assertEquals(2, txs.get(0).getEpoch());
        assertEquals(List.of(0L), drainBlocks().stream().map(LedgerBlock::getHeight).toList(),
                "the three waiting records fill a block");
        submit(1);
        assertEquals(3, drainTx().get(0).getSequence(), "new records follow the waiting ones");

        epoch(3, delegateB, delegateA);
        submit(1);
        driver.advanceWallClockTime(INTERVAL.plusSeconds(1));
        assertEquals(List.of(), drainTx(), "voted out: stops signing");
        assertEquals(List.of(), drainBlocks(), "and seals nothing");
        verifyChain();
    }

    @Test
    void theChainContinuesWhenItMovesToAnotherDelegate() throws Exception {
        epoch(1, delegateA, delegateB);
        submit(4);
        drainTx();
        drainBlocks();
        KeyValueStore<String, byte[]> heads = driver.getKeyValueStore(Stores.LEDGER_CHAIN_HEAD);
        byte[] head = heads.get(LedgerKeys.chain(0));
        assertEquals(4, ChainHead.fromBytes(head).nextSequence());
        driver.close();

        // The task moves: B's instance restores the changelogged head and continues the chain.
        startDriver(delegateB, GatewayFixture.NOW + 5_000);
        driver.getKeyValueStore(Stores.LEDGER_CHAIN_HEAD).put(LedgerKeys.chain(0), head);
        epoch(1, delegateA, delegateB);
        epoch(2, delegateB, delegateA);
        submit(3);
        driver.advanceWallClockTime(INTERVAL.plusSeconds(1));
        List<LedgerTransaction> txs = drainTx();
        assertEquals(List.of(4L, 5L, 6L), txs.stream().map(LedgerTransaction::getSequence).toList());
        txs.forEach(t -> assertEquals(delegateB.verifyingKey().toString(), t.getDelegateKey()));
        List<LedgerBlock> blocks = drainBlocks();
        assertEquals(List.of(1L, 2L), blocks.stream().map(LedgerBlock::getHeight).toList(),
                "B seals the block A left open (sequence 3 with 4 and 5), then the rest on time");
        ChainVerifier.Summary summary = verifyChain();
        assertEquals(7, summary.transactions());
        assertEquals(3, summary.blocks());
    }

    @Test
    void aSealedTransactionHasAProofThatVerifiesUpToItsBlock() {
        epoch(1, delegateA);
        submit(5);
        List<LedgerTransaction> txs = drainTx();
        LedgerQueries queries = new LedgerQueries(new LedgerQueries.Views(
                driver.getKeyValueStore(Stores.LEDGER_TRANSACTIONS), driver.getKeyValueStore(Stores.LEDGER_SEQUENCES),
                driver.getKeyValueStore(Stores.LEDGER_PATIENTS), driver.getKeyValueStore(Stores.LEDGER_BLOCKS),
                driver.getKeyValueStore(Stores.LEDGER_BLOCK_ENDS)));
        BundleVerifier verifier = new BundleVerifier(BundleVerifier.Options.defaults().withRequire(Part.BLOCK)
                .withQuorum(0).withAuthority(f.authority.verifyingKey()));

        LedgerQueries.Proof sealed = queries.proof(txs.get(1).getId(), f.authority.verifyingKey()).orElseThrow();
        assertTrue(sealed.block().isPresent());
        VerificationReport report = verifier.verify(sealed.bundle());
        assertTrue(report.verified(), report.toString());

        LedgerQueries.Proof open = queries.proof(txs.get(4).getId(), f.authority.verifyingKey()).orElseThrow();
        assertTrue(open.block().isEmpty(), "sequence 4 is in the open block");
        assertTrue(!verifier.verify(open.bundle()).verified(), "a bundle without its block does not verify to block");

        assertEquals(txs.stream().map(LedgerTransaction::getId).toList(), queries.patientTransactions("patient-1"));
        assertTrue(queries.proof("00".repeat(32), f.authority.verifyingKey()).isEmpty());
        assertArrayEquals(AvroMapping.bytes(txs.get(1).getCanonical()),
                AvroMapping.bytes(queries.transaction(txs.get(1).getId()).orElseThrow().getCanonical()));
    }
}
