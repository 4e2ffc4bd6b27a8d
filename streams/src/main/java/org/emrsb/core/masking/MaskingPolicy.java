package org.emrsb.core.masking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.emrsb.core.crypto.Hex;
import org.emrsb.core.format.CanonicalJson;
import org.emrsb.core.format.Sha256;

/**
 * A masking policy: which field of a record gets which rule. Fields without a rule are kept
 * unchanged, as the paper says. Immutable and thread-safe; {@link #mask} is cheap enough to call
 * per record.
 *
 * <p>A policy file (YAML, or JSON: a file ending in {@code .json}, or in neither {@code .yaml} nor
 * {@code .yml} and starting with '{') is an object
 * with {@code id} (1-64 of {@code [A-Za-z0-9._-]}), {@code version} (a string or whole number),
 * optional {@code description}, {@code subjectField} (the path of the field that identifies the
 * patient: it keys pseudonyms and date shifts), optional {@code options}
 * ({@code rejectInvalidResidentId: true|false}, default false) and {@code rules}, a list of objects
 * each with {@code field} (a dotted path into nested objects, {@code [*]} for every element of an
 * array), {@code rule} (one of {@link #RULE_TYPES}), the rule's parameters, and optionally
 * {@code validate: resident-id} and {@code description}. Unknown keys are refused; a field has at
 * most one rule and no rule's field lies inside another's. Every error names the rule (its number,
 * from 1), its field and its type. The built-in {@linkplain #paper() paper profile} is itself such a
 * file ({@code paper.yaml} beside this class). An optional {@code fhir} section holds rules for FHIR R4
 * resources and Bundles ({@link FhirRuleSet}, applied by {@link #fhir()}).
 *
 * <p>The policy's {@linkplain #toJson() JSON form} lists every parameter with its default filled in
 * and a categorical hierarchy's rows inline; its {@linkplain #hash() hash} is SHA-256 over that form's
 * RFC 8785 canonical bytes, so it does not depend on the file's key order, layout, YAML or JSON, or
 * parameters left at their defaults, and changes with any change of what the policy does. Keys are not
 * part of it.
 */
public final class MaskingPolicy {

    /** The rule types a policy file may name. */
    public static final List<String> RULE_TYPES =
            List.of("keep", "redact", "remove", "generalise", "mask-out", "name", "pseudonymise",
                    "date-shift");

    /** The built-in profiles with a {@code fhir} section. */
    public static final List<String> WITH_FHIR = List.of("hipaa-safe-harbor", "gbt-37964");

    /** The name {@link #named} takes for the built-in paper profile. */
    public static final String PAPER = "paper";

    /** The built-in HIPAA Safe Harbor profile (45 CFR 164.514(b)(2)) for flat JSON records; needs no keys. */
    public static final String HIPAA_SAFE_HARBOR = "hipaa-safe-harbor";

    /** The built-in GB/T 37964-2019 / GB/T 35273-2020 profile; its linkage pseudonym needs the pseudonym key. */
    public static final String GBT_37964 = "gbt-37964";

    /** The names of the built-in profiles, each a policy file {@code <name>.yaml} beside this class. */
    public static final List<String> BUILT_IN = List.of(PAPER, HIPAA_SAFE_HARBOR, GBT_37964);

    private static final class PaperHolder {
        static final MaskingPolicy PAPER_POLICY = loadPaper();
    }

    private final String id;
    private final String version;
    private final FieldPath subjectField;
    private final boolean rejectInvalidResidentId;
    private final Step[] steps;
    private final byte[] dateShiftKey;
    private final FhirRuleSet fhirRules;
    private final FhirMasking fhirMasking;
    private final FhirMasking fhirChecker;
    private final ObjectNode json;
    private final byte[] hash;

    /** One rule applied along its path. */
    private static final class Step implements FieldPath.Visitor {
        final PolicyReader.Entry entry;
        final boolean reject;

        Step(PolicyReader.Entry entry, boolean reject) {
            this.entry = entry;
            this.reject = reject;
        }

        @Override
        public JsonNode visit(JsonNode value, String where, MaskContext context) {
            if (entry.validateResidentId()) {
                String text = Values.scalarText(value);
                if (text != null) {
                    ResidentIds.Validation validation = ResidentIds.validate(text);
                    if (!validation.valid()) {
                        String warning = where + ": not a valid GB 11643 resident ID: " + validation.problem();
                        context.warnings.add(warning);
                        if (reject && context.rejection == null) {
                            context.rejection = warning;
                        }
                    }
                }
            }
            return entry.rule().apply(value, context, where);
        }
    }

