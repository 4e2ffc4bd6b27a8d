package org.emrsb.core.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Random;
import java.util.function.DoubleConsumer;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Seeded random doubles against properties that define ECMAScript's Number::toString, and against
 * an independent, slow oracle for the digits: a search over BigDecimal roundings of the exact
 * value, checked with Double.parseDouble (correctly rounded since JDK 7).
 */
class EcmaScriptNumbersPropertyTest {

    private static final long SEED = 0x4A43_5338_3738_35L; // "JCS8785"

    /** Plain decimal, plain integer, or exponent form: the three shapes Number::toString writes. */
    private static final Pattern SHAPE = Pattern.compile(
            "-?(0|[1-9][0-9]*)(\\.[0-9]*[1-9])?|-?[1-9](\\.[0-9]*[1-9])?e[+-][1-9][0-9]*");

    @Test
    void everyOutputReadsBackAndHasTheSpecifiedShape() {
        forRandomDoubles(200_000, x -> {
            String s = CanonicalJson.formatNumber(x);
            assertEquals(x == 0 ? 0.0 : x, Double.parseDouble(s), () -> Long.toHexString(Double.doubleToRawLongBits(x)) + " -> " + s);
            assertTrue(SHAPE.matcher(s).matches(), s);
            double a = Math.abs(x);
            boolean exponentForm = s.indexOf('e') >= 0;
            // Rules 6-10: plain from 1e-6 (inclusive) up to 1e21 (exclusive), exponent otherwise.
            assertEquals(a != 0 && (a < 1e-6 || a >= 1e21), exponentForm, s);
            // Never more digits than Java 17's Double.toString, which always reads back too.
            assertTrue(significantDigits(s) <= significantDigits(Double.toString(a)), s);
        });
    }

    @Test
    void digitsAreTheShortestAndClosestAsABigDecimalSearchFindsThem() {
        forRandomDoubles(20_000, x -> {
            if (x == 0) {
                return;
            }
            double a = Math.abs(x);
            EcmaScriptNumbers.Decimal ours = EcmaScriptNumbers.shortest(a);
            BigDecimal expected = oracle(a);
            BigDecimal actual = new BigDecimal(new java.math.BigInteger(ours.digits()), ours.digits().length() - ours.n());
            String digits = ours.digits();
            if (expected.compareTo(actual) != 0 || digits.charAt(0) == '0' || digits.endsWith("0")) {
                fail(Long.toHexString(Double.doubleToRawLongBits(a)) + ": oracle " + expected.toString()
                        + ", ours " + ours);
            }
        });
    }

    @Test
    void fastPathsAgreeWithTheBigIntegerPath() {
        // The integer shortcut and the long-arithmetic path against the exact BigInteger path,
        // on the magnitudes where the fast paths apply (and around them).
        Random random = new Random(SEED + 1);
        for (int i = 0; i < 100_000; i++) {
            double x;
            switch (i % 4) {
                case 0:
                    x = random.nextDouble() * Math.pow(10, random.nextInt(24) - 4);
                    break;
                case 1:
                    x = Double.parseDouble(random.nextInt(100_000) + "e" + (random.nextInt(12) - 8));
                    break;
                case 2:
                    x = Math.nextUp(Math.scalb(1.0, random.nextInt(120) - 10));
                    break;
                default:
                    x = Math.scalb(random.nextBoolean() ? 1.0 : Math.nextDown(1.0), random.nextInt(120) - 10);
                    break;
            }
            if (x > 0) {
                assertEquals(EcmaScriptNumbers.shortest(x, false), EcmaScriptNumbers.shortest(x, true),
                        Long.toHexString(Double.doubleToRawLongBits(x)));
            }
        }
    }

    /** The oracle itself, on RFC 8785 Appendix B rows whose digits are not a plain rounding. */
    @ParameterizedTest
    @CsvSource({
            "44b52d02c7e14af6, 1E+23",
            "44b52d02c7e14af7, 1.0000000000000001E+23",
            "43143ff3c1cb0959, 1424953923781206.2",
            "0000000000000001, 5E-324",
            "41b3de4355555554, 333333333.33333325",
    })
    void oracleAgreesWithAppendixB(String ieee754, String digits) {
        double x = CanonicalJsonRfc8785Test.fromHex(ieee754);
        assertEquals(0, new BigDecimal(digits).compareTo(oracle(x)));
        EcmaScriptNumbers.Decimal ours = EcmaScriptNumbers.shortest(x);
        assertEquals(new BigDecimal(digits).stripTrailingZeros().unscaledValue().toString(), ours.digits());
    }

