package org.emrsb.core.governance;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.emrsb.core.crypto.Hex;
import org.emrsb.core.crypto.Role;
import org.emrsb.core.crypto.VerifyingKey;
import org.emrsb.core.format.CanonicalReader;
import org.emrsb.core.format.CanonicalWriter;
import org.emrsb.core.format.EnrolmentCertificate;
import org.emrsb.core.format.FormatException;

/**
 * The governance processor's state machine: approval votes and evictions in, governance epochs out.
 * Plain Java, single-threaded, deterministic: the same inputs (votes, evictions, the directory's answers
 * and {@code now}) in the same order give the same epochs, byte for byte. Nothing here reads a clock or a
 * random source.
 *
 * <h2>Rules</h2>
 * <ol>
 * <li><b>Accepting a vote</b> ({@link #apply}). A signed vote is accepted only if (a) its signature
 * verifies against its own voterKey; (b) the voter is enrolled: the directory's certificate in force for
 * the voterKey is for that key, was issued by the configured enrolment authority (issuerKey and
 * signature), and is valid at the vote's castAt (ACTIVE and {@code validFrom <= castAt < validUntil});
 * any role may vote (patients, doctors, gateways, delegates, monitors, the authority), one vote per member
 * key; (c) castAt is not after {@code now + 5 min} ({@link #MAX_FUTURE_MILLIS}); (d) the voter has no
 * stored vote with a castAt greater than or equal to this one. An accepted vote replaces the voter's
 * earlier vote; a refused one changes nothing and yields no epoch.</li>
 * <li><b>Counting</b>. After every accepted vote (and on {@link #retally}) the tally is recomputed from all
 * stored votes. A stored vote counts while its voter's certificate in force is still for that key, issued
 * by the authority and ACTIVE: a later revocation withdraws the vote (an expiry does not: the vote was
 * cast while enrolled). A candidate counts only if its certificate in force is for that key, issued by
 * the authority, of role DELEGATE and valid at {@code now}. A candidate's approvals are the number of
 * counted votes naming it.</li>
 * <li><b>Ranking</b>. Candidates with at least one approval that are not evicted are ranked by approvals,
 * more first, ties broken by the key in ascending unsigned byte order (the smaller key ranks higher).
 * The first N are ACTIVE, the others STANDBY. Evicted keys are EVICTED permanently, with the approvals they
 * had when evicted, whatever votes still name them; a key not approved by any counted vote is not
 * listed.</li>
 * <li><b>Eviction</b> ({@link #evict}). Evicts a key once (a repeated eviction is ignored); the freed
 * ACTIVE place goes to the best STANDBY candidate. An eviction always yields an epoch. Ranking after an
 * eviction uses the last tally (no directory is consulted).</li>
 * <li><b>Epochs</b>. A new epoch is produced only when the set of listed delegates or the status of
 * one of them changes; approval counts changing alone do not make an epoch (so the approvals in
 * {@link #current()} are those at its last status change). Epochs are numbered from 1, consecutively;
 * {@code effectiveAt} is the {@code now} of the input that caused it.</li>
 * </ol>
 *
 * <p>{@link #snapshot()} and {@link #restore(byte[])} carry the whole state (stored votes, last tally,
 * evictions, last epoch) for a state store; see {@link #snapshot()} for the layout.
 */
public final class Election {

    /** The default number of ACTIVE delegates. */
    public static final int DEFAULT_DELEGATES = 101;
    /** How far after {@code now} a vote's castAt may lie: 5 minutes. */
    public static final long MAX_FUTURE_MILLIS = 5 * 60_000L;
    /** The tag of the {@link #snapshot()} layout. */
    public static final String STATE_TAG = "emrsb:election-state:v1";

    private final int delegates;
    private final VerifyingKey authority;

    /** Stored votes by voter key. */
    private final TreeMap<byte[], SignedVote> votes = new TreeMap<>(Arrays::compareUnsigned);
    /** Approvals of counted candidates (at least one) at the last tally. */
    private TreeMap<byte[], Long> tally = new TreeMap<>(Arrays::compareUnsigned);
    /** Evicted keys with their approvals when evicted. */
    private final TreeMap<byte[], Long> evicted = new TreeMap<>(Arrays::compareUnsigned);
    private GovernanceEpoch last;
    /** The number the first epoch follows when there is no last epoch (0: this alliance has none yet). */
    private long numberedAfter;

    /** An election of the default {@value #DEFAULT_DELEGATES} delegates. */
    public Election(VerifyingKey authority) {
        this(DEFAULT_DELEGATES, authority);
    }

    /** An election of {@code delegates} ACTIVE delegates (at least 1) under the enrolment authority's key. */
    public Election(int delegates, VerifyingKey authority) {
        if (delegates < 1) {
            throw new IllegalArgumentException("at least one delegate: " + delegates);
        }
        this.delegates = delegates;
        this.authority = Objects.requireNonNull(authority, "authority");
    }

    public int delegates() {
        return delegates;
    }

    /** The latest epoch, if any was produced. */
    public Optional<GovernanceEpoch> current() {
        return Optional.ofNullable(last);
    }

