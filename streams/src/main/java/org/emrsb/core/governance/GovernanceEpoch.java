package org.emrsb.core.governance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.emrsb.core.format.CanonicalReader;
import org.emrsb.core.format.CanonicalWriter;
import org.emrsb.core.format.FormatException;
import org.emrsb.core.format.Tags;

/**
 * A governance epoch: the whole delegate set with each delegate's status, as the governance processor
 * wrote it. Epochs are numbered from 1; {@code effectiveAt} is the time (ms) the processor produced it;
 * {@code cause} says in words what changed it.
 *
 * <p>The delegates are in {@link DelegateEntry#ORDER}: ACTIVE, then STANDBY, then EVICTED; within a
 * status by approvals descending, then by key in ascending unsigned byte order. Keys are distinct. The
 * constructor sorts; {@link #parse} refuses any other order, so one delegate set has one encoding.
 *
 * <p>Canonical layout (tag {@code emrsb:epoch:v1}): epoch u64 (at least 1), effectiveAt i64, cause
 * string, delegates list of (key fixed[32], status u8 1 ACTIVE / 2 STANDBY / 3 EVICTED, approvals u64).
 */
public record GovernanceEpoch(long epoch, long effectiveAt, List<DelegateEntry> delegates, String cause) {

    private static final int ENTRY_SIZE = 32 + 1 + 8;

    public GovernanceEpoch {
        if (epoch < 1) {
            throw new IllegalArgumentException("epochs are numbered from 1: " + epoch);
        }
        Objects.requireNonNull(cause, "cause");
        List<DelegateEntry> sorted = new ArrayList<>(delegates);
        sorted.sort(DelegateEntry.ORDER);
        List<DelegateEntry> byKey = new ArrayList<>(sorted);
        byKey.sort((a, b) -> Arrays.compareUnsigned(a.key(), b.key()));
        for (int i = 1; i < byKey.size(); i++) {
            if (Arrays.equals(byKey.get(i - 1).key(), byKey.get(i).key())) {
                throw new IllegalArgumentException("a delegate appears twice");
            }
        }
        delegates = List.copyOf(sorted);
    }

    /** The status of {@code key} at this epoch, if it is listed. */
    public Optional<DelegateStatus> status(byte[] key) {
        for (DelegateEntry e : delegates) {
            if (Arrays.equals(e.key(), key)) {
                return Optional.of(e.status());
            }
        }
        return Optional.empty();
    }

    /** Whether {@code key} is ACTIVE at this epoch. */
    public boolean isActive(byte[] key) {
        return status(key).orElse(null) == DelegateStatus.ACTIVE;
    }

    /** The ACTIVE keys, in rank order. */
    public List<byte[]> activeKeys() {
        return delegates.stream().filter(e -> e.status() == DelegateStatus.ACTIVE).map(DelegateEntry::key).toList();
    }

    public byte[] toBytes() {
        CanonicalWriter w = new CanonicalWriter(Tags.EPOCH, 64 + ENTRY_SIZE * delegates.size())
                .u64(epoch).i64(effectiveAt).string(cause, "cause").u32(delegates.size());
        for (DelegateEntry e : delegates) {
            w.fixed(e.key(), 32, "delegate key").u8(e.status().code()).u64(e.approvals());
        }
        return w.toByteArray();
    }

    /**
     * Parses strictly: wrong tag, truncation, trailing bytes, invalid UTF-8, an unknown status, epoch 0,
     * a duplicate key or delegates out of {@link DelegateEntry#ORDER} are all refused.
     *
     * @throws FormatException on any of those
     */
    public static GovernanceEpoch parse(byte[] bytes) {
        CanonicalReader r = new CanonicalReader(bytes, Tags.EPOCH, "epoch");
        long epoch = r.u64("epoch");
        long effectiveAt = r.i64("effectiveAt");
        String cause = r.string("cause");
        int n = r.count("delegates", ENTRY_SIZE);
        List<DelegateEntry> delegates = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            DelegateEntry e = new DelegateEntry(r.fixed(32, "delegate key " + i),
                    DelegateStatus.of(r.u8("delegate status " + i)), r.u64("delegate approvals " + i));
            if (i > 0 && DelegateEntry.ORDER.compare(delegates.get(i - 1), e) >= 0) {
                throw r.invalid("delegates", "are not in strictly ascending epoch order at " + i);
            }
            delegates.add(e);
        }
        r.finish();
        try {
            return new GovernanceEpoch(epoch, effectiveAt, delegates, cause);
        } catch (IllegalArgumentException e) {
            throw new FormatException("epoch: " + e.getMessage());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GovernanceEpoch g && Arrays.equals(toBytes(), g.toBytes());
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(toBytes());
    }
}
