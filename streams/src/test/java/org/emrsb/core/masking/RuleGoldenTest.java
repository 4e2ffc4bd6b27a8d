package org.emrsb.core.masking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Golden vectors for every rule type; the keyed ones were computed independently (HKDF and HMAC in another language). */
class RuleGoldenTest {

    static final byte[] SECRET = new byte[32];

    static {
        for (int i = 0; i < 32; i++) {
            SECRET[i] = (byte) i;
        }
    }

    static final MaskingKeys KEYS = MaskingKeys.derive(SECRET);

    /** A policy with one rule on field f, the rule given as YAML flow-mapping members. */
    static MaskingPolicy rule(String members) {
        try {
            return MaskingPolicy.parse("id: t\nversion: 1\nsubjectField: id\nrules:\n  - {field: f, " + members + "}\n", KEYS);
        } catch (PolicyException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    static MaskResult maskF(MaskingPolicy policy, String valueJson) {
        return policy.mask(Json.object("{\"id\":\"533527195809210238\",\"f\":" + valueJson + "}"));
    }

    @Test
    void keep() {
        MaskingPolicy p = rule("rule: keep");
        for (String v : List.of("\"x\"", "1", "1.5", "true", "null", "[1,{\"a\":2}]", "{\"a\":[]}")) {
            assertEquals("{\"id\":\"533527195809210238\",\"f\":" + v + "}", Json.text(maskF(p, v).masked()));
        }
    }

    @Test
    void redact() {
        assertEquals("*", Json.maskOne(rule("rule: redact"), "\"secret\""));
        assertEquals("*", Json.maskOne(rule("rule: redact"), "{\"a\":[1,2]}"));
        assertEquals("[REDACTED]", Json.maskOne(rule("rule: redact, replacement: '[REDACTED]'"), "12"));
        assertTrue(maskF(rule("rule: redact"), "null").warnings().isEmpty());
    }

    @ParameterizedTest(name = "width {0}, {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "10 | 37 | [30, 40]", "10 | 40 | [40, 50]", "10 | -1 | [-10, 0]", "5 | -5 | [-5, 0]", "1 | 7 | [7, 8]",
        "2.5 | 7 | [5, 7.5]", "2.5 | 7.5 | [7.5, 10]", "0.1 | 0.25 | [0.2, 0.3]", "1000 | \"123456\" | [123000, 124000]",
        "5 | 999999999999999 | [999999999999995, 1000000000000000]", "5 | 12345678901234567890123 | *",
    })
    void generaliseNumber(String width, String value, String expected) {
        assertEquals(expected, Json.maskOne(rule("rule: generalise, kind: number, width: " + width), value));
    }

    @Test
    void generaliseNumberTopCodes() {
        MaskingPolicy p = rule("rule: generalise, kind: number, width: 5, topCodeAt: 90");
        assertEquals("[85, 90]", Json.maskOne(p, "89"));
        assertEquals("[85, 90]", Json.maskOne(p, "89.9"));
        assertEquals("90+", Json.maskOne(p, "90"));
        assertEquals("90+", Json.maskOne(p, "\"104\""));
        assertEquals("90+", Json.maskOne(p, "90.0"));
        MaskingPolicy labelled = rule("rule: generalise, kind: number, width: 10, topCodeAt: 89.5, topCodeLabel: '≥ 90'");
        assertEquals("[80, 90]", Json.maskOne(labelled, "89"));
        assertEquals("≥ 90", Json.maskOne(labelled, "90"));
        assertEquals("≥ 90", Json.maskOne(labelled, "89.5"));
    }

    @Test
    void generaliseNumberWarnsOnNonNumbers() {
        MaskResult r = maskF(rule("rule: generalise, kind: number, width: 5"), "\"about 40\"");
        assertEquals("*", r.masked().get("f").asText());
        assertEquals(List.of("f: not a number (a string); replaced by *"), r.warnings());
        MaskResult big = maskF(rule("rule: generalise, kind: number, width: 5"), "1e300");
        assertEquals(List.of("f: number out of range (10^15 or more); replaced by *"), big.warnings());
    }

    @ParameterizedTest(name = "{0} to {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "1958-09-21 | year | 1958", "1958-09-21 | quarter | 1958-Q3", "1958-09-21 | month | 1958-09",
        "1958-01-01 | quarter | 1958-Q1", "1958-03-31 | quarter | 1958-Q1", "1958-04-01 | quarter | 1958-Q2",
        "1958-12-31 | quarter | 1958-Q4", "1958-09-21T10:30:00+08:00 | month | 1958-09",
        "1958-09-21T10:30Z | quarter | 1958-Q3", "1958-09-21 23:59:59.123 | year | 1958", "2000-02-29 | month | 2000-02",
        "1958-09 | year | 1958", "1958-09 | quarter | 1958-Q3", "1958 | month | 1958", "' 1958-09-21 ' | year | 1958",
    })
    void generaliseDate(String date, String to, String expected) {
        MaskResult r = maskF(rule("rule: generalise, kind: date, to: " + to), "\"" + date + "\"");
        assertEquals(expected, r.masked().get("f").asText());
        assertEquals(List.of(), r.warnings());
    }

