package org.emrsb.core.masking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Policy files: YAML and JSON, validation errors that name the rule and field, and the policy hash. */
class PolicyFileTest {

    static final MaskingKeys KEYS = RuleGoldenTest.KEYS;

    static final String YAML = String.join("\n",
            "# a hospital's policy",
            "id: hospital-a.basic",
            "version: \"2.1\"",
            "subjectField: patient.idNumber",
            "options:",
            "  rejectInvalidResidentId: true",
            "rules:",
            "  - field: patient.idNumber",
            "    rule: pseudonymise",
            "    validate: resident-id",
            "  - field: patient.name",
            "    rule: name",
            "  - field: patient.age",
            "    rule: generalise",
            "    kind: number",
            "    width: 10",
            "    topCodeAt: 90",
            "  - field: 'encounters[*].date'",
            "    rule: date-shift",
            "    maxDays: 30",
            "  - field: diagnosis",
            "    rule: generalise",
            "    kind: category",
            "    level: 1",
            "    rows:",
            "      - flu;respiratory;*",
            "      - gastritis;digestive;*",
            "  - field: 'phones[*]'",
            "    rule: mask-out",
            "    keepPrefix: 3",
            "    keepSuffix: 4",
            "    maskLength: 4",
            "    digitsOnly: true",
            "  - field: note",
            "    rule: redact",
            "");

    /** The same policy as JSON, keys reordered, parameters at their defaults written out, other whitespace. */
    static final String JSON = "{ \"rules\" : [\n"
            + " {\"validate\":\"resident-id\",\"rule\":\"pseudonymise\",\"field\":\"patient.idNumber\"},\n"
            + " {\"familyName\":\"last\",\"field\":\"patient.name\",\"rule\":\"name\"},\n"
            + " {\"field\":\"patient.age\",\"rule\":\"generalise\",\"kind\":\"number\",\"topCodeAt\":90.0,\"width\":1e1,"
            + "\"topCodeLabel\":\"90+\"},\n"
            + " {\"maxDays\":30,\"rule\":\"date-shift\",\"field\":\"encounters[*].date\"},\n"
            + " {\"field\":\"diagnosis\",\"rule\":\"generalise\",\"kind\":\"category\",\"level\":1,"
            + "\"rows\":[\"flu; respiratory ;*\",\"gastritis;digestive;*\"]},\n"
            + " {\"field\":\"phones[*]\",\"rule\":\"mask-out\",\"keepSuffix\":4,\"keepPrefix\":3,\"maskLength\":4,"
            + "\"digitsOnly\":true,\"maskChar\":\"*\",\"minLength\":8},\n"
            + " {\"field\":\"note\",\"rule\":\"redact\",\"replacement\":\"*\"}\n"
            + "],\n\t\"options\": {\"rejectInvalidResidentId\": true}, \"subjectField\": \"patient.idNumber\","
            + " \"version\": \"2.1\", \"id\": \"hospital-a.basic\" }";

    @TempDir
    Path dir;

    @Test
    void yamlAndJsonFilesOfTheSamePolicyHashAlike() throws Exception {
        Path yaml = write("policy.yaml", YAML);
        Path json = write("policy.json", JSON);
        MaskingPolicy a = MaskingPolicy.load(yaml, KEYS);
        MaskingPolicy b = MaskingPolicy.load(json, KEYS);
        MaskingPolicy c = MaskingPolicy.named(json.toString(), KEYS);
        assertEquals("hospital-a.basic", a.id());
        assertEquals("2.1", a.version());
        assertEquals("patient.idNumber", a.subjectField());
        assertArrayEquals(a.hash(), b.hash());
        assertArrayEquals(a.hash(), c.hash());
        assertEquals(a.toJson(), b.toJson());
        // a JSON file whose name does not say so is recognised by its first character
        assertArrayEquals(a.hash(), MaskingPolicy.load(write("policy.txt", "\n  " + JSON), KEYS).hash());
    }

    @Test
    void aYamlFlowMappingIsYamlEvenThoughItStartsWithABrace() throws Exception {
        String flow = "{id: t, version: 1, subjectField: id, rules: [{field: age, rule: generalise, kind: number, width: 5}]}";
        MaskingPolicy fromText = MaskingPolicy.parse(flow, KEYS);
        MaskingPolicy fromFile = MaskingPolicy.load(write("flow.yaml", flow), KEYS);
        MaskingPolicy guessed = MaskingPolicy.load(write("flow.policy", flow), KEYS);
        assertArrayEquals(fromText.hash(), fromFile.hash());
        assertArrayEquals(fromText.hash(), guessed.hash());
        PolicyException e = assertThrows(PolicyException.class, () -> MaskingPolicy.load(write("flow.json", flow), KEYS));
        assertTrue(e.getMessage().contains("not valid JSON at line 1"), e.getMessage());
    }

