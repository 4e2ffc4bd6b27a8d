package org.emrsb.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.emrsb.avro.AnchorFunding;
import org.emrsb.avro.AnchorRecord;
import org.emrsb.avro.AnchorStatus;
import org.emrsb.avro.LedgerBlock;
import org.emrsb.avro.RejectedRecord;
import org.emrsb.core.anchor.AnchorWindow;
import org.emrsb.core.bitcoin.AnchorKey;
import org.emrsb.core.bitcoin.BitcoinNetwork;
import org.emrsb.core.bitcoin.BitcoinTransaction;
import org.emrsb.core.bitcoin.FeeRate;
import org.emrsb.core.crypto.Hex;
import org.emrsb.core.format.AnchorHeader;
import org.emrsb.core.format.BlockHeader;
import org.emrsb.core.format.Sha256;
import org.emrsb.core.ledger.SealedBlock;
import org.emrsb.core.merkle.MerkleTree;
import org.emrsb.schemas.AvroSerdes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The anchor stage on TopologyTestDriver: aligned windows, the header over the blocks, the chain of transactions. */
class AnchorTopologyTest {

    private static final Duration INTERVAL = Duration.ofMinutes(10);
    /** 12:00:00 on a ten-minute boundary, plus 5 s. */
    private static final long T0 = Instant.parse("2026-11-25T12:00:05Z").toEpochMilli();
    private static final String FUNDING_TXID = "aa".repeat(32);

    private final Serde<LedgerBlock> blockSerde = AvroSerdes.singleObject(LedgerBlock.class);
    private final Serde<AnchorFunding> fundSerde = AvroSerdes.singleObject(AnchorFunding.class);
    private final Serde<AnchorRecord> anchorSerde = AvroSerdes.singleObject(AnchorRecord.class);
    private final Serde<RejectedRecord> rejected = AvroSerdes.singleObject(RejectedRecord.class);
    private final AnchorKey key = AnchorKey.generate(new SecureRandom());
    private final String address = key.address(BitcoinNetwork.REGTEST);
    private TopologyTestDriver driver;
    private TestInputTopic<String, byte[]> blocks;
    private TestInputTopic<String, byte[]> funds;
    private TestOutputTopic<String, AnchorRecord> anchors;
    private TestOutputTopic<byte[], RejectedRecord> dead;

    @BeforeEach
    void start() {
        start(java.util.Optional.empty());
    }

