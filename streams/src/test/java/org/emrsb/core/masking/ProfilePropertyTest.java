package org.emrsb.core.masking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The built-in profiles on generated records: no identifier of the profile's list survives, and
 * pseudonyms and date shifts are consistent per patient across records.
 */
class ProfilePropertyTest {

    private static final int RECORDS = 3000;
    private static final Pattern FULL_DATE = Pattern.compile("\\d{4}-\\d{2}(-\\d{2})?");
    private static final Pattern FIVE_DIGITS = Pattern.compile("(?<!\\d)\\d{5}(?!\\d)");
    private static final Pattern SSN = Pattern.compile("\\d{3}-\\d{2}-\\d{4}");
    private static final Pattern PHONE = Pattern.compile("\\d{3}[- ]\\d{4}");
    private static final String[] GIVEN = {"Maria", "John", "Wei", "Aiko", "Olu", "Sven", "Priya", "Lucía"};
    private static final String[] FAMILY = {"Lopez", "Public", "Chen", "Sato", "Adeyemi", "Berg", "Nair", "García"};
    private static final String[] HIPAA_DATES = {"birthDate", "admissionDate", "dischargeDate", "deathDate",
        "encounterDate", "serviceDate", "procedureDate", "specimenDate", "reportDate"};

    private static LocalDate date(Random random) {
        return LocalDate.of(1920, 1, 1).plusDays(random.nextInt(40_000));
    }