    @Test
    void theJsonFormSpellsEveryDefaultOut() throws Exception {
        assertEquals("{\"id\":\"t\",\"version\":\"1\",\"subjectField\":\"id\",\"options\":{\"rejectInvalidResidentId\":false},"
                + "\"rules\":[{\"field\":\"age\",\"rule\":\"generalise\",\"kind\":\"number\",\"width\":10,\"topCodeAt\":89.5,"
                + "\"topCodeLabel\":\"89.5+\"},{\"field\":\"id\",\"rule\":\"mask-out\",\"keepPrefix\":0,\"keepSuffix\":2,"
                + "\"maskChar\":\"*\",\"minLength\":3,\"digitsOnly\":false}]}",
                Json.text(MaskingPolicy.parse("id: t\nversion: 1\nsubjectField: id\nrules:\n"
                        + "  - {field: age, rule: generalise, kind: number, width: 10.0, topCodeAt: 89.50}\n"
                        + "  - {field: id, rule: mask-out, keepSuffix: 2}\n", KEYS).toJson()));
    }

    @Test
    void theJsonFormRoundTrips() throws Exception {
        MaskingPolicy a = MaskingPolicy.parse(YAML, KEYS);
        MaskingPolicy b = MaskingPolicy.fromJson(a.toJson(), KEYS);
        assertArrayEquals(a.hash(), b.hash());
        MaskingPolicy paper = MaskingPolicy.fromJson(MaskingPolicy.paper().toJson(), MaskingKeys.none());
        assertArrayEquals(MaskingPolicy.paper().hash(), paper.hash());
        assertEquals(a.hashHex(), org.emrsb.core.format.Sha256.hex(
                org.emrsb.core.format.CanonicalJson.canonicalize(a.toJson())));
    }

    @Test
    void thePaperProfilesHashIsPinned() {
        // Recorded in every masked record: a change here is a new profile and needs a new version.
        assertEquals("1bf4ee1c050a6917f40ffd509dec9f33c1a93e3458656081fe93db76f7d32f1c", MaskingPolicy.paper().hashHex());
    }

    @Test
    void theHashChangesWithAnyChange() throws Exception {
        List<String[]> changes = List.of(
                new String[] {"width: 10", "width: 5"},
                new String[] {"topCodeAt: 90", "topCodeAt: 85"},
                new String[] {"maxDays: 30", "maxDays: 31"},
                new String[] {"keepPrefix: 3", "keepPrefix: 2"},
                new String[] {"maskLength: 4", "maskLength: 5"},
                new String[] {"digitsOnly: true", "digitsOnly: false"},
                new String[] {"level: 1", "level: 2"},
                new String[] {"- flu;respiratory;*", "- flu;infectious;*"},
                new String[] {"rule: redact", "rule: keep"},
                new String[] {"field: note", "field: notes"},
                new String[] {"    validate: resident-id\n", ""},
                new String[] {"rejectInvalidResidentId: true", "rejectInvalidResidentId: false"},
                new String[] {"version: \"2.1\"", "version: \"2.2\""},
                new String[] {"id: hospital-a.basic", "id: hospital-b.basic"},
                new String[] {"subjectField: patient.idNumber", "subjectField: patient.id"},
                new String[] {"    rule: name\n", "    rule: name\n    familyName: first\n"},
                new String[] {"  - field: note\n    rule: redact\n", ""},
                new String[] {"    rule: redact\n", "    rule: redact\n    replacement: gone\n"});
        Set<String> hashes = new HashSet<>();
        hashes.add(MaskingPolicy.parse(YAML, KEYS).hashHex());
        for (String[] change : changes) {
            assertTrue(YAML.contains(change[0]), change[0]);
            String changed = YAML.replace(change[0], change[1]);
            assertTrue(hashes.add(MaskingPolicy.parse(changed, KEYS).hashHex()), "no new hash for " + change[0]);
        }
        // ...but not with the keys, which are not part of the policy
        assertEquals(MaskingPolicy.parse(YAML, KEYS).hashHex(),
                MaskingPolicy.parse(YAML, MaskingKeys.derive(new byte[32])).hashHex());
    }

