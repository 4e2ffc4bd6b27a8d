package org.emrsb.core.format;

import static org.emrsb.core.format.CanonicalJsonRfc8785Test.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * A masked record as the gateway would sign it: a FHIR-like Bundle with nested resources,
 * non-ASCII text, extensions, decimals and exponents. No expected bytes are written by hand here;
 * the tests check the properties a signature depends on.
 */
class CanonicalJsonFhirTest {

    /** Made up for this test, shaped like FHIR R4 (Bundle, Patient, Observation). */
    static final String BUNDLE = """
            {
              "resourceType": "Bundle",
              "type": "collection",
              "timestamp": "2024-03-01T08:30:00+01:00",
              "entry": [
                {
                  "fullUrl": "urn:uuid:5c1f0b3e-8a4d-4f7e-9c2b-1d2e3f4a5b6c",
                  "resource": {
                    "resourceType": "Patient",
                    "id": "p-001",
                    "meta": {"versionId": "3", "security": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ObservationValue", "code": "MASKED"}]},
                    "name": [{"use": "official", "family": "Müller-Łukasiewicz", "given": ["José", "山田", "Zoë"]}],
                    "gender": "female",
                    "birthDate": "1970-01-01",
                    "address": [{"line": ["Rue de l'Église 1\\nBât. B"], "city": "Genève", "country": "CH"}],
                    "extension": [{"url": "http://example.org/fhir/emoji-note", "valueString": "pain 😖 \\u2028 tab\\t \\"quoted\\" back\\\\slash </script>"}]
                  }
                },
                {
                  "fullUrl": "urn:uuid:00000000-0000-0000-0000-000000000002",
                  "resource": {
                    "resourceType": "Observation",
                    "status": "final",
                    "code": {"coding": [{"system": "http://loinc.org", "code": "8310-5", "display": "Body temperature"}]},
                    "subject": {"reference": "Patient/p-001"},
                    "valueQuantity": {"value": 37.50, "unit": "°C", "system": "http://unitsofmeasure.org", "code": "Cel"},
                    "component": [
                      {"code": {"text": "tiny"}, "valueQuantity": {"value": 1.5E-7}},
                      {"code": {"text": "huge"}, "valueQuantity": {"value": 6.02214076e23}},
                      {"code": {"text": "count"}, "valueInteger": 120},
                      {"code": {"text": "ratio"}, "valueDecimal": 0.1},
                      {"code": {"text": "negative"}, "valueDecimal": -273.15},
                      {"code": {"text": "big id as number"}, "valueInteger": 12345678901234567890}
                    ],
                    "interpretation": [],
                    "note": [{"text": ""}],
                    "_status": {"extension": [{"url": "a", "valueBoolean": true}, {"url": "b", "valueBoolean": false}]},
                    "effectivePeriod": {"start": "2024-03-01", "end": null}
                  }
                }
              ]
            }
            """;

    @Test
    void canonicalizeIsIdempotent() {
        byte[] once = CanonicalJson.canonicalize(BUNDLE);
        assertArrayEquals(once, CanonicalJson.canonicalize(once));
        assertArrayEquals(once, CanonicalJson.canonicalize(utf8(once)));
        assertArrayEquals(once, CanonicalJson.canonicalize(CanonicalJson.parse(once)));
        assertArrayEquals(once, CanonicalJson.canonicalize(CanonicalJson.parse(BUNDLE)));
    }

    @Test
    void memberOrderWhitespaceAndNumberSpellingDoNotChangeTheBytes() throws Exception {
        byte[] canonical = CanonicalJson.canonicalize(BUNDLE);
        ObjectMapper mapper = new ObjectMapper();
        // Every object's members reversed, pretty-printed by Jackson (which spells doubles its own
        // way, e.g. 1.5E-7 and 6.02214076E23): the same data, other bytes.
        JsonNode reversed = reverseMembers(CanonicalJson.parse(BUNDLE));
        String other = mapper.writerWithDefaultPrettyPrinter().writeValueAsString(reversed);
        assertFalse(other.equals(utf8(canonical)));
        assertArrayEquals(canonical, CanonicalJson.canonicalize(other));
        assertArrayEquals(canonical, CanonicalJson.canonicalize(reversed));
        // And through Jackson's own tree model, with its int, long, BigInteger and double nodes.
        assertArrayEquals(canonical, CanonicalJson.canonicalize(mapper.readTree(BUNDLE)));
    }

    @Test
    void membersAreSortedAtEveryLevelAndNoWhitespaceIsLeftBetweenTokens() {
        String canonical = utf8(CanonicalJson.canonicalize(BUNDLE));
        assertSorted(CanonicalJson.parse(canonical), "");
        boolean inString = false;
        for (int i = 0; i < canonical.length(); i++) {
            char c = canonical.charAt(i);
            if (c == '"' && !escaped(canonical, i)) {
                inString = !inString;
            } else if (!inString) {
                assertFalse(c == ' ' || c == '\n' || c == '\r' || c == '\t', "whitespace at " + i);
            }
        }
    }

    @Test
    void theRecordKeepsItsContent() {
        JsonNode canonical = CanonicalJson.parse(CanonicalJson.canonicalize(BUNDLE));
        JsonNode patient = canonical.get("entry").get(0).get("resource");
        assertEquals("Müller-Łukasiewicz", patient.get("name").get(0).get("family").textValue());
        assertEquals("pain 😖 \u2028 tab\t \"quoted\" back\\slash </script>",
                patient.get("extension").get(0).get("valueString").textValue());
        JsonNode observation = canonical.get("entry").get(1).get("resource");
        assertEquals(37.5, observation.get("valueQuantity").get("value").doubleValue());
        assertTrue(observation.get("effectivePeriod").get("end").isNull());
        // The canonical text keeps non-ASCII and U+2028 as they are, escapes the tab and quotes.
        String text = utf8(CanonicalJson.canonicalize(BUNDLE));
        assertTrue(text.contains("\"family\":\"Müller-Łukasiewicz\""), text);
        assertTrue(text.contains("pain 😖 \u2028 tab\\t \\\"quoted\\\" back\\\\slash </script>"), text);
        assertTrue(text.contains("\"line\":[\"Rue de l'Église 1\\nBât. B\"]"), text);
    }

    private static JsonNode reverseMembers(JsonNode node) {
        if (node.isObject()) {
            List<Map.Entry<String, JsonNode>> members = new ArrayList<>(node.properties());
            Collections.reverse(members);
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> m : members) {
                out.set(m.getKey(), reverseMembers(m.getValue()));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            for (JsonNode element : node) {
                out.add(reverseMembers(element));
            }
            return out;
        }
        return node;
    }

    private static void assertSorted(JsonNode node, String where) {
        if (node.isObject()) {
            String previous = null;
            for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> m = it.next();
                if (previous != null) {
                    assertTrue(previous.compareTo(m.getKey()) < 0, "order at " + where + "/" + m.getKey());
                }
                previous = m.getKey();
                assertSorted(m.getValue(), where + "/" + m.getKey());
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                assertSorted(node.get(i), where + "/" + i);
            }
        }
    }

    private static boolean escaped(String s, int quote) {
        int backslashes = 0;
        for (int i = quote - 1; i >= 0 && s.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }
}
