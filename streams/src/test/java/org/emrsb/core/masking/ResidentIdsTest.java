package org.emrsb.core.masking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Random;
import org.emrsb.core.masking.ResidentIds.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** GB 11643 vectors; the check digits were computed independently of this code. */
class ResidentIdsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "11010519491231002X", "11010519491231002x", "440304200002291236", "650102199912310010",
        "810000199001010019", "310115202311054566", "320583198606147779", "910123200308080010",
        "533527195809210237", "50010119931002072X", "620503197512200852",
    })
    void validIds(String id) {
        ResidentIds.Validation v = ResidentIds.validate(id);
        assertTrue(v.valid(), v.problem());
        assertEquals(Status.VALID, v.status());
        assertEquals("", v.problem());
        assertEquals(Character.toUpperCase(id.charAt(17)), v.expectedCheckDigit().orElseThrow());
    }

    @ParameterizedTest(name = "{0} should end in {1}")
    @CsvSource({"533527195809210238, 7", "500101199310020723, X", "620503197512200856, 2"})
    void thePapersThreeIdsFailTheirCheckDigits(String id, char expected) {
        ResidentIds.Validation v = ResidentIds.validate(id);
        assertFalse(v.valid());
        assertEquals(Status.BAD_CHECK_DIGIT, v.status());
        assertEquals(Optional.of(expected), v.expectedCheckDigit());
        assertEquals("check digit should be " + expected, v.problem());
        assertEquals(expected, ResidentIds.checkDigit(id.substring(0, 17)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "53352719580921023, WRONG_LENGTH", "5335271958092102371, WRONG_LENGTH", "'', WRONG_LENGTH",
        "5335271958092102A7, NOT_DIGITS", "533527195809210237Y, WRONG_LENGTH", "53352719580921023Y, NOT_DIGITS",
        "003527195809210237, BAD_AREA", "193527195809210237, BAD_AREA", "723527195809210237, BAD_AREA",
        "533527195813210237, BAD_BIRTH_DATE", "533527195802300237, BAD_BIRTH_DATE", "533527190002290237, BAD_BIRTH_DATE",
        "533527184901010237, BAD_BIRTH_DATE", "533527300001010237, BAD_BIRTH_DATE", "533527195800000237, BAD_BIRTH_DATE",
        "53352758092102X, NOT_DIGITS", "533527581321023, BAD_BIRTH_DATE", "003527580921023, BAD_AREA",
    })
    void invalidIds(String id, Status status) {
        ResidentIds.Validation v = ResidentIds.validate(id);
        assertFalse(v.valid());
        assertEquals(status, v.status());
        assertFalse(v.problem().isEmpty());
        assertFalse(v.problem().contains(id.isEmpty() ? "\u0000" : id.substring(0, Math.min(6, id.length()))),
                "the problem never repeats the number");
    }

    @Test
    void fifteenDigitIdsOfTheFirstGenerationHaveNoCheckDigit() {
        ResidentIds.Validation v = ResidentIds.validate("533527580921023");
        assertTrue(v.valid());
        assertEquals(Optional.empty(), v.expectedCheckDigit());
        // yyMMdd of the 1900s: 00-02-29 is 1900-02-29, and 1900 was no leap year
        assertEquals(Status.BAD_BIRTH_DATE, ResidentIds.validate("110105000229002").status());
        assertTrue(ResidentIds.validate("110105960229002").valid());
    }

    @Test
    void leapDays() {
        assertEquals(Status.VALID, ResidentIds.validate("440304200002291236").status());
        String first17 = "44030419000229123";
        assertEquals(Status.BAD_BIRTH_DATE, ResidentIds.validate(first17 + ResidentIds.checkDigit(first17)).status());
    }

    @Test
    void theExpectedDigitIsReportedEvenWhenSomethingElseIsWrong() {
        ResidentIds.Validation v = ResidentIds.validate("003527195809210237");
        assertEquals(Status.BAD_AREA, v.status());
        assertEquals(Optional.of(ResidentIds.checkDigit("00352719580921023")), v.expectedCheckDigit());
        assertEquals(Status.WRONG_LENGTH, ResidentIds.validate(null).status());
    }

    @Test
    void everyWrongCheckDigitIsCaughtAndTheRightOneAccepted() {
        Random random = new Random(11643);
        for (int i = 0; i < 500; i++) {
            String first17 = String.format("%02d%04d%04d%02d%02d%03d", 11 + random.nextInt(55 - 11) / 10 * 10,
                    random.nextInt(10_000), 1950 + random.nextInt(70), 1 + random.nextInt(12), 1 + random.nextInt(28),
                    random.nextInt(1000));
            char right = ResidentIds.checkDigit(first17);
            for (char c : "0123456789X".toCharArray()) {
                ResidentIds.Validation v = ResidentIds.validate(first17 + c);
                if (ResidentIds.validate(first17 + right).valid()) {
                    assertEquals(c == right, v.valid(), first17 + c);
                }
            }
        }
    }

    @Test
    void checkDigitNeedsSeventeenDigits() {
        assertThrows(IllegalArgumentException.class, () -> ResidentIds.checkDigit("1234"));
        assertThrows(IllegalArgumentException.class, () -> ResidentIds.checkDigit("1234567890123456X"));
    }
}
