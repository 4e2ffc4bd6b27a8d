package org.emrsb.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.emrsb.core.proof.BundleFormatException;
import org.emrsb.core.proof.BundleVerifier;
import org.emrsb.core.proof.Part;
import org.emrsb.core.proof.ProofBundle;
import org.emrsb.core.proof.VerificationReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ops/emrsb proof TXID --out FILE [--ots FILE] [--require PART] [--endpoint URL]}: asks a
 * delegate's query endpoint for a transaction's proof bundle, writes it to FILE as far as it is final, and
 * says which parts are not in it yet. Once the block is sealed it reads ledger.anchors for the anchor part
 * (when an anchor covers the block) and the bitcoin part (when that anchor is CONFIRMED). Exit 0 when the
 * bundle has the part {@code --require} names (block by default); 1 when it does not yet (the partial
 * bundle is written all the same); 2 for an unknown transaction, an endpoint that cannot be reached or is
 * not ready, or an invalid option. With {@code --ots} it also writes the OpenTimestamps proof
 * (docs/opentimestamps.md), which needs the bundle's Bitcoin part: without it, or when the bundle does not
 * verify, the exit is 1 (not yet) and no .ots is written.
 */
@Command(name = "proof", mixinStandardHelpOptions = true, description = {
        "Get a transaction's proof bundle (emrsb-proof/1) from a delegate's query endpoint, as far as it is final.",
        "Exit 0: the bundle has the --require part (block by default); 1: not yet (the partial bundle is written); "
                + "2: unknown transaction, endpoint unreachable or not ready, or invalid option; "
                + "3: void (the monitors rejected it; its submission was signed again as another transaction).",
        "With --ots, exit 1 also when the bundle has no Bitcoin part yet (no .ots is written)."})
final class ProofCommand implements Callable<Integer> {

    /** Exit code of a transaction the monitors' quorum rejected: it will never be in a block. */
    static final int VOIDED = 3;

    /** Exit code of a transaction whose block is not sealed yet. */
    static final int NOT_SEALED = 1;
    /** Exit code of an unknown transaction, an unreachable endpoint or an invalid option. */
    static final int NO_PROOF = 2;

    @Mixin
    Main.Common common;

