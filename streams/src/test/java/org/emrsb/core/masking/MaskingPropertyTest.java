package org.emrsb.core.masking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Properties over seeded random records: nothing identifying survives, pseudonyms and date shifts behave. */
class MaskingPropertyTest {

    private static final int RECORDS = 2_000;
    private static final List<String> SYLLABLES = new ArrayList<>(Pinyin.syllables());
    private static final String[] FAMILY = {"Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou",
        "Xu", "Sun", "Ma", "Zhu", "Hu", "Guo", "He", "Gao", "Lin", "Luo", "Ouyang", "Sima"};
    private static final String HAN = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗小明华伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛超";
    private static final String KEYED_POLICY = "id: keyed\nversion: 1\nsubjectField: idNumber\nrules:\n"
            + "  - {field: idNumber, rule: pseudonymise}\n"
            + "  - {field: name, rule: redact}\n"
            + "  - {field: phone, rule: mask-out, keepSuffix: 2, maskLength: 6, digitsOnly: true}\n"
            + "  - {field: 'visits[*]', rule: date-shift, maxDays: 60}\n"
            + "  - {field: address, rule: generalise, kind: address, dropLevels: 2}\n";

    @TempDir
    Path dir;

    @Test
    void thePaperProfileNeverLetsAnIdentifierThrough() {
        Random random = new Random(20190401);
        for (int i = 0; i < RECORDS; i++) {
            Person p = Person.random(random);
            MaskResult result = MaskingPolicy.paper().mask(p.record());
            String out = Json.text(result.masked());
            assertFalse(out.contains(p.id), out);
            assertFalse(out.contains(p.id.substring(6, 14)), "the birth date leaks: " + out);
            assertFalse(out.contains(p.phone), out);
            assertFalse(out.contains(p.phoneDigits), out);
            assertFalse(out.contains(p.name), out);
            assertFalse(out.contains(p.street), out);
            assertFalse(out.contains("\"age\":" + p.age), out);
            assertFieldsInOrderAsStrings(result.masked(), "name", "age", "idNumber", "address", "phone", "disease");
            assertEquals(p.disease, result.masked().get("disease").asText());
        }
    }

    @Test
    void aKeyedPolicyNeverLetsAnIdentifierThrough() throws Exception {
        MaskingPolicy policy = MaskingPolicy.parse(KEYED_POLICY, RuleGoldenTest.KEYS);
        Random random = new Random(8785);
        for (int i = 0; i < RECORDS; i++) {
            Person p = Person.random(random);
            String out = Json.text(policy.mask(p.record()).masked());
            for (String identifier : List.of(p.id, p.phone, p.phoneDigits, p.name, p.street)) {
                assertFalse(out.contains(identifier), out);
            }
        }
    }

    @Test
    void badValuesNeverThrowAndNeverPassThroughAMaskedField() {
        Random random = new Random(42);
        for (int i = 0; i < RECORDS; i++) {
            ObjectNode record = JsonNodeFactory.instance.objectNode();
            for (String field : List.of("name", "age", "idNumber", "address", "phone", "mobile")) {
                record.set(field, randomValue(random, 0));
            }
            MaskResult result = MaskingPolicy.paper().mask(record);
            for (String field : List.of("name", "age", "idNumber", "address", "phone", "mobile")) {
                JsonNode in = record.get(field);
                JsonNode out = result.masked().get(field);
                if (in.isContainerNode() || in.isBoolean() || in.isNull()) {
                    assertTrue(out.isTextual() && out.asText().matches("\\*+"), field + ": " + in + " -> " + out);
                }
            }
        }
    }

