package org.emrsb.app;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import org.emrsb.avro.LedgerBlock;
import org.emrsb.avro.LedgerTransaction;
import org.emrsb.core.crypto.Hex;
import org.emrsb.core.proof.Part;
import org.emrsb.core.proof.ProofBundle;
import org.emrsb.stream.AvroMapping;

/**
 * The JSON bodies of the query endpoint's answers (docs/operations.md). Binary values are lowercase
 * hex, times ISO-8601 UTC, keys {@code ed25519:<hex>}; a transaction's {@code canonical} bytes are what
 * its id hashes and its signature covers, so a reader can check both without trusting the endpoint.
 */
final class LedgerJson {

    private LedgerJson() {
    }

    /**
     * {@code {"id", "chain", "sequence", "epoch", "submissionId", "delegateKey", "signedAt", "canonical",
     * "signature", "block"}}, {@code block} being {@code {"chain", "height", "hash"}} of the sealing block,
     * or null while the transaction waits in its chain's open block.
     */
    static ObjectNode transaction(LedgerTransaction tx, Optional<LedgerBlock> block) {
        ObjectNode node = QueryAnswer.JSON.createObjectNode()
                .put("id", tx.getId())
                .put("chain", tx.getChain())
                .put("sequence", tx.getSequence())
                .put("epoch", tx.getEpoch())
                .put("submissionId", tx.getSubmissionId())
                .put("delegateKey", tx.getDelegateKey())
                .put("signedAt", tx.getSignedAt().toString())
                .put("canonical", Hex.encode(AvroMapping.bytes(tx.getCanonical())))
                .put("signature", Hex.encode(AvroMapping.bytes(tx.getSignature())));
        if (block.isPresent()) {
            LedgerBlock b = block.get();
            node.putObject("block").put("chain", b.getChain()).put("height", b.getHeight()).put("hash", b.getHash());
        } else {
            node.putNull("block");
        }
        return node;
    }

    /**
     * {@code {"id", "sealed", "voided", "missing", "bundle"}}: the transaction's {@code emrsb-proof/1}
     * bundle as far as it is final, whether its block is in it, whether the monitors' quorum rejected it
     * (void: it will never be in a block; its submission was signed again as another transaction), and
     * the parts not in it yet, in chain order.
     */
    static ObjectNode proof(ProofBundle bundle) {
        return proof(bundle, false);
    }

    static ObjectNode proof(ProofBundle bundle, boolean voided) {
        ObjectNode node = QueryAnswer.JSON.createObjectNode()
                .put("id", bundle.transaction().id())
                .put("sealed", bundle.has(Part.BLOCK))
                .put("voided", voided);
        ArrayNode missing = node.putArray("missing");
        missing(bundle).forEach(part -> missing.add(part.id()));
        node.set("bundle", bundle.toTree());
        return node;
    }

    /** The parts a bundle does not have yet, in chain order. */
    static List<Part> missing(ProofBundle bundle) {
        return List.of(Part.values()).stream().filter(part -> !bundle.has(part)).toList();
    }

    /** {@code {"pseudonym", "transactions": [id, ...]}}, per chain in sequence order. */
    static ObjectNode patientTransactions(String pseudonym, List<String> ids) {
        ObjectNode node = QueryAnswer.JSON.createObjectNode().put("pseudonym", pseudonym);
        ArrayNode list = node.putArray("transactions");
        ids.forEach(list::add);
        return node;
    }

    /**
     * Every field of a sealed block: {@code chain}, {@code height}, {@code hash}, {@code previousHash},
     * {@code txCount}, {@code firstSequence}, {@code lastSequence}, {@code merkleRoot}, {@code epoch},
     * {@code delegateKey}, {@code intervalStart}, {@code intervalEnd}, {@code header} (the canonical bytes
     * the hash and signature cover), {@code signature} and {@code delegateCertificate} (null if absent).
     */
    static ObjectNode block(LedgerBlock b) {
        ObjectNode node = QueryAnswer.JSON.createObjectNode()
                .put("chain", b.getChain())
                .put("height", b.getHeight())
                .put("hash", b.getHash())
                .put("previousHash", b.getPreviousHash())
                .put("txCount", b.getTxCount())
                .put("firstSequence", b.getFirstSequence())
                .put("lastSequence", b.getLastSequence())
                .put("merkleRoot", b.getMerkleRoot())
                .put("epoch", b.getEpoch())
                .put("delegateKey", b.getDelegateKey())
                .put("intervalStart", b.getIntervalStart().toString())
                .put("intervalEnd", b.getIntervalEnd().toString())
                .put("header", Hex.encode(AvroMapping.bytes(b.getHeader())))
                .put("signature", Hex.encode(AvroMapping.bytes(b.getSignature())));
        if (b.getDelegateCertificate() == null) {
            node.putNull("delegateCertificate");
        } else {
            node.put("delegateCertificate", Hex.encode(AvroMapping.bytes(b.getDelegateCertificate())));
        }
        return node;
    }
}
