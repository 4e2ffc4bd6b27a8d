package org.emrsb.core.governance;

import static org.emrsb.core.governance.Alliance.DAY;
import static org.emrsb.core.governance.Alliance.NOW;
import static org.emrsb.core.governance.Alliance.key;
import static org.emrsb.core.governance.Alliance.vote;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.emrsb.core.crypto.MemberKeys;
import org.emrsb.core.format.EnrolmentCertificate;
import org.emrsb.core.format.FormatException;
import org.junit.jupiter.api.Test;

class ElectionTest {

    private final Alliance a = new Alliance();
    private final MemberDirectory members = a.directory();

    private MemberKeys v(int i) {
        return a.voters.get(i);
    }

    private MemberKeys d(int i) {
        return a.d.get(i);
    }

    private static DelegateStatus status(GovernanceEpoch epoch, MemberKeys m) {
        return epoch.status(key(m)).orElse(null);
    }

    private static long approvals(GovernanceEpoch epoch, MemberKeys m) {
        return epoch.delegates().stream().filter(e -> Arrays.equals(e.key(), key(m))).findFirst()
                .orElseThrow().approvals();
    }

    /** d(2) gets 3 approvals, d(1) 2, d(0) 1: ranks by approvals against key order. */
    private Election tallied(int n) {
        Election election = a.election(n);
        election.apply(vote(v(0), NOW, d(2), d(1), d(0)), members, NOW);
        election.apply(vote(v(1), NOW, d(2), d(1)), members, NOW);
        election.apply(vote(v(2), NOW, d(2)), members, NOW);
        return election;
    }

    @Test
    void theTopNByApprovalsAreActiveAndTheOthersStandby() {
        MemberKeys[] byRank = {d(2), d(1), d(0)};
        for (int n = 1; n <= 3; n++) {
            Election election = tallied(n);
            GovernanceEpoch epoch = election.current().orElseThrow();
            for (int rank = 0; rank < 3; rank++) {
                assertEquals(rank < n ? DelegateStatus.ACTIVE : DelegateStatus.STANDBY, status(epoch, byRank[rank]),
                        "N=" + n + " rank " + rank);
                assertEquals(3 - rank, election.approvals(key(byRank[rank])));
            }
            assertEquals(3, epoch.delegates().size());
            assertEquals(Optional.empty(), epoch.status(key(d(3))), "an unapproved candidate is not listed");
        }
        // N=1: every vote changed a status, so the last epoch carries the final counts
        assertEquals(List.of(3L, 2L, 1L),
                tallied(1).current().orElseThrow().delegates().stream().map(DelegateEntry::approvals).toList());
        // N=3: all three were ACTIVE after the first vote; later counts alone made no epoch
        assertEquals(1, tallied(3).current().orElseThrow().epoch());
        GovernanceEpoch four = tallied(4).current().orElseThrow();
        assertEquals(3, four.activeKeys().size(), "fewer approved candidates than N: all ACTIVE");
    }

    @Test
    void aNewElectionOfAnAllianceWithEpochsNumbersAfterTheLastOne() {
        Election election = a.election(1);
        election.continueAfter(7);
        election.continueAfter(3); // never backwards
        election.apply(vote(v(0), NOW, d(2)), members, NOW);
        assertEquals(8, election.current().orElseThrow().epoch());
        election.continueAfter(20); // no effect once it has an epoch of its own
        election.apply(vote(v(1), NOW, d(1)), members, NOW);
        election.apply(vote(v(2), NOW, d(1)), members, NOW);
        assertEquals(9, election.current().orElseThrow().epoch());
    }

    @Test
    void tiesGoToTheSmallerKeyInUnsignedByteOrder() {
        Election election = a.election(1);
        election.apply(vote(v(0), NOW, d(3)), members, NOW);
        GovernanceEpoch epoch = election.apply(vote(v(1), NOW, d(1)), members, NOW).orElseThrow();
        assertTrue(Arrays.compareUnsigned(key(d(1)), key(d(3))) < 0);
        assertEquals(DelegateStatus.ACTIVE, status(epoch, d(1)));
        assertEquals(DelegateStatus.STANDBY, status(epoch, d(3)));
        // a third approval for d(3) overtakes
        epoch = election.apply(vote(v(2), NOW, d(3)), members, NOW).orElseThrow();
        assertEquals(DelegateStatus.ACTIVE, status(epoch, d(3)));
        assertEquals(DelegateStatus.STANDBY, status(epoch, d(1)));
    }

