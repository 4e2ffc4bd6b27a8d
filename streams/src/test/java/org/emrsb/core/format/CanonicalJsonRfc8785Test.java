package org.emrsb.core.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The published JCS vectors, expected bytes copied, never computed.
 *
 * <p>Sources: RFC 8785 itself (sections 3.2.2 to 3.2.4 and Appendix B), taken from its XML source
 * (cyberphone/ietf-json-canon, xmlv3/rfc8785.xml, commit 07415508cf16e4fd42eec774344a91cd5593be5e),
 * and the reference implementation's test data (cyberphone/json-canonicalization, testdata/), whose
 * files, commits and one substitute are listed in
 * src/test/resources/org/emrsb/core/format/jcs-testdata/SOURCES.md.
 */
class CanonicalJsonRfc8785Test {

    /** RFC 8785 section 3.2.2: the object parsed. Java escapes double each JSON backslash. */
    private static final String SECTION_3_2_2_INPUT = "{\n"
            + "  \"numbers\": [333333333.33333329, 1E30, 4.50,\n"
            + "              2e-3, 0.000000000000000000000000001],\n"
            + "  \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\n"
            + "  \"literals\": [null, true, false]\n"
            + "}";

    /** RFC 8785 section 3.2.4: the canonical bytes of that object, as the RFC prints them. */
    private static final String SECTION_3_2_4_HEX = ""
            + "7b 22 6c 69 74 65 72 61 6c 73 22 3a 5b 6e 75 6c 6c 2c 74 72"
            + "75 65 2c 66 61 6c 73 65 5d 2c 22 6e 75 6d 62 65 72 73 22 3a"
            + "5b 33 33 33 33 33 33 33 33 33 2e 33 33 33 33 33 33 33 2c 31"
            + "65 2b 33 30 2c 34 2e 35 2c 30 2e 30 30 32 2c 31 65 2d 32 37"
            + "5d 2c 22 73 74 72 69 6e 67 22 3a 22 e2 82 ac 24 5c 75 30 30"
            + "30 66 5c 6e 41 27 42 5c 22 5c 5c 5c 5c 5c 22 2f 22 7d";

