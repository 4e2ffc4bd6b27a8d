package org.emrsb.app;

import static org.emrsb.app.CommandRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.emrsb.core.proof.Part;
import org.emrsb.core.proof.ProofBundle;
import org.emrsb.core.proof.ProofFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ops/emrsb proof} without a broker: its refusals (exit 2) and its summary line. */
class ProofCommandTest {

    private static final String ID = "ab".repeat(32);

    @TempDir
    Path dir;

    @Test
    void anythingButATransactionIdIsRefused() {
        Path file = dir.resolve("proof.json");
        CommandRun r = run("proof", ID.toUpperCase(java.util.Locale.ROOT), "--out", file.toString(), "--endpoint",
                "http://127.0.0.1:9");
        assertEquals(2, r.exit(), r.toString());
        assertTrue(r.err().contains("is not a transaction id (64 lowercase hex characters)"), r.err());
        assertFalse(file.toFile().exists());
    }

    @Test
    void anUnreachableOrInvalidEndpointIsExit2() throws IOException {
        Path file = dir.resolve("proof.json");
        CommandRun unreachable = run("proof", ID, "--out", file.toString(), "--endpoint", "http://127.0.0.1:" + freePort());
        assertEquals(2, unreachable.exit(), unreachable.toString());
        assertTrue(unreachable.err().startsWith("error: cannot reach the query endpoint http://127.0.0.1:"),
                unreachable.err());
        CommandRun invalid = run("proof", ID, "--out", file.toString(), "--endpoint", "ftp://127.0.0.1:9");
        assertEquals(2, invalid.exit(), invalid.toString());
        assertTrue(invalid.err().contains("is not http://HOST:PORT"), invalid.err());
        assertEquals(2, run("proof", ID).exit(), "--out is required");
        assertFalse(file.toFile().exists());
    }

    @Test
    void theSummarySaysHowFarTheBundleReaches() {
        ProofFixture fx = new ProofFixture();
        Path file = Path.of("proof.json");
        String id = fx.transaction().id();
        ProofBundle unsealed = ProofBundle.builder(fx.authority.verifyingKey()).transaction(fx.transaction()).build();
        assertEquals("proof.json: transaction " + id + ", not sealed in a block yet (its chain's open block seals "
                + "within ledger.block.interval); not in the bundle yet: block, anchor, bitcoin",
                ProofCommand.summary(unsealed, file));
        assertEquals("proof.json: transaction " + id + ", sealed in block " + ProofFixture.HEIGHT + " of chain "
                + ProofFixture.CHAIN + "; not in the bundle yet: anchor, bitcoin",
                ProofCommand.summary(fx.bundle(Part.BLOCK), file));
        assertEquals("proof.json: transaction " + id + ", sealed in block " + ProofFixture.HEIGHT + " of chain "
                + ProofFixture.CHAIN + "; the bundle is complete", ProofCommand.summary(fx.bundle(), file));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
