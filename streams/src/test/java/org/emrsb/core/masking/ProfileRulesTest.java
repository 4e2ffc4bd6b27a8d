package org.emrsb.core.masking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The rule kinds the profiles brought: {@code remove}, {@code generalise kind: zip3}, top-code-only
 * numbers, {@code keepLevels} addresses and {@code pseudonymise from}; their errors and their hash form.
 */
class ProfileRulesTest {

    private static final MaskingKeys KEYS = RuleGoldenTest.KEYS;

    private static MaskingPolicy policy(String rules) {
        return MaskingPolicyFixtures.parse("id: t\nversion: 1\nsubjectField: id\nrules:\n" + rules, KEYS);
    }

    @Test
    void removeDropsTheMemberAndNullsArrayElements() {
        MaskingPolicy p = policy("  - {field: photo, rule: remove}\n  - {field: 'scans[*].image', rule: remove}\n"
                + "  - {field: 'prints[*]', rule: remove}\n");
        MaskResult r = p.mask(Json.object("{\"id\":\"1\",\"photo\":{\"b\":\"AAAA\"},\"scans\":[{\"image\":\"x\",\"at\":1},{\"at\":2}],"
                + "\"prints\":[\"a\",\"b\"],\"x\":1}"));
        assertEquals("{\"id\":\"1\",\"scans\":[{\"at\":1},{\"at\":2}],\"prints\":[null,null],\"x\":1}", Json.text(r.masked()));
        assertEquals(List.of(), r.warnings());
        assertEquals("{\"id\":\"1\"}", Json.text(p.mask(Json.object("{\"id\":\"1\",\"photo\":null}")).masked()));
    }

