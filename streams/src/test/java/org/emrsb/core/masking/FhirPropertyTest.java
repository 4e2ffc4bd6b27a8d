package org.emrsb.core.masking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;

/**
 * The FHIR rules on generated patients, each with an Observation, a Condition and an Encounter, masked one
 * by one and as transaction Bundles: no identifier of hipaa-safe-harbor's list survives, every output
 * parses with HAPI and passes the monitors' check, and pseudonyms and date shifts are consistent per
 * patient across resources and records.
 */
class FhirPropertyTest {

    private static final int PATIENTS = 300;
    private static final Pattern FULL_DATE = Pattern.compile("\\d{4}-\\d{2}");
    private static final Pattern FIVE_DIGITS = Pattern.compile("(?<![\\d.])\\d{5}(?!\\d)");
    private static final Pattern SSN = Pattern.compile("\\d{3}-\\d{2}-\\d{4}");
    private static final Pattern PHONE = Pattern.compile("555[- ]\\d{4}");
    private static final String[] GIVEN = {"Maria", "John", "Wei", "Aiko", "Olu", "Sven", "Priya", "Lucía"};
    private static final String[] FAMILY = {"Lopez", "Public", "Chen", "Sato", "Adeyemi", "Berg", "Nair", "García"};

    /** One generated patient: its resources and the identifiers that must not survive. */
    record Generated(String id, List<ObjectNode> resources, List<String> identifiers, LocalDate birth, LocalDate seen) {
    }