    @Test
    void aHierarchyFileIsReadBesideThePolicyAndHashedByContent() throws Exception {
        write("diseases.csv", "# disease;group;*\nflu;respiratory;*\n\ngastritis;digestive;*\n");
        Path policy = write("p.yaml", "id: h\nversion: 1\nsubjectField: id\nrules:\n"
                + "  - {field: diagnosis, rule: generalise, kind: category, level: 1, file: diseases.csv}\n");
        MaskingPolicy first = MaskingPolicy.load(policy, MaskingKeys.none());
        assertEquals("digestive", first.mask(Json.object("{\"diagnosis\":\"gastritis\"}")).masked().get("diagnosis").asText());
        MaskingPolicy inline = MaskingPolicy.parse("id: h\nversion: 1\nsubjectField: id\nrules:\n"
                + "  - {field: diagnosis, rule: generalise, kind: category, level: 1,"
                + " rows: ['flu;respiratory;*', 'gastritis;digestive;*']}\n", MaskingKeys.none());
        assertArrayEquals(inline.hash(), first.hash());
        write("diseases.csv", "flu;respiratory;*\ngastritis;stomach;*\n");
        assertFalse(java.util.Arrays.equals(first.hash(), MaskingPolicy.load(policy, MaskingKeys.none()).hash()));
    }

    @Test
    void namedTakesPaperOrAFile() throws Exception {
        assertSame(MaskingPolicy.paper(), MaskingPolicy.named("paper", KEYS));
        PolicyException e = assertThrows(PolicyException.class,
                () -> MaskingPolicy.named(dir.resolve("nope.yaml").toString(), KEYS));
        assertTrue(e.getMessage().contains("nope.yaml"), e.getMessage());
    }

    @Test
    void anEmptyRuleListKeepsEverything() throws Exception {
        MaskingPolicy p = MaskingPolicy.parse("id: none\nversion: 1\nsubjectField: id\nrules: []\n", MaskingKeys.none());
        assertEquals("{\"id\":\"x\",\"n\":1}", Json.text(p.mask(Json.object("{\"id\":\"x\",\"n\":1}")).masked()));
    }