    @Test
    void aLaterVoteReplacesAndOlderOrEqualOnesAreIgnored() {
        Election election = a.election(2);
        GovernanceEpoch first = election.apply(vote(v(0), NOW, d(0)), members, NOW).orElseThrow();
        assertEquals(1, first.epoch());
        GovernanceEpoch second = election.apply(vote(v(0), NOW + 1, d(1)), members, NOW + 1).orElseThrow();
        assertEquals(2, second.epoch());
        assertEquals(Optional.empty(), second.status(key(d(0))), "the replaced vote no longer counts");
        assertEquals(DelegateStatus.ACTIVE, status(second, d(1)));
        byte[] before = election.snapshot();
        assertEquals(Optional.empty(), election.apply(vote(v(0), NOW, d(0), d(2)), members, NOW + 2));
        assertEquals(Optional.empty(), election.apply(vote(v(0), NOW + 1, d(2)), members, NOW + 2));
        assertArrayEquals(before, election.snapshot(), "stale votes change nothing");
        assertEquals(1, election.approvals(key(d(1))));
        assertEquals(0, election.approvals(key(d(2))));
    }

    @Test
    void votesOfTheUnenrolledForgedRevokedOrFutureAreIgnored() {
        Election election = a.election(3);
        // not enrolled
        assertEquals(Optional.empty(), election.apply(vote(a.outsider, NOW, d(0)), members, NOW));
        // a signature by another key
        SignedVote honest = vote(v(0), NOW, d(0));
        SignedVote forged = SignedVote.issue(v(1).signingKey(), honest.vote());
        assertEquals(Optional.empty(), election.apply(forged, members, NOW));
        byte[] flipped = honest.toBytes();
        flipped[flipped.length - 10] ^= 4;
        assertEquals(Optional.empty(), election.apply(SignedVote.parse(flipped), members, NOW));
        // revoked by a later certificate
        a.enrol(v(1), EnrolmentCertificate.Status.REVOKED, NOW - 10);
        assertEquals(Optional.empty(), election.apply(vote(v(1), NOW, d(0)), members, NOW));
        // a certificate not issued by the authority
        a.put(v(2), a.certificate(v(2), EnrolmentCertificate.Status.ACTIVE, NOW - DAY, NOW - DAY, NOW + DAY, a.forger));
        assertEquals(Optional.empty(), election.apply(vote(v(2), NOW, d(0)), members, NOW));
        // another member's certificate filed under the voter's key
        a.enrolled.put(org.emrsb.core.crypto.Hex.encode(key(a.outsider)), a.enrolled.get(
                org.emrsb.core.crypto.Hex.encode(key(v(3)))));
        assertEquals(Optional.empty(), election.apply(vote(a.outsider, NOW, d(0)), members, NOW));
        // cast while not yet enrolled (validFrom is NOW - DAY)
        assertEquals(Optional.empty(), election.apply(vote(v(3), NOW - 2 * DAY, d(0)), members, NOW));
        // cast more than five minutes after now
        assertEquals(Optional.empty(), election.apply(vote(v(3), NOW + 300_001, d(0)), members, NOW));
        assertEquals(Optional.empty(), election.current());
        assertEquals(0, election.approvals(key(d(0))));
        // exactly five minutes ahead is accepted
        assertEquals(1, election.apply(vote(v(3), NOW + 300_000, d(0)), members, NOW).orElseThrow().epoch());
    }

    @Test
    void aRevocationWithdrawsAnEarlierVoteOnTheNextTally() {
        Election election = a.election(1);
        election.apply(vote(v(0), NOW, d(0)), members, NOW);
        election.apply(vote(v(1), NOW, d(0)), members, NOW);
        election.apply(vote(v(2), NOW, d(1)), members, NOW);
        assertEquals(DelegateStatus.ACTIVE, status(election.current().orElseThrow(), d(0)));
        a.enrol(v(0), EnrolmentCertificate.Status.REVOKED, NOW + 5);
        assertEquals(Optional.empty(), election.retally(members, NOW + 10), "2:1 to 1:1, d(0) still wins the tie");
        a.enrol(v(1), EnrolmentCertificate.Status.REVOKED, NOW + 5);
        GovernanceEpoch epoch = election.retally(members, NOW + 10).orElseThrow();
        assertEquals(Optional.empty(), epoch.status(key(d(0))));
        assertEquals(DelegateStatus.ACTIVE, status(epoch, d(1)));
        assertEquals("retally", epoch.cause());
    }

