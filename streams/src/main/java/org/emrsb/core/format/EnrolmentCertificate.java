package org.emrsb.core.format;

import org.emrsb.core.crypto.Role;

/**
 * An enrolment certificate, signed by the alliance's enrolment authority. For a member key, the
 * certificate with the greatest {@code issuedAt} is in force; a revocation is a later certificate with
 * status {@link Status#REVOKED}. A certificate is valid at time t when it is in force, ACTIVE and
 * {@code validFrom <= t < validUntil}.
 *
 * @param memberKey     the member's Ed25519 public key
 * @param encryptionKey the member's X25519 public key (attachment keys are wrapped to it)
 * @param issuerKey     the enrolment authority's Ed25519 public key
 */
public record EnrolmentCertificate(byte[] memberKey, byte[] encryptionKey, Role role, String institution,
        long validFrom, long validUntil, Status status, long issuedAt, byte[] issuerKey) {

    /** Whether the certificate enrols or revokes. Codes are part of the layout. */
    public enum Status {
        ACTIVE(1), REVOKED(2);

        final int code;

        Status(int code) {
            this.code = code;
        }

        static Status of(int code) {
            for (Status s : values()) {
                if (s.code == code) {
                    return s;
                }
            }
            throw new FormatException("certificate: unknown status " + code);
        }
    }

    public EnrolmentCertificate {
        if (role == null || status == null || institution == null) {
            throw new IllegalArgumentException("role, status and institution are required");
        }
        if (validUntil <= validFrom) {
            throw new IllegalArgumentException("validity ends before it starts");
        }
    }

    /** Role codes of the layout: the order of docs/ledger-format.md, from 1. */
    static int roleCode(Role role) {
        return switch (role) {
            case PATIENT -> 1;
            case DOCTOR -> 2;
            case GATEWAY -> 3;
            case DELEGATE -> 4;
            case MONITOR -> 5;
            case AUTHORITY -> 6;
        };
    }

    static Role role(int code) {
        for (Role role : Role.values()) {
            if (roleCode(role) == code) {
                return role;
            }
        }
        throw new FormatException("certificate: unknown role code " + code);
    }

    public boolean validAt(long millis) {
        return status == Status.ACTIVE && validFrom <= millis && millis < validUntil;
    }

    public byte[] toBytes() {
        return new CanonicalWriter(Tags.CERTIFICATE, 192)
                .fixed(memberKey, 32, "memberKey").fixed(encryptionKey, 32, "encryptionKey").u8(roleCode(role))
                .string(institution, "institution").i64(validFrom).i64(validUntil).u8(status.code).i64(issuedAt)
                .fixed(issuerKey, 32, "issuerKey")
                .toByteArray();
    }

    public static EnrolmentCertificate parse(byte[] bytes) {
        CanonicalReader r = new CanonicalReader(bytes, Tags.CERTIFICATE, "certificate");
        try {
            EnrolmentCertificate certificate = new EnrolmentCertificate(r.fixed(32, "memberKey"),
                    r.fixed(32, "encryptionKey"), role(r.u8("role")), r.string("institution"), r.i64("validFrom"),
                    r.i64("validUntil"), Status.of(r.u8("status")), r.i64("issuedAt"), r.fixed(32, "issuerKey"));
            r.finish();
            return certificate;
        } catch (IllegalArgumentException e) {
            throw new FormatException("certificate: " + e.getMessage());
        }
    }
}
