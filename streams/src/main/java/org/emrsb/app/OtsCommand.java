package org.emrsb.app;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.emrsb.core.crypto.Hex;
import org.emrsb.core.crypto.VerifyingKey;
import org.emrsb.core.proof.BundleFormatException;
import org.emrsb.core.proof.BundleVerifier;
import org.emrsb.core.proof.OtsExport;
import org.emrsb.core.proof.OtsTimestamp;
import org.emrsb.core.proof.Part;
import org.emrsb.core.proof.ProofBundle;
import org.emrsb.core.proof.TrustedAuthority;
import org.emrsb.core.proof.VerificationReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ops/emrsb ots --bundle FILE --out FILE [--transaction-out FILE]}: offline, turns a proof bundle
 * into an OpenTimestamps proof (docs/opentimestamps.md) whose file is the transaction's canonical bytes.
 * The bundle is verified first, as {@code ops/emrsb verify} does. Exit 0 when the .ots is written; 1 when
 * the bundle does not verify or has no Bitcoin part yet; 2 when the bundle cannot be read, an option is
 * invalid or a file cannot be written.
 */
@Command(name = "ots", mixinStandardHelpOptions = true, description = {
        "Write a proof bundle's OpenTimestamps proof (.ots) offline: the path from the transaction's SHA-256 "
                + "to the Bitcoin block header's Merkle root, checkable with the OpenTimestamps tools.",
        "Exit 0: written; 1: the bundle does not verify or has no Bitcoin part yet; "
                + "2: unreadable bundle, invalid option or a file that cannot be written."})
final class OtsCommand implements Callable<Integer> {

    /** Exit code of a bundle that does not verify or does not reach Bitcoin yet. */
    static final int NOT_VERIFIED = 1;
    /** Exit code of an unreadable bundle, an invalid option or a write that failed. */
    static final int UNREADABLE = 2;

    @Option(names = "--bundle", required = true, paramLabel = "FILE", description = "the proof bundle (JSON)")
    Path bundleFile;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "where the .ots is written")
    Path out;

    @Option(names = "--transaction-out", paramLabel = "FILE",
            description = "also write the transaction's canonical bytes, the file the .ots timestamps")
    Path transactionOut;

    @Option(names = "--authority", paramLabel = "KEY",
            description = "the trusted enrolment authority, as for verify (default: trust the bundle's authorityKey)")
    String authority;

    @Option(names = "--quorum", paramLabel = "N", defaultValue = "1",
            description = "distinct monitors that must have accepted the block, as for verify (default ${DEFAULT-VALUE})")
    int quorum;

    @Override
    public Integer call() {
        PrintStream err = System.err;
        BundleVerifier.Options options;
        try {
            if (quorum < 0) {
                throw new IllegalArgumentException("--quorum must be at least 0, was " + quorum);
            }
            VerifyingKey trusted = authority == null ? null : TrustedAuthority.resolve(authority);
            options = new BundleVerifier.Options(Part.BITCOIN, trusted, quorum, null);
        } catch (IllegalArgumentException | IOException e) {
            err.println("error: --authority/--quorum: " + e.getMessage());
            return UNREADABLE;
        }
        ProofBundle bundle;
        try {
            bundle = ProofBundle.parse(VerifyCommand.read(bundleFile));
        } catch (NoSuchFileException e) {
            err.println("error: cannot read " + bundleFile + ": no such file");
            return UNREADABLE;
        } catch (IOException e) {
            err.println("error: cannot read " + bundleFile + ": " + e.getMessage());
            return UNREADABLE;
        } catch (BundleFormatException e) {
            err.println("error: " + bundleFile + " is not a readable proof bundle: " + e.getMessage());
            return UNREADABLE;
        }
        if (!bundle.has(Part.BITCOIN)) {
            err.println("error: " + notYet(bundle));
            return NOT_VERIFIED;
        }
        VerificationReport report = new BundleVerifier(options).verify(bundle);
        if (!report.verified()) {
            VerificationReport.Step failed = report.firstFailure().orElseThrow();
            err.println("error: " + bundleFile + " does not verify: step " + failed.name() + " failed: " + failed.detail());
            return NOT_VERIFIED;
        }
        return write(bundle, out, transactionOut, System.out, err);
    }

    /** Why there is no .ots yet: the bundle does not reach Bitcoin. */
    static String notYet(ProofBundle bundle) {
        return "no OpenTimestamps proof yet for transaction " + bundle.transaction().id() + ": the bundle has no "
                + "Bitcoin part (" + (bundle.has(Part.ANCHOR) ? "its anchor's Bitcoin transaction is not mined yet"
                        : bundle.has(Part.BLOCK) ? "its block is not covered by a mined anchor yet"
                                : "it is not sealed in a block yet")
                + "); try again after the next anchor is mined";
    }

    /**
     * Writes the .ots of a verified bundle with a Bitcoin part (and the transaction bytes when asked) and
     * prints one line; returns 0, or {@link #NOT_VERIFIED} when the path cannot be built, or
     * {@link #UNREADABLE} when a file cannot be written.
     */
    static int write(ProofBundle bundle, Path otsFile, Path transactionFile, PrintStream out, PrintStream err) {
        OtsTimestamp ots;
        try {
            ots = OtsExport.of(bundle);
        } catch (IllegalArgumentException e) {
            err.println("error: cannot build the OpenTimestamps proof: " + e.getMessage());
            return NOT_VERIFIED;
        }
        try {
            Files.write(otsFile, ots.toBytes());
            if (transactionFile != null) {
                Files.write(transactionFile, Hex.decode(bundle.transaction().bytes(), "transaction.bytes"));
            }
        } catch (IOException e) {
            err.println("error: cannot write " + e.getMessage());
            return UNREADABLE;
        }
        out.println(summary(bundle, ots, otsFile, transactionFile));
        return 0;
    }

    static String summary(ProofBundle bundle, OtsTimestamp ots, Path otsFile, Path transactionFile) {
        return otsFile + ": OpenTimestamps proof of transaction " + bundle.transaction().id() + " ("
                + (transactionFile == null ? "its canonical bytes" : transactionFile) + "), " + ots.ops().size()
                + " operations to the Merkle root of Bitcoin " + bundle.bitcoin().network() + " block "
                + ots.bitcoinHeight();
    }
}
