package org.emrsb.core.monitor;

import java.util.Objects;
import org.emrsb.core.crypto.Signatures;
import org.emrsb.core.crypto.SigningKey;
import org.emrsb.core.format.Verdict;
import org.emrsb.core.format.Verdict.Decision;
import org.emrsb.core.format.Verdict.SubjectKind;

/** Issues a monitor's signed verdicts (the layout of docs/ledger-format.md 2.6). */
public final class Verdicts {

    private Verdicts() {
    }

    /**
     * Builds the verdict with the monitor's own key as monitorKey and signs its canonical bytes.
     *
     * @param subject the transaction id's 32 bytes or the block hash
     * @param check   the failing check's name for a rejection; empty for an acceptance
     * @param epoch   the governance epoch the monitor judged under
     * @throws IllegalArgumentException if the fields do not make a verdict (e.g. an acceptance with a
     *                                  check, a subject that is not 32 bytes)
     */
    public static SignedVerdict issue(SigningKey monitor, SubjectKind kind, byte[] subject, long chain,
            Decision decision, String check, long epoch, long issuedAt) {
        Objects.requireNonNull(monitor, "monitor");
        Verdict verdict = new Verdict(kind, subject, chain, decision, check, epoch, monitor.verifyingKey().bytes(),
                issuedAt);
        return new SignedVerdict(verdict, Signatures.sign(monitor, verdict.toBytes()));
    }

    /**
     * The verdict for a decided outcome: ACCEPT with no check, or REJECT with the failing check.
     *
     * @throws IllegalArgumentException for a {@link CheckOutcome.Waiting} outcome: nothing is decided yet
     */
    public static SignedVerdict of(SigningKey monitor, CheckOutcome outcome, SubjectKind kind, byte[] subject, long chain,
            long epoch, long issuedAt) {
        if (outcome instanceof CheckOutcome.Rejected r) {
            return issue(monitor, kind, subject, chain, Decision.REJECT, r.check(), epoch, issuedAt);
        }
        if (outcome instanceof CheckOutcome.Waiting w) {
            throw new IllegalArgumentException("no verdict while " + w.check() + " waits: " + w.detail());
        }
        return issue(monitor, kind, subject, chain, Decision.ACCEPT, "", epoch, issuedAt);
    }
}