    @Test
    void boundariesAndPowers() {
        // Powers of two and ten, their neighbours, and the normal/subnormal boundary, where the
        // spacing of doubles changes and a shortcut would go wrong.
        java.util.List<Double> values = new java.util.ArrayList<>();
        for (int e = -1074; e <= 1023; e++) {
            values.add(Math.scalb(1.0, e));
        }
        for (int e = -323; e <= 308; e++) {
            values.add(Double.parseDouble("1e" + e));
        }
        values.add(Double.MIN_NORMAL);
        values.add(Double.MAX_VALUE);
        values.add(9007199254740992.0);
        for (double v : values) {
            for (double w : new double[] {Math.nextDown(v), v, Math.nextUp(v)}) {
                if (w > 0 && !Double.isInfinite(w)) {
                    EcmaScriptNumbers.Decimal ours = EcmaScriptNumbers.shortest(w);
                    BigDecimal actual = new BigDecimal(new java.math.BigInteger(ours.digits()), ours.digits().length() - ours.n());
                    assertEquals(0, oracle(w).compareTo(actual), () -> Long.toHexString(Double.doubleToRawLongBits(w)));
                }
            }
        }
    }

    /**
     * Doubles of several kinds: uniform bit patterns (every exponent alike), values of everyday
     * size, short decimals as people write them, integers around 2^53, and subnormals.
     */
    private static void forRandomDoubles(int count, DoubleConsumer check) {
        Random random = new Random(SEED);
        for (int i = 0; i < count; i++) {
            double x;
            switch (i % 5) {
                case 0:
                    x = Double.longBitsToDouble(random.nextLong());
                    break;
                case 1:
                    x = (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(40) - 20);
                    break;
                case 2:
                    x = Double.parseDouble((random.nextInt(2_000_000) - 1_000_000) + "e" + (random.nextInt(30) - 15));
                    break;
                case 3:
                    x = (double) ((1L << 53) + random.nextInt(1 << 20) - (1 << 19)) * (random.nextBoolean() ? 1 : 4);
                    break;
                default:
                    x = Double.longBitsToDouble(random.nextLong() & 0x800f_ffff_ffff_ffffL);
                    break;
            }
            if (Double.isNaN(x) || Double.isInfinite(x)) {
                continue;
            }
            check.accept(x);
        }
    }

    /**
     * ECMA-262 Number::toString step 5 by brute force: for k = 1, 2, ... the k-digit decimals next
     * to x (x rounded down and up to k digits) are the only k-digit candidates; the first k for
     * which one of them reads back as x is the length, the closer one wins, on a tie the even one.
     */
    static BigDecimal oracle(double x) {
        BigDecimal exact = new BigDecimal(x);
        for (int k = 1; k <= 17; k++) {
            BigDecimal down = exact.round(new MathContext(k, RoundingMode.FLOOR));
            BigDecimal up = exact.round(new MathContext(k, RoundingMode.CEILING));
            boolean downOk = Double.parseDouble(down.toString()) == x;
            boolean upOk = Double.parseDouble(up.toString()) == x;
            if (downOk && upOk && down.compareTo(up) != 0) {
                int c = exact.subtract(down).compareTo(up.subtract(exact));
                if (c != 0) {
                    return c < 0 ? down : up;
                }
                return down.unscaledValue().testBit(0) ? up : down;
            }
            if (downOk) {
                return down;
            }
            if (upOk) {
                return up;
            }
        }
        throw new AssertionError("no decimal of 17 digits reads back as " + x);
    }

    private static int significantDigits(String s) {
        String mantissa = s.replaceFirst("[eE].*", "").replace("-", "").replace(".", "");
        mantissa = mantissa.replaceFirst("^0+", "").replaceFirst("0+$", "");
        return Math.max(1, mantissa.length());
    }
}
