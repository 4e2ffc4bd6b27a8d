package org.emrsb.core.masking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The built-in hipaa-safe-harbor profile (45 CFR 164.514(b)(2)) on flat JSON records. */
class HipaaSafeHarborProfileTest {

    static final MaskingPolicy HIPAA = named();

    /** Realistic records in, exactly what the profile writes out. */
    static final String[][] GOLDEN = {
        // a 93-year-old (the birth year would tell the age) in a ZIP3 kept (593, Montana); a date-time to
        // its year; the photo dropped
        {"{\"medicalRecordNumber\":\"MRN-004211\",\"firstName\":\"Maria\",\"lastName\":\"Lopez\",\"birthDate\":\"1931-07-04\",\"age\":93,\"street\":\"12 Elm St\",\"city\":\"Glendive\",\"county\":\"Dawson\",\"state\":\"MT\",\"zip\":\"59330\",\"phone\":\"+1 406-555-0142\",\"email\":\"maria.lopez@example.com\",\"ssn\":\"123-45-6789\",\"admissionDate\":\"2026-03-14T08:30:00Z\",\"diagnosis\":\"pneumonia\",\"photo\":\"data:image/jpeg;base64,/9j/4AAQ\"}",
            "{\"medicalRecordNumber\":\"*\",\"firstName\":\"*\",\"lastName\":\"*\",\"birthDate\":\"*\",\"age\":\"90+\",\"street\":\"*\",\"city\":\"*\",\"county\":\"*\",\"state\":\"MT\",\"zip\":\"593\",\"phone\":\"*\",\"email\":\"*\",\"ssn\":\"*\",\"admissionDate\":\"2026\",\"diagnosis\":\"pneumonia\"}"},
        // ZIP+4 with a leading zero; an age under 90 kept as written; a biometric object dropped
        {"{\"medicalRecordNumber\":\"MRN-117\",\"name\":\"John Q. Public\",\"age\":45,\"address\":\"77 Mass Ave, Cambridge, MA 02139\",\"zip\":\"02139-4307\",\"state\":\"MA\",\"dischargeDate\":\"2025-12-01\",\"healthPlanNumber\":\"HP99812\",\"accountNumber\":\"ACC-5\",\"fax\":\"617-555-0100\",\"ipAddress\":\"10.1.2.3\",\"url\":\"https://example.org/~jqp\",\"diagnosis\":\"asthma\",\"biometric\":{\"fingerprint\":\"AAEC\"}}",
            "{\"medicalRecordNumber\":\"*\",\"name\":\"*\",\"age\":45,\"address\":\"*\",\"zip\":\"021\",\"state\":\"MA\",\"dischargeDate\":\"2025\",\"healthPlanNumber\":\"*\",\"accountNumber\":\"*\",\"fax\":\"*\",\"ipAddress\":\"*\",\"url\":\"*\",\"diagnosis\":\"asthma\"}"},
        // a restricted ZIP3 (102) given as a number; a year-month death date; an age of 89 as text
        {"{\"medicalRecordNumber\":4455,\"name\":\"Ann Lee\",\"age\":\"89\",\"zip\":10210,\"deathDate\":\"2024-02\",\"deviceId\":\"PM-33-A\",\"vehicleId\":\"7ABC123\",\"licenseNumber\":\"D1234567\",\"mobile\":\"555 0199\",\"employer\":\"Acme Corp\",\"notes\":\"stable\"}",
            "{\"medicalRecordNumber\":\"*\",\"name\":\"*\",\"age\":\"89\",\"zip\":\"000\",\"deathDate\":\"2024\",\"deviceId\":\"*\",\"vehicleId\":\"*\",\"licenseNumber\":\"*\",\"mobile\":\"*\",\"employer\":\"*\",\"notes\":\"stable\"}"},
        // the other date fields, the contact's name, coordinates
        {"{\"medicalRecordNumber\":\"A-9\",\"middleName\":\"K\",\"maidenName\":\"Smith\",\"emergencyContactName\":\"Bob Roe\",\"encounterDate\":\"2026-01-02\",\"serviceDate\":\"2026-01-03\",\"procedureDate\":\"2026-01-04\",\"specimenDate\":\"2026-01-05\",\"reportDate\":\"2026-01-06T10:00:00+01:00\",\"latitude\":42.36,\"longitude\":-71.06,\"state\":\"NY\",\"zip\":\"03601\",\"age\":90}",
            "{\"medicalRecordNumber\":\"*\",\"middleName\":\"*\",\"maidenName\":\"*\",\"emergencyContactName\":\"*\",\"encounterDate\":\"2026\",\"serviceDate\":\"2026\",\"procedureDate\":\"2026\",\"specimenDate\":\"2026\",\"reportDate\":\"2026\",\"latitude\":\"*\",\"longitude\":\"*\",\"state\":\"NY\",\"zip\":\"000\",\"age\":\"90+\"}"},
    };

