package org.emrsb.app;

import static org.emrsb.app.CommandRun.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.emrsb.core.format.Sha256;
import org.emrsb.core.proof.OtsTimestamp;
import org.emrsb.core.proof.Part;
import org.emrsb.core.proof.ProofBundle;
import org.emrsb.core.proof.ProofFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ops/emrsb ots} through {@link Main#run}, and {@code proof --ots}'s decision on a fetched bundle. */
class OtsCommandTest {

    private static ProofFixture fx;

    @TempDir
    Path dir;

    @BeforeAll
    static void build() {
        fx = new ProofFixture();
    }

    private Path bundleFile(ProofBundle bundle) throws IOException {
        Path file = dir.resolve("proof.json");
        Files.writeString(file, bundle.toJson(), StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void writesTheOtsAndTheTransactionBytes() throws IOException {
        Path ots = dir.resolve("proof.ots");
        Path tx = dir.resolve("transaction.bin");
        CommandRun r = run("ots", "--bundle", bundleFile(fx.bundle()).toString(), "--out", ots.toString(),
                "--transaction-out", tx.toString());
        assertEquals(0, r.exit(), r.toString());
        OtsTimestamp read = OtsTimestamp.parse(Files.readAllBytes(ots));
        assertArrayEquals(fx.transaction().toBytes(), Files.readAllBytes(tx));
        assertArrayEquals(Sha256.hash(Files.readAllBytes(tx)), read.fileDigest());
        assertArrayEquals(fx.bitcoinBlock.header().merkleRoot(), read.commitment());
        assertEquals(ProofFixture.BITCOIN_HEIGHT, read.bitcoinHeight());
        assertTrue(r.out().contains("OpenTimestamps proof of transaction " + fx.transaction().id()), r.out());
        assertTrue(r.out().contains("Merkle root of Bitcoin regtest block 101"), r.out());
    }

    @Test
    void aBundleWithoutBitcoinIsNotYet() throws IOException {
        Path ots = dir.resolve("proof.ots");
        CommandRun r = run("ots", "--bundle", bundleFile(fx.bundle(Part.ANCHOR)).toString(), "--out", ots.toString());
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("the bundle has no Bitcoin part (its anchor's Bitcoin transaction is not mined yet)"),
                r.err());
        assertFalse(Files.exists(ots));
    }

    @Test
    void aBundleThatDoesNotVerifyGetsNoOts() throws IOException {
        ProofBundle good = fx.bundle();
        ProofBundle.BlockPart b = good.block();
        String signature = (b.signature().charAt(0) == '0' ? "1" : "0") + b.signature().substring(1);
        ProofBundle bad = new ProofBundle(good.format(), good.authorityKey(), good.transaction(),
                new ProofBundle.BlockPart(b.chain(), b.height(), b.header(), b.hash(), b.leafIndex(), b.treeSize(),
                        b.path(), b.delegateKey(), signature, b.delegateCertificate(), b.verdicts()),
                good.anchor(), good.bitcoin());
        Path ots = dir.resolve("proof.ots");
        CommandRun r = run("ots", "--bundle", bundleFile(bad).toString(), "--out", ots.toString());
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("does not verify: step block.delegate-signature failed"), r.err());
        assertFalse(Files.exists(ots));
    }

    @Test
    void anUnreadableBundleOrInvalidOptionIsExit2() throws IOException {
        Path ots = dir.resolve("proof.ots");
        assertEquals(2, run("ots", "--bundle", dir.resolve("missing.json").toString(), "--out", ots.toString()).exit());
        Path junk = dir.resolve("junk.json");
        Files.writeString(junk, "{", StandardCharsets.UTF_8);
        assertEquals(2, run("ots", "--bundle", junk.toString(), "--out", ots.toString()).exit());
        assertEquals(2, run("ots", "--bundle", bundleFile(fx.bundle()).toString(), "--out", ots.toString(),
                "--quorum", "-1").exit());
        assertEquals(2, run("ots", "--bundle", bundleFile(fx.bundle()).toString()).exit(), "--out is required");
        assertEquals(2, run("ots", "--bundle", bundleFile(fx.bundle()).toString(), "--out",
                dir.resolve("no/such/dir/proof.ots").toString()).exit());
        assertFalse(Files.exists(ots));
    }

    @Test
    void proofWritesTheOtsOnlyOnceTheBundleReachesBitcoin() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        Path ots = dir.resolve("proof.ots");
        assertEquals(ProofCommand.NOT_SEALED, ProofCommand.writeOts(fx.bundle(Part.BLOCK), ots, o, e));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("its block is not covered by a mined anchor yet"));
        assertFalse(Files.exists(ots));
        assertEquals(0, ProofCommand.writeOts(fx.bundle(), ots, o, e), err.toString(StandardCharsets.UTF_8));
        assertTrue(Files.exists(ots));
    }
}
