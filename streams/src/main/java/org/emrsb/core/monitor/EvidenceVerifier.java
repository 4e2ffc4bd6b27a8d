package org.emrsb.core.monitor;

import static org.emrsb.core.monitor.CheckNames.BLOCK_FORMAT;
import static org.emrsb.core.monitor.CheckNames.TRANSACTION_FORMAT;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.emrsb.core.crypto.Role;
import org.emrsb.core.crypto.Signatures;
import org.emrsb.core.crypto.VerifyingKey;
import org.emrsb.core.format.BlockHeader;
import org.emrsb.core.format.EnrolmentCertificate;
import org.emrsb.core.format.FormatException;
import org.emrsb.core.format.Tags;
import org.emrsb.core.format.Verdict.SubjectKind;
import org.emrsb.core.format.Violation;
import org.emrsb.core.governance.MemberDirectory;
import org.emrsb.core.governance.SignedCertificate;

/**
 * Re-checks a monitor's evidence against a delegate, as the governance processor or any auditor does
 * before an eviction (docs/monitoring.md, "Evidence"). Evidence is proven when
 * <ol>
 * <li>the monitor's signature verifies and the monitor was enrolled as a monitor at issuedAt;</li>
 * <li>the named check is one whose failure is decidable from the signed bytes and the governance
 *     epochs ({@link TransactionChecks#EVIDENCE}, {@link BlockChecks#EVIDENCE});</li>
 * <li>the delegate's signature verifies over the bytes with the named key, and the bytes carry the
 *     tag of the structure the violation says they are;</li>
 * <li>the bytes parse, on the named chain and naming that delegate key, unless the check is the
 *     format check itself, which requires that they do not parse;</li>
 * <li>the named check fails on them.</li>
 * </ol>
 * A {@code delegate-active} check on an epoch this verifier does not know yet is pending, not refuted.
 * Thread-safe if the lookups are.
 */
public final class EvidenceVerifier {

    /** The verdict on one piece of evidence. */
    public sealed interface Result {
    }

    /** The delegate signed bytes that fail the named check: grounds for eviction. */
    public record Proven(Violation violation) implements Result {
    }

    /** Not evidence against the delegate, and why. */
    public record Refuted(String reason) implements Result {
    }

    /** Undecidable until the named epoch is known; verify again later. */
    public record Pending(String reason) implements Result {
    }

    private final EpochLookup epochs;
    private final MemberDirectory members;
    private final TransactionChecks transactionChecks;

    public EvidenceVerifier(EpochLookup epochs, MemberDirectory members) {
        this.epochs = Objects.requireNonNull(epochs, "epochs");
        this.members = Objects.requireNonNull(members, "members");
        this.transactionChecks = new TransactionChecks(epochs, members);
    }

    /** Verifies {@code evidence} by the steps on the class. */
    public Result verify(SignedViolation evidence) {
        Violation v = evidence.violation();
        Optional<Result> refused = reporter(evidence).or(() -> admissible(v)).or(() -> signedByDelegate(v));
        if (refused.isPresent()) {
            return refused.get();
        }
        return v.kind() == SubjectKind.TRANSACTION ? transactionFails(v) : blockFails(v);
    }

    private Optional<Result> reporter(SignedViolation evidence) {
        if (!evidence.verifies()) {
            return refuted("the monitor's signature does not verify over the violation");
        }
        Violation v = evidence.violation();
        Optional<EnrolmentCertificate> certificate = members.certificate(v.monitorKey()).map(SignedCertificate::certificate);
        if (certificate.isEmpty() || certificate.get().role() != Role.MONITOR || !certificate.get().validAt(v.issuedAt())) {
            return refuted("the reporter is not enrolled as a monitor at issuedAt " + v.issuedAt());
        }
        return Optional.empty();
    }

    private static Optional<Result> admissible(Violation v) {
        List<String> evidence = v.kind() == SubjectKind.TRANSACTION ? TransactionChecks.EVIDENCE : BlockChecks.EVIDENCE;
        if (!evidence.contains(v.check())) {
            return refuted("'" + v.check() + "' on a " + v.kind() + " is not evidence from the signed bytes alone;"
                    + " evidence checks are " + evidence);
        }
        return Optional.empty();
    }

    private static Optional<Result> signedByDelegate(Violation v) {
        boolean verifies;
        try {
            verifies = Signatures.verify(VerifyingKey.of(v.delegateKey()), v.signedBytes(), v.delegateSignature());
        } catch (IllegalArgumentException e) {
            verifies = false;
        }
        if (!verifies) {
            return refuted("the delegate's signature does not verify over the signed bytes: they are not its");
        }
        String tag = v.kind() == SubjectKind.TRANSACTION ? Tags.TRANSACTION : Tags.BLOCK_HEADER;
        if (!TaggedBytes.claim(v.signedBytes(), tag)) {
            return refuted("the signed bytes do not carry the tag " + tag + ": the delegate did not sign them as a "
                    + v.kind());
        }
        return Optional.empty();
    }

    private Result transactionFails(Violation v) {
        TransactionChecks.Parsed parsed;
        try {
            parsed = TransactionChecks.Parsed.of(v.signedBytes(), v.delegateSignature());
        } catch (FormatException | IllegalArgumentException e) {
            return TRANSACTION_FORMAT.equals(v.check()) ? new Proven(v)
                    : new Refuted("the bytes do not parse: the violation would be " + TRANSACTION_FORMAT);
        }
        if (TRANSACTION_FORMAT.equals(v.check())) {
            return new Refuted("the bytes parse as a transaction");
        }
        Optional<Result> mismatch = names(v, parsed.tx().chain(), parsed.tx().delegateKey());
        if (mismatch.isPresent()) {
            return mismatch.get();
        }
        return judge(v, transactionChecks.run(v.check(), parsed, null));
    }

    private Result blockFails(Violation v) {
        BlockHeader header;
        try {
            header = BlockHeader.parse(v.signedBytes());
        } catch (FormatException e) {
            return BLOCK_FORMAT.equals(v.check()) ? new Proven(v)
                    : new Refuted("the bytes do not parse: the violation would be " + BLOCK_FORMAT);
        }
        if (BLOCK_FORMAT.equals(v.check())) {
            return new Refuted("the bytes parse as a block header");
        }
        Optional<Result> mismatch = names(v, header.chain(), header.delegateKey());
        if (mismatch.isPresent()) {
            return mismatch.get();
        }
        // DELEGATE_ACTIVE is the only other block evidence check (BlockChecks.EVIDENCE)
        return judge(v, DelegateRules.active(epochs, header.epoch(), header.delegateKey()));
    }

    /** The violation must name the chain and delegate key the signed bytes name. */
    private static Optional<Result> names(Violation v, long chain, byte[] delegateKey) {
        if (chain != v.chain() || !Arrays.equals(delegateKey, v.delegateKey())) {
            return refuted("the violation names chain " + v.chain() + " and another delegate key than the signed bytes"
                    + " (chain " + chain + ")");
        }
        return Optional.empty();
    }

    private static Result judge(Violation v, Optional<CheckOutcome> outcome) {
        if (outcome.isEmpty()) {
            return new Refuted("the signed bytes pass '" + v.check() + "'");
        }
        if (outcome.get() instanceof CheckOutcome.Waiting waiting) {
            return new Pending(waiting.detail());
        }
        return new Proven(v);
    }

    private static Optional<Result> refuted(String reason) {
        return Optional.of(new Refuted(reason));
    }
}
