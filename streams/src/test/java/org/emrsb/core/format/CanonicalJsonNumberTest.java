package org.emrsb.core.format;

import static org.emrsb.core.format.CanonicalJsonRfc8785Test.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.FloatNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;

import java.math.BigDecimal;
import java.math.BigInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Numbers at the edges: each expected text names where it comes from. "Appendix B" is the RFC 8785
 * table (see {@link CanonicalJsonRfc8785Test}); "boa" is the Boa JavaScript engine's
 * Number.prototype.toString tests (boa-dev/boa, boa/src/builtins/number/tests.rs,
 * num_to_string_exponential); "cyberphone README" is the sample list in
 * cyberphone/json-canonicalization testdata/README.md.
 */
class CanonicalJsonNumberTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            // -0 serialises as 0: Appendix B row 8000000000000000.
            "-0.0                    | 0",
            // The smallest subnormal: Appendix B row 0000000000000001.
            "5e-324                  | 5e-324",
            "4.9e-324                | 5e-324",
            // The largest double: Appendix B row 7fefffffffffffff.
            "1.7976931348623157e308  | 1.7976931348623157e+308",
            // 1e21 is the first exponent form upward: Appendix B row 444b1ae4d6e2ef50.
            "1e21                    | 1e+21",
            // 1e-7 is in exponent form, 1e-6 is not: boa ("(0.0000001).toString()" is "1e-7");
            // 0.000001: Appendix B row 3eb0c6f7a0b5ed8d.
            "1e-7                    | 1e-7",
            "0.0000001               | 1e-7",
            "0.000001                | 0.000001",
            "1.2e-7                  | 1.2e-7",
            "1.23e-7                 | 1.23e-7",
            "1e-8                    | 1e-8",
            // Largest plain integer forms: boa ("(111111111111111111111).toString()" and the next two).
            "111111111111111111111   | 111111111111111110000",
            "1111111111111111111111  | 1.1111111111111111e+21",
            "11111111111111111111111 | 1.1111111111111111e+22",
            // 2^53 + 2: cyberphone README sample 4340000000000001.
            "9007199254740994        | 9007199254740994",
            // 1e23 is one digit although the double is 9.99...e22: Appendix B row 44b52d02c7e14af6.
            "1e23                    | 1e+23",
    })
    void edgeValues(double value, String expected) {
        assertEquals(expected, CanonicalJson.formatNumber(value));
    }

    @Test
    void largeIntegersRoundToTheNearestDoubleLikeJavaScript() {
        // 123456789012345678901 has no exact double: JSON.parse gives 123456789012345680000, and
        // both texts canonicalize to that (the integer part of the digits 12345678901234568, the
        // shortest that reads back, then zeros: rule 6 of Number::toString with n = 21).
        assertEquals("123456789012345680000", utf8(CanonicalJson.canonicalize("123456789012345680000")));
        assertEquals("123456789012345680000", utf8(CanonicalJson.canonicalize("123456789012345678901")));
        assertEquals(123456789012345680000.0, 123456789012345678901.0); // the same double in Java
        // Appendix B note (2): ~2^68 loses its exact digits too.
        assertEquals("295147905179352830000", utf8(CanonicalJson.canonicalize("295147905179352825856")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"4.50", "4.5", "45e-1", "0.45E1", "4.5000000000000000000001"})
    void spellingsOfOneDoubleCanonicalizeAlike(String text) {
        // values.json (cyberphone testdata) maps 4.50 to 4.5.
        assertEquals("4.5", utf8(CanonicalJson.canonicalize(text)));
    }

    @Test
    void underflowReadsAsZeroAsInJavaScript() {
        assertEquals("0", utf8(CanonicalJson.canonicalize("1e-400")));
        assertEquals("0", utf8(CanonicalJson.canonicalize("-1e-400")));
        assertEquals("0", utf8(CanonicalJson.canonicalize("-0")));
        assertEquals("0", utf8(CanonicalJson.canonicalize("-0.0e5")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e400", "-1e400", "1.7976931348623159e308", "[1, {\"a\": 2e308}]"})
    void overflowIsRejected(String text) {
        CanonicalJsonException e = assertThrows(CanonicalJsonException.class, () -> CanonicalJson.canonicalize(text));
        assertEquals(CanonicalJsonException.Problem.NUMBER_OUT_OF_RANGE, e.problem());
    }

    @Test
    void theLargestDoubleBelowOverflowIsAccepted() {
        // 1.7976931348623158e308 is below the midpoint to 2^1024 and rounds to MAX_VALUE.
        assertEquals("1.7976931348623157e+308", utf8(CanonicalJson.canonicalize("1.7976931348623158e308")));
    }

    @ParameterizedTest
    @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void nonFiniteNumbersAreRejected(double value) {
        CanonicalJsonException e = assertThrows(CanonicalJsonException.class, () -> CanonicalJson.formatNumber(value));
        assertEquals(CanonicalJsonException.Problem.NON_FINITE_NUMBER, e.problem());
        JsonNode tree = new ObjectMapper().createObjectNode()
                .set("valueQuantity", new ObjectMapper().createObjectNode().set("value", DoubleNode.valueOf(value)));
        e = assertThrows(CanonicalJsonException.class, () -> CanonicalJson.canonicalize(tree));
        assertEquals("/valueQuantity/value", e.pointer());
        assertEquals(CanonicalJsonException.Problem.NON_FINITE_NUMBER, e.problem());
    }

    @Test
    void nanAndInfinityTokensAreNotJson() {
        for (String text : new String[] {"NaN", "[NaN]", "Infinity", "-Infinity", "{\"a\": NaN}"}) {
            CanonicalJsonException e = assertThrows(CanonicalJsonException.class, () -> CanonicalJson.canonicalize(text));
            assertEquals(CanonicalJsonException.Problem.SYNTAX, e.problem(), text);
        }
    }

    @Test
    void everyNumericNodeTypeIsTheNearestDouble() {
        assertEquals("56", tree(IntNode.valueOf(56)));
        assertEquals("-9007199254740992", tree(LongNode.valueOf(-9007199254740992L)));
        // Long.MAX_VALUE is 2^63 - 1; the nearest double is 2^63 = 9223372036854775808.
        assertEquals("9223372036854776000", tree(LongNode.valueOf(Long.MAX_VALUE)));
        assertEquals("123456789012345680000", tree(BigIntegerNode.valueOf(new BigInteger("123456789012345678901"))));
        assertEquals("333333333.3333333", tree(DecimalNode.valueOf(new BigDecimal("333333333.33333329"))));
        assertEquals("0.002", tree(DecimalNode.valueOf(new BigDecimal("2e-3"))));
        // A float is widened exactly: 0.1f is the double 0.100000001490116119384765625.
        assertEquals("0.10000000149011612", tree(FloatNode.valueOf(0.1f)));
        CanonicalJsonException e = assertThrows(CanonicalJsonException.class,
                () -> CanonicalJson.canonicalize(DecimalNode.valueOf(new BigDecimal("1e400"))));
        assertEquals(CanonicalJsonException.Problem.NON_FINITE_NUMBER, e.problem());
    }

    @Test
    void jacksonTreesOfEveryNumberFlavourAgreeWithTextInput() throws Exception {
        String text = "{\"b\":[1,-2,3.5,1E30,123456789012345678901,0.1,1e-7,4.50],\"a\":9007199254740993}";
        byte[] expected = CanonicalJson.canonicalize(text);
        for (ObjectMapper mapper : new ObjectMapper[] {
                new ObjectMapper(),
                new ObjectMapper().enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS),
                new ObjectMapper().enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)}) {
            assertEquals(utf8(expected), utf8(CanonicalJson.canonicalize(mapper.readTree(text))));
        }
        // 2^53 + 1 is not a double; the nearest, ties to even, is 2^53.
        assertEquals("{\"a\":9007199254740992,\"b\":[1,-2,3.5,1e+30,123456789012345680000,0.1,1e-7,4.5]}",
                utf8(expected));
    }

    private static String tree(JsonNode node) {
        return utf8(CanonicalJson.canonicalize(node));
    }
}