    private void start(java.util.Optional<org.emrsb.core.crypto.VerifyingKey> authority) {
        if (driver != null) {
            driver.close();
        }
        Topology topology = new Topology();
        AnchorTopology.build(topology, Topics.defaults(), new AnchorTopology.Components(blockSerde, fundSerde,
                anchorSerde, rejected, key, BitcoinNetwork.REGTEST, FeeRate.ofSatPerVbyte(2), INTERVAL, authority));
        Properties props = new Properties();
        props.put("application.id", "anchor-test");
        props.put("bootstrap.servers", "unused:9092");
        props.put("processing.guarantee", "exactly_once_v2");
        driver = new TopologyTestDriver(topology, props, Instant.ofEpochMilli(T0));
        blocks = driver.createInputTopic(Topics.LEDGER_BLOCKS, Serdes.String().serializer(), Serdes.ByteArray().serializer());
        funds = driver.createInputTopic(Topics.ANCHOR_FUNDS, Serdes.String().serializer(), Serdes.ByteArray().serializer());
        anchors = driver.createOutputTopic(Topics.LEDGER_ANCHORS, Serdes.String().deserializer(), anchorSerde.deserializer());
        dead = driver.createOutputTopic(Topics.REJECTED, Serdes.ByteArray().deserializer(), rejected.deserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private SealedBlock block(long chain, long height) {
        byte[] previous = Sha256.hash(("prev " + chain + "/" + height).getBytes());
        BlockHeader header = new BlockHeader(chain, height, previous, T0 - 60_000, T0, 1, height, height,
                Sha256.hash(("root " + chain + "/" + height).getBytes()), 1, new byte[32]);
        byte[] bytes = header.toBytes();
        return new SealedBlock(header, bytes, Sha256.hash(bytes), new byte[64]);
    }

    private void send(SealedBlock block) {
        blocks.pipeInput(Long.toString(block.header().chain()),
                blockSerde.serializer().serialize(Topics.LEDGER_BLOCKS, LedgerTopology.toAvro(block)));
    }

    private void fund(String txid, long vout, long value, String to) {
        funds.pipeInput("f", fundSerde.serializer().serialize(Topics.ANCHOR_FUNDS,
                new AnchorFunding(txid, vout, value, to, Instant.ofEpochMilli(T0))));
    }

    private void advance(Duration by) {
        driver.advanceWallClockTime(by);
    }

    @Test
    void sealsTheClosedWindowIntoAHeaderAndASignedTransactionSpendingTheFunding() {
        fund(FUNDING_TXID, 3, 100_000, address);
        SealedBlock b2 = block(2, 7);
        SealedBlock b0 = block(0, 4);
        SealedBlock b0next = block(0, 5);
        send(b2);
        send(b0next);
        send(b0);
        advance(Duration.ofMinutes(9));
        assertTrue(anchors.isEmpty(), "the window 12:00-12:10 is still open");
        advance(Duration.ofMinutes(1));
        AnchorRecord anchor = anchors.readValue();
        assertTrue(anchors.isEmpty());
        assertEquals(AnchorStatus.PREPARED, anchor.getStatus());
        assertEquals(0, anchor.getSequence());
        List<byte[]> leaves = List.of(b0.hash(), b0next.hash(), b2.hash()); // chain, then height
        assertEquals(List.of("0/4", "0/5", "2/7"), anchor.getBlocks().stream()
                .map(b -> b.getChain() + "/" + b.getHeight()).toList());
        AnchorHeader header = AnchorHeader.parse(AvroMapping.bytes(anchor.getHeader()));
        assertArrayEquals(MerkleTree.rootOfLeafData(leaves), header.merkleRoot());
        assertEquals(3, header.blockCount());
        assertEquals(Instant.parse("2026-11-25T12:00:00Z").toEpochMilli(), header.intervalStart());
        assertEquals(Instant.parse("2026-11-25T12:10:00Z").toEpochMilli(), header.intervalEnd());
        assertArrayEquals(new byte[32], header.previousAnchorHash());
        assertEquals(Hex.encode(header.hash()), anchor.getHash());
        BitcoinTransaction tx = BitcoinTransaction.parse(AvroMapping.bytes(anchor.getTx()));
        assertArrayEquals(BitcoinTransaction.opReturnScript(header.hash()), tx.outputs().get(0).script());
        assertEquals(1, tx.inputs().size());
        assertEquals(FUNDING_TXID, Hex.encode(org.emrsb.core.bitcoin.DoubleSha256.reverse(tx.inputs().get(0).previousTxid())));
        assertEquals(3, tx.inputs().get(0).previousIndex());
        assertEquals(100_000 - anchor.getFee(), tx.outputs().get(1).value());
        assertEquals(Hex.encode(org.emrsb.core.bitcoin.DoubleSha256.reverse(tx.txid())), anchor.getTxid());
        // the blocks' inclusion proofs lead to the root
        var proof = AnchorWindow.inclusion(AnchorTopology.blocks(anchor), 2);
        assertEquals(3, proof.treeSize());
    }

    @Test
    void eachAnchorSpendsThePreviousChangeAndNamesThePreviousHash() {
        fund(FUNDING_TXID, 0, 50_000, address);
        send(block(1, 1));
        advance(INTERVAL);
        AnchorRecord first = anchors.readValue();
        send(block(1, 2));
        advance(INTERVAL);
        AnchorRecord second = anchors.readValue();
        assertEquals(1, second.getSequence());
        assertEquals(first.getHash(), second.getPreviousHash());
        BitcoinTransaction firstTx = BitcoinTransaction.parse(AvroMapping.bytes(first.getTx()));
        BitcoinTransaction secondTx = BitcoinTransaction.parse(AvroMapping.bytes(second.getTx()));
        assertArrayEquals(firstTx.txid(), secondTx.inputs().get(0).previousTxid());
        assertEquals(1, secondTx.inputs().get(0).previousIndex());
        assertEquals(1, secondTx.inputs().size());
    }

    @Test
    void aQuietIntervalMakesNoAnchorAndAQuietChainHoldsNothingBack() {
        fund(FUNDING_TXID, 0, 50_000, address);
        advance(Duration.ofHours(1));
        assertTrue(anchors.isEmpty());
        send(block(4, 9)); // only chain 4 speaks
        advance(INTERVAL);
        assertEquals(1, anchors.readValue().getBlocks().size());
    }

    @Test
    void anchorsWithoutCoinsWaitInOrderAndArePreparedWhenFunded() {
        send(block(0, 1));
        advance(INTERVAL);
        send(block(0, 2));
        advance(INTERVAL);
        List<AnchorRecord> waiting = anchors.readValuesToList();
        assertEquals(List.of(AnchorStatus.UNFUNDED, AnchorStatus.UNFUNDED),
                waiting.stream().map(AnchorRecord::getStatus).toList());
        assertNull(waiting.get(0).getTx());
        assertTrue(waiting.get(0).getNote().contains("ops/emrsb anchor fund"), waiting.get(0).getNote());
        fund(FUNDING_TXID, 0, 80_000, address);
        List<AnchorRecord> prepared = anchors.readValuesToList();
        assertEquals(List.of(0L, 1L), prepared.stream().map(AnchorRecord::getSequence).toList());
        assertEquals(List.of(AnchorStatus.PREPARED, AnchorStatus.PREPARED),
                prepared.stream().map(AnchorRecord::getStatus).toList());
        assertEquals(waiting.get(1).getHash(), prepared.get(1).getHash(), "the header was fixed when sealed");
        BitcoinTransaction firstTx = BitcoinTransaction.parse(AvroMapping.bytes(prepared.get(0).getTx()));
        BitcoinTransaction secondTx = BitcoinTransaction.parse(AvroMapping.bytes(prepared.get(1).getTx()));
        assertArrayEquals(firstTx.txid(), secondTx.inputs().get(0).previousTxid());
    }

    @Test
    void tooFewCoinsLeaveTheAnchorUnfundedUntilMoreArrive() {
        fund(FUNDING_TXID, 0, 600, address); // below fee + dust
        send(block(0, 1));
        advance(INTERVAL);
        AnchorRecord unfunded = anchors.readValue();
        assertEquals(AnchorStatus.UNFUNDED, unfunded.getStatus());
        assertTrue(unfunded.getNote().contains("more satoshi"), unfunded.getNote());
        fund("bb".repeat(32), 1, 10_000, address);
        AnchorRecord prepared = anchors.readValue();
        assertEquals(AnchorStatus.PREPARED, prepared.getStatus());
        assertEquals(2, BitcoinTransaction.parse(AvroMapping.bytes(prepared.getTx())).inputs().size(),
                "both coins are spent");
    }

    @Test
    void aBlockIsCountedOnceAndBadInputIsADeadLetter() {
        fund(FUNDING_TXID, 0, 50_000, address);
        fund(FUNDING_TXID, 0, 50_000, address); // the same coin twice counts once
        fund("cc".repeat(32), 0, 50_000, AnchorKey.generate(new SecureRandom()).address(BitcoinNetwork.REGTEST));
        SealedBlock b = block(3, 3);
        send(b);
        send(b); // a copy in the same window counts once
        blocks.pipeInput("3", new byte[] {1, 2, 3});
        advance(INTERVAL);
        AnchorRecord anchor = anchors.readValue();
        assertEquals(1, anchor.getBlocks().size());
        assertEquals(1, BitcoinTransaction.parse(AvroMapping.bytes(anchor.getTx())).inputs().size());
        List<String> reasons = new ArrayList<>();
        dead.readValuesToList().forEach(r -> reasons.add(r.getReason()));
        assertEquals(List.of("wrong-address", "bad-block"), reasons);
    }

    @Test
    void withAnAuthorityOnlyTheAlliancesBlocksAreAnchored() {
        org.emrsb.core.crypto.MemberKeys authority = org.emrsb.core.crypto.MemberKeys.generate(
                org.emrsb.core.crypto.Role.AUTHORITY, new SecureRandom());
        org.emrsb.core.crypto.MemberKeys stranger = org.emrsb.core.crypto.MemberKeys.generate(
                org.emrsb.core.crypto.Role.AUTHORITY, new SecureRandom());
        org.emrsb.core.crypto.MemberKeys delegate = org.emrsb.core.crypto.MemberKeys.generate(
                org.emrsb.core.crypto.Role.DELEGATE, new SecureRandom());
        start(java.util.Optional.of(authority.verifyingKey()));
        fund(FUNDING_TXID, 0, 50_000, address);
        SealedBlock ours = signedBy(block(1, 1), delegate, authority);
        signedBy(block(1, 1), delegate, stranger); // another alliance's chain 1
        SealedBlock forged = sealedBy(block(3, 1), delegate);
        LedgerBlock unsigned = LedgerTopology.toAvro(new SealedBlock(forged.header(), forged.bytes(), forged.hash(),
                new byte[64])); // the alliance's certificate, but not its delegate's signature
        sendCertified(forged, withCertificateOf(unsigned, delegate, authority));
        send(block(2, 1)); // no certificate
        advance(INTERVAL);
        AnchorRecord anchor = anchors.readValue();
        assertEquals(List.of(Hex.encode(ours.hash())), anchor.getBlocks().stream().map(b -> b.getHash()).toList());
        assertTrue(dead.isEmpty(), "another alliance's block is skipped, not refused");
    }

    /** The block, its header naming {@code delegate}, with a certificate {@code issuer} signed for it. */
    private void sendCertified(SealedBlock block, org.emrsb.avro.LedgerBlock avro) {
        blocks.pipeInput(Long.toString(block.header().chain()), blockSerde.serializer().serialize(Topics.LEDGER_BLOCKS, avro));
    }

    private LedgerBlock withCertificateOf(LedgerBlock avro, org.emrsb.core.crypto.MemberKeys delegate,
            org.emrsb.core.crypto.MemberKeys issuer) {
        avro.setDelegateCertificate(ByteBuffer.wrap(certificate(delegate, issuer).toBytes()));
        return avro;
    }

    private static org.emrsb.core.governance.SignedCertificate certificate(org.emrsb.core.crypto.MemberKeys delegate,
            org.emrsb.core.crypto.MemberKeys issuer) {
        org.emrsb.core.format.EnrolmentCertificate certificate = new org.emrsb.core.format.EnrolmentCertificate(
                delegate.verifyingKey().bytes(), delegate.encryptionPublicKey().bytes(), delegate.role(), "Board",
                0, Long.MAX_VALUE, org.emrsb.core.format.EnrolmentCertificate.Status.ACTIVE, 0,
                issuer.verifyingKey().bytes());
        byte[] certificateBytes = certificate.toBytes();
        return org.emrsb.core.governance.SignedCertificate.of(certificateBytes,
                org.emrsb.core.crypto.Signatures.sign(issuer.signingKey(), certificateBytes));
    }

    /** Sends the block sealed by {@code delegate} with the certificate {@code issuer} signed for it. */
    private SealedBlock signedBy(SealedBlock block, org.emrsb.core.crypto.MemberKeys delegate,
            org.emrsb.core.crypto.MemberKeys issuer) {
        SealedBlock sealed = sealedBy(block, delegate);
        sendCertified(sealed, withCertificateOf(LedgerTopology.toAvro(sealed), delegate, issuer));
        return sealed;
    }

    /** The block with {@code delegate}'s key in its header and its signature. */
    private static SealedBlock sealedBy(SealedBlock block, org.emrsb.core.crypto.MemberKeys delegate) {
        BlockHeader h = block.header();
        BlockHeader header = new BlockHeader(h.chain(), h.height(), h.previousBlockHash(), h.intervalStart(),
                h.intervalEnd(), h.txCount(), h.firstSequence(), h.lastSequence(), h.merkleRoot(), h.epoch(),
                delegate.verifyingKey().bytes());
        byte[] bytes = header.toBytes();
        return new SealedBlock(header, bytes, Sha256.hash(bytes),
                org.emrsb.core.crypto.Signatures.sign(delegate.signingKey(), bytes));
    }

    @Test
    void theTransactionIsTheSameWhenRebuiltFromTheSameState() {
        fund(FUNDING_TXID, 0, 50_000, address);
        send(block(0, 1));
        advance(INTERVAL);
        AnchorRecord anchor = anchors.readValue();
        var rebuilt = new AnchorTopology.Components(blockSerde, fundSerde, anchorSerde, rejected, key,
                BitcoinNetwork.REGTEST, FeeRate.ofSatPerVbyte(2), INTERVAL, java.util.Optional.empty());
        try {
            var tx = rebuilt.sign(List.of(org.emrsb.core.bitcoin.SpendableOutput.ofDisplayTxid(FUNDING_TXID, 0, 50_000)),
                    Hex.decode(anchor.getHash(), 32, "hash"), 0);
            assertArrayEquals(AvroMapping.bytes(anchor.getTx()), tx.transaction().toBytes());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertNotNull(anchor.getFee());
    }
}