    private MaskingPolicy(PolicyReader.Parsed parsed, MaskingKeys keys) {
        this.id = parsed.id();
        this.version = parsed.version();
        this.subjectField = parsed.subjectField();
        this.rejectInvalidResidentId = parsed.rejectInvalidResidentId();
        this.steps = parsed.entries().stream().map(e -> new Step(e, rejectInvalidResidentId)).toArray(Step[]::new);
        this.dateShiftKey = keys.dateShiftKey();
        this.fhirRules = parsed.fhir();
        this.fhirMasking = fhirRules != null && keys.hasPseudonymKey()
                ? new FhirMasking(fhirRules, keys.pseudonymKey(), keys.dateShiftKey()) : null;
        this.fhirChecker = fhirRules != null ? new FhirMasking(fhirRules, null, null) : null;
        this.json = describe(parsed);
        this.hash = Sha256.hash(CanonicalJson.canonicalize(json));
    }

    /** The built-in paper profile (the paper's Table 1; see {@code paper.yaml}). Needs no keys. */
    public static MaskingPolicy paper() {
        return PaperHolder.PAPER_POLICY;
    }

    /**
     * Loads a policy file; relative {@code file:} references of categorical hierarchies are resolved
     * beside it.
     *
     * @throws PolicyException if the file cannot be read or is not a valid policy, or a keyed rule
     *                         needs a key that {@code keys} does not have
     */
    public static MaskingPolicy load(Path file, MaskingKeys keys) throws PolicyException {
        Objects.requireNonNull(keys, "keys");
        JsonNode document = PolicyReader.readFile(file);
        Path dir = file.toAbsolutePath().getParent();
        return new MaskingPolicy(PolicyReader.read(document, file.toString(), dir, keys), keys);
    }

    /**
     * A built-in profile by its name ({@link #BUILT_IN}: {@code paper}, {@code hipaa-safe-harbor},
     * {@code gbt-37964}), anything else as a policy file's path.
     *
     * @throws PolicyException as {@link #load}; for {@code gbt-37964} without the pseudonym key
     */
    public static MaskingPolicy named(String nameOrPath, MaskingKeys keys) throws PolicyException {
        Objects.requireNonNull(nameOrPath, "nameOrPath");
        Objects.requireNonNull(keys, "keys");
        if (PAPER.equals(nameOrPath)) {
            return paper();
        }
        if (BUILT_IN.contains(nameOrPath)) {
            return builtIn(nameOrPath, keys);
        }
        Path path;
        try {
            path = Path.of(nameOrPath);
        } catch (InvalidPathException e) {
            throw new PolicyException("no policy named '" + nameOrPath + "' (use one of "
                    + String.join(", ", BUILT_IN) + " or a policy file)", e);
        }
        return load(path, keys);
    }

    /**
     * A policy from its text, YAML or JSON (read as JSON when it starts with '{', as YAML if that
     * fails); {@code file:} references are not allowed.
     *
     * @throws PolicyException as {@link #load}
     */
    public static MaskingPolicy parse(String text, MaskingKeys keys) throws PolicyException {
        Objects.requireNonNull(keys, "keys");
        JsonNode document = PolicyReader.parseText(text, PolicyReader.Syntax.GUESS, "policy");
        return new MaskingPolicy(PolicyReader.read(document, "policy", null, keys), keys);
    }

    /**
     * A policy from a parsed document (a tree of the file format, or a {@link #toJson()} form).
     *
     * @throws PolicyException as {@link #load}
     */
    public static MaskingPolicy fromJson(JsonNode document, MaskingKeys keys) throws PolicyException {
        Objects.requireNonNull(keys, "keys");
        return new MaskingPolicy(PolicyReader.read(document, "policy", null, keys), keys);
    }

    public String id() {
        return id;
    }

    public String version() {
        return version;
    }

    /** SHA-256 of the canonical JSON form (RFC 8785) of {@link #toJson()}; a fresh copy. */
    public byte[] hash() {
        return hash.clone();
    }

    /** {@link #hash()} in lowercase hex. */
    public String hashHex() {
        return Hex.encode(hash);
    }

    /** The path of the field that identifies the patient (the paper's: {@code idNumber}). */
    public String subjectField() {
        return subjectField.text();
    }

    /** Whether an invalid resident ID rejects the record rather than only warning. */
    public boolean rejectsInvalidResidentIds() {
        return rejectInvalidResidentId;
    }

    /**
     * The subject field's value in {@code record} as text (a string, or a number written plainly), or
     * empty when it is missing, null or not a scalar.
     */
    public Optional<String> subjectValue(ObjectNode record) {
        return Optional.ofNullable(Values.scalarText(subjectField.single(record)));
    }