    @Parameters(paramLabel = "TXID", description = "the transaction id (64 lowercase hex)")
    String transactionId;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "where the bundle is written")
    Path out;

    @Option(names = "--require", paramLabel = "PART", defaultValue = "block",
            description = "the part without which the exit code is 1 (not yet): block (default), anchor or bitcoin")
    String require;

    @Option(names = "--no-anchor", description = "do not read ledger.anchors for the anchor and bitcoin parts")
    boolean noAnchor;

    @Option(names = "--ots", paramLabel = "FILE",
            description = "also write the OpenTimestamps proof (.ots) of the transaction's canonical bytes; "
                    + "needs the bundle's Bitcoin part (exit 1 while it is missing)")
    Path ots;

    @Option(names = "--endpoint", paramLabel = "URL",
            description = "a delegate instance's query endpoint, http://HOST:PORT (default: http:// + query.listen)")
    String endpoint;

    @Override
    public Integer call() {
        ProofBundle bundle;
        Part required;
        String anchorLine = null;
        try {
            required = Part.fromId(require);
            requireTransactionId(transactionId);
            QueryClient client = new QueryClient(QueryClient.endpoint(endpoint, common.config()));
            JsonNode answer = client.proof(transactionId);
            bundle = bundleOf(answer, client);
            if (answer.path("voided").asBoolean(false)) {
                System.err.println("error: transaction " + transactionId + " is void: the monitors' quorum rejected it, "
                        + "so it is in no block; its submission was signed again as another transaction");
                return VOIDED;
            }
            if (bundle.has(Part.BLOCK) && !noAnchor) {
                try {
                    var anchor = AnchorProofs.covering(AnchorCommand.latest(common.config()), bundle.block().hash());
                    anchorLine = AnchorProofs.describe(anchor);
                    if (anchor.isPresent()) {
                        bundle = AnchorProofs.complete(bundle, anchor.get());
                    }
                } catch (IllegalStateException | org.apache.kafka.common.KafkaException e) {
                    anchorLine = "cannot read ledger.anchors (" + e.getMessage() + "); the bundle stops at the block";
                }
            }
        } catch (QueryClient.QueryFailure e) {
            System.err.println("error: " + (e.status() == 404 ? "unknown transaction " + transactionId + ": " : "")
                    + e.getMessage());
            return NO_PROOF;
        } catch (IllegalArgumentException | EmrsbConfig.ConfigException e) {
            System.err.println("error: " + e.getMessage());
            return NO_PROOF;
        }
        try {
            Files.writeString(out, bundle.toJson(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.err.println("error: cannot write " + out + ": " + e);
            return NO_PROOF;
        }
        System.out.println(summary(bundle, out));
        if (anchorLine != null) {
            System.out.println("  " + anchorLine);
        }
        int exit = bundle.has(required) ? 0 : NOT_SEALED;
        if (ots != null && bundle.has(Part.BLOCK)) {
            int written = writeOts(bundle, ots, System.out, System.err);
            exit = exit != 0 ? exit : written;
        } else if (ots != null) {
            System.err.println("error: " + OtsCommand.notYet(bundle));
            exit = NOT_SEALED;
        }
        return exit;
    }

    /**
     * Writes the bundle's .ots when it reaches Bitcoin and verifies (quorum 0: the .ots carries no verdicts;
     * {@code ops/emrsb verify} judges them). Returns 0 when written, {@link #NOT_SEALED} ("not yet") when the
     * bundle has no Bitcoin part, does not verify or gives no path, {@link #NO_PROOF} when the file cannot
     * be written.
     */
    static int writeOts(ProofBundle bundle, Path file, PrintStream out, PrintStream err) {
        if (!bundle.has(Part.BITCOIN)) {
            err.println("error: " + OtsCommand.notYet(bundle));
            return NOT_SEALED;
        }
        VerificationReport report = new BundleVerifier(BundleVerifier.Options.defaults().withQuorum(0)).verify(bundle);
        if (!report.verified()) {
            VerificationReport.Step failed = report.firstFailure().orElseThrow();
            err.println("error: no OpenTimestamps proof written: the bundle does not verify: step " + failed.name()
                    + " failed: " + failed.detail());
            return NOT_SEALED;
        }
        int exit = OtsCommand.write(bundle, file, null, out, err);
        return exit == OtsCommand.UNREADABLE ? NO_PROOF : exit == 0 ? 0 : NOT_SEALED;
    }

    /** Refuses anything but a transaction id: 64 lowercase hex characters. */
    static void requireTransactionId(String id) {
        if (!QueryRoute.HEX_32.matcher(id).matches()) {
            throw new IllegalArgumentException("'" + id + "' is not a transaction id (64 lowercase hex characters)");
        }
    }

    /** The bundle in the endpoint's answer, checked to be the one asked for. */
    private ProofBundle bundleOf(JsonNode answer, QueryClient client) {
        if (!answer.path("bundle").isObject()) {
            throw new IllegalArgumentException(client.endpoint() + " answered without a bundle");
        }
        ProofBundle bundle;
        try {
            bundle = ProofBundle.fromJsonTree(answer.get("bundle"));
        } catch (BundleFormatException e) {
            throw new IllegalArgumentException(client.endpoint() + " answered an unreadable bundle: " + e.getMessage());
        }
        if (!bundle.transaction().id().equals(transactionId)) {
            throw new IllegalArgumentException(client.endpoint() + " answered the bundle of another transaction, "
                    + bundle.transaction().id());
        }
        return bundle;
    }

    /** One line: where the bundle went, how far it reaches, and what is not in it yet. */
    static String summary(ProofBundle bundle, Path file) {
        List<Part> missing = LedgerJson.missing(bundle);
        String reach = bundle.has(Part.BLOCK)
                ? "sealed in block " + bundle.block().height() + " of chain " + bundle.block().chain()
                : "not sealed in a block yet (its chain's open block seals within ledger.block.interval)";
        return file + ": transaction " + bundle.transaction().id() + ", " + reach
                + (missing.isEmpty() ? "; the bundle is complete"
                        : "; not in the bundle yet: " + missing.stream().map(Part::id).collect(Collectors.joining(", ")));
    }
}
