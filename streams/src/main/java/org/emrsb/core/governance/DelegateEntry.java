package org.emrsb.core.governance;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;
import org.emrsb.core.crypto.Hex;

/**
 * One delegate in a {@link GovernanceEpoch}: its Ed25519 key, its status, and the number of current votes
 * approving it (for an EVICTED delegate: its approvals when it was evicted). Equality is by value.
 */
public record DelegateEntry(byte[] key, DelegateStatus status, long approvals) {

    /**
     * The order of entries in an epoch: status code ascending (ACTIVE, STANDBY, EVICTED), then approvals
     * descending, then key in ascending unsigned byte order. Within ACTIVE and STANDBY this is the rank.
     */
    public static final Comparator<DelegateEntry> ORDER = Comparator
            .comparingInt((DelegateEntry e) -> e.status().code())
            .thenComparing(Comparator.comparingLong(DelegateEntry::approvals).reversed())
            .thenComparing(DelegateEntry::key, Arrays::compareUnsigned);

    public DelegateEntry {
        if (key == null || key.length != 32) {
            throw new IllegalArgumentException("a delegate key is 32 bytes");
        }
        Objects.requireNonNull(status, "status");
        if (approvals < 0) {
            throw new IllegalArgumentException("approvals cannot be negative: " + approvals);
        }
        key = key.clone();
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DelegateEntry e && Arrays.equals(key, e.key) && status == e.status
                && approvals == e.approvals;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(key), status, approvals);
    }

    @Override
    public String toString() {
        return "DelegateEntry[ed25519:" + Hex.encode(key) + ", " + status + ", " + approvals + "]";
    }
}
