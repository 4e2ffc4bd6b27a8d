package org.emrsb.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.emrsb.avro.LedgerBlock;
import org.emrsb.avro.LedgerTransaction;
import org.emrsb.avro.SignedMaskedRecord;
import org.emrsb.core.crypto.MemberKeys;
import org.emrsb.core.crypto.Role;
import org.emrsb.core.crypto.Signatures;
import org.emrsb.core.crypto.VerifyingKey;
import org.emrsb.stream.AvroMapping;
import org.emrsb.stream.LedgerQueries;
import org.emrsb.stream.Topics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ops/emrsb demo}: submits records through the pipeline and prints what each stage made of them.
 * It creates (once, under $EMRSB_HOME/demo-keys) an enrolment authority, a gateway, a doctor and a patient, enrols
 * them, runs the pipeline's stages in this process, has the doctor sign and submit each record about
 * the patient (the first with a small attachment), and prints the masked records with their gateway
 * signatures checked. A delegate new to this run is enrolled and voted onto the board. The anchor stage
 * seals an anchor every few seconds and the broadcaster sends it to the stack's regtest node, which mines
 * it at once; the demo takes one confirmation as enough (six by default). Once the first record's anchor
 * is confirmed, its complete proof bundle goes to proof.json and is verified with every part required
 * against the node, and its OpenTimestamps proof goes to proof.ots with transaction.bin, the file it
 * timestamps.
 */
@Command(name = "demo", description = "Submit the paper's sample records (or --records FILE) and print the result.")
final class DemoCommand implements Callable<Integer> {

