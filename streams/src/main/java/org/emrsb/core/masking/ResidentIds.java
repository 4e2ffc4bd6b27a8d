package org.emrsb.core.masking;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * Citizen identification numbers of the People's Republic of China (GB 11643-1999): 6 digits of
 * the administrative area where the number was issued (its first two a province code of GB/T 2260,
 * 81-83 for residence permits of Hong Kong, Macao and Taiwan residents, or 9 for the 2023 permanent
 * residence IDs of foreigners), 8 digits of the birth date (yyyyMMdd), 3 digits of sequence, and an
 * ISO 7064 MOD 11-2 check digit (0-9 or X; a lowercase x is accepted). The 15-digit numbers of the
 * first generation (GB 11643-1989: area, yyMMdd of the 1900s, sequence, no check digit) are checked
 * for area and date only.
 *
 * <p>Messages never repeat the number: they are logged next to masked records.
 */
public final class ResidentIds {

    /** What is wrong with a number, if anything. */
    public enum Status {
        VALID, WRONG_LENGTH, NOT_DIGITS, BAD_AREA, BAD_BIRTH_DATE, BAD_CHECK_DIGIT
    }

    /**
     * The outcome of {@link #validate}: {@code problem} is empty when valid; the expected check
     * digit is present whenever the first 17 characters of an 18-character number are digits.
     */
    public record Validation(Status status, String problem, Optional<Character> expectedCheckDigit) {
        public Validation {
            java.util.Objects.requireNonNull(status, "status");
            java.util.Objects.requireNonNull(problem, "problem");
            java.util.Objects.requireNonNull(expectedCheckDigit, "expectedCheckDigit");
        }

        public boolean valid() {
            return status == Status.VALID;
        }
    }

    /** Weights 2^(17-i) mod 11 of ISO 7064 MOD 11-2 over the first 17 digits. */
    private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final char[] CHECK = {'1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'};

    /** Province-level codes of GB/T 2260, with 81-83 for the residence permits of GB 11643 Amendment. */
    private static final boolean[] PROVINCES = new boolean[100];

    static {
        int[] codes = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
            50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83};
        for (int code : codes) {
            PROVINCES[code] = true;
        }
    }

    private ResidentIds() {
    }

    /**
     * The ISO 7064 MOD 11-2 check digit of 17 digits: {@code (12 - sum(d[i] * w[i]) mod 11) mod 11},
     * 10 written X.
     *
     * @throws IllegalArgumentException unless {@code first17} is 17 ASCII digits
     */
    public static char checkDigit(String first17) {
        if (first17 == null || first17.length() != 17 || !digits(first17, 0, 17)) {
            throw new IllegalArgumentException("the check digit is computed over exactly 17 digits");
        }
        return computeCheck(first17);
    }

    /** Validates a resident ID as written (no trimming). */
    public static Validation validate(String id) {
        if (id == null) {
            return invalid(Status.WRONG_LENGTH, "missing", null);
        }
        int length = id.length();
        if (length == 15) {
            if (!digits(id, 0, 15)) {
                return invalid(Status.NOT_DIGITS, "a 15-character ID must be 15 digits", null);
            }
            if (!area(id)) {
                return invalid(Status.BAD_AREA, "area code is not a known province code", null);
            }
            if (!birthDate(1900 + twoDigits(id, 6), twoDigits(id, 8), twoDigits(id, 10))) {
                return invalid(Status.BAD_BIRTH_DATE, "birth date is not a valid date", null);
            }
            return new Validation(Status.VALID, "", Optional.empty());
        }
        if (length != 18) {
            return invalid(Status.WRONG_LENGTH, "has " + length + " characters, expected 18 (or 15)", null);
        }
        if (!digits(id, 0, 17)) {
            return invalid(Status.NOT_DIGITS, "must be 17 digits and a check digit (0-9 or X)", null);
        }
        Character expected = computeCheck(id);
        char last = id.charAt(17);
        if (!(last >= '0' && last <= '9') && last != 'X' && last != 'x') {
            return invalid(Status.NOT_DIGITS, "must be 17 digits and a check digit (0-9 or X)", expected);
        }
        if (!area(id)) {
            return invalid(Status.BAD_AREA, "area code is not a known province code", expected);
        }
        int year = twoDigits(id, 6) * 100 + twoDigits(id, 8);
        if (!birthDate(year, twoDigits(id, 10), twoDigits(id, 12))) {
            return invalid(Status.BAD_BIRTH_DATE, "birth date is not a valid date", expected);
        }
        if (Character.toUpperCase(last) != expected) {
            return invalid(Status.BAD_CHECK_DIGIT, "check digit should be " + expected, expected);
        }
        return new Validation(Status.VALID, "", Optional.of(expected));
    }

    private static Validation invalid(Status status, String problem, Character expected) {
        return new Validation(status, problem, Optional.ofNullable(expected));
    }

    private static char computeCheck(String id) {
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (id.charAt(i) - '0') * WEIGHTS[i];
        }
        return CHECK[sum % 11];
    }

    private static boolean digits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static int twoDigits(String s, int at) {
        return (s.charAt(at) - '0') * 10 + (s.charAt(at + 1) - '0');
    }

    private static boolean area(String id) {
        if (id.charAt(0) == '9') {
            return true; // foreigners' permanent residence ID (2023): 9, then province and country codes
        }
        return PROVINCES[twoDigits(id, 0)];
    }

    private static boolean birthDate(int year, int month, int day) {
        if (year < 1850 || month < 1 || month > 12 || day < 1) {
            return false;
        }
        if (day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
            return false;
        }
        // Not after today anywhere on Earth.
        return !LocalDate.of(year, month, day).isAfter(LocalDate.now(ZoneOffset.ofHours(14)));
    }
}
