package org.emrsb.core.ledger;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.emrsb.core.crypto.Hex;
import org.emrsb.core.crypto.Role;
import org.emrsb.core.crypto.Signatures;
import org.emrsb.core.crypto.VerifyingKey;
import org.emrsb.core.crypto.VerifyingKeyCache;
import org.emrsb.core.format.EnrolmentCertificate;
import org.emrsb.core.format.FormatException;
import org.emrsb.core.format.MaskedRecord;
import org.emrsb.core.governance.MemberDirectory;
import org.emrsb.core.governance.SignedCertificate;

/**
 * The delegate's checks before it sequences an offloaded record (paper §4.3 step 2): the masked
 * record parses, has one CID per attachment, was signed by a gateway enrolled as such, and names a
 * submitter and a counterparty who are enrolled. Enrolments are judged at the record's
 * {@code maskedAt}, the time the gateway vouched for it; a revocation (a later certificate with status
 * REVOKED) refuses the member at every time. A record dated more than {@link #MAX_CLOCK_SKEW_MS} after
 * the delegate's clock is refused, so a gateway cannot date a record into a validity it does not have
 * yet. Membership lookups come before the signature check, the expensive step. Thread-safe if the
 * directory is.
 */
public final class Admission {

    /** How far a record's maskedAt may lie ahead of the delegate's clock. */
    public static final long MAX_CLOCK_SKEW_MS = 5 * 60_000L;

    /** Stable reason codes for emr.rejected. */
    public static final class Reasons {
        public static final String BAD_RECORD = "bad-record";
        public static final String BAD_SIGNATURE = "bad-gateway-signature";
        public static final String UNKNOWN_MEMBER = "unknown-member";
        public static final String MEMBER_NOT_VALID = "member-not-valid";
        public static final String ROLE_MISMATCH = "role-mismatch";
        public static final String FUTURE_RECORD = "future-record";
        public static final String IDENTIFIER_LEAK = "identifier-leak";
        public static final String BAD_CID = "bad-cid";

        private Reasons() {
        }
    }

    /** The outcome: admitted, with the parsed record, or refused with a reason code and a detail. */
    public sealed interface Outcome {
    }

    public record Admitted(MaskedRecord record) implements Outcome {
    }

    public record Refused(String reason, String detail) implements Outcome {
    }

    private final MemberDirectory members;
    private final VerifyingKeyCache keys = new VerifyingKeyCache(100_000);

    public Admission(MemberDirectory members) {
        this.members = Objects.requireNonNull(members, "members");
    }

    /**
     * Checks one record.
     *
     * @param maskedRecordBytes the canonical masked-record bytes the gateway signed
     * @param gatewaySignature  the gateway's signature over them
     * @param cids              the attachments' binary CIDs, in order
     * @param now               the delegate's clock, ms since the epoch
     */
    public Outcome check(byte[] maskedRecordBytes, byte[] gatewaySignature, List<byte[]> cids, long now) {
        MaskedRecord record;
        try {
            record = MaskedRecord.parse(maskedRecordBytes);
        } catch (FormatException | IllegalArgumentException e) {
            return new Refused(Reasons.BAD_RECORD, "the masked record does not parse: " + e.getMessage());
        }
        return check(record, maskedRecordBytes, gatewaySignature, cids, now);
    }

    /**
     * As {@link #check(byte[], byte[], List, long)} for a record the caller already holds parsed (or
     * built): {@code maskedRecordBytes} must be its canonical bytes, which the gateway signed.
     */
    public Outcome check(MaskedRecord record, byte[] maskedRecordBytes, byte[] gatewaySignature, List<byte[]> cids,
            long now) {
        if (record.attachments().size() != cids.size()) {
            return new Refused(Reasons.BAD_RECORD, record.attachments().size() + " attachments but " + cids.size()
                    + " CIDs: the record was not offloaded");
        }
        Optional<Refused> refusal = checkClock(record, now)
                .or(() -> checkParties(record))
                .or(() -> checkGatewaySignature(record, maskedRecordBytes, gatewaySignature))
                .or(() -> checkContent(record, cids));
        return refusal.isPresent() ? refusal.get() : new Admitted(record);
    }