    @ParameterizedTest
    @CsvSource({"21/09/1958", "1958-13-01", "1958-02-29", "1958-09-21T25:00", "1958-9-21", "19580921x", "''"})
    void generaliseDateWarnsOnWhatIsNotADate(String date) {
        MaskResult r = maskF(rule("rule: generalise, kind: date, to: year"), "\"" + date + "\"");
        assertEquals("*", r.masked().get("f").asText());
        assertEquals(List.of("f: not an ISO 8601 date (a string); replaced by *"), r.warnings());
    }

    @Test
    void generaliseAddress() {
        String a = "\"Room 5, Chaoyang park, chaoyang district, Beijing\"";
        assertEquals("chaoyang district, Beijing", Json.maskOne(rule("rule: generalise, kind: address, dropLevels: 2"), a));
        assertEquals("*", Json.maskOne(rule("rule: generalise, kind: address, dropLevels: 4"), a));
        assertEquals("chaoyang district/Beijing",
                Json.maskOne(rule("rule: generalise, kind: address, dropLevels: 2, separator: /"), a));
        assertEquals("北京市, 朝阳区",
                Json.maskOne(rule("rule: generalise, kind: address, finest: last"), "\"北京市，朝阳区，朝阳公园\""));
        MaskResult r = maskF(rule("rule: generalise, kind: address"), "42");
        assertEquals(List.of("f: expected a string, found a number; replaced by *"), r.warnings());
    }

    private static final String DISEASES = "rows: ['flu;respiratory;infectious;*', 'covid-19;respiratory;infectious;*',"
            + " 'gastritis;digestive;*', '42;answers;*']";

    @Test
    void generaliseCategory() {
        assertEquals("respiratory", Json.maskOne(rule("rule: generalise, kind: category, level: 1, " + DISEASES), "\"flu\""));
        assertEquals("infectious", Json.maskOne(rule("rule: generalise, kind: category, level: 2, " + DISEASES), "\"covid-19\""));
        assertEquals("*", Json.maskOne(rule("rule: generalise, kind: category, level: 3, " + DISEASES), "\"flu\""));
        assertEquals("*", Json.maskOne(rule("rule: generalise, kind: category, level: 2, " + DISEASES), "\"gastritis\""));
        assertEquals("*", Json.maskOne(rule("rule: generalise, kind: category, level: 9, " + DISEASES), "\"flu\""));
        assertEquals("digestive", Json.maskOne(rule("rule: generalise, kind: category, level: 1, " + DISEASES), "\" gastritis \""));
        assertEquals("answers", Json.maskOne(rule("rule: generalise, kind: category, level: 1, " + DISEASES), "42"));
        MaskResult unknown = maskF(rule("rule: generalise, kind: category, level: 1, " + DISEASES), "\"cold\"");
        assertEquals("*", unknown.masked().get("f").asText());
        assertEquals(List.of("f: value not in the hierarchy; replaced by *"), unknown.warnings());
    }

