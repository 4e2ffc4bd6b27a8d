package org.emrsb.core.masking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fhir section of policy files: its syntax, its errors, its hash, and robustness on bad input. */
class FhirPolicyFileTest {

    private static final String HEAD = "id: t\nversion: 1\nsubjectField: mrn\nrules: []\nfhir:\n  rules:\n";

    private static String error(String rules, MaskingKeys keys) {
        return assertThrows(PolicyException.class, () -> MaskingPolicy.parse(HEAD + rules, keys)).getMessage();
    }

    private static MaskingPolicy policy(String rules) {
        return MaskingPolicyFixtures.parse(HEAD + rules, FhirMaskingTest.KEYS);
    }

    @Test
    void everyErrorNamesTheFhirRuleItsPathAndItsType() {
        assertEquals("policy: fhir rule 1 (path 'Patient.nmae.', rule 'remove'): 'path': '' is not an element name "
                + "(element names are separated by '.'; choice elements are written as in JSON, e.g. effectiveDateTime)",
                error("    - path: Patient.nmae.\n      rule: remove\n", FhirMaskingTest.KEYS));
        assertTrue(error("    - path: HumanNmae\n      rule: remove\n", FhirMaskingTest.KEYS)
                .contains("'path' must start with a resource (Patient, Observation"));
        assertTrue(error("    - path: Patient.id\n      rule: redact\n", FhirMaskingTest.KEYS).contains("is kept"));
        assertTrue(error("    - path: Reference.reference\n      rule: remove\n", FhirMaskingTest.KEYS)
                .contains("handled by the engine"));
        assertTrue(error("    - path: Patient.name\n      rule: remove\n    - path: Patient.name.given\n      rule: remove\n",
                FhirMaskingTest.KEYS).contains("fhir rule 2 (path 'Patient.name.given', rule 'remove'): the path overlaps"));
        assertTrue(error("    - path: HumanName\n      rule: remove\n    - path: nodesByType('HumanName')\n      rule: keep\n",
                FhirMaskingTest.KEYS).contains("already has a rule"));
        assertTrue(error("    - path: Patient.identifier.value\n      rule: mask-out\n      validate: resident-id\n",
                FhirMaskingTest.KEYS).contains("'validate' is for flat records only"));
        assertTrue(error("    - path: Patient.gender\n      rule: redact\n      field: x\n", FhirMaskingTest.KEYS)
                .contains("unknown key 'field'"));
        assertTrue(error("    - path: date\n      rule: date-shift\n      maxDays: 10\n", MaskingKeys.none())
                .contains("needs the date-shift key"));
        assertTrue(assertThrows(PolicyException.class, () -> MaskingPolicy.parse(
                "id: t\nversion: 1\nsubjectField: mrn\nrules: []\nfhir:\n  rule: []\n", FhirMaskingTest.KEYS))
                .getMessage().contains("unknown key 'fhir.rule'"));
    }

    @Test
    void theSectionIsPartOfTheHashAndFhirNeedsThePseudonymKey() throws PolicyException {
        MaskingPolicy a = policy("    - path: HumanName\n      rule: remove\n");
        MaskingPolicy b = policy("    - path: nodesByType('HumanName')\n      rule: remove\n");
        MaskingPolicy flat = MaskingPolicyFixtures.parse("id: t\nversion: 1\nsubjectField: mrn\nrules: []\n", FhirMaskingTest.KEYS);
        assertNotEquals(a.hashHex(), flat.hashHex());
        assertNotEquals(a.hashHex(), b.hashHex()); // the path is hashed as written
        assertEquals(a.hashHex(), MaskingPolicyFixtures.parse(a.toJson().toString(), FhirMaskingTest.KEYS).hashHex());
        assertFalse(flat.hasFhirRules());
        assertTrue(assertThrows(PolicyException.class, flat::fhir).getMessage().contains("no fhir section"));
        MaskingPolicy keyless = MaskingPolicy.parse(HEAD + "    - path: HumanName\n      rule: remove\n", MaskingKeys.none());
        assertTrue(keyless.hasFhirRules());
        assertTrue(assertThrows(PolicyException.class, keyless::fhir).getMessage().contains("pseudonym key"));
        assertEquals(a.hashHex(), keyless.hashHex());
    }

    @Test
    void pathTypeMemberAndExtensionRulesAndTheFirstRuleWins() {
        MaskingPolicy p = policy(String.join("\n",
                "    - path: Patient.name", "      rule: keep",
                "    - path: Patient.name.family", "      rule: mask-out", "      keepPrefix: 1",
                "    - path: HumanName.given", "      rule: redact", "      replacement: X",
                "    - path: extension('http://example.org/secret')", "      rule: remove",
                "    - path: Observation.valueString", "      rule: pseudonymise",
                "    - path: HumanName", "      rule: remove", ""));
        ObjectNode patient = (ObjectNode) FhirMaskingTest.json("{\"resourceType\":\"Patient\",\"id\":\"a\","
                + "\"extension\":[{\"url\":\"http://example.org/secret\",\"valueString\":\"s\"},"
                + "{\"url\":\"http://example.org/open\",\"valueString\":\"o\"}],"
                + "\"name\":[{\"family\":\"Lopez\",\"given\":[\"Maria\",\"E\"]}],"
                + "\"contact\":[{\"name\":{\"family\":\"Lopez\",\"given\":[\"C\"]}}]}");
        JsonNode out = maskedBy(p, patient);
        assertEquals("L****", out.at("/name/0/family").asText());
        assertEquals("[\"X\",\"X\"]", out.at("/name/0/given").toString());
        // keep on Patient.name (rule 1) lets rules 2 and 3 reach inside; the contact's HumanName is removed
        // whole by rule 6, and the contact, left empty, with it
        assertFalse(out.has("contact"));
        assertEquals(1, out.get("extension").size());
        assertEquals("http://example.org/open", out.at("/extension/0/url").asText());
        assertTrue(out.at("/meta/security").toString().contains("MASKED"));
        ObjectNode obs = (ObjectNode) FhirMaskingTest.json("{\"resourceType\":\"Observation\",\"status\":\"final\","
                + "\"code\":{\"text\":\"t\"},\"subject\":{\"reference\":\"Patient/a\"},\"valueString\":\"v\"}");
        JsonNode o = maskedBy(p, obs);
        assertEquals(Pseudonyms.of(FhirMaskingTest.KEYS.pseudonymKey(), "v"), o.get("valueString").asText());
        FhirMaskingTest.parse(out, org.hl7.fhir.r4.model.Patient.class);
    }

