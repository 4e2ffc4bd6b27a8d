package org.emrsb.core.privacy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.emrsb.core.format.CanonicalJson;
import org.emrsb.core.format.CanonicalJsonException;
import org.emrsb.core.format.Sha256;

/**
 * The configured quasi-identifiers: field paths of the <em>masked</em> record (after generalisation),
 * such as {@code age}, {@code gender}, {@code address} or {@code address[0].postalCode} for a FHIR
 * Patient. A path is member names separated by dots, each optionally followed by {@code [n]} indexes
 * (an array element); wildcards are not allowed, because an equivalence class needs one value per
 * quasi-identifier.
 *
 * <p>The equivalence class of a record is the RFC 8785 canonical JSON of the object that maps each
 * quasi-identifier path to its value, present paths only: a missing quasi-identifier is its own value
 * ("absent"), distinct from every present value, {@code null} included. {@link #classKey} is the
 * SHA-256 of that text in lowercase hex, so counting state and the repartition topic hold 64 characters
 * per class whatever the values, and nothing but the generalised quasi-identifiers enters it.
 * Values compare as canonical JSON: {@code "60"} and {@code 60} are different classes.
 */
public final class QuasiIdentifiers {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final List<Path> paths;

    private QuasiIdentifiers(List<Path> paths) {
        this.paths = List.copyOf(paths);
    }

    /**
     * The quasi-identifiers of a comma-separated list ({@code age, gender, address}); blanks around the
     * names are ignored.
     *
     * @throws IllegalArgumentException when the list is empty, a path is malformed or named twice
     */
    public static QuasiIdentifiers parse(String commaSeparated) {
        if (commaSeparated == null || commaSeparated.isBlank()) {
            throw new IllegalArgumentException("no quasi-identifier given");
        }
        Set<String> seen = new LinkedHashSet<>();
        List<Path> paths = new ArrayList<>();
        for (String part : commaSeparated.split(",", -1)) {
            String text = part.strip();
            if (!seen.add(text)) {
                throw new IllegalArgumentException("quasi-identifier '" + text + "' is named twice");
            }
            paths.add(Path.parse(text));
        }
        return new QuasiIdentifiers(paths);
    }

    /** The paths as configured, in order. */
    public List<String> names() {
        return paths.stream().map(Path::text).toList();
    }

    /**
     * The canonical class text of a masked body: e.g. {@code {"age":"[60, 65]","gender":"F"}}.
     *
     * @throws NotAnObjectException when the body is not a JSON object
     * @throws CanonicalJsonException when the body is not I-JSON
     */
    public String classText(byte[] maskedBody) {
        return new String(classBytes(maskedBody), StandardCharsets.UTF_8);
    }

    /**
     * The equivalence-class key of a masked body: {@link Sha256#hex} (which hashes its argument) of the
     * SHA-256 of {@link #classText}'s UTF-8, hashed from the canonical bytes without a round trip through
     * a String. Same exceptions as {@link #classText}.
     */
    public String classKey(byte[] maskedBody) {
        return Sha256.hex(Sha256.hash(classBytes(maskedBody)));
    }

    /** {@link #classText} as canonical JSON bytes (UTF-8). */
    private byte[] classBytes(byte[] maskedBody) {
        JsonNode root = CanonicalJson.parse(maskedBody);
        if (!(root instanceof ObjectNode object)) {
            throw new NotAnObjectException();
        }
        ObjectNode values = NODES.objectNode();
        for (Path path : paths) {
            JsonNode value = path.find(object);
            if (value != null) {
                values.set(path.text(), value);
            }
        }
        return CanonicalJson.canonicalize(values);
    }

    /** A masked body that is JSON but not an object. */
    public static final class NotAnObjectException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotAnObjectException() {
            super("the masked body is not a JSON object");
        }
    }

    /** One path: member names, each with the array indexes that follow it. */
    private record Path(String text, List<String> names, List<int[]> indexes) {

        static Path parse(String text) {
            if (text.isEmpty()) {
                throw new IllegalArgumentException("empty quasi-identifier");
            }
            List<String> names = new ArrayList<>();
            List<int[]> indexes = new ArrayList<>();
            for (String part : text.split("\\.", -1)) {
                int bracket = part.indexOf('[');
                String name = bracket < 0 ? part : part.substring(0, bracket);
                if (name.isEmpty() || name.indexOf(']') >= 0) {
                    throw new IllegalArgumentException("quasi-identifier '" + text
                            + "': member names are separated by single dots and cannot contain ']'");
                }
                List<Integer> found = new ArrayList<>();
                String rest = bracket < 0 ? "" : part.substring(bracket);
                while (!rest.isEmpty()) {
                    int close = rest.indexOf(']');
                    String index = close < 0 ? "" : rest.substring(1, close);
                    if (!rest.startsWith("[") || !index.matches("0|[1-9][0-9]{0,8}")) {
                        throw new IllegalArgumentException("quasi-identifier '" + text
                                + "': only [n] (an array index) may follow a member name");
                    }
                    found.add(Integer.parseInt(index));
                    rest = rest.substring(close + 1);
                }
                names.add(name);
                indexes.add(found.stream().mapToInt(Integer::intValue).toArray());
            }
            return new Path(text, List.copyOf(names), List.copyOf(indexes));
        }

        /** The value at this path, or null when a member or element on the way is absent. */
        JsonNode find(ObjectNode root) {
            JsonNode node = root;
            for (int i = 0; i < names.size(); i++) {
                if (!(node instanceof ObjectNode object)) {
                    return null;
                }
                node = object.get(names.get(i));
                for (int index : indexes.get(i)) {
                    if (!(node instanceof ArrayNode array) || index >= array.size()) {
                        return null;
                    }
                    node = array.get(index);
                }
            }
            return node;
        }
    }
}
