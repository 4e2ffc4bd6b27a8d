package org.emrsb.core.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The report from known class sizes. */
class ClassTallyTest {

    private static final List<String> QI = List.of("age", "gender");

    private static KAnonymityReport report(int k, long... sizes) {
        ClassTally tally = new ClassTally(k);
        for (long size : sizes) {
            tally.add(size);
        }
        return tally.report(600_000, 1_200_000, QI, "paper");
    }

    @Test
    void knownClassSizes() {
        // classes of 1, 2, 4, 5, 5, 12 records with k = 5: three below k holding 7 of 29 records
        KAnonymityReport r = report(5, 5, 1, 12, 4, 5, 2);
        assertEquals(new KAnonymityReport(600_000, 1_200_000, "paper", 5, QI, 29, 6, 1, 3, 7), r);
        assertEquals(7.0 / 29, r.shareBelowK(), 1e-12);
        assertFalse(r.kAnonymous());
    }

    @Test
    void aClassOfExactlyKIsNotBelowK() {
        KAnonymityReport r = report(3, 3, 3, 4);
        assertEquals(0, r.classesBelowK());
        assertEquals(0, r.recordsBelowK());
        assertEquals(3, r.smallestClass());
        assertEquals(0.0, r.shareBelowK());
        assertTrue(r.kAnonymous());
    }

    @Test
    void everyRecordUniqueIsAllBelowK() {
        KAnonymityReport r = report(2, 1, 1, 1, 1);
        assertEquals(4, r.classesBelowK());
        assertEquals(1.0, r.shareBelowK());
        assertEquals(1, r.smallestClass());
    }

    @Test
    void anEmptyWindowHasAnExplicitEmptyReportWithoutPolicy() {
        KAnonymityReport r = new ClassTally(5).report(0, 10, QI, null);
        assertTrue(r.empty());
        assertEquals(0, r.smallestClass());
        assertEquals(0.0, r.shareBelowK());
        assertTrue(r.kAnonymous());
        assertThrows(IllegalArgumentException.class, () -> new ClassTally(5).report(0, 10, QI, "paper"));
        assertThrows(IllegalArgumentException.class, () -> new ClassTally(5).add(3).report(0, 10, QI, null));
    }

    @Test
    void nonsenseIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ClassTally(1));
        assertThrows(IllegalArgumentException.class, () -> new ClassTally(2).add(0));
        assertThrows(IllegalArgumentException.class, () -> new ClassTally(2).add(1).report(10, 10, QI, "p"));
    }
}