    /**
     * The demo's application ids start with this and the alliance's authority key, so that the state of
     * the pipeline (chain heads, the monitor's view of the chains) belongs to one alliance: a new
     * .emrsb/demo-keys is a new alliance with fresh chains.
     */
    static final String APPLICATION_PREFIX = "emrsb-demo-";
    /** The demo's block interval: seconds, so that a block seals while you watch (a minute by default). */
    static final Duration BLOCK_INTERVAL = Duration.ofSeconds(5);
    /** The demo's anchor interval: seconds, so that an anchor is mined while you watch (ten minutes by default). */
    static final Duration ANCHOR_INTERVAL = Duration.ofSeconds(5);
    /** The demo takes one confirmation as final (six by default); regtest blocks prove nothing by their work anyway. */
    static final int ANCHOR_DEPTH = 1;
    private static final Duration PROOF_TIMEOUT = Duration.ofSeconds(90);
    /** A first run anchors every block already on ledger.blocks before the demo's own. */
    private static final Duration ANCHOR_TIMEOUT = Duration.ofSeconds(180);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    Main.Common common;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "demo-output",
            description = "where the demo writes its files (default ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--records", paramLabel = "FILE",
            description = "records to submit, one JSON object per line (default: the paper's Table 1)")
    Path records;

    @Override
    public Integer call() throws Exception {
        List<RecordsFile.Entry> entries = readRecords();
        progress("%d record(s) from %s", entries.size(), records == null ? "the paper's Table 1" : records);
        EmrsbConfig base = common.config();
        progress("setting up topics and schemas on %s and %s", base.kafkaBootstrap(), base.registry().baseUrl());
        SetupCommand.ensure(base);

        Files.createDirectories(out);
        Path keys = demoKeys();
        Path delegateKey = out.resolve("delegate.key");
        DemoIdentities ids = DemoIdentities.prepare(keys, delegateKey);
        String policy = policyFor(entries, base.string("gateway.policy"));
        EmrsbConfig config = base.with(Map.ofEntries(
                Map.entry("gateway.policy", policy),
                Map.entry("governance.authority-key", ids.authority().verifyingKey().toString()),
                Map.entry("gateway.key-file", ids.gatewayKeyFile().toString()),
                Map.entry("gateway.secret-file", ids.gatewaySecretFile().toString()),
                Map.entry("delegate.key-file", delegateKey.toString()),
                Map.entry("monitor.key-file", ids.monitorKeyFile().toString()),
                Map.entry("ledger.block.interval", BLOCK_INTERVAL.toMillis() + "ms"),
                Map.entry("anchor.key-file", DemoIdentities.anchorKeyFile(keys).toString()),
                Map.entry("anchor.interval", ANCHOR_INTERVAL.toMillis() + "ms"),
                Map.entry("anchor.confirmations", Integer.toString(ANCHOR_DEPTH)),
                Map.entry("anchor.poll-interval", "500ms"),
                // the demo reads its ledger in-process; no port to clash with a delegate running beside it
                Map.entry("query.listen", "")), "demo " + keys);
        ids.enrolAll(config);
        progress("enrolled gateway %s, doctor %s and patient %s (authority %s)", ids.gateway().verifyingKey(),
                ids.doctor().verifyingKey(), ids.patient().verifyingKey(), ids.authority().verifyingKey());
        ids.elect(config);
        progress("enrolled delegate %s (new this run); the doctor and the patient vote it onto the board",
                ids.delegate().verifyingKey());

        String alliance = org.emrsb.core.crypto.Hex.encode(ids.authority().verifyingKey().bytes()).substring(0, 12);
        String applicationId = APPLICATION_PREFIX + alliance;
        String monitorApplicationId = APPLICATION_PREFIX + alliance + "-monitor";
        // the anchor stage's state is its wallet's: a new anchor key starts a new application
        String anchorApplicationId = APPLICATION_PREFIX + alliance + "-anchor-"
                + AnchorSettings.keyFile(config).key().address(AnchorSettings.network(config)).substring(0, 10);
        forgetLocalState(config, applicationId, applicationId + Pipeline.DELEGATES_SUFFIX, monitorApplicationId,
                anchorApplicationId);
        try (Pipeline monitor = Pipeline.start(config, EnumSet.of(Pipeline.StageRole.MONITOR), monitorApplicationId);
             Pipeline pipeline = Pipeline.start(config, EnumSet.of(Pipeline.StageRole.GATEWAY,
                     Pipeline.StageRole.OFFLOAD, Pipeline.StageRole.GOVERNANCE, Pipeline.StageRole.DELEGATE),
                     applicationId);
             Pipeline anchoring = Pipeline.start(config, EnumSet.of(Pipeline.StageRole.ANCHOR,
                     Pipeline.StageRole.BROADCASTER), anchorApplicationId)) {
            monitor.awaitRunning(Duration.ofSeconds(120));
            pipeline.awaitRunning(Duration.ofSeconds(120));
            anchoring.awaitRunning(Duration.ofSeconds(120));
            progress("pipeline running: gateway, offload, governance, delegate (exactly-once, application ids %s and "
                    + "%s%s); blocks seal every %d s here (a minute by default)", applicationId, applicationId,
                    Pipeline.DELEGATES_SUFFIX, BLOCK_INTERVAL.toSeconds());
            progress("one monitoring authority, %s, checks every transaction and block (application id %s); the demo "
                    + "runs one monitor, so its acceptance is the quorum (a majority by default)",
                    ids.monitor().verifyingKey(), monitorApplicationId);
            progress("anchoring (application id %s): every %d s here (ten minutes by default) the new blocks' root goes "
                    + "into an anchor whose Bitcoin transaction the broadcaster sends to %s; the demo takes %d "
                    + "confirmation as final (6 by default)", anchorApplicationId, ANCHOR_INTERVAL.toSeconds(),
                    AnchorSettings.node(config).endpoint(), ANCHOR_DEPTH);
            fundAnchorWallet(config);
            DemoTraffic traffic = new DemoTraffic(config, ids);
            List<DemoTraffic.Outcome> outcomes = traffic.submitAndCollect(entries, Duration.ofSeconds(90));
            print(entries, outcomes, ids);
            fetchBack(config, outcomes.get(0).masked(), ids);
            proveFirst(config, pipeline, outcomes.get(0), ids);
        }
        progress("done");
        System.out.println();
        System.out.println("Output written to " + out.toAbsolutePath());
        return 0;
    }

    private void print(List<RecordsFile.Entry> entries, List<DemoTraffic.Outcome> outcomes, DemoIdentities ids)
            throws IOException {
        System.out.println();
        System.out.println("== emr.offloaded: what left the hospital, attachments on IPFS (gateway-signed; analysts may read it) ==");
        Path file = out.resolve("masked.jsonl");
        int rejected = 0;
        try (PrintWriter writer = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
            for (int i = 0; i < outcomes.size(); i++) {
                DemoTraffic.Outcome outcome = outcomes.get(i);
                if (outcome.masked() == null) {
                    rejected++;
                    System.out.printf("record %d REJECTED (%s): %s%n", entries.get(i).line(), outcome.rejectedReason(),
                            outcome.rejectedDetail());
                    continue;
                }
                SignedMaskedRecord masked = outcome.masked();
                System.out.println(inInputOrder(entries.get(i).body(), masked.getMaskedBody()));
                describe(masked, outcome.key(), ids);
                writer.println(JSON.writeValueAsString(Map.of("key", outcome.key(),
                        "submissionId", masked.getSubmissionId(),
                        "maskedBody", JSON.readTree(masked.getMaskedBody()),
                        "policy", masked.getPolicyId() + "/" + masked.getPolicyVersion(),
                        "attachments", masked.getAttachments().size(),
                        "warnings", masked.getWarnings())));
            }
        }
        progress("%d masked, %d rejected; written to %s", outcomes.size() - rejected, rejected, file);
        if (rejected > 0) {
            throw new IllegalStateException(rejected + " record(s) were rejected by the gateway (see above)");
        }
    }

    private static void describe(SignedMaskedRecord masked, String key, DemoIdentities ids) {
        byte[] canonical = AvroMapping.toCanonical(masked).toBytes();
        boolean signed = Signatures.verify(VerifyingKey.of(AvroMapping.bytes(masked.getGatewayKey())), canonical,
                AvroMapping.bytes(masked.getGatewaySignature()));
        System.out.printf("    key (patient pseudonym) %s...; gateway signature %s; policy %s/%s%n",
                key.substring(0, 16), signed ? "verified" : "INVALID", masked.getPolicyId(), masked.getPolicyVersion());
        masked.getAttachments().forEach(a -> System.out.printf(
                "    attachment %s, %d bytes -> %d bytes of AES-256-GCM ciphertext on IPFS as %s, key wrapped for %d parties%n",
                a.getMediaType(), a.getPlaintextSize(), a.getCiphertextSize(),
                a.getCid() == null ? "(not offloaded)" : org.emrsb.core.ipfs.Cid.fromBytes(AvroMapping.bytes(a.getCid())),
                a.getWrappedKeys().size()));
        if (!masked.getWarnings().isEmpty()) {
            System.out.println("    warnings: " + String.join("; ", masked.getWarnings()));
        }
        if (!signed) {
            throw new IllegalStateException("gateway signature does not verify for " + masked.getSubmissionId());
        }
    }

    /** The patient fetches the first record's attachment back from IPFS and the demo compares the bytes. */
    private void fetchBack(EmrsbConfig config, SignedMaskedRecord record, DemoIdentities ids) throws Exception {
        if (record == null || record.getAttachments().isEmpty()) {
            return;
        }
        var attachment = record.getAttachments().get(0);
        var cid = org.emrsb.core.ipfs.Cid.fromBytes(AvroMapping.bytes(attachment.getCid()));
        byte[] plaintext;
        try (var client = Pipeline.ipfs(config)) {
            plaintext = new org.emrsb.core.offload.AttachmentFetcher(client).fetch(record.getSubmissionId(),
                    AvroMapping.toCanonical(record).attachments().get(0), cid, ids.patient());
        }
        Path file = out.resolve("attachment-0.txt");
        Files.write(file, plaintext);
        boolean same = java.util.Arrays.equals(plaintext, DemoTraffic.DEMO_ATTACHMENT);
        System.out.println();
        System.out.printf("== the patient fetches the attachment back: %s from IPFS, CID checked, key unwrapped,"
                + " AES-GCM decrypted: %d bytes, %s ==%n", cid, plaintext.length,
                same ? "identical to what the doctor submitted" : "DIFFERENT FROM WHAT WAS SUBMITTED");
        if (!same) {
            throw new IllegalStateException("the fetched attachment differs from the submitted one");
        }
        progress("attachment written to %s", file);
    }

    /** Pays the anchor wallet from the regtest node's wallet, as an operator does with {@code ops/emrsb anchor fund}. */
    private static void fundAnchorWallet(EmrsbConfig config) throws Exception {
        progress("funding the anchor wallet %s from the node's wallet: ops/emrsb anchor fund --amount 0.001",
                AnchorSettings.keyFile(config).key().address(AnchorSettings.network(config)));
        try {
            AnchorCommand.Fund.payFromNode(config, new java.math.BigDecimal("0.001"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("could not fund the anchor wallet: " + e.getMessage()
                    + "; is the Bitcoin node running? (ops/stack status)", e);
        }
    }

    /**
     * The first record's transaction, once its block is sealed: its proof bundle goes to proof.json and
     * is verified offline up to the block, as anyone would with {@code ops/emrsb verify}; then, once its
     * anchor is confirmed, the complete bundle is verified with every part, and its .ots is written.
     */
    private void proveFirst(EmrsbConfig config, Pipeline pipeline, DemoTraffic.Outcome first, DemoIdentities ids)
            throws Exception {
        String submissionId = first.masked().getSubmissionId();
        progress("waiting for %s's transaction to be sealed in a block", submissionId);
        LedgerQueries.Proof proof = awaitSealed(pipeline, first.key(), submissionId, ids);
        LedgerTransaction tx = proof.transaction();
        LedgerBlock block = proof.block().orElseThrow();
        System.out.println();
        System.out.printf("== the ledger: transaction %s, chain %d sequence %d, signed by delegate %s at epoch %d;%n"
                + "   accepted by the monitor and sealed in block %d of chain %d (%d transactions, Merkle root %s...);%n"
                + "   the monitor's verdict on the block: %s ==%n", tx.getId(),
                tx.getChain(), tx.getSequence(), tx.getDelegateKey(), tx.getEpoch(), block.getHeight(),
                block.getChain(), block.getTxCount(), block.getMerkleRoot().substring(0, 16), verdicts(proof));
        Path file = out.resolve("proof.json");
        Files.writeString(file, proof.bundle().toJson(), StandardCharsets.UTF_8);
        progress("proof bundle written to %s; verifying it offline: ops/emrsb verify %s --require block --quorum 1 "
                + "--authority %s", file, file, ids.authorityKey());
        System.out.println();
        int exit = new picocli.CommandLine(new Main()).execute("verify", file.toString(), "--require", "block",
                "--quorum", "1", "--authority", ids.authorityKey().toString());
        if (exit != 0) {
            throw new IllegalStateException("the proof of " + tx.getId() + " does not verify (exit " + exit + ")");
        }
        proveAnchored(config, proof.bundle(), file, ids);
    }

    /** Waits for the block's anchor to be CONFIRMED, completes the bundle, verifies every part, writes the .ots. */
    private void proveAnchored(EmrsbConfig config, org.emrsb.core.proof.ProofBundle bundle, Path file, DemoIdentities ids)
            throws Exception {
        progress("waiting for block %s's anchor to be confirmed in Bitcoin", bundle.block().hash().substring(0, 16));
        String seen = "";
        long deadline = System.nanoTime() + ANCHOR_TIMEOUT.toNanos();
        org.emrsb.avro.AnchorRecord anchor = null;
        while (System.nanoTime() < deadline) {
            var covering = AnchorProofs.covering(AnchorCommand.latest(config), bundle.block().hash());
            String now = AnchorProofs.describe(covering);
            if (!now.equals(seen)) {
                progress("%s", now);
                seen = now;
            }
            if (covering.isPresent() && covering.get().getStatus() == org.emrsb.avro.AnchorStatus.CONFIRMED) {
                anchor = covering.get();
                break;
            }
            Thread.sleep(500);
        }
        if (anchor == null) {
            throw new IllegalStateException("the block's anchor was not confirmed within " + ANCHOR_TIMEOUT.toSeconds()
                    + " s (" + seen + "); see ops/emrsb anchor status");
        }
        var complete = AnchorProofs.complete(bundle, anchor);
        Files.writeString(file, complete.toJson(), StandardCharsets.UTF_8);
        System.out.println();
        System.out.printf("== Bitcoin: anchor %d (%d blocks, root %s...) is in transaction %s,%n"
                + "   mined in %s block %d (%s); its OP_RETURN carries the anchor hash %s... ==%n",
                anchor.getSequence(), anchor.getBlocks().size(), anchor.getMerkleRoot().substring(0, 16), anchor.getTxid(),
                anchor.getNetwork(), anchor.getBitcoinHeight(), anchor.getBitcoinBlockHash(), anchor.getHash().substring(0, 16));
        String node = config.string("bitcoin.rpc");
        progress("complete proof bundle written to %s; verifying every part against the node: ops/emrsb verify %s "
                + "--require bitcoin --quorum 1 --authority %s --bitcoind %s", file, file, ids.authorityKey(), node);
        System.out.println();
        int exit = new picocli.CommandLine(new Main()).execute("verify", file.toString(), "--require", "bitcoin",
                "--quorum", "1", "--authority", ids.authorityKey().toString(), "--bitcoind", node);
        if (exit != 0) {
            throw new IllegalStateException("the complete proof does not verify (exit " + exit + ")");
        }
        Path ots = out.resolve("proof.ots");
        Path transaction = out.resolve("transaction.bin");
        progress("OpenTimestamps proof: ops/emrsb ots --bundle %s --out %s --transaction-out %s", file, ots, transaction);
        if (OtsCommand.write(complete, ots, transaction, System.out, System.err) != 0) {
            throw new IllegalStateException("could not write the OpenTimestamps proof");
        }
    }

    private static String verdicts(LedgerQueries.Proof proof) {
        StringBuilder out = new StringBuilder();
        for (var part : proof.bundle().block().verdicts()) {
            var verdict = org.emrsb.core.format.Verdict.parse(org.emrsb.core.crypto.Hex.decode(part.bytes(), "verdict"));
            out.append(out.length() == 0 ? "" : ", ").append(verdict.decision())
                    .append(verdict.check().isEmpty() ? "" : " (" + verdict.check() + ")").append(" by ed25519:")
                    .append(part.monitorKey(), 0, 16).append("...");
        }
        return out.toString();
    }

    private static LedgerQueries.Proof awaitSealed(Pipeline pipeline, String pseudonym, String submissionId,
            DemoIdentities ids) throws InterruptedException {
        long deadline = System.nanoTime() + PROOF_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                LedgerQueries ledger = LocalLedger.of(pipeline.ledger());
                for (String id : ledger.patientTransactions(pseudonym)) {
                    var proof = ledger.proof(id, ids.authorityKey()).orElseThrow();
                    if (proof.transaction().getSubmissionId().equals(submissionId) && proof.block().isPresent()
                            && proof.blockVerdicts() > 0) {
                        return proof;
                    }
                }
            } catch (org.apache.kafka.streams.errors.InvalidStateStoreException e) {
                // rebalancing: the stores are back shortly
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(submissionId + " was not sealed in a block with the monitor's verdict within "
                + PROOF_TIMEOUT.toSeconds() + " s; is the delegate ACTIVE? (ops/emrsb delegates)");
    }

    /**
     * Deletes the demo's local state folders: Kafka Streams rebuilds them from the changelog topics, and a
     * folder left by an earlier release with another topology can stop the instance at start (a state
     * store found in a task that no longer holds it). An operator does the same after such an upgrade
     * (docs/operations.md).
     */
    private static void forgetLocalState(EmrsbConfig config, String... applicationIds) throws IOException {
        Path root = StreamsSettings.stateDir(config);
        for (String id : applicationIds) {
            Path dir = root.resolve(id);
            if (Files.exists(dir)) {
                try (var walk = Files.walk(dir)) {
                    for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
        }
    }

    /** The masked body (canonical JSON, sorted keys) shown in the submitted record's field order. */
    static String inInputOrder(String submittedBody, String maskedBody) throws IOException {
        JsonNode submitted = JSON.readTree(submittedBody);
        JsonNode masked = JSON.readTree(maskedBody);
        ObjectNode ordered = JSON.createObjectNode();
        submitted.fieldNames().forEachRemaining(name -> {
            if (masked.has(name)) {
                ordered.set(name, masked.get(name));
            }
        });
        masked.fieldNames().forEachRemaining(name -> {
            if (!ordered.has(name)) {
                ordered.set(name, masked.get(name));
            }
        });
        return JSON.writeValueAsString(ordered);
    }

    /**
     * The gateway's policy for the demo: the configured one, except that a file of FHIR R4 resources only
     * under a built-in profile without FHIR rules (the default, paper) is masked with hipaa-safe-harbor,
     * whose fhir section masks FHIR, so that {@code ops/demo --records fhir.ndjson} works as it is.
     */
    static String policyFor(List<RecordsFile.Entry> entries, String configured) {
        boolean allFhir = entries.stream().allMatch(e -> e.format() == org.emrsb.avro.RecordFormat.FHIR_R4);
        boolean builtInWithoutFhir = org.emrsb.core.masking.MaskingPolicy.BUILT_IN.contains(configured)
                && !org.emrsb.core.masking.MaskingPolicy.WITH_FHIR.contains(configured);
        if (allFhir && builtInWithoutFhir) {
            progress("the records are FHIR R4 resources; the %s profile has no FHIR rules, so the gateway masks them "
                    + "with %s", configured, org.emrsb.core.masking.MaskingPolicy.HIPAA_SAFE_HARBOR);
            return org.emrsb.core.masking.MaskingPolicy.HIPAA_SAFE_HARBOR;
        }
        return configured;
    }

    private List<RecordsFile.Entry> readRecords() throws IOException {
        if (records == null) {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                    DemoCommand.class.getResourceAsStream("/demo/paper-table1.jsonl"), StandardCharsets.UTF_8))) {
                return RecordsFile.read(reader, "paper-table1.jsonl");
            }
        }
        if (!Files.isReadable(records)) {
            throw new IllegalArgumentException("cannot read records file " + records);
        }
        try (BufferedReader reader = Files.newBufferedReader(records, StandardCharsets.UTF_8)) {
            return RecordsFile.read(reader, records.toString());
        }
    }

    /**
     * The demo's identities live with the stack's data ($EMRSB_HOME/demo-keys), not with one run's output,
     * so every run acts for the same alliance and the same hospital.
     */
    private static Path demoKeys() {
        String home = System.getenv("EMRSB_HOME");
        return (home == null ? Path.of(".emrsb") : Path.of(home)).resolve("demo-keys");
    }

    static void progress(String format, Object... args) {
        System.err.printf("[demo] " + format + "%n", args);
    }

    static MemberKeys keysOf(Role role, Path file) throws IOException {
        if (Files.exists(file)) {
            MemberKeys keys = MemberKeys.read(file);
            if (keys.role() != role) {
                throw new IllegalStateException(file + " holds a " + keys.role() + " key, expected " + role);
            }
            return keys;
        }
        MemberKeys keys = MemberKeys.generate(role, new java.security.SecureRandom());
        keys.write(file);
        return keys;
    }
}
