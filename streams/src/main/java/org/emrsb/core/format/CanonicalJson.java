package org.emrsb.core.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The JSON Canonicalization Scheme (JCS, RFC 8785): one byte sequence for every JSON value, so
 * that a masked medical record (FHIR resources nested to any depth) hashes and signs the same
 * wherever it is serialised.
 *
 * <p>The canonical form is UTF-8 with no whitespace between tokens; object members sorted by
 * name compared as arrays of UTF-16 code units (not code points, not locale-aware: this is
 * {@link String#compareTo}); strings escaped exactly as ECMAScript {@code JSON.stringify} does
 * (<code>\b \t \n \f \r \" \\</code>, other characters below U+0020 as lowercase
 * <code>&#92;u00xx</code>, everything else, U+007F, U+2028 and U+2029 included, as is); numbers
 * written as ECMAScript's {@code Number.prototype.toString} writes the IEEE-754 double
 * ({@code 1e+21}, {@code 1e-7}, {@code 0.000001}, {@code 333333333.3333333}; {@code -0} as
 * {@code 0}).
 *
 * <p>Input is held to I-JSON (RFC 7493) as RFC 8785 section 3.1 requires, and rejected with a
 * {@link CanonicalJsonException} otherwise: duplicate member names (compared after unescaping),
 * lone surrogates (escaped or not), malformed UTF-8, and numbers too large for a double. Every
 * number is read as the nearest IEEE-754 double, as JavaScript's {@code JSON.parse} reads it, so
 * precision beyond about 17 significant digits is lost: {@code 123456789012345678901} and
 * {@code 123456789012345680000} canonicalize alike, and so do {@code 4.50} and {@code 4.5}.
 * Values that must survive exactly (identifiers, money, 64-bit integers) belong in JSON strings
 * (RFC 8785 Appendix D). Numbers too small for a double become {@code 0}, as in JavaScript.
 *
 * <p>Jackson is used only to tokenise; the tree is built and written here. Jackson's default read
 * limits apply on top of {@link #MAX_DEPTH}: strings up to 20,000,000 chars, numbers up to 1,000
 * chars, member names up to 50,000 chars (beyond them: {@code LIMIT_EXCEEDED}). Stateless and
 * thread-safe.
 */
public final class CanonicalJson {

    /** The deepest nesting of arrays and objects accepted, from text or from a tree. */
    public static final int MAX_DEPTH = 1000;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            // One more than ours so that our own check, with its clearer message, fires first.
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH + 1).build())
            // Never copy the (medical) input into exception messages.
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private CanonicalJson() {
    }

    /**
     * The canonical UTF-8 bytes of a JSON text.
     *
     * @throws CanonicalJsonException if the text is not I-JSON (see the class comment)
     */
    public static byte[] canonicalize(String json) {
        return canonicalize(parse(json));
    }

    /**
     * The canonical UTF-8 bytes of a JSON text given as UTF-8 bytes (without a byte order mark).
     *
     * @throws CanonicalJsonException if the bytes are not well-formed UTF-8 or not I-JSON
     */
    public static byte[] canonicalize(byte[] utf8Json) {
        return canonicalize(parse(utf8Json));
    }

    /**
     * The canonical UTF-8 bytes of a Jackson tree. Numbers of any node type are taken as the
     * nearest double ({@link JsonNode#doubleValue()}: exact for ints, longs and big integers up to
     * 2^53, correctly rounded beyond and for big decimals). The tree's own member order is ignored.
     *
     * @throws CanonicalJsonException for NaN or infinite numbers, lone surrogates in strings or
     *         names, binary, POJO or missing nodes, or nesting deeper than {@link #MAX_DEPTH}
     */
    public static byte[] canonicalize(JsonNode node) {
        Objects.requireNonNull(node, "node");
        Writer w = new Writer();
        w.value(node);
        return w.out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * ECMAScript {@code Number.prototype.toString} of a double, the canonical form of a JSON number
     * (RFC 8785 section 3.2.2.3): {@code formatNumber(1e21)} is {@code "1e+21"},
     * {@code formatNumber(-0.0)} is {@code "0"}.
     *
     * @throws CanonicalJsonException for NaN and the infinities
     */
    public static String formatNumber(double value) {
        return EcmaScriptNumbers.toString(value);
    }

    /**
     * Parses an I-JSON text into a Jackson tree whose numbers are all {@link DoubleNode}s, the data
     * model RFC 8785 canonicalizes.
     *
     * @throws CanonicalJsonException if the text is not I-JSON (see the class comment)
     */
    public static JsonNode parse(String json) {
        Objects.requireNonNull(json, "json");
        if (!json.isEmpty() && json.charAt(0) == '\uFEFF') {
            throw new CanonicalJsonException(CanonicalJsonException.Problem.SYNTAX,
                    "byte order mark before the JSON text (RFC 8259 section 8.1)", null, 1, 1, 0, null);
        }
        Path path = new Path();
        try (JsonParser p = FACTORY.createParser(json)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw syntax("no JSON value in the input", path, p.currentLocation(), null);
            }
            JsonNode root = read(p, t, path);
            if (p.nextToken() != null) {
                throw syntax("trailing content after the JSON value", path, p.currentTokenLocation(), null);
            }
            return root;
        } catch (StreamConstraintsException e) {
            JsonLocation at = e.getLocation();
            throw new CanonicalJsonException(CanonicalJsonException.Problem.LIMIT_EXCEEDED,
                    "input beyond a parser limit: " + e.getOriginalMessage(), path.pointer(),
                    at == null ? -1 : at.getLineNr(), at == null ? -1 : at.getColumnNr(),
                    at == null ? -1 : at.getCharOffset(), e);
        } catch (JsonProcessingException e) {
            throw syntax("not JSON: " + e.getOriginalMessage(), path, e.getLocation(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not expected from an in-memory String
        }
    }

    /**
     * Parses an I-JSON text given as UTF-8 bytes; see {@link #parse(String)}. Malformed UTF-8
     * (including overlong forms and encoded surrogates) is reported with its byte offset; later
     * problems with line, column and char offset in the decoded text.
     *
     * @throws CanonicalJsonException if the bytes are not well-formed UTF-8 or not I-JSON
     */
    public static JsonNode parse(byte[] utf8Json) {
        Objects.requireNonNull(utf8Json, "utf8Json");
        return parse(decodeUtf8(utf8Json));
    }

    // ---------------------------------------------------------------------------------------------
    // Reading

    private static String decodeUtf8(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length); // never more chars than bytes
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new CanonicalJsonException(CanonicalJsonException.Problem.INVALID_UTF8,
                    "malformed UTF-8: " + result.length() + " byte(s) that are not a valid sequence",
                    null, -1, -1, in.position(), null);
        }
        out.flip();
        return out.toString();
    }

    private static JsonNode read(JsonParser p, JsonToken t, Path path) throws IOException {
        if (t == null) {
            throw syntax("unexpected end of input", path, p.currentLocation(), null);
        }
        switch (t) {
            case START_OBJECT: {
                checkDepth(path, p);
                ObjectNode object = NODES.objectNode();
                for (JsonToken n = p.nextToken(); n != JsonToken.END_OBJECT; n = p.nextToken()) {
                    if (n != JsonToken.FIELD_NAME) {
                        throw syntax("expected a member name, found " + n, path, p.currentTokenLocation(), null);
                    }
                    String name = p.currentName();
                    JsonLocation at = p.currentTokenLocation();
                    path.push(name);
                    checkSurrogates(name, "member name", path, at);
                    if (object.has(name)) {
                        throw new CanonicalJsonException(CanonicalJsonException.Problem.DUPLICATE_NAME,
                                "duplicate member name (I-JSON, RFC 7493 section 2.3)",
                                path.pointer(), at.getLineNr(), at.getColumnNr(), at.getCharOffset(), null);
                    }
                    JsonNode value = read(p, p.nextToken(), path);
                    path.pop();
                    object.set(name, value);
                }
                return object;
            }
            case START_ARRAY: {
                checkDepth(path, p);
                ArrayNode array = NODES.arrayNode();
                path.push(0);
                for (int index = 0; ; index++) {
                    path.replaceTop(index); // before reading, so a syntax error points at the element
                    JsonToken n = p.nextToken();
                    if (n == JsonToken.END_ARRAY) {
                        break;
                    }
                    array.add(read(p, n, path));
                }
                path.pop();
                return array;
            }
            case VALUE_STRING: {
                String s = p.getText();
                checkSurrogates(s, "string", path, p.currentTokenLocation());
                return TextNode.valueOf(s);
            }
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT: {
                // The nearest double, ties to even, as JSON.parse: Double.parseDouble is correctly
                // rounded and accepts every JSON number (Jackson has checked the grammar).
                double d = Double.parseDouble(p.getText());
                if (Double.isInfinite(d)) {
                    JsonLocation at = p.currentTokenLocation();
                    throw new CanonicalJsonException(CanonicalJsonException.Problem.NUMBER_OUT_OF_RANGE,
                            "number too large for an IEEE-754 double (I-JSON, RFC 7493 section 2.2)",
                            path.pointer(), at.getLineNr(), at.getColumnNr(), at.getCharOffset(), null);
                }
                return DoubleNode.valueOf(d);
            }
            case VALUE_TRUE:
                return BooleanNode.TRUE;
            case VALUE_FALSE:
                return BooleanNode.FALSE;
            case VALUE_NULL:
                return NullNode.instance;
            default:
                throw syntax("unexpected " + t, path, p.currentTokenLocation(), null);
        }
    }

    private static void checkDepth(Path path, JsonParser p) {
        if (path.size() >= MAX_DEPTH) {
            JsonLocation at = p.currentTokenLocation();
            throw new CanonicalJsonException(CanonicalJsonException.Problem.TOO_DEEP,
                    "arrays and objects nested deeper than " + MAX_DEPTH,
                    path.pointer(), at.getLineNr(), at.getColumnNr(), at.getCharOffset(), null);
        }
    }

    private static void checkSurrogates(String s, String what, Path path, JsonLocation at) {
        int bad = loneSurrogateIndex(s);
        if (bad >= 0) {
            throw new CanonicalJsonException(CanonicalJsonException.Problem.LONE_SURROGATE,
                    loneSurrogateMessage(s, bad, what),
                    path.pointer(), at.getLineNr(), at.getColumnNr(), at.getCharOffset(), null);
        }
    }

    private static int loneSurrogateIndex(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    private static String loneSurrogateMessage(String s, int index, String what) {
        return String.format("lone surrogate U+%04X at UTF-16 index %d of a %s (RFC 8785 section 3.2.2.2)",
                (int) s.charAt(index), index, what);
    }

    private static CanonicalJsonException syntax(String detail, Path path, JsonLocation at, Throwable cause) {
        long line = at == null ? -1 : at.getLineNr();
        long column = at == null ? -1 : at.getColumnNr();
        long offset = at == null ? -1 : at.getCharOffset();
        return new CanonicalJsonException(CanonicalJsonException.Problem.SYNTAX, detail,
                path.pointer(), line, column, offset, cause);
    }

    // ---------------------------------------------------------------------------------------------
    // Writing

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private static final class Writer {
        final StringBuilder out = new StringBuilder(256);
        final Path path = new Path();

        void value(JsonNode node) {
            switch (node.getNodeType()) {
                case OBJECT:
                    object(node);
                    break;
                case ARRAY:
                    array(node);
                    break;
                case STRING:
                    string(node.textValue(), "string");
                    break;
                case NUMBER:
                    try {
                        EcmaScriptNumbers.append(out, node.doubleValue());
                    } catch (CanonicalJsonException e) {
                        throw e.at(path.pointer());
                    }
                    break;
                case BOOLEAN:
                    out.append(node.booleanValue() ? "true" : "false");
                    break;
                case NULL:
                    out.append("null");
                    break;
                default: // BINARY, POJO, MISSING
                    throw new CanonicalJsonException(CanonicalJsonException.Problem.UNSUPPORTED_VALUE,
                            "a " + node.getNodeType() + " node is not a JSON value",
                            path.pointer(), -1, -1, -1, null);
            }
        }

        private void object(JsonNode node) {
            checkDepth();
            List<Map.Entry<String, JsonNode>> members = new ArrayList<>(node.properties());
            // String.compareTo compares UTF-16 code units as unsigned values, shorter prefix first:
            // exactly the order of RFC 8785 section 3.2.3.
            members.sort(Map.Entry.comparingByKey());
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonNode> member : members) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                path.push(member.getKey());
                string(member.getKey(), "member name");
                out.append(':');
                value(member.getValue());
                path.pop();
            }
            out.append('}');
        }

        private void array(JsonNode node) {
            checkDepth();
            out.append('[');
            path.push(0);
            for (int i = 0, n = node.size(); i < n; i++) {
                if (i > 0) {
                    out.append(',');
                }
                path.replaceTop(i);
                value(node.get(i));
            }
            path.pop();
            out.append(']');
        }

        private void checkDepth() {
            if (path.size() >= MAX_DEPTH) {
                throw new CanonicalJsonException(CanonicalJsonException.Problem.TOO_DEEP,
                        "arrays and objects nested deeper than " + MAX_DEPTH + " (or a cycle)",
                        path.pointer(), -1, -1, -1, null);
            }
        }

        /** RFC 8785 section 3.2.2.2, which is ECMAScript's QuoteJSONString minus lone surrogates. */
        private void string(String s, String what) {
            StringBuilder o = out;
            o.append('"');
            int n = s.length();
            int run = 0; // start of the pending run of characters copied as they are
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c)) {
                    continue;
                }
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++; // a well-formed pair is copied as it is (4 bytes of UTF-8)
                    continue;
                }
                o.append(s, run, i);
                run = i + 1;
                switch (c) {
                    case '"':
                        o.append("\\\"");
                        break;
                    case '\\':
                        o.append("\\\\");
                        break;
                    case '\b':
                        o.append("\\b");
                        break;
                    case '\t':
                        o.append("\\t");
                        break;
                    case '\n':
                        o.append("\\n");
                        break;
                    case '\f':
                        o.append("\\f");
                        break;
                    case '\r':
                        o.append("\\r");
                        break;
                    default:
                        if (c < 0x20) {
                            o.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                        } else {
                            throw new CanonicalJsonException(CanonicalJsonException.Problem.LONE_SURROGATE,
                                    loneSurrogateMessage(s, i, what), path.pointer(), -1, -1, -1, null);
                        }
                }
            }
            o.append(s, run, n).append('"');
        }
    }

    // ---------------------------------------------------------------------------------------------

    /** Where the reader or writer is, as RFC 6901 JSON Pointer segments; turned to text only on error. */
    private static final class Path {
        private Object[] segments = new Object[16];
        private int size;

        int size() {
            return size;
        }

        void push(Object segment) {
            if (size == segments.length) {
                segments = java.util.Arrays.copyOf(segments, size * 2);
            }
            segments[size++] = segment;
        }

        void replaceTop(int index) {
            segments[size - 1] = index;
        }

        void pop() {
            segments[--size] = null;
        }

        String pointer() {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < size; i++) {
                sb.append('/');
                String s = segments[i].toString();
                for (int j = 0; j < s.length(); j++) {
                    char c = s.charAt(j);
                    if (c == '~') {
                        sb.append("~0");
                    } else if (c == '/') {
                        sb.append("~1");
                    } else {
                        sb.append(c);
                    }
                }
            }
            return sb.toString();
        }
    }
}
