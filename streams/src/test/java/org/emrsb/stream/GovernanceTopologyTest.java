package org.emrsb.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.emrsb.avro.DelegateStatusCode;
import org.emrsb.avro.DelegateStatusRecord;
import org.emrsb.avro.EpochRecord;
import org.emrsb.avro.GovernanceVote;
import org.emrsb.avro.LedgerViolation;
import org.emrsb.avro.MemberCertificate;
import org.emrsb.avro.RejectedRecord;
import org.emrsb.core.crypto.MemberKeys;
import org.emrsb.core.crypto.Role;
import org.emrsb.core.format.EnrolmentCertificate;
import org.emrsb.core.format.Vote;
import org.emrsb.core.gateway.GatewayFixture;
import org.emrsb.core.governance.GovernanceEpoch;
import org.emrsb.core.governance.SignedCertificate;
import org.emrsb.core.governance.SignedVote;
import org.emrsb.schemas.AvroSerdes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The governance processor under TopologyTestDriver: votes in, epochs and delegate statuses out. */
class GovernanceTopologyTest {

    private final GatewayFixture f = new GatewayFixture();
    private final MemberKeys delegateA = GatewayFixture.keys(Role.DELEGATE, 21);
    private final MemberKeys delegateB = GatewayFixture.keys(Role.DELEGATE, 22);
    private final MemberKeys monitor = GatewayFixture.keys(Role.MONITOR, 23);
    private final Serde<GovernanceVote> votes = AvroSerdes.singleObject(GovernanceVote.class);
    private final Serde<LedgerViolation> violations = AvroSerdes.singleObject(LedgerViolation.class);
    private final Serde<EpochRecord> epochs = AvroSerdes.singleObject(EpochRecord.class);
    private final Serde<DelegateStatusRecord> statuses = AvroSerdes.singleObject(DelegateStatusRecord.class);
    private final Serde<RejectedRecord> rejected = AvroSerdes.singleObject(RejectedRecord.class);
    private final Serde<MemberCertificate> certificates = AvroSerdes.singleObject(MemberCertificate.class);
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> voteInput;
    private TestOutputTopic<String, EpochRecord> epochOut;
    private TestOutputTopic<String, DelegateStatusRecord> delegateOut;
    private TestOutputTopic<byte[], RejectedRecord> deadOut;

    @BeforeEach
    void start() {
        start(false);
    }

