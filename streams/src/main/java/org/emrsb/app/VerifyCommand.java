package org.emrsb.app;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.emrsb.core.bitcoin.BitcoindClient;
import org.emrsb.core.bitcoin.BitcoindEndpoint;
import org.emrsb.core.crypto.VerifyingKey;
import org.emrsb.core.proof.BundleFormatException;
import org.emrsb.core.proof.BundleVerifier;
import org.emrsb.core.proof.Part;
import org.emrsb.core.proof.ProofBundle;
import org.emrsb.core.proof.TrustedAuthority;
import org.emrsb.core.proof.VerificationReport;
import org.emrsb.core.proof.VerificationReport.Step;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ops/emrsb verify FILE}: checks a proof bundle offline, printing one line per step. Exit 0 when
 * every required part verifies; 1 at the first failing step (named), including a structure that does
 * not parse, a missing required part or hex that is not lowercase; 2 when the bundle cannot be read
 * (unreadable file, invalid JSON, a missing mandatory field or one of the wrong JSON type) or an option
 * is invalid.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, description = {
        "Verify a proof bundle (emrsb-proof/1) offline: transaction, block, monitors' verdicts, anchor, Bitcoin.",
        "Exit 0: verified; 1: a step failed (named); 2: unreadable bundle or invalid option."})
final class VerifyCommand implements Callable<Integer> {

    /** Exit code of a bundle that reads but does not verify. */
    static final int NOT_VERIFIED = 1;
    /** Exit code of a bundle that cannot be read, or of an invalid option. */
    static final int UNREADABLE = 2;
    /** The largest bundle read. */
    static final long MAX_BUNDLE_SIZE = 64L * 1024 * 1024;
    /** Timeout of each bitcoind request. */
    static final Duration BITCOIND_TIMEOUT = Duration.ofSeconds(15);

    @Parameters(paramLabel = "FILE", description = "the proof bundle (JSON)")
    String file;

    @Option(names = "--require", paramLabel = "PART", defaultValue = "bitcoin",
            description = "the last part the bundle must reach: block, anchor or bitcoin (default ${DEFAULT-VALUE}); "
                    + "parts present beyond it are checked all the same")
    String require;

    @Option(names = "--authority", paramLabel = "KEY",
            description = "the trusted enrolment authority: ed25519:<64 hex>, a key file of role authority, or a file "
                    + "holding just the ed25519: line (default: trust the bundle's authorityKey, reported so)")
    String authority;

    @Option(names = "--quorum", paramLabel = "N", defaultValue = "1",
            description = "distinct monitors that must have accepted the block (default ${DEFAULT-VALUE}); 0 for a "
                    + "ledger run without monitors, which the report says")
    int quorum;

    @Option(names = "--bitcoind", paramLabel = "URL",
            description = "confirm the Bitcoin block's height with getblockhash: http://USER:PASSWORD@HOST:PORT "
                    + "(without it the height is reported unverified offline)")
    String bitcoind;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        BundleVerifier.Options options;
        try {
            options = options();
        } catch (IllegalArgumentException | IOException e) {
            err.println("error: " + e.getMessage());
            return UNREADABLE;
        }
        ProofBundle bundle;
        try {
            bundle = ProofBundle.parse(read(Path.of(file)));
        } catch (IOException e) {
            err.println("error: cannot read " + file + ": " + describe(e));
            return UNREADABLE;
        } catch (BundleFormatException e) {
            err.println("error: " + file + " is not a readable proof bundle: " + e.getMessage());
            return UNREADABLE;
        }
        VerificationReport report = new BundleVerifier(options).verify(bundle);
        int width = report.steps().stream().mapToInt(s -> s.name().length()).max().orElse(0);
        for (Step step : report.steps()) {
            out.printf("%-4s  %-" + width + "s  %s%n", mark(step.status()), step.name(), step.detail());
        }
        if (report.verified()) {
            out.println("VERIFIED: transaction " + bundle.transaction().id() + " up to " + reached(bundle)
                    + report.step("bitcoin.height").filter(s -> s.status() == VerificationReport.Status.UNVERIFIED)
                            .map(s -> " (Bitcoin height unverified offline)").orElse(""));
            out.flush();
            return 0;
        }
        Step failed = report.firstFailure().orElseThrow();
        out.println("NOT VERIFIED: step " + failed.name() + " failed: " + failed.detail());
        out.flush();
        err.println("error: verification failed at step " + failed.name());
        return NOT_VERIFIED;
    }

    private BundleVerifier.Options options() throws IOException {
        Part part = Part.fromId(require);
        if (quorum < 0) {
            throw new IllegalArgumentException("--quorum must be at least 0, was " + quorum);
        }
        VerifyingKey trusted = null;
        if (authority != null) {
            try {
                trusted = TrustedAuthority.resolve(authority);
            } catch (IOException e) {
                throw new IOException("--authority: cannot read " + authority + ": " + describe(e), e);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--authority: " + e.getMessage(), e);
            }
        }
        BundleVerifier.Options options = new BundleVerifier.Options(part, trusted, quorum, null);
        if (bitcoind != null) {
            options = options.withBitcoind(new BitcoindClient(BitcoindEndpoint.parse(bitcoind), BITCOIND_TIMEOUT));
        }
        return options;
    }

    static byte[] read(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            throw new IOException("is a directory");
        }
        long size = Files.size(path);
        if (size > MAX_BUNDLE_SIZE) {
            throw new IOException(size + " bytes is more than the " + MAX_BUNDLE_SIZE + " a bundle may have");
        }
        return Files.readAllBytes(path);
    }

    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static String mark(VerificationReport.Status status) {
        return switch (status) {
            case OK -> "ok";
            case FAILED -> "FAIL";
            case UNVERIFIED -> "--";
        };
    }

    private static String reached(ProofBundle bundle) {
        if (bundle.bitcoin() != null) {
            return "Bitcoin " + bundle.bitcoin().network() + " block at height " + bundle.bitcoin().height();
        }
        if (bundle.anchor() != null) {
            return "anchor " + bundle.anchor().sequence();
        }
        if (bundle.block() != null) {
            return "block " + bundle.block().height() + " of chain " + bundle.block().chain();
        }
        return "the transaction";
    }
}
