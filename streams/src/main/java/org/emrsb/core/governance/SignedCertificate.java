package org.emrsb.core.governance;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import org.emrsb.core.crypto.Signatures;
import org.emrsb.core.crypto.SigningKey;
import org.emrsb.core.crypto.VerifyingKey;
import org.emrsb.core.format.EnrolmentCertificate;
import org.emrsb.core.format.FormatException;

/**
 * An enrolment certificate with the issuing authority's signature, in the one encoding the project
 * uses wherever a signed certificate travels: the certificate's canonical bytes
 * ({@link EnrolmentCertificate#toBytes()}) immediately followed by the 64-byte Ed25519 signature over
 * those bytes. Parsing takes the last 64 bytes as the signature and parses the rest strictly.
 */
public record SignedCertificate(EnrolmentCertificate certificate, byte[] signature) {

    public SignedCertificate {
        Objects.requireNonNull(certificate, "certificate");
        if (signature == null || signature.length != Signatures.SIZE) {
            throw new IllegalArgumentException("a certificate signature is " + Signatures.SIZE + " bytes");
        }
        signature = signature.clone();
    }

    /** Pairs a certificate's canonical bytes (parsed strictly) with a signature over them. */
    public static SignedCertificate of(byte[] certificateBytes, byte[] signature) {
        return new SignedCertificate(EnrolmentCertificate.parse(certificateBytes), signature);
    }

    /** The certificate's canonical bytes: what the authority signed. */
    public byte[] certificateBytes() {
        return certificate.toBytes();
    }

    /** Signs {@code certificate} with the authority's key. */
    public static SignedCertificate issue(SigningKey authority, EnrolmentCertificate certificate) {
        return new SignedCertificate(certificate, Signatures.sign(authority, certificate.toBytes()));
    }

    /**
     * Splits and parses the encoding.
     *
     * @throws FormatException if it is shorter than a signature or the certificate does not parse strictly
     */
    public static SignedCertificate parse(byte[] bytes) {
        if (bytes == null || bytes.length <= Signatures.SIZE) {
            throw new FormatException("signed certificate: " + (bytes == null ? 0 : bytes.length)
                    + " bytes cannot hold a certificate and its " + Signatures.SIZE + "-byte signature");
        }
        int split = bytes.length - Signatures.SIZE;
        EnrolmentCertificate certificate = EnrolmentCertificate.parse(Arrays.copyOfRange(bytes, 0, split));
        return new SignedCertificate(certificate, Arrays.copyOfRange(bytes, split, bytes.length));
    }

    /** Certificate bytes, then the signature. */
    public byte[] toBytes() {
        return Signatures.appended(certificate.toBytes(), signature);
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** Whether {@code authority} signed these certificate bytes and is the certificate's issuerKey. */
    public boolean issuedBy(VerifyingKey authority) {
        return MessageDigest.isEqual(certificate.issuerKey(), authority.bytes())
                && Signatures.verify(authority, certificate.toBytes(), signature);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedCertificate s && Arrays.equals(toBytes(), s.toBytes());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(toBytes());
    }
}
