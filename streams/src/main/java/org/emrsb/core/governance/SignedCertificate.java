package org.emrsb.core.governance;

import java.util.Arrays;
import org.emrsb.core.crypto.Signatures;
import org.emrsb.core.crypto.VerifyingKey;
import org.emrsb.core.format.EnrolmentCertificate;
import org.emrsb.core.format.FormatException;

/**
 * An enrolment certificate with the authority's signature: the certificate's canonical bytes followed
 * by the 64-byte signature over them (docs/ledger-format.md 2.7).
 */
public record SignedCertificate(EnrolmentCertificate certificate, byte[] certificateBytes, byte[] signature) {

    public static final int SIGNATURE_SIZE = 64;

    /** Parses the certificate strictly; the signature is not checked here (see {@link #issuedBy}). */
    public static SignedCertificate of(byte[] certificateBytes, byte[] signature) {
        if (signature == null || signature.length != SIGNATURE_SIZE) {
            throw new FormatException("certificate signature must be 64 bytes");
        }
        return new SignedCertificate(EnrolmentCertificate.parse(certificateBytes), certificateBytes.clone(), signature.clone());
    }

    /** Parses the concatenated form: certificate bytes, then the 64-byte signature. */
    public static SignedCertificate parse(byte[] concatenated) {
        if (concatenated == null || concatenated.length <= SIGNATURE_SIZE) {
            throw new FormatException("a signed certificate is the certificate bytes followed by a 64-byte signature");
        }
        int split = concatenated.length - SIGNATURE_SIZE;
        return of(Arrays.copyOf(concatenated, split), Arrays.copyOfRange(concatenated, split, concatenated.length));
    }

    /** The concatenated form. */
    public byte[] toBytes() {
        byte[] out = Arrays.copyOf(certificateBytes, certificateBytes.length + SIGNATURE_SIZE);
        System.arraycopy(signature, 0, out, certificateBytes.length, SIGNATURE_SIZE);
        return out;
    }

    /** True when {@code authority} issued this certificate: it names the authority and the signature verifies. */
    public boolean issuedBy(VerifyingKey authority) {
        return Arrays.equals(certificate.issuerKey(), authority.bytes())
                && Signatures.verify(authority, certificateBytes, signature);
    }
}
