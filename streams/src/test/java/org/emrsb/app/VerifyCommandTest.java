package org.emrsb.app;

import static org.emrsb.app.CommandRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.emrsb.core.crypto.Hex;
import org.emrsb.core.format.Verdict.Decision;
import org.emrsb.core.proof.Part;
import org.emrsb.core.proof.ProofBundle;
import org.emrsb.core.proof.ProofFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ops/emrsb verify} through {@link Main#run}: its output and exit codes. */
class VerifyCommandTest {

    private static ProofFixture fx;

    @TempDir
    Path dir;

    @BeforeAll
    static void build() {
        fx = new ProofFixture();
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }

    private Path write(ProofBundle bundle) throws IOException {
        return write("bundle.json", bundle.toJson());
    }

    private Path write(ProofBundle bundle, Consumer<ObjectNode> edit) throws IOException {
        ObjectNode tree = bundle.toTree();
        edit.accept(tree);
        return write("edited.json", tree.toPrettyString());
    }

    private static void assertFailedAt(CommandRun r, String step) {
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.out().contains("NOT VERIFIED: step " + step + " failed"), r.out());
        assertTrue(r.err().contains("verification failed at step " + step), r.err());
    }

    @Test
    void theCompleteBundleVerifies() throws IOException {
        CommandRun r = run("verify", write(fx.bundle()).toString());
        assertEquals(0, r.exit(), r.toString());
        List<String> lines = r.out().lines().toList();
        assertEquals(39, lines.size(), r.out());
        assertTrue(lines.get(0).startsWith("ok    bundle.parts"), lines.get(0));
        assertTrue(lines.get(1).contains("trusted from the bundle"), lines.get(1));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("--    bitcoin.height") && l.contains("unverified offline")));
        assertTrue(lines.get(38).startsWith("VERIFIED: transaction " + fx.transaction().id()), lines.get(38));
        assertEquals("", r.err());
    }

    @Test
    void requireBlockAcceptsABundleThatEndsAtTheBlock() throws IOException {
        Path file = write(fx.bundle(Part.BLOCK));
        assertEquals(0, run("verify", file.toString(), "--require", "block").exit());
        CommandRun dflt = run("verify", file.toString());
        assertFailedAt(dflt, "bundle.parts");
        assertTrue(dflt.out().contains("anchor part missing"), dflt.out());
        Path upToAnchor = write(fx.bundle(Part.ANCHOR));
        assertEquals(0, run("verify", upToAnchor.toString(), "--require", "anchor").exit());
        CommandRun r = run("verify", upToAnchor.toString(), "--require", "bitcoin");
        assertFailedAt(r, "bundle.parts");
        assertTrue(r.out().contains("bitcoin part missing"), r.out());
    }

    @Test
    void uppercaseHexFailsWithExit1NamingTheField() throws IOException {
        Path file = write(fx.bundle(), t -> ((ObjectNode) t.get("bitcoin")).put("txid",
                t.get("bitcoin").get("txid").textValue().toUpperCase(Locale.ROOT)));
        CommandRun r = run("verify", file.toString());
        assertFailedAt(r, "bitcoin.txid");
        assertTrue(r.out().contains("bitcoin.txid: uppercase hex"), r.out());
    }

    @Test
    void unreadableBundlesExitWith2() throws IOException {
        CommandRun missing = run("verify", dir.resolve("absent.json").toString());
        assertEquals(2, missing.exit(), missing.toString());
        assertTrue(missing.err().contains("no such file"), missing.err());
        assertEquals(2, run("verify", dir.toString()).exit(), "a directory");

        CommandRun invalid = run("verify", write("invalid.json", "{\"format\": \"emrsb-proof/1\",").toString());
        assertEquals(2, invalid.exit(), invalid.toString());
        assertTrue(invalid.err().contains("not valid JSON"), invalid.err());

        CommandRun noField = run("verify", write(fx.bundle(), t -> ((ObjectNode) t.get("block")).remove("signature")).toString());
        assertEquals(2, noField.exit(), noField.toString());
        assertTrue(noField.err().contains("block.signature: missing"), noField.err());

        CommandRun wrongType = run("verify", write(fx.bundle(), t -> ((ObjectNode) t.get("anchor")).put("sequence", "4")).toString());
        assertEquals(2, wrongType.exit(), wrongType.toString());
        assertTrue(wrongType.err().contains("anchor.sequence"), wrongType.err());
    }

    @Test
    void quorumAndRejections() throws IOException {
        Path oneAccept = write(fx.bundle(Part.BITCOIN, fx.delegateCertificate,
                List.of(fx.verdict(fx.monitor1, Decision.ACCEPT), fx.verdict(fx.monitor2, Decision.REJECT))));
        assertEquals(0, run("verify", oneAccept.toString()).exit());
        assertFailedAt(run("verify", oneAccept.toString(), "--quorum", "2"), "block.quorum");
        assertEquals(0, run("verify", write(fx.bundle()).toString(), "--quorum", "2").exit());
        assertEquals(2, run("verify", oneAccept.toString(), "--quorum", "-1").exit(), "an invalid option");
        Path none = write(fx.bundle(Part.BITCOIN, fx.delegateCertificate, List.of()));
        assertFailedAt(run("verify", none.toString()), "block.quorum");
        CommandRun withoutMonitors = run("verify", none.toString(), "--quorum", "0");
        assertEquals(0, withoutMonitors.exit(), withoutMonitors.toString());
        assertTrue(withoutMonitors.out().contains("no monitor verdicts required (quorum 0)"), withoutMonitors.out());
    }

    @Test
    void aCertificateFromAnotherAuthorityFails() throws IOException {
        Path file = write(fx.bundle(Part.BITCOIN, fx.certificate(fx.otherAuthority, fx.delegate,
                org.emrsb.core.crypto.Role.DELEGATE), fx.acceptingVerdicts()));
        assertFailedAt(run("verify", file.toString()), "block.delegate-certificate");
        Path bundle = write(fx.bundle());
        CommandRun other = run("verify", bundle.toString(), "--authority", fx.otherAuthority.verifyingKey().toString());
        assertFailedAt(other, "bundle.authority");
    }

    @Test
    void aTxIndexBeyondTheBranchFails() throws IOException {
        Path file = write(fx.bundle(), t -> ((ObjectNode) t.get("bitcoin")).put("txIndex",
                ProofFixture.BITCOIN_TX_INDEX + (1L << t.get("bitcoin").get("branch").size())));
        assertFailedAt(run("verify", file.toString()), "bitcoin.merkle-branch");
    }

    @Test
    void theAuthorityAsAKeyAsAKeyFileAndAsALineFile() throws IOException {
        String bundle = write(fx.bundle()).toString();
        CommandRun asKey = run("verify", bundle, "--authority", fx.authority.verifyingKey().toString());
        assertEquals(0, asKey.exit(), asKey.toString());
        assertTrue(asKey.out().contains("(given; the bundle names the same key)"), asKey.out());
        assertFalse(asKey.out().contains("trusted from the bundle"), asKey.out());

        Path keyFile = dir.resolve("authority.key");
        fx.authority.write(keyFile);
        CommandRun asKeyFile = run("verify", bundle, "--authority", keyFile.toString());
        assertEquals(0, asKeyFile.exit(), asKeyFile.toString());

        Path lineFile = write("authority.pub", fx.authority.verifyingKey() + "\n");
        assertEquals(0, run("verify", bundle, "--authority", lineFile.toString()).exit());

        Path delegateFile = dir.resolve("delegate.key");
        fx.delegate.write(delegateFile);
        CommandRun wrongRole = run("verify", bundle, "--authority", delegateFile.toString());
        assertEquals(2, wrongRole.exit(), wrongRole.toString());
        assertTrue(wrongRole.err().contains("not of the authority"), wrongRole.err());
        assertEquals(2, run("verify", bundle, "--authority", dir.resolve("nope").toString()).exit());
        assertEquals(2, run("verify", bundle, "--authority", "ed25519:00").exit());
    }

    @Test
    void invalidOptionsExitWith2() throws IOException {
        String bundle = write(fx.bundle()).toString();
        assertEquals(2, run("verify", bundle, "--require", "transaction").exit());
        assertEquals(2, run("verify", bundle, "--bitcoind", "http://127.0.0.1:18443").exit(), "no credentials");
        assertEquals(2, run("verify").exit(), "no file");
    }

    /** One bit of every hex value, flipped through a file and the command: always exit 1. */
    @Test
    void aFlippedBitInAnyHexValueExits1() throws IOException {
        ObjectNode original = fx.bundle().toTree();
        int checked = 0;
        for (String part : List.of("transaction", "block", "anchor", "bitcoin")) {
            ObjectNode node = (ObjectNode) original.get(part);
            for (var it = node.fieldNames(); it.hasNext();) {
                String field = it.next();
                if (!node.get(field).isTextual() || field.equals("network")) {
                    continue;
                }
                ObjectNode tree = original.deepCopy();
                ((ObjectNode) tree.get(part)).put(field, flipLastBit(node.get(field).textValue()));
                CommandRun r = run("verify", write("flip.json", tree.toPrettyString()).toString());
                assertEquals(1, r.exit(), part + "." + field + ": " + r.out());
                checked++;
            }
        }
        ObjectNode tree = original.deepCopy();
        ArrayNode verdicts = (ArrayNode) tree.get("block").get("verdicts");
        ((ObjectNode) verdicts.get(1)).put("certificate", flipLastBit(verdicts.get(1).get("certificate").textValue()));
        assertEquals(1, run("verify", write("flip.json", tree.toPrettyString()).toString()).exit());
        tree = original.deepCopy();
        tree.put("authorityKey", "ed25519:" + flipLastBit(tree.get("authorityKey").textValue().substring(8)));
        assertEquals(1, run("verify", write("flip.json", tree.toPrettyString()).toString()).exit());
        assertEquals(2 + 5 + 2 + 4, checked);
    }

    private static String flipLastBit(String hex) {
        byte[] b = Hex.decode(hex, "value");
        b[b.length - 1] ^= 1;
        return Hex.encode(b);
    }
}
