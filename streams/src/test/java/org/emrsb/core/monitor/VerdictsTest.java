package org.emrsb.core.monitor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.emrsb.core.crypto.SigningKey;
import org.emrsb.core.format.FormatException;
import org.emrsb.core.format.Verdict;
import org.emrsb.core.format.Verdict.Decision;
import org.emrsb.core.format.Verdict.SubjectKind;
import org.junit.jupiter.api.Test;

/** Signed verdicts in the existing emrsb:verdict:v1 layout, from check outcomes. */
class VerdictsTest {

    private static final SigningKey MONITOR = ViolationGoldenTest.MONITOR;
    private static final byte[] SUBJECT = ViolationGoldenTest.seq(0x40, 32);

    @Test
    void aRejectionNamesTheCheckAndIsSignedByTheMonitor() {
        SignedVerdict signed = Verdicts.of(MONITOR, new CheckOutcome.Rejected("gateway-signature", "detail"),
                SubjectKind.TRANSACTION, SUBJECT, 3, 7, 1_795_000_002_000L);
        Verdict v = signed.verdict();
        assertEquals(Decision.REJECT, v.decision());
        assertEquals("gateway-signature", v.check());
        assertArrayEquals(MONITOR.verifyingKey().bytes(), v.monitorKey());
        assertArrayEquals(SUBJECT, v.subject());
        assertEquals(3, v.chain());
        assertEquals(7, v.epoch());
        assertTrue(signed.verifies());
        assertEquals(signed, SignedVerdict.parse(signed.toBytes()));
        assertArrayEquals(v.toBytes(), signed.verdictBytes());
    }

    @Test
    void anAcceptanceNamesNoCheck() {
        SignedVerdict signed = Verdicts.of(MONITOR, CheckOutcome.ACCEPTED, SubjectKind.BLOCK, SUBJECT, 3, 7, 1);
        assertEquals(Decision.ACCEPT, signed.verdict().decision());
        assertEquals("", signed.verdict().check());
        assertTrue(signed.verifies());
    }

    @Test
    void aWaitingOutcomeIsNoVerdict() {
        assertThrows(IllegalArgumentException.class, () -> Verdicts.of(MONITOR,
                new CheckOutcome.Waiting("delegate-active", "epoch 9"), SubjectKind.BLOCK, SUBJECT, 3, 7, 1));
        assertThrows(IllegalArgumentException.class, () -> Verdicts.issue(MONITOR, SubjectKind.BLOCK, SUBJECT, 3,
                Decision.ACCEPT, "merkle-root", 7, 1));
    }

    @Test
    void everyFlippedByteBreaksTheSignature() {
        byte[] bytes = Verdicts.issue(MONITOR, SubjectKind.BLOCK, SUBJECT, 3, Decision.REJECT, "merkle-root", 7, 1)
                .toBytes();
        for (int i = 0; i < bytes.length; i++) {
            byte[] flipped = bytes.clone();
            flipped[i] ^= 0x01;
            try {
                assertFalse(SignedVerdict.parse(flipped).verifies(), "byte " + i);
            } catch (FormatException | IllegalArgumentException refused) {
                // no longer a verdict at all
            }
        }
    }
}
