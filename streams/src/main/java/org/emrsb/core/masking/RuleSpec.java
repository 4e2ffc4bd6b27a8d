package org.emrsb.core.masking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One rule of a policy document being read: typed access to its parameters, each checked, and
 * errors that name the policy, the rule's number, its field and its type. Every parameter read is
 * recorded so that {@link #finish()} can refuse the keys no reader asked for.
 */
final class RuleSpec {

    final String source;
    final int number;
    final String field;
    final String type;
    final ObjectNode node;
    final Path baseDir;
    final MaskingKeys keys;
    private final Set<String> known = new LinkedHashSet<>(List.of("field", "rule", "validate", "description"));

    /** "rule", or "fhir rule" for a rule of a policy's FHIR section. */
    final String what;
    /** The key that names what the rule applies to: "field", or "path" for FHIR rules. */
    final String fieldKey;

    private RuleSpec(String source, int number, String field, String type, ObjectNode node, Path baseDir,
            MaskingKeys keys, String what, String fieldKey) {
        this.what = what;
        this.fieldKey = fieldKey;
        if (!fieldKey.equals("field")) {
            known.remove("field");
            known.add(fieldKey);
        }
        this.source = source;
        this.number = number;
        this.field = field;
        this.type = type;
        this.node = node;
        this.baseDir = baseDir;
        this.keys = keys;
    }

    /**
     * Starts reading rule {@code number}, the part flat and FHIR rules share: {@code node} must be an
     * object with a string {@code fieldKey} ({@code example} ends the error when it is missing) and a
     * string {@code rule}.
     */
    static RuleSpec read(JsonNode node, int number, String source, Path baseDir, MaskingKeys keys, String what,
            String fieldKey, String example) throws PolicyException {
        if (!(node instanceof ObjectNode object)) {
            throw new PolicyException(source + ": " + what + " " + number + ": a rule is an object with '" + fieldKey
                    + "' and 'rule'", number, null, null);
        }
        JsonNode fieldNode = object.get(fieldKey);
        if (fieldNode == null || !fieldNode.isTextual()) {
            throw new PolicyException(source + ": " + what + " " + number + ": '" + fieldKey + "' is required "
                    + example, number, null, null);
        }
        String field = fieldNode.textValue();
        JsonNode typeNode = object.get("rule");
        if (typeNode == null || !typeNode.isTextual()) {
            throw new PolicyException(source + ": " + what + " " + number + " (" + fieldKey + " '" + field
                    + "'): 'rule' is required: " + String.join(", ", MaskingPolicy.RULE_TYPES), number, field, null);
        }
        return new RuleSpec(source, number, field, typeNode.textValue(), object, baseDir, keys, what, fieldKey);
    }

    PolicyException error(String problem) {
        return error(problem, null);
    }

    PolicyException error(String problem, Throwable cause) {
        return new PolicyException(source + ": " + what + " " + number + " (" + fieldKey + " '" + field + "', rule '"
                + type + "'): " + problem, number, field, cause);
    }

    private JsonNode get(String key) {
        known.add(key);
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? null : value;
    }

    boolean has(String key) {
        known.add(key);
        JsonNode value = node.get(key);
        return value != null && !value.isNull();
    }

    int integer(String key, Integer fallback, int min, int max) throws PolicyException {
        JsonNode value = get(key);
        if (value == null) {
            if (fallback == null) {
                throw error("'" + key + "' is required (a whole number from " + min + " to " + max + ")");
            }
            return fallback;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.intValue() < min || value.intValue() > max) {
            throw error("'" + key + "' must be a whole number from " + min + " to " + max);
        }
        return value.intValue();
    }

    /** A number; null when absent and {@code required} is false. */
    BigDecimal number(String key, boolean required) throws PolicyException {
        JsonNode value = get(key);
        if (value == null) {
            if (required) {
                throw error("'" + key + "' is required (a number)");
            }
            return null;
        }
        if (!value.isNumber() || ((value.isDouble() || value.isFloat()) && !Double.isFinite(value.doubleValue()))) {
            throw error("'" + key + "' must be a number");
        }
        BigDecimal d = value.decimalValue().stripTrailingZeros();
        if (d.abs().compareTo(NumberGeneralisation.LIMIT) >= 0 || d.scale() > 6) {
            throw error("'" + key + "' must be below 10^15 with at most 6 decimals");
        }
        return d;
    }

    String string(String key, String fallback) throws PolicyException {
        JsonNode value = get(key);
        if (value == null) {
            if (fallback == null) {
                throw error("'" + key + "' is required (a string)");
            }
            return fallback;
        }
        if (!value.isTextual()) {
            throw error("'" + key + "' must be a string");
        }
        return value.textValue();
    }

    String choice(String key, String fallback, String... allowed) throws PolicyException {
        String value = string(key, fallback);
        for (String a : allowed) {
            if (a.equals(value)) {
                return value;
            }
        }
        throw error("'" + key + "' must be one of " + String.join(", ", allowed));
    }

    boolean bool(String key, boolean fallback) throws PolicyException {
        JsonNode value = get(key);
        if (value == null) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw error("'" + key + "' must be true or false");
        }
        return value.booleanValue();
    }

    /** A list of whole numbers, or null when absent. */
    List<Integer> integers(String key, int min, int max) throws PolicyException {
        JsonNode value = get(key);
        if (value == null) {
            return null;
        }
        if (!value.isArray() || value.isEmpty()) {
            throw error("'" + key + "' must be a non-empty list of whole numbers");
        }
        Set<Integer> out = new TreeSet<>();
        for (JsonNode v : value) {
            if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < min || v.intValue() > max) {
                throw error("'" + key + "' must list whole numbers from " + min + " to " + max);
            }
            out.add(v.intValue());
        }
        return List.copyOf(out);
    }

    /** A list of strings, or null when absent. */
    List<String> strings(String key) throws PolicyException {
        JsonNode value = get(key);
        if (value == null) {
            return null;
        }
        if (!value.isArray()) {
            throw error("'" + key + "' must be a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode v : value) {
            if (!v.isTextual()) {
                throw error("'" + key + "' must be a list of strings");
            }
            out.add(v.textValue());
        }
        return out;
    }

    /** Refuses keys that no reader of this rule type asked for. */
    void finish() throws PolicyException {
        List<String> unknown = new ArrayList<>();
        node.fieldNames().forEachRemaining(k -> {
            if (!known.contains(k)) {
                unknown.add(k);
            }
        });
        if (!unknown.isEmpty()) {
            List<String> allowed = new ArrayList<>(known);
            throw error("unknown key" + (unknown.size() > 1 ? "s " : " ") + quoted(unknown) + " (this rule takes "
                    + quoted(allowed) + ")");
        }
    }

    static String quoted(List<String> names) {
        List<String> q = new ArrayList<>();
        for (String n : names) {
            q.add("'" + n + "'");
        }
        return String.join(", ", q);
    }
}