    /** Whether the policy has a {@code fhir} section, rules for FHIR R4 resources and Bundles. */
    public boolean hasFhirRules() {
        return fhirRules != null;
    }

    /**
     * The masking of FHIR R4 bodies by the policy's {@code fhir} section (docs/masking.md, "FHIR R4").
     *
     * @throws PolicyException if the policy has no {@code fhir} section, or was loaded without the
     *                         pseudonym key, which every FHIR masking needs (patient references)
     */
    public FhirMasking fhir() throws PolicyException {
        if (fhirRules == null) {
            throw new PolicyException("policy " + id + " has no fhir section: it masks flat JSON records only "
                    + "(use hipaa-safe-harbor, or add a fhir section)");
        }
        if (fhirMasking == null) {
            throw new PolicyException("policy " + id + ": masking FHIR needs the pseudonym key for patient references "
                    + "(set gateway.secret-file in the configuration)");
        }
        return fhirMasking;
    }

    /** What the monitors' check finds in a masked FHIR body under this policy's fhir rules; empty without them. */
    Optional<String> fhirLeak(ObjectNode maskedBody) {
        return fhirChecker == null ? Optional.empty() : fhirChecker.leak(maskedBody);
    }

    /** The policy as a document with every default filled in; a fresh copy. Its canonical form is hashed. */
    public ObjectNode toJson() {
        return json.deepCopy();
    }

    /**
     * Masks a record. The input is not changed; the result has the same keys in the same order, the
     * masked values as JSON strings and every field without a rule unchanged. Bad values never throw:
     * they are masked whole and reported in {@link MaskResult#warnings()}.
     */
    public MaskResult mask(ObjectNode record) {
        Objects.requireNonNull(record, "record");
        ObjectNode out = record.deepCopy();
        MaskContext context = new MaskContext(record, subjectField, dateShiftKey);
        for (Step step : steps) {
            if (step.entry.rule() instanceof Rules.Pseudonymise p && p.from() != null) {
                derive(out, record, step.entry.path().text(), p, context);
            } else {
                step.entry.path().replace(out, step, context);
            }
        }
        return new MaskResult(out, context.warnings, Optional.ofNullable(context.rejection));
    }

    /** A derived output field: the rule applied to the original value at {@code from}, set at {@code field}. */
    private static void derive(ObjectNode out, ObjectNode record, String field, Rules.Pseudonymise rule,
            MaskContext context) {
        JsonNode source = rule.from().single(record);
        if (source == null || source.isNull() || source.isMissingNode()) {
            out.remove(field);
            context.warn(field, "its source '" + rule.from().text() + "' is missing; left out");
            return;
        }
        out.set(field, rule.apply(source, context, field));
    }

    @Override
    public String toString() {
        return "MaskingPolicy[" + id + " " + version + ", " + steps.length + " rule(s), sha256 " + hashHex() + "]";
    }

    private static ObjectNode describe(PolicyReader.Parsed parsed) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("id", parsed.id());
        root.put("version", parsed.version());
        if (parsed.description() != null) {
            root.put("description", parsed.description());
        }
        root.put("subjectField", parsed.subjectField().text());
        root.putObject("options").put("rejectInvalidResidentId", parsed.rejectInvalidResidentId());
        ArrayNode rules = root.putArray("rules");
        for (PolicyReader.Entry entry : parsed.entries()) {
            ObjectNode r = rules.addObject();
            r.put("field", entry.path().text());
            r.put("rule", entry.rule().type());
            entry.rule().describe(r);
            if (entry.validateResidentId()) {
                r.put("validate", "resident-id");
            }
            if (entry.description() != null) {
                r.put("description", entry.description());
            }
        }
        if (parsed.fhir() != null) {
            parsed.fhir().describe(root.putObject("fhir"));
        }
        return root;
    }

    private static MaskingPolicy loadPaper() {
        try {
            return builtIn(PAPER, MaskingKeys.none());
        } catch (PolicyException e) {
            throw new IllegalStateException("the built-in paper profile does not load: " + e.getMessage(), e);
        }
    }

    /** A built-in profile's file, {@code <name>.yaml} beside this class, read with {@code keys}. */
    private static MaskingPolicy builtIn(String name, MaskingKeys keys) throws PolicyException {
        String file = name + ".yaml";
        try (InputStream in = MaskingPolicy.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException(file + " is missing from the class path");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            JsonNode document = PolicyReader.parseText(text, PolicyReader.Syntax.YAML, file);
            return new MaskingPolicy(PolicyReader.read(document, file, null, keys), keys);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the built-in profile " + file + ": " + e.getMessage(), e);
        }
    }
}