    private void start(boolean evictOnMissedBlocks) {
        Topics topics = Topics.defaults();
        Topology topology = new Topology();
        MembersGlobalStore.addTo(topology, topics, certificates.deserializer(), f.authority.verifyingKey());
        EpochsGlobalStore.addTo(topology, topics, epochs.deserializer(), f.authority.verifyingKey());
        GovernanceTopology.build(topology, topics, new GovernanceTopology.Components(votes, violations, epochs, statuses,
                rejected, f.authority.verifyingKey(), 1, evictOnMissedBlocks));
        Properties props = new Properties();
        props.put("application.id", "governance-test");
        props.put("bootstrap.servers", "unused:9092");
        props.put("processing.guarantee", "exactly_once_v2");
        driver = new TopologyTestDriver(topology, props);
        TestInputTopic<String, byte[]> members = driver.createInputTopic(Topics.GOVERNANCE_MEMBERS,
                Serdes.String().serializer(), Serdes.ByteArray().serializer());
        f.enrol(delegateA, EnrolmentCertificate.Status.ACTIVE, GatewayFixture.NOW - 1000);
        f.enrol(delegateB, EnrolmentCertificate.Status.ACTIVE, GatewayFixture.NOW - 1000);
        f.enrol(monitor, EnrolmentCertificate.Status.ACTIVE, GatewayFixture.NOW - 1000);
        for (SignedCertificate c : f.enrolled.values()) {
            members.pipeInput("k", certificates.serializer().serialize(Topics.GOVERNANCE_MEMBERS,
                    new MemberCertificate(ByteBuffer.wrap(c.certificateBytes()), ByteBuffer.wrap(c.signature()))));
        }
        voteInput = driver.createInputTopic(Topics.GOVERNANCE_VOTES, Serdes.String().serializer(), Serdes.ByteArray().serializer());
        epochOut = driver.createOutputTopic(Topics.GOVERNANCE_EPOCHS, Serdes.String().deserializer(), epochs.deserializer());
        delegateOut = driver.createOutputTopic(Topics.GOVERNANCE_DELEGATES, Serdes.String().deserializer(), statuses.deserializer());
        deadOut = driver.createOutputTopic(Topics.REJECTED, Serdes.ByteArray().deserializer(), rejected.deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void vote(MemberKeys voter, long castAt, MemberKeys... candidates) {
        List<byte[]> keys = java.util.Arrays.stream(candidates).map(c -> c.verifyingKey().bytes()).toList();
        SignedVote signed = SignedVote.issue(voter.signingKey(), new Vote(voter.verifyingKey().bytes(), keys, castAt));
        voteInput.pipeInput(new TestRecord<>(voter.verifyingKey().toString(), votes.serializer().serialize(
                Topics.GOVERNANCE_VOTES, new GovernanceVote(ByteBuffer.wrap(signed.voteBytes()),
                        ByteBuffer.wrap(signed.signature()))), Instant.ofEpochMilli(castAt + 10)));
    }

    @Test
    void votesElectTheTopCandidateAndEveryStatusChangeIsAnEpoch() {
        vote(f.doctor, GatewayFixture.NOW, delegateA);
        EpochRecord first = epochOut.readValue();
        assertEquals(1, first.getEpoch());
        assertEquals(List.of(delegateA.verifyingKey().toString()), first.getDelegates().stream()
                .filter(d -> d.getStatus() == DelegateStatusCode.ACTIVE).map(d -> d.getKey()).toList());
        assertArrayEquals(GovernanceEpoch.parse(AvroMapping.bytes(first.getCanonical())).toBytes(),
                AvroMapping.bytes(first.getCanonical()));

        vote(f.patient, GatewayFixture.NOW + 1, delegateB);
        vote(f.secondDoctor, GatewayFixture.NOW + 2, delegateB);
        List<EpochRecord> later = epochOut.readValuesToList();
        assertTrue(!later.isEmpty(), "B entering the set is a status change");
        for (int i = 0; i < later.size(); i++) {
            assertEquals(2 + i, later.get(i).getEpoch(), "epochs are numbered without gaps");
        }
        EpochRecord second = later.get(later.size() - 1);
        Map<String, DelegateStatusCode> status = second.getDelegates().stream()
                .collect(Collectors.toMap(d -> d.getKey(), d -> d.getStatus()));
        assertEquals(DelegateStatusCode.ACTIVE, status.get(delegateB.verifyingKey().toString()), "2 approvals beat 1");
        assertEquals(DelegateStatusCode.STANDBY, status.get(delegateA.verifyingKey().toString()));

        Map<String, DelegateStatusRecord> latest = delegateOut.readKeyValuesToMap();
        assertEquals(2L, latest.get(delegateB.verifyingKey().toString()).getApprovals());
        assertEquals(second.getEpoch(), latest.get(delegateB.verifyingKey().toString()).getEpoch());
    }

    @Test
    void anUnreadableVoteIsADeadLetterAndAnUnenrolledVoterChangesNothing() {
        voteInput.pipeInput("x", "not a vote".getBytes(StandardCharsets.UTF_8));
        RejectedRecord dead = deadOut.readValue();
        assertEquals("bad-vote", dead.getReason());
        assertEquals("governance", dead.getStage());
        vote(f.outsider, GatewayFixture.NOW, delegateA);
        assertTrue(epochOut.isEmpty());
        assertTrue(deadOut.isEmpty());
    }

    /** B, not ACTIVE at epoch 1, signs a transaction anyway; a monitor's evidence of it, as ledger.violations carries it. */
    private byte[] evidenceAgainstB(long epochNumber) {
        return reportAgainstB(epochNumber, "delegate-active");
    }

    private byte[] reportAgainstB(long epochNumber, String check) {
        org.emrsb.core.gateway.GatewayOutcome.Masked record = (org.emrsb.core.gateway.GatewayOutcome.Masked) f.gateway()
                .process(f.byDoctor("by-b", GatewayFixture.PAPER_ROW_1, List.of()));
        org.emrsb.core.ledger.SignedTransaction signed = org.emrsb.core.ledger.ChainHead.genesis(0).sequence(
                record.record().toBytes(), record.signature(), List.of(), epochNumber, delegateB.signingKey(),
                GatewayFixture.NOW);
        org.emrsb.core.monitor.SignedViolation evidence = org.emrsb.core.monitor.SignedViolation.of(monitor.signingKey(),
                signed, new org.emrsb.core.monitor.CheckOutcome.Rejected(check, "a report"), GatewayFixture.NOW);
        LedgerViolation value = LedgerViolation.newBuilder().setDelegateKey(delegateB.verifyingKey().toString())
                .setCheck(check).setKind("transaction").setChain(0).setMonitorKey(monitor.verifyingKey().toString())
                .setIssuedAt(Instant.ofEpochMilli(GatewayFixture.NOW))
                .setCanonical(ByteBuffer.wrap(evidence.violation().toBytes()))
                .setSignature(ByteBuffer.wrap(evidence.signature())).build();
        return violations.serializer().serialize(Topics.LEDGER_VIOLATIONS, value);
    }

    @Test
    void provenEvidenceEvictsTheDelegateOnceAtANewEpoch() {
        vote(f.doctor, GatewayFixture.NOW, delegateA);
        vote(f.patient, GatewayFixture.NOW + 1, delegateB);
        List<EpochRecord> before = epochOut.readValuesToList();
        long epochWithBStandby = before.get(0).getEpoch(); // N = 1: A is ACTIVE, B not yet a candidate
        delegateOut.readKeyValuesToMap();

        TestInputTopic<String, byte[]> evidence = driver.createInputTopic(Topics.LEDGER_VIOLATIONS,
                Serdes.String().serializer(), Serdes.ByteArray().serializer());
        evidence.pipeInput(delegateB.verifyingKey().toString(), evidenceAgainstB(epochWithBStandby));
        EpochRecord eviction = epochOut.readValue();
        Map<String, DelegateStatusCode> status = eviction.getDelegates().stream()
                .collect(Collectors.toMap(d -> d.getKey(), d -> d.getStatus()));
        assertEquals(DelegateStatusCode.EVICTED, status.get(delegateB.verifyingKey().toString()));
        assertTrue(eviction.getCause().contains("delegate-active violation sha256:"), eviction.getCause());
        DelegateStatusRecord record = delegateOut.readKeyValuesToMap().get(delegateB.verifyingKey().toString());
        assertEquals(DelegateStatusCode.EVICTED, record.getStatus());
        assertTrue(record.getEvidence().startsWith("delegate-active violation sha256:"), record.getEvidence());

        evidence.pipeInput(delegateB.verifyingKey().toString(), evidenceAgainstB(epochWithBStandby));
        assertTrue(epochOut.isEmpty(), "a second monitor's report evicts nobody twice");
        vote(f.secondDoctor, GatewayFixture.NOW + 2, delegateB);
        assertTrue(epochOut.readValuesToList().stream().allMatch(e -> e.getDelegates().stream().anyMatch(d ->
                d.getKey().equals(delegateB.verifyingKey().toString()) && d.getStatus() == DelegateStatusCode.EVICTED)),
                "an eviction is permanent");
    }

    @Test
    void evidenceThatDoesNotHoldIsADeadLetterAndEvictsNobody() {
        vote(f.doctor, GatewayFixture.NOW, delegateA);
        epochOut.readValuesToList();
        TestInputTopic<String, byte[]> evidence = driver.createInputTopic(Topics.LEDGER_VIOLATIONS,
                Serdes.String().serializer(), Serdes.ByteArray().serializer());
        evidence.pipeInput("x", "not evidence".getBytes(StandardCharsets.UTF_8));
        assertEquals("bad-evidence", deadOut.readValue().getReason());
        byte[] aboutA = evidenceAgainstB(1);
        LedgerViolation tampered = violations.deserializer().deserialize(Topics.LEDGER_VIOLATIONS, aboutA);
        byte[] signature = AvroMapping.bytes(tampered.getSignature());
        signature[0] ^= 1;
        tampered.setSignature(ByteBuffer.wrap(signature));
        evidence.pipeInput("x", violations.serializer().serialize(Topics.LEDGER_VIOLATIONS, tampered));
        assertEquals("bad-evidence", deadOut.readValue().getReason());
        assertTrue(epochOut.isEmpty());
    }

    @Test
    void aMissedBlockReportIsOnlyRecordedUnlessThePolicyEvictsOnIt() {
        vote(f.doctor, GatewayFixture.NOW, delegateA);
        vote(f.patient, GatewayFixture.NOW + 1, delegateB);
        epochOut.readValuesToList();
        TestInputTopic<String, byte[]> evidence = driver.createInputTopic(Topics.LEDGER_VIOLATIONS,
                Serdes.String().serializer(), Serdes.ByteArray().serializer());
        evidence.pipeInput("b", reportAgainstB(1, "missed-block"));
        assertTrue(epochOut.isEmpty(), "policy off: no eviction");
        assertTrue(deadOut.isEmpty(), "and no dead letter: a report is not bad evidence");

        driver.close();
        start(true);
        vote(f.doctor, GatewayFixture.NOW, delegateA);
        vote(f.patient, GatewayFixture.NOW + 1, delegateB);
        epochOut.readValuesToList();
        driver.createInputTopic(Topics.LEDGER_VIOLATIONS, Serdes.String().serializer(), Serdes.ByteArray().serializer())
                .pipeInput("b", reportAgainstB(1, "missed-block"));
        EpochRecord eviction = epochOut.readValue();
        assertTrue(eviction.getCause().contains("missed-block report sha256:"), eviction.getCause());
    }
}
