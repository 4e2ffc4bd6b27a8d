package org.emrsb.core.governance;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.emrsb.core.crypto.Hex;
import org.emrsb.core.crypto.MemberKeys;
import org.emrsb.core.crypto.Role;
import org.emrsb.core.format.EnrolmentCertificate;
import org.emrsb.core.format.Vote;

/** A test alliance: an authority, delegate candidates and voters with seeded keys, enrolled in a map. */
final class Alliance {

    static final long NOW = 1_795_000_000_000L;
    static final long DAY = 86_400_000L;

    final MemberKeys authority = keys(Role.AUTHORITY, 1);
    final MemberKeys forger = keys(Role.AUTHORITY, 2);
    /** Delegate candidates, sorted by key in ascending unsigned byte order (d.get(0) has the smallest key). */
    final List<MemberKeys> d;
    final List<MemberKeys> voters;
    final MemberKeys doctorCandidate = keys(Role.DOCTOR, 30);
    final MemberKeys outsider = keys(Role.PATIENT, 31);
    final Map<String, SignedCertificate> enrolled = new HashMap<>();

    Alliance() {
        MemberKeys[] delegates = new MemberKeys[5];
        for (int i = 0; i < delegates.length; i++) {
            delegates[i] = keys(Role.DELEGATE, 10 + i);
        }
        Arrays.sort(delegates, (a, b) -> Arrays.compareUnsigned(a.verifyingKey().bytes(), b.verifyingKey().bytes()));
        d = List.of(delegates);
        voters = List.of(keys(Role.PATIENT, 20), keys(Role.DOCTOR, 21), keys(Role.PATIENT, 22),
                keys(Role.GATEWAY, 23), keys(Role.MONITOR, 24), keys(Role.PATIENT, 25));
        d.forEach(m -> enrol(m, EnrolmentCertificate.Status.ACTIVE, NOW - DAY));
        voters.forEach(m -> enrol(m, EnrolmentCertificate.Status.ACTIVE, NOW - DAY));
        enrol(doctorCandidate, EnrolmentCertificate.Status.ACTIVE, NOW - DAY);
    }

    static MemberKeys keys(Role role, int seed) {
        try {
            SecureRandom random = SecureRandom.getInstance("SHA1PRNG");
            random.setSeed(seed);
            return MemberKeys.generate(role, random);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    Election election(int n) {
        return new Election(n, authority.verifyingKey());
    }

    SignedCertificate certificate(MemberKeys member, EnrolmentCertificate.Status status, long issuedAt,
            long validFrom, long validUntil, MemberKeys issuer) {
        EnrolmentCertificate certificate = new EnrolmentCertificate(member.verifyingKey().bytes(),
                member.encryptionPublicKey().bytes(), member.role(), "Test Hospital", validFrom, validUntil, status,
                issuedAt, issuer.verifyingKey().bytes());
        return SignedCertificate.issue(issuer.signingKey(), certificate);
    }

    void enrol(MemberKeys member, EnrolmentCertificate.Status status, long issuedAt) {
        put(member, certificate(member, status, issuedAt, NOW - DAY, NOW + 3650 * DAY, authority));
    }

    void put(MemberKeys member, SignedCertificate certificate) {
        enrolled.put(Hex.encode(member.verifyingKey().bytes()), certificate);
    }

    MemberDirectory directory() {
        return key -> Optional.ofNullable(enrolled.get(Hex.encode(key)));
    }

    static SignedVote vote(MemberKeys voter, long castAt, MemberKeys... candidates) {
        List<byte[]> keys = Arrays.stream(candidates).map(c -> c.verifyingKey().bytes()).toList();
        return SignedVote.issue(voter.signingKey(), new Vote(voter.verifyingKey().bytes(), keys, castAt));
    }

    static byte[] key(MemberKeys member) {
        return member.verifyingKey().bytes();
    }
}
