package org.emrsb.core.privacy;

import java.util.List;

/**
 * What one window of masked records of one masking policy showed about k-anonymity over the configured
 * quasi-identifiers. Counts only: no value of any record, not even a generalised one.
 *
 * <p>An empty window (the monitor ran and saw no record) has a report with {@code records == 0},
 * {@code classes == 0}, {@code smallestClass == 0} and no policy id: it says that the monitor was
 * running, and nothing about privacy.
 *
 * @param windowStart    start of the window (inclusive), epoch milliseconds
 * @param windowEnd      end of the window (exclusive), epoch milliseconds
 * @param policyId       the masking policy of the records; null only in an empty window's report
 * @param k              the threshold the report was computed for
 * @param records        records seen in the window
 * @param classes        equivalence classes among them
 * @param smallestClass  the size of the smallest class (0 when there were no records)
 * @param classesBelowK  classes of fewer than k records
 * @param recordsBelowK  records in those classes
 */
public record KAnonymityReport(long windowStart, long windowEnd, String policyId, int k,
        List<String> quasiIdentifiers, long records, long classes, long smallestClass, long classesBelowK,
        long recordsBelowK) {

    public KAnonymityReport {
        quasiIdentifiers = List.copyOf(quasiIdentifiers);
        if (windowEnd <= windowStart) {
            throw new IllegalArgumentException("the window ends before it starts");
        }
        if (records == 0 ? classes != 0 || policyId != null : policyId == null) {
            throw new IllegalArgumentException("only an empty window's report has no policy id");
        }
    }

    /** The share of the window's records in classes below k, from 0 to 1 (0 for an empty window). */
    public double shareBelowK() {
        return records == 0 ? 0.0 : (double) recordsBelowK / records;
    }

    /** Whether every class of the window has at least k records (true for an empty window). */
    public boolean kAnonymous() {
        return classesBelowK == 0;
    }

    public boolean empty() {
        return records == 0;
    }
}