    @Test
    void onlyEnrolledDelegatesValidNowAreCandidates() {
        Election election = a.election(3);
        // d(4) is enrolled as DELEGATE but only until NOW + 100
        a.put(d(4), a.certificate(d(4), EnrolmentCertificate.Status.ACTIVE, NOW - DAY, NOW - DAY, NOW + 100,
                a.authority));
        GovernanceEpoch epoch = election.apply(vote(v(0), NOW, a.doctorCandidate, a.outsider, d(0), d(4)), members,
                NOW).orElseThrow();
        assertEquals(2, epoch.delegates().size());
        assertEquals(Optional.empty(), epoch.status(key(a.doctorCandidate)), "a doctor is not a delegate");
        assertEquals(Optional.empty(), epoch.status(key(a.outsider)), "not enrolled");
        assertEquals(DelegateStatus.ACTIVE, status(epoch, d(4)));
        epoch = election.retally(members, NOW + 100).orElseThrow();
        assertEquals(Optional.empty(), epoch.status(key(d(4))), "certificate expired at now");
        assertEquals(1, epoch.delegates().size());
    }

    @Test
    void anEvictionIsPermanentAndPromotesTheBestStandby() {
        Election election = tallied(2);
        GovernanceEpoch before = election.current().orElseThrow();
        GovernanceEpoch epoch = election.evict(key(d(2)), "evidence:abc", NOW + 1).orElseThrow();
        assertEquals(before.epoch() + 1, epoch.epoch());
        assertEquals(NOW + 1, epoch.effectiveAt());
        assertEquals(DelegateStatus.EVICTED, status(epoch, d(2)));
        assertEquals(3, approvals(epoch, d(2)), "evicted with its last approvals");
        assertEquals(DelegateStatus.ACTIVE, status(epoch, d(1)));
        assertEquals(DelegateStatus.ACTIVE, status(epoch, d(0)), "the STANDBY moves up");
        assertTrue(epoch.cause().contains("evidence:abc"));
        assertEquals(Optional.empty(), election.evict(key(d(2)), "evidence:again", NOW + 2), "evicted once");
        // new votes for the evicted key do not bring it back, nor change its approvals
        election.apply(vote(v(3), NOW + 3, d(2)), members, NOW + 3);
        election.apply(vote(v(4), NOW + 3, d(2), d(3)), members, NOW + 3);
        GovernanceEpoch later = election.current().orElseThrow();
        assertEquals(DelegateStatus.EVICTED, status(later, d(2)));
        assertEquals(3, approvals(later, d(2)));
        assertFalse(later.isActive(key(d(2))));
        // an unknown key can be evicted too, with no approvals
        GovernanceEpoch unknown = election.evict(key(d(4)), "evidence:x", NOW + 4).orElseThrow();
        assertEquals(0, approvals(unknown, d(4)));
        assertThrows(IllegalArgumentException.class, () -> election.evict(new byte[31], "x", NOW));
    }

    @Test
    void approvalCountsAloneDoNotMakeAnEpoch() {
        Election election = a.election(2);
        GovernanceEpoch first = election.apply(vote(v(0), NOW, d(0)), members, NOW).orElseThrow();
        assertEquals(1, first.epoch());
        assertEquals(NOW, first.effectiveAt());
        assertEquals(Optional.empty(), election.apply(vote(v(1), NOW, d(0)), members, NOW + 1));
        assertEquals(Optional.empty(), election.retally(members, NOW + 2));
        assertEquals(first, election.current().orElseThrow());
        assertEquals(2, election.approvals(key(d(0))));
        GovernanceEpoch second = election.apply(vote(v(2), NOW, d(1)), members, NOW + 3).orElseThrow();
        assertEquals(2, second.epoch());
        assertEquals(2, approvals(second, d(0)));
    }

