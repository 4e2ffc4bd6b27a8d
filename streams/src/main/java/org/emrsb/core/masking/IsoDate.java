package org.emrsb.core.masking;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.regex.Pattern;

/**
 * A calendar date as ISO 8601 and FHIR write it: {@code YYYY}, {@code YYYY-MM}, {@code YYYY-MM-DD},
 * or a date-time {@code YYYY-MM-DDThh:mm[:ss[.fff]][Z|+hh:mm]} (a space may stand for the T).
 * {@code month} and {@code day} are 0 when the text does not give them; {@code rest} is the time part
 * of a date-time, as written.
 */
record IsoDate(int year, int month, int day, String rest) {

    private static final Pattern TIME =
            Pattern.compile("[T ]([01]\\d|2[0-3]):[0-5]\\d(:([0-5]\\d|60)(\\.\\d{1,9})?)?(Z|[+-]([01]\\d|2[0-3])(:?[0-5]\\d)?)?");

    /** The date in {@code text}, or null if it is not one of the forms above or not a real date. */
    /** The date a value holds, or null after warning that it is not one (the caller masks it whole). */
    static IsoDate parseOrWarn(com.fasterxml.jackson.databind.JsonNode value, MaskContext context, String where) {
        IsoDate date = value.isTextual() ? parse(value.textValue()) : null;
        if (date == null) {
            context.warn(where, "not an ISO 8601 date (" + Values.kind(value) + "); replaced by *");
        }
        return date;
    }

    static IsoDate parse(String text) {
        String s = text.strip();
        int n = s.length();
        if (n < 4 || !digits(s, 0, 4)) {
            return null;
        }
        int year = Integer.parseInt(s, 0, 4, 10);
        if (n == 4) {
            return new IsoDate(year, 0, 0, "");
        }
        if (n < 7 || s.charAt(4) != '-' || !digits(s, 5, 7)) {
            return null;
        }
        int month = Integer.parseInt(s, 5, 7, 10);
        if (month < 1 || month > 12) {
            return null;
        }
        if (n == 7) {
            return new IsoDate(year, month, 0, "");
        }
        if (n < 10 || s.charAt(7) != '-' || !digits(s, 8, 10)) {
            return null;
        }
        int day = Integer.parseInt(s, 8, 10, 10);
        if (day < 1 || day > YearMonth.of(year, month).lengthOfMonth()) {
            return null;
        }
        String rest = s.substring(10);
        if (!rest.isEmpty() && !TIME.matcher(rest).matches()) {
            return null;
        }
        return new IsoDate(year, month, day, rest);
    }

    boolean hasDay() {
        return day != 0;
    }

    LocalDate date() {
        return LocalDate.of(year, month, day);
    }

    static String year(int year) {
        String y = Integer.toString(year);
        return y.length() >= 4 ? y : "0".repeat(4 - y.length()) + y;
    }

    static String twoDigits(int n) {
        return n < 10 ? "0" + n : Integer.toString(n);
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
}
