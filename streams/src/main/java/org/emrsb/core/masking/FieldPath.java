package org.emrsb.core.masking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A field path: member names separated by dots, each optionally followed by {@code [*]} (every
 * element of an array) any number of times: {@code name}, {@code patient.address.city},
 * {@code contacts[*].phone}, {@code matrix[*][*]}. Member names cannot contain '.', '[' or ']'.
 */
final class FieldPath {

    /** One member name and how many array levels follow it. */
    record Segment(String name, int wildcards) {
    }

    private final String text;
    private final Segment[] segments;
    private final List<String> tokens; // names and "[*]", for overlap checks
    private final boolean wildcard;

    private FieldPath(String text, Segment[] segments, List<String> tokens) {
        this.text = text;
        this.segments = segments;
        this.tokens = tokens;
        boolean any = false;
        for (Segment s : segments) {
            any |= s.wildcards() > 0;
        }
        this.wildcard = any;
    }

    /**
     * Parses a path.
     *
     * @throws IllegalArgumentException with the reason when it is not a path
     */
    static FieldPath parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("the path is empty");
        }
        List<Segment> segments = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        for (String part : text.split("\\.", -1)) {
            int bracket = part.indexOf('[');
            String name = bracket < 0 ? part : part.substring(0, bracket);
            if (name.isEmpty()) {
                throw new IllegalArgumentException("empty member name in path '" + text + "'");
            }
            if (name.indexOf(']') >= 0) {
                throw new IllegalArgumentException("stray ']' in path '" + text + "'");
            }
            tokens.add(name);
            int wildcards = 0;
            String rest = bracket < 0 ? "" : part.substring(bracket);
            while (!rest.isEmpty()) {
                if (!rest.startsWith("[*]")) {
                    throw new IllegalArgumentException("only [*] may follow a member name, in path '" + text + "'");
                }
                wildcards++;
                tokens.add("[*]");
                rest = rest.substring(3);
            }
            segments.add(new Segment(name, wildcards));
        }
        return new FieldPath(text, segments.toArray(new Segment[0]), List.copyOf(tokens));
    }

    String text() {
        return text;
    }

    boolean hasWildcard() {
        return wildcard;
    }

    /** Whether one path is this one or lies inside it, or the other way round. */
    boolean overlaps(FieldPath other) {
        int n = Math.min(tokens.size(), other.tokens.size());
        return tokens.subList(0, n).equals(other.tokens.subList(0, n));
    }

    /** The value at a path without wildcards, or null when absent or the path goes through a non-object. */
    JsonNode single(ObjectNode root) {
        JsonNode node = root;
        for (Segment s : segments) {
            if (!(node instanceof ObjectNode) || s.wildcards() > 0) {
                return null;
            }
            node = node.get(s.name());
        }
        return node;
    }

    /** What to do with each value the path reaches. */
    interface Visitor {
        /** The new value for {@code value} at {@code where}, or {@code value} itself to leave it. */
        JsonNode visit(JsonNode value, String where, MaskContext context);
    }

    /**
     * Visits every value the path reaches in {@code root} and stores what the visitor returns in its
     * place (keeping member order). A missing member or a null on the way ends the walk there; any
     * other value where an object or array is expected is replaced by "*" with a warning, since it
     * may hold what the rule should have masked.
     */
    void replace(ObjectNode root, Visitor visitor, MaskContext context) {
        Segment first = segments[0];
        JsonNode child = root.get(first.name());
        if (child != null) {
            walk(root, first.name(), -1, child, 0, 0, first.name(), visitor, context);
        }
    }

    private void walk(JsonNode parent, String key, int index, JsonNode node, int seg, int wild, String where,
            Visitor visitor, MaskContext context) {
        Segment s = segments[seg];
        if (wild < s.wildcards()) {
            if (node.isNull()) {
                return;
            }
            if (!(node instanceof ArrayNode array)) {
                context.warn(where, "expected an array, found " + Values.kind(node) + "; replaced by *");
                store(parent, key, index, Values.STAR);
                return;
            }
            for (int i = 0; i < array.size(); i++) {
                walk(array, null, i, array.get(i), seg, wild + 1, where + "[" + i + "]", visitor, context);
            }
            return;
        }
        if (seg == segments.length - 1) {
            JsonNode replaced = visitor.visit(node, where, context);
            if (replaced != node) {
                store(parent, key, index, replaced);
            }
            return;
        }
        if (node.isNull()) {
            return;
        }
        if (!(node instanceof ObjectNode object)) {
            context.warn(where, "expected an object, found " + Values.kind(node) + "; replaced by *");
            store(parent, key, index, Values.STAR);
            return;
        }
        Segment next = segments[seg + 1];
        JsonNode child = object.get(next.name());
        if (child != null) {
            walk(object, next.name(), -1, child, seg + 1, 0, where + "." + next.name(), visitor, context);
        }
    }

    /** Stores {@code value}; {@link Values#REMOVED} drops an object's member and nulls an array element. */
    private static void store(JsonNode parent, String key, int index, JsonNode value) {
        boolean removed = value == Values.REMOVED;
        if (parent instanceof ObjectNode object) {
            if (removed) {
                object.remove(key);
            } else {
                object.set(key, value);
            }
        } else {
            ((ArrayNode) parent).set(index, removed ? NullNode.getInstance() : value);
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