    @Test
    void zip3TakesItsOwnListAndReplacement() {
        MaskingPolicy p = policy("  - {field: f, rule: generalise, kind: zip3, restricted: ['593', '021'], replacement: '999'}\n");
        assertEquals("999", Json.maskOne(p, "\"59330\""));
        assertEquals("999", Json.maskOne(p, "\"02139\""));
        assertEquals("036", Json.maskOne(p, "\"03601\""));
        assertEquals("[{\"field\":\"f\",\"rule\":\"generalise\",\"kind\":\"zip3\",\"restricted\":[\"021\",\"593\"],\"replacement\":\"999\"}]",
                p.toJson().get("rules").toString());
        MaskingPolicy defaults = policy("  - {field: f, rule: generalise, kind: zip3}\n");
        assertEquals(17, defaults.toJson().get("rules").get(0).get("restricted").size());
        assertEquals("000", defaults.toJson().get("rules").get(0).get("replacement").asText());
        assertNotEquals(defaults.hashHex(), p.hashHex());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{field: f, rule: generalise, kind: zip3, restricted: ['59']} | 'restricted' must list ZIP3 codes of three digits",
        "{field: f, rule: generalise, kind: zip3, restricted: '593'} | 'restricted' must be a list of strings",
        "{field: f, rule: generalise, kind: zip3, keep: 3} | unknown key 'keep'",
        "{field: f, rule: generalise, kind: number} | 'width' is required (a number), unless 'topCodeAt' is given",
        "{field: f, rule: generalise, kind: number, topCodeLabel: x} | 'width' is required",
        "{field: f, rule: generalise, kind: address, keepLevels: 2, dropLevels: 1} | either 'dropLevels' or 'keepLevels'",
        "{field: f, rule: generalise, kind: address, keepLevels: 0} | 'keepLevels' must be a whole number from 1 to 100",
        "{field: f, rule: remove, replacement: x} | unknown key 'replacement'",
        "{field: f, rule: generalise, kind: date, to: year, ageTopCodeAt: 90} | 'ageTopCodeAt' and 'ageTopCodeLabel' need 'ageField'",
        "{field: f, rule: generalise, kind: date, to: year, ageField: age} | 'ageField' needs 'ageTopCodeAt' (a number)",
        "{field: f, rule: generalise, kind: date, to: year, ageField: 'a[*]', ageTopCodeAt: 90} | 'ageField' must name one field",
        "{field: f, rule: pseudonymise, from: 'a[*]'} | 'from' must name one field, without [*]",
        "{field: f, rule: pseudonymise, from: f} | 'from' must differ from 'field'",
        "{field: a.f, rule: pseudonymise, from: id} | with 'from', 'field' is the output field: a top-level name",
        "{field: f, rule: pseudonymise, from: 7} | 'from' must be a string",
    })
    void errorsNameTheRule(String rule, String fragment) {
        PolicyException e = assertThrows(PolicyException.class, () -> MaskingPolicy.parse(
                "id: t\nversion: 1\nsubjectField: id\nrules:\n  - " + rule + "\n", KEYS));
        assertTrue(e.getMessage().startsWith("policy: rule 1 (field '"), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void topCodeOnlyKeepsLowerNumbersAsWritten() {
        MaskingPolicy p = policy("  - {field: f, rule: generalise, kind: number, topCodeAt: 90}\n");
        assertEquals("{\"f\":45}", Json.text(p.mask(Json.object("{\"f\":45}")).masked()));
        assertEquals("{\"f\":\"45\"}", Json.text(p.mask(Json.object("{\"f\":\"45\"}")).masked()));
        assertEquals("90+", Json.maskOne(p, "90"));
        assertEquals("*", Json.maskOne(p, "\"old\""));
        assertEquals("[{\"field\":\"f\",\"rule\":\"generalise\",\"kind\":\"number\",\"topCodeAt\":90,\"topCodeLabel\":\"90+\"}]",
                p.toJson().get("rules").toString());
    }

    @Test
    void aDateWhoseRecordIsOverTheAgeTopCodeBecomesTheLabel() {
        MaskingPolicy p = policy("  - {field: f, rule: generalise, kind: date, to: month, ageField: p.age, ageTopCodeAt: 90,"
                + " ageTopCodeLabel: '90+'}\n  - {field: p.age, rule: redact}\n");
        assertEquals("{\"f\":\"90+\",\"p\":{\"age\":\"*\"}}", Json.text(p.mask(Json.object("{\"f\":\"1930-02-03\",\"p\":{\"age\":95}}")).masked()));
        assertEquals("{\"f\":\"1950-02\",\"p\":{\"age\":\"*\"}}", Json.text(p.mask(Json.object("{\"f\":\"1950-02-03\",\"p\":{\"age\":75}}")).masked()));
        assertEquals("{\"field\":\"f\",\"rule\":\"generalise\",\"kind\":\"date\",\"to\":\"month\",\"ageField\":\"p.age\","
                + "\"ageTopCodeAt\":90,\"ageTopCodeLabel\":\"90+\"}", p.toJson().get("rules").get(0).toString());
    }

    @Test
    void keepLevelsKeepsTheCoarsest() {
        MaskingPolicy first = policy("  - {field: f, rule: generalise, kind: address, keepLevels: 1}\n");
        assertEquals("Sichuan", Json.maskOne(first, "\"a, b, Chengdu, Sichuan\""));
        MaskingPolicy last = policy("  - {field: f, rule: generalise, kind: address, keepLevels: 2, finest: last, separator: ''}\n");
        assertEquals("四川省成都市", Json.maskOne(last, "\"四川省，成都市，武侯区，人民路5号\""));
        assertEquals("[{\"field\":\"f\",\"rule\":\"generalise\",\"kind\":\"address\",\"keepLevels\":2,\"finest\":\"last\",\"separator\":\"\"}]",
                last.toJson().get("rules").toString());
    }

    @Test
    void pseudonymiseFromWritesADerivedFieldFromTheOriginalValue() {
        MaskingPolicy p = policy("  - {field: id, rule: redact}\n  - {field: link, rule: pseudonymise, from: patient.mrn}\n");
        MaskResult r = p.mask(Json.object("{\"id\":\"1\",\"patient\":{\"mrn\":4711}}"));
        assertEquals("{\"id\":\"*\",\"patient\":{\"mrn\":4711},\"link\":\"" + Pseudonyms.of(KEYS.pseudonymKey(), "4711") + "\"}",
                Json.text(r.masked()));
        assertEquals("[{\"field\":\"id\",\"rule\":\"redact\",\"replacement\":\"*\"},{\"field\":\"link\",\"rule\":\"pseudonymise\",\"from\":\"patient.mrn\"}]",
                p.toJson().get("rules").toString());
        MaskResult notScalar = p.mask(Json.object("{\"id\":\"1\",\"patient\":{\"mrn\":[1]}}"));
        assertEquals("*", notScalar.masked().get("link").asText());
        assertNotEquals(policy("  - {field: id, rule: redact}\n  - {field: link, rule: pseudonymise, from: id}\n").hashHex(),
                p.hashHex());
    }

    @Test
    void namedKnowsTheBuiltIns() throws Exception {
        assertEquals(List.of("paper", "hipaa-safe-harbor", "gbt-37964"), MaskingPolicy.BUILT_IN);
        for (String name : MaskingPolicy.BUILT_IN) {
            assertEquals(name, MaskingPolicy.named(name, KEYS).id());
        }
        assertEquals("1bf4ee1c050a6917f40ffd509dec9f33c1a93e3458656081fe93db76f7d32f1c", MaskingPolicy.paper().hashHex());
    }
}
