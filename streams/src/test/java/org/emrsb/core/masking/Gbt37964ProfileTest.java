package org.emrsb.core.masking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The built-in gbt-37964 profile (GB/T 37964-2019, GB/T 35273-2020) on flat JSON records. */
class Gbt37964ProfileTest {

    static final MaskingPolicy GBT = named(RuleGoldenTest.KEYS);

    /** Realistic records in, exactly what the profile writes out under {@link RuleGoldenTest#KEYS}. */
    static final String[][] GOLDEN = {
        {"{\"name\":\"王小明\",\"idNumber\":\"11010519491231002X\",\"birthDate\":\"1949-12-31\",\"age\":76,\"phone\":\"13800138000\",\"address\":\"朝阳公园，朝阳区，北京市\",\"diagnosis\":\"高血压\"}",
            "{\"name\":\"王**\",\"idNumber\":\"110105*****002X\",\"birthDate\":\"1949\",\"age\":\"[75, 80]\",\"phone\":\"138****8000\",\"address\":\"朝阳区, 北京市\",\"diagnosis\":\"高血压\",\"patientPseudonym\":\"453bddb2b5540c71988b799a6c2c026afdae0eef052013e10721ae0f499ebe2a\"}"},
        {"{\"name\":\"Sihua Wu\",\"idNumber\":\"500101199310020723\",\"birthDate\":\"1993-10-02\",\"age\":32,\"mobile\":\"139-1234-5678\",\"address\":\"No. 5 Renmin Road, Wuhou district, Chengdu, Sichuan\",\"district\":\"Wuhou\",\"street\":\"Renmin Road\",\"email\":\"wu@example.cn\",\"diagnosis\":\"stomach trouble\"}",
            "{\"name\":\"** Wu\",\"idNumber\":\"500101*****0723\",\"birthDate\":\"1993\",\"age\":\"[30, 35]\",\"mobile\":\"139****5678\",\"address\":\"Chengdu, Sichuan\",\"district\":\"*\",\"street\":\"*\",\"email\":\"*\",\"diagnosis\":\"stomach trouble\",\"patientPseudonym\":\"320f29793d2ed4c576a8f4b9970269f7cdb2c656e04cf73a335116ae24d488dd\"}"},
        // a first-generation 15-digit ID; a pseudonym the submitter wrote is replaced in place
        {"{\"name\":\"Qiang Zhang\",\"idNumber\":\"620503751220085\",\"birthDate\":\"1975-12-20\",\"phone\":\"0938-1234\",\"address\":\"Tianshui city, Gansu province\",\"patientPseudonym\":\"forged\",\"diagnosis\":\"headache\"}",
            "{\"name\":\"* Zhang\",\"idNumber\":\"620503*****0085\",\"birthDate\":\"1975\",\"phone\":\"093****1234\",\"address\":\"Tianshui city, Gansu province\",\"patientPseudonym\":\"2f259f5764b539dfd18405bccc692f325f4ce65c3e935263e157409fd4557efe\",\"diagnosis\":\"headache\"}"},
    };

    private static MaskingPolicy named(MaskingKeys keys) {
        try {
            return MaskingPolicy.named(MaskingPolicy.GBT_37964, keys);
        } catch (PolicyException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    @Test
    void goldenRecordsComeOutExactly() {
        for (String[] row : GOLDEN) {
            MaskResult result = GBT.mask(Json.object(row[0]));
            assertEquals(row[1], Json.text(result.masked()));
            assertFalse(result.rejected());
        }
        assertEquals(List.of("idNumber: not a valid GB 11643 resident ID: check digit should be X"),
                GBT.mask(Json.object(GOLDEN[1][0])).warnings());
    }

    @Test
    void theLinkagePseudonymIsTheKeyedHmacOfTheOriginalId() {
        for (String[] row : GOLDEN) {
            String id = Json.object(row[0]).get("idNumber").asText();
            assertEquals(Pseudonyms.of(RuleGoldenTest.KEYS.pseudonymKey(), id),
                    GBT.mask(Json.object(row[0])).masked().get("patientPseudonym").asText());
        }
    }

    @Test
    void withoutTheSubjectThePseudonymFieldIsLeftOut() {
        MaskResult result = GBT.mask(Json.object("{\"name\":\"Sihua Wu\",\"patientPseudonym\":\"forged\"}"));
        assertEquals("{\"name\":\"** Wu\"}", Json.text(result.masked()));
        assertEquals(List.of("patientPseudonym: its source 'idNumber' is missing; left out"), result.warnings());
    }

    @Test
    void identityPinnedHashAndKeys() throws Exception {
        assertEquals("gbt-37964", GBT.id());
        assertEquals("idNumber", GBT.subjectField());
        // docs/masking.md records this hash; change both together, and only on purpose
        assertEquals("d6391a1620112df76192fb05bb5a8b90e2e621b0ada0df467c4c7ad945dd80a2", GBT.hashHex());
        assertEquals(GBT.hashHex(), named(MaskingKeys.derive(otherSecret())).hashHex());
        assertEquals(GBT.hashHex(), MaskingPolicy.fromJson(GBT.toJson(), RuleGoldenTest.KEYS).hashHex());
        PolicyException e = assertThrows(PolicyException.class, () -> MaskingPolicy.named("gbt-37964", MaskingKeys.none()));
        assertEquals("gbt-37964.yaml: rule 11 (field 'patientPseudonym', rule 'pseudonymise'): needs the pseudonym key, "
                + "but no masking keys were given (set gateway.secret-file in the configuration)", e.getMessage());
        PolicyException unknown = assertThrows(PolicyException.class, () -> MaskingPolicy.named("gbt-35273", MaskingKeys.none()));
        assertTrue(unknown.getMessage().contains("gbt-35273"), unknown.getMessage());
    }

    private static byte[] otherSecret() {
        byte[] secret = new byte[32];
        secret[0] = 1;
        return secret;
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "朝阳公园，朝阳区，北京市 | 朝阳区, 北京市",
        "Renmin Road 5, Wuhou district, Chengdu, Sichuan | Chengdu, Sichuan",
        "Chengdu, Sichuan | Chengdu, Sichuan", "Sichuan | Sichuan", "' , ' | *",
    })
    void addressesToCityLevel(String address, String masked) {
        assertEquals(masked, GBT.mask(Json.object("{\"address\":\"" + address + "\"}")).masked().get("address").asText());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "\"533527195809210237\" | 533527*****0237", "\"53352719580921023X\" | 533527*****023X",
        "\"533527580921023\" | 533527*****1023", "\"5335271958\" | *****", "\"\" | *****", "533527195809210237 | 533527*****0237",
    })
    void residentIdsKeepSixAndFourWithAFixedFiveCharacterMask(String id, String masked) {
        assertEquals(masked, GBT.mask(Json.object("{\"idNumber\":" + id + "}")).masked().get("idNumber").asText());
    }
}
