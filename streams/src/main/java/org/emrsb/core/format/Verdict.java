package org.emrsb.core.format;

/**
 * A monitoring authority's verdict on one transaction or block, as the monitor signs it.
 *
 * @param subject  the transaction id's 32 bytes, or the block's hash
 * @param check    for a rejection, the name of the failing check (e.g. {@code gateway-signature});
 *                 empty for an acceptance
 * @param chain    the chain of the subject (verdicts are co-partitioned with ledger.tx)
 * @param epoch    the governance epoch the monitor judged under
 * @param issuedAt ms since the epoch
 */
public record Verdict(SubjectKind kind, byte[] subject, long chain, Decision decision, String check, long epoch,
        byte[] monitorKey, long issuedAt) {

    /** What a verdict is about. Codes are part of the layout. */
    public enum SubjectKind {
        TRANSACTION(1), BLOCK(2);

        final int code;

        SubjectKind(int code) {
            this.code = code;
        }

        static SubjectKind of(int code) {
            for (SubjectKind k : values()) {
                if (k.code == code) {
                    return k;
                }
            }
            throw new FormatException("verdict: unknown subject kind " + code);
        }
    }

    /** Accept or reject. Codes are part of the layout. */
    public enum Decision {
        ACCEPT(1), REJECT(2);

        final int code;

        Decision(int code) {
            this.code = code;
        }

        static Decision of(int code) {
            for (Decision d : values()) {
                if (d.code == code) {
                    return d;
                }
            }
            throw new FormatException("verdict: unknown decision " + code);
        }
    }

    public Verdict {
        if (kind == null || decision == null || check == null) {
            throw new IllegalArgumentException("kind, decision and check are required");
        }
        if (decision == Decision.ACCEPT && !check.isEmpty()) {
            throw new IllegalArgumentException("an acceptance names no failing check");
        }
        if (decision == Decision.REJECT && check.isEmpty()) {
            throw new IllegalArgumentException("a rejection names the failing check");
        }
    }

    public byte[] toBytes() {
        return new CanonicalWriter(Tags.VERDICT, 128)
                .u8(kind.code).fixed(subject, 32, "subject").u32(chain).u8(decision.code).string(check, "check")
                .u64(epoch).fixed(monitorKey, 32, "monitorKey").i64(issuedAt)
                .toByteArray();
    }

    public static Verdict parse(byte[] bytes) {
        CanonicalReader r = new CanonicalReader(bytes, Tags.VERDICT, "verdict");
        try {
            Verdict verdict = new Verdict(SubjectKind.of(r.u8("kind")), r.fixed(32, "subject"), r.u32("chain"),
                    Decision.of(r.u8("decision")), r.string("check"), r.u64("epoch"), r.fixed(32, "monitorKey"),
                    r.i64("issuedAt"));
            r.finish();
            return verdict;
        } catch (IllegalArgumentException e) {
            throw new FormatException("verdict: " + e.getMessage());
        }
    }
}