    @Test
    void pseudonymsAreStableAcrossCallsAndLoadsAndDifferUnderAnotherKey() throws Exception {
        Path file = Files.writeString(dir.resolve("keyed.yaml"), KEYED_POLICY);
        MaskingPolicy first = MaskingPolicy.load(file, RuleGoldenTest.KEYS);
        MaskingPolicy reloaded = MaskingPolicy.load(file, MaskingKeys.derive(RuleGoldenTest.SECRET.clone()));
        byte[] otherSecret = RuleGoldenTest.SECRET.clone();
        otherSecret[31] ^= 1;
        MaskingPolicy otherKey = MaskingPolicy.load(file, MaskingKeys.derive(otherSecret));
        Random random = new Random(7064);
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < RECORDS; i++) {
            Person p = Person.random(random);
            String a = first.mask(p.record()).masked().get("idNumber").asText();
            assertTrue(a.matches("[0-9a-f]{64}"), a);
            assertEquals(a, first.mask(p.record()).masked().get("idNumber").asText());
            assertEquals(a, reloaded.mask(p.record()).masked().get("idNumber").asText());
            assertEquals(a, Pseudonyms.of(RuleGoldenTest.KEYS.pseudonymKey(), p.id));
            assertNotEquals(a, otherKey.mask(p.record()).masked().get("idNumber").asText());
            assertTrue(seen.add(p.id) == seen.add("pseudonym " + a), "distinct subjects, distinct pseudonyms");
        }
    }

    @Test
    void dateShiftsKeepIntervalsWithinAPatient() throws Exception {
        MaskingPolicy policy = MaskingPolicy.parse(KEYED_POLICY, RuleGoldenTest.KEYS);
        MaskingPolicy reloaded = MaskingPolicy.parse(KEYED_POLICY, RuleGoldenTest.KEYS);
        Random random = new Random(1999);
        int[] offsetsSeen = new int[121];
        for (int i = 0; i < RECORDS; i++) {
            Person p = Person.random(random);
            ObjectNode record = p.record();
            List<LocalDate> dates = new ArrayList<>();
            var visits = record.putArray("visits");
            LocalDate d = LocalDate.of(1990, 1, 1).plusDays(random.nextInt(12_000));
            for (int k = 0; k < 1 + random.nextInt(5); k++) {
                d = d.plusDays(random.nextInt(400));
                dates.add(d);
                visits.add(d.toString());
            }
            JsonNode shifted = policy.mask(record).masked().get("visits");
            assertEquals(shifted, reloaded.mask(record).masked().get("visits"));
            long offset = ChronoUnit.DAYS.between(dates.get(0), LocalDate.parse(shifted.get(0).asText()));
            assertTrue(offset != 0 && Math.abs(offset) <= 60, Long.toString(offset));
            offsetsSeen[(int) offset + 60]++;
            for (int k = 0; k < dates.size(); k++) {
                assertEquals(offset, ChronoUnit.DAYS.between(dates.get(k), LocalDate.parse(shifted.get(k).asText())));
                if (k > 0) {
                    assertEquals(ChronoUnit.DAYS.between(dates.get(k - 1), dates.get(k)),
                            ChronoUnit.DAYS.between(LocalDate.parse(shifted.get(k - 1).asText()),
                                    LocalDate.parse(shifted.get(k).asText())));
                }
            }
        }
        int used = 0;
        for (int count : offsetsSeen) {
            used += count > 0 ? 1 : 0;
        }
        assertEquals(120, used, "every offset in [-60, -1] and [1, 60] occurs over 2,000 patients");
    }

    private static void assertFieldsInOrderAsStrings(ObjectNode masked, String... fields) {
        Iterator<String> names = masked.fieldNames();
        for (String field : fields) {
            assertEquals(field, names.next());
            assertTrue(masked.get(field).isTextual(), field);
        }
        assertFalse(names.hasNext());
    }

    private static JsonNode randomValue(Random random, int depth) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        switch (random.nextInt(depth > 1 ? 5 : 7)) {
            case 0:
                return f.nullNode();
            case 1:
                return f.booleanNode(random.nextBoolean());
            case 2:
                return f.numberNode(random.nextLong());
            case 3:
                return f.numberNode(random.nextDouble() * 1e6 - 5e5);
            case 4: {
                StringBuilder sb = new StringBuilder();
                for (int i = random.nextInt(25); i > 0; i--) {
                    sb.appendCodePoint(random.nextInt(4) == 0 ? 0x4E00 + random.nextInt(0x5000) : 0x20 + random.nextInt(95));
                }
                return f.textNode(sb.toString());
            }
            case 5: {
                var array = f.arrayNode();
                for (int i = random.nextInt(3); i > 0; i--) {
                    array.add(randomValue(random, depth + 1));
                }
                return array;
            }
            default: {
                ObjectNode object = f.objectNode();
                for (int i = random.nextInt(3); i > 0; i--) {
                    object.set("k" + i, randomValue(random, depth + 1));
                }
                return object;
            }
        }
    }

    /** A random patient of the paper's shape. */
    private record Person(String name, int age, String id, String street, String address, String phone,
            String phoneDigits, String disease) {

        static Person random(Random random) {
            String name;
            if (random.nextInt(3) == 0) {
                StringBuilder han = new StringBuilder();
                for (int i = 2 + random.nextInt(2); i > 0; i--) {
                    han.append(HAN.charAt(random.nextInt(HAN.length())));
                }
                name = han.toString();
            } else {
                String given = capitalised(syllable(random)) + (random.nextBoolean() ? syllable(random) : "");
                String family = FAMILY[random.nextInt(FAMILY.length)];
                name = random.nextInt(4) == 0 ? given + family : given + " " + family;
            }
            String first17 = String.format("%02d%04d%04d%02d%02d%03d", 11 + 10 * random.nextInt(5), random.nextInt(10_000),
                    1930 + random.nextInt(90), 1 + random.nextInt(12), 1 + random.nextInt(28), random.nextInt(1000));
            char check = random.nextBoolean() ? ResidentIds.checkDigit(first17) : (char) ('0' + random.nextInt(10));
            String id = first17 + check;
            String digits = "1" + (3 + random.nextInt(7)) + String.format("%09d", random.nextInt(1_000_000_000));
            String phone = switch (random.nextInt(3)) {
                case 0 -> digits;
                case 1 -> digits.substring(0, 3) + "-" + digits.substring(3, 7) + "-" + digits.substring(7);
                default -> "+86 " + digits.substring(0, 3) + " " + digits.substring(3, 7) + " " + digits.substring(7);
            };
            String street = "No. " + (1 + random.nextInt(999)) + " " + capitalised(syllable(random)) + syllable(random) + " Rd";
            String address = street + (random.nextBoolean() ? ", " : "，") + capitalised(syllable(random)) + " district, Beijing";
            String disease = List.of("flu", "headache", "stomach trouble").get(random.nextInt(3));
            return new Person(name, random.nextInt(100), id, street, address, phone, digits, disease);
        }

        ObjectNode record() {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("name", name);
            o.put("age", age);
            o.put("idNumber", id);
            o.put("address", address);
            o.put("phone", phone);
            o.put("disease", disease);
            return o;
        }

        private static String syllable(Random random) {
            String s;
            do {
                s = SYLLABLES.get(random.nextInt(SYLLABLES.size()));
            } while (s.length() < 2);
            return s;
        }

        private static String capitalised(String s) {
            return Character.toUpperCase(s.charAt(0)) + s.substring(1);
        }
    }
}
