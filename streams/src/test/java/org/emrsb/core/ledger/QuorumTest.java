package org.emrsb.core.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.emrsb.core.ledger.Quorum.Decision;
import org.junit.jupiter.api.Test;

class QuorumTest {

    @Test
    void aMajorityOfThreeIsTwoAndTheOutcomeIsDecidedAsSoonAsItCannotChange() {
        Quorum q = Quorum.ofMajority();
        assertEquals(2, q.required(3));
        assertEquals(Decision.PENDING, q.decide(1, 0, 3));
        assertEquals(Decision.PENDING, q.decide(1, 1, 3), "the third monitor can still accept");
        assertEquals(Decision.ACCEPTED, q.decide(2, 1, 3));
        assertEquals(Decision.REJECTED, q.decide(0, 2, 3), "two rejections leave one possible acceptance");
        assertEquals(Decision.REJECTED, q.decide(1, 2, 3));
    }

    @Test
    void oneMonitorDecidesAlone() {
        Quorum q = Quorum.ofMajority();
        assertEquals(1, q.required(1));
        assertEquals(Decision.ACCEPTED, q.decide(1, 0, 1));
        assertEquals(Decision.REJECTED, q.decide(0, 1, 1));
        assertEquals(Decision.PENDING, q.decide(0, 0, 1));
    }

    @Test
    void aFixedQuorumAboveTheEnrolledMonitorsNeverAcceptsButOnlyRejectsOnARejection() {
        Quorum q = Quorum.parse("3");
        assertEquals(Decision.PENDING, q.decide(2, 0, 2), "waits for a third monitor to be enrolled");
        assertEquals(Decision.REJECTED, q.decide(1, 1, 2));
    }

    @Test
    void zeroIsALedgerWithoutMonitors() {
        assertTrue(Quorum.parse("0").none());
        assertEquals(Decision.ACCEPTED, Quorum.of(0).decide(0, 0, 0));
        assertEquals("majority", Quorum.parse(" Majority ").toString());
        assertThrows(IllegalArgumentException.class, () -> Quorum.parse("most"));
        assertThrows(IllegalArgumentException.class, () -> Quorum.parse("-1"));
    }
}
