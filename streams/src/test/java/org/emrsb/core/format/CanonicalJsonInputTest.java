package org.emrsb.core.format;

import static org.emrsb.core.format.CanonicalJsonRfc8785Test.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.POJONode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What the parser and serialiser accept and reject, and how they say so. */
class CanonicalJsonInputTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    // ---- duplicate member names (RFC 8785 section 3.1 requires I-JSON, RFC 7493 section 2.3) ----

    @Test
    void duplicateMemberNamesAreRejectedWithTheirLocation() {
        CanonicalJsonException e = assertThrows(CanonicalJsonException.class,
                () -> CanonicalJson.canonicalize("{\n  \"a\": 1,\n  \"a\": 2\n}"));
        assertEquals(CanonicalJsonException.Problem.DUPLICATE_NAME, e.problem());
        assertEquals("/a", e.pointer());
        assertEquals(3, e.line());
        assertEquals(3, e.column());
        assertTrue(e.getMessage().contains("duplicate member name"), e.getMessage());
        assertTrue(e.getMessage().contains("/a"), e.getMessage());
    }

    @Test
    void duplicatesAreFoundAfterUnescapingAndAtAnyDepth() {
        CanonicalJsonException e = assertThrows(CanonicalJsonException.class,
                () -> CanonicalJson.canonicalize("{\"a\":1,\"\\u0061\":2}"));
        assertEquals(CanonicalJsonException.Problem.DUPLICATE_NAME, e.problem());

        e = assertThrows(CanonicalJsonException.class, () -> CanonicalJson.canonicalize(
                "{\"entry\":[{\"resource\":{}},{\"resource\":{\"id\":\"1\",\"meta\":{},\"id\":\"2\"}}]}"));
        assertEquals("/entry/1/resource/id", e.pointer());
    }

    @Test
    void namesThatDifferOnlyInCaseOrNormalisationAreDistinct() {
        // U+00F6 and o + U+0308 are different names (RFC 8785 section 3.1 Note: no normalisation).
        assertEquals("{\"A\":2,\"a\":1,\"o\u0308\":4,\"\u00f6\":3}",
                utf8(CanonicalJson.canonicalize("{\"a\":1,\"A\":2,\"\\u00f6\":3,\"o\\u0308\":4}")));
    }

    @Test
    void messagesDoNotQuoteValues() {
        CanonicalJsonException e = assertThrows(CanonicalJsonException.class,
                () -> CanonicalJson.canonicalize("{\"ssn\":\"123-45-6789\",\"ssn\":\"987-65-4321\"}"));
        assertFalse(e.getMessage().contains("6789"), e.getMessage());
        assertFalse(e.getMessage().contains("4321"), e.getMessage());
    }

    // ---- strings (RFC 8785 section 3.2.2.2) ----

    @ParameterizedTest(name = "U+{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            // Two-character escapes, and lowercase backslash-u-00xx for the rest of U+0000..U+001F, as the
            // rule in RFC 8785 section 3.2.2.2 states; U+000F (written in lowercase hex) is in its own example.
            "0000 | \\u0000",
            "0001 | \\u0001",
            "0007 | \\u0007",
            "0008 | \\b",
            "0009 | \\t",
            "000a | \\n",
            "000b | \\u000b",
            "000c | \\f",
            "000d | \\r",
            "000e | \\u000e",
            "000f | \\u000f",
            "001a | \\u001a",
            "001f | \\u001f",
            "0022 | \\\"",
            "005c | \\\\",
            // Everything else as it is: '/', DEL (weird.json has U+007F), C1 controls (U+0080 in
            // the section 3.2.3 data), and U+2028/U+2029, which JSON.stringify leaves alone.
            "002f | /",
            "007f | \u007f",
            "0080 | \u0080",
            "2028 | \u2028",
            "2029 | \u2029",
            "fffd | \ufffd",
    })
    void eachCharacterIsEscapedOrNotAsSpecified(String hex, String expected) {
        char c = (char) Integer.parseInt(hex, 16);
        String viaEscape = "\"\\u" + hex + "\"";
        assertEquals("\"" + expected + "\"", utf8(CanonicalJson.canonicalize(viaEscape)));
        assertEquals("\"" + expected + "\"", utf8(CanonicalJson.canonicalize(TextNode.valueOf(String.valueOf(c)))));
    }

    @Test
    void noncharactersAreWrittenAsTheyAre() {
        // U+FFFE and U+FFFF are not surrogates: section 3.2.2.2 writes them "as is".
        assertEquals("\"\ufffe\uffff\"", utf8(CanonicalJson.canonicalize("\"\\ufffe\\uFFFF\"")));
    }

    @Test
    void surrogatePairsAreWrittenAsFourUtf8Bytes() {
        byte[] expected = {'"', (byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80, '"'};
        assertArrayEquals(expected, CanonicalJson.canonicalize("\"\\ud83d\\ude00\""));
        assertArrayEquals(expected, CanonicalJson.canonicalize("\"\ud83d\ude00\""));
        assertArrayEquals(expected, CanonicalJson.canonicalize(TextNode.valueOf("\ud83d\ude00")));
        assertArrayEquals(expected, CanonicalJson.canonicalize(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800x\"", "\"\\ud800\\ud800\"", "\"\\ude00\\ud83d\"",
            "[\"ok\", \"\\udead\"]", "{\"\\ud83d\": 1}", "\"\ud800\"", "\"a\udfff\""})
    void loneSurrogatesAreRejected(String text) {
        CanonicalJsonException e = assertThrows(CanonicalJsonException.class, () -> CanonicalJson.canonicalize(text));
        assertEquals(CanonicalJsonException.Problem.LONE_SURROGATE, e.problem());
        assertTrue(e.getMessage().contains("lone surrogate U+D"), e.getMessage());
        assertTrue(e.line() > 0, e.getMessage());
    }

    @Test
    void loneSurrogatesInTreesAreRejectedWithTheirPointer() {
        ObjectNode tree = NODES.objectNode();
        tree.putArray("name").addObject().put("family", "M\u00fcller\udc00");
        CanonicalJsonException e = assertThrows(CanonicalJsonException.class, () -> CanonicalJson.canonicalize(tree));
        assertEquals(CanonicalJsonException.Problem.LONE_SURROGATE, e.problem());
        assertEquals("/name/0/family", e.pointer());
        assertTrue(e.getMessage().contains("U+DC00 at UTF-16 index 6"), e.getMessage());

        ObjectNode badName = NODES.objectNode();
        badName.put("a/b~\ud800", 1);
        e = assertThrows(CanonicalJsonException.class, () -> CanonicalJson.canonicalize(badName));
        assertEquals("/a~1b~0\ud800", e.pointer());
    }

    // ---- UTF-8 input ----

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            // bad continuation byte after C3
            "22 c3 28 22, 1",
            // overlong encoding of '/'
            "22 c0 af 22, 1",
            // a UTF-16 surrogate (U+D800) encoded as if it were a character (CESU-8)
            "22 ed a0 80 22, 1",
            // the byte FF never occurs in UTF-8
            "5b 31 2c ff 5d, 3",
            // a sequence cut short by the end of input
            "22 e2 82, 1",
            // beyond U+10FFFF
            "22 f4 90 80 80 22, 1",
    })
    void malformedUtf8IsRejectedWithItsByteOffset(String hex, long offset) {
        byte[] bytes = java.util.HexFormat.ofDelimiter(" ").parseHex(hex);
        CanonicalJsonException e = assertThrows(CanonicalJsonException.class, () -> CanonicalJson.canonicalize(bytes));
        assertEquals(CanonicalJsonException.Problem.INVALID_UTF8, e.problem());
        assertEquals(offset, e.offset());
        assertTrue(e.getMessage().contains("byte offset " + offset), e.getMessage());
    }

    @Test
    void aByteOrderMarkIsRejected() {
        byte[] withBom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '[', ']'};
        CanonicalJsonException e = assertThrows(CanonicalJsonException.class, () -> CanonicalJson.canonicalize(withBom));
        assertEquals(CanonicalJsonException.Problem.SYNTAX, e.problem());
        assertTrue(e.getMessage().contains("byte order mark"), e.getMessage());
    }

    // ---- JSON grammar (RFC 8259), enforced by Jackson's defaults ----

    @ParameterizedTest
    @ValueSource(strings = {
            "", "   ", "{", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "+1", "-", "1e", "0x10", "'a'", "{a:1}",
            "// comment\n1", "/* c */ 1", "[1] [2]", "{} x", "\"tab\there\"", "\"nl\nhere\"", "tru", "nul",
            "\"\\x41\"", "\"\\u12\"", "[1 2]", "{\"a\" 1}", "\"unterminated"})
    void nonJsonIsASyntaxError(String text) {
        CanonicalJsonException e = assertThrows(CanonicalJsonException.class, () -> CanonicalJson.canonicalize(text));
        assertEquals(CanonicalJsonException.Problem.SYNTAX, e.problem(), e.getMessage());
    }

    @Test
    void syntaxErrorsSayWhere() {
        CanonicalJsonException e = assertThrows(CanonicalJsonException.class,
                () -> CanonicalJson.canonicalize("{\"resourceType\":\"Patient\",\n \"name\":[{\"given\":[\"A\",]}]}"));
        assertEquals(CanonicalJsonException.Problem.SYNTAX, e.problem());
        assertEquals(2, e.line());
        assertEquals("/name/0/given/1", e.pointer());
    }

    @Test
    void whitespaceAroundAndBetweenTokensIsDropped() {
        assertEquals("[1,{\"a\":\"b c\"}]", utf8(CanonicalJson.canonicalize(" \r\n\t[ 1 ,\r\n { \"a\" :\t\"b c\" } ]\n ")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"\"x\" | \"x\"", "true | true", "false | false", "null | null", "12 | 12",
            "[] | []", "{} | {}", "[[],{},[{}]] | [[],{},[{}]]"})
    void scalarsAndEmptyContainersAtTheRoot(String text, String expected) {
        assertEquals(expected, utf8(CanonicalJson.canonicalize(text)));
    }

    // ---- nesting and non-JSON tree nodes ----

    @Test
    void nestingUpToTheLimitIsAcceptedAndBeyondItRejected() {
        String ok = "[".repeat(CanonicalJson.MAX_DEPTH) + "]".repeat(CanonicalJson.MAX_DEPTH);
        assertEquals(ok, utf8(CanonicalJson.canonicalize(ok)));

        String deep = "[".repeat(CanonicalJson.MAX_DEPTH + 1) + "]".repeat(CanonicalJson.MAX_DEPTH + 1);
        CanonicalJsonException e = assertThrows(CanonicalJsonException.class, () -> CanonicalJson.canonicalize(deep));
        assertEquals(CanonicalJsonException.Problem.TOO_DEEP, e.problem());

        String deeper = "[".repeat(5000) + "]".repeat(5000);
        e = assertThrows(CanonicalJsonException.class, () -> CanonicalJson.canonicalize(deeper));
        assertEquals(CanonicalJsonException.Problem.TOO_DEEP, e.problem());

        ArrayNode tree = NODES.arrayNode();
        ArrayNode inner = tree;
        for (int i = 1; i <= CanonicalJson.MAX_DEPTH; i++) {
            inner = inner.addArray();
        }
        e = assertThrows(CanonicalJsonException.class, () -> CanonicalJson.canonicalize(tree));
        assertEquals(CanonicalJsonException.Problem.TOO_DEEP, e.problem());
    }

    @Test
    void parserLimitsAreReportedAsSuch() {
        String longNumber = "[0." + "1".repeat(1500) + "]";
        CanonicalJsonException e = assertThrows(CanonicalJsonException.class, () -> CanonicalJson.canonicalize(longNumber));
        assertEquals(CanonicalJsonException.Problem.LIMIT_EXCEEDED, e.problem(), e.getMessage());
        // Just below the limit the long number is read as the nearest double.
        assertEquals("[0.1111111111111111]", utf8(CanonicalJson.canonicalize("[0." + "1".repeat(900) + "]")));
    }

    @Test
    void aCycleInATreeIsRejectedNotAStackOverflow() {
        ObjectNode node = NODES.objectNode();
        node.set("self", node);
        CanonicalJsonException e = assertThrows(CanonicalJsonException.class, () -> CanonicalJson.canonicalize(node));
        assertEquals(CanonicalJsonException.Problem.TOO_DEEP, e.problem());
    }

    @Test
    void treeNodesOutsideTheJsonDataModelAreRejected() {
        for (JsonNode bad : new JsonNode[] {
                BinaryNode.valueOf(new byte[] {1, 2}), new POJONode(new Object()), MissingNode.getInstance()}) {
            ObjectNode tree = NODES.objectNode();
            tree.putArray("data").add(bad);
            CanonicalJsonException e = assertThrows(CanonicalJsonException.class, () -> CanonicalJson.canonicalize(tree));
            assertEquals(CanonicalJsonException.Problem.UNSUPPORTED_VALUE, e.problem());
            assertEquals("/data/0", e.pointer());
        }
    }

    @Test
    void parseGivesTheDataModelThatIsCanonicalized() {
        JsonNode tree = CanonicalJson.parse("{\"n\":[1,4.50,123456789012345678901],\"s\":\"\\u00e9\"}");
        assertTrue(tree.get("n").get(0).isDouble());
        assertEquals(4.5, tree.get("n").get(1).doubleValue());
        assertEquals(123456789012345678901.0, tree.get("n").get(2).doubleValue());
        assertEquals("\u00e9", tree.get("s").textValue());
        assertArrayEquals("{\"n\":[1,4.5,123456789012345680000],\"s\":\"\u00e9\"}".getBytes(StandardCharsets.UTF_8),
                CanonicalJson.canonicalize(tree));
    }
}