    /** A rule list (YAML) that is wrong, the rule number and field the error must name, and a fragment of it. */
    @ParameterizedTest(name = "{3}")
    @CsvSource(delimiter = '|', value = {
        "- {field: name, rule: name, familyname: last} | 1 | name | unknown key 'familyname'",
        "- {field: name, rule: name}\\n  - {field: age, rule: generalise, kind: number, width: -5} | 2 | age | 'width' must be greater than 0",
        "- {field: age, rule: generalise, kind: number} | 1 | age | 'width' is required",
        "- {field: age, rule: generalise, kind: number, width: five} | 1 | age | 'width' must be a number",
        "- {field: age, rule: generalise, kind: number, width: 5, topCodeLabel: old} | 1 | age | 'topCodeLabel' needs 'topCodeAt'",
        "- {field: age, rule: generalise} | 1 | age | 'kind' is required",
        "- {field: age, rule: generalise, kind: colour} | 1 | age | 'kind' must be one of number, date, address, category",
        "- {field: age, rule: generalize, kind: number, width: 5} | 1 | age | unknown rule (rules: keep, redact",
        "- {field: born, rule: generalise, kind: date, to: week} | 1 | born | 'to' must be one of year, quarter, month",
        "- {field: born, rule: generalise, kind: date} | 1 | born | 'to' is required",
        "- {field: addr, rule: generalise, kind: address, dropLevels: 0} | 1 | addr | 'dropLevels' must be a whole number from 1 to 100",
        "- {field: addr, rule: generalise, kind: address, finest: middle} | 1 | addr | 'finest' must be one of first, last",
        "- {field: dx, rule: generalise, kind: category, level: 1} | 1 | dx | either as 'rows' or as 'file', not neither",
        "- {field: dx, rule: generalise, kind: category, level: 1, rows: ['a;b'], file: x.csv} | 1 | dx | not both",
        "- {field: dx, rule: generalise, kind: category, level: 1, rows: ['a']} | 1 | dx | row 1 of the hierarchy needs a value and at least one level",
        "- {field: dx, rule: generalise, kind: category, level: 1, rows: ['a;b', 'a;c']} | 1 | dx | row 2 of the hierarchy repeats a value",
        "- {field: dx, rule: generalise, kind: category, level: 1, rows: ['a;;*']} | 1 | dx | row 1 of the hierarchy has an empty entry",
        "- {field: dx, rule: generalise, kind: category, level: 0, rows: ['a;b']} | 1 | dx | 'level' must be a whole number from 1",
        "- {field: dx, rule: generalise, kind: category, level: 1, file: x.csv} | 1 | dx | 'file' needs a policy loaded from a file",
        "- {field: id, rule: mask-out, keepPrefix: 3, keepSuffix: 4, minLength: 6} | 1 | id | 'minLength' must be at least keepPrefix + keepSuffix (7)",
        "- {field: id, rule: mask-out, keepPrefix: 3, lengths: [2, 18]} | 1 | id | every entry of 'lengths' must be at least",
        "- {field: id, rule: mask-out, maskChar: '**'} | 1 | id | 'maskChar' must be exactly one character",
        "- {field: id, rule: mask-out, maskLength: 0} | 1 | id | 'maskLength' must be a whole number from 1 to 1000",
        "- {field: id, rule: mask-out, keepPrefix: 1.5} | 1 | id | 'keepPrefix' must be a whole number",
        "- {field: id, rule: mask-out, digitsOnly: yes please} | 1 | id | 'digitsOnly' must be true or false",
        "- {field: id, rule: keep, kind: number} | 1 | id | unknown key 'kind'",
        "- {field: id, rule: redact, validate: phone} | 1 | id | 'validate' must be 'resident-id'",
        "- {field: id, rule: redact, replacement: 5} | 1 | id | 'replacement' must be a string",
        "- {field: id, rule: date-shift} | 1 | id | 'maxDays' is required",
        "- {field: id, rule: date-shift, maxDays: 0} | 1 | id | 'maxDays' must be a whole number from 1 to 36500",
        "- {field: a, rule: keep}\\n  - {field: a, rule: redact} | 2 | a | the field already has a rule (rule 1)",
        "- {field: a, rule: keep}\\n  - {field: a.b, rule: redact} | 2 | a.b | the field overlaps field 'a' (rule 1)",
        "- {field: 'a[*].b', rule: keep}\\n  - {field: a, rule: redact} | 2 | a | the field overlaps field 'a[*].b' (rule 1)",
        "- {field: 'a..b', rule: keep} | 1 | a..b | empty member name in path",
        "- {field: 'a[0]', rule: keep} | 1 | a[0] | only [*] may follow a member name",
        "- {field: '', rule: keep} | 1 | '' | the path is empty",
    })
    void ruleErrorsNameTheRuleAndTheField(String rules, int number, String field, String fragment) {
        String text = "id: t\nversion: 1\nsubjectField: id\nrules:\n  " + rules.replace("\\n", "\n") + "\n";
        PolicyException e = assertThrows(PolicyException.class, () -> MaskingPolicy.parse(text, KEYS));
        String message = e.getMessage();
        assertTrue(message.startsWith("policy: rule " + number + " (field '" + field + "', rule '"), message);
        assertTrue(message.contains(fragment), message);
        assertEquals(number, e.rule().orElseThrow());
        assertEquals(field, e.field().orElseThrow());
    }

    @Test
    void aRuleWithoutFieldOrRuleIsNamedByNumber() {
        PolicyException noField = assertThrows(PolicyException.class, () -> MaskingPolicy.parse(
                "id: t\nversion: 1\nsubjectField: id\nrules:\n  - {field: a, rule: keep}\n  - {rule: keep}\n", KEYS));
        assertTrue(noField.getMessage().startsWith("policy: rule 2: 'field' is required"), noField.getMessage());
        PolicyException noRule = assertThrows(PolicyException.class, () -> MaskingPolicy.parse(
                "id: t\nversion: 1\nsubjectField: id\nrules:\n  - {field: age}\n", KEYS));
        assertTrue(noRule.getMessage().startsWith("policy: rule 1 (field 'age'): 'rule' is required: keep, redact,"),
                noRule.getMessage());
        PolicyException notAnObject = assertThrows(PolicyException.class, () -> MaskingPolicy.parse(
                "id: t\nversion: 1\nsubjectField: id\nrules:\n  - age\n", KEYS));
        assertTrue(notAnObject.getMessage().startsWith("policy: rule 1: a rule is an object"), notAnObject.getMessage());
    }

