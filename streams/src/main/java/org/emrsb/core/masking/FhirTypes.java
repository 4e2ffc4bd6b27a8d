package org.emrsb.core.masking;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The FHIR R4 data types of elements, as far as FHIR rules need them: a small table of element names
 * (the names that carry a type in Patient, Observation, Condition, Encounter, DiagnosticReport,
 * DocumentReference, ImagingStudy and Bundle, and in the data types they use), context entries where a
 * name's type depends on its parent, and the choice-type suffixes ({@code effectiveDateTime},
 * {@code valuePeriod}). A type is only given to a value of the right JSON shape (complex types are
 * objects, primitives strings), so an {@code Organization.name} string is no HumanName. Anything else
 * is untyped: walked, never matched by a type rule.
 */
final class FhirTypes {

    static final String HUMAN_NAME = "HumanName";
    static final String ADDRESS = "Address";
    static final String CONTACT_POINT = "ContactPoint";
    static final String IDENTIFIER = "Identifier";
    static final String REFERENCE = "Reference";
    static final String ATTACHMENT = "Attachment";
    static final String NARRATIVE = "Narrative";
    static final String PERIOD = "Period";
    static final String EXTENSION = "Extension";
    static final String META = "Meta";
    static final String CODING = "Coding";
    static final String CODEABLE_CONCEPT = "CodeableConcept";
    static final String ANNOTATION = "Annotation";
    static final String DATE = "date";
    static final String DATE_TIME = "dateTime";
    static final String INSTANT = "instant";

    /** The resource types FHIR rules may address by path. */
    static final List<String> RESOURCES = List.of("Patient", "Observation", "Condition", "Encounter",
            "DiagnosticReport", "DocumentReference", "ImagingStudy", "Bundle");

    /** The types a rule may select ({@code HumanName}, {@code Address.line}, {@code date}, ...). */
    static final List<String> TYPES = List.of(HUMAN_NAME, ADDRESS, CONTACT_POINT, IDENTIFIER, REFERENCE, ATTACHMENT,
            NARRATIVE, PERIOD, EXTENSION, ANNOTATION, CODING, CODEABLE_CONCEPT, DATE, DATE_TIME, INSTANT);

    private static final Set<String> PRIMITIVES = Set.of(DATE, DATE_TIME, INSTANT);
    private static final Set<String> TYPE_SET = Set.copyOf(TYPES);

    /** Element name → type, wherever it appears in the supported resources. */
    private static final Map<String, String> BY_NAME = new HashMap<>();
    /** "ParentType.element" → type, where the name alone says something else. */
    private static final Map<String, String> BY_CONTEXT = new HashMap<>();