    private static MaskingPolicy named() {
        try {
            return MaskingPolicy.named(MaskingPolicy.HIPAA_SAFE_HARBOR, MaskingKeys.none());
        } catch (PolicyException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    @Test
    void goldenRecordsComeOutExactly() {
        for (String[] row : GOLDEN) {
            MaskResult result = HIPAA.mask(Json.object(row[0]));
            assertEquals(row[1], Json.text(result.masked()));
            assertEquals(List.of(), result.warnings());
            assertFalse(result.rejected());
        }
    }

    @Test
    void identityAndPinnedHash() throws Exception {
        assertEquals("hipaa-safe-harbor", HIPAA.id());
        assertEquals("2", HIPAA.version());
        assertEquals("medicalRecordNumber", HIPAA.subjectField());
        // docs/masking.md records this hash; change both together, and only on purpose
        assertEquals("e2c235b56315add69b1e81031c671afa2bab1e5f65a6ac722d1d47bf5964076f", HIPAA.hashHex());
        // keys do not change the hash; the file's own canonical form reloads to the same policy
        assertEquals(HIPAA.hashHex(), MaskingPolicy.named("hipaa-safe-harbor", RuleGoldenTest.KEYS).hashHex());
        assertEquals(HIPAA.hashHex(), MaskingPolicy.fromJson(HIPAA.toJson(), MaskingKeys.none()).hashHex());
        assertEquals(HIPAA.hashHex(), org.emrsb.core.format.Sha256.hex(
                org.emrsb.core.format.CanonicalJson.canonicalize(HIPAA.toJson())));
    }

    @Test
    void theRestrictedZip3ListIsTheSeventeenOfTheHhsGuidance() {
        assertEquals(List.of("036", "059", "063", "102", "203", "556", "692", "790", "821", "823", "830", "831",
                "878", "879", "884", "890", "893"), Generalisations.Zip3.HIPAA_RESTRICTED);
        String json = new String(org.emrsb.core.format.CanonicalJson.canonicalize(HIPAA.toJson()), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"restricted\":[\"036\",\"059\""), "the list is part of the hash: " + json);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "\"59330\" | 593", "\"02139-4307\" | 021", "\"021394307\" | 021", "\" 90210 \" | 902", "2139 | 021",
        "\"03601\" | 000", "\"05901\" | 000", "\"06390\" | 000", "\"10201\" | 000", "\"20301\" | 000",
        "\"55601\" | 000", "\"69201\" | 000", "\"79001\" | 000", "\"82101\" | 000", "\"82301\" | 000",
        "\"83001\" | 000", "\"83101\" | 000", "\"87801\" | 000", "\"87901\" | 000", "\"88401\" | 000",
        "\"89001\" | 000", "\"89301\" | 000", "\"10301\" | 103",
        "\"5933\" | *", "\"593301\" | *", "\"SW1A 1AA\" | *", "-1 | *", "100000 | *", "true | *", "\"\" | *",
    })
    void zips(String value, String masked) {
        assertEquals(masked, HIPAA.mask(Json.object("{\"zip\":" + value + "}")).masked().get("zip").asText());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "0 | 0", "45 | 45", "89 | 89", "89.9 | 89.9", "90 | 90+", "90.0 | 90+", "104 | 90+", "\"90\" | 90+",
        "\"95 years\" | *", "null | *", "[90] | *",
    })
    void ages(String value, String masked) {
        assertEquals(masked, HIPAA.mask(Json.object("{\"age\":" + value + "}")).masked().get("age").asText());
    }

    @ParameterizedTest(name = "age {0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "89 | 1935", "\"89\" | 1935", "90 | *", "\"90\" | *", "104.5 | *", "\"ninety\" | 1935", "null | 1935",
    })
    void theBirthYearOfAPatientOver89IsRemoved(String age, String birthYear) {
        assertEquals(birthYear, HIPAA.mask(Json.object("{\"age\":" + age + ",\"birthDate\":\"1935-05-01\"}"))
                .masked().get("birthDate").asText());
        assertEquals("1935", HIPAA.mask(Json.object("{\"birthDate\":\"1935-05-01\"}")).masked().get("birthDate").asText());
    }

    @Test
    void badValuesAreMaskedWithAWarningThatDoesNotRepeatThem() {
        MaskResult result = HIPAA.mask(Json.object("{\"zip\":\"Boston 02139x\",\"birthDate\":\"4 July 1931\"}"));
        assertEquals("{\"zip\":\"*\",\"birthDate\":\"*\"}", Json.text(result.masked()));
        assertEquals(2, result.warnings().size());
        for (String w : result.warnings()) {
            assertFalse(w.contains("02139") || w.contains("1931"), w);
        }
    }

    @Test
    void aDateShiftVariantShiftsPerPatientInstead() throws Exception {
        String text = HipaaProfileFiles.text();
        String shifted = text.replace("id: hipaa-safe-harbor", "id: hipaa-safe-harbor.shifted")
                .replace("kind: date\n    to: year\n", "XX\n")
                .replace("rule: generalise\n    XX\n", "rule: date-shift\n    maxDays: 365\n")
                .replace("rule: date-shift\n    maxDays: 365\n    ageField", "rule: generalise\n    kind: date\n    to: year\n    ageField");
        MaskingPolicy policy = MaskingPolicy.parse(shifted, RuleGoldenTest.KEYS);
        assertNotEquals(HIPAA.hashHex(), policy.hashHex());
        var a = policy.mask(Json.object("{\"medicalRecordNumber\":\"M1\",\"birthDate\":\"1950-01-01\",\"admissionDate\":\"2026-03-01\"}")).masked();
        assertEquals("1950", a.get("birthDate").asText(), "the birth date keeps its year rule");
        var b = policy.mask(Json.object("{\"medicalRecordNumber\":\"M1\",\"dischargeDate\":\"2026-03-11\"}")).masked();
        java.time.LocalDate admitted = java.time.LocalDate.parse(a.get("admissionDate").asText());
        assertEquals(10, java.time.temporal.ChronoUnit.DAYS.between(admitted, java.time.LocalDate.parse(b.get("dischargeDate").asText())));
        assertNotEquals("2026-03-01", a.get("admissionDate").asText());
        assertEquals("*", a.get("medicalRecordNumber").asText());
    }

    /** The built-in file's text. */
    static final class HipaaProfileFiles {
        static String text() throws java.io.IOException {
            try (var in = MaskingPolicy.class.getResourceAsStream("hipaa-safe-harbor.yaml")) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }
}