    @Test
    void keyedRulesNeedTheirKeysAtLoad() {
        for (String rule : List.of("rule: pseudonymise", "rule: date-shift, maxDays: 3")) {
            PolicyException e = assertThrows(PolicyException.class, () -> MaskingPolicy.parse(
                    "id: t\nversion: 1\nsubjectField: id\nrules:\n  - {field: idNumber, " + rule + "}\n", MaskingKeys.none()));
            assertTrue(e.getMessage().startsWith("policy: rule 1 (field 'idNumber', rule '"), e.getMessage());
            assertTrue(e.getMessage().contains("gateway.secret-file"), e.getMessage());
        }
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "id: t\\nversion: 1\\nsubjectField: id\\nrules: []\\nextra: 1 | unknown key 'extra'",
        "version: 1\\nsubjectField: id\\nrules: [] | 'id' is required",
        "id: 'a b'\\nversion: 1\\nsubjectField: id\\nrules: [] | 'id' must be 1-64 letters",
        "id: t\\nsubjectField: id\\nrules: [] | 'version' is required",
        "id: t\\nversion: 1.0\\nsubjectField: id\\nrules: [] | 'version' must be a string (quote it",
        "id: t\\nversion: 1\\nrules: [] | 'subjectField' is required",
        "id: t\\nversion: 1\\nsubjectField: 'ids[*]'\\nrules: [] | 'subjectField' must name one field",
        "id: t\\nversion: 1\\nsubjectField: id | 'rules' is required",
        "id: t\\nversion: 1\\nsubjectField: id\\nrules: {}\\n | 'rules' is required",
        "id: t\\nversion: 1\\nsubjectField: id\\noptions: {rejectInvalidIds: true}\\nrules: [] | unknown option 'rejectInvalidIds'",
        "id: t\\nversion: 1\\nsubjectField: id\\noptions: {rejectInvalidResidentId: 1}\\nrules: [] | option 'rejectInvalidResidentId' must be true or false",
        "id: t\\nid: u\\nversion: 1\\nsubjectField: id\\nrules: [] | not valid YAML at line 2",
        "- a\\n- b | a policy is an object",
        "'' | the policy is empty",
        "{\"id\": \"t\", | not valid JSON",
        "{\"id\":\"t\",\"id\":\"u\",\"version\":1,\"subjectField\":\"id\",\"rules\":[]} | not valid JSON",
    })
    void documentErrorsSayWhatIsWrong(String csvText, String fragment) {
        String text = csvText.replace("\\n", "\n");
        PolicyException e = assertThrows(PolicyException.class, () -> MaskingPolicy.parse(text, KEYS));
        assertTrue(e.getMessage().startsWith("policy: "), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void fileErrorsNameTheFile() throws IOException {
        Path bad = write("bad.yaml", "id: t\nversion: 1\nsubjectField: id\nrules:\n  - {field: age, rule: explode}\n");
        PolicyException e = assertThrows(PolicyException.class, () -> MaskingPolicy.load(bad, KEYS));
        assertTrue(e.getMessage().startsWith(bad + ": rule 1 (field 'age', rule 'explode'): unknown rule"), e.getMessage());
        PolicyException missing = assertThrows(PolicyException.class, () -> MaskingPolicy.load(dir.resolve("x.yaml"), KEYS));
        assertTrue(missing.getMessage().contains("x.yaml"), missing.getMessage());
        Path csvPolicy = write("c.yaml", "id: t\nversion: 1\nsubjectField: id\nrules:\n"
                + "  - {field: dx, rule: generalise, kind: category, level: 1, file: missing.csv}\n");
        PolicyException noCsv = assertThrows(PolicyException.class, () -> MaskingPolicy.load(csvPolicy, KEYS));
        assertTrue(noCsv.getMessage().contains("rule 1 (field 'dx', rule 'generalise'): cannot read hierarchy file missing.csv"),
                noCsv.getMessage());
        Path badCsv = write("bad.csv", "# header\nflu;respiratory;*\nflu;other;*\n");
        Path badCsvPolicy = write("d.yaml", "id: t\nversion: 1\nsubjectField: id\nrules:\n"
                + "  - {field: dx, rule: generalise, kind: category, level: 1, file: bad.csv}\n");
        PolicyException dup = assertThrows(PolicyException.class, () -> MaskingPolicy.load(badCsvPolicy, KEYS));
        assertTrue(dup.getMessage().contains("bad.csv line 3 of the hierarchy repeats a value"), dup.getMessage());
    }

    @Test
    void theDescriptionIsKeptAndHashed() throws Exception {
        MaskingPolicy a = MaskingPolicy.parse("id: t\nversion: 1\ndescription: one\nsubjectField: id\nrules:\n"
                + "  - {field: a, rule: keep, description: why}\n", KEYS);
        assertEquals("why", a.toJson().get("rules").get(0).get("description").asText());
        MaskingPolicy b = MaskingPolicy.parse("id: t\nversion: 1\ndescription: two\nsubjectField: id\nrules:\n"
                + "  - {field: a, rule: keep, description: why}\n", KEYS);
        assertNotEquals(a.hashHex(), b.hashHex());
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}