    private static String digits(Random random, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append((char) ('0' + random.nextInt(10)));
        }
        return sb.toString();
    }

    static Generated generate(Random random, int k) {
        String id = "p" + k + "-" + digits(random, 4);
        String given = GIVEN[random.nextInt(GIVEN.length)] + "x" + k;
        String family = FAMILY[random.nextInt(FAMILY.length)] + "y" + k;
        String mrn = "MRN" + digits(random, 7);
        String ssn = digits(random, 3) + "-" + digits(random, 2) + "-" + digits(random, 4);
        String phone = "+1 617 555 " + digits(random, 4);
        String email = given.toLowerCase() + "@mail" + k + ".example";
        String street = (10 + random.nextInt(900)) + " Elm" + k + " St";
        String city = "Town" + k;
        String zip = digits(random, 5);
        LocalDate birth = LocalDate.of(1925, 1, 1).plusDays(random.nextInt(30_000));
        LocalDate seen = LocalDate.of(2020, 1, 1).plusDays(random.nextInt(2000));
        ObjectNode patient = Json.MAPPER.createObjectNode();
        patient.put("resourceType", "Patient").put("id", id);
        ObjectNode ident = patient.putArray("identifier").addObject();
        ident.put("system", "urn:mrn").put("value", mrn);
        patient.withArray("identifier").addObject().put("system", "http://hl7.org/fhir/sid/us-ssn").put("value", ssn);
        ObjectNode name = patient.putArray("name").addObject().put("family", family);
        name.putArray("given").add(given);
        patient.putArray("telecom").addObject().put("system", "phone").put("value", phone);
        patient.withArray("telecom").addObject().put("system", "email").put("value", email);
        patient.put("gender", random.nextBoolean() ? "female" : "male");
        patient.put("birthDate", birth.toString());
        ObjectNode address = patient.putArray("address").addObject();
        address.putArray("line").add(street);
        address.put("city", city).put("state", "MA").put("postalCode", zip);
        if (random.nextBoolean()) {
            ObjectNode contact = patient.putArray("contact").addObject();
            contact.putObject("name").put("family", family).putArray("given").add("Kin" + given);
            contact.putArray("telecom").addObject().put("system", "phone").put("value", phone);
        }
        String ref = random.nextBoolean() ? "Patient/" + id : "https://ehr.example.org/fhir/Patient/" + id;
        ObjectNode observation = Json.MAPPER.createObjectNode();
        observation.put("resourceType", "Observation").put("id", "o" + k).put("status", "final");
        observation.putObject("code").putArray("coding").addObject().put("system", "http://loinc.org").put("code", "8867-4");
        observation.putObject("subject").put("reference", ref).put("display", given + " " + family);
        observation.put("effectiveDateTime", seen + "T08:45:00Z");
        observation.put("issued", seen + "T09:00:00Z");
        observation.putObject("valueQuantity").put("value", 60 + random.nextInt(40)).put("unit", "/min");
        ObjectNode condition = Json.MAPPER.createObjectNode();
        condition.put("resourceType", "Condition").put("id", "c" + k);
        condition.putObject("code").put("text", "Diabetes");
        condition.putObject("subject").put("reference", "Patient/" + id);
        condition.put("onsetDateTime", seen.minusDays(30).toString());
        condition.put("recordedDate", seen + "T10:00:00+02:00");
        ObjectNode encounter = Json.MAPPER.createObjectNode();
        encounter.put("resourceType", "Encounter").put("id", "e" + k).put("status", "finished");
        encounter.putObject("class").put("system", "http://terminology.hl7.org/CodeSystem/v3-ActCode").put("code", "AMB");
        encounter.putObject("subject").put("reference", "Patient/" + id);
        encounter.putObject("period").put("start", seen + "T08:00:00Z").put("end", seen + "T11:00:00Z");
        encounter.putArray("identifier").addObject().put("value", "VISIT" + digits(random, 6));
        return new Generated(id, List.of(patient, observation, condition, encounter),
                List.of(id, given, family, mrn, ssn, phone, email, street, city), birth, seen);
    }

    static ObjectNode bundle(Generated g) {
        ObjectNode bundle = Json.MAPPER.createObjectNode();
        bundle.put("resourceType", "Bundle").put("type", "transaction");
        ArrayNode entries = bundle.putArray("entry");
        for (ObjectNode r : g.resources()) {
            ObjectNode entry = entries.addObject();
            entry.put("fullUrl", "urn:uuid:" + java.util.UUID.nameUUIDFromBytes(r.toString().getBytes()));
            entry.set("resource", r.deepCopy());
            entry.putObject("request").put("method", "PUT").put("url", r.get("resourceType").asText() + "/"
                    + r.get("id").asText());
        }
        return bundle;
    }

    private static String withoutPseudonyms(String text) {
        return text.replaceAll("[0-9a-f]{64}", "P").replaceAll("urn:uuid:[0-9a-f-]{36}", "U");
    }

    @Test
    void noIdentifierSurvivesAndEveryOutputIsValidAndPassesTheCheck() throws PolicyException {
        FhirMasking fhir = FhirMaskingTest.hipaa();
        MaskingPolicy checker = MaskingPolicy.named(MaskingPolicy.HIPAA_SAFE_HARBOR, MaskingKeys.none());
        Random random = new Random(20261125);
        Set<String> pseudonyms = new HashSet<>();
        for (int k = 0; k < PATIENTS; k++) {
            Generated g = generate(random, k);
            String expected = FhirMaskingTest.pseudonym("Patient/" + g.id());
            assertTrue(pseudonyms.add(expected), "two patients share a pseudonym");
            List<ObjectNode> bodies = new ArrayList<>(g.resources());
            bodies.add(bundle(g));
            for (ObjectNode body : bodies) {
                FhirMaskResult result = fhir.mask(body);
                assertEquals(Optional.of(expected), result.patientPseudonym(), body.get("resourceType").asText());
                String text = withoutPseudonyms(result.masked().toString());
                for (String identifier : g.identifiers()) {
                    assertFalse(text.contains(identifier), () -> identifier + " survived: " + text);
                }
                for (Pattern p : List.of(FULL_DATE, FIVE_DIGITS, SSN, PHONE)) {
                    assertFalse(p.matcher(text).find(), () -> p + " in " + text);
                }
                assertEquals(Optional.empty(), checker.fhirLeak(result.masked()));
                if (k % 10 == 0) {
                    FhirMaskingTest.parse(result.masked(), Resource.class);
                }
            }
        }
    }

    @Test
    void pseudonymsAndDateShiftsAreConsistentPerPatient() throws PolicyException {
        MaskingPolicy shifting = MaskingPolicy.parse(String.join("\n",
                "id: fhir-shift", "version: 1", "subjectField: mrn", "rules: []", "fhir:", "  rules:",
                "    - path: HumanName", "      rule: remove",
                "    - path: Identifier", "      rule: remove",
                "    - path: date", "      rule: date-shift", "      maxDays: 365",
                "    - path: dateTime", "      rule: date-shift", "      maxDays: 365",
                "    - path: instant", "      rule: date-shift", "      maxDays: 365"), FhirMaskingTest.KEYS);
        FhirMasking fhir = shifting.fhir();
        Random random = new Random(7);
        Map<Integer, Long> offsets = new HashMap<>();
        for (int k = 0; k < 100; k++) {
            Generated g = generate(random, k);
            String p = FhirMaskingTest.pseudonym("Patient/" + g.id());
            JsonNode patient = fhir.mask(g.resources().get(0)).masked();
            JsonNode observation = fhir.mask(g.resources().get(1)).masked();
            JsonNode condition = fhir.mask(g.resources().get(2)).masked();
            JsonNode encounter = fhir.mask(g.resources().get(3)).masked();
            JsonNode inBundle = fhir.mask(bundle(g)).masked();
            assertEquals(p, patient.get("id").asText());
            assertEquals("Patient/" + p, condition.at("/subject/reference").asText());
            assertTrue(observation.at("/subject/reference").asText().endsWith("Patient/" + p));
            assertEquals(p, inBundle.at("/entry/0/resource/id").asText());
            assertEquals("Patient/" + p, inBundle.at("/entry/0/request/url").asText());
            long birth = ChronoUnit.DAYS.between(g.birth(), LocalDate.parse(patient.get("birthDate").asText()));
            long seen = ChronoUnit.DAYS.between(g.seen(),
                    LocalDate.parse(observation.get("effectiveDateTime").asText().substring(0, 10)));
            long issued = ChronoUnit.DAYS.between(g.seen(),
                    LocalDate.parse(observation.get("issued").asText().substring(0, 10)));
            long onset = ChronoUnit.DAYS.between(g.seen().minusDays(30),
                    LocalDate.parse(condition.get("onsetDateTime").asText()));
            long start = ChronoUnit.DAYS.between(g.seen(), LocalDate.parse(encounter.at("/period/start").asText().substring(0, 10)));
            long bundled = ChronoUnit.DAYS.between(g.birth(), LocalDate.parse(inBundle.at("/entry/0/resource/birthDate").asText()));
            long bundledSeen = ChronoUnit.DAYS.between(g.seen(),
                    LocalDate.parse(inBundle.at("/entry/1/resource/effectiveDateTime").asText().substring(0, 10)));
            assertNotEquals(0, birth);
            assertTrue(Math.abs(birth) <= 365);
            for (long other : new long[] {seen, issued, onset, start, bundled, bundledSeen}) {
                assertEquals(birth, other, "patient " + k);
            }
            assertEquals("08:45:00Z", observation.get("effectiveDateTime").asText().substring(11));
            offsets.put(k, birth);
            assertTrue(patient.at("/meta/security").toString().contains("PERTURBED"));
            FhirMaskingTest.parse(inBundle, Resource.class);
        }
        assertTrue(new HashSet<>(offsets.values()).size() > 50, "offsets differ between patients");
    }
}