    @Test
    void section322ExampleGivesTheBytesOfSection324() {
        byte[] expected = HexFormat.of().parseHex(SECTION_3_2_4_HEX.replace(" ", ""));
        assertArrayEquals(expected, CanonicalJson.canonicalize(SECTION_3_2_2_INPUT));
        assertArrayEquals(expected, CanonicalJson.canonicalize(SECTION_3_2_2_INPUT.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void section322ExampleReadsAsSection323PrintsIt() {
        // RFC 8785 section 3.2.3, the canonical text (the RFC adds a line break for display only).
        String expected = "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,"
                + "1e+30,4.5,0.002,1e-27],\"string\":\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}";
        assertEquals(expected, utf8(CanonicalJson.canonicalize(SECTION_3_2_2_INPUT)));
    }

    @Test
    void section323SortsByUtf16CodeUnits() {
        // RFC 8785 section 3.2.3: the sorting test data and the expected order of its values.
        String input = "{\n"
                + "  \"\\u20ac\": \"Euro Sign\",\n"
                + "  \"\\r\": \"Carriage Return\",\n"
                + "  \"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\",\n"
                + "  \"1\": \"One\",\n"
                + "  \"\\ud83d\\ude00\": \"Emoji: Grinning Face\",\n"
                + "  \"\\u0080\": \"Control\",\n"
                + "  \"\\u00f6\": \"Latin Small Letter O With Diaeresis\"\n"
                + "}";
        List<String> expectedOrder = List.of("Carriage Return", "One", "Control",
                "Latin Small Letter O With Diaeresis", "Euro Sign", "Emoji: Grinning Face",
                "Hebrew Letter Dalet With Dagesh");

        JsonNode canonical = CanonicalJson.parse(CanonicalJson.canonicalize(input));
        List<String> order = new ArrayList<>();
        for (Iterator<JsonNode> it = canonical.elements(); it.hasNext(); ) {
            order.add(it.next().textValue());
        }
        assertEquals(expectedOrder, order);
    }

    @ParameterizedTest(name = "cyberphone testdata {0}.json")
    @ValueSource(strings = {"arrays", "french", "simpleString", "structures", "unicode", "values", "weird"})
    void referenceImplementationTestData(String name) throws IOException {
        byte[] input = resource("input/" + name + ".json");
        byte[] expected = resource("output/" + name + ".json");

        assertArrayEquals(expected, CanonicalJson.canonicalize(input), name);
        assertArrayEquals(expected, CanonicalJson.canonicalize(utf8(input)), name);
        // Canonical output is a fixed point.
        assertArrayEquals(expected, CanonicalJson.canonicalize(expected), name);
    }

    /**
     * RFC 8785 Appendix B, "Number Serialization Samples": every finite row, IEEE-754 bits in hex
     * and the expected JSON text, copied from the RFC's table.
     */
    @ParameterizedTest(name = "Appendix B {0} -> {1}")
    @CsvSource({
            "0000000000000000, 0",
            "8000000000000000, 0",
            "0000000000000001, 5e-324",
            "8000000000000001, -5e-324",
            "7fefffffffffffff, 1.7976931348623157e+308",
            "ffefffffffffffff, -1.7976931348623157e+308",
            "4340000000000000, 9007199254740992",
            "c340000000000000, -9007199254740992",
            "4430000000000000, 295147905179352830000",
            "44b52d02c7e14af5, 9.999999999999997e+22",
            "44b52d02c7e14af6, 1e+23",
            "44b52d02c7e14af7, 1.0000000000000001e+23",
            "444b1ae4d6e2ef4e, 999999999999999700000",
            "444b1ae4d6e2ef4f, 999999999999999900000",
            "444b1ae4d6e2ef50, 1e+21",
            "3eb0c6f7a0b5ed8c, 9.999999999999997e-7",
            "3eb0c6f7a0b5ed8d, 0.000001",
            "41b3de4355555553, 333333333.3333332",
            "41b3de4355555554, 333333333.33333325",
            "41b3de4355555555, 333333333.3333333",
            "41b3de4355555556, 333333333.3333334",
            "41b3de4355555557, 333333333.33333343",
            "becbf647612f3696, -0.0000033333333333333333",
            "43143ff3c1cb0959, 1424953923781206.2",
    })
    void appendixBNumbers(String ieee754, String expected) {
        double value = fromHex(ieee754);
        assertEquals(expected, CanonicalJson.formatNumber(value));

        // The same through the tree serialiser, and through text (the expected text reads back as
        // the same double, so canonicalizing it must reproduce it).
        ObjectNode tree = JsonNodeFactory.instance.objectNode().set("n", DoubleNode.valueOf(value));
        assertEquals("{\"n\":" + expected + "}", utf8(CanonicalJson.canonicalize(tree)));
        assertEquals(expected, utf8(CanonicalJson.canonicalize(expected)));
    }

    /** RFC 8785 Appendix B rows marked (3): NaN and Infinity are not permitted (section 3.2.2.3). */
    @ParameterizedTest(name = "Appendix B {0} is rejected")
    @ValueSource(strings = {"7fffffffffffffff", "7ff0000000000000"})
    void appendixBNonFiniteRows(String ieee754) {
        double value = fromHex(ieee754);
        CanonicalJsonException e = assertThrows(CanonicalJsonException.class,
                () -> CanonicalJson.formatNumber(value));
        assertEquals(CanonicalJsonException.Problem.NON_FINITE_NUMBER, e.problem());

        ObjectNode tree = JsonNodeFactory.instance.objectNode().set("n", DoubleNode.valueOf(value));
        e = assertThrows(CanonicalJsonException.class, () -> CanonicalJson.canonicalize(tree));
        assertEquals(CanonicalJsonException.Problem.NON_FINITE_NUMBER, e.problem());
        assertEquals("/n", e.pointer());
    }

    static double fromHex(String ieee754) {
        return Double.longBitsToDouble(Long.parseUnsignedLong(ieee754, 16));
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = CanonicalJsonRfc8785Test.class.getResourceAsStream("jcs-testdata/" + name)) {
            assertNotNull(in, name);
            return in.readAllBytes();
        }
    }
}