    /** A mixed sequence of votes (some ignored), a revocation and evictions, as functions of an election. */
    private List<Function<Election, Optional<GovernanceEpoch>>> script() {
        List<Function<Election, Optional<GovernanceEpoch>>> steps = new ArrayList<>();
        long t = NOW;
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < a.voters.size(); i++) {
                MemberKeys voter = v(i);
                MemberKeys[] choice = {d((i + round) % 5), d((i * 2 + round) % 5 == (i + round) % 5 ? 4 : (i * 2 + round) % 5)};
                long castAt = t + round * 1000 + i;
                long now = castAt + 5;
                steps.add(e -> e.apply(vote(voter, castAt, choice), members, now));
                steps.add(e -> e.apply(vote(voter, castAt - 1, d(0)), members, now)); // stale
            }
            long now = t + round * 1000 + 500;
            if (round == 1) {
                steps.add(e -> e.evict(key(d(1)), "evidence:round1", now));
            }
        }
        steps.add(e -> {
            a.enrol(v(5), EnrolmentCertificate.Status.REVOKED, NOW + 1);
            return e.retally(members, NOW + 5000);
        });
        steps.add(e -> e.apply(vote(v(0), NOW + 6000, d(3)), members, NOW + 6000));
        steps.add(e -> e.evict(key(d(3)), "evidence:end", NOW + 7000));
        return steps;
    }

    private static List<byte[]> run(Election election, List<Function<Election, Optional<GovernanceEpoch>>> steps) {
        List<byte[]> epochs = new ArrayList<>();
        for (Function<Election, Optional<GovernanceEpoch>> step : steps) {
            step.apply(election).ifPresent(epoch -> epochs.add(epoch.toBytes()));
        }
        return epochs;
    }

    private void reset() {
        a.enrol(v(5), EnrolmentCertificate.Status.ACTIVE, NOW - DAY);
    }

    @Test
    void replayingTheSameInputsGivesTheSameEpochs() {
        List<byte[]> first = run(a.election(2), script());
        reset();
        List<byte[]> second = run(a.election(2), script());
        assertTrue(first.size() >= 4, "the script changes statuses several times: " + first.size());
        assertEquals(first.size(), second.size());
        for (int i = 0; i < first.size(); i++) {
            assertArrayEquals(first.get(i), second.get(i), "epoch " + (i + 1));
            assertEquals(i + 1, GovernanceEpoch.parse(first.get(i)).epoch(), "numbered consecutively from 1");
        }
    }

    @Test
    void aSnapshotRestoredMidSequenceGivesTheSameLaterEpochs() {
        List<Function<Election, Optional<GovernanceEpoch>>> steps = script();
        int half = steps.size() / 2;
        Election original = a.election(2);
        run(original, steps.subList(0, half));
        byte[] snapshot = original.snapshot();
        Election restored = a.election(2);
        restored.restore(snapshot);
        assertArrayEquals(snapshot, restored.snapshot());
        assertEquals(original.current(), restored.current());
        List<byte[]> later = run(original, steps.subList(half, steps.size()));
        reset();
        List<byte[]> laterRestored = run(restored, steps.subList(half, steps.size()));
        assertFalse(later.isEmpty());
        assertEquals(later.size(), laterRestored.size());
        for (int i = 0; i < later.size(); i++) {
            assertArrayEquals(later.get(i), laterRestored.get(i));
        }
        assertArrayEquals(original.snapshot(), restored.snapshot());
    }

    @Test
    void snapshotsAreStrictAndBoundToTheConfiguration() {
        Election election = tallied(2);
        election.evict(key(d(0)), "evidence:e", NOW + 1);
        byte[] snapshot = election.snapshot();
        assertThrows(FormatException.class, () -> a.election(3).restore(snapshot));
        assertThrows(FormatException.class, () -> new Election(2, a.forger.verifyingKey()).restore(snapshot));
        assertThrows(FormatException.class, () -> a.election(2).restore(Arrays.copyOf(snapshot, snapshot.length + 1)));
        Election empty = a.election(2);
        byte[] emptySnapshot = empty.snapshot();
        Election target = a.election(2);
        target.restore(emptySnapshot);
        assertEquals(Optional.empty(), target.current());
        for (int bit = 0; bit < snapshot.length * 8; bit++) {
            byte[] flipped = snapshot.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            Election other = a.election(2);
            try {
                other.restore(flipped);
            } catch (FormatException | IllegalArgumentException refused) {
                assertArrayEquals(emptySnapshot, other.snapshot(), "a refused restore leaves the state alone");
                continue;
            }
            assertArrayEquals(flipped, other.snapshot(), "bit " + bit);
        }
    }
}
