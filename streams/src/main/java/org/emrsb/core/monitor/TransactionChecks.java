package org.emrsb.core.monitor;

import static org.emrsb.core.monitor.CheckNames.CHAIN;
import static org.emrsb.core.monitor.CheckNames.CIDS;
import static org.emrsb.core.monitor.CheckNames.DELEGATE_ACTIVE;
import static org.emrsb.core.monitor.CheckNames.DELEGATE_SIGNATURE;
import static org.emrsb.core.monitor.CheckNames.ENROLMENT;
import static org.emrsb.core.monitor.CheckNames.GATEWAY_SIGNATURE;
import static org.emrsb.core.monitor.CheckNames.MASKED_AT;
import static org.emrsb.core.monitor.CheckNames.MASKED_CONTENT;
import static org.emrsb.core.monitor.CheckNames.SEQUENCE;
import static org.emrsb.core.monitor.CheckNames.TRANSACTION_FORMAT;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.emrsb.core.crypto.VerifyingKeyCache;
import org.emrsb.core.format.FormatException;
import org.emrsb.core.format.MaskedRecord;
import org.emrsb.core.format.Tags;
import org.emrsb.core.format.Transaction;
import org.emrsb.core.governance.MemberDirectory;
import org.emrsb.core.ledger.Admission;
import org.emrsb.core.ledger.AttachmentCids;
import org.emrsb.core.ledger.SignedTransaction;
import org.emrsb.core.masking.MaskedContent;

/**
 * A monitor's checks of one delegate-signed transaction (docs/monitoring.md), run in {@link #ORDER};
 * the outcome is the first failure, or acceptance. The order puts the checks that need only the signed
 * bytes and the immutable epochs before those that need the members directory (which changes) and the
 * chain's state, so that a rejection names, where there is one, a failure that is evidence.
 *
 * <p>{@code delegate-active} waits instead of failing when the transaction's epoch is not known yet;
 * nothing after it runs, so the caller keeps the transaction and checks it again when the epoch comes.
 *
 * <p>Nothing here changes the {@link ChainWatch}: on acceptance the caller records the transaction
 * ({@link ChainWatch#recordAccepted}), on rejection its sequence ({@link ChainWatch#recordVoid}).
 * Thread-safe if the lookups are.
 */
public final class TransactionChecks {

    /** The checks, in the order they run. */
    public static final List<String> ORDER = List.of(TRANSACTION_FORMAT, DELEGATE_SIGNATURE, DELEGATE_ACTIVE, MASKED_AT,
            ENROLMENT, GATEWAY_SIGNATURE, MASKED_CONTENT, CIDS, CHAIN, SEQUENCE);

    /**
     * The checks whose failure on bytes the delegate validly signed is evidence against it, decidable by
     * anyone from those bytes and the governance epochs ({@link EvidenceVerifier}); in {@link #ORDER}.
     */
    public static final List<String> EVIDENCE = List.of(TRANSACTION_FORMAT, DELEGATE_ACTIVE, MASKED_AT,
            GATEWAY_SIGNATURE, MASKED_CONTENT, CIDS);

    private final EpochLookup epochs;
    private final Admission admission;
    private final VerifyingKeyCache keys = new VerifyingKeyCache(4096);

    public TransactionChecks(EpochLookup epochs, MemberDirectory members) {
        this.epochs = Objects.requireNonNull(epochs, "epochs");
        this.admission = new Admission(Objects.requireNonNull(members, "members"));
    }

    /** A transaction taken apart from its bytes: what the checks after the first one look at. */
    record Parsed(byte[] bytes, byte[] signature, Transaction tx, MaskedRecord record) {

        /** @throws FormatException or IllegalArgumentException if the bytes are not a transaction */
        static Parsed of(byte[] bytes, byte[] signature) {
            Transaction tx = Transaction.parse(bytes);
            return new Parsed(bytes, signature, tx, tx.masked());
        }
    }

    /** Runs every check in {@link #ORDER} against the chain's watch; the first failure or waiting wins. */
    public CheckOutcome check(SignedTransaction signed, ChainWatch watch) {
        Objects.requireNonNull(watch, "watch");
        Parsed parsed;
        try {
            parsed = Parsed.of(signed.bytes(), signed.signature());
        } catch (FormatException | IllegalArgumentException e) {
            return CheckOutcome.reject(TRANSACTION_FORMAT, "the bytes are not a canonical transaction: " + e.getMessage());
        }
        if (!sameStructure(signed)) {
            return CheckOutcome.reject(TRANSACTION_FORMAT, "the transaction's fields are not the ones of its bytes");
        }
        for (String check : ORDER.subList(1, ORDER.size())) {
            Optional<CheckOutcome> failure = run(check, parsed, watch);
            if (failure.isPresent()) {
                return failure.get();
            }
        }
        return CheckOutcome.ACCEPTED;
    }