    /**
     * What the monitors' {@code masked-content} and {@code cids} checks would reject, refused before
     * signing: a delegate that signed a gateway's leak or a CID naming other bytes would be evicted for
     * it (docs/monitoring.md), so an honest delegate dead-letters such a record instead.
     */
    public static Optional<Refused> checkContent(MaskedRecord record, List<byte[]> cids) {
        Optional<String> leak = org.emrsb.core.masking.MaskedContent.leak(record);
        if (leak.isPresent()) {
            return Optional.of(new Refused(Reasons.IDENTIFIER_LEAK, "the masked record still holds an identifier: "
                    + leak.get()));
        }
        return AttachmentCids.problem(record, cids).map(problem -> new Refused(Reasons.BAD_CID, problem));
    }

    /**
     * The clock rule alone: a record dated more than {@link #MAX_CLOCK_SKEW_MS} after {@code now} is
     * refused ({@link Reasons#FUTURE_RECORD}). Empty when the record passes.
     */
    public static Optional<Refused> checkClock(MaskedRecord record, long now) {
        if (record.maskedAt() > now + MAX_CLOCK_SKEW_MS) {
            return Optional.of(new Refused(Reasons.FUTURE_RECORD, "maskedAt " + record.maskedAt() + " is more than "
                    + MAX_CLOCK_SKEW_MS / 1000 + " s after the delegate's clock " + now));
        }
        return Optional.empty();
    }

    /**
     * The enrolment rules alone, at the record's maskedAt: the gateway enrolled as a gateway, then the
     * submitter and the counterparty enrolled as a doctor or a patient. Empty when all three pass.
     */
    public Optional<Refused> checkParties(MaskedRecord record) {
        return checkMember(record.gatewayKey(), "gateway", List.of(Role.GATEWAY), record.maskedAt())
                .or(() -> checkMember(record.submitterKey(), "submitter", List.of(Role.DOCTOR, Role.PATIENT),
                        record.maskedAt()))
                .or(() -> checkMember(record.counterpartyKey(), "counterparty", List.of(Role.DOCTOR, Role.PATIENT),
                        record.maskedAt()));
    }

    /**
     * The gateway signature alone: {@code gatewaySignature} verifies over {@code maskedRecordBytes} (the
     * canonical bytes of {@code record}) with the record's gatewayKey. Needs no directory lookup, so it
     * can be judged from the signed bytes alone. Empty when it verifies.
     */
    public Optional<Refused> checkGatewaySignature(MaskedRecord record, byte[] maskedRecordBytes,
            byte[] gatewaySignature) {
        VerifyingKey gateway;
        try {
            gateway = keys.get(record.gatewayKey());
        } catch (IllegalArgumentException e) {
            return Optional.of(new Refused(Reasons.BAD_SIGNATURE, "the gateway key is not a valid Ed25519 public key"));
        }
        if (gatewaySignature == null || gatewaySignature.length != Signatures.SIZE
                || !Signatures.verify(gateway, maskedRecordBytes, gatewaySignature)) {
            return Optional.of(new Refused(Reasons.BAD_SIGNATURE,
                    "the gateway signature does not verify over the masked record with " + gateway));
        }
        return Optional.empty();
    }

    private Optional<Refused> checkMember(byte[] key, String party, List<Role> roles, long at) {
        Optional<SignedCertificate> found = members.certificate(key);
        if (found.isEmpty()) {
            return Optional.of(new Refused(Reasons.UNKNOWN_MEMBER, "the " + party + " " + VerifyingKey.PREFIX
                    + Hex.encode(key) + " is not enrolled"));
        }
        EnrolmentCertificate certificate = found.get().certificate();
        if (!roles.contains(certificate.role())) {
            return Optional.of(new Refused(Reasons.ROLE_MISMATCH, "the " + party + " is enrolled as "
                    + certificate.role() + ", expected " + roles));
        }
        if (!certificate.validAt(at)) {
            return Optional.of(new Refused(Reasons.MEMBER_NOT_VALID, "the " + party
                    + "'s enrolment is revoked or was not valid at maskedAt " + at));
        }
        return Optional.empty();
    }
}
