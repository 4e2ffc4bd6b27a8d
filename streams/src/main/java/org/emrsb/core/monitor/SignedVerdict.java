package org.emrsb.core.monitor;

import java.util.Arrays;
import java.util.Objects;
import org.emrsb.core.crypto.Signatures;
import org.emrsb.core.crypto.VerifyingKey;
import org.emrsb.core.format.FormatException;
import org.emrsb.core.format.Verdict;

/**
 * A verdict with the monitor's signature, encoded like a signed vote: the verdict's canonical bytes
 * (docs/ledger-format.md 2.6) immediately followed by the monitor's 64-byte Ed25519 signature over
 * them. Equality is by the encoding.
 */
public record SignedVerdict(Verdict verdict, byte[] signature) {

    public SignedVerdict {
        Objects.requireNonNull(verdict, "verdict");
        if (signature == null || signature.length != Signatures.SIZE) {
            throw new IllegalArgumentException("a verdict signature is " + Signatures.SIZE + " bytes");
        }
        signature = signature.clone();
    }

    /**
     * Splits and parses the encoding.
     *
     * @throws FormatException if it is shorter than a signature or the verdict does not parse strictly
     */
    public static SignedVerdict parse(byte[] bytes) {
        if (bytes == null || bytes.length <= Signatures.SIZE) {
            throw new FormatException("signed verdict: " + (bytes == null ? 0 : bytes.length)
                    + " bytes cannot hold a verdict and its " + Signatures.SIZE + "-byte signature");
        }
        int split = bytes.length - Signatures.SIZE;
        return new SignedVerdict(Verdict.parse(Arrays.copyOfRange(bytes, 0, split)),
                Arrays.copyOfRange(bytes, split, bytes.length));
    }

    /** The verdict's canonical bytes: what the monitor signed. */
    public byte[] verdictBytes() {
        return verdict.toBytes();
    }

    /** Verdict bytes, then the signature. */
    public byte[] toBytes() {
        return Signatures.appended(verdict.toBytes(), signature);
    }

    /** Whether the signature verifies with the verdict's own monitorKey; an invalid key is {@code false}. */
    public boolean verifies() {
        try {
            return Signatures.verify(VerifyingKey.of(verdict.monitorKey()), verdict.toBytes(), signature);
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
        return o instanceof SignedVerdict s && Arrays.equals(toBytes(), s.toBytes());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(toBytes());
    }
}
