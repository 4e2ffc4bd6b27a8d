package org.emrsb.core.privacy;

import java.util.List;

/**
 * Accumulates the sizes of one window's equivalence classes (of one masking policy), one class at a time,
 * in constant space: the classes themselves are never held, so a window of any number of classes is
 * summarised as it is read from a store.
 */
public final class ClassTally {

    private final int k;
    private long records;
    private long classes;
    private long smallest = Long.MAX_VALUE;
    private long classesBelowK;
    private long recordsBelowK;

    /** @param k the anonymity threshold: a class of fewer than k records is below k */
    public ClassTally(int k) {
        if (k < 2) {
            throw new IllegalArgumentException("k must be at least 2, was " + k);
        }
        this.k = k;
    }

    /** Adds one equivalence class of {@code size} records. */
    public ClassTally add(long size) {
        if (size < 1) {
            throw new IllegalArgumentException("a class holds at least one record, was " + size);
        }
        records += size;
        classes++;
        smallest = Math.min(smallest, size);
        if (size < k) {
            classesBelowK++;
            recordsBelowK += size;
        }
        return this;
    }

    /**
     * The window's report.
     *
     * @param policyId the masking policy the records were masked with; null only for an empty window
     */
    public KAnonymityReport report(long windowStart, long windowEnd, List<String> quasiIdentifiers, String policyId) {
        return new KAnonymityReport(windowStart, windowEnd, policyId, k, quasiIdentifiers, records, classes,
                classes == 0 ? 0 : smallest, classesBelowK, recordsBelowK);
    }
}
