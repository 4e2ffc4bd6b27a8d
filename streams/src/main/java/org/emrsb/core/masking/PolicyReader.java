package org.emrsb.core.masking;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads and checks a policy document (see {@link MaskingPolicy} for the format). */
final class PolicyReader {

    static final long MAX_FILE_SIZE = 4L << 20;
    private static final Set<String> TOP_LEVEL = Set.of("id", "version", "description", "subjectField", "options", "rules", "fhir");
    private static final Set<String> OPTIONS = Set.of("rejectInvalidResidentId");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    /** One rule as read: its number, path, transformation and whether it validates resident IDs. */
    record Entry(int number, FieldPath path, FieldRule rule, boolean validateResidentId, String description) {
    }

    /** A checked policy document, ready to build a {@link MaskingPolicy}. */
    record Parsed(String id, String version, String description, FieldPath subjectField,
            boolean rejectInvalidResidentId, List<Entry> entries, FhirRuleSet fhir) {
    }

    private PolicyReader() {
    }

    /** How a policy's text is written. */
    enum Syntax { JSON, YAML, GUESS }

    /**
     * Parses a policy file: JSON if its name ends in .json, YAML if in .yaml or .yml, else guessed
     * from its text (see {@link Syntax#GUESS}).
     */
    static JsonNode readFile(Path file) throws PolicyException {
        byte[] bytes;
        try {
            if (!Files.isRegularFile(file)) {
                throw new PolicyException("policy file " + file + " does not exist or is not a file");
            }
            if (Files.size(file) > MAX_FILE_SIZE) {
                throw new PolicyException("policy file " + file + " is larger than 4 MiB");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new PolicyException("cannot read policy file " + file + ": " + e.getMessage(), e);
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        Syntax syntax = name.endsWith(".json") ? Syntax.JSON
                : name.endsWith(".yaml") || name.endsWith(".yml") ? Syntax.YAML : Syntax.GUESS;
        return parseText(new String(bytes, StandardCharsets.UTF_8), syntax, file.toString());
    }

    /**
     * Parses a policy's text. {@link Syntax#GUESS} reads text that starts with '{' as JSON and, should
     * that fail, as YAML (a flow mapping); anything else as YAML. Errors are the JSON parser's for
     * text that starts with '{'.
     */
    static JsonNode parseText(String text, Syntax syntax, String source) throws PolicyException {
        if (syntax == Syntax.GUESS) {
            if (!text.stripLeading().startsWith("{")) {
                return parseText(text, Syntax.YAML, source);
            }
            try {
                return parseText(text, Syntax.JSON, source);
            } catch (PolicyException asJson) {
                try {
                    return parseText(text, Syntax.YAML, source);
                } catch (PolicyException asYaml) {
                    throw asJson;
                }
            }
        }
        boolean json = syntax == Syntax.JSON;
        try {
            JsonNode node = (json ? JSON : YAML).readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new PolicyException(source + ": the policy is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new PolicyException(source + ": not valid " + (json ? "JSON" : "YAML") + where + ": "
                    + e.getOriginalMessage(), e);
        }
    }

    static Parsed read(JsonNode document, String source, Path baseDir, MaskingKeys keys) throws PolicyException {
        if (!(document instanceof ObjectNode root)) {
            throw new PolicyException(source + ": a policy is an object with id, version, subjectField, options and rules");
        }
        List<String> unknown = new ArrayList<>();
        root.fieldNames().forEachRemaining(k -> {
            if (!TOP_LEVEL.contains(k)) {
                unknown.add(k);
            }
        });
        if (!unknown.isEmpty()) {
            throw new PolicyException(source + ": unknown key" + (unknown.size() > 1 ? "s " : " ")
                    + RuleSpec.quoted(unknown) + " (a policy has 'id', 'version', 'description', 'subjectField', "
                    + "'options', 'rules' and 'fhir')");
        }
        String id = text(root, "id", source);
        if (!ID.matcher(id).matches()) {
            throw new PolicyException(source + ": 'id' must be 1-64 letters, digits, '.', '_' or '-', "
                    + "starting with a letter or digit");
        }
        String version = version(root, source);
        String description = null;
        if (root.hasNonNull("description")) {
            if (!root.get("description").isTextual()) {
                throw new PolicyException(source + ": 'description' must be a string");
            }
            description = root.get("description").textValue();
        }
        String subjectText = text(root, "subjectField", source);
        FieldPath subject;
        try {
            subject = FieldPath.parse(subjectText);
        } catch (IllegalArgumentException e) {
            throw new PolicyException(source + ": 'subjectField': " + e.getMessage());
        }
        if (subject.hasWildcard()) {
            throw new PolicyException(source + ": 'subjectField' must name one field, without [*]");
        }
        boolean reject = false;
        JsonNode options = root.get("options");
        if (options != null && !options.isNull()) {
            if (!options.isObject()) {
                throw new PolicyException(source + ": 'options' must be an object");
            }
            for (var it = options.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!OPTIONS.contains(k)) {
                    throw new PolicyException(source + ": unknown option '" + k + "' (options: 'rejectInvalidResidentId')");
                }
            }
            JsonNode r = options.get("rejectInvalidResidentId");
            if (r != null && !r.isNull()) {
                if (!r.isBoolean()) {
                    throw new PolicyException(source + ": option 'rejectInvalidResidentId' must be true or false");
                }
                reject = r.booleanValue();
            }
        }
        JsonNode rules = root.get("rules");
        if (rules == null || !rules.isArray()) {
            throw new PolicyException(source + ": 'rules' is required: a list of rules (it may be empty)");
        }
        List<Entry> entries = new ArrayList<>();
        int number = 0;
        for (JsonNode ruleNode : rules) {
            number++;
            Entry entry = rule(ruleNode, number, source, baseDir, keys);
            for (Entry earlier : entries) {
                if (earlier.path().overlaps(entry.path())) {
                    throw new PolicyException(source + ": rule " + number + " (field '" + entry.path().text()
                            + "', rule '" + entry.rule().type() + "'): "
                            + (earlier.path().text().equals(entry.path().text()) ? "the field already has a rule"
                                    : "the field overlaps field '" + earlier.path().text() + "'")
                            + " (rule " + earlier.number() + "); give each field one rule",
                            number, entry.path().text(), null);
                }
            }
            entries.add(entry);
        }
        FhirRuleSet fhir = root.hasNonNull("fhir") ? FhirRuleSet.read(root.get("fhir"), source, baseDir, keys) : null;
        return new Parsed(id, version, description, subject, reject, List.copyOf(entries), fhir);
    }

    private static Entry rule(JsonNode node, int number, String source, Path baseDir, MaskingKeys keys)
            throws PolicyException {
        RuleSpec spec = RuleSpec.read(node, number, source, baseDir, keys, "rule", "field",
                "(a path such as 'name' or 'contacts[*].phone')");
        String field = spec.field;
        FieldPath path;
        try {
            path = FieldPath.parse(field);
        } catch (IllegalArgumentException e) {
            throw spec.error("'field': " + e.getMessage());
        }
        FieldRule rule = transformation(spec);
        boolean validate = false;
        JsonNode v = spec.node.get("validate");
        if (v != null && !v.isNull()) {
            if (!v.isTextual() || !v.textValue().equals("resident-id")) {
                throw spec.error("'validate' must be 'resident-id'");
            }
            validate = true;
        }
        String description = description(spec);
        spec.finish();
        return new Entry(number, path, rule, validate, description);
    }

    /** A rule's optional description. */
    static String description(RuleSpec spec) throws PolicyException {
        JsonNode d = spec.node.get("description");
        if (d != null && !d.isNull()) {
            if (!d.isTextual()) {
                throw spec.error("'description' must be a string");
            }
            return d.textValue();
        }
        return null;
    }

    /** The transformation a rule's {@code rule} (and, for generalise, {@code kind}) names, with its parameters. */
    static FieldRule transformation(RuleSpec spec) throws PolicyException {
        String type = spec.type;
        FieldRule rule;
        switch (type) {
            case "keep":
                rule = Rules.Keep.parse(spec);
                break;
            case "redact":
                rule = Rules.Redact.parse(spec);
                break;
            case "remove":
                rule = Rules.Remove.parse(spec);
                break;
            case "generalise": {
                String kind = spec.choice("kind", null, "number", "date", "address", "category", "zip3");
                switch (kind) {
                    case "number":
                        rule = NumberGeneralisation.parse(spec);
                        break;
                    case "date":
                        rule = Generalisations.Date.parse(spec);
                        break;
                    case "address":
                        rule = Generalisations.Address.parse(spec);
                        break;
                    case "zip3":
                        rule = Generalisations.Zip3.parse(spec);
                        break;
                    default:
                        rule = Generalisations.Category.parse(spec);
                        break;
                }
                break;
            }
            case "mask-out":
                rule = Rules.MaskOut.parse(spec);
                break;
            case "name":
                rule = NameRule.parse(spec);
                break;
            case "pseudonymise":
                rule = Rules.Pseudonymise.parse(spec);
                break;
            case "date-shift":
                rule = Rules.DateShift.parse(spec);
                break;
            default:
                throw spec.error("unknown rule (rules: " + String.join(", ", MaskingPolicy.RULE_TYPES) + ")");
        }
        return rule;
    }

    private static String text(ObjectNode root, String key, String source) throws PolicyException {
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) {
            throw new PolicyException(source + ": '" + key + "' is required");
        }
        if (!v.isTextual() || v.textValue().isBlank()) {
            throw new PolicyException(source + ": '" + key + "' must be a non-empty string");
        }
        return v.textValue();
    }

    private static String version(ObjectNode root, String source) throws PolicyException {
        JsonNode v = root.get("version");
        if (v == null || v.isNull()) {
            throw new PolicyException(source + ": 'version' is required");
        }
        String text;
        if (v.isTextual()) {
            text = v.textValue();
        } else if (v.isIntegralNumber()) {
            text = v.bigIntegerValue().toString();
        } else {
            throw new PolicyException(source + ": 'version' must be a string (quote it: \"1.0\") or a whole number");
        }
        if (text.isBlank() || text.length() > 64) {
            throw new PolicyException(source + ": 'version' must be 1-64 characters");
        }
        return text;
    }
}
