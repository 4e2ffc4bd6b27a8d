package org.emrsb.core.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.emrsb.core.crypto.Hex;
import org.emrsb.core.crypto.VerifyingKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every one-bit change of every binary value of a complete bundle must make it fail: the decoded
 * bytes of every hex string (the authority key after its prefix, the transaction id and bytes, both
 * headers and hashes, every path and branch hash, keys, signatures, certificates, verdict bytes, the
 * Bitcoin transaction, txid, block hash and header), every bit, no sampling (about 23,000 mutations).
 * The mutated bundles go through the JSON tree and {@link ProofBundle#fromJsonTree}, so reading is
 * exercised too.
 */
class BundleMutationTest {

    private static ProofFixture fixture;
    private static ObjectNode tree;

    /** A hex value in the JSON tree: its dotted path, its JSON pointer, the text before the hex, the hex. */
    private record Location(String path, JsonPointer pointer, String prefix, String hex) {

        /** A copy of {@code root} with this value replaced by {@code hex}. */
        ObjectNode replacedIn(ObjectNode root, String newHex) {
            ObjectNode copy = root.deepCopy();
            JsonNode parent = copy.at(pointer.head());
            TextNode value = TextNode.valueOf(prefix + newHex);
            if (parent instanceof ArrayNode array) {
                array.set(pointer.last().getMatchingIndex(), value);
            } else {
                ((ObjectNode) parent).set(pointer.last().getMatchingProperty(), value);
            }
            return copy;
        }
    }

    /** One mutation: a location and the bit to flip. */
    private record Mutation(Location at, int bit) {
    }

    @BeforeAll
    static void build() {
        fixture = new ProofFixture();
        tree = fixture.bundle().toTree();
    }

    @Test
    void theUnmutatedBundleVerifies() {
        VerificationReport report = new BundleVerifier().verify(ProofBundle.fromJsonTree(tree));
        assertTrue(report.verified(), () -> report.firstFailure().toString());
    }

    @Test
    void everyOneBitMutationOfEveryHexValueFails() {
        List<Location> locations = new ArrayList<>();
        collect(tree, "", "", locations);
        // every hex-carrying field of the format, every path and branch entry, both verdicts
        assertEquals(List.of("authorityKey", "transaction.id", "transaction.bytes", "block.header", "block.hash",
                "block.path[0]", "block.path[1]", "block.path[2]", "block.delegateKey", "block.signature",
                "block.delegateCertificate",
                "block.verdicts[0].bytes", "block.verdicts[0].monitorKey", "block.verdicts[0].signature",
                "block.verdicts[0].certificate",
                "block.verdicts[1].bytes", "block.verdicts[1].monitorKey", "block.verdicts[1].signature",
                "block.verdicts[1].certificate",
                "anchor.header", "anchor.hash", "anchor.path[0]", "anchor.path[1]",
                "bitcoin.tx", "bitcoin.txid", "bitcoin.branch[0]", "bitcoin.branch[1]", "bitcoin.blockHash",
                "bitcoin.header"), locations.stream().map(Location::path).toList());
        List<Mutation> mutations = new ArrayList<>();
        for (Location at : locations) {
            int bits = at.hex().length() * 4;
            for (int bit = 0; bit < bits; bit++) {
                mutations.add(new Mutation(at, bit));
            }
        }
        BundleVerifier verifier = new BundleVerifier();
        Map<String, Integer> failingSteps = new ConcurrentHashMap<>();
        List<String> survivors = IntStream.range(0, mutations.size()).parallel().mapToObj(mutations::get)
                .filter(m -> {
                    byte[] bytes = Hex.decode(m.at().hex(), m.at().path());
                    bytes[m.bit() >>> 3] ^= (byte) (1 << (m.bit() & 7));
                    ProofBundle mutated = ProofBundle.fromJsonTree(m.at().replacedIn(tree, Hex.encode(bytes)));
                    VerificationReport report = verifier.verify(mutated);
                    report.firstFailure().ifPresent(s -> failingSteps.merge(s.name(), 1, Integer::sum));
                    return report.verified();
                })
                .map(m -> m.at().path() + " bit " + m.bit()).toList();
        assertEquals(List.of(), survivors, "one-bit mutations that still verify");
        assertEquals(mutations.size(), failingSteps.values().stream().mapToInt(Integer::intValue).sum());
        System.out.println("BundleMutationTest: " + mutations.size() + " one-bit mutations over " + locations.size()
                + " hex values, all refused; first failing steps: " + new TreeMap<>(failingSteps));
    }

    private static void collect(JsonNode node, String path, String pointer, List<Location> out) {
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> e : object.properties()) {
                String name = e.getKey();
                String at = path.isEmpty() ? name : path + "." + name;
                String ptr = pointer + "/" + name;
                if (e.getValue().isTextual()) {
                    if (name.equals("format") || name.equals("network")) {
                        continue;
                    }
                    String text = e.getValue().textValue();
                    String prefix = name.equals("authorityKey") ? VerifyingKey.PREFIX : "";
                    assertTrue(text.startsWith(prefix), at);
                    out.add(new Location(at, JsonPointer.compile(ptr), prefix, text.substring(prefix.length())));
                } else {
                    collect(e.getValue(), at, ptr, out);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                String at = path + "[" + i + "]";
                String ptr = pointer + "/" + i;
                if (array.get(i).isTextual()) {
                    out.add(new Location(at, JsonPointer.compile(ptr), "", array.get(i).textValue()));
                } else {
                    collect(array.get(i), at, ptr, out);
                }
            }
        }
    }
}
