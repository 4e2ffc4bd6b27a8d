package org.emrsb.core.bitcoin;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * ECDSA over secp256k1 as Bitcoin's consensus and standardness rules want it: RFC 6979 deterministic
 * nonces (HMAC-SHA256), so signing the same hash with the same key always gives the same bytes; S
 * normalised to the lower half of the group order (BIP 62 "low S", Core's standardness rule); strict
 * DER (BIP 66). BouncyCastle's lightweight API does the arithmetic.
 */
final class Secp256k1 {

    private static final X9ECParameters CURVE_PARAMS = CustomNamedCurves.getByName("secp256k1");
    static final ECDomainParameters CURVE = new ECDomainParameters(CURVE_PARAMS.getCurve(), CURVE_PARAMS.getG(),
            CURVE_PARAMS.getN(), CURVE_PARAMS.getH());
    /** The group order n. */
    static final BigInteger N = CURVE.getN();
    static final BigInteger HALF_N = N.shiftRight(1);
    /** The longest strict-DER signature with a low S: r of 33 bytes (sign byte), s of 32. */
    static final int MAX_DER_LENGTH = 71;

    private Secp256k1() {
    }

    /** Whether {@code d} is a valid private key, 1 ≤ d < n. */
    static boolean isValidPrivate(BigInteger d) {
        return d.signum() > 0 && d.compareTo(N) < 0;
    }

    /** The compressed SEC1 encoding (33 bytes) of {@code d·G}. */
    static byte[] compressedPublicKey(BigInteger d) {
        return new FixedPointCombMultiplier().multiply(CURVE.getG(), d).normalize().getEncoded(true);
    }

    /** {@code (r, s)} over the 32-byte {@code hash}, RFC 6979 nonce, low S. */
    static BigInteger[] sign(BigInteger d, byte[] hash) {
        if (hash.length != 32) {
            throw new IllegalArgumentException("a signature hash is 32 bytes, was " + hash.length);
        }
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, new ECPrivateKeyParameters(d, CURVE));
        BigInteger[] rs = signer.generateSignature(hash);
        if (rs[1].compareTo(HALF_N) > 0) {
            rs[1] = N.subtract(rs[1]);
        }
        return rs;
    }

    /** Whether {@code (r, s)} is a valid signature of {@code hash} under the SEC1-encoded {@code publicKey}. */
    static boolean verify(byte[] publicKey, byte[] hash, BigInteger r, BigInteger s) {
        ECPoint q;
        try {
            q = CURVE.getCurve().decodePoint(publicKey);
        } catch (IllegalArgumentException e) {
            return false;
        }
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, new ECPublicKeyParameters(q, CURVE));
        return verifier.verifySignature(hash, r, s);
    }

    /** Strict DER: {@code 30 len 02 rlen r 02 slen s}, each integer minimal and positive. */
    static byte[] der(BigInteger r, BigInteger s) {
        byte[] rb = r.toByteArray();
        byte[] sb = s.toByteArray();
        ByteArrayOutputStream out = new ByteArrayOutputStream(MAX_DER_LENGTH);
        out.write(0x30);
        out.write(2 + rb.length + 2 + sb.length);
        out.write(0x02);
        out.write(rb.length);
        out.writeBytes(rb);
        out.write(0x02);
        out.write(sb.length);
        out.writeBytes(sb);
        return out.toByteArray();
    }

    /**
     * Whether {@code sig} (DER plus one hash-type byte) passes Bitcoin Core's {@code IsValidSignatureEncoding}
     * (BIP 66), as the script interpreter checks with SCRIPT_VERIFY_DERSIG.
     */
    static boolean isStrictDerWithHashType(byte[] sig) {
        int len = sig.length;
        if (len < 9 || len > 73 || (sig[0] & 0xff) != 0x30 || (sig[1] & 0xff) != len - 3) {
            return false;
        }
        int lenR = sig[3] & 0xff;
        if (5 + lenR >= len) {
            return false;
        }
        int lenS = sig[5 + lenR] & 0xff;
        if (lenR + lenS + 7 != len || sig[2] != 0x02 || lenR == 0 || (sig[4] & 0x80) != 0
                || (lenR > 1 && sig[4] == 0 && (sig[5] & 0x80) == 0)) {
            return false;
        }
        return sig[lenR + 4] == 0x02 && lenS != 0 && (sig[lenR + 6] & 0x80) == 0
                && !(lenS > 1 && sig[lenR + 6] == 0 && (sig[lenR + 7] & 0x80) == 0);
    }

    /** {@code (r, s)} of a strict DER signature (without hash type). */
    static BigInteger[] parseDer(byte[] der) {
        int lenR = der[3] & 0xff;
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(der, 4, 4 + lenR));
        int lenS = der[5 + lenR] & 0xff;
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(der, 6 + lenR, 6 + lenR + lenS));
        return new BigInteger[] {r, s};
    }
}