    @Test
    void rulesThatWouldBreakFhirRemoveInstead() {
        MaskingPolicy p = policy(String.join("\n",
                "    - path: Address", "      rule: redact",
                "    - path: instant", "      rule: generalise", "      kind: date", "      to: year",
                "    - path: Observation.valueQuantity.value", "      rule: generalise", "      kind: number",
                "      width: 10", ""));
        ObjectNode obs = (ObjectNode) FhirMaskingTest.json("{\"resourceType\":\"Observation\",\"status\":\"final\","
                + "\"code\":{\"text\":\"t\"},\"subject\":{\"reference\":\"Patient/a\"},\"issued\":\"2026-01-02T03:04:05Z\","
                + "\"valueQuantity\":{\"value\":72,\"unit\":\"/min\"}}");
        FhirMaskResult r = fhirOf(p).mask(obs);
        assertFalse(r.masked().has("issued"));
        assertFalse(r.masked().at("/valueQuantity").has("value"));
        assertEquals(2, r.warnings().size(), r.warnings().toString());
        for (String w : r.warnings()) {
            assertFalse(w.contains("72") || w.contains("2026"), w);
        }
        ObjectNode patient = (ObjectNode) FhirMaskingTest.json("{\"resourceType\":\"Patient\",\"id\":\"a\","
                + "\"address\":[{\"city\":\"X\"}]}");
        FhirMaskResult pr = fhirOf(p).mask(patient);
        assertFalse(pr.masked().has("address"));
        assertTrue(pr.warnings().get(0).startsWith("Patient.address: a complex element"), pr.warnings().toString());
        FhirMaskingTest.parse(r.masked(), org.hl7.fhir.r4.model.Observation.class);
    }

    private static FhirMasking fhirOf(MaskingPolicy p) {
        try {
            return p.fhir();
        } catch (PolicyException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    private static JsonNode maskedBy(MaskingPolicy p, ObjectNode body) {
        return fhirOf(p).mask(body).masked();
    }

    /** Random mutations of a transaction Bundle never make the engine or its check throw. */
    @Test
    void badValuesAnywhereNeverThrow() throws PolicyException {
        FhirMasking fhir = FhirMaskingTest.hipaa();
        MaskingPolicy checker = MaskingPolicy.named(MaskingPolicy.HIPAA_SAFE_HARBOR, MaskingKeys.none());
        ObjectNode original = FhirMaskingTest.resource("transaction-bundle.json");
        Random random = new Random(99);
        JsonNodeFactory f = JsonNodeFactory.instance;
        List<JsonNode> junk = List.of(f.nullNode(), f.numberNode(5), f.textNode(""), f.textNode("Patient/x"),
                f.arrayNode(), f.objectNode(), f.booleanNode(true), f.arrayNode().add(f.nullNode()),
                f.objectNode().put("resourceType", "Patient"), f.objectNode().put("reference", "urn:uuid:x"),
                f.textNode("1974-13-45"), f.objectNode().set("extension", f.arrayNode().add(5)));
        for (int n = 0; n < 3000; n++) {
            ObjectNode copy = original.deepCopy();
            List<JsonNode[]> slots = new ArrayList<>();
            collect(copy, slots);
            for (int m = 0; m < 1 + random.nextInt(3); m++) {
                JsonNode[] slot = slots.get(random.nextInt(slots.size()));
                JsonNode value = junk.get(random.nextInt(junk.size())).deepCopy();
                if (slot[0] instanceof ObjectNode o) {
                    o.set(slot[1].textValue(), value);
                } else {
                    ((ArrayNode) slot[0]).set(slot[1].intValue(), value);
                }
            }
            if (!FhirMasking.isResource(copy)) {
                continue;
            }
            FhirMaskResult r = fhir.mask(copy);
            checker.fhirLeak(r.masked());
            checker.fhirLeak(copy);
        }
    }

    /** Every (container, member name or index) pair in the tree. */
    private static void collect(JsonNode node, List<JsonNode[]> out) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (node instanceof ObjectNode o) {
            o.fieldNames().forEachRemaining(name -> {
                out.add(new JsonNode[] {o, f.textNode(name)});
                collect(o.get(name), out);
            });
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                out.add(new JsonNode[] {a, f.numberNode(i)});
                collect(a.get(i), out);
            }
        }
    }
}