    @ParameterizedTest(name = "{0} | {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "keepPrefix: 1, keepSuffix: 1 | abcdef | a****f",
        "keepPrefix: 1, keepSuffix: 1 | abc | a*c",
        "keepPrefix: 1, keepSuffix: 1 | ab | **",
        "keepPrefix: 1, keepSuffix: 1, maskChar: '#' | abcdef | a####f",
        "keepPrefix: 1, keepSuffix: 1, maskLength: 3 | abcdefghij | a***j",
        "keepPrefix: 1, keepSuffix: 1, maskLength: 3 | ab | ***",
        "keepPrefix: 2 | abcdef | ab****",
        "keepSuffix: 2 | abcdef | ****ef",
        "{} | abc | ***",
        "maskLength: 4 | abc | ****",
        "keepPrefix: 1 | 王小明 | 王**",
        "keepPrefix: 1, keepSuffix: 1 | 😀ab😀 | 😀**😀",
        "keepPrefix: 3, keepSuffix: 2, minLength: 8 | abcdefg | *******",
        "keepPrefix: 3, keepSuffix: 2, minLength: 8 | abcdefgh | abc***gh",
        "keepPrefix: 1, keepSuffix: 1, lengths: [4, 6] | abcde | *****",
        "keepPrefix: 1, keepSuffix: 1, lengths: [4, 6] | abcdef | a****f",
        "keepSuffix: 4, digitsOnly: true | 'card 4111-1111-1111-1234' | ************1234",
        "keepSuffix: 4, digitsOnly: true, maskLength: 2 | 'no digits' | **",
    })
    void maskOut(String parameters, String value, String expected) {
        String members = parameters.equals("{}") ? "rule: mask-out" : "rule: mask-out, " + parameters;
        MaskResult r = maskF(rule(members), "\"" + value + "\"");
        assertEquals(expected, r.masked().get("f").asText());
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void maskOutOfNonScalarsMasksWhole() {
        MaskResult fixed = maskF(rule("rule: mask-out, keepPrefix: 1, maskLength: 3"), "[1]");
        assertEquals("***", fixed.masked().get("f").asText());
        assertEquals(List.of("f: expected a string or number, found an array; masked whole"), fixed.warnings());
        assertEquals("*", maskF(rule("rule: mask-out"), "null").masked().get("f").asText());
        assertEquals("1*****7", Json.maskOne(rule("rule: mask-out, keepPrefix: 1, keepSuffix: 1"), "1234567"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "Wang Xiaoming | Wang **", "Zhangsan | Zhang *", "Wang Xian | Wang *", "Smith John Paul | Smith **",
        "王小明 | 王**", "Wang | Wang",
    })
    void nameWithTheFamilyNameFirst(String name, String expected) {
        assertEquals(expected, Json.maskOne(rule("rule: name, familyName: first"), "\"" + name + "\""));
    }

    @Test
    void nameOfBlankStringsIsLeft() {
        assertEquals("", Json.maskOne(rule("rule: name"), "\"\""));
        assertEquals("  ", Json.maskOne(rule("rule: name"), "\"  \""));
    }

    @Test
    void pseudonymise() {
        MaskingPolicy p = rule("rule: pseudonymise");
        assertEquals("0a881cb408dbaf885675c14e66fbe5fe395e8abd148649efa67ab8ecf9d14a50",
                Json.maskOne(p, "\"533527195809210238\""));
        assertEquals("320f29793d2ed4c576a8f4b9970269f7cdb2c656e04cf73a335116ae24d488dd",
                Json.maskOne(p, "\"500101199310020723\""));
        assertEquals(Pseudonyms.of(KEYS.pseudonymKey(), "42"), Json.maskOne(p, "42"));
        MaskResult r = maskF(p, "{\"a\":1}");
        assertEquals("*", r.masked().get("f").asText());
        assertEquals(List.of("f: expected a string or number, found an object; replaced by *"), r.warnings());
    }

    @Test
    void dateShiftMovesEveryDateOfAPatientByItsOffset() {
        MaskingPolicy p = MaskingPolicyFixtures.parse("id: t\nversion: 1\nsubjectField: id\nrules:\n"
                + "  - {field: admitted, rule: date-shift, maxDays: 30}\n"
                + "  - {field: 'visits[*].date', rule: date-shift, maxDays: 30}\n"
                + "  - {field: born, rule: date-shift, maxDays: 365}\n", KEYS);
        MaskResult a = p.mask(Json.object("{\"id\":\"533527195809210238\",\"admitted\":\"2020-03-01\","
                + "\"visits\":[{\"date\":\"2020-03-15T08:30:00+08:00\"},{\"date\":\"2020-03-15\"}],\"born\":\"2020-03-01\"}"));
        assertEquals("{\"id\":\"533527195809210238\",\"admitted\":\"2020-03-23\","
                + "\"visits\":[{\"date\":\"2020-04-06T08:30:00+08:00\"},{\"date\":\"2020-04-06\"}],\"born\":\"2020-01-17\"}",
                Json.text(a.masked()));
        assertEquals(List.of(), a.warnings());
        MaskResult b = p.mask(Json.object("{\"id\":\"500101199310020723\",\"admitted\":\"2020-03-01\",\"born\":\"2020-03-15\"}"));
        assertEquals("2020-03-24", b.masked().get("admitted").asText());
        assertEquals("2021-01-07", b.masked().get("born").asText());
    }

    @Test
    void dateShiftWarnsWhenItCannotShift() {
        MaskingPolicy p = rule("rule: date-shift, maxDays: 10");
        assertEquals(List.of("f: a partial date cannot be shifted; replaced by *"), maskF(p, "\"2020-03\"").warnings());
        assertEquals(List.of("f: not an ISO 8601 date (a number); replaced by *"), maskF(p, "20200301").warnings());
        MaskResult noSubject = p.mask(Json.object("{\"f\":\"2020-03-01\"}"));
        assertEquals("*", noSubject.masked().get("f").asText());
        assertEquals(List.of("f: the subject field 'id' is missing or not a string or number, so the date cannot be "
                + "shifted; replaced by *"), noSubject.warnings());
    }

    @Test
    void offsetsAreNeverZeroAndCoverTheRange() {
        int max = 3;
        boolean[] seen = new boolean[2 * max + 1];
        for (long bits = -20; bits < 20; bits++) {
            int d = Rules.DateShift.offsetDays(bits, max);
            assertTrue(d != 0 && d >= -max && d <= max, Integer.toString(d));
            seen[d + max] = true;
        }
        for (int d = -max; d <= max; d++) {
            assertEquals(d != 0, seen[d + max], Integer.toString(d));
        }
    }

    @Test
    void pathsReachNestedObjectsAndArrayElements() {
        MaskingPolicy p = MaskingPolicyFixtures.parse("id: t\nversion: 1\nsubjectField: patient.id\nrules:\n"
                + "  - {field: patient.contact.phone, rule: redact}\n"
                + "  - {field: 'contacts[*].phone', rule: mask-out, keepSuffix: 2}\n"
                + "  - {field: 'matrix[*][*]', rule: redact}\n"
                + "  - {field: 'tags[*]', rule: redact, replacement: x}\n", KEYS);
        MaskResult r = p.mask(Json.object("{\"patient\":{\"id\":\"p1\",\"contact\":{\"phone\":\"123\",\"kind\":\"home\"}},"
                + "\"contacts\":[{\"phone\":\"5551234\"},{\"name\":\"n\"},{\"phone\":null}],\"matrix\":[[1,2],[3]],"
                + "\"tags\":[]}"));
        assertEquals("{\"patient\":{\"id\":\"p1\",\"contact\":{\"phone\":\"*\",\"kind\":\"home\"}},"
                + "\"contacts\":[{\"phone\":\"*****34\"},{\"name\":\"n\"},{\"phone\":\"*\"}],\"matrix\":[[\"*\",\"*\"],[\"*\"]],"
                + "\"tags\":[]}", Json.text(r.masked()));
        assertEquals(List.of("contacts[2].phone: expected a string or number, found null; masked whole"), r.warnings());
        assertEquals(Optional.of("p1"), p.subjectValue(r.masked()));
    }

    @Test
    void aValueWhereAnObjectOrArrayIsExpectedIsStarredNotPassedThrough() {
        MaskingPolicy p = MaskingPolicyFixtures.parse("id: t\nversion: 1\nsubjectField: id\nrules:\n"
                + "  - {field: patient.phone, rule: redact}\n"
                + "  - {field: 'contacts[*].phone', rule: redact}\n", KEYS);
        MaskResult r = p.mask(Json.object("{\"patient\":\"13812345678\",\"contacts\":{\"phone\":\"13812345678\"}}"));
        assertEquals("{\"patient\":\"*\",\"contacts\":\"*\"}", Json.text(r.masked()));
        assertEquals(List.of("patient: expected an object, found a string; replaced by *",
                "contacts: expected an array, found an object; replaced by *"), r.warnings());
        MaskResult absent = p.mask(Json.object("{\"patient\":null,\"other\":1}"));
        assertEquals("{\"patient\":null,\"other\":1}", Json.text(absent.masked()));
        assertEquals(List.of(), absent.warnings());
    }

    @Test
    void anInvalidResidentIdWarnsOrRejectsByOption() throws PolicyException {
        String rules = "rules:\n  - {field: idNumber, rule: pseudonymise, validate: resident-id}\n";
        MaskingPolicy warns = MaskingPolicy.parse("id: t\nversion: 1\nsubjectField: idNumber\n" + rules, KEYS);
        MaskingPolicy rejects = MaskingPolicy.parse("id: t\nversion: 1\nsubjectField: idNumber\n"
                + "options: {rejectInvalidResidentId: true}\n" + rules, KEYS);
        String bad = "{\"idNumber\":\"533527195809210238\"}";
        MaskResult w = warns.mask(Json.object(bad));
        assertFalse(w.rejected());
        assertEquals(List.of("idNumber: not a valid GB 11643 resident ID: check digit should be 7"), w.warnings());
        MaskResult r = rejects.mask(Json.object(bad));
        assertTrue(r.rejected());
        assertEquals(Optional.of("idNumber: not a valid GB 11643 resident ID: check digit should be 7"), r.rejection());
        assertEquals("0a881cb408dbaf885675c14e66fbe5fe395e8abd148649efa67ab8ecf9d14a50",
                r.masked().get("idNumber").asText());
        MaskResult good = rejects.mask(Json.object("{\"idNumber\":\"533527195809210237\"}"));
        assertFalse(good.rejected());
        assertEquals(List.of(), good.warnings());
        assertTrue(rejects.rejectsInvalidResidentIds());
    }
}
