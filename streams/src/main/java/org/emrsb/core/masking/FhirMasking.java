package org.emrsb.core.masking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks FHIR R4 resources and Bundles (JSON, as a Jackson tree) with a policy's {@code fhir} rules
 * ({@link FhirRuleSet}), and always:
 * <ul>
 * <li>pseudonymises the patient: a Patient's id, every reference to a Patient ({@code Patient/123},
 *     absolute URLs ending in it, a Bundle's {@code urn:uuid} fullUrl of a Patient entry and the
 *     references to it), and the Patient entries' request urls, with one pseudonym per patient: the
 *     keyed HMAC ({@link Pseudonyms}) of {@code Patient/<id>} (or, for a Patient without id, of
 *     {@code Patient?identifier=<system>|<value>} of its first identifier); conditional queries of
 *     transaction entries ({@code ?...}, {@code ifNoneExist}) are dropped, since they search by
 *     identifiers;</li>
 * <li>keeps the output valid FHIR: an array emptied by removals is dropped, an object left empty is
 *     dropped, a complex element a rule would turn into a string is removed instead, a date, dateTime or
 *     instant a rule would make invalid (a year for an instant, "*") is removed, a value whose JSON type
 *     a rule would change is removed;</li>
 * <li>labels every resource it changed in {@code meta.security} with codes of
 *     {@code http://terminology.hl7.org/CodeSystem/v3-ObservationValue}: REDACTED (removed or redacted),
 *     ABSTRED (generalised), MASKED (masked out), PSEUDED (pseudonymised), PERTURBED (date-shifted),
 *     each once.</li>
 * </ul>
 * Date shifts use the patient of the resource being masked (a Patient itself, else its subject or patient
 * reference, else the record's patient), so every resource of one patient moves by the same offset.
 * Immutable and thread-safe.
 */
public final class FhirMasking {

    static final String SECURITY_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue";
    private static final String[] LABEL_CODES = {"REDACTED", "ABSTRED", "MASKED", "PSEUDED", "PERTURBED"};
    private static final String[] LABEL_DISPLAYS = {"redacted", "abstracted", "masked", "pseudonymized", "perturbed"};
    static final int REDACTED = 1;
    static final int ABSTRED = 2;
    static final int MASKED = 4;
    static final int PSEUDED = 8;
    static final int PERTURBED = 16;

    /** A reference to a Patient: relative, or the tail of an absolute URL; group 1 is the id. */
    private static final Pattern PATIENT_REF =
            Pattern.compile("(?:^|/)Patient/([A-Za-z0-9\\-.]{1,64})(?:/_history/[A-Za-z0-9\\-.]{1,64})?$");
    private static final Pattern PSEUDONYM = Pattern.compile("[0-9a-f]{64}");

    private final FhirRuleSet rules;
    private final byte[] pseudonymKey;
    private final byte[] dateShiftKey;

    FhirMasking(FhirRuleSet rules, byte[] pseudonymKey, byte[] dateShiftKey) {
        this.rules = rules;
        this.pseudonymKey = pseudonymKey;
        this.dateShiftKey = dateShiftKey;
    }

    /** Whether a JSON object is a FHIR resource (or Bundle) this engine takes: it has a string resourceType. */
    public static boolean isResource(JsonNode node) {
        return node instanceof ObjectNode && node.path("resourceType").isTextual()
                && !node.get("resourceType").textValue().isEmpty();
    }

    /**
     * Masks a resource or Bundle; the input is not changed. Never throws for bad values: they are masked
     * or removed and reported in the warnings.
     *
     * @throws IllegalArgumentException if {@code body} is not a resource ({@link #isResource})
     */
    public FhirMaskResult mask(ObjectNode body) {
        Objects.requireNonNull(body, "body");
        if (!isResource(body)) {
            throw new IllegalArgumentException("a FHIR body is a resource or Bundle with a resourceType");
        }
        Walk walk = new Walk(false, body);
        ObjectNode out = body.deepCopy();
        walk.resource(out);
        String primary = walk.primary;
        return new FhirMaskResult(out, walk.context.warnings,
                primary == null ? Optional.empty() : Optional.of(walk.pseudonym(primary)));
    }

    /**
     * The first element of a masked body that these rules could not have written (an element they remove,
     * a value no rule's output looks like, a patient reference or Patient id that is not a pseudonym),
     * described by its path, never its value; empty if none. No false positives on this engine's output.
     */
    Optional<String> leak(ObjectNode masked) {
        if (!isResource(masked)) {
            return Optional.empty();
        }
        Walk walk = new Walk(true, masked);
        walk.resource(masked);
        return Optional.ofNullable(walk.leak);
    }

    /** The state of masking (or checking) one body. */
    private final class Walk {
        final boolean check;
        final MaskContext context = new MaskContext(null, null, dateShiftKey);
        /** fullUrl of a Bundle's Patient entry → its patient key. */
        final Map<String, String> bundlePatients = new HashMap<>();
        final Map<String, String> pseudonyms = new HashMap<>(4);
        String primary;
        String leak;
        int labels;
        String resourceType;

        Walk(boolean check, ObjectNode original) {
            this.check = check;
            if (check) {
                return; // the check reads no patient: it looks for ids and references that are no pseudonym
            }
            String type = original.get("resourceType").textValue();
            containedPatients(original);
            for (JsonNode entry : original.path("entry")) {
                if (isResource(entry.get("resource"))) {
                    containedPatients((ObjectNode) entry.get("resource"));
                }
            }
            if (type.equals("Bundle")) {
                for (JsonNode entry : original.path("entry")) {
                    JsonNode resource = entry.get("resource");
                    if (isResource(resource) && resource.get("resourceType").textValue().equals("Patient")) {
                        String key = patientKey((ObjectNode) resource);
                        JsonNode fullUrl = entry.get("fullUrl");
                        if (fullUrl != null && fullUrl.isTextual()) {
                            if (key == null) {
                                key = fullUrl.textValue();
                            }
                            bundlePatients.put(fullUrl.textValue(), key);
                        }
                        if (primary == null) {
                            primary = key;
                        }
                    }
                }
                if (primary == null) {
                    for (JsonNode entry : original.path("entry")) {
                        JsonNode resource = entry.get("resource");
                        if (isResource(resource)) {
                            primary = subjectOf((ObjectNode) resource);
                            if (primary != null) {
                                break;
                            }
                        }
                    }
                }
            } else {
                primary = subjectOf(original);
            }
        }

        /** Contained Patients, referenced as {@code #id}: their key is {@code Patient/<id>}. */
        private void containedPatients(ObjectNode resource) {
            for (JsonNode c : resource.path("contained")) {
                JsonNode id = c.get("id");
                if (isResource(c) && c.get("resourceType").textValue().equals("Patient") && id != null && id.isTextual()) {
                    bundlePatients.put("#" + id.textValue(), "Patient/" + id.textValue());
                }
            }
        }

        String pseudonym(String key) {
            return pseudonyms.computeIfAbsent(key, k -> Pseudonyms.of(pseudonymKey, k));
        }

        /** The patient key of a Patient: Patient/<id>, else its first identifier as a search; null if neither. */
        String patientKey(ObjectNode patient) {
            JsonNode id = patient.get("id");
            if (id != null && id.isTextual() && !id.textValue().isEmpty()) {
                return "Patient/" + id.textValue();
            }
            JsonNode identifier = patient.path("identifier").path(0);
            return identifierKey(identifier);
        }

        String identifierKey(JsonNode identifier) {
            JsonNode value = identifier.get("value");
            if (value == null || !value.isTextual()) {
                return null;
            }
            return "Patient?identifier=" + identifier.path("system").asText("") + "|" + value.textValue();
        }

        /** The patient a resource is about: a Patient itself, else its subject or patient reference. */
        String subjectOf(ObjectNode resource) {
            if (resource.get("resourceType").textValue().equals("Patient")) {
                return patientKey(resource);
            }
            for (String name : new String[] {"subject", "patient"}) {
                JsonNode ref = resource.get(name);
                if (ref instanceof ObjectNode object) {
                    String key = referencedPatient(object, true);
                    if (key != null) {
                        return key;
                    }
                }
            }
            return null;
        }

        /** The patient key a Reference names, or null when it does not name a Patient. */
        String referencedPatient(ObjectNode reference, boolean subjectField) {
            JsonNode r = reference.get("reference");
            if (r != null && r.isTextual()) {
                String text = r.textValue();
                String inBundle = bundlePatients.get(text);
                if (inBundle != null) {
                    return inBundle;
                }
                Matcher m = PATIENT_REF.matcher(text);
                return m.find() ? "Patient/" + m.group(1) : null;
            }
            JsonNode type = reference.get("type");
            boolean patient = type != null && type.isTextual() ? type.textValue().equals("Patient") : subjectField;
            JsonNode identifier = reference.get("identifier");
            return patient && identifier != null ? identifierKey(identifier) : null;
        }

        /** Masks (or checks) one resource in place: its elements, its patient id and its labels. */
        void resource(ObjectNode resource) {
            String outerType = resourceType;
            int outerLabels = labels;
            resourceType = resource.get("resourceType").textValue();
            labels = 0;
            String subject = check ? null : subjectOf(resource);
            context.useSubject(subject != null ? subject : primary);
            if (resourceType.equals("Patient")) {
                patientId(resource);
            }
            object(resource, resourceType, "");
            if (!check && labels != 0) {
                label(resource, labels);
            }
            resourceType = outerType;
            labels = outerLabels;
            if (outerType != null) {
                context.useSubject(primary);
            }
        }

        private void patientId(ObjectNode patient) {
            JsonNode id = patient.get("id");
            if (id == null || !id.isTextual() || id.textValue().isEmpty()) {
                return;
            }
            if (check) {
                if (!PSEUDONYM.matcher(id.textValue()).matches()) {
                    found("Patient.id", "a Patient id that is not a pseudonym");
                }
                return;
            }
            patient.put("id", pseudonym("Patient/" + id.textValue()));
            labels |= PSEUDED;
        }

        /** Walks the members of an element of type {@code type} (a data type or a backbone path). */
        void object(ObjectNode node, String type, String path) {
            String[] names = new String[node.size()];
            int n = 0;
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                names[n++] = it.next();
            }
            boolean root = path.isEmpty();
            for (int i = 0; i < n && (leak == null); i++) {
                String name = names[i];
                if (root && (name.equals("resourceType") || name.equals("id"))) {
                    continue;
                }
                JsonNode value = node.get(name);
                if (value == null) {
                    continue; // removed with its primitive's '_' sibling
                }
                String child = root ? name : path + "." + name;
                if (engineManaged(node, type, name, value, child)) {
                    continue;
                }
                if (value instanceof ArrayNode array) {
                    boolean[] removed = null;
                    for (int j = 0; j < array.size(); j++) {
                        JsonNode element = array.get(j);
                        JsonNode out = value(type, name, element, child);
                        if (out == Values.REMOVED) {
                            if (removed == null) {
                                removed = new boolean[array.size()];
                            }
                            removed[j] = true;
                        } else if (out != element) {
                            array.set(j, out);
                        }
                    }
                    if (removed != null) {
                        for (int j = array.size() - 1; j >= 0; j--) {
                            if (removed[j]) {
                                array.remove(j);
                            }
                        }
                        node.remove("_" + name); // its primitives' extensions no longer line up
                    }
                    if (array.isEmpty()) {
                        node.remove(name);
                    }
                } else {
                    JsonNode out = value(type, name, value, child);
                    if (out == Values.REMOVED) {
                        node.remove(name);
                        node.remove("_" + name);
                    } else if (out != value) {
                        node.set(name, out);
                    }
                }
            }
        }

        /** The new value of one element (array elements one by one): itself, a replacement or REMOVED. */
        JsonNode value(String parentType, String name, JsonNode value, String path) {
            if (value == null || value.isNull()) {
                return value;
            }
            if (isResource(value) && (name.equals("resource") || name.equals("contained"))) {
                resource((ObjectNode) value);
                return value;
            }
            String type = FhirTypes.typeOf(parentType, name, value);
            FhirRuleSet.Rule rule = match(parentType, name, value, type, path);
            if (rule != null && !(rule.rule() instanceof Rules.Keep)) {
                return apply(rule, value, type, path);
            }
            if (value instanceof ObjectNode object) {
                String patient = !check && FhirTypes.REFERENCE.equals(type)
                        ? referencedPatient(object, name.equals("subject") || name.equals("patient")) : null;
                object(object, type != null ? type : parentType + "." + name, path);
                if (FhirTypes.REFERENCE.equals(type)) {
                    reference(object, patient, path);
                }
                if (object.isEmpty()) {
                    return check ? value : Values.REMOVED;
                }
            }
            return value;
        }

        /** The first-numbered rule that selects this element, or null. */
        FhirRuleSet.Rule match(String parentType, String name, JsonNode value, String type, String path) {
            FhirRuleSet.Rule best = rules.byPath.isEmpty() ? null : rules.byPath.get(resourceType + "." + path);
            if (type != null) {
                best = first(best, rules.byType.get(type));
                if (type.equals(FhirTypes.EXTENSION) && !rules.byExtension.isEmpty()) {
                    JsonNode url = value.get("url");
                    if (url != null && url.isTextual()) {
                        best = first(best, rules.byExtension.get(url.textValue()));
                    }
                }
            }
            if (FhirTypes.isType(parentType)) {
                best = first(best, rules.byType.get(parentType + "." + name));
            }
            return best;
        }

        private FhirRuleSet.Rule first(FhirRuleSet.Rule a, FhirRuleSet.Rule b) {
            return a == null ? b : b == null ? a : a.number() <= b.number() ? a : b;
        }

        JsonNode apply(FhirRuleSet.Rule rule, JsonNode value, String type, String path) {
            String where = resourceType + "." + path;
            FieldRule transformation = rule.rule();
            if (check) {
                if (value.isContainerNode() || !transformation.mayBeOutput(value)) {
                    found(where, "an element that fhir rule " + rule.number() + " (" + rule.path() + ", "
                            + transformation.type() + ") would not have written");
                }
                return value;
            }
            if (value.isContainerNode()) {
                if (!(transformation instanceof Rules.Remove)) {
                    context.warn(where, "a complex element cannot be given rule '" + transformation.type()
                            + "' and stay valid FHIR; removed");
                }
                labels |= REDACTED;
                return Values.REMOVED;
            }
            JsonNode out = transformation.apply(value, context, where);
            if (out == Values.REMOVED) {
                labels |= REDACTED;
                return out;
            }
            if (out.getNodeType() != value.getNodeType()
                    || (type != null && FhirTypes.isPrimitive(type) && !FhirTypes.validPrimitive(type, out.textValue()))) {
                context.warn(where, "the masked value would not be a valid FHIR " + (type != null ? type : "value")
                        + "; removed");
                labels |= REDACTED;
                return Values.REMOVED;
            }
            if (!out.equals(value)) {
                labels |= labelOf(transformation);
            }
            return out;
        }

        private int labelOf(FieldRule rule) {
            if (rule instanceof Rules.Redact) {
                return REDACTED;
            }
            if (rule instanceof Rules.MaskOut || rule instanceof NameRule) {
                return MASKED;
            }
            if (rule instanceof Rules.Pseudonymise) {
                return PSEUDED;
            }
            if (rule instanceof Rules.DateShift) {
                return PERTURBED;
            }
            return ABSTRED;
        }

        /** Rewrites (or checks) a Reference's patient reference; {@code patient} was read before masking. */
        void reference(ObjectNode reference, String patient, String path) {
            JsonNode r = reference.get("reference");
            String text = r != null && r.isTextual() ? r.textValue() : null;
            if (check) {
                if (text != null && namesUnpseudonymisedPatient(text)) {
                    found(resourceType + "." + path, "a reference to a Patient that is not a pseudonym");
                }
                return;
            }
            if (patient == null) {
                return;
            }
            String p = pseudonym(patient);
            String rewritten;
            if (text == null) {
                rewritten = "Patient/" + p;
            } else if (text.startsWith("urn:")) {
                rewritten = uuidUrn(p);
            } else if (text.startsWith("#")) {
                rewritten = "#" + p;
            } else {
                rewritten = Objects.requireNonNullElse(withPatientId(text, p), "Patient/" + p);
            }
            reference.put("reference", rewritten);
            labels |= PSEUDED;
        }

        /**
         * The Bundle members the engine itself rewrites: an entry's fullUrl, its request url and conditional
         * query, its response location. True when {@code name} was one of them.
         */
        boolean engineManaged(ObjectNode node, String type, String name, JsonNode value, String path) {
            if (!type.startsWith("Bundle.entry")) {
                return false;
            }
            if (type.equals("Bundle.entry") && name.equals("fullUrl") && value.isTextual()) {
                String key = check ? null : bundlePatients.get(value.textValue());
                if (check) {
                    checkUrl(value.textValue(), path);
                } else if (key != null) {
                    String text = value.textValue();
                    String p = pseudonym(key);
                    String named = text.startsWith("urn:") ? null : withPatientId(text, p);
                    node.put(name, named != null ? named : uuidUrn(p));
                    labels |= PSEUDED;
                }
                return true;
            }
            if (type.equals("Bundle.entry.request") && name.equals("ifNoneExist")) {
                if (check) {
                    found("Bundle." + path, "a conditional query, which the engine drops");
                } else {
                    node.remove(name);
                    labels |= REDACTED;
                }
                return true;
            }
            if ((type.equals("Bundle.entry.request") && name.equals("url"))
                    || (type.equals("Bundle.entry.response") && name.equals("location"))) {
                if (!value.isTextual()) {
                    return true;
                }
                String text = value.textValue();
                if (check) {
                    if (text.indexOf('?') >= 0) {
                        found("Bundle." + path, "a conditional query, which the engine drops");
                    }
                    checkUrl(text, path);
                    return true;
                }
                int q = text.indexOf('?');
                if (q >= 0) {
                    context.warn("Bundle." + path, "the conditional query is dropped (it may search by identifier)");
                    text = text.substring(0, q);
                    labels |= REDACTED;
                }
                Matcher m = PATIENT_REF.matcher(text);
                if (m.find()) {
                    text = text.substring(0, m.start(1)) + pseudonym("Patient/" + m.group(1));
                    labels |= PSEUDED;
                }
                if (!text.equals(value.textValue())) {
                    node.put(name, text);
                }
                return true;
            }
            return false;
        }

        private void checkUrl(String text, String path) {
            if (namesUnpseudonymisedPatient(text)) {
                found("Bundle." + path, "a Patient url that is not a pseudonym");
            }
        }

        void found(String where, String what) {
            if (leak == null) {
                leak = where + ": " + what;
            }
        }
    }

    /** {@code text} with the Patient id it names ({@link #PATIENT_REF}) replaced by {@code id}; null if none. */
    private static String withPatientId(String text, String id) {
        Matcher m = PATIENT_REF.matcher(text);
        return m.find() ? text.substring(0, m.start(1)) + id : null;
    }

    /** Whether {@code text} names a Patient ({@link #PATIENT_REF}) by an id that is not a pseudonym. */
    private static boolean namesUnpseudonymisedPatient(String text) {
        Matcher m = PATIENT_REF.matcher(text);
        return m.find() && !PSEUDONYM.matcher(m.group(1)).matches();
    }

    /** A urn:uuid made of a pseudonym's first 128 bits (version 8, RFC 9562 variant). */
    static String uuidUrn(String pseudonym) {
        char variant = "89ab".charAt(Character.digit(pseudonym.charAt(16), 16) & 3);
        return "urn:uuid:" + pseudonym.substring(0, 8) + "-" + pseudonym.substring(8, 12) + "-8"
                + pseudonym.substring(13, 16) + "-" + variant + pseudonym.substring(17, 20) + "-"
                + pseudonym.substring(20, 32);
    }

    /** Adds the labels' codes to {@code meta.security}, each once. */
    private static void label(ObjectNode resource, int labels) {
        JsonNode metaNode = resource.get("meta");
        ObjectNode meta = metaNode instanceof ObjectNode m ? m : resource.putObject("meta");
        JsonNode securityNode = meta.get("security");
        ArrayNode security = securityNode instanceof ArrayNode a ? a : meta.putArray("security");
        List<String> present = new ArrayList<>(security.size());
        for (JsonNode coding : security) {
            if (SECURITY_SYSTEM.equals(coding.path("system").asText(null))) {
                present.add(coding.path("code").asText(""));
            }
        }
        for (int i = 0; i < LABEL_CODES.length; i++) {
            if ((labels & (1 << i)) != 0 && !present.contains(LABEL_CODES[i])) {
                security.addObject().put("system", SECURITY_SYSTEM).put("code", LABEL_CODES[i])
                        .put("display", LABEL_DISPLAYS[i]);
            }
        }
    }
}
