package org.emrsb.core.format;

import java.math.BigInteger;

/**
 * ECMAScript {@code Number::toString} for finite doubles (ECMA-262 section 7.1.12.1 / 6.1.6.1.20,
 * including "Note 2"), which RFC 8785 section 3.2.2.3 makes the canonical form of a JSON number.
 *
 * <p>Two steps, as in the specification:
 * <ol>
 *   <li>{@link #shortest(double)} finds the digits {@code s} and the decimal point position
 *       {@code n}: the fewest digits {@code k} such that {@code s × 10^(n-k)} reads back (round to
 *       nearest, ties to even) as the same double; among those of that length the one closest to
 *       the double; on a tie the even one. This is the free-format algorithm of Steele &amp; White
 *       as refined by Burger &amp; Dybvig ("Printing Floating-Point Numbers Quickly and
 *       Accurately", 1996), run with exact {@link BigInteger} arithmetic, so it is correct for
 *       every finite double (subnormals and the irregular spacing below powers of two included).
 *       Integers below 2^53 take an exact shortcut, and doubles whose scaled values fit run the
 *       same steps in {@code long} arithmetic; the rest use BigInteger.</li>
 *   <li>{@link #append(StringBuilder, double)} lays the digits out by the specification's rules:
 *       plain integer up to 21 digits, plain fraction down to 1e-6, exponent form ({@code 1e+21},
 *       {@code 1e-7}) outside that.</li>
 * </ol>
 *
 * <p>Java's {@link Double#toString(double)} is not used: its layout differs ({@code 1.0E21}) and on
 * Java 17 its digits are not always the shortest (JDK-4511638, fixed in JDK 19), and even the
 * JDK 19 algorithm deliberately prints two digits where one would do ({@code 4.9E-324}, where
 * ECMAScript prints {@code 5e-324}).
 */
final class EcmaScriptNumbers {

    /** Digits (no leading or trailing zeros) and the ECMAScript exponent n: value = 0.digits × 10^n. */
    record Decimal(String digits, int n) {
    }

    private static final BigInteger TWO = BigInteger.valueOf(2);
    private static final BigInteger FOUR = BigInteger.valueOf(4);
    /** 10^0 .. 10^349: enough for 2^-1074 (about 4.9e-324) up to Double.MAX_VALUE (1.8e308). */
    private static final BigInteger[] POW10 = new BigInteger[350];