    private static String digits(Random random, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append((char) ('0' + random.nextInt(10)));
        }
        return sb.toString();
    }

    private static ObjectNode hipaaRecord(Random random, int patient) {
        ObjectNode r = Json.MAPPER.createObjectNode();
        r.put("medicalRecordNumber", "MRN-" + (100_000 + patient));
        String given = GIVEN[random.nextInt(GIVEN.length)];
        String family = FAMILY[random.nextInt(FAMILY.length)] + patient;
        r.put("firstName", given);
        r.put("lastName", family);
        r.put("name", given + " " + family);
        r.put("emergencyContactName", "Contact " + family);
        r.put("street", random.nextInt(999) + " Elm St");
        r.put("city", "Town" + patient);
        r.put("county", "County" + patient);
        r.put("state", "MA");
        String zip = digits(random, 5);
        r.put("zip", random.nextBoolean() ? zip : zip + "-" + digits(random, 4));
        for (String field : HIPAA_DATES) {
            if (random.nextInt(3) > 0) {
                LocalDate d = date(random);
                r.put(field, random.nextBoolean() ? d.toString() : d + "T" + "0" + random.nextInt(10) + ":15:00Z");
            }
        }
        int age = random.nextInt(115);
        if (random.nextBoolean()) {
            r.put("age", age);
        } else {
            r.put("age", Integer.toString(age));
        }
        r.put("phone", digits(random, 3) + "-" + digits(random, 3) + "-" + digits(random, 4));
        r.put("fax", digits(random, 3) + " " + digits(random, 4));
        r.put("email", given.toLowerCase() + patient + "@example.org");
        r.put("ssn", digits(random, 3) + "-" + digits(random, 2) + "-" + digits(random, 4));
        r.put("healthPlanNumber", "HP" + digits(random, 8));
        r.put("accountNumber", "AC" + digits(random, 8));
        r.put("licenseNumber", "D" + digits(random, 7));
        r.put("vehicleId", "VIN" + digits(random, 14));
        r.put("deviceId", "UDI" + digits(random, 12));
        r.put("url", "https://example.org/p/" + patient);
        r.put("ipAddress", "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256));
        r.put("photo", "data:image/png;base64," + digits(random, 20));
        r.putObject("biometric").put("iris", digits(random, 16));
        r.put("diagnosis", "J18.9");
        return r;
    }

    @Test
    void hipaaSafeHarborLeavesNoListedIdentifier() {
        Random random = new Random(164_514);
        MaskingPolicy policy = HipaaSafeHarborProfileTest.HIPAA;
        for (int i = 0; i < RECORDS; i++) {
            ObjectNode in = hipaaRecord(random, random.nextInt(500));
            MaskResult result = policy.mask(in);
            ObjectNode out = result.masked();
            String text = Json.text(out);
            assertEquals(List.of(), result.warnings(), text);
            assertFalse(out.has("photo") || out.has("biometric"), text);
            for (String field : List.of("medicalRecordNumber", "firstName", "lastName", "name", "emergencyContactName",
                    "street", "city", "county", "phone", "fax", "email", "ssn", "healthPlanNumber", "accountNumber",
                    "licenseNumber", "vehicleId", "deviceId", "url", "ipAddress")) {
                assertEquals("*", out.get(field).asText(), field);
                assertFalse(text.contains(in.get(field).asText()), field + " survives in " + text);
            }
            for (String field : HIPAA_DATES) {
                if (in.has(field)) {
                    assertTrue(out.get(field).asText().matches(field.equals("birthDate") ? "\\d{4}|\\*" : "\\d{4}"), field + ": " + out.get(field));
                }
            }
            if (in.has("birthDate") && Integer.parseInt(in.get("age").asText()) >= 90) {
                assertEquals("*", out.get("birthDate").asText(), "the birth year of a patient over 89");
            }
            assertTrue(out.get("zip").asText().matches("\\d{3}"), text);
            if (Generalisations.Zip3.HIPAA_RESTRICTED.contains(in.get("zip").asText().substring(0, 3))) {
                assertEquals("000", out.get("zip").asText());
            }
            JsonNode age = out.get("age");
            assertTrue(age.asText().equals("90+") || Integer.parseInt(age.asText()) < 90, "age " + age);
            assertFalse(FULL_DATE.matcher(text).find(), text);
            assertFalse(FIVE_DIGITS.matcher(text).find(), text);
            assertFalse(SSN.matcher(text).find() || PHONE.matcher(text).find() || text.contains("@"), text);
            assertEquals("MA", out.get("state").asText());
            assertEquals("J18.9", out.get("diagnosis").asText());
        }
    }

    @Test
    void hipaaDateShiftVariantShiftsEveryDateOfAPatientAlike() throws Exception {
        String shifted = HipaaSafeHarborProfileTest.HipaaProfileFiles.text()
                .replace("id: hipaa-safe-harbor", "id: hipaa-safe-harbor.shifted")
                .replace("rule: generalise\n    kind: date\n    to: year\n", "rule: date-shift\n    maxDays: 180\n")
                .replace("rule: date-shift\n    maxDays: 180\n    ageField", "rule: generalise\n    kind: date\n    to: year\n    ageField");
        MaskingPolicy policy = MaskingPolicy.parse(shifted, RuleGoldenTest.KEYS);
        Random random = new Random(7);
        Map<String, Long> offsets = new HashMap<>();
        for (int i = 0; i < RECORDS; i++) {
            ObjectNode in = hipaaRecord(random, random.nextInt(200));
            ObjectNode out = policy.mask(in).masked();
            String patient = in.get("medicalRecordNumber").asText();
            for (String field : HIPAA_DATES) {
                if (field.equals("birthDate")) {
                    assertTrue(!in.has(field) || out.get(field).asText().matches("\\d{4}|\\*"), "birthDate keeps its year rule");
                } else if (in.has(field)) {
                    String before = in.get(field).asText();
                    String after = out.get(field).asText();
                    long offset = ChronoUnit.DAYS.between(LocalDate.parse(before.substring(0, 10)),
                            LocalDate.parse(after.substring(0, 10)));
                    assertTrue(offset != 0 && Math.abs(offset) <= 180, patient + " " + offset);
                    assertEquals(before.substring(10), after.substring(10), "the time is kept");
                    Long earlier = offsets.putIfAbsent(patient, offset);
                    assertEquals(earlier == null ? offset : earlier, offset, "one offset per patient: " + patient);
                }
            }
        }
        assertTrue(offsets.values().stream().distinct().count() > 50, "offsets differ between patients");
    }

    private static String residentId(Random random) {
        String body = "11010" + (1 + random.nextInt(8)) + LocalDate.of(1920, 1, 1).plusDays(random.nextInt(30_000)).toString().replace("-", "") + digits(random, 3);
        int[] weights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (body.charAt(i) - '0') * weights[i];
        }
        return body + "10X98765432".charAt(sum % 11);
    }

    @Test
    void gbt37964LeavesNoIdentifierAndLinksPerPatient() {
        Random random = new Random(37_964);
        MaskingPolicy policy = Gbt37964ProfileTest.GBT;
        List<String> ids = new ArrayList<>();
        for (int p = 0; p < 300; p++) {
            ids.add(residentId(random));
        }
        Map<String, String> pseudonyms = new HashMap<>();
        for (int i = 0; i < RECORDS; i++) {
            String id = ids.get(random.nextInt(ids.size()));
            ObjectNode in = Json.MAPPER.createObjectNode();
            String given = GIVEN[random.nextInt(GIVEN.length)];
            in.put("name", random.nextBoolean() ? "王小" + "明红华".charAt(random.nextInt(3)) : given + " " + FAMILY[random.nextInt(FAMILY.length)]);
            in.put("idNumber", id);
            in.put("birthDate", id.substring(6, 10) + "-" + id.substring(10, 12) + "-" + id.substring(12, 14));
            String phone = "1" + (3 + random.nextInt(7)) + digits(random, 9);
            in.put("phone", phone);
            in.put("address", "No. " + random.nextInt(99) + " Renmin Road, Wuhou district, Chengdu, Sichuan");
            in.put("street", "Renmin Road");
            in.put("email", "p" + i + "@example.cn");
            in.put("diagnosis", "高血压");
            MaskResult result = policy.mask(in);
            assertEquals(List.of(), result.warnings());
            ObjectNode out = result.masked();
            String text = Json.text(out);
            assertFalse(text.contains(id) || text.contains(phone) || text.contains(in.get("birthDate").asText()), text);
            assertFalse(text.contains(id.substring(6, 14)), "the birth date inside the ID is masked: " + text);
            assertEquals(id.substring(0, 6) + "*****" + id.substring(14), out.get("idNumber").asText());
            assertEquals(phone.substring(0, 3) + "****" + phone.substring(7), out.get("phone").asText());
            assertEquals(id.substring(6, 10), out.get("birthDate").asText());
            assertTrue(out.get("name").asText().contains("*"), text);
            assertEquals("Chengdu, Sichuan", out.get("address").asText());
            assertEquals("*", out.get("email").asText());
            String pseudonym = out.get("patientPseudonym").asText();
            assertTrue(pseudonym.matches("[0-9a-f]{64}"), pseudonym);
            String earlier = pseudonyms.putIfAbsent(id, pseudonym);
            assertEquals(earlier == null ? pseudonym : earlier, pseudonym, "one pseudonym per patient");
        }
        assertEquals(pseudonyms.size(), pseudonyms.values().stream().distinct().count(), "patients do not collide");
        assertTrue(pseudonyms.size() > 250);
        assertNotEquals(0, pseudonyms.size());
    }
}
