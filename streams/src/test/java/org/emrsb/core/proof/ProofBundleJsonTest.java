package org.emrsb.core.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Reading and writing the JSON: strict about shape and types, silent about unknown fields. */
class ProofBundleJsonTest {

    private static ProofFixture fixture;
    private static ProofBundle bundle;

    @BeforeAll
    static void build() {
        fixture = new ProofFixture();
        bundle = fixture.bundle();
    }

    private static ObjectNode tree() {
        return bundle.toTree();
    }

    private static BundleFormatException refused(ObjectNode tree) {
        return assertThrows(BundleFormatException.class, () -> ProofBundle.parse(tree.toString()));
    }

    @Test
    void writesTheDocumentedShapeAndReadsItBack() {
        String json = bundle.toJson();
        assertEquals(bundle, ProofBundle.parse(json));
        ObjectNode tree = tree();
        assertEquals(List.of("format", "authorityKey", "transaction", "block", "anchor", "bitcoin"),
                iterate(tree.fieldNames()));
        assertEquals(List.of("chain", "height", "header", "hash", "leafIndex", "treeSize", "path", "delegateKey",
                "signature", "delegateCertificate", "verdicts"), iterate(tree.get("block").fieldNames()));
        assertEquals(List.of("bytes", "monitorKey", "signature", "certificate"),
                iterate(tree.get("block").get("verdicts").get(0).fieldNames()));
        assertEquals(List.of("sequence", "header", "hash", "leafIndex", "treeSize", "path"),
                iterate(tree.get("anchor").fieldNames()));
        assertEquals(List.of("network", "tx", "txid", "txIndex", "branch", "blockHash", "height", "header"),
                iterate(tree.get("bitcoin").fieldNames()));
        assertEquals("emrsb-proof/1", tree.get("format").textValue());
        assertTrue(tree.get("authorityKey").textValue().startsWith("ed25519:"));
        assertEquals(64, tree.get("block").get("delegateKey").textValue().length(), "no prefix");
        assertEquals(64, tree.get("block").get("verdicts").get(0).get("monitorKey").textValue().length());
        assertEquals(fixture.transaction().id(), tree.get("transaction").get("id").textValue());
        assertTrue(json.endsWith("}\n"));
    }

    @Test
    void absentPartsAreLeftOutAndReadAsAbsent() {
        ProofBundle blockOnly = fixture.bundle(Part.BLOCK);
        assertFalse(blockOnly.toTree().has("anchor"));
        assertFalse(blockOnly.toTree().has("bitcoin"));
        ProofBundle read = ProofBundle.parse(blockOnly.toJson());
        assertNull(read.anchor());
        assertNull(read.bitcoin());
        assertTrue(read.has(Part.BLOCK));
        assertFalse(read.has(Part.ANCHOR));
    }

    @Test
    void unknownFieldsAreIgnored() {
        ObjectNode tree = tree();
        tree.put("queriedAt", "2026-01-01T00:00:00Z");
        ((ObjectNode) tree.get("bitcoin")).put("confirmations", 6);
        assertEquals(bundle, ProofBundle.parse(tree.toString()));
    }

    @Test
    void invalidJsonIsRefused() {
        for (String text : new String[] {"", "{", "[]", "\"x\"", "{\"format\":\"emrsb-proof/1\"} {}",
                bundle.toJson().replace("\"format\"", "\"format\":\"emrsb-proof/1\",\"format\"")}) {
            BundleFormatException e = assertThrows(BundleFormatException.class, () -> ProofBundle.parse(text), text);
            assertNull(e.field(), e.getMessage());
        }
        assertThrows(BundleFormatException.class, () -> ProofBundle.parse(new byte[] {'{', (byte) 0xff, '}'}));
    }

    @Test
    void aMissingMandatoryFieldIsNamed() {
        String[][] cases = {{"", "format"}, {"", "authorityKey"}, {"", "transaction"}, {"transaction", "id"},
            {"transaction", "bytes"}, {"block", "header"}, {"block", "verdicts"}, {"block", "chain"},
            {"anchor", "path"}, {"bitcoin", "txIndex"}, {"bitcoin", "network"}};
        for (String[] c : cases) {
            ObjectNode tree = tree();
            ObjectNode parent = c[0].isEmpty() ? tree : (ObjectNode) tree.get(c[0]);
            parent.remove(c[1]);
            String field = c[0].isEmpty() ? c[1] : c[0] + "." + c[1];
            BundleFormatException e = refused(tree);
            assertEquals(field, e.field());
            assertEquals(field + ": missing", e.getMessage());
        }
        ObjectNode tree = tree();
        ((ObjectNode) tree.get("block").get("verdicts").get(1)).remove("certificate");
        assertEquals("block.verdicts[1].certificate", refused(tree).field());
    }

    @Test
    void wrongTypesAreRefused() {
        ObjectNode tree = tree();
        ((ObjectNode) tree.get("block")).put("chain", "3");
        assertEquals("block.chain", refused(tree).field());

        tree = tree();
        ((ObjectNode) tree.get("block")).put("height", 12.0);
        assertEquals("block.height", refused(tree).field());

        tree = tree();
        ((ObjectNode) tree.get("bitcoin")).put("txIndex", new java.math.BigInteger("18446744073709551616"));
        assertEquals("bitcoin.txIndex", refused(tree).field());

        tree = tree();
        ((ObjectNode) tree.get("transaction")).put("id", 5);
        assertEquals("transaction.id", refused(tree).field());

        tree = tree();
        ((ArrayNode) tree.get("anchor").get("path")).set(1, 7);
        assertEquals("anchor.path[1]", refused(tree).field());

        tree = tree();
        tree.putNull("anchor");
        assertEquals("anchor", refused(tree).field());

        tree = tree();
        ((ObjectNode) tree.get("block")).put("verdicts", "none");
        assertEquals("block.verdicts", refused(tree).field());

        tree = tree();
        tree.put("format", "emrsb-proof/2");
        assertEquals("format", refused(tree).field());
    }

    @Test
    void valuesAreNotJudgedWhileReading() {
        ObjectNode tree = tree();
        ((ObjectNode) tree.get("transaction")).put("id", "NOT HEX");
        ((ObjectNode) tree.get("block")).put("leafIndex", -1);
        ((ObjectNode) tree.get("bitcoin")).put("network", "signet");
        ProofBundle read = ProofBundle.parse(tree.toString());
        assertEquals("NOT HEX", read.transaction().id());
        assertEquals(-1, read.block().leafIndex());
    }

    private static List<String> iterate(java.util.Iterator<String> names) {
        List<String> out = new java.util.ArrayList<>();
        names.forEachRemaining(out::add);
        return out;
    }
}
