package org.emrsb.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ops/demo, the project's main job, run as a user runs it. */
class DemoIT {

    private static final Duration TIMEOUT = Duration.ofMinutes(6);

    @TempDir
    Path dir;

    @Test
    void theDefaultDemoMasksThePapersThreeRecordsExactlyAsTable2() throws Exception {
        Path out = dir.resolve("out");
        Ops.Result result = Ops.run(TIMEOUT, "ops/demo", "--out", out.toString());
        assertEquals(0, result.exitCode(), result.all());
        assertTrue(result.stderr().contains("[demo] 3 record(s) from the paper's Table 1"), result.stderr());
        for (String line : List.of(
                "{\"name\":\"* Yang\",\"age\":\"[60, 65]\",\"idNumber\":\"533527*****0238\",\"address\":\"chaoyang district, Beijing\",\"disease\":\"flu\"}",
                "{\"name\":\"** Wu\",\"age\":\"[20, 25]\",\"idNumber\":\"500101*****0723\",\"address\":\"nanan district, chongqing\",\"disease\":\"stomach trouble\"}",
                "{\"name\":\"* Zhang\",\"age\":\"[40, 45]\",\"idNumber\":\"620503*****0856\",\"address\":\"tianshui city, gansu province\",\"disease\":\"headache\"}")) {
            assertTrue(result.stdout().contains(line), "missing " + line + " in\n" + result.stdout());
        }
        assertTrue(result.stdout().contains("gateway signature verified"), result.stdout());
        assertTrue(result.stdout().matches("(?s).*attachment text/plain, 75 bytes -> 91 bytes of AES-256-GCM ciphertext on IPFS as bafkrei[a-z2-7]{52}.*"),
                result.stdout());
        assertTrue(result.stdout().contains("identical to what the doctor submitted"), result.stdout());
        assertEquals(new String(org.emrsb.app.DemoTrafficAccess.attachment(), StandardCharsets.UTF_8),
                Files.readString(out.resolve("attachment-0.txt"), StandardCharsets.UTF_8));
        for (String identifier : List.of("533527195809210238", "YangYang", "Chaoyang park")) {
            assertFalse(result.stdout().contains(identifier), identifier);
        }
        List<String> lines = Files.readAllLines(out.resolve("masked.jsonl"), StandardCharsets.UTF_8);
        assertEquals(3, lines.size());
        assertTrue(result.stderr().contains("ops/stack down"), "tells how to stop the stack");

        assertTrue(result.stdout().matches("(?s).*== the ledger: transaction [0-9a-f]{64}, chain \\d+ sequence \\d+, signed by "
                + "delegate ed25519:[0-9a-f]{64} at epoch \\d+;.*sealed in block \\d+ of chain \\d+.*"), result.stdout());
        assertTrue(result.stdout().contains("ok    block.delegate-signature"), result.stdout());
        assertTrue(result.stdout().matches("(?s).*VERIFIED: transaction [0-9a-f]{64} up to block \\d+ of chain \\d+.*"),
                result.stdout());
        String proof = Files.readString(out.resolve("proof.json"), StandardCharsets.UTF_8);
        assertTrue(proof.contains("\"format\" : \"emrsb-proof/1\"") && proof.contains("\"block\""), proof);
        // anchored: the complete bundle verified against the node, and its OpenTimestamps export
        assertTrue(result.stdout().contains("ok    bitcoin.op-return"), result.stdout());
        assertTrue(result.stdout().contains("ok    bitcoin.height"), "checked against the node's best chain");
        assertTrue(result.stdout().matches("(?s).*VERIFIED: transaction [0-9a-f]{64} up to Bitcoin regtest block at height \\d+.*"),
                result.stdout());
        assertTrue(result.stderr().contains("the demo takes 1 confirmation as final (6 by default)"), result.stderr());
        org.emrsb.core.proof.ProofBundle bundle = org.emrsb.core.proof.ProofBundle.parse(proof);
        assertTrue(bundle.has(org.emrsb.core.proof.Part.BITCOIN), proof);
        byte[] transaction = Files.readAllBytes(out.resolve("transaction.bin"));
        assertEquals(bundle.transaction().id(), org.emrsb.core.crypto.Hex.encode(org.emrsb.core.format.Sha256.hash(transaction)));
        org.emrsb.core.proof.OtsTimestamp ots = org.emrsb.core.proof.OtsTimestamp.parse(Files.readAllBytes(out.resolve("proof.ots")));
        assertEquals(bundle.bitcoin().header().substring(72, 136), org.emrsb.core.crypto.Hex.encode(ots.commitment()),
                "the .ots leads from the transaction to the Bitcoin header's Merkle root");
    }

    @Test
    void aRecordsFileIsSubmittedLineByLine() throws Exception {
        Path records = dir.resolve("records.jsonl");
        Files.writeString(records, "{\"name\":\"Li Lei\",\"age\":31,\"idNumber\":\"110101199003070000\","
                + "\"address\":\"Wangfujing street, dongcheng district, Beijing\",\"disease\":\"asthma\",\"phone\":\"13800138000\"}\n");
        Path out = dir.resolve("out");
        Ops.Result result = Ops.run(TIMEOUT, "ops/demo", "--out", out.toString(), "--records", records.toString());
        assertEquals(0, result.exitCode(), result.all());
        String written = Files.readString(out.resolve("masked.jsonl"), StandardCharsets.UTF_8);
        assertTrue(written.contains("138****8000") && written.contains("dongcheng district, Beijing"), written);
        assertFalse(written.contains("13800138000") || written.contains("Li Lei"), written);
    }

    /**
     * FHIR R4 resources through every stage: masked by the HIPAA profile's FHIR rules, accepted by the
     * delegate and the monitor, sealed, anchored and verified with every part.
     */
    @Test
    void fhirResourcesGoThroughEveryStage() throws Exception {
        Path out = dir.resolve("fhir");
        Ops.Result result = Ops.run(TIMEOUT, "ops/demo", "--out", out.toString(), "--records",
                Ops.REPO.resolve("docs/examples/fhir-records.ndjson").toString());
        assertEquals(0, result.exitCode(), result.all());
        assertTrue(result.stderr().contains("masks them with hipaa-safe-harbor"), result.stderr());
        assertTrue(result.stderr().contains("[demo] 4 masked, 0 rejected"), result.stderr());
        String written = Files.readString(out.resolve("masked.jsonl"), StandardCharsets.UTF_8);
        for (String identifier : List.of("Lopez", "Garcia", "4455667", "123-45-6789", "Erewhon", "pat-123")) {
            assertFalse(written.contains(identifier), identifier + " survived in\n" + written);
        }
        assertTrue(written.contains("v3-ObservationValue") && written.contains("REDACTED"), written);
        assertTrue(result.stdout().matches("(?s).*VERIFIED: transaction [0-9a-f]{64} up to Bitcoin regtest block at height \\d+.*"),
                result.stdout());
    }

    @Test
    void aBadRecordsFileFailsClearlyWithItsLineNumber() throws Exception {
        Path records = dir.resolve("bad.jsonl");
        Files.writeString(records, "{\"name\":\"Li Lei\",\"age\":31}\n");
        Path out = dir.resolve("out");
        Ops.Result result = Ops.run(TIMEOUT, "ops/demo", "--out", out.toString(), "--records", records.toString());
        assertEquals(1, result.exitCode(), result.all());
        assertTrue(result.stderr().contains("bad.jsonl:1: missing field 'address'"), result.stderr());
        assertFalse(Files.exists(out.resolve("masked.jsonl")));
    }
}