    /** The approvals of {@code key} at the last tally (0 if not counted); for an evicted key, at eviction. */
    public long approvals(byte[] key) {
        Long evictedWith = evicted.get(key);
        return evictedWith != null ? evictedWith : tally.getOrDefault(key, 0L);
    }

    /**
     * Applies a signed vote by the rules of the class comment.
     *
     * @return the new epoch if the vote was accepted and changed some delegate's status
     */
    public Optional<GovernanceEpoch> apply(SignedVote signed, MemberDirectory members, long now) {
        Objects.requireNonNull(signed, "vote");
        Objects.requireNonNull(members, "members");
        if (!signed.verifies()) {
            return Optional.empty();
        }
        byte[] voter = signed.vote().voterKey();
        long castAt = signed.vote().castAt();
        if (castAt > now + MAX_FUTURE_MILLIS) {
            return Optional.empty();
        }
        Optional<EnrolmentCertificate> certificate = enrolled(members, voter);
        if (certificate.isEmpty() || !certificate.get().validAt(castAt)) {
            return Optional.empty();
        }
        SignedVote previous = votes.get(voter);
        if (previous != null && previous.vote().castAt() >= castAt) {
            return Optional.empty();
        }
        votes.put(voter, signed);
        return recount(members, now, "vote of ed25519:" + Hex.encode(voter) + " cast at " + castAt);
    }

    /**
     * Recomputes the tally without a new vote (for a revocation, or candidates' certificates expiring as
     * {@code now} moves on).
     *
     * @return the new epoch if some delegate's status changed
     */
    public Optional<GovernanceEpoch> retally(MemberDirectory members, long now) {
        Objects.requireNonNull(members, "members");
        return recount(members, now, "retally");
    }

    /**
     * Evicts {@code delegateKey} permanently, on evidence named by {@code evidenceRef} (checked by the
     * caller). A key already evicted is ignored.
     *
     * @return the new epoch, or empty if the key was already evicted
     */
    public Optional<GovernanceEpoch> evict(byte[] delegateKey, String evidenceRef, long now) {
        if (delegateKey == null || delegateKey.length != VerifyingKey.SIZE) {
            throw new IllegalArgumentException("a delegate key is " + VerifyingKey.SIZE + " bytes");
        }
        Objects.requireNonNull(evidenceRef, "evidenceRef");
        if (evicted.containsKey(delegateKey)) {
            return Optional.empty();
        }
        evicted.put(delegateKey.clone(), tally.getOrDefault(delegateKey, 0L));
        return decide(now, "eviction of ed25519:" + Hex.encode(delegateKey) + ": " + evidenceRef);
    }

    private Optional<GovernanceEpoch> recount(MemberDirectory members, long now, String cause) {
        Map<String, Boolean> candidateOk = new HashMap<>();
        TreeMap<byte[], Long> counted = new TreeMap<>(Arrays::compareUnsigned);
        for (SignedVote signed : votes.values()) {
            Optional<EnrolmentCertificate> voter = enrolled(members, signed.vote().voterKey());
            if (voter.isEmpty() || voter.get().status() != EnrolmentCertificate.Status.ACTIVE) {
                continue;
            }
            for (byte[] candidate : signed.vote().candidates()) {
                boolean ok = candidateOk.computeIfAbsent(Hex.encode(candidate), k -> enrolled(members, candidate)
                        .filter(c -> c.role() == Role.DELEGATE && c.validAt(now)).isPresent());
                if (ok) {
                    counted.merge(candidate, 1L, Long::sum);
                }
            }
        }
        tally = counted;
        return decide(now, cause);
    }

    /** The certificate in force for {@code key} if it is for that key and issued by the authority. */
    private Optional<EnrolmentCertificate> enrolled(MemberDirectory members, byte[] key) {
        return members.certificate(key)
                .filter(s -> MessageDigest.isEqual(s.certificate().memberKey(), key) && s.issuedBy(authority))
                .map(SignedCertificate::certificate);
    }

    /** Ranks the last tally, and makes an epoch if the listed delegates or a status changed. */
    private Optional<GovernanceEpoch> decide(long now, String cause) {
        List<DelegateEntry> ranked = new ArrayList<>();
        tally.forEach((key, approvals) -> {
            if (!evicted.containsKey(key)) {
                ranked.add(new DelegateEntry(key, DelegateStatus.STANDBY, approvals));
            }
        });
        ranked.sort(DelegateEntry.ORDER);
        List<DelegateEntry> entries = new ArrayList<>(ranked.size() + evicted.size());
        for (int i = 0; i < ranked.size(); i++) {
            DelegateEntry e = ranked.get(i);
            entries.add(i < delegates ? new DelegateEntry(e.key(), DelegateStatus.ACTIVE, e.approvals()) : e);
        }
        evicted.forEach((key, approvals) -> entries.add(new DelegateEntry(key, DelegateStatus.EVICTED, approvals)));
        if (statuses(entries).equals(statuses(last == null ? List.of() : last.delegates()))) {
            return Optional.empty();
        }
        last = new GovernanceEpoch(last == null ? numberedAfter + 1 : last.epoch() + 1, now, entries, cause);
        return Optional.of(last);
    }

