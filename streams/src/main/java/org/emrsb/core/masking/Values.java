package org.emrsb.core.masking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.TextNode;

/** Helpers over JSON values. */
final class Values {

    static final TextNode STAR = TextNode.valueOf("*");

    /** What a rule returns to drop the value: the member leaves its object; an array element becomes null. */
    static final JsonNode REMOVED = MissingNode.getInstance();

    private Values() {
    }

    /**
     * A string's text, or a number written plainly (integers exactly, decimals without an exponent);
     * null for anything else (null, booleans, arrays, objects, a missing value, non-finite numbers).
     */
    static String scalarText(JsonNode value) {
        if (value == null) {
            return null;
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isIntegralNumber()) {
            return value.canConvertToLong() ? Long.toString(value.longValue()) : value.bigIntegerValue().toString();
        }
        if (value.isNumber()) {
            if ((value.isDouble() || value.isFloat()) && !Double.isFinite(value.doubleValue())) {
                return null;
            }
            return value.decimalValue().stripTrailingZeros().toPlainString();
        }
        return null;
    }

    /** What kind of JSON value this is, for warnings ("a boolean", "an object"); never the value. */
    static String kind(JsonNode value) {
        if (value == null || value.isMissingNode()) {
            return "missing";
        }
        switch (value.getNodeType()) {
            case NULL:
                return "null";
            case BOOLEAN:
                return "a boolean";
            case NUMBER:
                return "a number";
            case STRING:
                return "a string";
            case ARRAY:
                return "an array";
            case OBJECT:
                return "an object";
            default:
                return "not a JSON value";
        }
    }

    /** Puts a number as a whole number when it is one (10, not 1E+1), else as a plain decimal. */
    static void putNumber(com.fasterxml.jackson.databind.node.ObjectNode out, String key, java.math.BigDecimal value) {
        java.math.BigDecimal d = value.stripTrailingZeros();
        if (d.scale() <= 0) {
            out.put(key, d.longValueExact());
        } else {
            out.put(key, new java.math.BigDecimal(d.toPlainString()));
        }
    }
}