    static {
        POW10[0] = BigInteger.ONE;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1].multiply(BigInteger.TEN);
        }
    }

    private EcmaScriptNumbers() {
    }

    /**
     * The canonical text of {@code value}.
     *
     * @throws CanonicalJsonException for NaN and the infinities, which JSON cannot carry
     */
    static String toString(double value) {
        StringBuilder sb = new StringBuilder(26);
        append(sb, value);
        return sb.toString();
    }

    /** Appends the canonical text of {@code value}; see {@link #toString(double)}. */
    static void append(StringBuilder out, double value) {
        if (Double.isNaN(value)) {
            throw new CanonicalJsonException(CanonicalJsonException.Problem.NON_FINITE_NUMBER,
                    "NaN is not a JSON number (RFC 8785 section 3.2.2.3)");
        }
        if (Double.isInfinite(value)) {
            throw new CanonicalJsonException(CanonicalJsonException.Problem.NON_FINITE_NUMBER,
                    (value > 0 ? "Infinity" : "-Infinity")
                            + " is not a JSON number (RFC 8785 section 3.2.2.3)");
        }
        if (value == 0) {
            out.append('0'); // +0 and -0 alike (ECMA-262 step 2)
            return;
        }
        if (value < 0) {
            out.append('-');
            value = -value;
        }
        Decimal d = shortest(value);
        String digits = d.digits();
        int k = digits.length();
        int n = d.n();
        if (k <= n && n <= 21) {
            // integer: the digits, then n-k zeros
            out.append(digits);
            for (int i = k; i < n; i++) {
                out.append('0');
            }
        } else if (0 < n && n <= 21) {
            // the point falls inside the digits
            out.append(digits, 0, n).append('.').append(digits, n, k);
        } else if (-6 < n && n <= 0) {
            // 0.000ddd down to 1e-6
            out.append("0.");
            for (int i = n; i < 0; i++) {
                out.append('0');
            }
            out.append(digits);
        } else {
            int e = n - 1;
            out.append(digits.charAt(0));
            if (k > 1) {
                out.append('.').append(digits, 1, k);
            }
            out.append('e').append(e < 0 ? '-' : '+').append(Math.abs(e));
        }
    }

    /**
     * The shortest digits of a finite {@code v > 0}, closest to {@code v} among those of that length,
     * the even one on a tie (ECMA-262 Number::toString step 5 with Note 2).
     */
    static Decimal shortest(double v) {
        return shortest(v, true);
    }

    /** As {@link #shortest(double)}; {@code fastPaths} false forces the BigInteger path (for tests). */
    static Decimal shortest(double v, boolean fastPaths) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("not a finite positive double: " + v);
        }
        if (fastPaths && v < 9007199254740992.0 && v == Math.rint(v)) {
            return integer((long) v);
        }
        long bits = Double.doubleToRawLongBits(v);
        int biased = (int) (bits >>> 52) & 0x7ff;
        long fraction = bits & 0x000f_ffff_ffff_ffffL;
        long f;
        int e;
        if (biased == 0) {
            f = fraction; // subnormal
            e = -1074;
        } else {
            f = fraction | 0x0010_0000_0000_0000L;
            e = biased - 1075;
        }
        // v = f × 2^e. The doubles next to v are v ± 2^e, except that below a power of two (f = 2^52,
        // not the smallest normal exponent) the lower neighbour is only 2^(e-1) away.
        boolean irregular = fraction == 0 && biased > 1;
        // A decimal reads back as v when it lies strictly between the midpoints to the neighbours,
        // or on a midpoint when f is even (round half to even).
        boolean inclusive = (f & 1) == 0;

        // n: the upper midpoint lies below 10^n (or on it when not inclusive) but not below 10^(n-1).
        // log10 gives it to within one; the fix-up loops below make it exact.
        int n = (int) Math.ceil(Math.log10(v));

        Decimal small = fastPaths ? shortestInLongs(f, e, irregular, inclusive, n) : null;
        if (small != null) {
            return small;
        }

        // Scaled so that v = r/s, upper midpoint = (r + mPlus)/s, lower midpoint = (r - mMinus)/s.
        BigInteger r;
        BigInteger s;
        BigInteger mPlus;
        BigInteger mMinus;
        BigInteger bf = BigInteger.valueOf(f);
        if (e >= 0) {
            BigInteger ulp = BigInteger.ONE.shiftLeft(e);
            if (!irregular) {
                r = bf.shiftLeft(e + 1);
                s = TWO;
                mPlus = ulp;
                mMinus = ulp;
            } else {
                r = bf.shiftLeft(e + 2);
                s = FOUR;
                mPlus = ulp.shiftLeft(1);
                mMinus = ulp;
            }
        } else {
            if (!irregular) {
                r = bf.shiftLeft(1);
                s = BigInteger.ONE.shiftLeft(1 - e);
                mPlus = BigInteger.ONE;
                mMinus = BigInteger.ONE;
            } else {
                r = bf.shiftLeft(2);
                s = BigInteger.ONE.shiftLeft(2 - e);
                mPlus = TWO;
                mMinus = BigInteger.ONE;
            }
        }

        if (n >= 0) {
            s = s.multiply(POW10[n]);
        } else {
            BigInteger p = POW10[-n];
            r = r.multiply(p);
            mPlus = mPlus.multiply(p);
            mMinus = mMinus.multiply(p);
        }
        while (reachesOne(r.add(mPlus), s, inclusive)) {
            s = s.multiply(BigInteger.TEN);
            n++;
        }
        while (!reachesOne(r.add(mPlus).multiply(BigInteger.TEN), s, inclusive)) {
            r = r.multiply(BigInteger.TEN);
            mPlus = mPlus.multiply(BigInteger.TEN);
            mMinus = mMinus.multiply(BigInteger.TEN);
            n--;
        }

        // Generate digits of v until the digits so far (low) or the digits so far with the last one
        // raised (high) lie within the midpoints: the first length at which any decimal does.
        StringBuilder digits = new StringBuilder(17);
        while (true) {
            r = r.multiply(BigInteger.TEN);
            mPlus = mPlus.multiply(BigInteger.TEN);
            mMinus = mMinus == mPlus ? mPlus : mMinus.multiply(BigInteger.TEN);
            BigInteger[] qr = r.divideAndRemainder(s);
            int digit = qr[0].intValue();
            r = qr[1];
            int lowCmp = r.compareTo(mMinus);
            boolean low = inclusive ? lowCmp <= 0 : lowCmp < 0;
            boolean high = reachesOne(r.add(mPlus), s, inclusive);
            if (!low && !high) {
                digits.append((char) ('0' + digit));
                continue;
            }
            if (low && high) {
                int c = r.shiftLeft(1).compareTo(s); // 2r against s: which of the two is closer
                if (c > 0 || (c == 0 && (digit & 1) == 1)) {
                    digit++;
                }
            } else if (high) {
                digit++;
            }
            // digit + 1 never reaches 10: the previous step would have stopped (Burger & Dybvig).
            digits.append((char) ('0' + digit));
            break;
        }
        return new Decimal(digits.toString(), n);
    }

    /** Above this, {@code 10 * s} would overflow a long. */
    private static final long LONG_LIMIT = Long.MAX_VALUE / 10;
    private static final long[] LONG_POW10 = new long[19];

    static {
        LONG_POW10[0] = 1;
        for (int i = 1; i < LONG_POW10.length; i++) {
            LONG_POW10[i] = LONG_POW10[i - 1] * 10;
        }
    }

    /**
     * The same algorithm as {@link #shortest(double)} in {@code long} arithmetic, for the doubles
     * whose scaled values stay below {@link #LONG_LIMIT} (roughly 0.03 to 2^57, which takes in
     * most measured values); null for the others. Overflow is ruled out as follows: at the start of
     * every digit step {@code r < s} and {@code mMinus <= mPlus <= s} (otherwise the previous step
     * would have stopped), so after multiplying by ten all three are at most {@code 10 s}, and
     * {@code r + mPlus} is never formed (compared as {@code r >= s - mPlus} instead).
     */
    private static Decimal shortestInLongs(long f, int e, boolean irregular, boolean inclusive, int n) {
        int shift = irregular ? 2 : 1;
        long r;
        long s;
        long mPlus;
        long mMinus;
        if (e >= 0) {
            if (e + shift > 8) {
                return null; // r = f * 2^(e+shift) must stay below 2^62
            }
            r = f << (e + shift);
            s = 1L << shift;
            mPlus = (1L << e) << (shift - 1);
            mMinus = 1L << e;
        } else {
            if (shift - e > 58) {
                return null;
            }
            r = f << shift;
            s = 1L << (shift - e);
            mPlus = irregular ? 2 : 1;
            mMinus = 1;
        }
        if (n >= 0) {
            if (n >= LONG_POW10.length || s > LONG_LIMIT / LONG_POW10[n]) {
                return null;
            }
            s *= LONG_POW10[n];
        } else {
            if (-n >= LONG_POW10.length || r > LONG_LIMIT / LONG_POW10[-n]) {
                return null;
            }
            long p = LONG_POW10[-n];
            r *= p;
            mPlus *= p;
            mMinus *= p;
        }
        if (r >= LONG_LIMIT - mPlus) {
            return null; // keeps r + mPlus below LONG_LIMIT, so it can be formed and multiplied by 10
        }
        while (reaches(r + mPlus, s, inclusive)) {
            if (n < 0) {
                // Take back one factor of the 10^-n applied above: exact, and no overflow.
                r /= 10;
                mPlus /= 10;
                mMinus /= 10;
            } else if (s > LONG_LIMIT / 10) {
                return null;
            } else {
                s *= 10;
            }
            n++;
        }
        while (!reaches((r + mPlus) * 10, s, inclusive)) {
            r *= 10;
            mPlus *= 10;
            mMinus *= 10;
            n--;
        }
        if (s > LONG_LIMIT) {
            return null;
        }
        char[] digits = new char[18];
        int length = 0;
        while (true) {
            r *= 10;
            mPlus *= 10;
            mMinus *= 10;
            int digit = (int) (r / s);
            r %= s;
            boolean low = inclusive ? r <= mMinus : r < mMinus;
            boolean high = inclusive ? r >= s - mPlus : r > s - mPlus;
            if (!low && !high) {
                digits[length++] = (char) ('0' + digit);
                continue;
            }
            if (low && high) {
                long twice = r << 1; // r < s <= LONG_LIMIT: no overflow
                if (twice > s || (twice == s && (digit & 1) == 1)) {
                    digit++;
                }
            } else if (high) {
                digit++;
            }
            digits[length++] = (char) ('0' + digit);
            return new Decimal(new String(digits, 0, length), n);
        }
    }

    private static boolean reaches(long numerator, long s, boolean inclusive) {
        return inclusive ? numerator >= s : numerator > s;
    }

    private static boolean reachesOne(BigInteger numerator, BigInteger s, boolean inclusive) {
        int c = numerator.compareTo(s);
        return inclusive ? c >= 0 : c > 0;
    }

    /**
     * An integer below 2^53 is exact and the spacing of doubles there is at most 1, so no shorter
     * decimal reads back as it: its digits without trailing zeros are the answer.
     */
    private static Decimal integer(long value) {
        String all = Long.toString(value);
        int end = all.length();
        while (all.charAt(end - 1) == '0') {
            end--;
        }
        return new Decimal(all.substring(0, end), all.length());
    }
}
