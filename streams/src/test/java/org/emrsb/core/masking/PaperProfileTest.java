package org.emrsb.core.masking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The paper's profile, exactly as issue 4 describes it, Table 1 byte for byte. */
class PaperProfileTest {

    private static final MaskingPolicy PAPER = MaskingPolicy.paper();

    static final String[][] TABLE_1 = {
        {"{\"name\":\"YangYang\",\"age\":60,\"idNumber\":\"533527195809210238\",\"address\":\"Chaoyang park, chaoyang district, Beijing\",\"disease\":\"flu\"}",
            "{\"name\":\"* Yang\",\"age\":\"[60, 65]\",\"idNumber\":\"533527*****0238\",\"address\":\"chaoyang district, Beijing\",\"disease\":\"flu\"}"},
        {"{\"name\":\"Sihua Wu\",\"age\":24,\"idNumber\":\"500101199310020723\",\"address\":\"Chongwen road, nanan district, chongqing\",\"disease\":\"stomach trouble\"}",
            "{\"name\":\"** Wu\",\"age\":\"[20, 25]\",\"idNumber\":\"500101*****0723\",\"address\":\"nanan district, chongqing\",\"disease\":\"stomach trouble\"}"},
        {"{\"name\":\"Qiang Zhang\",\"age\":43,\"idNumber\":\"620503197512200856\",\"address\":\"Mai ji district, tianshui city, gansu province\",\"disease\":\"headache\"}",
            "{\"name\":\"* Zhang\",\"age\":\"[40, 45]\",\"idNumber\":\"620503*****0856\",\"address\":\"tianshui city, gansu province\",\"disease\":\"headache\"}"},
    };

    @Test
    void table1ComesOutByteForByte() {
        for (String[] row : TABLE_1) {
            assertEquals(row[1], Json.text(PAPER.mask(Json.object(row[0])).masked()));
        }
    }

    @Test
    void table1CarriesTheCheckDigitWarningsAndIsNotRejected() {
        String[] expected = {"7", "X", "2"};
        for (int i = 0; i < 3; i++) {
            MaskResult result = PAPER.mask(Json.object(TABLE_1[i][0]));
            assertEquals(List.of("idNumber: not a valid GB 11643 resident ID: check digit should be " + expected[i]),
                    result.warnings());
            assertFalse(result.rejected());
        }
    }

    @Test
    void theInputIsNotChanged() {
        ObjectNode input = Json.object(TABLE_1[0][0]);
        PAPER.mask(input);
        assertEquals(TABLE_1[0][0], Json.text(input));
    }

