package org.emrsb.core.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.emrsb.core.crypto.Hex;
import org.emrsb.core.proof.OtsTimestamp.Append;
import org.emrsb.core.proof.OtsTimestamp.Op;
import org.emrsb.core.proof.OtsTimestamp.Prepend;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .ots files this project writes, read back by the OpenTimestamps library itself (Debian's
 * python3-opentimestamps under /usr/bin/python3, which {@code ops/test} installs): the library
 * deserialises each file, evaluating the operations from the file digest as it reads, and reports the
 * commitment of its Bitcoin attestation and the height. Without the library this test fails (it never
 * skips), saying how to install it.
 */
class OtsRoundTripTest {

    private static final String PYTHON = "/usr/bin/python3";
    private static final String SCRIPT = "ots_commitment.py";

    private static ProofFixture fx;
    private static OtsTimestamp ots;

    @TempDir
    Path dir;

    /** What the library read from one file. */
    record Read(String hashOp, String digest, String commitment, long height, long blockTime, String error) {
    }

    @BeforeAll
    static void build() {
        fx = new ProofFixture();
        ots = OtsExport.of(fx.bundle());
    }

    private Map<Path, Read> readWithLibrary(List<Path> files) throws IOException, InterruptedException {
        return readWithLibrary(files, Map.of());
    }

    /** Reads the files; those with a header in {@code headers} are also checked against it. */
    private Map<Path, Read> readWithLibrary(List<Path> files, Map<Path, String> headers)
            throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(PYTHON))) {
            fail(PYTHON + " is missing: install Debian's python3-opentimestamps (apt-get install -y "
                    + "python3-opentimestamps; ops/test does this)");
        }
        Path script = dir.resolve(SCRIPT);
        try (InputStream in = OtsRoundTripTest.class.getResourceAsStream(SCRIPT)) {
            Files.copy(in, script);
        }
        List<String> command = new ArrayList<>(List.of(PYTHON, script.toString()));
        files.forEach(f -> command.add(f + (headers.containsKey(f) ? "=" + headers.get(f) : "")));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the library did not finish");
        if (output.startsWith("NO-LIBRARY")) {
            fail("the OpenTimestamps library is missing for " + PYTHON + " (" + output.trim() + "): install Debian's "
                    + "python3-opentimestamps (apt-get install -y python3-opentimestamps; ops/test does this)");
        }
        assertEquals(0, process.exitValue(), output);
        Map<Path, Read> reads = new HashMap<>();
        for (String line : output.split("\n")) {
            String[] f = line.split(" ", 3);
            Path file = Path.of(f[0]);
            if (f[1].equals("ERROR")) {
                reads.put(file, new Read(null, null, null, -1, -1, f[2]));
            } else {
                String[] rest = f[2].split(" ");
                reads.put(file, new Read(f[1], rest[0], rest[1], Long.parseLong(rest[2]),
                        rest.length > 3 ? Long.parseLong(rest[3]) : -1, null));
            }
        }
        assertEquals(files.size(), reads.size(), output);
        return reads;
    }

    @Test
    void theLibraryReachesTheBitcoinMerkleRootAtTheAttestedHeight() throws Exception {
        Path file = dir.resolve("proof.ots");
        Files.write(file, ots.toBytes());
        ProofBundle.BitcoinPart bitcoinPart = fx.bundle().bitcoin();
        Read read = readWithLibrary(List.of(file), Map.of(file, bitcoinPart.header())).get(file);
        assertEquals(null, read.error(), read.toString());
        // the library's own check against the block header, as `ots verify` makes it: it returns the block time
        assertEquals(fx.bitcoinBlock.header().time(), read.blockTime());
        assertEquals("sha256", read.hashOp());
        assertEquals(fx.transaction().id(), read.digest());
        ProofBundle.BitcoinPart bitcoin = fx.bundle().bitcoin();
        byte[] header = Hex.decode(bitcoin.header(), "bitcoin.header");
        String headerRoot = Hex.encode(java.util.Arrays.copyOfRange(header, 36, 68));
        assertEquals(headerRoot, read.commitment());
        assertEquals(bitcoin.height(), read.height());
        assertEquals(ProofFixture.BITCOIN_HEIGHT, read.height());
    }

    @Test
    void theLibraryAndTheEvaluatorAgreeOnHandWrittenFiles() throws Exception {
        byte[] digest = fx.transaction().idBytes();
        List<OtsTimestamp> samples = List.of(
                new OtsTimestamp(digest, List.of(), 0),
                new OtsTimestamp(digest, List.of(new Append(new byte[] {1}), OtsTimestamp.SHA256,
                        new Prepend(new byte[] {(byte) 0xab, (byte) 0xcd})), 300),
                new OtsTimestamp(digest, List.of(new Append(new byte[OtsTimestamp.MAX_LENGTH - 32]), OtsTimestamp.SHA256),
                        840_000));
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            Path file = dir.resolve("sample-" + i + ".ots");
            Files.write(file, samples.get(i).toBytes());
            files.add(file);
        }
        Map<Path, Read> reads = readWithLibrary(files);
        for (int i = 0; i < samples.size(); i++) {
            Read read = reads.get(files.get(i));
            assertEquals(null, read.error(), read.toString());
            assertEquals(Hex.encode(samples.get(i).commitment()), read.commitment(), "sample " + i);
            assertEquals(samples.get(i).bitcoinHeight(), read.height());
        }
    }

    @Test
    void everyChangedOperationLeadsTheLibraryElsewhere() throws Exception {
        String root = Hex.encode(fx.bitcoinBlock.header().merkleRoot());
        List<Op> ops = ots.ops();
        List<Path> files = new ArrayList<>();
        List<OtsTimestamp> mutants = new ArrayList<>();
        byte[] message = ots.fileDigest();
        for (int i = 0; i < ops.size(); i++) {
            Op op = ops.get(i);
            byte[] before = message;
            message = op.apply(message);
            List<List<Op>> variants = new ArrayList<>();
            variants.add(OtsExportTest.without(ops, i));
            if (op instanceof Append || op instanceof Prepend) {
                byte[] arg = op instanceof Append a ? a.arg() : ((Prepend) op).arg();
                byte[] flipped = arg.clone();
                flipped[arg.length / 2] ^= 0x01;
                variants.add(OtsExportTest.replaced(ops, i, op instanceof Append ? new Append(flipped) : new Prepend(flipped)));
                if (!java.util.Arrays.equals(arg, before)) { // x ‖ x is the same either way (see OtsExportTest)
                    variants.add(OtsExportTest.replaced(ops, i, op instanceof Append ? new Prepend(arg) : new Append(arg)));
                }
            } else {
                variants.add(OtsExportTest.replaced(ops, i, new Append(new byte[] {0x00})));
            }
            for (List<Op> variant : variants) {
                OtsTimestamp mutant = new OtsTimestamp(ots.fileDigest(), variant, ots.bitcoinHeight());
                Path file = dir.resolve("mutant-" + files.size() + ".ots");
                Files.write(file, mutant.toBytes());
                files.add(file);
                mutants.add(mutant);
            }
        }
        Map<Path, Read> reads = readWithLibrary(files);
        for (int i = 0; i < files.size(); i++) {
            Read read = reads.get(files.get(i));
            assertEquals(null, read.error(), read.toString());
            assertNotEquals(root, read.commitment(), "mutant " + i);
            assertEquals(Hex.encode(mutants.get(i).commitment()), read.commitment(), "mutant " + i);
        }
        assertTrue(files.size() > 50, files.size() + " mutants");
    }
}