    private static Map<String, DelegateStatus> statuses(List<DelegateEntry> entries) {
        Map<String, DelegateStatus> map = new HashMap<>();
        entries.forEach(e -> map.put(Hex.encode(e.key()), e.status()));
        return map;
    }

    /**
     * The whole state, canonically encoded (so equal states have equal snapshots). Layout, in the
     * conventions of docs/ledger-format.md section 1:
     * <pre>
     * tag        emrsb:election-state:v1
     * delegates  u32                    N, must match the restoring instance
     * authority  fixed[32]              must match the restoring instance
     * votes      list of bytes          signed votes (vote bytes || signature), ascending voterKey
     * tally      list of (fixed[32] key, u64 approvals), ascending key, approvals at least 1
     * evicted    list of (fixed[32] key, u64 approvals), ascending key
     * hasEpoch   u8                     0 or 1
     * epoch      bytes                  the last epoch's canonical bytes, present only if hasEpoch is 1
     * </pre>
     */
    public byte[] snapshot() {
        CanonicalWriter w = new CanonicalWriter(STATE_TAG, 256).u32(delegates).fixed(authority.bytes(), 32, "authority");
        w.u32(votes.size());
        votes.values().forEach(v -> w.bytes(v.toBytes(), "vote"));
        w.u32(tally.size());
        tally.forEach((k, n) -> w.fixed(k, 32, "tally key").u64(n));
        w.u32(evicted.size());
        evicted.forEach((k, n) -> w.fixed(k, 32, "evicted key").u64(n));
        w.u8(last == null ? 0 : 1);
        if (last != null) {
            w.bytes(last.toBytes(), "epoch");
        }
        return w.toByteArray();
    }

    /**
     * Replaces this instance's state with a {@link #snapshot()}'s, parsed strictly.
     *
     * @throws FormatException if the bytes are malformed, out of order, or were taken under another N or
     *                         authority; the state is then unchanged
     */
    /**
     * Numbers this election's first epoch after {@code epoch}: a governance processor that starts
     * without state (a new deployment of an alliance that already has epochs) must not write an epoch
     * number that is already taken. No effect once this election has an epoch of its own.
     */
    public void continueAfter(long epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("an epoch number is at least 0, was " + epoch);
        }
        numberedAfter = Math.max(numberedAfter, epoch);
    }

    public void restore(byte[] snapshot) {
        CanonicalReader r = new CanonicalReader(snapshot, STATE_TAG, "election state");
        long n = r.u32("delegates");
        byte[] authorityKey = r.fixed(32, "authority");
        if (n != delegates || !Arrays.equals(authorityKey, authority.bytes())) {
            throw r.invalid("configuration", "is N=" + n + " under ed25519:" + Hex.encode(authorityKey)
                    + ", this election has N=" + delegates + " under " + authority);
        }
        TreeMap<byte[], SignedVote> newVotes = new TreeMap<>(Arrays::compareUnsigned);
        int count = r.count("votes", 4);
        byte[] previous = null;
        for (int i = 0; i < count; i++) {
            SignedVote v = SignedVote.parse(r.bytes("vote " + i));
            byte[] voter = v.vote().voterKey();
            if (previous != null && Arrays.compareUnsigned(previous, voter) >= 0) {
                throw r.invalid("votes", "are not in strictly ascending voter order at " + i);
            }
            previous = voter;
            newVotes.put(voter, v);
        }
        TreeMap<byte[], Long> newTally = keyCounts(r, "tally", 1);
        TreeMap<byte[], Long> newEvicted = keyCounts(r, "evicted", 0);
        int hasEpoch = r.u8("hasEpoch");
        if (hasEpoch > 1) {
            throw r.invalid("hasEpoch", "is " + hasEpoch + ", expected 0 or 1");
        }
        GovernanceEpoch newLast = hasEpoch == 1 ? GovernanceEpoch.parse(r.bytes("epoch")) : null;
        r.finish();
        votes.clear();
        votes.putAll(newVotes);
        tally = newTally;
        evicted.clear();
        evicted.putAll(newEvicted);
        last = newLast;
    }

    private static TreeMap<byte[], Long> keyCounts(CanonicalReader r, String field, long min) {
        TreeMap<byte[], Long> map = new TreeMap<>(Arrays::compareUnsigned);
        int count = r.count(field, 40);
        byte[] previous = null;
        for (int i = 0; i < count; i++) {
            byte[] key = r.fixed(32, field + " key " + i);
            long value = r.u64(field + " approvals " + i);
            if (previous != null && Arrays.compareUnsigned(previous, key) >= 0) {
                throw r.invalid(field, "keys are not in strictly ascending order at " + i);
            }
            if (value < min) {
                throw r.invalid(field, "approvals at " + i + " are below " + min);
            }
            previous = key;
            map.put(key, value);
        }
        return map;
    }
}