    static {
        BY_NAME.put("identifier", IDENTIFIER);
        BY_NAME.put("name", HUMAN_NAME);
        BY_NAME.put("telecom", CONTACT_POINT);
        BY_NAME.put("address", ADDRESS);
        BY_NAME.put("photo", ATTACHMENT);
        BY_NAME.put("attachment", ATTACHMENT);
        BY_NAME.put("presentedForm", ATTACHMENT);
        BY_NAME.put("text", NARRATIVE);
        BY_NAME.put("meta", META);
        BY_NAME.put("note", ANNOTATION);
        BY_NAME.put("period", PERIOD);
        BY_NAME.put("coding", CODING);
        BY_NAME.put("security", CODING);
        BY_NAME.put("tag", CODING);
        for (String name : List.of("code", "category", "type", "class", "maritalStatus", "language", "severity",
                "clinicalStatus", "verificationStatus", "bodySite", "method", "interpretation", "conclusionCode",
                "relationship", "reasonCode", "modality", "procedureCode", "dataAbsentReason", "priority",
                "serviceType", "docStatus", "securityLabel", "stage", "evidence", "admitSource", "dischargeDisposition")) {
            BY_NAME.put(name, CODEABLE_CONCEPT);
        }
        for (String name : List.of("subject", "patient", "encounter", "performer", "basedOn", "partOf", "specimen",
                "result", "hasMember", "derivedFrom", "focus", "device", "generalPractitioner", "managingOrganization",
                "other", "organization", "author", "authenticator", "custodian", "asserter", "recorder", "individual",
                "serviceProvider", "referrer", "interpreter", "endpoint", "resultsInterpreter", "imagingStudy",
                "episodeOfCare", "appointment", "account", "reasonReference", "condition", "location", "destination",
                "origin", "target", "related", "sourcePatientInfo", "instance", "procedureReference", "media", "link")) {
            BY_NAME.put(name, REFERENCE);
        }
        BY_NAME.put("birthDate", DATE);
        for (String name : List.of("recordedDate", "started", "authoredOn", "start", "end", "created", "date")) {
            BY_NAME.put(name, DATE_TIME);
        }
        for (String name : List.of("issued", "lastUpdated", "timestamp", "lastModified")) {
            BY_NAME.put(name, INSTANT);
        }
        BY_CONTEXT.put("DocumentReference.date", INSTANT);
        BY_CONTEXT.put("Attachment.creation", DATE_TIME);
        BY_CONTEXT.put("Annotation.time", DATE_TIME);
        // Backbone and data-type members whose names the table above reads otherwise.
        BY_CONTEXT.put("Bundle.link", null);
        BY_CONTEXT.put("Patient.link", null);
        BY_CONTEXT.put("Patient.contact.name", HUMAN_NAME);
        BY_CONTEXT.put("Reference.type", null);
        BY_CONTEXT.put("Reference.identifier", IDENTIFIER);
        BY_CONTEXT.put("Identifier.type", CODEABLE_CONCEPT);
        BY_CONTEXT.put("Identifier.assigner", REFERENCE);
        BY_CONTEXT.put("Identifier.period", PERIOD);
        BY_CONTEXT.put("Attachment.url", null);
        BY_CONTEXT.put("Meta.source", null);
        BY_CONTEXT.put("Meta.profile", null);
        BY_CONTEXT.put("Coding.code", null);
        BY_CONTEXT.put("Coding.version", null);
        BY_CONTEXT.put("ContactPoint.period", PERIOD);
        BY_CONTEXT.put("Address.period", PERIOD);
        BY_CONTEXT.put("Address.type", null);
        BY_CONTEXT.put("Address.text", null);
        BY_CONTEXT.put("HumanName.text", null);
        BY_CONTEXT.put("HumanName.period", PERIOD);
        BY_CONTEXT.put("Narrative.div", null);
        BY_CONTEXT.put("Annotation.text", null);
        BY_CONTEXT.put("CodeableConcept.text", null);
        BY_CONTEXT.put("Extension.url", null);
        BY_CONTEXT.put("DocumentReference.content", null);
        BY_CONTEXT.put("DocumentReference.context", null);
        BY_CONTEXT.put("DocumentReference.relatesTo.target", REFERENCE);
        BY_CONTEXT.put("Bundle.entry.request", null);
        BY_CONTEXT.put("Bundle.entry.response", null);
        BY_CONTEXT.put("Bundle.entry.link", null);
        BY_CONTEXT.put("Bundle.entry.request.url", null);
        BY_CONTEXT.put("Encounter.location.location", REFERENCE);
        BY_CONTEXT.put("Encounter.location", null);
        BY_CONTEXT.put("Encounter.participant.individual", REFERENCE);
        BY_CONTEXT.put("Encounter.participant.type", CODEABLE_CONCEPT);
        BY_CONTEXT.put("Encounter.participant", null);
        BY_CONTEXT.put("Encounter.hospitalization.origin", REFERENCE);
        BY_CONTEXT.put("Encounter.hospitalization.destination", REFERENCE);
        BY_CONTEXT.put("Encounter.diagnosis.condition", REFERENCE);
        BY_CONTEXT.put("Encounter.diagnosis", null);
        BY_CONTEXT.put("Condition.evidence.detail", REFERENCE);
        BY_CONTEXT.put("Condition.evidence", null);
        BY_CONTEXT.put("Condition.stage", null);
        BY_CONTEXT.put("Observation.component", null);
        BY_CONTEXT.put("Observation.referenceRange", null);
        BY_CONTEXT.put("DiagnosticReport.media.link", REFERENCE);
        BY_CONTEXT.put("DiagnosticReport.media", null);
        BY_CONTEXT.put("ImagingStudy.series", null);
        BY_CONTEXT.put("ImagingStudy.series.instance", null);
        BY_CONTEXT.put("ImagingStudy.series.performer", null);
        BY_CONTEXT.put("ImagingStudy.series.performer.actor", REFERENCE);
        BY_CONTEXT.put("ImagingStudy.series.specimen", REFERENCE);
        BY_CONTEXT.put("ImagingStudy.series.endpoint", REFERENCE);
        BY_CONTEXT.put("Patient.communication", null);
        BY_CONTEXT.put("Patient.communication.language", CODEABLE_CONCEPT);
        BY_CONTEXT.put("Patient.link.other", REFERENCE);
        BY_CONTEXT.put("Patient.contact", null);
        BY_CONTEXT.put("Patient.contact.organization", REFERENCE);
    }

