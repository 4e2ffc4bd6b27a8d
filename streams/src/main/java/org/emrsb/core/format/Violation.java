package org.emrsb.core.format;

import java.util.Arrays;
import java.util.Objects;
import org.emrsb.core.format.Verdict.SubjectKind;

/**
 * Evidence against a delegate, as a monitor signs it (docs/ledger-format.md 2.10): the bytes the
 * delegate signed (a transaction's or a block header's canonical bytes), the delegate's signature and
 * key, and the name of the monitor check that those bytes fail. Anyone can re-run the check
 * (org.emrsb.core.monitor.EvidenceVerifier): the delegate's own signature makes the failure the
 * delegate's, whoever reports it. The arrays are not copied; treat them as read-only.
 *
 * @param kind              what the delegate signed: a transaction or a block header (the verdict codes)
 * @param chain             the chain the monitor read the bytes from
 * @param check             the failing check's name (docs/monitoring.md), never empty
 * @param delegateKey       the key whose signature is {@code delegateSignature}
 * @param signedBytes       exactly the bytes the delegate signed, at least one
 * @param delegateSignature the delegate's 64-byte Ed25519 signature over {@code signedBytes}
 * @param monitorKey        the reporting monitor's key
 * @param issuedAt          when the monitor issued the evidence, ms since the epoch
 */
public record Violation(SubjectKind kind, long chain, String check, byte[] delegateKey, byte[] signedBytes,
        byte[] delegateSignature, byte[] monitorKey, long issuedAt) {

    public Violation {
        Objects.requireNonNull(kind, "kind");
        if (check == null || check.isEmpty()) {
            throw new IllegalArgumentException("a violation names the failing check");
        }
        if (signedBytes == null || signedBytes.length == 0) {
            throw new IllegalArgumentException("a violation carries the bytes the delegate signed");
        }
        requireLength(delegateKey, 32, "delegateKey");
        requireLength(delegateSignature, 64, "delegateSignature");
        requireLength(monitorKey, 32, "monitorKey");
    }

    public byte[] toBytes() {
        return new CanonicalWriter(Tags.VIOLATION, 192 + signedBytes.length)
                .u8(kind.code).u32(chain).string(check, "check").fixed(delegateKey, 32, "delegateKey")
                .bytes(signedBytes, "signedBytes").fixed(delegateSignature, 64, "delegateSignature")
                .fixed(monitorKey, 32, "monitorKey").i64(issuedAt)
                .toByteArray();
    }

    /** SHA-256 of the signed bytes: the transaction id's 32 bytes or the block hash. */
    public byte[] subject() {
        return Sha256.hash(signedBytes);
    }

    /**
     * Parses strictly: wrong tag, truncation, trailing bytes, an unknown kind, invalid UTF-8, an empty
     * check or empty signed bytes are refused.
     *
     * @throws FormatException on any of those
     */
    public static Violation parse(byte[] bytes) {
        CanonicalReader r = new CanonicalReader(bytes, Tags.VIOLATION, "violation");
        try {
            Violation violation = new Violation(SubjectKind.of(r.u8("kind")), r.u32("chain"), r.string("check"),
                    r.fixed(32, "delegateKey"), r.bytes("signedBytes"), r.fixed(64, "delegateSignature"),
                    r.fixed(32, "monitorKey"), r.i64("issuedAt"));
            r.finish();
            return violation;
        } catch (IllegalArgumentException e) {
            throw new FormatException("violation: " + e.getMessage());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Violation v && Arrays.equals(toBytes(), v.toBytes());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(toBytes());
    }

    private static void requireLength(byte[] value, int length, String field) {
        if (value == null || value.length != length) {
            throw new IllegalArgumentException(field + " must be " + length + " bytes, was "
                    + (value == null ? "missing" : value.length));
        }
    }
}
