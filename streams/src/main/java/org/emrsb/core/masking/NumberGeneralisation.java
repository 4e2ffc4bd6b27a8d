package org.emrsb.core.masking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * {@code generalise} {@code kind: number}: a number (or a string holding a plain decimal number) to
 * the interval of {@code width} that holds it, written {@code "[lo, hi]"} with lo = k * width &lt;= value
 * &lt; hi = lo + width (the paper's form: 60 with width 5 is {@code "[60, 65]"}). With {@code topCodeAt},
 * values at or above it become {@code topCodeLabel} (default {@code "<topCodeAt>+"}, e.g. "90+").
 * Anything else, and magnitudes of 10^15 or more, become "*" with a warning. Without {@code width}
 * ({@code topCodeAt} is then required) the rule only top-codes: a number below {@code topCodeAt} is
 * kept as written (HIPAA Safe Harbor's ages: 45 stays 45, 93 becomes "90+").
 */
final class NumberGeneralisation implements FieldRule {

    static final BigDecimal LIMIT = new BigDecimal("1e15");
    private static final long LONG_LIMIT = 1_000_000_000_000_000L;

    private final BigDecimal width;
    private final long longWidth; // 0 when the width is not a whole number
    private final BigDecimal topCodeAt;
    private final long topCodeCeil;
    private final TextNode topCodeLabel;

    NumberGeneralisation(BigDecimal width, BigDecimal topCodeAt, String topCodeLabel) {
        this.width = width;
        this.longWidth = width != null && width.scale() <= 0 ? width.longValueExact() : 0;
        this.topCodeAt = topCodeAt;
        this.topCodeCeil = topCodeAt == null ? Long.MAX_VALUE : topCodeAt.setScale(0, RoundingMode.CEILING).longValueExact();
        this.topCodeLabel = topCodeLabel == null ? null : TextNode.valueOf(topCodeLabel);
    }

    static NumberGeneralisation parse(RuleSpec spec) throws PolicyException {
        BigDecimal width = spec.number("width", false);
        if (width != null && width.signum() <= 0) {
            throw spec.error("'width' must be greater than 0");
        }
        BigDecimal topCodeAt = spec.number("topCodeAt", false);
        if (width == null && topCodeAt == null) {
            throw spec.error("'width' is required (a number), unless 'topCodeAt' is given to top-code only");
        }
        String label = null;
        if (spec.has("topCodeLabel")) {
            if (topCodeAt == null) {
                throw spec.error("'topCodeLabel' needs 'topCodeAt'");
            }
            label = spec.string("topCodeLabel", null);
        } else if (topCodeAt != null) {
            label = plain(topCodeAt) + "+";
        }
        return new NumberGeneralisation(width, topCodeAt, label);
    }

    @Override
    public String type() {
        return "generalise";
    }

    @Override
    public void describe(ObjectNode out) {
        out.put("kind", "number");
        if (width != null) {
            Values.putNumber(out, "width", width);
        }
        if (topCodeAt != null) {
            Values.putNumber(out, "topCodeAt", topCodeAt);
            out.put("topCodeLabel", topCodeLabel.textValue());
        }
    }

    @Override
    public JsonNode apply(JsonNode value, MaskContext context, String where) {
        long whole;
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            whole = value.longValue();
        } else if (value.isTextual()) {
            String s = value.textValue().strip();
            if (isPlainInteger(s)) {
                whole = Long.parseLong(s);
            } else {
                return decimal(isPlainDecimal(s) ? new BigDecimal(s) : null, value, context, where);
            }
        } else if (value.isNumber() && !((value.isDouble() || value.isFloat()) && !Double.isFinite(value.doubleValue()))) {
            return decimal(value.decimalValue(), value, context, where);
        } else {
            return decimal(null, value, context, where);
        }
        if (longWidth == 0 || whole >= LONG_LIMIT || whole <= -LONG_LIMIT) {
            return decimal(BigDecimal.valueOf(whole), value, context, where);
        }
        if (whole >= topCodeCeil) {
            return topCodeLabel;
        }
        if (width == null) {
            return value;
        }
        long lo = Math.floorDiv(whole, longWidth) * longWidth;
        return TextNode.valueOf("[" + lo + ", " + (lo + longWidth) + "]");
    }

    private JsonNode decimal(BigDecimal v, JsonNode value, MaskContext context, String where) {
        if (v == null) {
            context.warn(where, "not a number (" + Values.kind(value) + "); replaced by *");
            return Values.STAR;
        }
        if (v.abs().compareTo(LIMIT) >= 0) {
            context.warn(where, "number out of range (10^15 or more); replaced by *");
            return Values.STAR;
        }
        if (topCodeAt != null && v.compareTo(topCodeAt) >= 0) {
            return topCodeLabel;
        }
        if (width == null) {
            return value;
        }
        BigDecimal k = v.divide(width, 0, RoundingMode.FLOOR);
        BigDecimal lo = k.multiply(width);
        return TextNode.valueOf("[" + plain(lo) + ", " + plain(lo.add(width)) + "]");
    }

    static String plain(BigDecimal d) {
        return d.stripTrailingZeros().toPlainString();
    }

    private static boolean isPlainInteger(String s) {
        int n = s.length();
        int start = n > 0 && (s.charAt(0) == '-' || s.charAt(0) == '+') ? 1 : 0;
        if (n == start || n - start > 15) {
            return false;
        }
        for (int i = start; i < n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** Sign, digits, and optionally a point and digits: no exponent, no more than 40 characters. */
    private static boolean isPlainDecimal(String s) {
        int n = s.length();
        if (n == 0 || n > 40) {
            return false;
        }
        int i = s.charAt(0) == '-' || s.charAt(0) == '+' ? 1 : 0;
        int digitsBefore = 0;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
            digitsBefore++;
        }
        if (i == n) {
            return digitsBefore > 0;
        }
        if (s.charAt(i) != '.' || digitsBefore == 0) {
            return false;
        }
        i++;
        int digitsAfter = 0;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
            digitsAfter++;
        }
        return i == n && digitsAfter > 0;
    }
}
