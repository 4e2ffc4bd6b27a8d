package org.emrsb.core.monitor;

import java.util.Arrays;
import java.util.Objects;
import org.emrsb.core.crypto.Signatures;
import org.emrsb.core.crypto.SigningKey;
import org.emrsb.core.crypto.VerifyingKey;
import org.emrsb.core.format.FormatException;
import org.emrsb.core.format.Verdict.SubjectKind;
import org.emrsb.core.format.Violation;
import org.emrsb.core.ledger.SealedBlock;
import org.emrsb.core.ledger.SignedTransaction;

/**
 * Evidence as a monitor publishes it on ledger.violations: the violation's canonical bytes
 * (docs/ledger-format.md 2.10) immediately followed by the monitor's 64-byte Ed25519 signature over
 * them, as for signed votes. The monitor's signature says who reported; what makes it evidence is the
 * delegate's signature inside ({@link EvidenceVerifier}). Equality is by the encoding.
 */
public record SignedViolation(Violation violation, byte[] signature) {

    public SignedViolation {
        Objects.requireNonNull(violation, "violation");
        if (signature == null || signature.length != Signatures.SIZE) {
            throw new IllegalArgumentException("a violation signature is " + Signatures.SIZE + " bytes");
        }
        signature = signature.clone();
    }

    /** Signs {@code violation} with the monitor's key (which should be its monitorKey). */
    public static SignedViolation issue(SigningKey monitor, Violation violation) {
        return new SignedViolation(violation, Signatures.sign(monitor, violation.toBytes()));
    }

    /**
     * Evidence that the delegate signed a transaction failing {@code failure}'s check (one of
     * {@link TransactionChecks#EVIDENCE}, as {@link TransactionChecks#attributableFailure} finds it).
     * The delegate key is the transaction's own.
     */
    public static SignedViolation of(SigningKey monitor, SignedTransaction signed, CheckOutcome.Rejected failure,
            long issuedAt) {
        return issue(monitor, new Violation(SubjectKind.TRANSACTION, signed.tx().chain(), failure.check(),
                signed.tx().delegateKey(), signed.bytes(), signed.signature(), monitor.verifyingKey().bytes(), issuedAt));
    }

    /** Evidence that the delegate signed a block header failing {@code failure}'s check. */
    public static SignedViolation of(SigningKey monitor, SealedBlock block, CheckOutcome.Rejected failure, long issuedAt) {
        return issue(monitor, new Violation(SubjectKind.BLOCK, block.header().chain(), failure.check(),
                block.header().delegateKey(), block.bytes(), block.signature(), monitor.verifyingKey().bytes(), issuedAt));
    }

    /**
     * Splits and parses the encoding.
     *
     * @throws FormatException if it is shorter than a signature or the violation does not parse strictly
     */
    public static SignedViolation parse(byte[] bytes) {
        if (bytes == null || bytes.length <= Signatures.SIZE) {
            throw new FormatException("signed violation: " + (bytes == null ? 0 : bytes.length)
                    + " bytes cannot hold a violation and its " + Signatures.SIZE + "-byte signature");
        }
        int split = bytes.length - Signatures.SIZE;
        return new SignedViolation(Violation.parse(Arrays.copyOfRange(bytes, 0, split)),
                Arrays.copyOfRange(bytes, split, bytes.length));
    }

    /** Violation bytes, then the signature. */
    public byte[] toBytes() {
        return Signatures.appended(violation.toBytes(), signature);
    }

    /** Whether the signature verifies with the violation's own monitorKey; an invalid key is {@code false}. */
    public boolean verifies() {
        try {
            return Signatures.verify(VerifyingKey.of(violation.monitorKey()), violation.toBytes(), signature);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedViolation s && Arrays.equals(toBytes(), s.toBytes());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(toBytes());
    }
}
