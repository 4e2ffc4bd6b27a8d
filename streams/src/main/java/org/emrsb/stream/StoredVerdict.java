package org.emrsb.stream;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.emrsb.core.governance.SignedCertificate;
import org.emrsb.core.monitor.SignedVerdict;

/**
 * A block verdict as the delegate stage keeps it for proofs ({@link Stores#LEDGER_VERDICTS}): the signed
 * verdict and the monitor's signed certificate in force when it arrived, so that a proof bundle carries
 * both. Layout: u32 length of the signed verdict, the signed verdict, the signed certificate.
 */
record StoredVerdict(SignedVerdict verdict, SignedCertificate certificate) {

    static byte[] encode(SignedVerdict verdict, SignedCertificate certificate) {
        byte[] signed = verdict.toBytes();
        byte[] cert = certificate.toBytes();
        return ByteBuffer.allocate(4 + signed.length + cert.length).putInt(signed.length).put(signed).put(cert).array();
    }

    static StoredVerdict decode(byte[] bytes) {
        int length = ByteBuffer.wrap(bytes).getInt();
        if (length < 0 || 4 + length > bytes.length) {
            throw new IllegalArgumentException("a stored verdict of " + bytes.length + " bytes cannot hold " + length);
        }
        return new StoredVerdict(SignedVerdict.parse(Arrays.copyOfRange(bytes, 4, 4 + length)),
                SignedCertificate.parse(Arrays.copyOfRange(bytes, 4 + length, bytes.length)));
    }
}