    private FhirTypes() {
    }

    /** Whether {@code name} is a type a rule may select. */
    static boolean isType(String name) {
        return TYPE_SET.contains(name);
    }

    static boolean isPrimitive(String type) {
        return PRIMITIVES.contains(type);
    }

    /**
     * The type of {@code value}, the member {@code name} of an element of type {@code parent} (a data
     * type, or a resource or backbone path such as {@code Patient.contact}); null when untyped.
     */
    static String typeOf(String parent, String name, JsonNode value) {
        if (name.equals("extension") || name.equals("modifierExtension")) {
            return value.isObject() ? EXTENSION : null;
        }
        String key = parent + "." + name;
        String type;
        if (BY_CONTEXT.containsKey(key)) {
            type = BY_CONTEXT.get(key);
        } else {
            type = BY_NAME.get(name);
            if (type == null) {
                type = choiceType(name);
            }
        }
        if (type == null) {
            return value.isObject() && value.path("reference").isTextual() ? REFERENCE : null;
        }
        if (isPrimitive(type)) {
            return value.isTextual() ? type : null;
        }
        if (!value.isObject()) {
            return null;
        }
        if (type.equals(REFERENCE) && value.has("resourceType")) {
            return null;
        }
        return type;
    }

    /** The type a choice element's suffix names ({@code valueDateTime} → dateTime), or null. */
    private static String choiceType(String name) {
        if (name.length() < 5 || name.charAt(0) == '_') {
            return null;
        }
        if (name.endsWith("DateTime")) {
            return DATE_TIME;
        }
        if (name.endsWith("Instant")) {
            return INSTANT;
        }
        if (name.endsWith("Date") && (name.startsWith("value") || name.startsWith("deceased"))) {
            return DATE;
        }
        if (name.endsWith("Period")) {
            return PERIOD;
        }
        if (name.endsWith("Reference")) {
            return REFERENCE;
        }
        if (name.endsWith("Attachment")) {
            return ATTACHMENT;
        }
        if (name.endsWith("CodeableConcept")) {
            return CODEABLE_CONCEPT;
        }
        if (name.endsWith("Identifier")) {
            return IDENTIFIER;
        }
        if (name.endsWith("HumanName")) {
            return HUMAN_NAME;
        }
        if (name.endsWith("Address")) {
            return ADDRESS;
        }
        if (name.endsWith("ContactPoint")) {
            return CONTACT_POINT;
        }
        return null;
    }

    /** Whether {@code text} is a valid value of the primitive {@code type} (date, dateTime or instant). */
    static boolean validPrimitive(String type, String text) {
        IsoDate d = IsoDate.parse(text);
        if (d == null || !text.equals(text.strip())) {
            return false;
        }
        switch (type) {
            case DATE:
                return d.rest().isEmpty();
            case DATE_TIME:
                return d.rest().isEmpty() || (d.rest().startsWith("T") && hasZone(d.rest()) && hasSeconds(d.rest()));
            case INSTANT:
                return d.hasDay() && d.rest().startsWith("T") && hasZone(d.rest()) && hasSeconds(d.rest());
            default:
                return true;
        }
    }

    private static boolean hasZone(String rest) {
        return rest.endsWith("Z") || rest.matches(".*[+-]\\d\\d:\\d\\d");
    }

    private static boolean hasSeconds(String rest) {
        return rest.length() >= 9 && rest.charAt(3) == ':' && rest.charAt(6) == ':';
    }
}