    @Test
    void identityAndSubject() {
        assertEquals("paper", PAPER.id());
        assertEquals("1", PAPER.version());
        assertEquals("idNumber", PAPER.subjectField());
        assertSame(PAPER, MaskingPolicy.paper());
        assertEquals(32, PAPER.hash().length);
        assertFalse(PAPER.rejectsInvalidResidentIds());
        assertEquals("533527195809210238", PAPER.subjectValue(Json.object(TABLE_1[0][0])).orElseThrow());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        // the paper's three, and the examples
        "YangYang | * Yang", "Sihua Wu | ** Wu", "Qiang Zhang | * Zhang",
        "王小明 | 王**", "王明 | 王*", "欧阳娜娜 | 欧***", "王 小明 | 王**", "买买提·艾力 | 买**·**",
        "Xiaoming Wang | ** Wang", "Xiaoming | * ming", "XiaoMing | * Ming",
        "Xian Li | * Li", "Xi'an Li | ** Li", "Mei Ling Wang | ** Wang", "Xiaoming  Wang | ** Wang",
        "Zhuangzhuang | * zhuang", "Shuang Zhou | * Zhou", "Huangu Lin | ** Lin",
        // single-syllable and single-unit names stay as they are
        "Xian | Xian", "Wu | Wu", "Zhang | Zhang", "王 | 王", "Smith | Smith",
        // tokens that are not pinyin count one unit each
        "John Smith | * Smith", "Mary Ann Lee | ** Lee", "Jean-Luc Picard | * Picard", "Li3 Wang | * Wang",
        // tone marks and the diaeresis are ignored in matching
        "Xiǎomíng Wáng | ** Wáng", "Lüyi Zhang | ** Zhang",
    })
    void names(String name, String masked) {
        assertEquals(masked, mask("name", "\"" + name + "\""));
    }

    @Test
    void aNameThatIsNotAStringIsStarredWithAWarning() {
        MaskResult result = PAPER.mask(Json.object("{\"name\":42}"));
        assertEquals("*", result.masked().get("name").asText());
        assertEquals(List.of("name: expected a string, found a number; replaced by *"), result.warnings());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "0 | [0, 5]", "4 | [0, 5]", "5 | [5, 10]", "9 | [5, 10]", "59 | [55, 60]", "60 | [60, 65]",
        "64 | [60, 65]", "65 | [65, 70]", "99 | [95, 100]", "100 | [100, 105]", "123 | [120, 125]",
        "\"60\" | [60, 65]", "\" 61 \" | [60, 65]", "60.7 | [60, 65]", "\"24.5\" | [20, 25]", "-1 | [-5, 0]",
    })
    void ages(String json, String masked) {
        MaskResult result = PAPER.mask(Json.object("{\"age\":" + json + "}"));
        assertEquals(masked, result.masked().get("age").asText());
        assertEquals(List.of(), result.warnings());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"\"sixty\" | a string", "true | a boolean", "null | null", "\"\" | a string",
        "\"6e1\" | a string", "[60] | an array", "{} | an object", "\"NaN\" | a string"})
    void anAgeThatIsNotANumberIsStarredWithAWarning(String json, String kind) {
        MaskResult result = PAPER.mask(Json.object("{\"age\":" + json + "}"));
        assertEquals("*", result.masked().get("age").asText());
        assertEquals(List.of("age: not a number (" + kind + "); replaced by *"), result.warnings());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "533527195809210238 | 533527*****0238",
        "11010519491231002X | 110105*****002X",
        "533527580921023 | 533527*****1023", // 15 digits, first generation
        "53352719580921023 | *****", "5335271958092102381 | *****", "12345 | *****", "'' | *****",
        "ABCDEFGHIJKLMNOPQR | ABCDEF*****OPQR", // 18 characters are masked as such (and warned about)
    })
    void idNumbers(String id, String masked) {
        assertEquals(masked, mask("idNumber", "\"" + id + "\""));
    }

    @Test
    void idNumbersWarnWithoutRepeatingTheNumber() {
        MaskResult valid = PAPER.mask(Json.object("{\"idNumber\":\"11010519491231002X\"}"));
        assertEquals(List.of(), valid.warnings());
        MaskResult fifteen = PAPER.mask(Json.object("{\"idNumber\":\"533527580921023\"}"));
        assertEquals(List.of(), fifteen.warnings());
        MaskResult shortId = PAPER.mask(Json.object("{\"idNumber\":\"12345\"}"));
        assertEquals(List.of("idNumber: not a valid GB 11643 resident ID: has 5 characters, expected 18 (or 15)"),
                shortId.warnings());
        MaskResult number = PAPER.mask(Json.object("{\"idNumber\":true}"));
        assertEquals("*****", number.masked().get("idNumber").asText());
        assertEquals(List.of("idNumber: expected a string or number, found a boolean; masked whole"), number.warnings());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "'Chaoyang park, chaoyang district, Beijing' | 'chaoyang district, Beijing'",
        "'Beijing' | '*'", "'  Beijing  ' | '*'", "'' | '*'",
        "'a,b' | 'b'", "'  a ,  b  ,c ' | 'b, c'", "'朝阳公园，朝阳区，北京' | '朝阳区, 北京'",
        "'Room 1, 朝阳区，北京' | '朝阳区, 北京'", "'a,,b' | 'b'", "'a, b,' | 'b'",
    })
    void addresses(String address, String masked) {
        assertEquals(masked, mask("address", "\"" + address + "\""));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "13812345678 | 138****5678", "138-1234-5678 | 138****5678", "'+86 138 1234 5678' | 861****5678",
        "(010) 6512-3456 | 010****3456", "1234567 | 123****4567", "123456 | ****", "'' | ****", "'n/a' | ****",
        "１３８１２３４５６７８ | 138****5678",
    })
    void phones(String phone, String masked) {
        assertEquals(masked, mask("phone", "\"" + phone + "\""));
        assertEquals(masked, mask("mobile", "\"" + phone + "\""));
    }

    @Test
    void aPhoneGivenAsANumberIsMaskedAsItsDigits() {
        assertEquals("138****5678", mask("mobile", "13812345678"));
    }

    @Test
    void everyOtherFieldIsTheSameJsonValueInTheSameOrder() {
        String input = "{\"visit\":{\"phone\":\"13812345678\",\"n\":[1,2.5,null]},\"name\":\"王小明\",\"disease\":\"flu\","
                + "\"flag\":true,\"none\":null,\"age\":30,\"list\":[\"a\",{\"b\":1}],\"note\":\"王小明 13812345678\"}";
        MaskResult result = PAPER.mask(Json.object(input));
        assertEquals("{\"visit\":{\"phone\":\"13812345678\",\"n\":[1,2.5,null]},\"name\":\"王**\",\"disease\":\"flu\","
                + "\"flag\":true,\"none\":null,\"age\":\"[30, 35]\",\"list\":[\"a\",{\"b\":1}],\"note\":\"王小明 13812345678\"}",
                Json.text(result.masked()));
        assertTrue(result.warnings().isEmpty());
    }

    private static String mask(String field, String valueJson) {
        return PAPER.mask(Json.object("{\"" + field + "\":" + valueJson + "}")).masked().get(field).asText();
    }
}
