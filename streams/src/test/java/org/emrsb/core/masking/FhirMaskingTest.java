package org.emrsb.core.masking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

/** The FHIR section of hipaa-safe-harbor on Patient, Observation, DiagnosticReport and a transaction Bundle. */
class FhirMaskingTest {

    static final FhirContext FHIR = FhirContext.forR4();
    static final ObjectMapper JSON = new ObjectMapper();
    static final MaskingKeys KEYS = MaskingKeys.derive(new byte[32]);
    static final String V3 = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue";

    static FhirMasking hipaa() {
        try {
            return MaskingPolicy.named(MaskingPolicy.HIPAA_SAFE_HARBOR, KEYS).fhir();
        } catch (PolicyException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    static ObjectNode resource(String name) {
        try (InputStream in = FhirMaskingTest.class.getResourceAsStream("fhir/" + name)) {
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Parses with HAPI, failing on anything invalid (unknown elements, bad primitives). */
    static <T extends Resource> T parse(JsonNode masked, Class<T> type) {
        IParser parser = FHIR.newJsonParser().setParserErrorHandler(new StrictErrorHandler());
        return type.cast(parser.parseResource(masked.toString()));
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static String pseudonym(String key) {
        return Pseudonyms.of(KEYS.pseudonymKey(), key);
    }

    static Set<String> labels(Resource r) {
        Set<String> codes = new HashSet<>();
        for (Coding c : r.getMeta().getSecurity()) {
            assertEquals(V3, c.getSystem());
            assertTrue(codes.add(c.getCode()), "duplicate label " + c.getCode());
        }
        return codes;
    }

    static void noneOf(JsonNode masked, String... identifiers) {
        String text = masked.toString();
        for (String id : identifiers) {
            assertFalse(text.contains(id), () -> id + " survived in " + text);
        }
    }

    @Test
    void aPatientLosesEveryIdentifierAndStaysValidFhir() {
        FhirMaskResult result = hipaa().mask(resource("patient.json"));
        Patient p = parse(result.masked(), Patient.class);
        String pseudonym = pseudonym("Patient/pat-123");
        assertEquals(pseudonym, p.getIdElement().getIdPart());
        assertEquals(pseudonym, result.patientPseudonym().orElseThrow());
        assertTrue(p.getName().isEmpty());
        assertTrue(p.getTelecom().isEmpty());
        assertTrue(p.getIdentifier().isEmpty());
        assertTrue(p.getPhoto().isEmpty());
        assertFalse(p.hasText());
        assertEquals("1974", p.getBirthDateElement().getValueAsString());
        assertEquals(1, p.getAddress().size());
        assertTrue(p.getAddressFirstRep().getLine().isEmpty());
        assertNull(p.getAddressFirstRep().getCity());
        assertEquals("593", p.getAddressFirstRep().getPostalCode());
        assertEquals("MT", p.getAddressFirstRep().getState());
        assertEquals("1974", p.getAddressFirstRep().getPeriod().getStartElement().getValueAsString());
        assertNull(p.getContactFirstRep().getName().getFamily());
        assertEquals("Practitioner/pr-9", p.getGeneralPractitionerFirstRep().getReference());
        assertNull(p.getGeneralPractitionerFirstRep().getDisplay());
        assertFalse(p.getMeta().hasLastUpdated());
        // one extension kept (birth sex), the mother's maiden name and the coordinates gone
        assertEquals(1, p.getExtension().size());
        assertTrue(p.getAddressFirstRep().getExtension().isEmpty());
        assertEquals(Set.of("REDACTED", "ABSTRED", "PSEUDED"), labels(p));
        noneOf(result.masked(), "Lopez", "Garcia", "Maria", "Carlos", "4455667", "123-45-6789", "555", "example.org",
                "Erewhon", "Glendive", "Dawson", "59330", "1974-12-25", "47.1052", "/9j/", "pat-123", "Adam",
                "Glendive Medical");
    }

    @Test
    void anObservationKeepsItsClinicalContentAndPointsAtThePatientsPseudonym() {
        FhirMaskResult result = hipaa().mask(resource("observation.json"));
        Observation o = parse(result.masked(), Observation.class);
        assertEquals("Patient/" + pseudonym("Patient/pat-123"), o.getSubject().getReference());
        assertEquals(pseudonym("Patient/pat-123"), result.patientPseudonym().orElseThrow());
        assertNull(o.getSubject().getDisplay());
        assertEquals("2026", o.getEffectiveDateTimeType().getValueAsString());
        assertFalse(o.hasIssued());
        assertEquals(72, o.getValueQuantity().getValue().intValue());
        assertEquals("8867-4", o.getCode().getCodingFirstRep().getCode());
        assertEquals("resting", o.getNoteFirstRep().getText());
        assertFalse(o.getNoteFirstRep().hasAuthor());
        assertEquals("Encounter/enc-7", o.getEncounter().getReference());
        assertEquals(Set.of("REDACTED", "ABSTRED", "PSEUDED"), labels(o));
        noneOf(result.masked(), "pat-123", "Maria", "Nurse Joy", "Adam", "2026-03-14");
    }

    @Test
    void aDiagnosticReportAddressedByAbsoluteVersionedUrl() {
        FhirMaskResult result = hipaa().mask(resource("diagnostic-report.json"));
        DiagnosticReport d = parse(result.masked(), DiagnosticReport.class);
        assertEquals("http://hospital.example.org/fhir/Patient/" + pseudonym("Patient/pat-123"),
                d.getSubject().getReference());
        assertTrue(d.getIdentifier().isEmpty());
        assertEquals("2026", d.getEffectivePeriod().getStartElement().getValueAsString());
        assertFalse(d.hasIssued());
        assertEquals("application/pdf", d.getPresentedFormFirstRep().getContentType());
        assertFalse(d.getPresentedFormFirstRep().hasUrl());
        assertEquals("2026", d.getPresentedFormFirstRep().getCreationElement().getValueAsString());
        assertEquals("Observation/obs-1", d.getResultFirstRep().getReference());
        noneOf(result.masked(), "pat-123", "ACC-2026", "maria-lopez", "Main Lab");
    }

    @Test
    void aTransactionBundleIsConsistentAcrossItsEntries() {
        FhirMaskResult result = hipaa().mask(resource("transaction-bundle.json"));
        Bundle b = parse(result.masked(), Bundle.class);
        String key = "Patient?identifier=urn:oid:1.2.36.146.595.217.0.1|4455667";
        String p = pseudonym(key);
        assertEquals(p, result.patientPseudonym().orElseThrow());
        String urn = FhirMasking.uuidUrn(p);
        assertTrue(urn.matches("urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), urn);
        assertEquals(urn, b.getEntry().get(0).getFullUrl());
        assertFalse(b.getEntry().get(0).getRequest().hasIfNoneExist());
        assertFalse(b.hasTimestamp());
        List<String> subjects = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            JsonNode resource = result.masked().get("entry").get(i).get("resource");
            subjects.add(resource.get("subject").get("reference").asText());
            Set<String> labels = labels(parse(resource, Resource.class));
            assertTrue(labels.contains("PSEUDED"), resource.get("resourceType") + " " + labels);
        }
        assertEquals(List.of(urn, urn, urn, urn, urn), subjects);
        // a second patient of the Bundle addressed by its absolute URL and id
        String other = pseudonym("Patient/pat-999");
        assertEquals("http://hospital.example.org/fhir/Patient/" + other, b.getEntry().get(6).getFullUrl());
        assertEquals("Patient/" + other, b.getEntry().get(6).getRequest().getUrl());
        assertEquals(other, result.masked().at("/entry/6/resource/id").asText());
        assertEquals("1950", result.masked().at("/entry/6/resource/birthDate").asText());
        // the Encounter's own urn:uuid, not a Patient's, is kept and still referenced
        assertEquals("urn:uuid:88f151c0-a954-468a-88ad-e8a4b7d3e0a1", b.getEntry().get(1).getFullUrl());
        assertEquals("urn:uuid:88f151c0-a954-468a-88ad-e8a4b7d3e0a1",
                result.masked().at("/entry/2/resource/encounter/reference").asText());
        assertEquals("2026", result.masked().at("/entry/1/resource/period/start").asText());
        assertEquals("000", result.masked().at("/entry/0/resource/address/0/postalCode").asText());
        assertTrue(result.masked().at("/entry/4/resource/content/0/attachment/data").isMissingNode());
        noneOf(result.masked(), "4455667", "Lopez", "Maria", "555", "Erewhon", "61ebe359", "pat-999", "Other",
                "1974-12-25", "TWFyaWEg", "Adam", "2026-03-14");
    }

    @Test
    void maskingTwiceGivesTheSameOutputAndTheInputIsUntouched() {
        ObjectNode in = resource("transaction-bundle.json");
        ObjectNode copy = in.deepCopy();
        FhirMaskResult a = hipaa().mask(in);
        FhirMaskResult b = hipaa().mask(in);
        assertEquals(copy, in);
        assertEquals(a.masked(), b.masked());
    }

    @Test
    void existingSecurityLabelsAreNotDuplicated() {
        FhirMaskResult result = hipaa().mask(resource("patient.json"));
        int redacted = 0;
        for (JsonNode c : result.masked().at("/meta/security")) {
            if (c.path("code").asText().equals("REDACTED")) {
                redacted++;
            }
        }
        assertEquals(1, redacted);
    }

    @Test
    void aBodyWithoutAPatientHasNoPseudonym() {
        ObjectNode org = (ObjectNode) json("{\"resourceType\":\"Observation\",\"status\":\"final\","
                + "\"code\":{\"text\":\"x\"},\"subject\":{\"reference\":\"Group/g1\"}}");
        assertTrue(hipaa().mask(org).patientPseudonym().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> hipaa().mask((ObjectNode) json("{\"a\":1}")));
    }

    @Test
    void theCheckerAcceptsMaskedOutputAndFindsWhatSurvives() throws PolicyException {
        MaskingPolicy policy = MaskingPolicy.named(MaskingPolicy.HIPAA_SAFE_HARBOR, MaskingKeys.none());
        for (String name : List.of("patient.json", "observation.json", "diagnostic-report.json",
                "transaction-bundle.json")) {
            ObjectNode masked = hipaa().mask(resource(name)).masked();
            assertEquals(java.util.Optional.empty(), policy.fhirLeak(masked), name);
            assertTrue(policy.fhirLeak(resource(name)).isPresent(), name);
        }
        ObjectNode masked = hipaa().mask(resource("observation.json")).masked();
        ((ObjectNode) masked.get("subject")).put("reference", "Patient/pat-123");
        assertTrue(policy.fhirLeak(masked).orElseThrow().contains("not a pseudonym"));
        ObjectNode withName = hipaa().mask(resource("patient.json")).masked();
        withName.putArray("name").addObject().put("family", "Lopez");
        assertTrue(policy.fhirLeak(withName).orElseThrow().startsWith("Patient.name"));
        assertNotNull(policy.fhirLeak(withName).orElseThrow());
        assertFalse(policy.fhirLeak(withName).orElseThrow().contains("Lopez"));
    }

    @Test
    void aContainedPatientAndItsLocalReferenceStayLinked() throws PolicyException {
        ObjectNode obs = (ObjectNode) json("{\"resourceType\":\"Observation\",\"contained\":[{\"resourceType\":"
                + "\"Patient\",\"id\":\"p1\",\"name\":[{\"family\":\"Lopez\"}]}],\"status\":\"final\","
                + "\"code\":{\"text\":\"hr\"},\"subject\":{\"reference\":\"#p1\"}}");
        FhirMaskResult r = hipaa().mask(obs);
        String p = pseudonym("Patient/p1");
        assertEquals(p, r.patientPseudonym().orElseThrow());
        assertEquals(p, r.masked().at("/contained/0/id").asText());
        assertEquals("#" + p, r.masked().at("/subject/reference").asText());
        noneOf(r.masked(), "Lopez", "p1\"");
        Observation o = parse(r.masked(), Observation.class);
        assertEquals(1, o.getContained().size());
        assertEquals(java.util.Optional.empty(),
                MaskingPolicy.named(MaskingPolicy.HIPAA_SAFE_HARBOR, MaskingKeys.none()).fhirLeak(r.masked()));
    }
}