    /**
     * The first of the {@link #EVIDENCE} checks that the transaction's bytes fail, provided the
     * delegate's signature over them verifies with the key they name (for bytes that do not parse:
     * with {@code signed.tx().delegateKey()}, and only if they carry the transaction tag). This is what
     * a monitor reports as a violation; empty when the fault cannot be pinned on the delegate.
     */
    public Optional<CheckOutcome.Rejected> attributableFailure(SignedTransaction signed) {
        Parsed parsed;
        try {
            parsed = Parsed.of(signed.bytes(), signed.signature());
        } catch (FormatException | IllegalArgumentException e) {
            boolean signedByDelegate = TaggedBytes.claim(signed.bytes(), Tags.TRANSACTION)
                    && DelegateRules.signature(keys, signed.bytes(), signed.signature(), signed.tx().delegateKey()).isEmpty();
            return signedByDelegate ? Optional.of(new CheckOutcome.Rejected(TRANSACTION_FORMAT, e.getMessage()))
                    : Optional.empty();
        }
        if (DelegateRules.signature(keys, parsed.bytes(), parsed.signature(), parsed.tx().delegateKey()).isPresent()) {
            return Optional.empty();
        }
        for (String check : EVIDENCE.subList(1, EVIDENCE.size())) {
            Optional<CheckOutcome> failure = run(check, parsed, null);
            if (failure.isPresent() && failure.get() instanceof CheckOutcome.Rejected rejected) {
                return Optional.of(rejected);
            }
        }
        return Optional.empty();
    }

    /**
     * Runs one check after the format check. {@code watch} may be null for the checks in
     * {@link #EVIDENCE}, which do not read it.
     */
    Optional<CheckOutcome> run(String check, Parsed p, ChainWatch watch) {
        Transaction tx = p.tx();
        return switch (check) {
            case DELEGATE_SIGNATURE -> DelegateRules.signature(keys, p.bytes(), p.signature(), tx.delegateKey());
            case DELEGATE_ACTIVE -> DelegateRules.active(epochs, tx.epoch(), tx.delegateKey());
            case MASKED_AT -> Admission.checkClock(p.record(), tx.signedAt())
                    .map(refused -> CheckOutcome.reject(MASKED_AT, refused.detail()));
            case ENROLMENT -> admission.checkParties(p.record())
                    .map(refused -> CheckOutcome.reject(ENROLMENT, refused.reason() + ": " + refused.detail()));
            case GATEWAY_SIGNATURE -> admission.checkGatewaySignature(p.record(), tx.maskedRecord(), tx.gatewaySignature())
                    .map(refused -> CheckOutcome.reject(GATEWAY_SIGNATURE, refused.detail()));
            case MASKED_CONTENT -> MaskedContent.leak(p.record()).map(leak -> CheckOutcome.reject(MASKED_CONTENT, leak));
            case CIDS -> AttachmentCids.problem(p.record(), tx.attachmentCids())
                    .map(problem -> CheckOutcome.reject(CIDS, problem));
            case CHAIN -> chain(tx, watch);
            case SEQUENCE -> sequence(tx, watch);
            default -> throw new IllegalArgumentException("no transaction check named " + check);
        };
    }

    private static Optional<CheckOutcome> chain(Transaction tx, ChainWatch watch) {
        if (tx.chain() != watch.chain()) {
            return Optional.of(CheckOutcome.reject(CHAIN, "the transaction names chain " + tx.chain()
                    + " but was read from chain " + watch.chain()));
        }
        return Optional.empty();
    }

    /** Contiguity: voids and earlier transactions have moved the watch's next sequence along. */
    private static Optional<CheckOutcome> sequence(Transaction tx, ChainWatch watch) {
        long expected = watch.nextSequence();
        if (tx.sequence() < expected) {
            return Optional.of(CheckOutcome.reject(SEQUENCE, "sequence " + tx.sequence()
                    + " was already passed (next is " + expected + "): a repeat or a reordering"));
        }
        if (tx.sequence() > expected) {
            return Optional.of(CheckOutcome.reject(SEQUENCE, "sequences " + expected + ".." + (tx.sequence() - 1)
                    + " are missing and were not declared void"));
        }
        return Optional.empty();
    }

    /** Whether {@code signed.tx()}, which the watch records, is exactly what the bytes say. */
    private static boolean sameStructure(SignedTransaction signed) {
        try {
            return Arrays.equals(signed.tx().toBytes(), signed.bytes());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
