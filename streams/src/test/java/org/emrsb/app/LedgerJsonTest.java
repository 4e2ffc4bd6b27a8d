package org.emrsb.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.emrsb.avro.LedgerBlock;
import org.emrsb.avro.LedgerTransaction;
import org.emrsb.core.crypto.Hex;
import org.emrsb.core.format.BlockHeader;
import org.emrsb.core.format.Transaction;
import org.emrsb.core.proof.Part;
import org.emrsb.core.proof.ProofBundle;
import org.emrsb.core.proof.ProofFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The JSON bodies of the query endpoint, built from the proof fixture's genuine transaction and block. */
class LedgerJsonTest {

    private static ProofFixture fx;

    @BeforeAll
    static void build() {
        fx = new ProofFixture();
    }

    @Test
    void aTransactionCarriesItsCanonicalBytesAndItsBlockOnceSealed() {
        LedgerTransaction tx = transaction(fx.transaction());
        ObjectNode waiting = LedgerJson.transaction(tx, Optional.empty());
        assertEquals(fx.transaction().id(), waiting.get("id").asText());
        assertEquals(ProofFixture.CHAIN, waiting.get("chain").asLong());
        assertEquals(fx.transaction().sequence(), waiting.get("sequence").asLong());
        assertEquals(ProofFixture.EPOCH, waiting.get("epoch").asLong());
        assertEquals("submission-2", waiting.get("submissionId").asText());
        assertEquals(Hex.encode(fx.transaction().toBytes()), waiting.get("canonical").asText());
        assertEquals("ab".repeat(64), waiting.get("signature").asText());
        assertEquals(Instant.ofEpochMilli(fx.transaction().signedAt()).toString(), waiting.get("signedAt").asText());
        assertTrue(waiting.get("block").isNull());

        ObjectNode sealed = LedgerJson.transaction(tx, Optional.of(block(fx.block)));
        assertEquals(ProofFixture.CHAIN, sealed.get("block").get("chain").asLong());
        assertEquals(ProofFixture.HEIGHT, sealed.get("block").get("height").asLong());
        assertEquals(Hex.encode(fx.block.hash()), sealed.get("block").get("hash").asText());
    }

    @Test
    void aProofSaysWhetherItIsSealedAndWhichPartsAreMissing() {
        ProofBundle unsealed = ProofBundle.builder(fx.authority.verifyingKey()).transaction(fx.transaction()).build();
        ObjectNode waiting = LedgerJson.proof(unsealed);
        assertEquals(fx.transaction().id(), waiting.get("id").asText());
        assertFalse(waiting.get("sealed").asBoolean());
        assertEquals(List.of("block", "anchor", "bitcoin"), texts(waiting.get("missing")));
        assertEquals(unsealed, ProofBundle.fromJsonTree(waiting.get("bundle")));

        ProofBundle toBlock = fx.bundle(Part.BLOCK);
        ObjectNode sealed = LedgerJson.proof(toBlock);
        assertTrue(sealed.get("sealed").asBoolean());
        assertEquals(List.of("anchor", "bitcoin"), texts(sealed.get("missing")));
        assertEquals(toBlock, ProofBundle.fromJsonTree(sealed.get("bundle")));

        assertEquals(List.of(), texts(LedgerJson.proof(fx.bundle()).get("missing")));
    }

    @Test
    void aBlockCarriesEveryFieldAndItsSignedHeader() {
        ObjectNode json = LedgerJson.block(block(fx.block));
        assertEquals(List.of("chain", "height", "hash", "previousHash", "txCount", "firstSequence", "lastSequence",
                "merkleRoot", "epoch", "delegateKey", "intervalStart", "intervalEnd", "header", "signature",
                "delegateCertificate"), fieldNames(json));
        assertEquals(Hex.encode(fx.block.toBytes()), json.get("header").asText());
        assertEquals(Hex.encode(fx.blockSignature), json.get("signature").asText());
        assertEquals(Hex.encode(fx.delegateCertificate.toBytes()), json.get("delegateCertificate").asText());
        assertEquals(Instant.ofEpochMilli(fx.block.intervalEnd()).toString(), json.get("intervalEnd").asText());
        LedgerBlock withoutCertificate = block(fx.block);
        withoutCertificate.setDelegateCertificate(null);
        assertTrue(LedgerJson.block(withoutCertificate).get("delegateCertificate").isNull());
    }

    @Test
    void aPatientsTransactionsKeepTheirOrder() {
        ObjectNode json = LedgerJson.patientTransactions("ab".repeat(32), List.of("02", "01"));
        assertEquals("ab".repeat(32), json.get("pseudonym").asText());
        assertEquals(List.of("02", "01"), texts(json.get("transactions")));
        assertEquals(List.of(), texts(LedgerJson.patientTransactions("ab".repeat(32), List.of()).get("transactions")));
    }

    private static LedgerTransaction transaction(Transaction tx) {
        return LedgerTransaction.newBuilder().setId(tx.id()).setChain(tx.chain()).setSequence(tx.sequence())
                .setEpoch(tx.epoch()).setSubmissionId("submission-2")
                .setDelegateKey("ed25519:" + Hex.encode(tx.delegateKey()))
                .setSignedAt(Instant.ofEpochMilli(tx.signedAt())).setCanonical(ByteBuffer.wrap(tx.toBytes()))
                .setSignature(ByteBuffer.wrap(Hex.decode("ab".repeat(64), "signature"))).build();
    }

    private static LedgerBlock block(BlockHeader header) {
        return LedgerBlock.newBuilder().setChain(header.chain()).setHeight(header.height())
                .setHash(Hex.encode(header.hash())).setPreviousHash(Hex.encode(header.previousBlockHash()))
                .setTxCount(header.txCount()).setFirstSequence(header.firstSequence())
                .setLastSequence(header.lastSequence()).setMerkleRoot(Hex.encode(header.merkleRoot()))
                .setEpoch(header.epoch()).setDelegateKey("ed25519:" + Hex.encode(header.delegateKey()))
                .setIntervalStart(Instant.ofEpochMilli(header.intervalStart()))
                .setIntervalEnd(Instant.ofEpochMilli(header.intervalEnd()))
                .setHeader(ByteBuffer.wrap(header.toBytes())).setSignature(ByteBuffer.wrap(fx.blockSignature))
                .setDelegateCertificate(ByteBuffer.wrap(fx.delegateCertificate.toBytes())).build();
    }

    private static List<String> texts(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new java.util.ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
