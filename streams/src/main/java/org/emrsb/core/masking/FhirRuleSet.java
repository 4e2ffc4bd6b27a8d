package org.emrsb.core.masking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code fhir} section of a policy: rules that address FHIR R4 elements. Each rule has a
 * {@code path} in one of four forms:
 * <ul>
 * <li>{@code Resource.element[.element...]}: the element at that path from the root of every resource
 *     of that type ({@link FhirTypes#RESOURCES}); arrays on the way are walked, as in FHIRPath
 *     ({@code Patient.address.line});</li>
 * <li>{@code Type} or {@code nodesByType('Type')}: every element of that data type anywhere
 *     ({@link FhirTypes#TYPES}: {@code HumanName}, {@code date}, ...);</li>
 * <li>{@code Type.element}: that member of every element of the type ({@code Address.postalCode},
 *     {@code Reference.display});</li>
 * <li>{@code extension('url')}: every extension (or modifier extension) with that url, anywhere.</li>
 * </ul>
 * and a {@code rule} with its parameters as in the flat rules (without {@code validate}, and
 * {@code pseudonymise} without {@code from}). Where several rules select one element, the first in the
 * file wins and the element's descendants are not visited again, except under {@code keep}, which lets
 * later rules reach inside (so {@code Patient.name: keep} before {@code HumanName: remove} lets
 * {@code Patient.name.family} have its own rule; a path may lie inside another only when that one is
 * {@code keep}).
 */
final class FhirRuleSet {

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern EXTENSION = Pattern.compile("extension\\((['\"])(.+)\\1\\)");
    private static final Pattern BY_TYPE = Pattern.compile("nodesByType\\((['\"])(.+)\\1\\)");

    /** How a rule selects elements. */
    enum Kind { PATH, TYPE, EXTENSION }

    /** One rule of the section. {@code key}: the path, the type (or Type.element) or the url. */
    record Rule(int number, String path, Kind kind, String key, FieldRule rule, String description) {
    }

    final List<Rule> rules;
    final Map<String, Rule> byPath = new HashMap<>();
    final Map<String, Rule> byType = new HashMap<>();
    final Map<String, Rule> byExtension = new HashMap<>();

    private FhirRuleSet(List<Rule> rules) {
        this.rules = List.copyOf(rules);
        for (Rule r : rules) {
            (r.kind == Kind.PATH ? byPath : r.kind == Kind.TYPE ? byType : byExtension).put(r.key, r);
        }
    }

    static FhirRuleSet read(JsonNode section, String source, Path baseDir, MaskingKeys keys) throws PolicyException {
        if (!(section instanceof ObjectNode object)) {
            throw new PolicyException(source + ": 'fhir' must be an object with 'rules'");
        }
        for (var it = object.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!k.equals("rules")) {
                throw new PolicyException(source + ": unknown key 'fhir." + k + "' (the fhir section has 'rules')");
            }
        }
        JsonNode list = object.get("rules");
        if (list == null || !list.isArray()) {
            throw new PolicyException(source + ": 'fhir.rules' is required: a list of rules (it may be empty)");
        }
        List<Rule> rules = new ArrayList<>();
        int number = 0;
        for (JsonNode node : (ArrayNode) list) {
            number++;
            Rule rule = rule(node, number, source, baseDir, keys);
            for (Rule earlier : rules) {
                boolean keepAround = !earlier.key.equals(rule.key)
                        && ((earlier.rule instanceof Rules.Keep && rule.key.startsWith(earlier.key + "."))
                        || (rule.rule instanceof Rules.Keep && earlier.key.startsWith(rule.key + ".")));
                if (earlier.kind == rule.kind && !keepAround && overlaps(earlier.key, rule.key, rule.kind)) {
                    throw new PolicyException(source + ": fhir rule " + number + " (path '" + rule.path + "', rule '"
                            + rule.rule.type() + "'): " + (earlier.key.equals(rule.key) ? "the path already has a rule"
                                    : "the path overlaps path '" + earlier.path + "'")
                            + " (fhir rule " + earlier.number + "); give each path one rule", number, rule.path, null);
                }
            }
            rules.add(rule);
        }
        return new FhirRuleSet(rules);
    }

    private static boolean overlaps(String a, String b, Kind kind) {
        if (a.equals(b)) {
            return true;
        }
        if (kind != Kind.PATH) {
            return false;
        }
        return a.startsWith(b + ".") || b.startsWith(a + ".");
    }

    private static Rule rule(JsonNode node, int number, String source, Path baseDir, MaskingKeys keys)
            throws PolicyException {
        RuleSpec spec = RuleSpec.read(node, number, source, baseDir, keys, "fhir rule", "path",
                "(such as 'Patient.name', 'HumanName', 'Address.line' or \"extension('http://...')\")");
        String path = spec.field;
        if (spec.node.has("validate")) {
            throw spec.error("'validate' is for flat records only");
        }
        Kind kind;
        String key;
        Matcher ext = EXTENSION.matcher(path);
        Matcher byType = BY_TYPE.matcher(path);
        if (ext.matches()) {
            kind = Kind.EXTENSION;
            key = ext.group(2);
        } else {
            String p = byType.matches() ? byType.group(2) : path;
            String[] segments = p.split("\\.", -1);
            for (String s : segments) {
                if (!SEGMENT.matcher(s).matches()) {
                    throw spec.error("'path': '" + s + "' is not an element name (element names are separated by "
                            + "'.'; choice elements are written as in JSON, e.g. effectiveDateTime)");
                }
            }
            String first = segments[0];
            if (FhirTypes.RESOURCES.contains(first) && !byType.matches()) {
                if (segments.length < 2) {
                    throw spec.error("'path': name an element of the resource, e.g. '" + first + ".identifier'");
                }
                String element = segments[1];
                if (segments.length == 2 && (element.equals("id") || element.equals("resourceType"))) {
                    throw spec.error("'path': the resource's " + element + " is kept (a Patient's id is pseudonymised)");
                }
                if (first.equals("Bundle") && element.equals("entry") && segments.length >= 3
                        && (segments[2].equals("fullUrl") || segments[2].equals("request")
                        || segments[2].equals("resource") || segments[2].equals("response"))) {
                    throw spec.error("'path': Bundle.entry." + segments[2] + " is handled by the engine "
                            + "(entries are masked as resources; patient references pseudonymised)");
                }
                kind = Kind.PATH;
                key = p;
            } else if (FhirTypes.isType(first)) {
                if (segments.length > 2 || (byType.matches() && segments.length > 1)) {
                    throw spec.error("'path': a type rule names the type or one member of it ('Address.line')");
                }
                if (segments.length == 2 && first.equals(FhirTypes.REFERENCE) && segments[1].equals("reference")) {
                    throw spec.error("'path': Reference.reference is handled by the engine (patient references are "
                            + "pseudonymised, others kept)");
                }
                kind = Kind.TYPE;
                key = p;
            } else {
                throw spec.error("'path' must start with a resource (" + String.join(", ", FhirTypes.RESOURCES)
                        + "), a type (" + String.join(", ", FhirTypes.TYPES) + ") or be extension('url')");
            }
        }
        FieldRule rule = PolicyReader.transformation(spec);
        if (rule instanceof Rules.Pseudonymise p && p.from() != null) {
            throw spec.error("'from' is for flat records only");
        }
        String description = PolicyReader.description(spec);
        spec.finish();
        return new Rule(number, path, kind, key, rule, description);
    }

    /** The section as it goes into the policy's JSON form (and hash). */
    void describe(ObjectNode out) {
        ArrayNode list = out.putArray("rules");
        for (Rule r : rules) {
            ObjectNode o = list.addObject();
            o.put("path", r.path);
            o.put("rule", r.rule.type());
            r.rule.describe(o);
            if (r.description != null) {
                o.put("description", r.description);
            }
        }
    }
}
